//! 好差评 ratings: what may be rated, rating, rectification of bad ratings, and the
//! rating figures. Who may see what is decided here: a resident (or the helper who
//! filed for them) rates their own case or visit; handlers and the chief work
//! rectifications; anyone else gets "not found".

use super::{Level, RatingFigures, RatingKind, RatingTarget, RatingView, RectificationView, RectifyStep, TAGS};
use crate::calendar::load as calendar;
use crate::cases::service::applicant_side;
use crate::domain::{CaseStatus, Role};
use crate::error::AppError;
use crate::i18n::{FeedbackField, FeedbackNote, FeedbackReason};
use crate::ssr::AppState;
use crate::ssr::audit::{self, Entry};
use crate::ssr::auth::CurrentUser;
use crate::ssr::db::begin_write;
use crate::ssr::directory::name_of;
use crate::ssr::entities::{booking, case, queue_ticket, rating, rectification, user, window};
use crate::ssr::notifications::{email, notify};
use crate::time::{cst_today, format_cst};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, SqlErr};
use serde_json::json;

/// Most characters of a rating comment.
pub const COMMENT_LIMIT: usize = 500;
/// Most characters of a rectification record (what was said, what was put right).
pub const RECORD_LIMIT: usize = 2000;

/// Handlers and the chief work feedback and rectifications.
pub fn is_staff_desk(user: &CurrentUser) -> bool {
    matches!(user.role, Role::Handler | Role::Chief)
}

/// `text` trimmed, or a refusal naming `what` when it is over `limit` characters.
pub fn text_within(text: &str, limit: usize, what: FeedbackField) -> Result<String, AppError> {
    let text = text.trim();
    if text.chars().count() > limit {
        return Err(AppError::refused(FeedbackReason::TooLong { what, limit }));
    }
    Ok(text.to_owned())
}

// ---- ratings (好差评) ------------------------------------------------------------------

/// What is rated: a case or a visit, with who rates it and who was responsible.
struct Rated {
    kind: RatingKind,
    key: String,
    case_id: Option<i32>,
    booking_id: Option<i32>,
    item_code: String,
    item_name: String,
    /// The resident whose rating it is.
    rater: i32,
    staff: Option<i32>,
    finished_at: DateTime<Utc>,
}

async fn rated(db: &impl ConnectionTrait, user: &CurrentUser, kind: RatingKind, key: &str) -> Result<Rated, AppError> {
    match kind {
        RatingKind::Case => {
            let found = crate::cases::service::find(db, key).await?;
            if !applicant_side(db, user, &found).await? {
                return Err(AppError::NotFound);
            }
            if Some(found.status) != Some(CaseStatus::Completed) {
                return Err(AppError::refused(FeedbackReason::CaseNotCompleted));
            }
            Ok(Rated {
                kind: RatingKind::Case,
                key: found.number.clone(),
                case_id: Some(found.id),
                booking_id: None,
                item_code: found.item_code.clone(),
                item_name: found.item_name.clone(),
                rater: found.applicant_id.unwrap_or(found.filed_by),
                staff: found.owner_id,
                finished_at: found.completed_at.unwrap_or(found.updated_at),
            })
        }
        RatingKind::Visit => {
            let found = booking::Entity::find().filter(booking::Column::Code.eq(key)).one(db).await?.ok_or(AppError::NotFound)?;
            if found.resident_id != user.id && found.booked_by != user.id {
                return Err(AppError::NotFound);
            }
            if found.status != crate::domain::BookingStatus::Served {
                return Err(AppError::refused(FeedbackReason::VisitNotServed));
            }
            let ticket = queue_ticket::Entity::find().filter(queue_ticket::Column::BookingId.eq(found.id)).one(db).await?;
            let staff = match ticket.as_ref().and_then(|t| t.window_id) {
                Some(w) => window::Entity::find_by_id(w).one(db).await?.and_then(|w| w.clerk_id),
                None => None,
            };
            Ok(Rated {
                kind: RatingKind::Visit,
                key: found.code.clone(),
                case_id: None,
                booking_id: Some(found.id),
                item_code: found.item_code.clone(),
                item_name: found.item_name.clone(),
                rater: found.resident_id,
                staff,
                finished_at: ticket.and_then(|t| t.finished_at).or(found.checked_in_at).unwrap_or(found.starts_at),
            })
        }
    }
}

fn rating_of(row: &rating::Model) -> RatingView {
    RatingView {
        level: Level::from_value(row.level).unwrap_or(Level::Basic),
        tags: row.tags.split('|').filter(|t| !t.is_empty()).map(str::to_owned).collect(),
        comment: row.comment.clone(),
        on_paper: row.on_paper,
        at: format_cst(row.created_at),
    }
}

