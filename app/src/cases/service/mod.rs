//! Case services (办件). Who may see and do what is decided here, on every call:
//! applicants and helpers see the cases they filed (helpers: their station's),
//! clerks the cases of their windows — or of the clerk they back up while that clerk
//! is on leave — and the chief everything past the draft stage. Anyone else gets
//! "not found", never the data.
//!
//! Every transition is a conditional update on the status it starts from, inside a
//! write transaction, so a double tap or two clerks at once change a case once.

use super::{
    AbAdmin, CaseFileView, CaseFilter, CaseStatus, CaseSummary, CaseView, Handoff, HandoffStep, MaterialSlot, MessageView, MyCases, NewCaseForm, NoticeItem,
    NoticeView, PublicStatus, StaffActions, TimelineEntry,
};
use crate::calendar::Calendar;
use crate::calendar::load as calendar;
use crate::domain::{CaseNumber, IdCardNumber, PersonName, PhoneNumber, Role};
use crate::error::{AppError, FieldErrors};
use crate::guides::GuideContent;
use crate::i18n::{CaseAction, CaseNote, CaseReason, Common, Note, Reason};
use crate::ssr::AppState;
use crate::ssr::audit::{self, Entry};
use crate::ssr::auth::CurrentUser;
use crate::ssr::crypto;
use crate::ssr::db::begin_write;
use crate::ssr::directory::{actor_name, name_of};
use crate::ssr::entities::{
    applicant_profile, case, case_event, case_file, clerk_backup, item, item_version, notification, schedule, staff_leave, stored_file, supplement_notice,
    user, window,
};
use crate::ssr::files::{self, Kind};
pub(crate) use crate::ssr::notifications::{Notice, email, notify};
use crate::stations::access::{self as station_access, CaseAccess, Target};
use crate::time::cst_today;
use crate::time::format_cst;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    SqlErr,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};

mod applicant;
mod desk;
mod materials;
mod routing;
mod views;

pub use applicant::*;
pub use desk::*;
pub use materials::*;
pub use routing::*;
pub use views::*;

/// Largest single file (after the browser has downscaled photos).
pub const FILE_LIMIT_BYTES: usize = 10 * 1024 * 1024;
/// Largest total of a case's current files.
pub const CASE_LIMIT_BYTES: i64 = 60 * 1024 * 1024;
/// What a material may be: photos and scans.
pub const CASE_KINDS: &[Kind] = &[Kind::Jpeg, Kind::Png, Kind::Webp, Kind::Pdf];
/// Public lookups allowed per address in [`LOOKUP_WINDOW_MINUTES`].
pub const LOOKUP_LIMIT: i32 = 10;
pub const LOOKUP_WINDOW_MINUTES: i64 = 10;
/// Cases per page of 我的办件.
pub const MY_CASES_PAGE: u64 = 20;
/// A deadline this many working days away (or closer) is "due soon".
pub const DUE_SOON_DAYS: i64 = 2;

const ID_PURPOSE: &str = crypto::ID_NUMBER;

fn status_of(found: &case::Model) -> CaseStatus {
    found.status
}

/// The guide version a case was started from.
async fn guide_version(db: &impl ConnectionTrait, code: &str, version: i32) -> Result<GuideContent, AppError> {
    let found = item::Entity::find().filter(item::Column::Code.eq(code)).one(db).await?.ok_or(AppError::NotFound)?;
    let row = item_version::Entity::find()
        .filter(item_version::Column::ItemId.eq(found.id))
        .filter(item_version::Column::Version.eq(version))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::guides::service::parse_content(&row.content)
}

// ---- who may see and act ---------------------------------------------------------

/// Window clerks, AB pairs and today's leave: everything routing needs, read once.
pub struct Routing {
    window_clerk: HashMap<i32, i32>,
    backups: HashMap<i32, i32>,
    on_leave: HashSet<i32>,
}

impl Routing {
    pub async fn load(db: &impl ConnectionTrait, today: NaiveDate) -> Result<Routing, AppError> {
        let windows = window::Entity::find().all(db).await?;
        let backups = clerk_backup::Entity::find().all(db).await?;
        let leave = staff_leave::Entity::find().filter(staff_leave::Column::FromDay.lte(today)).filter(staff_leave::Column::ToDay.gte(today)).all(db).await?;
        Ok(Routing {
            window_clerk: windows.into_iter().filter_map(|w| Some((w.id, w.clerk_id?))).collect(),
            backups: backups.into_iter().map(|b| (b.clerk_id, b.backup_id)).collect(),
            on_leave: leave.into_iter().map(|l| l.clerk_id).collect(),
        })
    }

    /// The A post of a case: its owner on record, or its window's clerk.
    pub fn a_post(&self, found: &case::Model) -> Option<i32> {
        found.owner_id.or_else(|| found.window_id.and_then(|w| self.window_clerk.get(&w).copied()))
    }

    /// Who works on the case today: the A post, or their backup while they are on leave.
    pub fn responsible(&self, found: &case::Model) -> Option<i32> {
        let a = self.a_post(found)?;
        match (self.on_leave.contains(&a), self.backups.get(&a)) {
            (true, Some(b)) => Some(*b),
            _ => Some(a),
        }
    }

    /// When `user` works on the case as somebody's backup: that somebody.
    pub fn backing_up(&self, found: &case::Model, user: i32) -> Option<i32> {
        let a = self.a_post(found)?;
        (a != user && self.responsible(found) == Some(user)).then_some(a)
    }
}

