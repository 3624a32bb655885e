//! Queue services: check-in, walk-in and priority tickets, calling at a window, and
//! the views of the hall board, the window console and the resident's ticket.
//!
//! Every rule that must hold when two clerks act at once is held by the database: a
//! ticket is called by a conditional update from `waiting`, a window has at most one
//! called ticket (partial unique index), numbers are unique per day.

use super::{BoardCall, BoardView, BoardWindow, ConsoleView, Desk, Outcome, TicketKind, TicketRow, TicketStatus, TicketView};
use crate::booking::{Channel, Status as BookingStatus};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{Common, QueueReason, Reason};
use crate::ssr::AppState;
use crate::ssr::audit::{self, Entry};
use crate::ssr::auth::CurrentUser;
use crate::ssr::db::begin_write;
use crate::ssr::entities::{booking, queue_ticket, window};
use crate::ssr::freshness;
use crate::time::cst;
use crate::time::{cst_today, when_text};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, SqlErr,
};
use serde_json::json;

/// A booked resident who arrives this late (or later) queues from their arrival, not
/// from their slot's start.
const LATE_GRACE_MINUTES: i64 = 15;

/// Minutes per resident when no one has been served yet today.
const DEFAULT_SERVICE_MINUTES: i64 = 8;

fn hhmm(at: DateTime<Utc>) -> String {
    at.with_timezone(&cst()).format("%H:%M").to_string()
}

/// Today's waiting tickets in the order windows will call them: the priority lane
/// first, then everyone by queue time (a booking's slot start, or arrival), which
/// merges booked residents and walk-ins fairly.
async fn waiting_in_order(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<queue_ticket::Model>, AppError> {
    Ok(queue_ticket::Entity::find()
        .filter(queue_ticket::Column::Day.eq(cst_today(now)))
        .filter(queue_ticket::Column::Status.eq(TicketStatus::Waiting))
        .order_by_desc(queue_ticket::Column::Priority)
        .order_by_asc(queue_ticket::Column::SortAt)
        .order_by_asc(queue_ticket::Column::Id)
        .all(db)
        .await?)
}

/// Issues the next number of `kind` today. Numbers are unique per day; on a
/// concurrent clash (PostgreSQL) the next number is tried.
async fn issue(state: &AppState, actor: i32, kind: TicketKind, label: &str, booking: Option<&booking::Model>, now: DateTime<Utc>) -> Result<String, AppError> {
    let today = cst_today(now);
    let sort_at = match booking {
        Some(b) if now <= b.starts_at + Duration::minutes(LATE_GRACE_MINUTES) => b.starts_at,
        _ => now,
    };
    for _ in 0..20 {
        let txn = begin_write(&state.db).await?;
        if let Some(b) = booking {
            let checked_in = booking::Entity::update_many()
                .col_expr(booking::Column::Status, Expr::value(BookingStatus::CheckedIn))
                .col_expr(booking::Column::CheckedInAt, Expr::value(now))
                .filter(booking::Column::Id.eq(b.id))
                .filter(booking::Column::Status.eq(BookingStatus::Booked))
                .exec(&txn)
                .await?;
            if checked_in.rows_affected != 1 {
                return Err(AppError::refused(QueueReason::AlreadyCheckedIn));
            }
        }
        let issued = queue_ticket::Entity::find()
            .filter(queue_ticket::Column::Day.eq(today))
            .filter(queue_ticket::Column::Number.starts_with(kind.prefix()))
            .count(&txn)
            .await?;
        let number = format!("{}{:03}", kind.prefix(), issued + 1);
        let inserted = queue_ticket::ActiveModel {
            day: Set(today),
            number: Set(number.clone()),
            booking_id: Set(booking.map(|b| b.id)),
            resident_id: Set(booking.map(|b| b.resident_id)),
            label: Set(label.to_owned()),
            priority: Set(kind == TicketKind::Priority),
            sort_at: Set(sort_at),
            status: Set(TicketStatus::Waiting),
            recalls: Set(0),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        match inserted {
            Ok(_) => {}
            Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                drop(txn);
                if let Some(b) = booking
                    && queue_ticket::Entity::find().filter(queue_ticket::Column::BookingId.eq(b.id)).one(&state.db).await?.is_some()
                {
                    return Err(AppError::refused(QueueReason::AlreadyCheckedIn));
                }
                continue;
            }
            Err(err) => return Err(err.into()),
        }
        let detail = json!({ "number": number, "booking": booking.map(|b| b.code.clone()) });
        audit::record(
            &txn,
            Entry {
                actor_id: Some(actor),
                on_behalf_of: booking.map(|b| b.resident_id),
                action: "queue.issue",
                entity: "queue_ticket",
                entity_id: Some(number.clone()),
                detail,
            },
        )
        .await?;
        freshness::bump(&txn, freshness::QUEUE).await?;
        txn.commit().await?;
        return Ok(number);
    }
    Err(AppError::refused(QueueReason::IssueBusy))
}

/// Checks a booking in by its code (typed, or read from its QR code) and issues its
/// ticket: `A…`, or `V…` in the priority lane.
#[tracing::instrument(skip_all)]
pub async fn check_in(state: &AppState, clerk: &CurrentUser, code: &str, priority: bool, now: DateTime<Utc>) -> Result<String, AppError> {
    let code = code.trim().to_uppercase();
    if code.is_empty() {
        return Err(AppError::refused(QueueReason::CodeMissing));
    }
    let found = booking::Entity::find()
        .filter(booking::Column::Code.eq(&code))
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::refused(QueueReason::NoSuchBooking { code: code.clone() }))?;
    match Some(found.status) {
        Some(BookingStatus::Booked) => {}
        Some(BookingStatus::Cancelled) => return Err(AppError::refused(QueueReason::BookingCancelled)),
        Some(BookingStatus::NoShow) => return Err(AppError::refused(QueueReason::BookingLapsed)),
        Some(BookingStatus::Served) => return Err(AppError::refused(QueueReason::BookingServed)),
        _ => return Err(AppError::refused(QueueReason::AlreadyCheckedIn)),
    }
    let today = cst_today(now);
    if found.day != today {
        return Err(AppError::refused(QueueReason::NotToday { day: found.day }));
    }
    match Some(found.channel) {
        Some(Channel::Video) => return Err(AppError::refused(QueueReason::VideoBooking)),
        Some(Channel::Station) => return Err(AppError::refused(QueueReason::StationBooking)),
        _ => {}
    }
    let kind = if priority { TicketKind::Priority } else { TicketKind::Booked };
    issue(state, clerk.id, kind, &found.item_name, Some(&found), now).await
}