fn target_rating(target: &Rated, round: i32) -> sea_orm::Select<rating::Entity> {
    rating_of_round(target.case_id, target.booking_id, round)
}

/// What a rating is of: (`case`, its number) or (`visit`, the booking code).
async fn rated_key(db: &impl ConnectionTrait, rating: &rating::Model) -> Result<(RatingKind, String), AppError> {
    Ok(match (rating.case_id, rating.booking_id) {
        (Some(id), _) => (RatingKind::Case, case::Entity::find_by_id(id).one(db).await?.map(|c| c.number).unwrap_or_default()),
        (_, Some(id)) => (RatingKind::Visit, booking::Entity::find_by_id(id).one(db).await?.map(|b| b.code).unwrap_or_default()),
        _ => (RatingKind::Case, String::new()),
    })
}

/// The rating of a case or a visit in `round`.
fn rating_of_round(case_id: Option<i32>, booking_id: Option<i32>, round: i32) -> sea_orm::Select<rating::Entity> {
    let query = rating::Entity::find().filter(rating::Column::Round.eq(round));
    match (case_id, booking_id) {
        (Some(id), _) => query.filter(rating::Column::CaseId.eq(id)),
        (_, Some(id)) => query.filter(rating::Column::BookingId.eq(id)),
        _ => query.filter(rating::Column::Id.eq(-1)),
    }
}

fn rating_closes(state: &AppState, finished_at: DateTime<Utc>) -> NaiveDate {
    cst_today(finished_at) + Duration::days(i64::from(state.config.feedback.rating_days))
}

/// A case or visit the caller may rate, with what has been rated so far.
#[tracing::instrument(skip_all)]
pub async fn rating_target(state: &AppState, user: &CurrentUser, kind: RatingKind, key: &str, now: DateTime<Utc>) -> Result<RatingTarget, AppError> {
    let db = &state.db;
    let target = rated(db, user, kind, key).await?;
    let first = target_rating(&target, 1).one(db).await?;
    let second = target_rating(&target, 2).one(db).await?;
    let open_until = rating_closes(state, target.finished_at);
    let task = match &first {
        Some(r) => rectification::Entity::find().filter(rectification::Column::RatingId.eq(r.id)).one(db).await?,
        None => None,
    };
    let rectification = match (&first, &task) {
        (Some(r), Some(t)) => Some(rectification_of(db, t, r, second.as_ref(), false, None, now).await?),
        _ => None,
    };
    Ok(RatingTarget {
        kind: target.kind,
        key: target.key,
        item_name: target.item_name,
        finished_at: format_cst(target.finished_at),
        open_until: open_until.to_string(),
        rating: first.as_ref().map(rating_of),
        can_rate: first.is_none() && cst_today(now) <= open_until,
        on_paper: user.role == Role::Helper,
        can_rate_fix: task.is_some_and(|t| t.status == "fixed") && second.is_none(),
        rectification,
    })
}

/// One rating from the form.
#[derive(Clone, Debug)]
pub struct NewRating {
    pub kind: RatingKind,
    pub key: String,
    pub level: i32,
    pub tags: Vec<String>,
    pub comment: String,
    /// Rates the fix of a bad rating (round 2).
    pub fix: bool,
}

