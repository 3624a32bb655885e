//! Oversight (监督): the figures the center is judged by (DESIGN.md §5), one definition
//! each, over a chosen period; the chief's dashboard with charts (a read-only copy of
//! their own figures for clerks and handlers); the records behind each figure, each
//! saying why it counts; and the live figures of the public 四个公开 page.

pub mod charts;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::ratings::{RatingFigures, percent};
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A period by name; the dashboard opens on this month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    #[default]
    ThisMonth,
    LastMonth,
    ThisQuarter,
    ThisYear,
}

impl Preset {
    pub const ALL: [Preset; 4] = [Preset::ThisMonth, Preset::LastMonth, Preset::ThisQuarter, Preset::ThisYear];

    pub fn as_str(self) -> &'static str {
        match self {
            Preset::ThisMonth => "this_month",
            Preset::LastMonth => "last_month",
            Preset::ThisQuarter => "this_quarter",
            Preset::ThisYear => "this_year",
        }
    }

    pub fn parse(text: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.as_str() == text)
    }

    pub fn label(self) -> Msg {
        match self {
            Preset::ThisMonth => Msg::PresetThisMonth,
            Preset::LastMonth => Msg::PresetLastMonth,
            Preset::ThisQuarter => Msg::PresetThisQuarter,
            Preset::ThisYear => Msg::PresetThisYear,
        }
    }

    /// The first and last day (both counted) of the period that holds `today`.
    pub fn range(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let first_of = |year: i32, month: u32| NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(today);
        let month_start = first_of(today.year(), today.month());
        let next_month = |start: NaiveDate| if start.month() == 12 { first_of(start.year() + 1, 1) } else { first_of(start.year(), start.month() + 1) };
        match self {
            Preset::ThisMonth => (month_start, next_month(month_start) - Duration::days(1)),
            Preset::LastMonth => {
                let last_end = month_start - Duration::days(1);
                (first_of(last_end.year(), last_end.month()), last_end)
            }
            Preset::ThisQuarter => {
                let start = first_of(today.year(), (today.month() - 1) / 3 * 3 + 1);
                let end = next_month(next_month(next_month(start))) - Duration::days(1);
                (start, end)
            }
            Preset::ThisYear => (first_of(today.year(), 1), first_of(today.year() + 1, 1) - Duration::days(1)),
        }
    }
}

/// The period a figure is counted over: its first and last day (China time, both
/// counted), and the preset it came from, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub preset: Option<Preset>,
}

impl Period {
    /// A preset, or `from`–`to` typed by hand (`YYYY-MM-DD`); this month when neither
    /// is given. A range backwards or over two years is refused.
    pub fn choose(preset: Option<Preset>, from: Option<&str>, to: Option<&str>, today: NaiveDate) -> Result<Period, AppError> {
        use crate::i18n::Common;
        let parse = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| AppError::refused(Common::DateFormat));
        match (from.filter(|f| !f.trim().is_empty()), to.filter(|t| !t.trim().is_empty())) {
            (Some(from), Some(to)) => {
                let (from, to) = (parse(from)?, parse(to)?);
                if to < from {
                    return Err(AppError::refused(Common::EndBeforeStart));
                }
                if to - from > Duration::days(731) {
                    return Err(AppError::refused(Common::RangeTooLong));
                }
                Ok(Period { from, to, preset: None })
            }
            _ => {
                let preset = preset.unwrap_or_default();
                let (from, to) = preset.range(today);
                Ok(Period { from, to, preset: Some(preset) })
            }
        }
    }

    /// The query string that names this period on a link.
    pub fn query(&self) -> String {
        match self.preset {
            Some(p) => format!("preset={}", p.as_str()),
            None => format!("from={}&to={}", self.from, self.to),
        }
    }
}

