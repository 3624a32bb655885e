use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A case number (办件编号) such as `BM20261130-0007`: the day the case was started
/// (China time) and its sequence on that day.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CaseNumber(String);

impl CaseNumber {
    pub fn new(day: chrono::NaiveDate, seq: u32) -> Self {
        CaseNumber(format!("BM{}-{seq:04}", day.format("%Y%m%d")))
    }

    pub fn parse(input: &str) -> Result<Self, Msg> {
        let text = input.trim().to_ascii_uppercase();
        let valid = text.len() >= 15
            && text.len() <= 17
            && text.starts_with("BM")
            && text.as_bytes()[10] == b'-'
            && text[2..10].bytes().all(|b| b.is_ascii_digit())
            && text[11..].bytes().all(|b| b.is_ascii_digit())
            && chrono::NaiveDate::parse_from_str(&text[2..10], "%Y%m%d").is_ok();
        if valid { Ok(CaseNumber(text)) } else { Err(Msg::ErrCaseNumberInvalid) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_carry_the_day_and_sequence() {
        let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 14).expect("date");
        assert_eq!(CaseNumber::new(day, 7).as_str(), "BM20250114-0007");
        assert_eq!(CaseNumber::parse(" bm20250114-0007 ").map(|n| n.0), Ok("BM20250114-0007".to_owned()));
        assert_eq!(CaseNumber::parse("BM20250114-12345").map(|n| n.0), Ok("BM20250114-12345".to_owned()));
    }

    #[test]
    fn refuses_other_text() {
        for input in ["", "BM2025011-0007", "BM20251314-0007", "XX20250114-0007", "BM20250114_0007", "BM20250114-00a7", "BM20250114-"] {
            assert!(CaseNumber::parse(input).is_err(), "{input}");
        }
    }
}
