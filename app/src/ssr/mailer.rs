//! Email (lettre): an SMTP relay, a file outbox, or memory for tests. Each email has a
//! template folder under `app/templates/email/<name>/` with `subject.txt`,
//! `body.txt` and `body.html`.

use super::config::{MailBackend, MailConfig, SmtpSecurity};
use crate::domain::EmailAddress;
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

struct Template {
    subject: &'static str,
    text: &'static str,
    html: &'static str,
}

macro_rules! template {
    ($dir:literal) => {
        Template {
            subject: include_str!(concat!("../../templates/email/", $dir, "/subject.txt")),
            text: include_str!(concat!("../../templates/email/", $dir, "/body.txt")),
            html: include_str!(concat!("../../templates/email/", $dir, "/body.html")),
        }
    };
}

impl Email {
    fn template(&self) -> Template {
        match self {
            Email::Welcome { .. } => template!("welcome"),
            Email::VerifyEmail { .. } => template!("verify_email"),
            Email::BookingConfirmed(_) => template!("booking_confirmed"),
            Email::BookingReminder(_) => template!("booking_reminder"),
            Email::BookingCancelled(_) => template!("booking_cancelled"),
            Email::CaseUpdate { .. } => template!("case_update"),
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

    /// Renders subject, text and HTML; values are HTML-escaped in the HTML part.
    pub fn render(&self) -> RenderedEmail {
        let template = self.template();
        let vars = self.vars();
        let fill = |source: &str, escape: bool| {
            vars.iter().fold(source.to_owned(), |out, (key, value)| {
                let value = if escape { escape_html(value) } else { (*value).to_owned() };
                out.replace(&format!("{{{{{key}}}}}"), &value)
            })
        };
        RenderedEmail {
            subject: fill(template.subject, false).trim().to_owned(),
            text: fill(template.text, false),
            html: fill(template.html, true),
        }
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

    /// Sends `email` to `to`.
    #[tracing::instrument(skip(self, email), fields(to = %to))]
    pub async fn send(&self, to: &EmailAddress, email: &Email) -> anyhow::Result<()> {
        let rendered = email.render();
        match &*self.backend {
            Backend::Memory(sent) => {
                sent.lock().map_err(|_| anyhow::anyhow!("mailbox poisoned"))?.push(SentEmail {
                    to: to.to_string(),
                    email: rendered,
                });
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
    pub async fn send_logged(&self, to: &EmailAddress, email: &Email) {
        if let Err(err) = self.send(to, email).await {
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

fn escape_html(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_and_escape() {
        let email = Email::Welcome { name: "<王秀兰>".into(), verify_url: "http://x/verify-email?token=a&b".into() };
        let rendered = email.render();
        assert_eq!(rendered.subject, "欢迎使用便民服务，<王秀兰>");
        assert!(rendered.text.contains("http://x/verify-email?token=a&b"));
        assert!(rendered.html.contains("&lt;王秀兰&gt;"));
        assert!(rendered.html.contains("token=a&amp;b"));
        assert!(!rendered.html.contains("{{"));
    }
}
