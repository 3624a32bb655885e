//! Email (lettre): an SMTP relay, a file outbox, or memory for tests. Each email has a
//! template folder under `app/templates/email/<name>/` with `subject.txt`,
//! `body.txt` and `body.html`, in Chinese, and the same in English under `<name>/en/`;
//! each email goes out in its recipient's language.

use super::config::{MailBackend, MailConfig, SmtpSecurity};
use crate::domain::EmailAddress;
use crate::i18n::Lang;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The emails the application sends, with the values their templates need.
#[derive(Clone, Debug)]
pub enum Email {
    /// After registration; carries the verification link when an address was given.
    Welcome { name: String, verify_url: String },
    /// After an address was added or changed.
    VerifyEmail { name: String, verify_url: String },
    /// At booking: when, where, the code and what to bring.
    BookingConfirmed(BookingEmail),
    /// The day before (sent once, by whichever server holds the reminder lease).
    BookingReminder(BookingEmail),
    /// After a booking was cancelled.
    BookingCancelled(BookingEmail),
    /// A case changed in a way its applicant cares about (the message list has it too).
    CaseUpdate { name: String, title: String, body: String, url: String },
}

/// What the booking emails say.
#[derive(Clone, Debug)]
pub struct BookingEmail {
    pub name: String,
    pub item: String,
    /// e.g. `2026年11月26日（周四）09:00-09:30`, China Standard Time.
    pub when: String,
    pub channel: String,
    pub code: String,
    pub address: String,
    pub materials: String,
    pub url: String,
}

macro_rules! template {
    ($dir:literal) => {
        (
            $dir,
            [
                include_str!(concat!("../../templates/email/", $dir, "/subject.txt")),
                include_str!(concat!("../../templates/email/", $dir, "/body.txt")),
                include_str!(concat!("../../templates/email/", $dir, "/body.html")),
            ],
            [
                include_str!(concat!("../../templates/email/", $dir, "/en/subject.txt")),
                include_str!(concat!("../../templates/email/", $dir, "/en/body.txt")),
                include_str!(concat!("../../templates/email/", $dir, "/en/body.html")),
            ],
        )
    };
}

/// Every template, compiled into the binary: `<dir>/subject.txt`, `body.txt`, `body.html`
/// in Chinese, then the same three under `<dir>/en/`.
const TEMPLATES: &[(&str, [&str; 3], [&str; 3])] = &[
    template!("welcome"),
    template!("verify_email"),
    template!("booking_confirmed"),
    template!("booking_reminder"),
    template!("booking_cancelled"),
    template!("case_update"),
];

const FILES: [&str; 3] = ["subject.txt", "body.txt", "body.html"];

/// The template engine (minijinja): `.html` templates escape every value; a value is
/// never read as template text; a missing value is an error (the tests render each).
fn engine() -> &'static minijinja::Environment<'static> {
    static ENGINE: std::sync::OnceLock<minijinja::Environment<'static>> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        // HTML escaping of the five special characters, leaving `/` alone so links
        // read as written (minijinja's own escaping also turns `/` into `&#x2f;`).
        env.set_formatter(|out, state, value| {
            if state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() {
                let text = value.to_string();
                let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;");
                out.write_str(&escaped).map_err(|_| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "email template output"))
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        for (dir, zh, en) in TEMPLATES {
            for (folder, sources) in [(dir.to_string(), zh), (format!("{dir}/en"), en)] {
                for (file, source) in FILES.iter().zip(sources) {
                    if let Err(err) = env.add_template_owned(format!("{folder}/{file}"), *source) {
                        tracing::error!(%err, folder, file, "email template does not parse");
                    }
                }
            }
        }
        env
    })
}

