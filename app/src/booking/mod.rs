//! Appointment booking (预约): days and slots derived from schedules and the working-day
//! calendar, booking under the rules of DESIGN.md §4, 我的预约, cancelling, and the
//! confirmation with its code, QR code and calendar file.

#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
pub mod schedule_pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod station;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::rules::BookingRules;

pub use crate::domain::Channel;

pub use crate::domain::BookingStatus as Status;

/// A day in the booking window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayOption {
    /// `2026-11-26`
    pub date: String,
    pub day: chrono::NaiveDate,
    /// Open for bookings (a working day on the schedule).
    pub open: bool,
    /// Places left over the day's slots.
    pub left: i32,
}

/// A slot as the resident picks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotOption {
    pub id: i32,
    /// `09:00-09:30`, China Standard Time.
    pub time: String,
    pub left: i32,
}

/// Everything the booking page needs for one item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingOptions {
    pub item_code: String,
    pub item_name: String,
    pub days: Vec<DayOption>,
    pub stations: Vec<crate::domain::Choice>,
    /// After a first no-show: the warning to show.
    pub warning: Option<crate::i18n::Reason>,
    /// While online booking is suspended: why and until when.
    pub suspended: Option<crate::i18n::Reason>,
    pub rules: BookingRules,
    /// A fresh one-time key for this form (idempotency of the submission).
    pub key: String,
    /// The resident a helper books for.
    pub for_resident: Option<i32>,
    /// The resident's booking fell on a day made a holiday: they may book further ahead.
    pub rebook: bool,
}

/// A schedule as the chief writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleInput {
    pub name: String,
    pub window_id: Option<i32>,
    /// ISO weekday digits, e.g. `12345`.
    pub weekdays: String,
    /// e.g. `09:00-12:00,13:30-17:00`
    pub periods: String,
    pub slot_minutes: i32,
    pub capacity: i32,
    /// Item codes, space-separated.
    pub item_codes: String,
}

/// A schedule on the chief's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleRow {
    pub id: i32,
    pub input: ScheduleInput,
    pub active: bool,
}

/// A service window on the chief's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowRow {
    pub id: i32,
    pub name: String,
    pub clerk_id: Option<i32>,
    pub active: bool,
}

/// One special day of the calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRow {
    pub date: String,
    /// `holiday` or `workday`.
    pub kind: String,
    pub name: String,
}

/// The chief's 排班与日历 page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleAdmin {
    pub schedules: Vec<ScheduleRow>,
    pub windows: Vec<WindowRow>,
    pub clerks: Vec<crate::domain::Choice>,
    /// From a month ago on.
    pub holidays: Vec<HolidayRow>,
    /// Bookings taken for days since made holidays (never marked no-show).
    pub affected: Vec<AffectedBooking>,
}

/// A live booking on a day the calendar now says is closed: taken before the day was
/// made a holiday. The chief contacts these residents (排班与日历).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedBooking {
    pub code: String,
    pub resident: String,
    pub phone: String,
    pub item_name: String,
    pub day: String,
    pub starts_at: String,
    /// Marked a no-show before the job learnt to skip closed days.
    pub no_show: bool,
    /// The resident has been sent the notice.
    pub notified: bool,
}

/// A booking on a station's list for the day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationBooking {
    pub code: String,
    pub resident: String,
    pub item_name: String,
    pub when: String,
    pub status: Status,
    pub absent: bool,
    pub can_check_in: bool,
    pub can_mark_absent: bool,
    pub can_serve: bool,
}

/// 今日到站预约 of the helper's station.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationDay {
    pub station: String,
    pub day: String,
    pub bookings: Vec<StationBooking>,
}

/// A booking as its resident (or staff) sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingView {
    /// 由「站名」帮办员「姓名」代办, when a helper booked it.
    pub assisted_by: Option<String>,
    pub code: String,
    pub item_code: String,
    pub item_name: String,
    pub when: crate::time::When,
    pub day: String,
    pub channel: Channel,
    pub station: Option<String>,
    pub status: Status,
    pub can_cancel: bool,
    pub upcoming: bool,
    pub address: String,
    /// What to bring: each material with how it is handed in.
    pub materials: Vec<(String, crate::guides::Requirement)>,
    pub video_link: Option<String>,
    pub video_at: Option<crate::time::When>,
    /// The check-in QR code as an SVG document (the code itself, for the scanner).
    pub qr_svg: String,
}

/// 我的预约: upcoming first, then past and cancelled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyBookings {
    pub upcoming: Vec<BookingView>,
    pub past: Vec<BookingView>,
}

/// The booking page's data for an item: the days in the booking window and the
/// resident's standing. Residents only.
#[server(endpoint = "booking_options")]
pub async fn get_booking_options(code: String, for_resident: Option<i32>) -> Result<BookingOptions, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let now = chrono::Utc::now();
            let resident = station::booker(&state, &code, for_resident, now).await?;
            let options = service::options(&state.db, &state.config.booking, resident, &code, now).await?;
            Ok(BookingOptions { for_resident, ..options })
        }
        .await,
    )
}

