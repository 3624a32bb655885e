use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An email address (邮箱), checked for the shape `local@domain.tld`; lower-cased domain.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, Msg> {
        let input = input.trim();
        let (local, domain) = input.split_once('@').ok_or(Msg::ErrEmailInvalid)?;
        let labels_ok = domain.contains('.') && domain.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'));
        let local_ok = !local.is_empty() && local.len() <= 64 && !local.chars().any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"@\\".contains(c));
        if input.len() > 254 || !labels_ok || !local_ok {
            return Err(Msg::ErrEmailInvalid);
        }
        Ok(EmailAddress(format!("{local}@{}", domain.to_lowercase())))
    }

    /// Empty input means "no address".
    pub fn parse_optional(input: &str) -> Result<Option<Self>, Msg> {
        if input.trim().is_empty() { Ok(None) } else { Self::parse(input).map(Some) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalises() {
        assert_eq!(EmailAddress::parse(" Li.Ming@Example.COM ").map(|e| e.0), Ok("Li.Ming@example.com".to_owned()));
        assert_eq!(EmailAddress::parse_optional("  "), Ok(None));
    }

    #[test]
    fn refuses_malformed_addresses() {
        for input in ["li", "li@", "@example.com", "li@example", "li@exa mple.com", "l i@example.com", "li@example..com", "<li>@example.com"] {
            assert_eq!(EmailAddress::parse(input), Err(Msg::ErrEmailInvalid), "{input}");
        }
    }
}
