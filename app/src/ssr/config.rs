//! Typed configuration, read once from the environment at startup.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Wraps a secret so it never prints and never serialises.
#[derive(Clone)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Secret(value)
    }
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunMode {
    Development,
    Production,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailBackend {
    /// Write each email as an `.eml` file into the outbox folder (development default).
    Outbox,
    /// Send through an SMTP relay.
    Smtp,
    /// Keep sent emails in memory (tests).
    Memory,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain SMTP: only for a relay on the same host or a test listener.
    None,
    StartTls,
    Tls,
}

#[derive(Clone, Debug)]
pub struct MailConfig {
    pub backend: MailBackend,
    pub outbox_dir: PathBuf,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: SmtpSecurity,
    pub smtp_user: Option<String>,
    pub smtp_password: Option<Secret<String>>,
    pub from: String,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub mode: RunMode,
    pub bind: SocketAddr,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub upload_dir: PathBuf,
    /// Where uploaded files are kept: the local folder `upload_dir` or an S3 bucket.
    pub storage: Storage,
    /// Base URL residents reach the app at, used in email links; `https://` makes
    /// cookies `Secure` and turns on HSTS.
    pub public_url: String,
    pub mail: MailConfig,
    /// Key for keyed hashes of tokens.
    pub secret_key: Secret<[u8; 32]>,
    /// Key that encrypts ID numbers at rest and keys their lookup hash. Kept apart
    /// from `secret_key` so rotating session secrets never loses personal data.
    pub data_key: Secret<[u8; 32]>,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub login_max_failures: u64,
    pub login_lock: Duration,
    /// Failed logins from one address (any accounts) before its tries are slowed.
    pub login_slow_after: i32,
    /// The first delay once an address is slowed; it doubles with each failure, up to
    /// `login_delay_max`. Correct passwords are slowed, never refused.
    pub login_delay: Duration,
    pub login_delay_max: Duration,
    /// Registrations allowed from one address per hour.
    pub register_per_hour: i32,
    pub request_timeout: Duration,
    pub body_limit_bytes: usize,
    /// Trust `X-Forwarded-For` from a load balancer for the client's address.
    pub trust_proxy: bool,
    /// Shown on the 四个公开 page (公开监督电话).
    pub supervision_phone: String,
    pub center_address: String,
    /// Booking limits (DESIGN.md §4).
    pub booking: crate::rules::BookingRules,
    /// Rating periods and feedback deadlines.
    pub feedback: crate::rules::FeedbackRules,
}

/// Where uploaded files live.
#[derive(Clone, Debug)]
pub enum Storage {
    /// The folder `upload_dir` on local disk (the default).
    Local,
    /// An S3-compatible bucket (`BIANMIN_STORAGE_URL=s3://bucket/prefix`).
    S3(S3Config),
}

#[derive(Clone, Debug)]
pub struct S3Config {
    pub bucket: String,
    /// Keys are stored under this prefix (may be empty).
    pub prefix: String,
    /// The service's address for S3-compatible services (MinIO, OSS, COS …); empty for AWS.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: Secret<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error(
        "BIANMIN_SECRET_KEY is required in production (64 hex characters). \
         Generate one with: openssl rand -hex 32"
    )]
    MissingSecret,
    #[error(
        "BIANMIN_DATA_KEY is required in production (64 hex characters): it encrypts ID numbers. \
         Generate one with: openssl rand -hex 32, and keep it safe: without it stored ID numbers cannot be read"
    )]
    MissingDataKey,
    #[error("could not read or create the development secret at {path}: {source}")]
    SecretFile { path: PathBuf, source: std::io::Error },
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup`, so tests can pass their own values.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |name: &str, default: &str| lookup(name).filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_owned());
        let mode = match get("BIANMIN_ENV", "development").as_str() {
            "production" | "prod" => RunMode::Production,
            "development" | "dev" => RunMode::Development,
            other => return Err(invalid("BIANMIN_ENV", format!("expected development or production, got {other}"))),
        };
        let data_dir = PathBuf::from(get("BIANMIN_DATA_DIR", "data"));
        let default_db = format!("sqlite://{}?mode=rwc", data_dir.join("bianmin.db").display());
        let bind_default = lookup("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".to_owned());
        let bind: SocketAddr = parse("BIANMIN_BIND", &get("BIANMIN_BIND", &bind_default))?;
        let public_default = format!("http://{bind}");
        let mail_backend = match get("BIANMIN_MAIL", "outbox").as_str() {
            "outbox" => MailBackend::Outbox,
            "smtp" => MailBackend::Smtp,
            "memory" => MailBackend::Memory,
            other => return Err(invalid("BIANMIN_MAIL", format!("expected outbox, smtp or memory, got {other}"))),
        };
        let smtp_security = match get("SMTP_SECURITY", "starttls").as_str() {
            "none" => SmtpSecurity::None,
            "starttls" => SmtpSecurity::StartTls,
            "tls" => SmtpSecurity::Tls,
            other => return Err(invalid("SMTP_SECURITY", format!("expected none, starttls or tls, got {other}"))),
        };
        let secret_key = match lookup("BIANMIN_SECRET_KEY").filter(|v| !v.is_empty()) {
            Some(hex) => decode_key("BIANMIN_SECRET_KEY", &hex)?,
            None if mode == RunMode::Production => return Err(ConfigError::MissingSecret),
            None => development_secret(&data_dir.join("secret.key"))?,
        };
        let data_key = match lookup("BIANMIN_DATA_KEY").filter(|v| !v.is_empty()) {
            Some(hex) => decode_key("BIANMIN_DATA_KEY", &hex)?,
            None if mode == RunMode::Production => return Err(ConfigError::MissingDataKey),
            None => development_secret(&data_dir.join("data.key"))?,
        };
        let mail = MailConfig {
            backend: mail_backend,
            outbox_dir: PathBuf::from(get("BIANMIN_OUTBOX_DIR", &data_dir.join("outbox").display().to_string())),
            smtp_host: get("SMTP_HOST", "127.0.0.1"),
            smtp_port: parse("SMTP_PORT", &get("SMTP_PORT", "587"))?,
            smtp_security,
            smtp_user: lookup("SMTP_USER").filter(|v| !v.is_empty()),
            smtp_password: lookup("SMTP_PASSWORD").filter(|v| !v.is_empty()).map(Secret::new),
            from: get("MAIL_FROM", "便民服务中心 <noreply@bianmin.local>"),
        };
        let storage = match lookup("BIANMIN_STORAGE_URL").filter(|v| !v.is_empty()) {
            None => Storage::Local,
            Some(url) => {
                let rest = url
                    .strip_prefix("s3://")
                    .ok_or_else(|| invalid("BIANMIN_STORAGE_URL", format!("expected s3://bucket or s3://bucket/prefix, got {url}")))?;
                let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
                if bucket.is_empty() {
                    return Err(invalid("BIANMIN_STORAGE_URL", "the bucket name is missing".to_owned()));
                }
                let required =
                    |name: &'static str| lookup(name).filter(|v| !v.is_empty()).ok_or_else(|| invalid(name, "required with BIANMIN_STORAGE_URL".to_owned()));
                Storage::S3(S3Config {
                    bucket: bucket.to_owned(),
                    prefix: prefix.trim_matches('/').to_owned(),
                    endpoint: lookup("BIANMIN_S3_ENDPOINT").filter(|v| !v.is_empty()),
                    region: get("BIANMIN_S3_REGION", "us-east-1"),
                    access_key_id: required("BIANMIN_S3_ACCESS_KEY_ID")?,
                    secret_access_key: Secret::new(required("BIANMIN_S3_SECRET_ACCESS_KEY")?),
                })
            }
        };
        Ok(Config {
            storage,
            mode,
            bind,
            database_url: get("DATABASE_URL", &default_db),
            upload_dir: PathBuf::from(get("BIANMIN_UPLOAD_DIR", &data_dir.join("uploads").display().to_string())),
            data_dir,
            public_url: get("BIANMIN_PUBLIC_URL", &public_default).trim_end_matches('/').to_owned(),
            mail,
            secret_key: Secret::new(secret_key),
            data_key: Secret::new(data_key),
            session_idle: Duration::from_secs(60 * 60 * parse::<u64>("BIANMIN_SESSION_IDLE_HOURS", &get("BIANMIN_SESSION_IDLE_HOURS", "336"))?),
            session_absolute: Duration::from_secs(60 * 60 * 24 * parse::<u64>("BIANMIN_SESSION_MAX_DAYS", &get("BIANMIN_SESSION_MAX_DAYS", "60"))?),
            login_max_failures: parse("BIANMIN_LOGIN_MAX_FAILURES", &get("BIANMIN_LOGIN_MAX_FAILURES", "5"))?,
            login_lock: Duration::from_secs(60 * parse::<u64>("BIANMIN_LOGIN_LOCK_MINUTES", &get("BIANMIN_LOGIN_LOCK_MINUTES", "15"))?),
            login_slow_after: parse("BIANMIN_LOGIN_SLOW_AFTER", &get("BIANMIN_LOGIN_SLOW_AFTER", "10"))?,
            login_delay: Duration::from_millis(parse("BIANMIN_LOGIN_DELAY_MS", &get("BIANMIN_LOGIN_DELAY_MS", "500"))?),
            login_delay_max: Duration::from_millis(parse("BIANMIN_LOGIN_DELAY_MAX_MS", &get("BIANMIN_LOGIN_DELAY_MAX_MS", "8000"))?),
            register_per_hour: parse("BIANMIN_REGISTER_PER_HOUR", &get("BIANMIN_REGISTER_PER_HOUR", "5"))?,
            request_timeout: Duration::from_secs(parse("BIANMIN_REQUEST_TIMEOUT_SECS", &get("BIANMIN_REQUEST_TIMEOUT_SECS", "30"))?),
            body_limit_bytes: parse("BIANMIN_BODY_LIMIT_BYTES", &get("BIANMIN_BODY_LIMIT_BYTES", "262144"))?,
            trust_proxy: get("BIANMIN_TRUST_PROXY", "false") == "true",
            supervision_phone: get("BIANMIN_SUPERVISION_PHONE", "0816-2000001"),
            center_address: get("BIANMIN_CENTER_ADDRESS", "（演示）普明街道便民服务中心"),
            booking: crate::rules::BookingRules {
                min_days_ahead: parse("BIANMIN_BOOK_MIN_DAYS_AHEAD", &get("BIANMIN_BOOK_MIN_DAYS_AHEAD", "1"))?,
                max_days_ahead: parse("BIANMIN_BOOK_MAX_DAYS_AHEAD", &get("BIANMIN_BOOK_MAX_DAYS_AHEAD", "7"))?,
                cancel_hours_before: parse("BIANMIN_CANCEL_HOURS_BEFORE", &get("BIANMIN_CANCEL_HOURS_BEFORE", "2"))?,
                no_show_limit: parse("BIANMIN_NO_SHOW_LIMIT", &get("BIANMIN_NO_SHOW_LIMIT", "2"))?,
                no_show_window_days: parse("BIANMIN_NO_SHOW_WINDOW_DAYS", &get("BIANMIN_NO_SHOW_WINDOW_DAYS", "30"))?,
                suspend_days: parse("BIANMIN_SUSPEND_DAYS", &get("BIANMIN_SUSPEND_DAYS", "30"))?,
            },
            feedback: crate::rules::FeedbackRules {
                rating_days: parse("BIANMIN_RATING_DAYS", &get("BIANMIN_RATING_DAYS", "15"))?,
                rectify_days: parse("BIANMIN_RECTIFY_WORKING_DAYS", &get("BIANMIN_RECTIFY_WORKING_DAYS", "15"))?,
                contact_days: parse("BIANMIN_FEEDBACK_CONTACT_DAYS", &get("BIANMIN_FEEDBACK_CONTACT_DAYS", "1"))?,
                reply_days: parse("BIANMIN_FEEDBACK_REPLY_DAYS", &get("BIANMIN_FEEDBACK_REPLY_DAYS", "5"))?,
                complex_days: parse("BIANMIN_FEEDBACK_COMPLEX_DAYS", &get("BIANMIN_FEEDBACK_COMPLEX_DAYS", "15"))?,
                per_hour: parse("BIANMIN_FEEDBACK_PER_HOUR", &get("BIANMIN_FEEDBACK_PER_HOUR", "5"))?,
            },
        })
    }

    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

fn invalid(name: &'static str, reason: String) -> ConfigError {
    ConfigError::Invalid { name, reason }
}

fn parse<T: std::str::FromStr>(name: &'static str, value: &str) -> Result<T, ConfigError>
where
    T::Err: fmt::Display,
{
    value.parse().map_err(|e: T::Err| invalid(name, e.to_string()))
}

fn decode_key(name: &'static str, hex: &str) -> Result<[u8; 32], ConfigError> {
    let hex = hex.trim();
    let bad = || invalid(name, "expected 64 hex characters (32 bytes)".to_owned());
    if hex.len() != 64 || !hex.is_ascii() {
        return Err(bad());
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(key)
}

/// In development a key is generated once and kept beside the database, so sessions
/// survive restarts without any setup.
fn development_secret(path: &Path) -> Result<[u8; 32], ConfigError> {
    let wrap = |source| ConfigError::SecretFile { path: path.to_owned(), source };
    if let Ok(existing) = std::fs::read_to_string(path) {
        return decode_key("development key file", &existing);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(wrap)?;
    }
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| wrap(std::io::Error::other(e.to_string())))?;
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(path, hex).map_err(wrap)?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn production_without_a_secret_refuses_to_start() {
        let err = config(&[("BIANMIN_ENV", "production")]).expect_err("must fail");
        assert!(err.to_string().contains("BIANMIN_SECRET_KEY is required"));
        let key = "ab".repeat(32);
        let err = config(&[("BIANMIN_ENV", "production"), ("BIANMIN_SECRET_KEY", &key)]).expect_err("must fail");
        assert!(err.to_string().contains("BIANMIN_DATA_KEY is required"));
    }

    #[test]
    fn development_generates_and_keeps_a_secret() {
        let dir = std::env::temp_dir().join(format!("bianmin-config-{}", std::process::id()));
        let dir_str = dir.display().to_string();
        let first = config(&[("BIANMIN_DATA_DIR", &dir_str)]).expect("config");
        let second = config(&[("BIANMIN_DATA_DIR", &dir_str)]).expect("config");
        assert_eq!(first.secret_key.expose(), second.secret_key.expose());
        assert!(first.database_url.starts_with("sqlite://"));
        assert_eq!(format!("{:?}", first.secret_key), "[redacted]");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn bad_values_are_named() {
        let err = config(&[("BIANMIN_SECRET_KEY", "abc")]).expect_err("must fail");
        assert!(err.to_string().contains("BIANMIN_SECRET_KEY"));
        let key = "ab".repeat(32);
        let err = config(&[("BIANMIN_SECRET_KEY", &key), ("BIANMIN_MAIL", "pigeon")]).expect_err("must fail");
        assert!(err.to_string().contains("BIANMIN_MAIL"));
    }
}
