use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An 18-character resident ID number (居民身份证号码), GB 11643-1999: 17 digits
/// (region, birth date, sequence) and a check character, `0`–`9` or `X`.
///
/// It does not derive `Serialize` of its own accord into logs: use [`IdCardNumber::masked`]
/// anywhere a person may see it who need not see all of it.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IdCardNumber(String);

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

impl IdCardNumber {
    pub fn parse(input: &str) -> Result<Self, Msg> {
        let text: String = input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        let bytes = text.as_bytes();
        if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) || !(bytes[17].is_ascii_digit() || bytes[17] == b'X') {
            return Err(Msg::ErrIdNumberInvalid);
        }
        let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
        let (year, month, day) = (number(6..10), number(10..12), number(12..14));
        if !(1900..=2100).contains(&year) || chrono::NaiveDate::from_ymd_opt(year as i32, month, day).is_none() {
            return Err(Msg::ErrIdNumberInvalid);
        }
        let sum: u32 = bytes[..17].iter().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
        if CHECK[(sum % 11) as usize] != bytes[17] {
            return Err(Msg::ErrIdNumberChecksum);
        }
        Ok(IdCardNumber(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `5107**********1234`: lists, the timeline and logs show only this.
    pub fn masked(&self) -> String {
        format!("{}**********{}", &self.0[..4], &self.0[14..])
    }

    /// The last four characters, used in the public status lookup.
    pub fn last_four(&self) -> &str {
        &self.0[14..]
    }
}

impl fmt::Debug for IdCardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdCardNumber({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_numbers_with_their_check_character() {
        // The standard's own example, and one ending in a digit.
        assert_eq!(IdCardNumber::parse("11010519491231002X").map(|n| n.masked()), Ok("1101**********002X".to_owned()));
        assert!(IdCardNumber::parse("11010519491231002x").is_ok(), "lower-case x");
        assert!(IdCardNumber::parse(" 320102 19650315 1231 ").is_ok(), "spaces are ignored");
    }

    #[test]
    fn refuses_a_wrong_check_character() {
        assert_eq!(IdCardNumber::parse("110105194912310021"), Err(Msg::ErrIdNumberChecksum));
        assert_eq!(IdCardNumber::parse("510722198001010011"), Err(Msg::ErrIdNumberChecksum));
    }

    #[test]
    fn refuses_what_is_not_an_id_number() {
        for input in [
            "",
            "11010519491231002",
            "1101051949123100200",
            "11010519491331002X",
            "11010518000101002X",
            "X1010519491231002X",
            "110105194912310 2X",
            "１１０１０５１９４９１２３１００２Ｘ",
        ] {
            assert_eq!(IdCardNumber::parse(input), Err(Msg::ErrIdNumberInvalid), "{input}");
        }
    }

    #[test]
    fn debug_output_is_masked() {
        let n = IdCardNumber::parse("11010519491231002X").expect("valid");
        assert!(!format!("{n:?}").contains("19491231"));
    }
}
