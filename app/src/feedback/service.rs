//! Rating and feedback services. Who may see and do what is decided here, on every
//! call: residents and helpers see the ratings and feedback they gave (anonymous ones
//! through a keyed hash of their account, so handlers never learn who wrote them);
//! handlers and the chief see all feedback; clerks see feedback about the cases they
//! own, and only when the chief allows it. Anyone else gets "not found".
//!
//! Every transition is a conditional update on the status it starts from inside a
//! write transaction, and one rating per case or visit and round is a unique index,
//! so a double tap or two handlers at once change a thing once.

use super::{
    FeedbackActions, FeedbackForm, FeedbackKind, FeedbackStatus, FeedbackSummary, FeedbackView, HandlerInbox, Level, PublicOpinion, RatingFigures,
    RatingTarget, RatingView, RectificationView, Source, TAGS,
};
use crate::booking::service::{calendar, cst_today};
use crate::calendar::Calendar;
use crate::cases::service::{actor_name, applicant_side, email, name_of, notify};
use crate::cases::{CaseStatus, TimelineEntry};
use crate::domain::{CaseNumber, PersonName, PhoneNumber, Role};
use crate::error::AppError;
use crate::ssr::AppState;
use crate::ssr::audit::{self, Entry};
use crate::ssr::auth::CurrentUser;
use crate::ssr::crypto;
use crate::ssr::db::begin_write;
use crate::ssr::throttle;
use crate::ssr::entities::{
    booking, case, feedback, feedback_event, feedback_file, feedback_sequence, queue_ticket, rating, rectification, reply_template, setting, station,
    stored_file, user, window,
};
use crate::ssr::files::{self, Kind};
use crate::time::format_cst;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr};
use serde_json::json;
use std::collections::HashMap;

/// Largest feedback photo.
pub const PHOTO_LIMIT_BYTES: usize = 10 * 1024 * 1024;
/// Photos per feedback.
pub const PHOTO_COUNT: usize = 6;
/// Feedback photos are pictures.
pub const PHOTO_KINDS: &[Kind] = &[Kind::Jpeg, Kind::Png, Kind::Webp];
/// Most characters of feedback text, a reply or a note.
pub const TEXT_LIMIT: usize = 2000;
/// Most characters of a rating comment.
pub const COMMENT_LIMIT: usize = 500;
/// The setting that lets clerks read feedback about their own cases.
pub const CLERKS_SEE_FEEDBACK: &str = "clerks_see_feedback";

const AUTHOR_PURPOSE: &str = "feedback-author";

fn refuse(reason: impl Into<String>) -> AppError {
    AppError::Rejected(vec![reason.into()])
}

fn is_staff_desk(user: &CurrentUser) -> bool {
    matches!(user.role, Role::Handler | Role::Chief)
}

/// The keyed hash that ties feedback to the account that filed it without naming it.
pub fn author_key(state: &AppState, account: &str) -> String {
    crypto::lookup_hash(state.config.data_key.expose(), AUTHOR_PURPOSE, account)
}

fn account_key(state: &AppState, user: &CurrentUser) -> String {
    author_key(state, &format!("user:{}", user.id))
}

fn text_within(text: &str, limit: usize, what: &str) -> Result<String, AppError> {
    let text = text.trim();
    if text.chars().count() > limit {
        return Err(refuse(format!("{what}不能超过{limit}字")));
    }
    Ok(text.to_owned())
}

// ---- ratings (好差评) ------------------------------------------------------------------

