use crate::i18n::Msg;
use std::fmt;

/// Words and patterns too easy to guess (a short list of the most used passwords,
/// Chinese favourites included). Compared case-insensitively.
const COMMON: &str = include_str!("common_passwords.txt");

/// A password that passed the policy: 8 to 128 characters, not a common password,
/// not the phone number. Never serialised, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(input: &str, phone: Option<&str>) -> Result<Self, Msg> {
        let len = input.chars().count();
        if len < 8 {
            return Err(Msg::ErrPasswordShort);
        }
        if len > 128 {
            return Err(Msg::ErrPasswordLong);
        }
        if phone.is_some_and(|p| input.contains(p)) {
            return Err(Msg::ErrPasswordIsPhone);
        }
        if is_common(input) {
            return Err(Msg::ErrPasswordCommon);
        }
        Ok(Password(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

fn is_common(input: &str) -> bool {
    let lower = input.to_lowercase();
    let first = lower.chars().next();
    let one_repeated_char = lower.chars().all(|c| Some(c) == first);
    let runs_of_digits = lower.bytes().all(|b| b.is_ascii_digit()) && lower.as_bytes().windows(2).all(|w| w[1] == w[0] + 1 || w[1] + 1 == w[0]);
    one_repeated_char || runs_of_digits || COMMON.lines().any(|line| line.trim() == lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_short_common_and_phone_passwords() {
        assert_eq!(Password::parse("abc123", None), Err(Msg::ErrPasswordShort));
        assert_eq!(Password::parse("password", None), Err(Msg::ErrPasswordCommon));
        assert_eq!(Password::parse("PassWord", None), Err(Msg::ErrPasswordCommon));
        assert_eq!(Password::parse("woaini1314", None), Err(Msg::ErrPasswordCommon));
        assert_eq!(Password::parse("88888888", None), Err(Msg::ErrPasswordCommon));
        assert_eq!(Password::parse("23456789", None), Err(Msg::ErrPasswordCommon));
        assert_eq!(Password::parse("13800138000", Some("13800138000")), Err(Msg::ErrPasswordIsPhone));
        assert_eq!(Password::parse(&"x".repeat(129), None), Err(Msg::ErrPasswordLong));
    }

    #[test]
    fn accepts_a_reasonable_password_and_hides_it() {
        let pw = Password::parse("青山绿水2025", None).expect("valid");
        assert_eq!(pw.expose(), "青山绿水2025");
        assert_eq!(format!("{pw:?}"), "Password([redacted])");
    }
}
