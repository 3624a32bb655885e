//! Times as people here read them: China Standard Time (UTC+8, no daylight saving),
//! whatever the server's time zone.

use crate::i18n::Lang;
use chrono::{DateTime, Datelike, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

pub fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| unreachable!("+08:00 is a valid offset"))
}

/// `2026-11-25 08:07`
pub fn format_cst(at: DateTime<Utc>) -> String {
    at.with_timezone(&cst()).format("%Y-%m-%d %H:%M").to_string()
}

/// The first instant of a China Standard Time day.
pub fn cst_midnight(day: chrono::NaiveDate) -> DateTime<Utc> {
    let local = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    (local - chrono::Duration::hours(8)).and_utc()
}

/// Today in China, whatever the server's zone.
pub fn cst_today(now: DateTime<Utc>) -> chrono::NaiveDate {
    now.with_timezone(&cst()).date_naive()
}

/// The day of the week as people write it: 周四 / Thu.
pub fn weekday_text(day: chrono::NaiveDate, lang: Lang) -> &'static str {
    let index = day.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Zh => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][index],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][index],
    }
}

/// A day on the booking page: `11月26日 周四` / `Thu 26 Nov`.
pub fn day_label(day: chrono::NaiveDate, lang: Lang) -> String {
    let weekday = weekday_text(day, lang);
    match lang {
        Lang::Zh => format!("{}月{}日 {weekday}", day.month(), day.day()),
        Lang::En => format!("{weekday} {}", day.format("%-d %b")),
    }
}

/// When something happens (a booking's slot, a video meeting), written in the
/// reader's language at the moment the page is rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct When {
    pub starts: DateTime<Utc>,
    pub ends: Option<DateTime<Utc>>,
}

impl When {
    pub fn new(starts: DateTime<Utc>, ends: Option<DateTime<Utc>>) -> When {
        When { starts, ends }
    }

    /// `2026年11月26日（周四）09:00-09:30` / `Thu 2026-11-26 09:00-09:30`
    pub fn text(self, lang: Lang) -> String {
        let local = self.starts.with_timezone(&cst());
        let weekday = weekday_text(local.date_naive(), lang);
        let end = self.ends.map(|e| format!("-{}", e.with_timezone(&cst()).format("%H:%M"))).unwrap_or_default();
        match lang {
            Lang::Zh => format!("{}（{weekday}）{}{end}", local.format("%Y年%m月%d日"), local.format("%H:%M")),
            Lang::En => format!("{weekday} {}{end}", local.format("%Y-%m-%d %H:%M")),
        }
    }
}

/// `2026年11月26日（周四）09:00-09:30`, for emails and records written in Chinese.
pub fn when_text(starts: DateTime<Utc>, ends: Option<DateTime<Utc>>) -> String {
    When::new(starts, ends).text(Lang::Zh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_china_standard_time() {
        let at = DateTime::parse_from_rfc3339("2026-01-31T16:30:00Z").expect("time").with_timezone(&Utc);
        assert_eq!(format_cst(at), "2026-02-01 00:30");
    }

    #[test]
    fn a_time_reads_in_either_language() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&Utc);
        let when = When::new(at("2026-11-26T01:00:00Z"), Some(at("2026-11-26T01:30:00Z")));
        assert_eq!(when.text(Lang::Zh), "2026年11月26日（周四）09:00-09:30");
        assert_eq!(when.text(Lang::En), "Thu 2026-11-26 09:00-09:30");
    }
}