/// The figures over a period (DESIGN.md §5), as counts; the rates are computed from
/// them, so a number on screen can be checked against its records.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Cases completed in the period, and of those the ones completed by their deadline.
    pub completed: u64,
    pub completed_on_time: u64,
    /// 主动评价率 and 满意率, with the rating distribution.
    pub ratings: RatingFigures,
    /// Window visits served (现场办件) and the working days of the period so far.
    pub visits: u64,
    pub working_days: u64,
    /// Online cases accepted by a window in the period (网上办件受理).
    pub cases_accepted: u64,
    /// Bookings for days in the period, checked in, and no-shows.
    pub bookings: u64,
    pub check_ins: u64,
    pub no_shows: u64,
    /// Tickets called in the period and their total wait from ticket to call.
    pub calls: u64,
    pub wait_seconds: u64,
    /// Feedback received; replied (of all feedback due in the period) and replied by
    /// the reply deadline; open past its deadline now.
    pub feedback_received: u64,
    pub feedback_due: u64,
    pub feedback_on_time: u64,
    pub feedback_overdue: u64,
    /// Rectifications due in the period, and those fixed by their deadline.
    pub rectifications_due: u64,
    pub rectifications_on_time: u64,
    /// 一次性告知 second notices (a notice beyond the first) asked in the period.
    pub second_notices: u64,
    /// Cases filed through a station (帮办代办) in the period.
    pub assisted: u64,
}

impl Figures {
    /// 按时办结率 in percent.
    pub fn on_time_rate(&self) -> Option<f64> {
        percent(self.completed_on_time, self.completed)
    }

    /// Window visits per working day, one decimal.
    pub fn visits_per_day(&self) -> Option<f64> {
        (self.working_days > 0).then(|| (self.visits as f64 * 10.0 / self.working_days as f64).round() / 10.0)
    }

    /// Average wait from ticket to call, in whole minutes.
    pub fn average_wait_minutes(&self) -> Option<u64> {
        (self.calls > 0).then(|| (self.wait_seconds as f64 / self.calls as f64 / 60.0).round() as u64)
    }

    /// Feedback replied on time, in percent of feedback due.
    pub fn feedback_on_time_rate(&self) -> Option<f64> {
        percent(self.feedback_on_time, self.feedback_due)
    }

    /// Rectifications fixed on time, in percent of those due.
    pub fn rectification_rate(&self) -> Option<f64> {
        percent(self.rectifications_on_time, self.rectifications_due)
    }
}

/// A percentage as shown ("96.1%"), or a dash with nothing to count.
pub fn pct(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}%"))
}

/// One line of a breakdown: cases completed, on time and rated, for one item,
/// category, station, window or staff member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub label: String,
    pub completed: u64,
    pub on_time: u64,
    pub rated: u64,
    /// Visits served (windows and staff) or cases filed (stations).
    pub other: u64,
}

impl Row {
    /// An empty line for `label`, to count into.
    pub fn named(label: &str) -> Row {
        Row { label: label.to_owned(), completed: 0, on_time: 0, rated: 0, other: 0 }
    }
}

/// One day of the trend lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayPoint {
    pub day: NaiveDate,
    pub completed: u64,
    pub visits: u64,
}

/// An open case by how close its deadline is (the deadline heat list).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueRow {
    pub number: String,
    pub item_name: String,
    pub deadline: NaiveDate,
    /// Working days left (negative: overdue).
    pub days_left: i64,
}

/// Whose figures the dashboard shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// The whole center (the chief).
    Center,
    /// One staff member's own (a clerk or handler), by name.
    Own(String),
}

/// Everything the dashboard shows for a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub period: Period,
    pub scope: Scope,
    pub figures: Figures,
    pub daily: Vec<DayPoint>,
    pub by_item: Vec<Row>,
    pub by_category: Vec<Row>,
    pub by_station: Vec<Row>,
    pub by_window: Vec<Row>,
    pub by_staff: Vec<Row>,
    pub due: Vec<DueRow>,
}

/// A figure whose records can be listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// Completed cases: on time or how late.
    OnTime,
    /// Completed cases: rated or not.
    Evaluation,
    /// Feedback due in the period: replied on time, late, or not yet.
    FeedbackOnTime,
    /// Bookings for days in the period that were not kept.
    NoShows,
}

