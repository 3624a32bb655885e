use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A person's name as typed (姓名): trimmed, at most 30 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, Msg> {
        let name = input.trim();
        if name.is_empty() {
            return Err(Msg::ErrNameRequired);
        }
        if name.chars().count() > 30 || name.chars().any(char::is_control) {
            return Err(Msg::ErrNameTooLong);
        }
        Ok(PersonName(name.to_owned()))
    }

    pub fn parse_optional(input: &str) -> Result<Option<Self>, Msg> {
        if input.trim().is_empty() { Ok(None) } else { Self::parse(input).map(Some) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_limits() {
        assert_eq!(PersonName::parse("  王秀兰 ").map(|n| n.0), Ok("王秀兰".to_owned()));
        assert_eq!(PersonName::parse(" "), Err(Msg::ErrNameRequired));
        assert_eq!(PersonName::parse(&"张".repeat(31)), Err(Msg::ErrNameTooLong));
        assert_eq!(PersonName::parse_optional(""), Ok(None));
    }
}
