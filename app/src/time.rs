//! Times as people here read them: China Standard Time (UTC+8, no daylight saving),
//! whatever the server's time zone.

use chrono::{DateTime, Datelike, FixedOffset, Utc};

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

/// `2026年11月26日（周四）09:00-09:30`
pub fn when_text(starts: DateTime<Utc>, ends: Option<DateTime<Utc>>) -> String {
    let local = starts.with_timezone(&cst());
    let weekday = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][local.weekday().num_days_from_monday() as usize];
    let end = ends.map(|e| format!("-{}", e.with_timezone(&cst()).format("%H:%M"))).unwrap_or_default();
    format!("{}（{weekday}）{}{end}", local.format("%Y年%m月%d日"), local.format("%H:%M"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_china_standard_time() {
        let at = DateTime::parse_from_rfc3339("2026-01-31T16:30:00Z").expect("time").with_timezone(&Utc);
        assert_eq!(format_cst(at), "2026-02-01 00:30");
    }
}