impl Figure {
    pub const ALL: [Figure; 4] = [Figure::OnTime, Figure::Evaluation, Figure::FeedbackOnTime, Figure::NoShows];

    pub fn as_str(self) -> &'static str {
        match self {
            Figure::OnTime => "on_time",
            Figure::Evaluation => "evaluation",
            Figure::FeedbackOnTime => "feedback_on_time",
            Figure::NoShows => "no_shows",
        }
    }

    pub fn parse(text: &str) -> Option<Figure> {
        Figure::ALL.into_iter().find(|f| f.as_str() == text)
    }

    pub fn label(self) -> Msg {
        match self {
            Figure::OnTime => Msg::FigOnTime,
            Figure::Evaluation => Msg::FigEvaluation,
            Figure::FeedbackOnTime => Msg::FigFeedbackOnTime,
            Figure::NoShows => Msg::FigNoShows,
        }
    }
}

/// Why a record counts towards its figure, or not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Why {
    /// Completed on `completed`, by its deadline.
    OnTime {
        deadline: NaiveDate,
        completed: NaiveDate,
    },
    /// Completed `days` working days after its deadline.
    Late {
        deadline: NaiveDate,
        completed: NaiveDate,
        days: u32,
    },
    /// Rated by the resident (or on paper through a helper).
    Rated {
        on_paper: bool,
    },
    NotRated,
    /// Feedback replied on `replied`, by the reply deadline.
    RepliedOnTime {
        due: NaiveDate,
        replied: NaiveDate,
    },
    RepliedLate {
        due: NaiveDate,
        replied: NaiveDate,
    },
    NotReplied {
        due: NaiveDate,
    },
    /// A booking not kept.
    NoShow {
        day: NaiveDate,
    },
}

impl Why {
    /// The reason in the reader's language.
    pub fn text(&self, lang: Lang) -> String {
        let t = |m: Msg| m.text(lang);
        match self {
            Why::OnTime { deadline, completed } => format!("{} {deadline} · {} {completed}", t(Msg::WhyDeadline), t(Msg::WhyCompleted)),
            Why::Late { deadline, completed, days } => {
                format!("{} {deadline} · {} {completed} · {} {days} {}", t(Msg::WhyDeadline), t(Msg::WhyCompleted), t(Msg::WhyLate), t(Msg::DashWorkingDays))
            }
            Why::Rated { on_paper: false } => t(Msg::WhyRated).to_owned(),
            Why::Rated { on_paper: true } => t(Msg::WhyRatedOnPaper).to_owned(),
            Why::NotRated => t(Msg::WhyNotRated).to_owned(),
            Why::RepliedOnTime { due, replied } | Why::RepliedLate { due, replied } => {
                format!("{} {due} · {} {replied}", t(Msg::WhyReplyDue), t(Msg::WhyReplied))
            }
            Why::NotReplied { due } => format!("{} {due} · {}", t(Msg::WhyReplyDue), t(Msg::WhyNotReplied)),
            Why::NoShow { day } => format!("{} {day}", t(Msg::WhyNoShow)),
        }
    }
}

/// One record behind a figure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRow {
    /// The case or feedback number, or the booking code.
    pub key: String,
    /// Where the record opens in the console, when it has a page there.
    pub href: Option<String>,
    pub label: String,
    /// Counts towards the figure's numerator (on time, rated, replied on time).
    pub counts: bool,
    pub why: Why,
}

/// The records behind one figure over a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureRecords {
    pub figure: Figure,
    pub period: Period,
    pub rows: Vec<RecordRow>,
}

/// The headline figures of the public page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    pub completed: u64,
    pub completed_on_time: u64,
    pub ratings: RatingFigures,
}

impl Headline {
    pub fn on_time_rate(&self) -> Option<f64> {
        percent(self.completed_on_time, self.completed)
    }
}

/// This year's and this month's headline figures, for anyone (四个公开).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicFigures {
    pub year: Headline,
    pub month: Headline,
}

// ---- server functions ----------------------------------------------------------------

