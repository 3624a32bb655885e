//! The station channel (到服务站办理): who books for whom, the station's list for the
//! day with check-in, absent and served, and the notice to residents whose booking fell
//! on a day made a holiday.

use super::{Channel, StationBooking, StationDay, StationOutcome, Status};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{BookingNote, BookingReason};
use crate::ssr::AppState;
use crate::ssr::audit::{self, Entry};
use crate::ssr::auth::{self, CurrentUser};
use crate::ssr::db::begin_write;
use crate::ssr::entities::{applicant_profile, booking, user};
use crate::ssr::notifications::{email, notify};
use crate::stations::access;
use crate::time::{cst_today, format_cst};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

/// Whose booking page this is: the resident's own, or — for a helper — the resident
/// `for_resident` whose authorisation covers `code` ("not found" otherwise).
#[tracing::instrument(skip_all)]
pub async fn booker(state: &AppState, code: &str, for_resident: Option<i32>, now: DateTime<Utc>) -> Result<i32, AppError> {
    let user = auth::require_role(&[Role::Resident, Role::Helper]).await?;
    match (user.role, for_resident) {
        (Role::Resident, _) => Ok(user.id),
        (_, Some(resident)) if access::acts_for(&state.db, &user, resident, code, now).await? => Ok(resident),
        _ => Err(AppError::NotFound),
    }
}

fn masked(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map(|c| std::iter::once(c).chain(chars.map(|_| '*')).collect()).unwrap_or_default()
}

/// Today's bookings at the helper's station.
#[tracing::instrument(skip_all)]
pub async fn station_day(state: &AppState, helper: &CurrentUser, now: DateTime<Utc>) -> Result<StationDay, AppError> {
    let db = &state.db;
    let station = access::helper_station(db, helper).await?.ok_or(AppError::Forbidden)?;
    let today = cst_today(now);
    let rows = booking::Entity::find()
        .filter(booking::Column::StationId.eq(station.id))
        .filter(booking::Column::Channel.eq(Channel::Station))
        .filter(booking::Column::Day.eq(today))
        .filter(booking::Column::Status.ne(Status::Cancelled))
        .order_by_asc(booking::Column::StartsAt)
        .limit(500)
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|b| b.resident_id).collect();
    let mut names: std::collections::HashMap<i32, String> =
        user::Entity::find().filter(user::Column::Id.is_in(ids.clone())).all(db).await?.into_iter().map(|u| (u.id, u.name.unwrap_or_default())).collect();
    for p in applicant_profile::Entity::find().filter(applicant_profile::Column::UserId.is_in(ids)).all(db).await? {
        names.insert(p.user_id, p.name);
    }
    Ok(StationDay {
        station: station.name,
        day: today.to_string(),
        bookings: rows
            .into_iter()
            .map(|b| {
                let status = b.status;
                StationBooking {
                    resident: masked(names.get(&b.resident_id).map(String::as_str).unwrap_or("")),
                    item_name: b.item_name,
                    when: format_cst(b.starts_at),
                    absent: b.absent_at.is_some(),
                    can_check_in: status == Status::Booked,
                    can_mark_absent: status == Status::Booked && b.absent_at.is_none(),
                    can_serve: status == Status::CheckedIn,
                    status,
                    code: b.code,
                }
            })
            .collect(),
    })
}

/// Check-in, absent or served for a booking at the helper's station today; a
/// booking of another station or day is "not found". Each step happens once.
#[tracing::instrument(skip_all)]
pub async fn mark(state: &AppState, helper: &CurrentUser, code: &str, outcome: StationOutcome, now: DateTime<Utc>) -> Result<(), AppError> {
    let db = &state.db;
    let station = access::helper_station(db, helper).await?.ok_or(AppError::Forbidden)?;
    let code = code.trim().to_uppercase();
    let txn = begin_write(db).await?;
    let found = booking::Entity::find()
        .filter(booking::Column::Code.eq(&code))
        .one(&txn)
        .await?
        .filter(|b| b.station_id == Some(station.id) && b.channel == Channel::Station && b.day == cst_today(now))
        .ok_or(AppError::NotFound)?;
    let status = found.status;
    let update = booking::Entity::update_many().filter(booking::Column::Id.eq(found.id));
    let changed = match outcome {
        StationOutcome::CheckIn if status == Status::Booked => {
            update
                .col_expr(booking::Column::Status, Expr::value(Status::CheckedIn))
                .col_expr(booking::Column::CheckedInAt, Expr::value(now))
                .col_expr(booking::Column::AbsentAt, Expr::value(Option::<DateTime<Utc>>::None))
                .filter(booking::Column::Status.eq(Status::Booked))
                .exec(&txn)
                .await?
        }
        StationOutcome::Absent if status == Status::Booked => {
            update.col_expr(booking::Column::AbsentAt, Expr::value(now)).filter(booking::Column::AbsentAt.is_null()).exec(&txn).await?
        }
        StationOutcome::Served if status == Status::CheckedIn => {
            update.col_expr(booking::Column::Status, Expr::value(Status::Served)).filter(booking::Column::Status.eq(Status::CheckedIn)).exec(&txn).await?
        }
        // The same step again (a double tap, a second helper): already done.
        StationOutcome::CheckIn if status == Status::CheckedIn => return Ok(()),
        StationOutcome::Served if status == Status::Served => return Ok(()),
        _ => return Err(AppError::refused(BookingReason::WrongStatus { status: status.msg() })),
    };
    if changed.rows_affected == 1 {
        audit::record(
            &txn,
            Entry {
                actor_id: Some(helper.id),
                on_behalf_of: None,
                action: &format!("booking.station_{}", outcome.as_str()),
                entity: "booking",
                entity_id: Some(code),
                detail: json!({ "station": station.id }),
            },
        )
        .await?;
        txn.commit().await?;
    }
    Ok(())
}

/// Notifies every resident with a live booking on a day made a holiday who has not
/// been told yet; returns how many were told.
#[tracing::instrument(skip_all)]
pub async fn notify_affected(state: &AppState, chief: &CurrentUser, now: DateTime<Utc>) -> Result<usize, AppError> {
    let db = &state.db;
    let affected = super::service::bookings_on_closed_days(db, now).await?;
    let mut sent = 0;
    for a in affected.into_iter().filter(|a| !a.notified && !a.no_show) {
        let txn = begin_write(db).await?;
        let Some(found) = booking::Entity::find().filter(booking::Column::Code.eq(&a.code)).one(&txn).await? else { continue };
        let changed = booking::Entity::update_many()
            .col_expr(booking::Column::AffectedNoticeAt, Expr::value(now))
            .filter(booking::Column::Id.eq(found.id))
            .filter(booking::Column::AffectedNoticeAt.is_null())
            .exec(&txn)
            .await?;
        if changed.rows_affected != 1 {
            continue;
        }
        let body = BookingNote::Holiday { item: a.item_name.clone(), when: a.starts_at.clone(), days: super::service::REBOOK_AHEAD_DAYS };
        let notice = notify(&txn, vec![found.resident_id], BookingNote::HolidayTitle, body, format!("/booking?item={}", found.item_code), now).await?;
        audit::record(
            &txn,
            Entry {
                actor_id: Some(chief.id),
                on_behalf_of: Some(found.resident_id),
                action: "booking.holiday_notice",
                entity: "booking",
                entity_id: Some(found.code.clone()),
                detail: json!({}),
            },
        )
        .await?;
        txn.commit().await?;
        email(state, notice).await;
        sent += 1;
    }
    Ok(sent)
}
