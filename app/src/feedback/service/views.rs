//! Reading feedback: the author's and the desk's views, the inbox, and published opinions.

use super::*;

/// How the caller stands to one feedback item.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Viewer {
    Author,
    Desk,
    Clerk,
}

pub(super) async fn viewer(state: &AppState, user: &CurrentUser, row: &feedback::Model) -> Result<Option<Viewer>, AppError> {
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

pub(super) async fn find(db: &impl ConnectionTrait, number: &str) -> Result<feedback::Model, AppError> {
    feedback::Entity::find().filter(feedback::Column::Number.eq(number.trim())).one(db).await?.ok_or(AppError::NotFound)
}

/// (overdue, due soon): past the reply deadline, or past the first-contact deadline
/// with no contact on record; due soon when a deadline is a working day or less away.
pub(super) fn due_flags(calendar: &Calendar, row: &feedback::Model, now: DateTime<Utc>) -> (bool, bool) {
    if !status_of(row).awaits_reply() {
        return (false, false);
    }
    let today = cst_today(now);
    let next = if row.contacted_at.is_none() { Ord::min(row.contact_due, row.reply_due) } else { row.reply_due };
    let overdue = today > next || today > row.reply_due;
    let due_soon = !overdue && calendar.working_days_between(today, next) <= 1;
    (overdue, due_soon)
}

pub(super) fn summary(calendar: &Calendar, row: &feedback::Model, owners: &HashMap<i32, String>, now: DateTime<Utc>) -> FeedbackSummary {
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

pub(super) async fn staff_names(db: &impl ConnectionTrait) -> Result<HashMap<i32, String>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::Role.ne(Role::Resident))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name.unwrap_or_else(|| format!("工作人员{}", u.id))))
        .collect())
}

/// The caller's own feedback, newest first (anonymous ones too).
#[tracing::instrument(skip_all)]
pub async fn my_feedback(state: &AppState, user: &CurrentUser, now: DateTime<Utc>) -> Result<Vec<FeedbackSummary>, AppError> {
    let rows =
        feedback::Entity::find().filter(feedback::Column::AuthorKey.eq(account_key(state, user))).order_by_desc(feedback::Column::Id).all(&state.db).await?;
    let calendar = calendar(&state.db).await?;
    Ok(rows.iter().map(|r| summary(&calendar, r, &HashMap::new(), now)).collect())
}

/// Choices for the form: the caller's cases, stations, windows and staff to name.
#[tracing::instrument(skip_all)]
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
            .filter(case::Column::Status.ne(CaseStatus::Draft))
            .order_by_desc(case::Column::Id)
            .limit(20)
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.number, c.item_name))
            .collect()
    };
    let stations = station::Entity::find().order_by_asc(station::Column::Id).all(db).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let windows = window::Entity::find()
        .filter(window::Column::Active.eq(true))
        .order_by_asc(window::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w.name))
        .collect();
    let staff_list = active_people(db, &[Role::Clerk, Role::Helper]).await?;
    Ok(FeedbackForm { cases, stations, windows, staff: staff_list, staff_entry: staff, key: crypto::random_token() })
}

/// Active accounts of `roles` as (id, name), in the order they were created.
pub(super) async fn active_people(db: &impl ConnectionTrait, roles: &[Role]) -> Result<Vec<(i32, String)>, AppError> {
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
#[tracing::instrument(skip_all)]
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
            note: Note::from_json(e.note.as_deref()),
            message: e.message,
        })
        .collect();
    let files = feedback_file::Entity::find()
        .filter(feedback_file::Column::FeedbackId.eq(row.id))
        .order_by_asc(feedback_file::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.id)
        .collect();
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

pub(super) fn may_act(user: &CurrentUser, row: &feedback::Model) -> bool {
    user.role == Role::Chief || row.owner_id.is_none_or(|o| o == user.id)
}

pub(super) async fn actions(db: &impl ConnectionTrait, user: &CurrentUser, row: &feedback::Model) -> Result<FeedbackActions, AppError> {
    let status = status_of(row);
    let mine = may_act(user, row);
    let open = status != FeedbackStatus::Closed;
    let handlers = active_people(db, &[Role::Handler]).await?;
    let staff = active_people(db, &[Role::Clerk, Role::Helper, Role::Handler]).await?;
    let templates =
        reply_template::Entity::find().order_by_asc(reply_template::Column::Id).all(db).await?.into_iter().map(|t| (t.id, t.title, t.body)).collect();
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

/// Filters of the handler's inbox (`None`: all).
#[derive(Clone, Debug, Default)]
pub struct InboxFilter {
    pub kind: Option<FeedbackKind>,
    pub status: Option<FeedbackStatus>,
    pub source: Option<Source>,
    pub due: Option<DueFilter>,
}

/// The console: feedback matching the filter (by reply deadline), the open
/// rectification tasks and the month's figures. Clerks get only feedback about their
/// own cases, and only when the chief allows it.
#[tracing::instrument(skip_all)]
pub async fn inbox(state: &AppState, user: &CurrentUser, filter: &InboxFilter, now: DateTime<Utc>) -> Result<HandlerInbox, AppError> {
    let db = &state.db;
    let mut query = feedback::Entity::find();
    if let Some(kind) = filter.kind {
        query = query.filter(feedback::Column::Kind.eq(kind));
    }
    if let Some(status) = filter.status {
        query = query.filter(feedback::Column::Status.eq(status));
    }
    if let Some(source) = filter.source {
        query = query.filter(feedback::Column::Source.eq(source));
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
        .filter(|s| match filter.due {
            Some(DueFilter::Overdue) => s.overdue,
            Some(DueFilter::DueSoon) => s.due_soon,
            None => true,
        })
        .collect();
    let mut rectifications = Vec::new();
    if is_staff_desk(user) {
        let tasks = rectification::Entity::find()
            .filter(rectification::Column::Status.ne("closed"))
            .order_by_asc(rectification::Column::Deadline)
            .limit(200)
            .all(db)
            .await?;
        for task in &tasks {
            if let Some(first) = rating::Entity::find_by_id(task.rating_id).one(db).await? {
                rectifications.push(rectification_of(db, task, &first, None, true, Some(user), now).await?);
            }
        }
    }
    let month_start = chrono::Datelike::with_day(&cst_today(now), 1).unwrap_or(cst_today(now));
    let from = crate::time::cst_midnight(month_start);
    let figures = if is_staff_desk(user) { figures(db, from, now + Duration::seconds(1), None).await? } else { RatingFigures::default() };
    Ok(HandlerInbox {
        feedback,
        rectifications,
        figures,
        clerks_see_feedback: if user.role == Role::Chief { Some(clerks_see_feedback(db).await?) } else { None },
        can_enter: is_staff_desk(user),
    })
}

/// Suggestions their authors allowed to publish, with the reply, newest first.
#[tracing::instrument(skip_all)]
pub async fn public_opinions(db: &DatabaseConnection) -> Result<Vec<PublicOpinion>, AppError> {
    let rows = feedback::Entity::find()
        .filter(feedback::Column::PublishAllowed.eq(true))
        .filter(feedback::Column::Kind.eq(FeedbackKind::Suggestion))
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