/// A ticket for a resident without a booking: `B…`, or `V…` in the priority lane.
#[tracing::instrument(skip_all)]
pub async fn walk_in(state: &AppState, clerk: &CurrentUser, label: &str, priority: bool, now: DateTime<Utc>) -> Result<String, AppError> {
    let label = label.trim();
    if label.chars().count() > 40 {
        return Err(AppError::refused(QueueReason::LabelTooLong));
    }
    let label = if label.is_empty() { "现场取号" } else { label };
    let kind = if priority { TicketKind::Priority } else { TicketKind::WalkIn };
    issue(state, clerk.id, kind, label, None, now).await
}

/// The window if `user` may work it: its own clerk, or the chief.
async fn own_window(db: &impl ConnectionTrait, user: &CurrentUser, window_id: i32) -> Result<window::Model, AppError> {
    let found = window::Entity::find_by_id(window_id).one(db).await?.filter(|w| w.active).ok_or(AppError::NotFound)?;
    if user.role == Role::Chief || found.clerk_id == Some(user.id) { Ok(found) } else { Err(AppError::Forbidden) }
}

async fn current_at(db: &impl ConnectionTrait, window_id: i32) -> Result<Option<queue_ticket::Model>, AppError> {
    Ok(queue_ticket::Entity::find()
        .filter(queue_ticket::Column::WindowId.eq(window_id))
        .filter(queue_ticket::Column::Status.eq(TicketStatus::Called))
        .one(db)
        .await?)
}

async fn set_booking_status(db: &impl ConnectionTrait, ticket: &queue_ticket::Model, status: BookingStatus) -> Result<(), AppError> {
    if let Some(id) = ticket.booking_id {
        booking::Entity::update_many().col_expr(booking::Column::Status, Expr::value(status.as_str())).filter(booking::Column::Id.eq(id)).exec(db).await?;
    }
    Ok(())
}