/// Whether the caller may see and do everything the applicant may: the applicant
/// themselves, or a helper inside a valid authorisation (see `stations::access`).
pub(crate) async fn applicant_side(db: &impl ConnectionTrait, user: &CurrentUser, found: &case::Model) -> Result<bool, AppError> {
    Ok(station_access::case_access(db, user, found, Utc::now()).await? == CaseAccess::Full)
}

fn staff_sees(user: &CurrentUser, found: &case::Model, routing: &Routing) -> bool {
    if status_of(found) == CaseStatus::Draft {
        return false;
    }
    match user.role {
        Role::Chief => true,
        Role::Clerk => routing.responsible(found) == Some(user.id) || routing.a_post(found) == Some(user.id),
        _ => false,
    }
}

fn staff_may_act(user: &CurrentUser, found: &case::Model, routing: &Routing) -> bool {
    match user.role {
        Role::Chief => true,
        Role::Clerk => routing.responsible(found) == Some(user.id),
        _ => false,
    }
}

pub(crate) async fn find(db: &impl ConnectionTrait, number: &str) -> Result<case::Model, AppError> {
    let number = CaseNumber::parse(number).map_err(|_| AppError::NotFound)?;
    case::Entity::find().filter(case::Column::Number.eq(number.as_str())).one(db).await?.ok_or(AppError::NotFound)
}

/// The case for its applicant side; "not found" for anyone else.
async fn find_for_applicant(db: &impl ConnectionTrait, user: &CurrentUser, number: &str) -> Result<case::Model, AppError> {
    let found = find(db, number).await?;
    if applicant_side(db, user, &found).await? { Ok(found) } else { Err(AppError::NotFound) }
}

/// The case for a staff member who may act on it now, with the routing; "not found"
/// when they may not see it, "forbidden" when they may see but not act.
async fn find_for_staff(db: &impl ConnectionTrait, user: &CurrentUser, number: &str, now: DateTime<Utc>) -> Result<(case::Model, Routing), AppError> {
    let found = find(db, number).await?;
    let routing = Routing::load(db, cst_today(now)).await?;
    if !staff_sees(user, &found, &routing) {
        return Err(AppError::NotFound);
    }
    if !staff_may_act(user, &found, &routing) {
        return Err(AppError::refused(CaseReason::NotYours));
    }
    Ok((found, routing))
}

// ---- timeline, notifications, email -----------------------------------------------

/// Puts `note` on the case's timeline: its Chinese text for the record, the note for
/// readers in either language.
async fn event(
    db: &impl ConnectionTrait,
    case_id: i32,
    user: Option<&CurrentUser>,
    kind: &str,
    note: impl Into<Note>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let note = note.into();
    case_event::ActiveModel {
        case_id: Set(case_id),
        at: Set(now),
        actor_id: Set(user.map(|u| u.id)),
        actor_name: Set(user.map_or_else(|| "系统".to_owned(), actor_name)),
        on_behalf_of: Set(None),
        kind: Set(kind.to_owned()),
        message: Set(note.zh()),
        note: Set(Some(note.to_json())),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

async fn log(db: &impl ConnectionTrait, user: &CurrentUser, action: &str, found: &case::Model, detail: serde_json::Value) -> Result<(), AppError> {
    let on_behalf_of = (user.role == Role::Helper).then_some(found.applicant_id).flatten();
    audit::record(db, Entry { actor_id: Some(user.id), on_behalf_of, action, entity: "case", entity_id: Some(found.number.clone()), detail }).await?;
    Ok(())
}

async fn notify_filer(
    db: &impl ConnectionTrait,
    found: &case::Model,
    title: impl Into<Note>,
    body: impl Into<Note>,
    now: DateTime<Utc>,
) -> Result<Notice, AppError> {
    let mut users = vec![found.filed_by];
    if let Some(applicant) = found.applicant_id.filter(|a| *a != found.filed_by) {
        users.push(applicant);
    }
    notify(db, users, title, body, format!("/cases/{}", found.number), now).await
}

/// Sets the status from one of `from` to `to`, with the other columns in `row`; a
/// conflict when the case moved on meanwhile (a double tap, another clerk).
async fn move_status(
    db: &impl ConnectionTrait,
    found: &case::Model,
    from: &[CaseStatus],
    to: CaseStatus,
    now: DateTime<Utc>,
    columns: Vec<(case::Column, Expr)>,
) -> Result<(), AppError> {
    let mut update = case::Entity::update_many().col_expr(case::Column::Status, Expr::value(to.as_str())).col_expr(case::Column::UpdatedAt, Expr::value(now));
    for (column, value) in columns {
        update = update.col_expr(column, value);
    }
    let changed = update.filter(case::Column::Id.eq(found.id)).filter(case::Column::Status.is_in(from.iter().map(|s| s.as_str()))).exec(db).await?;
    if changed.rows_affected == 1 { Ok(()) } else { Err(AppError::refused(CaseReason::WrongStatus { status: status_of(found).msg() })) }
}

/// Refuses a transition that the case's current status does not allow.
fn require_status(found: &case::Model, allowed: &[CaseStatus], action: CaseAction) -> Result<(), AppError> {
    let status = status_of(found);
    if allowed.contains(&status) { Ok(()) } else { Err(AppError::refused(CaseReason::CannotInStatus { status: status.msg(), action })) }
}
