use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A number that names the day it was given out (China time) and its sequence on that
/// day, after a two-letter prefix: `BM20261130-0007`. Case and feedback numbers share
/// the form and the daily sequence table; each has its own prefix.
fn daily_number(prefix: &str, input: &str) -> Option<String> {
    let text = input.trim().to_ascii_uppercase();
    let valid = text.len() >= 15
        && text.len() <= 17
        && text.starts_with(prefix)
        && text.as_bytes()[10] == b'-'
        && text[2..10].bytes().all(|b| b.is_ascii_digit())
        && text[11..].bytes().all(|b| b.is_ascii_digit())
        && chrono::NaiveDate::parse_from_str(&text[2..10], "%Y%m%d").is_ok();
    valid.then_some(text)
}

macro_rules! daily_number_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $invalid:expr) => {
        $(#[$doc])*
        /// As a server function's argument it is checked while the request is read, so a
        /// malformed number never reaches a service.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn new(day: chrono::NaiveDate, seq: u32) -> Self {
                $name(format!(concat!($prefix, "{}-{:04}"), day.format("%Y%m%d"), seq))
            }

            pub fn parse(input: &str) -> Result<Self, Msg> {
                daily_number($prefix, input).map($name).ok_or($invalid)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = &'static str;

            fn try_from(text: String) -> Result<Self, Self::Error> {
                $name::parse(&text).map_err(|_| concat!("not a ", stringify!($name)))
            }
        }

        impl From<$name> for String {
            fn from(number: $name) -> String {
                number.0
            }
        }
    };
}

daily_number_type!(
    /// A case number (办件编号) such as `BM20261130-0007`.
    CaseNumber,
    "BM",
    Msg::ErrCaseNumberInvalid
);

daily_number_type!(
    /// A feedback number (投诉建议编号) such as `YJ20261130-0007`.
    FeedbackNumber,
    "YJ",
    Msg::ErrFeedbackNumberInvalid
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_carry_the_day_and_sequence() {
        let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 14).expect("date");
        assert_eq!(CaseNumber::new(day, 7).as_str(), "BM20250114-0007");
        assert_eq!(FeedbackNumber::new(day, 12).as_str(), "YJ20250114-0012");
        assert_eq!(CaseNumber::parse(" bm20250114-0007 ").map(|n| n.0), Ok("BM20250114-0007".to_owned()));
        assert_eq!(CaseNumber::parse("BM20250114-12345").map(|n| n.0), Ok("BM20250114-12345".to_owned()));
        assert_eq!(FeedbackNumber::parse("yj20250114-0001").map(|n| n.0), Ok("YJ20250114-0001".to_owned()));
    }

    #[test]
    fn refuses_other_text() {
        for input in ["", "BM2025011-0007", "BM20251314-0007", "XX20250114-0007", "BM20250114_0007", "BM20250114-00a7", "BM20250114-", "YJ20250114-0007"] {
            assert!(CaseNumber::parse(input).is_err(), "{input}");
        }
        assert!(FeedbackNumber::parse("BM20250114-0007").is_err());
    }

    #[test]
    fn a_malformed_number_does_not_deserialize() {
        assert_eq!(serde_json::from_str::<CaseNumber>("\"bm20250114-0007\"").ok(), CaseNumber::parse("BM20250114-0007").ok());
        assert!(serde_json::from_str::<CaseNumber>("\"BM-1\"").is_err());
        assert!(serde_json::from_str::<FeedbackNumber>("\"BM20250114-0007\"").is_err());
        assert_eq!(serde_json::to_string(&FeedbackNumber::parse("YJ20250114-0007").expect("valid")).ok().as_deref(), Some("\"YJ20250114-0007\""));
    }
}