impl Email {
    fn template(&self) -> &'static str {
        match self {
            Email::Welcome { .. } => "welcome",
            Email::VerifyEmail { .. } => "verify_email",
            Email::BookingConfirmed(_) => "booking_confirmed",
            Email::BookingReminder(_) => "booking_reminder",
            Email::BookingCancelled(_) => "booking_cancelled",
            Email::CaseUpdate { .. } => "case_update",
        }
    }

    fn vars(&self) -> Vec<(&'static str, &str)> {
        match self {
            Email::Welcome { name, verify_url } | Email::VerifyEmail { name, verify_url } => {
                vec![("name", name), ("verify_url", verify_url)]
            }
            Email::CaseUpdate { name, title, body, url } => vec![("name", name), ("title", title), ("body", body), ("url", url)],
            Email::BookingConfirmed(b) | Email::BookingReminder(b) | Email::BookingCancelled(b) => vec![
                ("name", &b.name),
                ("item", &b.item),
                ("when", &b.when),
                ("channel", &b.channel),
                ("code", &b.code),
                ("address", &b.address),
                ("materials", &b.materials),
                ("url", &b.url),
            ],
        }
    }

    /// Renders subject, text and HTML in `lang`; values are HTML-escaped in the HTML part.
    pub fn render(&self, lang: Lang) -> RenderedEmail {
        let dir = match lang {
            Lang::Zh => self.template().to_owned(),
            Lang::En => format!("{}/en", self.template()),
        };
        let vars: std::collections::BTreeMap<&str, &str> = self.vars().into_iter().collect();
        let fill = |file: &str| {
            let name = format!("{dir}/{file}");
            engine().get_template(&name).and_then(|t| t.render(&vars)).unwrap_or_else(|err| {
                tracing::error!(%err, name, "email template does not render");
                String::new()
            })
        };
        RenderedEmail { subject: fill("subject.txt").trim().to_owned(), text: fill("body.txt"), html: fill("body.html") }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// An email as the memory backend keeps it.
#[derive(Clone, Debug)]
pub struct SentEmail {
    pub to: String,
    pub email: RenderedEmail,
}

enum Backend {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(PathBuf),
    Memory(Mutex<Vec<SentEmail>>),
}

#[derive(Clone)]
pub struct Mailer {
    backend: Arc<Backend>,
    from: Mailbox,
}

impl Mailer {
    pub fn from_config(config: &MailConfig) -> anyhow::Result<Mailer> {
        let from: Mailbox = config.from.parse().map_err(|e| anyhow::anyhow!("MAIL_FROM is invalid: {e}"))?;
        let backend = match config.backend {
            MailBackend::Outbox => Backend::Outbox(config.outbox_dir.clone()),
            MailBackend::Memory => Backend::Memory(Mutex::new(Vec::new())),
            MailBackend::Smtp => {
                let host = config.smtp_host.as_str();
                let mut builder = match config.smtp_security {
                    SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                    SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
                    SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
                };
                builder = builder.port(config.smtp_port).timeout(Some(Duration::from_secs(15)));
                if let (Some(user), Some(password)) = (&config.smtp_user, &config.smtp_password) {
                    builder = builder.credentials(Credentials::new(user.clone(), password.expose().clone()));
                }
                Backend::Smtp(builder.build())
            }
        };
        Ok(Mailer { backend: Arc::new(backend), from })
    }

    /// Sends `email` to `to`, written in `lang`.
    #[tracing::instrument(skip(self, email), fields(to = %to))]
    pub async fn send(&self, to: &EmailAddress, email: &Email, lang: Lang) -> anyhow::Result<()> {
        let rendered = email.render(lang);
        match &*self.backend {
            Backend::Memory(sent) => {
                sent.lock().map_err(|_| anyhow::anyhow!("mailbox poisoned"))?.push(SentEmail { to: to.to_string(), email: rendered });
                Ok(())
            }
            Backend::Outbox(dir) => {
                let message = self.message(to, &rendered)?;
                tokio::fs::create_dir_all(dir).await?;
                let name = format!("{}-{}.eml", chrono::Utc::now().format("%Y%m%dT%H%M%S%.3f"), &super::crypto::random_token()[..8]);
                tokio::fs::write(dir.join(name), message.formatted()).await?;
                Ok(())
            }
            Backend::Smtp(transport) => {
                transport.send(self.message(to, &rendered)?).await?;
                Ok(())
            }
        }
    }

    /// Sends and logs a failure instead of returning it: a lost welcome email must not
    /// undo a registration.
    pub async fn send_logged(&self, to: &EmailAddress, email: &Email, lang: Lang) {
        if let Err(err) = self.send(to, email, lang).await {
            tracing::warn!(error = %err, "email not sent");
        }
    }

    fn message(&self, to: &EmailAddress, rendered: &RenderedEmail) -> anyhow::Result<Message> {
        Ok(Message::builder()
            .from(self.from.clone())
            .to(to.as_str().parse()?)
            .subject(rendered.subject.clone())
            .multipart(MultiPart::alternative_plain_html(rendered.text.clone(), rendered.html.clone()))?)
    }

    /// Emails kept by the memory backend (empty for the others).
    pub fn sent(&self) -> Vec<SentEmail> {
        match &*self.backend {
            Backend::Memory(sent) => sent.lock().map(|s| s.clone()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_and_escape() {
        let email = Email::Welcome { name: "<王秀兰>".into(), verify_url: "http://x/verify-email?token=a&b".into() };
        let rendered = email.render(Lang::Zh);
        assert_eq!(rendered.subject, "欢迎使用便民服务，<王秀兰>");
        assert!(rendered.text.contains("http://x/verify-email?token=a&b"));
        assert!(rendered.html.contains("&lt;王秀兰&gt;"));
        assert!(rendered.html.contains("token=a&amp;b"));
        assert!(!rendered.html.contains("{{"));
    }

    #[test]
    fn a_value_is_never_read_as_a_template() {
        let email = Email::Welcome { name: "{{verify_url}}".into(), verify_url: "http://x/secret".into() };
        let rendered = email.render(Lang::Zh);
        assert_eq!(rendered.subject, "欢迎使用便民服务，{{verify_url}}");
        assert_eq!(email.render(Lang::En).subject, "Welcome to Bianmin Services, {{verify_url}}");
        assert_eq!(rendered.text.matches("http://x/secret").count(), 1, "{}", rendered.text);
    }

    #[test]
    fn every_template_renders_with_its_values() {
        let booking = BookingEmail {
            name: "王秀兰".into(),
            item: "社会保障卡申领".into(),
            when: "2026年12月03日（周四）09:00-09:30".into(),
            channel: "到中心".into(),
            code: "AB12CD".into(),
            address: "东山街道便民服务中心".into(),
            materials: "身份证".into(),
            url: "http://x/bookings/AB12CD".into(),
        };
        let emails = [
            Email::Welcome { name: "a".into(), verify_url: "u".into() },
            Email::VerifyEmail { name: "a".into(), verify_url: "u".into() },
            Email::BookingConfirmed(booking.clone()),
            Email::BookingReminder(booking.clone()),
            Email::BookingCancelled(booking),
            Email::CaseUpdate { name: "a".into(), title: "t".into(), body: "b".into(), url: "u".into() },
        ];
        for email in emails {
            for lang in [Lang::Zh, Lang::En] {
                let rendered = email.render(lang);
                assert!(!rendered.subject.is_empty() && !rendered.text.is_empty() && !rendered.html.is_empty(), "{} {lang:?}", email.template());
                // The frame is in the recipient's language: with the values taken out, an
                // English email has no Chinese left.
                let frame = ["王秀兰", "社会保障卡申领", "2026年12月03日（周四）09:00-09:30", "到中心", "东山街道便民服务中心", "身份证"]
                    .iter()
                    .fold(rendered.html.clone(), |html, value| html.replace(value, ""));
                let chinese = frame.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                assert_eq!(chinese, lang == Lang::Zh, "{} {lang:?}: the frame is in the recipient's language", email.template());
            }
        }
    }
}