/// Calls the next resident to `window_id`. Returns the number called, or `None` when
/// no one is waiting.
#[tracing::instrument(skip_all)]
pub async fn call_next(state: &AppState, user: &CurrentUser, window_id: i32, now: DateTime<Utc>) -> Result<Option<String>, AppError> {
    let desk = own_window(&state.db, user, window_id).await?;
    for _ in 0..20 {
        let txn = begin_write(&state.db).await?;
        if let Some(current) = current_at(&txn, desk.id).await? {
            return Err(AppError::refused(QueueReason::StillServing { number: current.number }));
        }
        let Some(next) = waiting_in_order(&txn, now).await?.into_iter().next() else {
            return Ok(None);
        };
        let called = queue_ticket::Entity::update_many()
            .col_expr(queue_ticket::Column::Status, Expr::value(TicketStatus::Called))
            .col_expr(queue_ticket::Column::WindowId, Expr::value(desk.id))
            .col_expr(queue_ticket::Column::CalledAt, Expr::value(now))
            .filter(queue_ticket::Column::Id.eq(next.id))
            .filter(queue_ticket::Column::Status.eq(TicketStatus::Waiting))
            .exec(&txn)
            .await;
        match called {
            Ok(done) if done.rows_affected == 1 => {}
            Ok(_) => continue, // another window called this one first
            Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                drop(txn);
                let current = current_at(&state.db, desk.id).await?.map(|t| t.number).unwrap_or_default();
                return Err(AppError::refused(QueueReason::StillServing { number: current }));
            }
            Err(err) => return Err(err.into()),
        }
        set_booking_status(&txn, &next, BookingStatus::Called).await?;
        audit::record(
            &txn,
            Entry {
                actor_id: Some(user.id),
                on_behalf_of: next.resident_id,
                action: "queue.call",
                entity: "queue_ticket",
                entity_id: Some(next.number.clone()),
                detail: json!({ "window": desk.id }),
            },
        )
        .await?;
        freshness::bump(&txn, freshness::QUEUE).await?;
        txn.commit().await?;
        return Ok(Some(next.number));
    }
    Err(AppError::refused(QueueReason::CallBusy))
}

/// Calls the window's current number again (the board shows it afresh).
#[tracing::instrument(skip_all)]
pub async fn recall(state: &AppState, user: &CurrentUser, window_id: i32, now: DateTime<Utc>) -> Result<String, AppError> {
    let desk = own_window(&state.db, user, window_id).await?;
    let txn = begin_write(&state.db).await?;
    let current = current_at(&txn, desk.id).await?.ok_or_else(|| AppError::refused(QueueReason::NothingCalled))?;
    queue_ticket::Entity::update_many()
        .col_expr(queue_ticket::Column::Recalls, Expr::col(queue_ticket::Column::Recalls).add(1))
        .col_expr(queue_ticket::Column::CalledAt, Expr::value(now))
        .filter(queue_ticket::Column::Id.eq(current.id))
        .filter(queue_ticket::Column::Status.eq(TicketStatus::Called))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Entry {
            actor_id: Some(user.id),
            on_behalf_of: current.resident_id,
            action: "queue.recall",
            entity: "queue_ticket",
            entity_id: Some(current.number.clone()),
            detail: json!({ "window": desk.id }),
        },
    )
    .await?;
    freshness::bump(&txn, freshness::QUEUE).await?;
    txn.commit().await?;
    Ok(current.number)
}

/// Ends the window's current ticket: served (办结) or no-show (过号).
#[tracing::instrument(skip_all)]
pub async fn finish(state: &AppState, user: &CurrentUser, window_id: i32, outcome: Outcome, now: DateTime<Utc>) -> Result<String, AppError> {
    let desk = own_window(&state.db, user, window_id).await?;
    let txn = begin_write(&state.db).await?;
    let current = current_at(&txn, desk.id).await?.ok_or_else(|| AppError::refused(QueueReason::NothingServing))?;
    let status = match outcome {
        Outcome::Served => TicketStatus::Served,
        Outcome::NoShow => TicketStatus::NoShow,
    };
    let done = queue_ticket::Entity::update_many()
        .col_expr(queue_ticket::Column::Status, Expr::value(status.as_str()))
        .col_expr(queue_ticket::Column::FinishedAt, Expr::value(now))
        .filter(queue_ticket::Column::Id.eq(current.id))
        .filter(queue_ticket::Column::Status.eq(TicketStatus::Called))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::refused(QueueReason::TicketDone));
    }
    let booking_status = match outcome {
        Outcome::Served => BookingStatus::Served,
        Outcome::NoShow => BookingStatus::NoShow,
    };
    set_booking_status(&txn, &current, booking_status).await?;
    audit::record(
        &txn,
        Entry {
            actor_id: Some(user.id),
            on_behalf_of: current.resident_id,
            action: "queue.finish",
            entity: "queue_ticket",
            entity_id: Some(current.number.clone()),
            detail: json!({ "window": desk.id, "outcome": status.as_str() }),
        },
    )
    .await?;
    freshness::bump(&txn, freshness::QUEUE).await?;
    txn.commit().await?;
    Ok(current.number)
}