/// The slots of one day for an item, with places left. Residents only.
#[server(endpoint = "booking_slots")]
pub async fn day_slots(code: String, day: String, for_resident: Option<i32>) -> Result<Vec<SlotOption>, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let now = chrono::Utc::now();
            let resident = station::booker(&state, &code, for_resident, now).await?;
            service::day_slots_for(&state.db, &state.config.booking, resident, &code, &day, now).await
        }
        .await,
    )
}

/// Books a slot. `key` is the form's one-time submission key: a double tap or a retry
/// with the same key returns the first booking instead of making a second.
#[server(endpoint = "book")]
pub async fn book(code: String, slot: String, channel: String, station: String, key: String, for_resident: Option<i32>) -> Result<String, AppError> {
    use crate::domain::Role;
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[Role::Resident, Role::Helper]).await?;
            let state = auth::state()?;
            let slot_id = slot.trim().parse().map_err(|_| AppError::Conflict(crate::i18n::Msg::ErrBookingSlot))?;
            let station_id = station.trim().parse().ok();
            let request = service::BookRequest { item_code: code, slot_id, channel, station_id, key };
            let now = chrono::Utc::now();
            let code = match (user.role, for_resident) {
                (Role::Helper, Some(resident)) => service::book_for(&state, &user, resident, &request, now).await?,
                (Role::Helper, None) => return Err(AppError::NotFound),
                _ => service::book(&state, user.id, &request, now).await?,
            };
            leptos_axum::redirect(&format!("/bookings/{code}"));
            Ok(code)
        }
        .await,
    )
}

/// 今日到站预约 of the helper's station; helpers only.
#[server(endpoint = "station_day")]
pub async fn get_station_day() -> Result<StationDay, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let helper = auth::require_role(&[crate::domain::Role::Helper]).await?;
            station::station_day(&state, &helper, chrono::Utc::now()).await
        }
        .await,
    )
}

/// What a helper records of a station booking today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StationOutcome {
    /// 到站签到, by the booking's code (typed or scanned).
    CheckIn,
    /// 未到.
    Absent,
    /// 已办理.
    Served,
}

impl StationOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            StationOutcome::CheckIn => "check_in",
            StationOutcome::Absent => "absent",
            StationOutcome::Served => "served",
        }
    }
}

/// Checks a station booking in by its code (typed, or scanned into the field).
#[server(endpoint = "station_check_in")]
pub async fn station_check_in(code: String) -> Result<(), AppError> {
    mark_station_booking(code, StationOutcome::CheckIn).await
}

/// Marks a station booking absent (未到).
#[server(endpoint = "station_absent")]
pub async fn station_absent(code: String) -> Result<(), AppError> {
    mark_station_booking(code, StationOutcome::Absent).await
}

/// Marks a checked-in station booking served (已办理).
#[server(endpoint = "station_served")]
pub async fn station_served(code: String) -> Result<(), AppError> {
    mark_station_booking(code, StationOutcome::Served).await
}

#[cfg(feature = "ssr")]
async fn mark_station_booking(code: String, outcome: StationOutcome) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let helper = auth::require_role(&[crate::domain::Role::Helper]).await?;
            station::mark(&state, &helper, &code, outcome, chrono::Utc::now()).await?;
            leptos_axum::redirect("/station#today");
            Ok(())
        }
        .await,
    )
}

/// Sends every resident whose booking fell on a day made a holiday a notice (in-app
/// and email) with a link to rebook ahead of the window; chief only.
#[server(endpoint = "affected_notify")]
pub async fn notify_affected() -> Result<usize, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let chief = auth::require_role(&[crate::domain::Role::Chief]).await?;
            let sent = station::notify_affected(&state, &chief, chrono::Utc::now()).await?;
            leptos_axum::redirect(&format!("/staff/schedules?notified={sent}#affected"));
            Ok(sent)
        }
        .await,
    )
}

/// Cancels one of the caller's bookings (cancelling twice is harmless).
#[server(endpoint = "booking_cancel")]
pub async fn cancel_booking(code: String) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_user().await?;
            let state = auth::state()?;
            service::cancel(&state, &user, &code, chrono::Utc::now()).await?;
            leptos_axum::redirect(&format!("/bookings/{code}"));
            Ok(())
        }
        .await,
    )
}

/// The caller's bookings.
#[server(endpoint = "my_bookings")]
pub async fn list_my_bookings() -> Result<MyBookings, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_user().await?;
            let state = auth::state()?;
            service::my_bookings(&state, user.id, chrono::Utc::now()).await
        }
        .await,
    )
}

/// One booking: its resident, or a clerk or the chief.
#[server(endpoint = "booking")]
pub async fn get_booking(code: String) -> Result<BookingView, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_user().await?;
            let state = auth::state()?;
            service::booking_for(&state, &user, &code, chrono::Utc::now()).await
        }
        .await,
    )
}