/// The dashboard over a preset period or `from`–`to`: the whole center for the
/// chief, their own figures for a clerk or handler.
#[server(endpoint = "dashboard")]
pub async fn get_dashboard(preset: Option<Preset>, from: Option<String>, to: Option<String>) -> Result<Dashboard, AppError> {
    use crate::domain::Role;
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[Role::Chief, Role::Clerk, Role::Handler]).await?;
            let state = auth::state()?;
            let now = chrono::Utc::now();
            let period = Period::choose(preset, from.as_deref(), to.as_deref(), crate::time::cst_today(now))?;
            service::dashboard(&state.db, &user, period, now).await
        }
        .await,
    )
}

/// The records behind one figure, each with why it counts or not.
#[server(endpoint = "figure_records")]
pub async fn get_figure_records(figure: Figure, preset: Option<Preset>, from: Option<String>, to: Option<String>) -> Result<FigureRecords, AppError> {
    use crate::domain::Role;
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[Role::Chief, Role::Clerk, Role::Handler]).await?;
            let state = auth::state()?;
            let period = Period::choose(preset, from.as_deref(), to.as_deref(), crate::time::cst_today(chrono::Utc::now()))?;
            service::records(&state.db, &user, figure, period).await
        }
        .await,
    )
}

/// The live headline figures of the public page; no login.
#[server(endpoint = "public_figures")]
pub async fn get_public_figures() -> Result<PublicFigures, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            service::public_figures(&state.db, chrono::Utc::now()).await
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn presets_cover_their_calendar_period() {
        let today = day(2026, 12, 6);
        assert_eq!(Preset::ThisMonth.range(today), (day(2026, 12, 1), day(2026, 12, 31)));
        assert_eq!(Preset::LastMonth.range(today), (day(2026, 11, 1), day(2026, 11, 30)));
        assert_eq!(Preset::ThisQuarter.range(today), (day(2026, 10, 1), day(2026, 12, 31)));
        assert_eq!(Preset::ThisYear.range(today), (day(2026, 1, 1), day(2026, 12, 31)));
        assert_eq!(Preset::LastMonth.range(day(2026, 1, 15)), (day(2025, 12, 1), day(2025, 12, 31)));
        assert_eq!(Preset::ThisQuarter.range(day(2026, 5, 31)), (day(2026, 4, 1), day(2026, 6, 30)));
        assert_eq!(Preset::ThisMonth.range(day(2028, 2, 10)), (day(2028, 2, 1), day(2028, 2, 29)));
    }

    #[test]
    fn a_typed_range_must_run_forwards_and_stay_short() {
        let today = day(2026, 12, 6);
        let typed = Period::choose(None, Some("2026-03-01"), Some("2026-03-31"), today).expect("range");
        assert_eq!((typed.from, typed.to, typed.preset), (day(2026, 3, 1), day(2026, 3, 31), None));
        assert_eq!(typed.query(), "from=2026-03-01&to=2026-03-31");
        assert!(Period::choose(None, Some("2026-03-31"), Some("2026-03-01"), today).is_err());
        assert!(Period::choose(None, Some("2020-01-01"), Some("2026-03-01"), today).is_err());
        assert!(Period::choose(None, Some("2026-13-01"), Some("2026-03-01"), today).is_err());
        let default = Period::choose(None, None, Some(""), today).expect("default");
        assert_eq!((default.from, default.preset), (day(2026, 12, 1), Some(Preset::ThisMonth)));
    }

    #[test]
    fn rates_come_from_the_counts() {
        let f = Figures { completed: 8, completed_on_time: 7, visits: 50, working_days: 4, calls: 3, wait_seconds: 600, ..Figures::default() };
        assert_eq!(f.on_time_rate(), Some(87.5));
        assert_eq!(f.visits_per_day(), Some(12.5));
        assert_eq!(f.average_wait_minutes(), Some(3));
        assert_eq!(Figures::default().on_time_rate(), None);
        assert_eq!(pct(None), "—");
        assert_eq!(pct(Some(96.14)), "96.1%");
    }
}