fn row(ticket: &queue_ticket::Model, codes: &std::collections::HashMap<i32, String>) -> TicketRow {
    TicketRow {
        id: ticket.id,
        number: ticket.number.clone(),
        label: ticket.label.clone(),
        priority: ticket.priority,
        booked: ticket.booking_id.is_some(),
        booking_code: ticket.booking_id.and_then(|id| codes.get(&id).cloned()),
        since: hhmm(ticket.created_at),
        recalls: ticket.recalls,
    }
}

async fn booking_codes(db: &impl ConnectionTrait, tickets: &[&queue_ticket::Model]) -> Result<std::collections::HashMap<i32, String>, AppError> {
    let ids: Vec<i32> = tickets.iter().filter_map(|t| t.booking_id).collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(booking::Entity::find().filter(booking::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|b| (b.id, b.code)).collect())
}

/// The window console: the caller's windows (all of them for the chief) with their
/// current ticket, and the hall's waiting line in calling order.
#[tracing::instrument(skip_all)]
pub async fn console(state: &AppState, user: &CurrentUser, now: DateTime<Utc>) -> Result<ConsoleView, AppError> {
    let db = &state.db;
    let mut windows = window::Entity::find().filter(window::Column::Active.eq(true)).order_by_asc(window::Column::Id);
    if user.role != Role::Chief {
        windows = windows.filter(window::Column::ClerkId.eq(user.id));
    }
    let windows = windows.all(db).await?;
    let waiting = waiting_in_order(db, now).await?;
    let mut currents = Vec::new();
    for w in &windows {
        currents.push(current_at(db, w.id).await?);
    }
    let all: Vec<&queue_ticket::Model> = waiting.iter().chain(currents.iter().flatten()).collect();
    let codes = booking_codes(db, &all).await?;
    let served_today = queue_ticket::Entity::find()
        .filter(queue_ticket::Column::Day.eq(cst_today(now)))
        .filter(queue_ticket::Column::Status.eq(TicketStatus::Served))
        .count(db)
        .await?;
    Ok(ConsoleView {
        desks: windows
            .iter()
            .zip(&currents)
            .map(|(w, current)| Desk { id: w.id, name: w.name.clone(), current: current.as_ref().map(|t| row(t, &codes)) })
            .collect(),
        waiting: waiting.iter().map(|t| row(t, &codes)).collect(),
        served_today: served_today as i32,
    })
}

