//! The working-day calendar (工作日历): weekends, China's official holidays and the
//! adjusted working days (调休) on which a Saturday or Sunday is worked.
//!
//! One module does all working-day arithmetic: which days take bookings, and later the
//! deadlines of cases (限时办结) and feedback. The data comes from the `holidays` table,
//! seeded from the State Council's notices (`app/data/cn-holidays-2025-2026.csv`).

#[cfg(feature = "ssr")]
use crate::i18n::{BookingReason, Common, Reason};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What the calendar says of a date that is not an ordinary weekday or weekend day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday: a day off even on a weekday.
    Holiday,
    /// An adjusted working day (调休): worked even on a weekend.
    Workday,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    pub fn parse(s: &str) -> Option<DayKind> {
        match s.trim() {
            "holiday" | "休" | "假" | "节假日" => Some(DayKind::Holiday),
            "workday" | "班" | "调休上班" | "补班" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

/// One entry of the calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The holiday it belongs to, e.g. 春节.
    pub name: String,
}

/// The official arrangements shipped with Bianmin, seeded into the database.
#[cfg(feature = "ssr")]
pub const OFFICIAL_CSV: &str = include_str!("../data/cn-holidays-2025-2026.csv");

/// Parses the calendar file layout `date,kind,name` with the `csv` crate (lines
/// starting with `#` are comments; a header line and a byte-order mark are allowed).
/// Every bad line is reported, each naming its line.
#[cfg(feature = "ssr")]
pub fn parse_csv(text: &str) -> Result<Vec<SpecialDay>, Vec<Reason>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).comment(Some(b'#')).trim(csv::Trim::All).from_reader(text.as_bytes());
    let (mut days, mut errors) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map_or(0, |p| p.line());
                errors.push(Reason::from(BookingReason::CalendarLineLayout).at_line(line as usize));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let cell = |i: usize| record.get(i).unwrap_or("").trim_start_matches('\u{feff}');
        if record.iter().all(str::is_empty) || cell(0) == "date" {
            continue;
        }
        let parsed = (|| -> Result<SpecialDay, Reason> {
            if record.len() < 2 {
                return Err(BookingReason::CalendarLineLayout.into());
            }
            let date = NaiveDate::parse_from_str(cell(0), "%Y-%m-%d").map_err(|_| Common::DateFormat)?;
            let kind = DayKind::parse(cell(1)).ok_or(BookingReason::CalendarDayKind)?;
            Ok(SpecialDay { date, kind, name: cell(2).to_owned() })
        })();
        match parsed {
            Ok(day) => days.push(day),
            Err(reason) => errors.push(reason.at_line(line as usize)),
        }
    }
    if errors.is_empty() { Ok(days) } else { Err(errors) }
}

/// The calendar in memory.
#[derive(Clone, Debug, Default)]
pub struct Calendar {
    special: HashMap<NaiveDate, DayKind>,
}

