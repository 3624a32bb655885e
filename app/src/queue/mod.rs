//! The hall queue (取号与叫号): check-in of bookings by code or QR code, walk-in and
//! priority-lane (绿色通道) tickets, calling at windows, the public hall board, and the
//! resident's live ticket. Live updates arrive over server-sent events (see
//! `server/src/live.rs` and [`crate::ssr::live`]).

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::TicketStatus;

/// The three kinds of ticket and their number prefixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TicketKind {
    /// `A012`: a checked-in booking.
    Booked,
    /// `B007`: a walk-in without a booking.
    WalkIn,
    /// `V003`: the priority lane for elderly and disabled residents.
    Priority,
}

impl TicketKind {
    pub fn prefix(self) -> &'static str {
        match self {
            TicketKind::Booked => "A",
            TicketKind::WalkIn => "B",
            TicketKind::Priority => "V",
        }
    }
}

/// How a called ticket ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// 办结
    Served,
    /// 过号: called and did not come.
    NoShow,
}

/// A ticket as the window console lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketRow {
    pub id: i32,
    pub number: String,
    pub label: String,
    pub priority: bool,
    pub booked: bool,
    pub booking_code: Option<String>,
    /// Issued at, `09:12` China time.
    pub since: String,
    pub recalls: i32,
}

/// One of the caller's windows and the ticket it is serving.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desk {
    pub id: i32,
    pub name: String,
    pub current: Option<TicketRow>,
}

/// The window console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleView {
    pub desks: Vec<Desk>,
    /// The hall's waiting line in calling order.
    pub waiting: Vec<TicketRow>,
    pub served_today: i32,
}

/// A window on the hall board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardWindow {
    pub name: String,
    pub number: Option<String>,
    pub recalls: i32,
}

/// A recent call on the hall board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardCall {
    pub number: String,
    pub window: String,
    pub at: String,
}

/// The public hall board (大厅显示屏).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardView {
    /// The queue's change counter when this was read.
    pub version: i64,
    pub windows: Vec<BoardWindow>,
    pub recent: Vec<BoardCall>,
    pub waiting: i32,
    pub updated: String,
}

/// A resident's ticket, live.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    pub number: String,
    pub label: String,
    pub priority: bool,
    pub status: TicketStatus,
    pub window: Option<String>,
    /// Residents to be called before this one.
    pub ahead: i32,
    /// Estimated minutes until called (from today's pace and the open windows).
    pub wait_minutes: i32,
    pub booking_code: Option<String>,
    pub issued_at: String,
}

#[cfg(feature = "ssr")]
const DESK_ROLES: &[crate::domain::Role] = &[crate::domain::Role::Clerk, crate::domain::Role::Chief];

/// Checks a booking in by its code and issues a ticket. Clerks and the chief.
#[server(endpoint = "queue_check_in")]
pub async fn check_in(code: String, priority: Option<String>) -> Result<String, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(DESK_ROLES).await?;
            let state = auth::state()?;
            let number = service::check_in(&state, &user, &code, priority.is_some(), chrono::Utc::now()).await?;
            leptos_axum::redirect(&format!("/staff/checkin?issued={number}"));
            Ok(number)
        }
        .await,
    )
}

/// Issues a walk-in ticket (`B…`, or `V…` in the priority lane). Clerks and the chief.
#[server(endpoint = "queue_walk_in")]
pub async fn walk_in(label: String, priority: Option<String>) -> Result<String, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(DESK_ROLES).await?;
            let state = auth::state()?;
            let number = service::walk_in(&state, &user, &label, priority.is_some(), chrono::Utc::now()).await?;
            leptos_axum::redirect(&format!("/staff/checkin?issued={number}"));
            Ok(number)
        }
        .await,
    )
}

/// 叫号: the window calls the next ticket; the number called, or none when no one waits.
/// Only the window's own clerk, or the chief.
#[server(endpoint = "queue_next")]
pub async fn call_next(window: i32) -> Result<Option<String>, AppError> {
    window_step(window, async |state, user, window, now| service::call_next(state, user, window, now).await).await
}

/// 重呼: calls the current ticket again.
#[server(endpoint = "queue_recall")]
pub async fn recall(window: i32) -> Result<Option<String>, AppError> {
    window_step(window, async |state, user, window, now| service::recall(state, user, window, now).await.map(Some)).await
}

/// 办结: the current ticket was served.
#[server(endpoint = "queue_served")]
pub async fn mark_served(window: i32) -> Result<Option<String>, AppError> {
    window_step(window, async |state, user, window, now| service::finish(state, user, window, Outcome::Served, now).await.map(Some)).await
}

/// 过号: the current ticket's holder did not come.
#[server(endpoint = "queue_no_show")]
pub async fn mark_no_show(window: i32) -> Result<Option<String>, AppError> {
    window_step(window, async |state, user, window, now| service::finish(state, user, window, Outcome::NoShow, now).await.map(Some)).await
}

/// One step at a window, then back to the console.
#[cfg(feature = "ssr")]
async fn window_step<F>(window: i32, step: F) -> Result<Option<String>, AppError>
where
    F: AsyncFnOnce(&crate::ssr::AppState, &crate::ssr::auth::CurrentUser, i32, chrono::DateTime<chrono::Utc>) -> Result<Option<String>, AppError>,
{
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(DESK_ROLES).await?;
            let state = auth::state()?;
            let result = step(&state, &user, window, chrono::Utc::now()).await?;
            leptos_axum::redirect("/staff/queue");
            Ok(result)
        }
        .await,
    )
}

/// Whether the caller may work the desk (签到取号): clerks and the chief.
#[server(endpoint = "queue_desk_access")]
pub async fn desk_access() -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(auth::require_role(DESK_ROLES).await.map(|_| ()))
}

/// The window console. Clerks (their windows) and the chief (all windows).
#[server(endpoint = "queue_console")]
pub async fn queue_console() -> Result<ConsoleView, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(DESK_ROLES).await?;
            let state = auth::state()?;
            service::console(&state, &user, chrono::Utc::now()).await
        }
        .await,
    )
}

/// The hall board. Public: it shows only ticket numbers and window names.
#[server(endpoint = "queue_board")]
pub async fn hall_board() -> Result<BoardView, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let version = state.queue.version(&state.db).await?;
            service::board(&state.db, version, chrono::Utc::now()).await
        }
        .await,
    )
}

/// The caller's tickets today.
#[server(endpoint = "queue_mine")]
pub async fn my_tickets() -> Result<Vec<TicketView>, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_user().await?;
            let state = auth::state()?;
            service::my_tickets(&state.db, user.id, chrono::Utc::now()).await
        }
        .await,
    )
}

/// Attaches a video meeting link and time (`2026-11-26T10:00`, China time) to a video
/// booking. Clerks and the chief.
#[server(endpoint = "booking_video")]
pub async fn set_video_link(code: String, link: String, at: String) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(DESK_ROLES).await?;
            let state = auth::state()?;
            service::set_video(&state, &user, &code, &link, &at).await?;
            leptos_axum::redirect(&format!("/staff/checkin?code={}&saved=1", code.trim().to_uppercase()));
            Ok(())
        }
        .await,
    )
}
