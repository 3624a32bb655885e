use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A mainland China mobile number (手机号), stored normalised as 11 digits.
///
/// Accepts the forms people type: spaces, dashes, and a `+86` / `86` / `0086` prefix.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<Self, Msg> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '\u{3000}')).collect();
        let digits = digits.strip_prefix('+').unwrap_or(&digits);
        let digits = if digits.len() == 15 && digits.starts_with("0086") {
            &digits[4..]
        } else if digits.len() == 13 && digits.starts_with("86") {
            &digits[2..]
        } else {
            digits
        };
        let valid =
            digits.len() == 11 && digits.bytes().all(|b| b.is_ascii_digit()) && digits.as_bytes()[0] == b'1' && (b'3'..=b'9').contains(&digits.as_bytes()[1]);
        if valid { Ok(PhoneNumber(digits.to_owned())) } else { Err(Msg::ErrPhoneInvalid) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****8000`, for lists and logs.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_ways_of_typing_a_number() {
        for input in ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "8613800138000", "008613800138000"] {
            assert_eq!(PhoneNumber::parse(input).map(|p| p.0), Ok("13800138000".to_owned()), "{input}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_mobile_number() {
        for input in ["", "1380013800", "138001380001", "12800138000", "23800138000", "1380013800a", "０１３８００１３８０００", "010-12345678"] {
            assert_eq!(PhoneNumber::parse(input), Err(Msg::ErrPhoneInvalid), "{input}");
        }
    }

    #[test]
    fn masks_the_middle_digits() {
        assert_eq!(PhoneNumber::parse("13800138000").map(|p| p.masked()), Ok("138****8000".to_owned()));
    }
}