impl Calendar {
    pub fn new(days: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Calendar {
        Calendar { special: days.into_iter().collect() }
    }

    /// The official arrangements alone (for tests and for a database not yet seeded).
    #[cfg(feature = "ssr")]
    pub fn official() -> Calendar {
        Calendar::new(parse_csv(OFFICIAL_CSV).unwrap_or_default().into_iter().map(|d| (d.date, d.kind)))
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.special.get(&date) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The date `days` working days after `start`: the day count starts on the next
    /// day, so a 1-day limit accepted on Friday is due on Monday (or the next working
    /// day after a holiday). `days == 0` is `start` itself.
    pub fn add_working_days(&self, start: NaiveDate, days: u32) -> NaiveDate {
        let mut date = start;
        let mut left = days;
        while left > 0 {
            date += Duration::days(1);
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        date
    }

    /// Working days in `(from, to]`: how many of the days after `from` up to and
    /// including `to` are worked (0 when `to <= from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut count = 0;
        let mut date = from;
        while date < to {
            date += Duration::days(1);
            if self.is_working_day(date) {
                count += 1;
            }
        }
        count
    }
}

/// The calendar as the chief keeps it (the `holidays` table).
#[cfg(feature = "ssr")]
pub async fn load(db: &impl sea_orm::ConnectionTrait) -> Result<Calendar, crate::error::AppError> {
    use sea_orm::EntityTrait;
    Ok(from_rows(crate::ssr::entities::holiday::Entity::find().all(db).await?))
}

/// The calendar's entry for `day` alone: enough to tell whether that day is worked.
#[cfg(feature = "ssr")]
pub async fn load_day(db: &impl sea_orm::ConnectionTrait, day: NaiveDate) -> Result<Calendar, crate::error::AppError> {
    use crate::ssr::entities::holiday;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    Ok(from_rows(holiday::Entity::find().filter(holiday::Column::Day.eq(day)).all(db).await?))
}

#[cfg(feature = "ssr")]
fn from_rows(rows: Vec<crate::ssr::entities::holiday::Model>) -> Calendar {
    Calendar::new(rows.into_iter().filter_map(|r| Some((r.day, DayKind::parse(&r.kind)?))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn the_official_file_parses() {
        let days = parse_csv(OFFICIAL_CSV).expect("parses");
        assert!(days.len() > 60);
        assert!(days.iter().any(|day| day.date == d("2026-02-17") && day.kind == DayKind::Holiday && day.name == "春节"));
    }

    #[test]
    fn weekends_holidays_and_adjusted_working_days() {
        let cal = Calendar::official();
        assert!(cal.is_working_day(d("2026-11-25")), "an ordinary Wednesday");
        assert!(!cal.is_working_day(d("2026-11-28")), "an ordinary Saturday");
        assert!(!cal.is_working_day(d("2026-02-16")), "Spring Festival on a Monday");
        assert!(cal.is_working_day(d("2026-02-14")), "调休: Saturday worked before Spring Festival");
        assert!(cal.is_working_day(d("2026-02-28")), "调休: Saturday worked after it");
        assert!(cal.is_working_day(d("2026-01-04")), "调休: Sunday worked after New Year");
        assert!(!cal.is_working_day(d("2026-01-02")), "New Year holiday on a Friday");
    }

    #[test]
    fn adding_working_days_skips_the_spring_festival() {
        let cal = Calendar::official();
        // Friday 2026-02-13 + 1 working day: Saturday 02-14 is an adjusted working day.
        assert_eq!(cal.add_working_days(d("2026-02-13"), 1), d("2026-02-14"));
        // Saturday 02-14 + 1: the holiday runs 02-15..02-23, so Tuesday 02-24.
        assert_eq!(cal.add_working_days(d("2026-02-14"), 1), d("2026-02-24"));
        // 5 working days from 02-12 (Thu): 02-13, 02-14, 02-24, 02-25, 02-26.
        assert_eq!(cal.add_working_days(d("2026-02-12"), 5), d("2026-02-26"));
        // Across a 调休 Saturday at month end: 02-27 (Fri) + 1 = 02-28 (Sat, worked).
        assert_eq!(cal.add_working_days(d("2026-02-27"), 1), d("2026-02-28"));
        assert_eq!(cal.add_working_days(d("2026-11-25"), 0), d("2026-11-25"));
    }

    #[test]
    fn adding_working_days_over_weekends_and_new_year() {
        let cal = Calendar::official();
        assert_eq!(cal.add_working_days(d("2026-11-27"), 1), d("2026-11-30"), "Friday + 1 is Monday");
        // 2025-12-31 (Wed) + 1: 2026-01-01..03 off, Sunday 01-04 worked.
        assert_eq!(cal.add_working_days(d("2025-12-31"), 1), d("2026-01-04"));
        assert_eq!(cal.add_working_days(d("2025-12-31"), 2), d("2026-01-05"));
    }

    #[test]
    fn counting_working_days_agrees_with_adding_them() {
        let cal = Calendar::official();
        let start = d("2026-01-20");
        for n in 0..60 {
            let due = cal.add_working_days(start, n);
            assert_eq!(cal.working_days_between(start, due), n, "{n}");
        }
        assert_eq!(cal.working_days_between(d("2026-02-14"), d("2026-02-24")), 1);
        assert_eq!(cal.working_days_between(d("2026-02-24"), d("2026-02-14")), 0);
    }

    #[test]
    fn bad_calendar_lines_name_their_line() {
        let errors = parse_csv("date,kind,name\n2026-13-01,holiday,x").expect_err("refused");
        assert_eq!(errors, [Reason::from(Common::DateFormat).at_line(2)]);
        assert_eq!(errors[0].zh(), "第2行：日期应为 2026-01-01 这样的格式");
        assert_eq!(parse_csv("2026-10-01,party,x").expect_err("refused"), [Reason::from(BookingReason::CalendarDayKind).at_line(1)]);
        assert_eq!(parse_csv("# c\n2026-10-01,班,国庆").expect("ok")[0].kind, DayKind::Workday);
        assert_eq!(parse_csv("\u{feff}date,kind,name\n2026-10-01,holiday,\"国庆, 中秋\"").expect("ok")[0].name, "国庆, 中秋");
        let errors = parse_csv("2026-10-01,holiday,a\nnot-a-date,holiday,b\n2026-10-03\n2026-10-04,party,c").expect_err("refused");
        assert_eq!(errors.len(), 3, "every bad line: {errors:?}");
        let texts: Vec<String> = errors.iter().map(Reason::zh).collect();
        assert!(texts[0].starts_with("第2行") && texts[1].starts_with("第3行") && texts[2].starts_with("第4行"), "{texts:?}");
    }
}
