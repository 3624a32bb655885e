//! Email: a real SMTP conversation with a listener on loopback, and verification.

use crate::helpers::*;
use crate::on_both_databases;
use app::accounts::Me;
use axum::http::StatusCode;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

on_both_databases!(registration_with_an_email_verifies_it);

/// What the SMTP listener received.
#[derive(Debug, Default)]
struct Received {
    mail_from: String,
    rcpt_to: Vec<String>,
    data: String,
}

/// A minimal SMTP server (RFC 5321 happy path) that accepts one message.
async fn smtp_listener() -> (u16, tokio::task::JoinHandle<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let handle = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.expect("accept");
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        let mut received = Received::default();
        write.write_all(b"220 bianmin-test ESMTP\r\n").await.expect("greet");
        while let Ok(Some(line)) = lines.next_line().await {
            let upper = line.to_ascii_uppercase();
            let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                b"250-bianmin-test\r\n250 8BITMIME\r\n"
            } else if upper.starts_with("MAIL FROM:") {
                received.mail_from = line[10..].trim().to_owned();
                b"250 OK\r\n"
            } else if upper.starts_with("RCPT TO:") {
                received.rcpt_to.push(line[8..].trim().trim_matches(|c| c == '<' || c == '>').to_owned());
                b"250 OK\r\n"
            } else if upper == "DATA" {
                write.write_all(b"354 end with .\r\n").await.expect("354");
                while let Ok(Some(data)) = lines.next_line().await {
                    if data == "." {
                        break;
                    }
                    received.data.push_str(&data);
                    received.data.push('\n');
                }
                // lettre pools connections and may not QUIT: the message is what we wait for.
                write.write_all(b"250 queued\r\n").await.expect("250");
                break;
            } else if upper == "QUIT" {
                let _ = write.write_all(b"221 bye\r\n").await;
                break;
            } else {
                b"250 OK\r\n"
            };
            write.write_all(reply).await.expect("reply");
        }
        received
    });
    (port, handle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn welcome_email_goes_through_a_real_smtp_conversation() {
    crate::helpers::within_limit("welcome_email_goes_through_a_real_smtp_conversation", async {
        let (port, received) = smtp_listener().await;
        let port = port.to_string();
        let app =
            spawn_app_with(Backend::Sqlite, &[("BIANMIN_MAIL", "smtp"), ("SMTP_HOST", "127.0.0.1"), ("SMTP_PORT", &port), ("SMTP_SECURITY", "none")]).await;

        let res =
            app.call("register", &[("phone", "13800138000"), ("password", PASSWORD), ("email", "wang.xiulan@example.com"), ("name", "王秀兰")], None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);

        let received = tokio::time::timeout(std::time::Duration::from_secs(20), received).await.expect("email within 20 s").expect("listener");
        assert_eq!(received.rcpt_to, vec!["wang.xiulan@example.com".to_owned()]);
        assert!(received.mail_from.contains("noreply@bianmin.local"), "{}", received.mail_from);
        let subject = received.data.lines().find(|l| l.starts_with("Subject:")).expect("subject header");
        assert_eq!(decode_rfc2047(subject.trim_start_matches("Subject:").trim()), "欢迎使用便民服务，王秀兰");
        assert!(received.data.contains("To: wang.xiulan@example.com"));
        let text = plain_text_part(&received.data);
        assert!(text.contains("王秀兰，您好"), "{text}");
        assert!(text.contains("/verify-email?token="), "verification link in the body: {text}");
    })
    .await
}

/// The decoded text/plain part of a multipart message with base64 parts.
fn plain_text_part(data: &str) -> String {
    use base64::Engine;
    let start = data.find("Content-Type: text/plain").expect("text part");
    let encoded: String = data[start..].lines().skip_while(|l| !l.is_empty()).skip(1).take_while(|l| !l.starts_with("--")).collect();
    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(encoded.trim()).expect("base64")).expect("utf-8")
}

/// Decodes `=?utf-8?b?...?=` words (what lettre uses for a non-ASCII subject).
fn decode_rfc2047(value: &str) -> String {
    use base64::Engine;
    value
        .split_whitespace()
        .map(|word| {
            let inner = word.strip_prefix("=?utf-8?b?").and_then(|w| w.strip_suffix("?=")).unwrap_or(word);
            base64::engine::general_purpose::STANDARD.decode(inner).ok().and_then(|b| String::from_utf8(b).ok()).unwrap_or_else(|| word.to_owned())
        })
        .collect()
}

async fn registration_with_an_email_verifies_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let res = app.call("register", &[("phone", "13800138000"), ("password", PASSWORD), ("email", "Li@Example.com"), ("name", "")], None).await;
    let cookie = res.session_cookie().expect("registered");
    let sent = app.state.mailer.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "Li@example.com");
    let token = sent[0].email.text.split("token=").nth(1).and_then(|t| t.split_whitespace().next()).expect("token").to_owned();

    let me: Option<Me> = app.call("me", &[], Some(&cookie)).await.json();
    assert!(!me.expect("me").email_verified);
    let res = app.call("verify_email", &[("token", &token)], None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let me: Option<Me> = app.call("me", &[], Some(&cookie)).await.json();
    assert!(me.expect("me").email_verified);

    // A token works once; a made-up one never.
    for bad in [token.as_str(), "made-up-token"] {
        let res = app.call("verify_email", &[("token", bad)], None).await;
        assert_eq!(res.app_error().field_msg("token"), Some(app::i18n::Msg::ErrTokenInvalid));
    }
    // Without an address, nothing is sent.
    app.register("13900139000").await;
    assert_eq!(app.state.mailer.sent().len(), 1);
}