/// Records a rating: one per case or visit (一事一评), while the rating period is open;
/// a helper's is the resident's paper form, marked so. A bad rating opens a
/// rectification task due in the configured working days. Rating the fix closes it.
#[tracing::instrument(skip(state, input), fields(user = user.id))]
pub async fn rate(state: &AppState, user: &CurrentUser, input: &NewRating, now: DateTime<Utc>) -> Result<(), AppError> {
    let level = Level::from_value(input.level).ok_or_else(|| AppError::refused(FeedbackReason::ChooseLevel))?;
    let comment = text_within(&input.comment, COMMENT_LIMIT, FeedbackField::Comment)?;
    if let Some(bad) = input.tags.iter().find(|t| !TAGS.contains(&t.as_str())) {
        return Err(AppError::refused(FeedbackReason::NoSuchTag { tag: bad.clone() }));
    }
    let txn = begin_write(&state.db).await?;
    let target = rated(&txn, user, input.kind, &input.key).await?;
    let round = if input.fix { 2 } else { 1 };
    let task = if input.fix {
        let first = target_rating(&target, 1).one(&txn).await?.ok_or_else(|| AppError::refused(FeedbackReason::NoFixToRate))?;
        let task = rectification::Entity::find().filter(rectification::Column::RatingId.eq(first.id)).one(&txn).await?;
        match task {
            Some(t) if t.status == "fixed" => Some(t),
            _ => return Err(AppError::refused(FeedbackReason::FixNotDone)),
        }
    } else {
        if cst_today(now) > rating_closes(state, target.finished_at) {
            return Err(AppError::refused(FeedbackReason::RatingClosed { days: state.config.feedback.rating_days }));
        }
        None
    };
    let inserted = rating::ActiveModel {
        case_id: Set(target.case_id),
        booking_id: Set(target.booking_id),
        round: Set(round),
        level: Set(level.value()),
        tags: Set(input.tags.join("|")),
        comment: Set(comment),
        rater_id: Set(target.rater),
        recorded_by: Set(user.id),
        on_paper: Set(user.role == Role::Helper),
        staff_id: Set(target.staff),
        item_code: Set(target.item_code.clone()),
        item_name: Set(target.item_name.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let row = match inserted {
        Ok(row) => row,
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(AppError::refused(if input.fix { FeedbackReason::FixAlreadyRated } else { FeedbackReason::AlreadyRated }));
        }
        Err(err) => return Err(err.into()),
    };
    if let Some(task) = task {
        let closed = rectification::Entity::update_many()
            .col_expr(rectification::Column::Status, Expr::value("closed"))
            .col_expr(rectification::Column::ClosedAt, Expr::value(now))
            .filter(rectification::Column::Id.eq(task.id))
            .filter(rectification::Column::Status.eq("fixed"))
            .exec(&txn)
            .await?;
        if closed.rows_affected != 1 {
            return Err(AppError::refused(FeedbackReason::RectificationChanged));
        }
    } else if level.is_bad() {
        let calendar = calendar(&txn).await?;
        let deadline = calendar.add_working_days(cst_today(now), state.config.feedback.rectify_days);
        rectification::ActiveModel {
            rating_id: Set(row.id),
            status: Set("open".to_owned()),
            owner_id: Set(None),
            deadline: Set(deadline),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        Entry {
            actor_id: Some(user.id),
            on_behalf_of: (user.id != target.rater).then_some(target.rater),
            action: if input.fix { "rating.fix" } else { "rating.create" },
            entity: target.kind.as_str(),
            entity_id: Some(target.key.clone()),
            detail: json!({ "level": level.value(), "on_paper": user.role == Role::Helper }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn rectification_of(
    db: &impl ConnectionTrait,
    task: &rectification::Model,
    first: &rating::Model,
    second: Option<&rating::Model>,
    staff_view: bool,
    user: Option<&CurrentUser>,
    now: DateTime<Utc>,
) -> Result<RectificationView, AppError> {
    let (target_kind, target) = rated_key(db, first).await?;
    let open = task.status != "closed" && task.status != "fixed";
    let may_act = user.is_some_and(|u| u.role == Role::Chief || task.owner_id.is_none_or(|o| o == u.id));
    let resident = if staff_view {
        let person = user::Entity::find_by_id(first.rater_id).one(db).await?;
        person.map(|p| format!("{} {}", p.name.unwrap_or_else(|| "居民".to_owned()), p.phone))
    } else {
        None
    };
    let staff = match (staff_view, first.staff_id) {
        (true, Some(id)) => Some(name_of(db, id).await?),
        _ => None,
    };
    let owner = match task.owner_id {
        Some(id) if staff_view => Some(name_of(db, id).await?),
        _ => None,
    };
    Ok(RectificationView {
        id: task.id,
        status: task.status.clone(),
        deadline: task.deadline.to_string(),
        overdue: open && cst_today(now) > task.deadline,
        item_name: first.item_name.clone(),
        target_kind,
        target,
        rating: rating_of(first),
        rerating: second.map(rating_of),
        callback_note: task.callback_note.clone(),
        fix_note: task.fix_note.clone(),
        resident,
        staff,
        owner,
        can_call_back: staff_view && may_act && task.status == "open",
        can_fix: staff_view && may_act && task.status == "called_back",
    })
}

/// One rectification task for handlers and the chief.
#[tracing::instrument(skip_all)]
pub async fn rectification_view(state: &AppState, user: &CurrentUser, id: i32, now: DateTime<Utc>) -> Result<RectificationView, AppError> {
    if !is_staff_desk(user) {
        return Err(AppError::NotFound);
    }
    let db = &state.db;
    let task = rectification::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let first = rating::Entity::find_by_id(task.rating_id).one(db).await?.ok_or(AppError::NotFound)?;
    let second = rating_of_round(first.case_id, first.booking_id, 2).one(db).await?;
    rectification_of(db, &task, &first, second.as_ref(), true, Some(user), now).await
}

/// A handler works a rectification task: [`RectifyStep::CallBack`] (open → called_back,
/// what the resident said on the phone) or [`RectifyStep::Fix`] (called_back → fixed,
/// what was put right; the resident is asked to rate the fix). The first handler to act
/// owns it.
#[tracing::instrument(skip_all)]
pub async fn rectify(state: &AppState, user: &CurrentUser, id: i32, step: RectifyStep, text: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    if !is_staff_desk(user) {
        return Err(AppError::NotFound);
    }
    let fix = step == RectifyStep::Fix;
    let text = text_within(text, RECORD_LIMIT, FeedbackField::Record)?;
    if text.is_empty() {
        return Err(AppError::refused(if fix { FeedbackReason::FixNoteMissing } else { FeedbackReason::CallbackNoteMissing }));
    }
    let txn = begin_write(&state.db).await?;
    let task = rectification::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if user.role != Role::Chief && task.owner_id.is_some_and(|o| o != user.id) {
        return Err(AppError::refused(FeedbackReason::RectificationNotYours));
    }
    let (from, to, note_col, at_col) = match step {
        RectifyStep::CallBack => ("open", "called_back", rectification::Column::CallbackNote, rectification::Column::CalledBackAt),
        RectifyStep::Fix => ("called_back", "fixed", rectification::Column::FixNote, rectification::Column::FixedAt),
    };
    let changed = rectification::Entity::update_many()
        .col_expr(rectification::Column::Status, Expr::value(to))
        .col_expr(note_col, Expr::value(text.clone()))
        .col_expr(at_col, Expr::value(now))
        .col_expr(rectification::Column::OwnerId, Expr::value(task.owner_id.unwrap_or(user.id)))
        .filter(rectification::Column::Id.eq(task.id))
        .filter(rectification::Column::Status.eq(from))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        return Err(AppError::refused(if fix { FeedbackReason::CallBackFirst } else { FeedbackReason::AlreadyCalledBack }));
    }
    let first = rating::Entity::find_by_id(task.rating_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    audit::record(
        &txn,
        Entry {
            actor_id: Some(user.id),
            on_behalf_of: None,
            action: if fix { "rectification.fix" } else { "rectification.callback" },
            entity: "rectification",
            entity_id: Some(task.id.to_string()),
            detail: json!({ "rating": first.id }),
        },
    )
    .await?;
    let notice = if fix {
        let (kind, key) = rated_key(&txn, &first).await?;
        let mut users = vec![first.rater_id];
        if first.recorded_by != first.rater_id {
            users.push(first.recorded_by);
        }
        Some(
            notify(&txn, users, FeedbackNote::FixedTitle, FeedbackNote::FixedBody { item: first.item_name.clone(), text }, format!("/rate/{kind}/{key}"), now)
                .await?,
        )
    } else {
        None
    };
    txn.commit().await?;
    if let Some(notice) = notice {
        email(state, notice).await;
    }
    Ok(())
}

/// The rating figures over `[from, to)` (DESIGN.md §5), for the whole center or one
/// staff member (`staff`: the cases they own, the ratings of their service):
/// 主动评价率 = completed cases their resident rated / cases completed; 满意率 = first
/// ratings of 基本满意 or better / all first ratings; and how the first ratings spread
/// over the five levels.
#[tracing::instrument(skip(db))]
pub async fn figures(db: &impl ConnectionTrait, from: DateTime<Utc>, to: DateTime<Utc>, staff: Option<i32>) -> Result<RatingFigures, AppError> {
    let mut completed = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .filter(case::Column::Status.eq(CaseStatus::Completed))
        .filter(case::Column::CompletedAt.gte(from))
        .filter(case::Column::CompletedAt.lt(to));
    if let Some(staff) = staff {
        completed = completed.filter(case::Column::OwnerId.eq(staff));
    }
    let completed_ids: Vec<i32> = completed.into_tuple().all(db).await?;
    let mut completed_rated = 0;
    for chunk in completed_ids.chunks(500) {
        completed_rated +=
            rating::Entity::find().filter(rating::Column::Round.eq(1)).filter(rating::Column::CaseId.is_in(chunk.iter().copied())).count(db).await?;
    }
    let mut firsts = rating::Entity::find()
        .select_only()
        .column(rating::Column::Level)
        .filter(rating::Column::Round.eq(1))
        .filter(rating::Column::CreatedAt.gte(from))
        .filter(rating::Column::CreatedAt.lt(to));
    if let Some(staff) = staff {
        firsts = firsts.filter(rating::Column::StaffId.eq(staff));
    }
    let levels_given: Vec<i32> = firsts.into_tuple().all(db).await?;
    let mut levels = [0u64; 5];
    for level in Level::ALL {
        levels[(5 - level.value()) as usize] = levels_given.iter().filter(|l| **l == level.value()).count() as u64;
    }
    let satisfied = levels_given.iter().filter(|l| **l >= Level::Basic.value()).count() as u64;
    Ok(RatingFigures { completed: completed_ids.len() as u64, completed_rated, ratings: levels_given.len() as u64, satisfied, levels })
}