/// Average minutes per resident today (called → finished), and the windows open.
async fn pace(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<(i64, i64), AppError> {
    let served = queue_ticket::Entity::find()
        .filter(queue_ticket::Column::Day.eq(cst_today(now)))
        .filter(queue_ticket::Column::Status.eq(TicketStatus::Served))
        .order_by_desc(queue_ticket::Column::FinishedAt)
        .all(db)
        .await?;
    let spans: Vec<i64> = served.iter().take(20).filter_map(|t| Some((t.finished_at? - t.called_at?).num_seconds())).collect();
    let minutes = if spans.is_empty() { DEFAULT_SERVICE_MINUTES } else { Ord::max(1, (spans.iter().sum::<i64>() / spans.len() as i64 + 59) / 60) };
    let open = window::Entity::find().filter(window::Column::Active.eq(true)).filter(window::Column::ClerkId.is_not_null()).count(db).await?;
    Ok((minutes, Ord::max(open as i64, 1)))
}

/// The hall board: what each window is calling, the latest calls, how many wait.
#[tracing::instrument(skip_all)]
pub async fn board(db: &DatabaseConnection, version: i64, now: DateTime<Utc>) -> Result<BoardView, AppError> {
    let today = cst_today(now);
    let windows = window::Entity::find().filter(window::Column::Active.eq(true)).order_by_asc(window::Column::Id).all(db).await?;
    let mut desks = Vec::new();
    for w in &windows {
        let current = current_at(db, w.id).await?;
        desks.push(BoardWindow { name: w.name.clone(), number: current.as_ref().map(|t| t.number.clone()), recalls: current.map_or(0, |t| t.recalls) });
    }
    let names: std::collections::HashMap<i32, String> = windows.iter().map(|w| (w.id, w.name.clone())).collect();
    let recent = queue_ticket::Entity::find()
        .filter(queue_ticket::Column::Day.eq(today))
        .filter(queue_ticket::Column::CalledAt.is_not_null())
        .order_by_desc(queue_ticket::Column::CalledAt)
        .order_by_desc(queue_ticket::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .take(8)
        .map(|t| BoardCall {
            number: t.number,
            window: t.window_id.and_then(|id| names.get(&id).cloned()).unwrap_or_default(),
            at: t.called_at.map(hhmm).unwrap_or_default(),
        })
        .collect();
    let waiting = waiting_in_order(db, now).await?.len() as i32;
    Ok(BoardView { version, windows: desks, recent, waiting, updated: hhmm(now) })
}

/// The resident's tickets today, with how many are ahead and an estimated wait.
#[tracing::instrument(skip_all)]
pub async fn my_tickets(db: &DatabaseConnection, resident: i32, now: DateTime<Utc>) -> Result<Vec<TicketView>, AppError> {
    let mine = queue_ticket::Entity::find()
        .filter(queue_ticket::Column::Day.eq(cst_today(now)))
        .filter(queue_ticket::Column::ResidentId.eq(resident))
        .order_by_asc(queue_ticket::Column::Id)
        .all(db)
        .await?;
    if mine.is_empty() {
        return Ok(Vec::new());
    }
    let order = waiting_in_order(db, now).await?;
    let (minutes, open) = pace(db, now).await?;
    let windows: std::collections::HashMap<i32, String> = window::Entity::find().all(db).await?.into_iter().map(|w| (w.id, w.name)).collect();
    let refs: Vec<&queue_ticket::Model> = mine.iter().collect();
    let codes = booking_codes(db, &refs).await?;
    Ok(mine
        .iter()
        .map(|t| {
            let status = t.status;
            let ahead = order.iter().position(|w| w.id == t.id).unwrap_or(0) as i32;
            let wait = if status == TicketStatus::Waiting { (i64::from(ahead) * minutes + open - 1) / open } else { 0 };
            TicketView {
                number: t.number.clone(),
                label: t.label.clone(),
                priority: t.priority,
                status,
                window: t.window_id.and_then(|id| windows.get(&id).cloned()),
                ahead,
                wait_minutes: wait as i32,
                booking_code: t.booking_id.and_then(|id| codes.get(&id).cloned()),
                issued_at: hhmm(t.created_at),
            }
        })
        .collect())
}

/// Attaches (or changes) a video meeting link and time on a video booking.
#[tracing::instrument(skip_all)]
pub async fn set_video(state: &AppState, clerk: &CurrentUser, code: &str, link: &str, at: &str) -> Result<(), AppError> {
    let code = code.trim().to_uppercase();
    let link = link.trim();
    let mut reasons: Vec<Reason> = Vec::new();
    if !(link.starts_with("https://") || link.starts_with("http://")) || link.len() > 500 || link.chars().any(char::is_whitespace) {
        reasons.push(QueueReason::VideoLinkFormat.into());
    }
    let when = chrono::NaiveDateTime::parse_from_str(at.trim(), "%Y-%m-%dT%H:%M")
        .ok()
        .and_then(|local| local.and_local_timezone(cst()).single())
        .map(|at| at.with_timezone(&Utc));
    if when.is_none() {
        reasons.push(QueueReason::VideoTimeMissing.into());
    }
    if !reasons.is_empty() {
        return Err(AppError::Rejected(reasons));
    }
    let txn = begin_write(&state.db).await?;
    let found = booking::Entity::find().filter(booking::Column::Code.eq(&code)).one(&txn).await?.ok_or(AppError::NotFound)?;
    if Some(found.channel) != Some(Channel::Video) {
        return Err(AppError::refused(QueueReason::NotVideoBooking));
    }
    match Some(found.status) {
        Some(BookingStatus::Booked | BookingStatus::CheckedIn) => {}
        Some(status) => return Err(AppError::refused(QueueReason::VideoLinkClosed { status: status.msg() })),
        None => return Err(AppError::refused(Common::StatusChanged)),
    }
    let mut row: booking::ActiveModel = found.clone().into();
    row.video_link = Set(Some(link.to_owned()));
    row.video_at = Set(when);
    row.update(&txn).await?;
    audit::record(
        &txn,
        Entry {
            actor_id: Some(clerk.id),
            on_behalf_of: Some(found.resident_id),
            action: "booking.video_link",
            entity: "booking",
            entity_id: Some(code.clone()),
            detail: json!({ "at": when.map(|w| when_text(w, None)) }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