/// What is rated: a case or a visit, with who rates it and who was responsible.
struct Rated {
    kind: &'static str,
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

async fn rated(db: &impl ConnectionTrait, user: &CurrentUser, kind: &str, key: &str) -> Result<Rated, AppError> {
    match kind {
        "case" => {
            let found = crate::cases::service::find(db, key).await?;
            if !applicant_side(db, user, &found).await? {
                return Err(AppError::NotFound);
            }
            if CaseStatus::parse(&found.status) != Some(CaseStatus::Completed) {
                return Err(refuse("办件办结后才能评价"));
            }
            Ok(Rated {
                kind: "case",
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
        "visit" => {
            let found = booking::Entity::find().filter(booking::Column::Code.eq(key)).one(db).await?.ok_or(AppError::NotFound)?;
            if found.resident_id != user.id && found.booked_by != user.id {
                return Err(AppError::NotFound);
            }
            if found.status != "served" {
                return Err(refuse("到窗口办理完成后才能评价本次服务"));
            }
            let ticket = queue_ticket::Entity::find().filter(queue_ticket::Column::BookingId.eq(found.id)).one(db).await?;
            let staff = match ticket.as_ref().and_then(|t| t.window_id) {
                Some(w) => window::Entity::find_by_id(w).one(db).await?.and_then(|w| w.clerk_id),
                None => None,
            };
            Ok(Rated {
                kind: "visit",
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
        _ => Err(AppError::NotFound),
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
async fn rated_key(db: &impl ConnectionTrait, rating: &rating::Model) -> Result<(&'static str, String), AppError> {
    Ok(match (rating.case_id, rating.booking_id) {
        (Some(id), _) => ("case", case::Entity::find_by_id(id).one(db).await?.map(|c| c.number).unwrap_or_default()),
        (_, Some(id)) => ("visit", booking::Entity::find_by_id(id).one(db).await?.map(|b| b.code).unwrap_or_default()),
        _ => ("case", String::new()),
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
pub async fn rating_target(state: &AppState, user: &CurrentUser, kind: &str, key: &str, now: DateTime<Utc>) -> Result<RatingTarget, AppError> {
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
        kind: target.kind.to_owned(),
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
    pub kind: String,
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
    let level = Level::from_value(input.level).ok_or_else(|| refuse("请选择满意程度"))?;
    let comment = text_within(&input.comment, COMMENT_LIMIT, "评价内容")?;
    if let Some(bad) = input.tags.iter().find(|t| !TAGS.contains(&t.as_str())) {
        return Err(refuse(format!("没有“{bad}”这个评价标签")));
    }
    let txn = begin_write(&state.db).await?;
    let target = rated(&txn, user, &input.kind, &input.key).await?;
    let round = if input.fix { 2 } else { 1 };
    let task = if input.fix {
        let first = target_rating(&target, 1).one(&txn).await?.ok_or_else(|| refuse("没有需要评价的整改"))?;
        let task = rectification::Entity::find().filter(rectification::Column::RatingId.eq(first.id)).one(&txn).await?;
        match task {
            Some(t) if t.status == "fixed" => Some(t),
            _ => return Err(refuse("整改完成后才能评价整改结果")),
        }
    } else {
        if cst_today(now) > rating_closes(state, target.finished_at) {
            return Err(refuse(format!("评价期已过（办结后{}天内可评价）", state.config.feedback.rating_days)));
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
            return Err(refuse(if input.fix { "您已评价过整改结果" } else { "您已评价过，每件只能评价一次" }));
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
            return Err(refuse("整改状态已变化，请刷新后查看"));
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
    audit::record(&txn, Entry {
        actor_id: Some(user.id),
        on_behalf_of: (user.id != target.rater).then_some(target.rater),
        action: if input.fix { "rating.fix" } else { "rating.create" },
        entity: target.kind,
        entity_id: Some(target.key.clone()),
        detail: json!({ "level": level.value(), "on_paper": user.role == Role::Helper }),
    })
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn rectification_of(
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
        status_zh: match task.status.as_str() {
            "open" => "待回访",
            "called_back" => "已回访，整改中",
            "fixed" => "已整改，待评价",
            _ => "已完成",
        }
        .to_owned(),
        deadline: task.deadline.to_string(),
        overdue: open && cst_today(now) > task.deadline,
        item_name: first.item_name.clone(),
        target_kind: target_kind.to_owned(),
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

/// A handler works a rectification task: `callback` (open → called_back, what the
/// resident said on the phone) or `fix` (called_back → fixed, what was put right;
/// the resident is asked to rate the fix). The first handler to act owns it.
pub async fn rectify(state: &AppState, user: &CurrentUser, id: i32, action: &str, text: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    if !is_staff_desk(user) {
        return Err(AppError::NotFound);
    }
    let text = text_within(text, TEXT_LIMIT, "记录")?;
    if text.is_empty() {
        return Err(refuse(if action == "fix" { "请填写整改情况" } else { "请填写回访记录" }));
    }
    let txn = begin_write(&state.db).await?;
    let task = rectification::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if user.role != Role::Chief && task.owner_id.is_some_and(|o| o != user.id) {
        return Err(refuse("该整改任务由其他处理员负责（首问负责）"));
    }
    let (from, to, note_col, at_col) = match action {
        "callback" => ("open", "called_back", rectification::Column::CallbackNote, rectification::Column::CalledBackAt),
        "fix" => ("called_back", "fixed", rectification::Column::FixNote, rectification::Column::FixedAt),
        _ => return Err(refuse("未知的操作")),
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
        return Err(refuse(if action == "fix" { "请先回访群众，再记录整改情况" } else { "该任务已回访过，请刷新后查看" }));
    }
    let first = rating::Entity::find_by_id(task.rating_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    audit::record(&txn, Entry {
        actor_id: Some(user.id),
        on_behalf_of: None,
        action: if action == "fix" { "rectification.fix" } else { "rectification.callback" },
        entity: "rectification",
        entity_id: Some(task.id.to_string()),
        detail: json!({ "rating": first.id }),
    })
    .await?;
    let notice = if action == "fix" {
        let (kind, key) = rated_key(&txn, &first).await?;
        let mut users = vec![first.rater_id];
        if first.recorded_by != first.rater_id {
            users.push(first.recorded_by);
        }
        Some(notify(&txn, users, "整改结果", format!("您对“{}”的评价已整改：{text}。请对整改结果再次评价。", first.item_name), format!("/rate/{kind}/{key}"), now).await?)
    } else {
        None
    };
    txn.commit().await?;
    if let Some(notice) = notice {
        email(state, notice).await;
    }
    Ok(())
}

/// The rating figures over `[from, to)` (DESIGN.md §5): 主动评价率 = completed cases
/// their resident rated / cases completed; 满意率 = first ratings of 基本满意 or better
/// / all first ratings.
pub async fn figures(db: &impl ConnectionTrait, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<RatingFigures, AppError> {
    let completed_ids: Vec<i32> = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .filter(case::Column::Status.eq(CaseStatus::Completed.as_str()))
        .filter(case::Column::CompletedAt.gte(from))
        .filter(case::Column::CompletedAt.lt(to))
        .into_tuple()
        .all(db)
        .await?;
    let completed_rated = if completed_ids.is_empty() {
        0
    } else {
        let mut rated = 0;
        for chunk in completed_ids.chunks(500) {
            rated += rating::Entity::find()
                .filter(rating::Column::Round.eq(1))
                .filter(rating::Column::CaseId.is_in(chunk.iter().copied()))
                .count(db)
                .await?;
        }
        rated
    };
    let firsts = rating::Entity::find().filter(rating::Column::Round.eq(1)).filter(rating::Column::CreatedAt.gte(from)).filter(rating::Column::CreatedAt.lt(to));
    let ratings = firsts.clone().count(db).await?;
    let satisfied = firsts.filter(rating::Column::Level.gte(Level::Basic.value())).count(db).await?;
    Ok(RatingFigures { completed: completed_ids.len() as u64, completed_rated, ratings, satisfied })
}

// ---- feedback (投诉建议) ---------------------------------------------------------------

/// One feedback submission (from the form's fields).
#[derive(Clone, Debug, Default)]
pub struct NewFeedback {
    pub kind: String,
    pub body: String,
    pub anonymous: bool,
    pub publish: bool,
    pub about_case: String,
    pub about_staff: Option<i32>,
    pub about_station: Option<i32>,
    pub about_window: Option<i32>,
    /// Staff entry: where it came from and who to call back.
    pub source: String,
    pub contact_name: String,
    pub contact_phone: String,
    /// The form's one-time key.
    pub key: String,
}

/// A checked photo waiting to be stored with the feedback.
pub struct Photo {
    pub name: String,
    pub kind: Kind,
    pub temp: files::TempFile,
}

fn status_of(row: &feedback::Model) -> FeedbackStatus {
    FeedbackStatus::parse(&row.status).unwrap_or(FeedbackStatus::Submitted)
}

fn kind_of(row: &feedback::Model) -> FeedbackKind {
    FeedbackKind::parse(&row.kind).unwrap_or(FeedbackKind::Suggestion)
}

fn source_of(row: &feedback::Model) -> Source {
    Source::parse(&row.source).unwrap_or(Source::Online)
}

async fn next_number(txn: &impl ConnectionTrait, day: NaiveDate) -> Result<String, AppError> {
    feedback_sequence::Entity::insert(feedback_sequence::ActiveModel { day: Set(day), last: Set(0) })
        .on_conflict(OnConflict::column(feedback_sequence::Column::Day).do_nothing().to_owned())
        .exec_without_returning(txn)
        .await?;
    feedback_sequence::Entity::update_many()
        .col_expr(feedback_sequence::Column::Last, Expr::col(feedback_sequence::Column::Last).add(1))
        .filter(feedback_sequence::Column::Day.eq(day))
        .exec(txn)
        .await?;
    let last = feedback_sequence::Entity::find_by_id(day).one(txn).await?.map_or(1, |s| s.last);
    Ok(format!("YJ{}-{last:04}", day.format("%Y%m%d")))
}

/// Checks the fields of a submission before any photo is stored.
pub async fn check_submission(state: &AppState, user: &CurrentUser, input: &NewFeedback, now: DateTime<Utc>) -> Result<(), AppError> {
    validate(state, user, input, now).await.map(|_| ())
}

struct Checked {
    kind: FeedbackKind,
    source: Source,
    body: String,
    about_case: Option<case::Model>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
}

/// The throttle key of an account's submissions (its keyed hash, never its id).
fn rate_key(state: &AppState, user: &CurrentUser) -> String {
    format!("feedback:{}", account_key(state, user))
}

async fn validate(state: &AppState, user: &CurrentUser, input: &NewFeedback, now: DateTime<Utc>) -> Result<Checked, AppError> {
    let db = &state.db;
    let kind = FeedbackKind::parse(&input.kind).ok_or_else(|| refuse("请选择投诉、建议或表扬"))?;
    let body = text_within(&input.body, TEXT_LIMIT, "内容")?;
    if body.chars().count() < 5 {
        return Err(refuse("请把情况写清楚（至少5个字）"));
    }
    if input.anonymous && kind != FeedbackKind::Suggestion {
        return Err(refuse("只有建议可以匿名提交；投诉需要留下联系方式以便回访"));
    }
    let staff_entry = is_staff_desk(user);
    let source = if staff_entry {
        match Source::parse(&input.source) {
            Some(s) if s != Source::Online => s,
            _ => return Err(refuse("请选择意见来源：意见簿、意见箱或监督电话")),
        }
    } else {
        match user.role {
            Role::Resident | Role::Helper => Source::Online,
            _ => return Err(AppError::Forbidden),
        }
    };
    let contact_name = match input.contact_name.trim() {
        "" => None,
        name => Some(PersonName::parse(name).map_err(|m| refuse(m.zh()))?.as_str().to_owned()),
    };
    let contact_phone = match input.contact_phone.trim() {
        "" => None,
        phone => Some(PhoneNumber::parse(phone).map_err(|m| refuse(m.zh()))?.as_str().to_owned()),
    };
    if (contact_name.is_some() || contact_phone.is_some()) && !staff_entry && user.role != Role::Helper {
        return Err(refuse("联系方式取自您的账号，无需填写"));
    }
    let about_case = match input.about_case.trim() {
        "" => None,
        number => {
            let found = crate::cases::service::find(db, number).await.map_err(|_| refuse("没有找到这个办件编号"))?;
            if !staff_entry && !applicant_side(db, user, &found).await? {
                return Err(refuse("没有找到这个办件编号"));
            }
            Some(found)
        }
    };
    if let Some(staff) = input.about_staff {
        let found = user::Entity::find_by_id(staff).one(db).await?;
        if !found.is_some_and(|u| u.role != Role::Resident.as_str()) {
            return Err(refuse("没有这位工作人员"));
        }
    }
    if let Some(id) = input.about_station
        && station::Entity::find_by_id(id).one(db).await?.is_none()
    {
        return Err(refuse("没有这个便民服务站"));
    }
    if let Some(id) = input.about_window
        && window::Entity::find_by_id(id).one(db).await?.is_none()
    {
        return Err(refuse("没有这个窗口"));
    }
    if !staff_entry {
        // A cheap early answer before any photo is read; `submit` counts atomically.
        if throttle::peek(db, &rate_key(state, user), Duration::hours(1), now).await? >= i32::try_from(state.config.feedback.per_hour).unwrap_or(i32::MAX) {
            return Err(AppError::TooManyRequests(crate::i18n::Msg::ErrFeedbackLimited));
        }
    }
    Ok(Checked { kind, source, body, about_case, contact_name, contact_phone })
}

/// Files feedback with its photos; returns its number. The photos go to the object
/// store first, then one transaction records everything (or the photos are removed
/// again). Resubmitting the same form returns the first number and files nothing.
#[tracing::instrument(skip(state, input, photos), fields(user = user.id))]
pub async fn submit(state: &AppState, user: &CurrentUser, input: &NewFeedback, photos: Vec<Photo>, now: DateTime<Utc>) -> Result<String, AppError> {
    let submit_key = author_key(state, &format!("submit:{}:{}", user.id, input.key.trim()));
    if input.key.trim().is_empty() || input.key.len() > 64 {
        return Err(refuse("表单已过期，请刷新页面后重新提交"));
    }
    if let Some(existing) = feedback::Entity::find().filter(feedback::Column::SubmitKey.eq(&submit_key)).one(&state.db).await? {
        return Ok(existing.number);
    }
    let checked = validate(state, user, input, now).await?;
    if photos.len() > PHOTO_COUNT {
        return Err(refuse(format!("最多上传{PHOTO_COUNT}张照片")));
    }
    // Counted in one atomic statement before the photos are stored: concurrent
    // submissions cannot all pass a check made before any of them was recorded.
    if !is_staff_desk(user)
        && throttle::hit(&state.db, &rate_key(state, user), Duration::hours(1), now).await?.hits > i32::try_from(state.config.feedback.per_hour).unwrap_or(i32::MAX)
    {
        return Err(AppError::TooManyRequests(crate::i18n::Msg::ErrFeedbackLimited));
    }
    let mut stored = Vec::new();
    for photo in &photos {
        match files::put_temp(&state.files, "feedback", &photo.temp).await {
            Ok(s) => stored.push(s),
            Err(err) => {
                for s in &stored {
                    files::forget(&state.files, &s.key).await;
                }
                return Err(err);
            }
        }
    }
    let result = record_feedback(state, user, input, checked, &photos, &stored, &submit_key, now).await;
    if result.is_err() {
        for s in &stored {
            files::forget(&state.files, &s.key).await;
        }
    }
    match result {
        Err(AppError::Internal) => {
            // A double tap that raced past the first check: the other one was filed.
            match feedback::Entity::find().filter(feedback::Column::SubmitKey.eq(&submit_key)).one(&state.db).await? {
                Some(existing) => Ok(existing.number),
                None => result,
            }
        }
        other => other,
    }
}

#[allow(clippy::too_many_arguments)]
async fn record_feedback(
    state: &AppState,
    user: &CurrentUser,
    input: &NewFeedback,
    checked: Checked,
    photos: &[Photo],
    stored: &[files::Stored],
    submit_key: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let rules = state.config.feedback;
    let txn = begin_write(&state.db).await?;
    let today = cst_today(now);
    let calendar = calendar(&txn).await?;
    let number = next_number(&txn, today).await?;
    let staff_entry = is_staff_desk(user);
    let anonymous = input.anonymous && !staff_entry;
    let row = feedback::ActiveModel {
        number: Set(number.clone()),
        kind: Set(checked.kind.as_str().to_owned()),
        source: Set(checked.source.as_str().to_owned()),
        body: Set(checked.body),
        anonymous: Set(anonymous),
        author_id: Set((user.role == Role::Resident && !anonymous).then_some(user.id)),
        // Staff entries belong to no account; everything else to the filer's.
        author_key: Set(if staff_entry { author_key(state, &format!("entry:{submit_key}")) } else { account_key(state, user) }),
        entered_by: Set((staff_entry || (user.role == Role::Helper && !anonymous)).then_some(user.id)),
        contact_name: Set(checked.contact_name),
        contact_phone: Set(checked.contact_phone),
        about_case_id: Set(checked.about_case.as_ref().map(|c| c.id)),
        about_staff_id: Set(input.about_staff),
        about_station_id: Set(input.about_station),
        about_window_id: Set(input.about_window),
        complex: Set(false),
        status: Set(FeedbackStatus::Submitted.as_str().to_owned()),
        owner_id: Set(None),
        contact_due: Set(calendar.add_working_days(today, rules.contact_days)),
        reply_due: Set(calendar.add_working_days(today, rules.reply_days)),
        contacted_at: Set(None),
        replied_at: Set(None),
        reply: Set(None),
        closed_at: Set(None),
        reopened: Set(false),
        reopen_reason: Set(None),
        outcome_level: Set(None),
        publish_allowed: Set(input.publish && checked.kind == FeedbackKind::Suggestion && !staff_entry),
        submit_key: Set(submit_key.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (photo, stored) in photos.iter().zip(stored) {
        let file = files::record(&txn, stored, "feedback", &photo.name, photo.kind, if anonymous { None } else { Some(user.id) }, now).await?;
        feedback_file::ActiveModel { feedback_id: Set(row.id), file_id: Set(file.id), created_at: Set(now), ..Default::default() }.insert(&txn).await?;
    }
    let actor = if anonymous { "匿名群众".to_owned() } else if staff_entry { actor_name(user) } else { filer_name(user) };
    let what = if staff_entry { format!("录入{}（来源：{}）", checked.kind.zh(), checked.source.zh()) } else { format!("提交{}", checked.kind.zh()) };
    add_event(&txn, row.id, if anonymous { None } else { Some(user.id) }, &actor, "submitted", what, false, now).await?;
    audit::record(&txn, Entry {
        // An anonymous suggestion's audit entry names no one either.
        actor_id: if anonymous { None } else { Some(user.id) },
        on_behalf_of: None,
        action: "feedback.create",
        entity: "feedback",
        entity_id: Some(number.clone()),
        detail: json!({ "kind": checked.kind.as_str(), "source": checked.source.as_str(), "photos": photos.len() }),
    })
    .await?;
    txn.commit().await?;
    Ok(number)
}

fn filer_name(user: &CurrentUser) -> String {
    match user.role {
        Role::Helper => actor_name(user),
        _ => "群众".to_owned(),
    }
}

#[allow(clippy::too_many_arguments)]
async fn add_event(db: &impl ConnectionTrait, feedback_id: i32, actor: Option<i32>, actor_name: &str, kind: &str, message: String, internal: bool, now: DateTime<Utc>) -> Result<(), AppError> {
    feedback_event::ActiveModel {
        feedback_id: Set(feedback_id),
        at: Set(now),
        actor_id: Set(actor),
        actor_name: Set(actor_name.to_owned()),
        kind: Set(kind.to_owned()),
        message: Set(message),
        internal: Set(internal),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

async fn clerks_see_feedback(db: &impl ConnectionTrait) -> Result<bool, AppError> {
    Ok(setting::Entity::find_by_id(CLERKS_SEE_FEEDBACK.to_owned()).one(db).await?.is_some_and(|s| s.value == "true"))
}

/// The chief allows or stops clerks reading feedback about their own cases.
pub async fn set_clerks_see_feedback(state: &AppState, user: &CurrentUser, allow: bool) -> Result<(), AppError> {
    if user.role != Role::Chief {
        return Err(AppError::Forbidden);
    }
    let txn = begin_write(&state.db).await?;
    setting::Entity::insert(setting::ActiveModel { name: Set(CLERKS_SEE_FEEDBACK.to_owned()), value: Set(allow.to_string()) })
        .on_conflict(OnConflict::column(setting::Column::Name).update_column(setting::Column::Value).to_owned())
        .exec(&txn)
        .await?;
    audit::record(&txn, Entry { actor_id: Some(user.id), on_behalf_of: None, action: "setting.change", entity: "setting", entity_id: Some(CLERKS_SEE_FEEDBACK.to_owned()), detail: json!({ "value": allow }) }).await?;
    txn.commit().await?;
    Ok(())
}

/// How the caller stands to one feedback item.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Viewer {
    Author,
    Desk,
    Clerk,
}

async fn viewer(state: &AppState, user: &CurrentUser, row: &feedback::Model) -> Result<Option<Viewer>, AppError> {
    Ok(match user.role {
        Role::Handler | Role::Chief => Some(Viewer::Desk),
        Role::Resident | Role::Helper => (row.author_key == account_key(state, user)).then_some(Viewer::Author),
        Role::Clerk => {
            let about_own = match row.about_case_id {
                Some(id) => case::Entity::find_by_id(id).one(&state.db).await?.is_some_and(|c| c.owner_id == Some(user.id)),
                None => false,
            };
            (about_own && clerks_see_feedback(&state.db).await?).then_some(Viewer::Clerk)
        }
    })
}

async fn find(db: &impl ConnectionTrait, number: &str) -> Result<feedback::Model, AppError> {
    feedback::Entity::find().filter(feedback::Column::Number.eq(number.trim())).one(db).await?.ok_or(AppError::NotFound)
}

/// (overdue, due soon): past the reply deadline, or past the first-contact deadline
/// with no contact on record; due soon when a deadline is a working day or less away.
fn due_flags(calendar: &Calendar, row: &feedback::Model, now: DateTime<Utc>) -> (bool, bool) {
    if !status_of(row).awaits_reply() {
        return (false, false);
    }
    let today = cst_today(now);
    let next = if row.contacted_at.is_none() { Ord::min(row.contact_due, row.reply_due) } else { row.reply_due };
    let overdue = today > next || today > row.reply_due;
    let due_soon = !overdue && calendar.working_days_between(today, next) <= 1;
    (overdue, due_soon)
}

fn summary(calendar: &Calendar, row: &feedback::Model, owners: &HashMap<i32, String>, now: DateTime<Utc>) -> FeedbackSummary {
    let (overdue, due_soon) = due_flags(calendar, row, now);
    let mut excerpt: String = row.body.chars().take(40).collect();
    if row.body.chars().count() > 40 {
        excerpt.push('…');
    }
    FeedbackSummary {
        number: row.number.clone(),
        kind: kind_of(row),
        source: source_of(row),
        status: status_of(row),
        excerpt,
        created_at: format_cst(row.created_at),
        reply_due: row.reply_due.to_string(),
        overdue,
        due_soon,
        owner: row.owner_id.and_then(|o| owners.get(&o).cloned()),
    }
}

async fn staff_names(db: &impl ConnectionTrait) -> Result<HashMap<i32, String>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::Role.ne(Role::Resident.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name.unwrap_or_else(|| format!("工作人员{}", u.id))))
        .collect())
}

/// The caller's own feedback, newest first (anonymous ones too).
pub async fn my_feedback(state: &AppState, user: &CurrentUser, now: DateTime<Utc>) -> Result<Vec<FeedbackSummary>, AppError> {
    let rows = feedback::Entity::find().filter(feedback::Column::AuthorKey.eq(account_key(state, user))).order_by_desc(feedback::Column::Id).all(&state.db).await?;
    let calendar = calendar(&state.db).await?;
    Ok(rows.iter().map(|r| summary(&calendar, r, &HashMap::new(), now)).collect())
}

/// Choices for the form: the caller's cases, stations, windows and staff to name.
pub async fn feedback_form(state: &AppState, user: &CurrentUser, staff: bool) -> Result<FeedbackForm, AppError> {
    let db = &state.db;
    if staff && !is_staff_desk(user) {
        return Err(AppError::Forbidden);
    }
    if !staff && !matches!(user.role, Role::Resident | Role::Helper) {
        return Err(AppError::Forbidden);
    }
    let cases = if staff {
        Vec::new()
    } else {
        let query = match user.role {
            Role::Helper => case::Entity::find().filter(case::Column::FiledBy.eq(user.id)),
            _ => case::Entity::find().filter(case::Column::FiledBy.eq(user.id).or(case::Column::ApplicantId.eq(user.id))),
        };
        query
            .filter(case::Column::Status.ne(CaseStatus::Draft.as_str()))
            .order_by_desc(case::Column::Id)
            .limit(20)
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.number, c.item_name))
            .collect()
    };
    let stations = station::Entity::find().order_by_asc(station::Column::Id).all(db).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let windows = window::Entity::find().filter(window::Column::Active.eq(true)).order_by_asc(window::Column::Id).all(db).await?.into_iter().map(|w| (w.id, w.name)).collect();
    let staff_list = active_people(db, &[Role::Clerk, Role::Helper]).await?;
    Ok(FeedbackForm { cases, stations, windows, staff: staff_list, staff_entry: staff, key: crypto::random_token() })
}

/// Active accounts of `roles` as (id, name), in the order they were created.
async fn active_people(db: &impl ConnectionTrait, roles: &[Role]) -> Result<Vec<(i32, String)>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::Role.is_in(roles.iter().map(|r| r.as_str())))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name.unwrap_or_else(|| format!("工作人员{}", u.id))))
        .collect())
}

/// One feedback item as the caller may see it.
pub async fn feedback_view(state: &AppState, user: &CurrentUser, number: &str, now: DateTime<Utc>) -> Result<FeedbackView, AppError> {
    let db = &state.db;
    let row = find(db, number).await?;
    let Some(viewer) = viewer(state, user, &row).await? else {
        return Err(AppError::NotFound);
    };
    let staff_side = viewer != Viewer::Author;
    let calendar = calendar(db).await?;
    let names = staff_names(db).await?;
    let status = status_of(&row);
    let mut about = Vec::new();
    let about_case = match row.about_case_id {
        Some(id) => case::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    if let Some(c) = &about_case {
        about.push(format!("办件 {}（{}）", c.number, c.item_name));
    }
    if let Some(id) = row.about_staff_id {
        about.push(format!("工作人员 {}", names.get(&id).cloned().unwrap_or_default()));
    }
    if let Some(id) = row.about_station_id
        && let Some(s) = station::Entity::find_by_id(id).one(db).await?
    {
        about.push(format!("服务站 {}", s.name));
    }
    if let Some(id) = row.about_window_id
        && let Some(w) = window::Entity::find_by_id(id).one(db).await?
    {
        about.push(format!("窗口 {}", w.name));
    }
    let (author, contact) = if staff_side && !row.anonymous {
        let account = match row.author_id.or(row.entered_by.filter(|_| source_of(&row) == Source::Online)) {
            Some(id) => user::Entity::find_by_id(id).one(db).await?,
            None => None,
        };
        let author = account.as_ref().map(|a| a.name.clone().unwrap_or_else(|| "居民".to_owned()));
        let contact = match (&row.contact_name, &row.contact_phone) {
            (None, None) => account.map(|a| a.phone),
            (name, phone) => Some(format!("{} {}", name.clone().unwrap_or_default(), phone.clone().unwrap_or_default()).trim().to_owned()),
        };
        (author, contact)
    } else {
        (None, None)
    };
    let events = feedback_event::Entity::find().filter(feedback_event::Column::FeedbackId.eq(row.id)).order_by_desc(feedback_event::Column::Id).all(db).await?;
    let timeline = events
        .into_iter()
        .filter(|e| staff_side || !e.internal)
        .map(|e| TimelineEntry {
            at: format_cst(e.at),
            actor: if e.internal { format!("{}（内部备注）", e.actor_name) } else { e.actor_name },
            message: e.message,
        })
        .collect();
    let files = feedback_file::Entity::find().filter(feedback_file::Column::FeedbackId.eq(row.id)).order_by_asc(feedback_file::Column::Id).all(db).await?.into_iter().map(|f| f.id).collect();
    let (overdue, _) = due_flags(&calendar, &row, now);
    let staff = if viewer == Viewer::Desk { Some(actions(db, user, &row).await?) } else { None };
    Ok(FeedbackView {
        number: row.number.clone(),
        kind: kind_of(&row),
        source: source_of(&row),
        status,
        body: row.body.clone(),
        anonymous: row.anonymous,
        author,
        contact,
        about,
        about_case: about_case.map(|c| c.number),
        complex: row.complex,
        owner: row.owner_id.filter(|_| staff_side).and_then(|o| names.get(&o).cloned()),
        contact_due: row.contact_due.to_string(),
        reply_due: row.reply_due.to_string(),
        overdue,
        reply: row.reply.clone(),
        reopen_reason: row.reopen_reason.clone(),
        outcome: row.outcome_level.and_then(Level::from_value),
        publish_allowed: row.publish_allowed,
        files,
        timeline,
        can_confirm: viewer == Viewer::Author && status == FeedbackStatus::Replied,
        can_reopen: viewer == Viewer::Author && status == FeedbackStatus::Replied && !row.reopened,
        staff,
    })
}

fn may_act(user: &CurrentUser, row: &feedback::Model) -> bool {
    user.role == Role::Chief || row.owner_id.is_none_or(|o| o == user.id)
}

async fn actions(db: &impl ConnectionTrait, user: &CurrentUser, row: &feedback::Model) -> Result<FeedbackActions, AppError> {
    let status = status_of(row);
    let mine = may_act(user, row);
    let open = status != FeedbackStatus::Closed;
    let handlers = active_people(db, &[Role::Handler]).await?;
    let staff = active_people(db, &[Role::Clerk, Role::Helper, Role::Handler]).await?;
    let templates = reply_template::Entity::find().order_by_asc(reply_template::Column::Id).all(db).await?.into_iter().map(|t| (t.id, t.title, t.body)).collect();
    Ok(FeedbackActions {
        take: open && row.owner_id.is_none(),
        contact: open && mine && row.contacted_at.is_none(),
        reply: mine && status.awaits_reply(),
        note: open,
        close: mine && (status == FeedbackStatus::Replied || (kind_of(row) == FeedbackKind::Praise && open)),
        reassign: open && mine && row.owner_id.is_some(),
        handlers,
        staff,
        templates,
    })
}

/// Filters of the handler's inbox (empty: all).
#[derive(Clone, Debug, Default)]
pub struct InboxFilter {
    pub kind: String,
    pub status: String,
    pub source: String,
    /// `due_soon`, `overdue` or empty.
    pub due: String,
}

/// The console: feedback matching the filter (by reply deadline), the open
/// rectification tasks and the month's figures. Clerks get only feedback about their
/// own cases, and only when the chief allows it.
pub async fn inbox(state: &AppState, user: &CurrentUser, filter: &InboxFilter, now: DateTime<Utc>) -> Result<HandlerInbox, AppError> {
    let db = &state.db;
    let mut query = feedback::Entity::find();
    if !filter.kind.is_empty() {
        query = query.filter(feedback::Column::Kind.eq(&filter.kind));
    }
    if !filter.status.is_empty() {
        query = query.filter(feedback::Column::Status.eq(&filter.status));
    }
    if !filter.source.is_empty() {
        query = query.filter(feedback::Column::Source.eq(&filter.source));
    }
    if user.role == Role::Clerk {
        if !clerks_see_feedback(db).await? {
            return Err(AppError::Forbidden);
        }
        let own: Vec<i32> = case::Entity::find().select_only().column(case::Column::Id).filter(case::Column::OwnerId.eq(user.id)).into_tuple().all(db).await?;
        query = query.filter(feedback::Column::AboutCaseId.is_in(own));
    }
    let rows = query.order_by_asc(feedback::Column::ReplyDue).order_by_asc(feedback::Column::Id).limit(500).all(db).await?;
    let calendar = calendar(db).await?;
    let names = staff_names(db).await?;
    let feedback: Vec<FeedbackSummary> = rows
        .iter()
        .map(|r| summary(&calendar, r, &names, now))
        .filter(|s| match filter.due.as_str() {
            "overdue" => s.overdue,
            "due_soon" => s.due_soon,
            _ => true,
        })
        .collect();
    let mut rectifications = Vec::new();
    if is_staff_desk(user) {
        let tasks = rectification::Entity::find().filter(rectification::Column::Status.ne("closed")).order_by_asc(rectification::Column::Deadline).limit(200).all(db).await?;
        for task in &tasks {
            if let Some(first) = rating::Entity::find_by_id(task.rating_id).one(db).await? {
                rectifications.push(rectification_of(db, task, &first, None, true, Some(user), now).await?);
            }
        }
    }
    let month_start = chrono::Datelike::with_day(&cst_today(now), 1).unwrap_or(cst_today(now));
    let from = crate::time::cst_midnight(month_start);
    let figures = if is_staff_desk(user) { figures(db, from, now + Duration::seconds(1)).await? } else { RatingFigures::default() };
    Ok(HandlerInbox {
        feedback,
        rectifications,
        figures,
        clerks_see_feedback: if user.role == Role::Chief { Some(clerks_see_feedback(db).await?) } else { None },
        can_enter: is_staff_desk(user),
    })
}

/// One handler action (see [`super::feedback_act`]).
#[derive(Clone, Debug, Default)]
pub struct HandlerAct {
    pub action: String,
    pub text: String,
    pub to: Option<i32>,
    pub template: Option<i32>,
}

/// Sets the status from one of `from` with `columns`; a clear refusal when the item
/// moved on meanwhile.
async fn move_status(db: &impl ConnectionTrait, row: &feedback::Model, from: &[FeedbackStatus], to: FeedbackStatus, now: DateTime<Utc>, columns: Vec<(feedback::Column, Expr)>) -> Result<(), AppError> {
    let mut update = feedback::Entity::update_many().col_expr(feedback::Column::Status, Expr::value(to.as_str())).col_expr(feedback::Column::UpdatedAt, Expr::value(now));
    for (column, value) in columns {
        update = update.col_expr(column, value);
    }
    let changed = update.filter(feedback::Column::Id.eq(row.id)).filter(feedback::Column::Status.is_in(from.iter().map(|s| s.as_str()))).exec(db).await?;
    if changed.rows_affected == 1 { Ok(()) } else { Err(refuse(format!("该件当前状态为“{}”，不能进行此操作，请刷新后查看", status_of(row).zh()))) }
}

fn author_users(row: &feedback::Model) -> Vec<i32> {
    // Anonymous feedback has no account on record: its author follows it in the app.
    row.author_id.into_iter().chain(row.entered_by.filter(|_| source_of(row) == Source::Online)).collect()
}

/// A handler's action on feedback. The first to act owns it (首问负责); others may
/// add internal notes; the owner or the chief reassigns on record.
#[tracing::instrument(skip(state, act), fields(user = user.id, action = %act.action))]
pub async fn act(state: &AppState, user: &CurrentUser, number: &str, act: &HandlerAct, now: DateTime<Utc>) -> Result<(), AppError> {
    if !is_staff_desk(user) {
        return Err(AppError::NotFound);
    }
    let rules = state.config.feedback;
    let text = text_within(&act.text, TEXT_LIMIT, "内容")?;
    let txn = begin_write(&state.db).await?;
    let row = find(&txn, number).await?;
    let status = status_of(&row);
    let who = actor_name(user);
    let owner = Expr::value(row.owner_id.unwrap_or(user.id));
    if act.action != "note" && act.action != "take" && !may_act(user, &row) {
        return Err(refuse("该件由其他处理员负责（首问负责），如需接手请由负责人或首席事务代表转交"));
    }
    let mut notice = None;
    match act.action.as_str() {
        "take" => {
            let changed = feedback::Entity::update_many()
                .col_expr(feedback::Column::OwnerId, Expr::value(user.id))
                .col_expr(feedback::Column::Status, Expr::value(if status == FeedbackStatus::Submitted { FeedbackStatus::Assigned.as_str() } else { status.as_str() }))
                .col_expr(feedback::Column::UpdatedAt, Expr::value(now))
                .filter(feedback::Column::Id.eq(row.id))
                .filter(feedback::Column::OwnerId.is_null())
                .filter(feedback::Column::Status.ne(FeedbackStatus::Closed.as_str()))
                .exec(&txn)
                .await?;
            if changed.rows_affected != 1 {
                return Err(refuse("该件已有处理员负责，请刷新后查看"));
            }
            add_event(&txn, row.id, Some(user.id), &who, "assigned", "受理并负责办理".to_owned(), false, now).await?;
        }
        "contact" => {
            if text.is_empty() {
                return Err(refuse("请填写联系情况"));
            }
            if row.contacted_at.is_some() || status == FeedbackStatus::Closed {
                return Err(refuse("已记录过首次联系"));
            }
            let from = [FeedbackStatus::Submitted, FeedbackStatus::Assigned, FeedbackStatus::Reopened];
            let to = if status == FeedbackStatus::Submitted { FeedbackStatus::Assigned } else { status };
            move_status(&txn, &row, &from, to, now, vec![(feedback::Column::ContactedAt, Expr::value(now)), (feedback::Column::OwnerId, owner)]).await?;
            add_event(&txn, row.id, Some(user.id), &who, "contacted", format!("首次联系：{text}"), false, now).await?;
        }
        "reply" => {
            let text = match (text.is_empty(), act.template) {
                (false, _) => text,
                (true, Some(id)) => reply_template::Entity::find_by_id(id).one(&txn).await?.map(|t| t.body).ok_or_else(|| refuse("没有这个答复模板"))?,
                (true, None) => return Err(refuse("请填写答复内容")),
            };
            let from = [FeedbackStatus::Submitted, FeedbackStatus::Assigned, FeedbackStatus::Reopened];
            let mut columns = vec![(feedback::Column::RepliedAt, Expr::value(now)), (feedback::Column::Reply, Expr::value(text.clone())), (feedback::Column::OwnerId, owner)];
            if row.contacted_at.is_none() {
                columns.push((feedback::Column::ContactedAt, Expr::value(now)));
            }
            move_status(&txn, &row, &from, FeedbackStatus::Replied, now, columns).await?;
            add_event(&txn, row.id, Some(user.id), &who, "replied", format!("答复：{text}"), false, now).await?;
            let users = author_users(&row);
            notice = Some(notify(&txn, users, "意见已答复", format!("您的{}（{}）已答复，请查看并确认处理结果。", kind_of(&row).zh(), row.number), format!("/feedback/{}", row.number), now).await?);
        }
        "note" => {
            if text.is_empty() {
                return Err(refuse("请填写备注内容"));
            }
            add_event(&txn, row.id, Some(user.id), &who, "note", text, true, now).await?;
        }
        "complex" => {
            if !status.awaits_reply() {
                return Err(refuse("已答复或办结的件不能再标为复杂件"));
            }
            let calendar = calendar(&txn).await?;
            let due = calendar.add_working_days(cst_today(row.created_at), rules.complex_days);
            let changed = feedback::Entity::update_many()
                .col_expr(feedback::Column::Complex, Expr::value(true))
                .col_expr(feedback::Column::ReplyDue, Expr::value(due))
                .col_expr(feedback::Column::OwnerId, owner)
                .filter(feedback::Column::Id.eq(row.id))
                .filter(feedback::Column::Complex.eq(false))
                .exec(&txn)
                .await?;
            if changed.rows_affected != 1 {
                return Err(refuse("该件已是复杂件"));
            }
            add_event(&txn, row.id, Some(user.id), &who, "complex", format!("标为复杂件，答复期限延至{due}"), false, now).await?;
        }
        "reassign" => {
            let to = act.to.ok_or_else(|| refuse("请选择转交给哪位处理员"))?;
            let target = user::Entity::find_by_id(to).one(&txn).await?.filter(|u| u.role == Role::Handler.as_str() && u.active).ok_or_else(|| refuse("只能转交给在岗的投诉处理员"))?;
            if status == FeedbackStatus::Closed || row.owner_id == Some(to) {
                return Err(refuse("该件不能转交给这位处理员"));
            }
            feedback::Entity::update_many()
                .col_expr(feedback::Column::OwnerId, Expr::value(to))
                .col_expr(feedback::Column::UpdatedAt, Expr::value(now))
                .filter(feedback::Column::Id.eq(row.id))
                .exec(&txn)
                .await?;
            add_event(&txn, row.id, Some(user.id), &who, "reassigned", format!("转交投诉处理员{}负责", target.name.unwrap_or_default()), false, now).await?;
        }
        "link_case" => {
            let number = CaseNumber::parse(&text).map_err(|m| refuse(m.zh()))?;
            let found = crate::cases::service::find(&txn, number.as_str()).await.map_err(|_| refuse("没有找到这个办件编号"))?;
            feedback::Entity::update_many().col_expr(feedback::Column::AboutCaseId, Expr::value(found.id)).filter(feedback::Column::Id.eq(row.id)).exec(&txn).await?;
            add_event(&txn, row.id, Some(user.id), &who, "linked", format!("关联办件 {}", found.number), true, now).await?;
        }
        "link_staff" => {
            let to = act.to.ok_or_else(|| refuse("请选择工作人员"))?;
            let target = user::Entity::find_by_id(to).one(&txn).await?.filter(|u| u.role != Role::Resident.as_str()).ok_or_else(|| refuse("没有这位工作人员"))?;
            feedback::Entity::update_many().col_expr(feedback::Column::AboutStaffId, Expr::value(to)).filter(feedback::Column::Id.eq(row.id)).exec(&txn).await?;
            add_event(&txn, row.id, Some(user.id), &who, "linked", format!("关联工作人员 {}", target.name.unwrap_or_default()), true, now).await?;
        }
        "close" => {
            let from: &[FeedbackStatus] = if kind_of(&row) == FeedbackKind::Praise {
                &[FeedbackStatus::Submitted, FeedbackStatus::Assigned, FeedbackStatus::Replied, FeedbackStatus::Reopened]
            } else {
                &[FeedbackStatus::Replied]
            };
            if !from.contains(&status) {
                return Err(refuse("答复后才能办结"));
            }
            move_status(&txn, &row, from, FeedbackStatus::Closed, now, vec![(feedback::Column::ClosedAt, Expr::value(now)), (feedback::Column::OwnerId, owner)]).await?;
            add_event(&txn, row.id, Some(user.id), &who, "closed", if text.is_empty() { "办结".to_owned() } else { format!("办结：{text}") }, false, now).await?;
        }
        _ => return Err(refuse("未知的操作")),
    }
    audit::record(&txn, Entry { actor_id: Some(user.id), on_behalf_of: None, action: "feedback.act", entity: "feedback", entity_id: Some(row.number.clone()), detail: json!({ "action": act.action }) }).await?;
    txn.commit().await?;
    if let Some(notice) = notice {
        email(state, notice).await;
    }
    Ok(())
}

async fn find_for_author(state: &AppState, txn: &impl ConnectionTrait, user: &CurrentUser, number: &str) -> Result<feedback::Model, AppError> {
    let row = find(txn, number).await?;
    if row.author_key == account_key(state, user) { Ok(row) } else { Err(AppError::NotFound) }
}

/// The author confirms the reply and rates the handling: replied → closed.
pub async fn confirm(state: &AppState, user: &CurrentUser, number: &str, level: i32, now: DateTime<Utc>) -> Result<(), AppError> {
    let level = Level::from_value(level).ok_or_else(|| refuse("请选择对处理结果的满意程度"))?;
    let txn = begin_write(&state.db).await?;
    let row = find_for_author(state, &txn, user, number).await?;
    move_status(&txn, &row, &[FeedbackStatus::Replied], FeedbackStatus::Closed, now, vec![
        (feedback::Column::ClosedAt, Expr::value(now)),
        (feedback::Column::OutcomeLevel, Expr::value(level.value())),
    ])
    .await?;
    let who = if row.anonymous { "匿名群众".to_owned() } else { filer_name(user) };
    add_event(&txn, row.id, (!row.anonymous).then_some(user.id), &who, "confirmed", format!("确认处理结果，评价：{}", level.zh()), false, now).await?;
    audit::record(&txn, Entry { actor_id: (!row.anonymous).then_some(user.id), on_behalf_of: None, action: "feedback.confirm", entity: "feedback", entity_id: Some(row.number.clone()), detail: json!({ "level": level.value() }) }).await?;
    txn.commit().await?;
    Ok(())
}

/// The author reopens a reply once, with a reason: replied → reopened, with a new
/// reply deadline; the same handler stays responsible.
pub async fn reopen(state: &AppState, user: &CurrentUser, number: &str, reason: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let reason = text_within(reason, COMMENT_LIMIT, "理由")?;
    if reason.is_empty() {
        return Err(refuse("请说明对答复不满意的理由"));
    }
    let txn = begin_write(&state.db).await?;
    let row = find_for_author(state, &txn, user, number).await?;
    if row.reopened {
        return Err(refuse("每件意见只能重新办理一次，如仍有意见请拨打监督电话"));
    }
    let calendar = calendar(&txn).await?;
    let due = calendar.add_working_days(cst_today(now), state.config.feedback.reply_days);
    move_status(&txn, &row, &[FeedbackStatus::Replied], FeedbackStatus::Reopened, now, vec![
        (feedback::Column::Reopened, Expr::value(true)),
        (feedback::Column::ReopenReason, Expr::value(reason.clone())),
        (feedback::Column::ReplyDue, Expr::value(due)),
    ])
    .await?;
    let who = if row.anonymous { "匿名群众".to_owned() } else { filer_name(user) };
    add_event(&txn, row.id, (!row.anonymous).then_some(user.id), &who, "reopened", format!("对答复不满意，申请重新办理：{reason}"), false, now).await?;
    audit::record(&txn, Entry { actor_id: (!row.anonymous).then_some(user.id), on_behalf_of: None, action: "feedback.reopen", entity: "feedback", entity_id: Some(row.number.clone()), detail: json!({}) }).await?;
    txn.commit().await?;
    Ok(())
}

/// A feedback photo, for those who may see the feedback.
pub async fn photo_for(state: &AppState, user: &CurrentUser, number: &str, id: i32) -> Result<(stored_file::Model, files::Body), AppError> {
    let row = find(&state.db, number).await?;
    if viewer(state, user, &row).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let link = feedback_file::Entity::find_by_id(id).one(&state.db).await?.filter(|f| f.feedback_id == row.id).ok_or(AppError::NotFound)?;
    files::open(&state.db, &state.files, link.file_id).await
}

/// Adds a reply template.
pub async fn add_template(state: &AppState, user: &CurrentUser, title: &str, body: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    if !is_staff_desk(user) {
        return Err(AppError::Forbidden);
    }
    let title = text_within(title, 40, "模板标题")?;
    let body = text_within(body, TEXT_LIMIT, "模板内容")?;
    if title.is_empty() || body.is_empty() {
        return Err(refuse("请填写模板标题和内容"));
    }
    let txn = begin_write(&state.db).await?;
    reply_template::ActiveModel { title: Set(title.clone()), body: Set(body), created_at: Set(now), ..Default::default() }.insert(&txn).await?;
    audit::record(&txn, Entry { actor_id: Some(user.id), on_behalf_of: None, action: "reply_template.create", entity: "reply_template", entity_id: None, detail: json!({ "title": title }) }).await?;
    txn.commit().await?;
    Ok(())
}

/// Suggestions their authors allowed to publish, with the reply, newest first.
pub async fn public_opinions(db: &DatabaseConnection) -> Result<Vec<PublicOpinion>, AppError> {
    let rows = feedback::Entity::find()
        .filter(feedback::Column::PublishAllowed.eq(true))
        .filter(feedback::Column::Kind.eq(FeedbackKind::Suggestion.as_str()))
        .filter(feedback::Column::Status.is_in([FeedbackStatus::Replied.as_str(), FeedbackStatus::Closed.as_str()]))
        .order_by_desc(feedback::Column::RepliedAt)
        .limit(100)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| PublicOpinion {
            number: r.number.clone(),
            kind: kind_of(&r),
            body: r.body.clone(),
            reply: r.reply.clone().unwrap_or_default(),
            replied_at: r.replied_at.map(format_cst).unwrap_or_default(),
        })
        .collect())
}

/// Demo reply templates (only when there are none).
pub async fn seed_reply_templates(db: &DatabaseConnection) -> Result<(), AppError> {
    if reply_template::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let now = Utc::now();
    for (title, body) in [
        ("已核实并整改", "您反映的问题我们已核实，并已督促相关窗口整改。感谢您的监督，欢迎继续对我们的工作提出意见。"),
        ("建议已采纳", "感谢您的建议！经研究，我们将采纳并在近期落实，落实情况将在“四个公开”栏公示。"),
        ("政策解释", "您反映的事项涉及相关政策规定，具体依据及办理渠道如下，如仍有疑问请拨打监督电话咨询。"),
    ] {
        reply_template::ActiveModel { title: Set(title.to_owned()), body: Set(body.to_owned()), created_at: Set(now), ..Default::default() }.insert(db).await?;
    }
    Ok(())
}
