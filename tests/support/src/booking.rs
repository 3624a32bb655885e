//! Booking: an app with a bookable schedule, residents inserted directly, and the
//! Wednesday the booking and queue tests take place on.

use crate::{Backend, TestApp, spawn_app};
use app::booking::service::{self, ScheduleInput};
use app::domain::Role;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// 10:00 China time on `day`.
pub fn at_ten(day: &str) -> DateTime<Utc> {
    let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("day");
    app::time::cst().from_local_datetime(&day.and_hms_opt(10, 0, 0).expect("time")).single().expect("instant").with_timezone(&Utc)
}

/// A Wednesday with ordinary working days around it.
pub const WEDNESDAY: &str = "2026-12-02";

pub async fn booking_app(backend: Backend, capacity: i32) -> TestApp {
    let app = spawn_app(backend).await;
    app::guides::service::seed_demo_catalogue(&app.state.db).await.expect("catalogue");
    let input = ScheduleInput {
        name: "社保综合".into(),
        window_id: None,
        weekdays: "12345".into(),
        periods: "09:00-12:00,13:30-17:00".into(),
        slot_minutes: 30,
        capacity,
        item_codes: "SB-004 SB-001".into(),
    };
    service::save_schedule(&app.state.db, None, &input, None, Utc::now()).await.expect("schedule");
    app
}

/// Residents inserted directly (no password hashing: these never log in).
pub async fn residents(app: &TestApp, n: usize) -> Vec<i32> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        ids.push(crate::insert_user(&app.state.db, &format!("135{i:08}"), Some(&format!("居民{i}")), Role::Resident).await);
    }
    ids
}
