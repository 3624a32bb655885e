//! The hall queue: times on the booking Wednesday, staff users, clerks with a window of
//! their own, and bookings in a given slot.

use crate::TestApp;
use crate::booking::{WEDNESDAY, at_ten};
use app::booking::service::{self as booking_service, BookRequest};
use app::domain::Role;
use app::ssr::auth::CurrentUser;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// `hh:mm` China time on `day`.
pub fn at(day: &str, hh: u32, mm: u32) -> DateTime<Utc> {
    let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("day");
    app::time::cst().from_local_datetime(&day.and_hms_opt(hh, mm, 0).expect("time")).single().expect("instant").with_timezone(&Utc)
}

pub fn staff(id: i32, role: Role) -> CurrentUser {
    CurrentUser { id, session_id: 0, role, station_id: None, name: None }
}

/// A clerk (inserted directly) with a window of their own.
pub async fn clerk_with_window(app: &TestApp, phone: &str, window: &str) -> (CurrentUser, i32) {
    let ids = crate::insert_user(&app.state.db, phone, Some("窗口人员"), Role::Clerk).await;
    let chief = staff(0, Role::Chief);
    let window_id = booking_service::save_window(&app.state.db, None, window, Some(ids), true, chief.id).await.expect("window");
    (staff(ids, Role::Clerk), window_id)
}

/// Books SB-004 for `resident` in the slot starting at `hh:mm` on WEDNESDAY (booked the
/// day before). Returns the booking code.
pub async fn book_at(app: &TestApp, resident: i32, hh: u32, mm: u32, channel: &str) -> String {
    let the_day_before = at_ten("2026-12-01");
    let slots = booking_service::day_slots(&app.state.db, &app.state.config.booking, "SB-004", WEDNESDAY, the_day_before).await.expect("slots");
    let wanted = format!("{hh:02}:{mm:02}-");
    let slot = slots.iter().find(|s| s.time.starts_with(&wanted)).unwrap_or_else(|| panic!("no slot at {wanted}"));
    let request = BookRequest { item_code: "SB-004".into(), slot_id: slot.id, channel: channel.into(), station_id: None, key: format!("k{resident}-{hh}{mm}") };
    booking_service::book(&app.state, resident, &request, the_day_before).await.expect("booked")
}
