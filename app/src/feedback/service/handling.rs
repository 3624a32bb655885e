//! The handler's actions, the author's confirmation or reopening, photos and reply templates.

use super::*;

/// One handler action; each is its own server function (`feedback_take`, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandlerAct {
    /// 首问负责: the first handler to take it owns it.
    Take,
    /// The first contact with the author (within the contact deadline), with a note.
    Contact {
        text: String,
    },
    /// The reply the author reads: typed, or a reply template's body.
    Reply {
        text: String,
        template: Option<i32>,
    },
    /// An internal note (not shown to the author).
    Note {
        text: String,
    },
    /// 复杂件: the longer reply deadline.
    Complex,
    Reassign {
        to: Option<i32>,
    },
    /// Links the case the feedback is about, by its number as typed.
    LinkCase {
        number: String,
    },
    /// Links the staff member the feedback is about.
    LinkStaff {
        to: Option<i32>,
    },
    Close {
        text: String,
    },
}

impl HandlerAct {
    /// The action's name in the audit log.
    pub fn name(&self) -> &'static str {
        match self {
            HandlerAct::Take => "take",
            HandlerAct::Contact { .. } => "contact",
            HandlerAct::Reply { .. } => "reply",
            HandlerAct::Note { .. } => "note",
            HandlerAct::Complex => "complex",
            HandlerAct::Reassign { .. } => "reassign",
            HandlerAct::LinkCase { .. } => "link_case",
            HandlerAct::LinkStaff { .. } => "link_staff",
            HandlerAct::Close { .. } => "close",
        }
    }

    fn text(&self) -> &str {
        match self {
            HandlerAct::Contact { text } | HandlerAct::Reply { text, .. } | HandlerAct::Note { text } | HandlerAct::Close { text } => text,
            HandlerAct::LinkCase { number } => number,
            HandlerAct::Take | HandlerAct::Complex | HandlerAct::Reassign { .. } | HandlerAct::LinkStaff { .. } => "",
        }
    }
}

/// Sets the status from one of `from` with `columns`; a clear refusal when the item
/// moved on meanwhile.
pub(super) async fn move_status(
    db: &impl ConnectionTrait,
    row: &feedback::Model,
    from: &[FeedbackStatus],
    to: FeedbackStatus,
    now: DateTime<Utc>,
    columns: Vec<(feedback::Column, Expr)>,
) -> Result<(), AppError> {
    let mut update =
        feedback::Entity::update_many().col_expr(feedback::Column::Status, Expr::value(to.as_str())).col_expr(feedback::Column::UpdatedAt, Expr::value(now));
    for (column, value) in columns {
        update = update.col_expr(column, value);
    }
    let changed = update.filter(feedback::Column::Id.eq(row.id)).filter(feedback::Column::Status.is_in(from.iter().map(|s| s.as_str()))).exec(db).await?;
    if changed.rows_affected == 1 { Ok(()) } else { Err(AppError::refused(FeedbackReason::WrongStatus { status: status_of(row).msg() })) }
}

pub(super) fn author_users(row: &feedback::Model) -> Vec<i32> {
    // Anonymous feedback has no account on record: its author follows it in the app.
    row.author_id.into_iter().chain(row.entered_by.filter(|_| source_of(row) == Source::Online)).collect()
}

/// A handler's action on feedback. The first to act owns it (首问负责); others may
/// add internal notes; the owner or the chief reassigns on record.
#[tracing::instrument(skip(state, act), fields(user = user.id, action = act.name()))]
pub async fn act(state: &AppState, user: &CurrentUser, number: &str, act: &HandlerAct, now: DateTime<Utc>) -> Result<(), AppError> {
    if !is_staff_desk(user) {
        return Err(AppError::NotFound);
    }
    let rules = state.config.feedback;
    let text = text_within(act.text(), TEXT_LIMIT, FeedbackField::Body)?;
    let txn = begin_write(&state.db).await?;
    let row = find(&txn, number).await?;
    let status = status_of(&row);
    let who = actor_name(user);
    let owner = Expr::value(row.owner_id.unwrap_or(user.id));
    if !matches!(act, HandlerAct::Note { .. } | HandlerAct::Take) && !may_act(user, &row) {
        return Err(AppError::refused(FeedbackReason::NotYours));
    }
    let mut notice = None;
    match act {
        HandlerAct::Take => {
            let changed = feedback::Entity::update_many()
                .col_expr(feedback::Column::OwnerId, Expr::value(user.id))
                .col_expr(
                    feedback::Column::Status,
                    Expr::value(if status == FeedbackStatus::Submitted { FeedbackStatus::Assigned.as_str() } else { status.as_str() }),
                )
                .col_expr(feedback::Column::UpdatedAt, Expr::value(now))
                .filter(feedback::Column::Id.eq(row.id))
                .filter(feedback::Column::OwnerId.is_null())
                .filter(feedback::Column::Status.ne(FeedbackStatus::Closed))
                .exec(&txn)
                .await?;
            if changed.rows_affected != 1 {
                return Err(AppError::refused(FeedbackReason::AlreadyTaken));
            }
            add_event(&txn, row.id, Some(user.id), &who, "assigned", FeedbackNote::Taken, false, now).await?;
        }
        HandlerAct::Contact { .. } => {
            if text.is_empty() {
                return Err(AppError::refused(FeedbackReason::ContactNoteMissing));
            }
            if row.contacted_at.is_some() || status == FeedbackStatus::Closed {
                return Err(AppError::refused(FeedbackReason::AlreadyContacted));
            }
            let from = [FeedbackStatus::Submitted, FeedbackStatus::Assigned, FeedbackStatus::Reopened];
            let to = if status == FeedbackStatus::Submitted { FeedbackStatus::Assigned } else { status };
            move_status(&txn, &row, &from, to, now, vec![(feedback::Column::ContactedAt, Expr::value(now)), (feedback::Column::OwnerId, owner)]).await?;
            add_event(&txn, row.id, Some(user.id), &who, "contacted", FeedbackNote::Contacted { text }, false, now).await?;
        }
        HandlerAct::Reply { template, .. } => {
            let text = match (text.is_empty(), *template) {
                (false, _) => text,
                (true, Some(id)) => {
                    reply_template::Entity::find_by_id(id).one(&txn).await?.map(|t| t.body).ok_or_else(|| AppError::refused(FeedbackReason::NoSuchTemplate))?
                }
                (true, None) => return Err(AppError::refused(FeedbackReason::ReplyMissing)),
            };
            let from = [FeedbackStatus::Submitted, FeedbackStatus::Assigned, FeedbackStatus::Reopened];
            let mut columns =
                vec![(feedback::Column::RepliedAt, Expr::value(now)), (feedback::Column::Reply, Expr::value(text.clone())), (feedback::Column::OwnerId, owner)];
            if row.contacted_at.is_none() {
                columns.push((feedback::Column::ContactedAt, Expr::value(now)));
            }
            move_status(&txn, &row, &from, FeedbackStatus::Replied, now, columns).await?;
            add_event(&txn, row.id, Some(user.id), &who, "replied", FeedbackNote::Replied { text }, false, now).await?;
            let users = author_users(&row);
            notice = Some(
                notify(
                    &txn,
                    users,
                    FeedbackNote::RepliedTitle,
                    FeedbackNote::RepliedBody { kind: kind_of(&row).msg(), number: row.number.clone() },
                    format!("/feedback/{}", row.number),
                    now,
                )
                .await?,
            );
        }
        HandlerAct::Note { .. } => {
            if text.is_empty() {
                return Err(AppError::refused(FeedbackReason::NoteMissing));
            }
            add_event(&txn, row.id, Some(user.id), &who, "note", GeneralNote::Written { text }, true, now).await?;
        }
        HandlerAct::Complex => {
            if !status.awaits_reply() {
                return Err(AppError::refused(FeedbackReason::TooLateForComplex));
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
                return Err(AppError::refused(FeedbackReason::AlreadyComplex));
            }
            add_event(&txn, row.id, Some(user.id), &who, "complex", FeedbackNote::MadeComplex { due: due.to_string() }, false, now).await?;
        }
        HandlerAct::Reassign { to } => {
            let to = to.ok_or_else(|| AppError::refused(FeedbackReason::ChooseHandler))?;
            let target = user::Entity::find_by_id(to)
                .one(&txn)
                .await?
                .filter(|u| u.role == Role::Handler && u.active)
                .ok_or_else(|| AppError::refused(FeedbackReason::HandlerNotActive))?;
            if status == FeedbackStatus::Closed || row.owner_id == Some(to) {
                return Err(AppError::refused(FeedbackReason::CannotReassignTo));
            }
            feedback::Entity::update_many()
                .col_expr(feedback::Column::OwnerId, Expr::value(to))
                .col_expr(feedback::Column::UpdatedAt, Expr::value(now))
                .filter(feedback::Column::Id.eq(row.id))
                .exec(&txn)
                .await?;
            add_event(&txn, row.id, Some(user.id), &who, "reassigned", FeedbackNote::Reassigned { to: target.name.unwrap_or_default() }, false, now).await?;
        }
        HandlerAct::LinkCase { .. } => {
            let number = CaseNumber::parse(&text).map_err(|m| AppError::refused(Reason::of(m)))?;
            let found = crate::cases::service::find(&txn, number.as_str()).await.map_err(|_| AppError::refused(Common::NoSuchCaseNumber))?;
            feedback::Entity::update_many()
                .col_expr(feedback::Column::AboutCaseId, Expr::value(found.id))
                .filter(feedback::Column::Id.eq(row.id))
                .exec(&txn)
                .await?;
            add_event(&txn, row.id, Some(user.id), &who, "linked", FeedbackNote::LinkedCase { number: found.number }, true, now).await?;
        }
        HandlerAct::LinkStaff { to } => {
            let to = to.ok_or_else(|| AppError::refused(FeedbackReason::ChooseStaff))?;
            let target =
                user::Entity::find_by_id(to).one(&txn).await?.filter(|u| u.role != Role::Resident).ok_or_else(|| AppError::refused(Common::NoSuchStaff))?;
            feedback::Entity::update_many()
                .col_expr(feedback::Column::AboutStaffId, Expr::value(to))
                .filter(feedback::Column::Id.eq(row.id))
                .exec(&txn)
                .await?;
            add_event(&txn, row.id, Some(user.id), &who, "linked", FeedbackNote::LinkedStaff { name: target.name.unwrap_or_default() }, true, now).await?;
        }
        HandlerAct::Close { .. } => {
            let from: &[FeedbackStatus] = if kind_of(&row) == FeedbackKind::Praise {
                &[FeedbackStatus::Submitted, FeedbackStatus::Assigned, FeedbackStatus::Replied, FeedbackStatus::Reopened]
            } else {
                &[FeedbackStatus::Replied]
            };
            if !from.contains(&status) {
                return Err(AppError::refused(FeedbackReason::ReplyBeforeClose));
            }
            move_status(
                &txn,
                &row,
                from,
                FeedbackStatus::Closed,
                now,
                vec![(feedback::Column::ClosedAt, Expr::value(now)), (feedback::Column::OwnerId, owner)],
            )
            .await?;
            add_event(
                &txn,
                row.id,
                Some(user.id),
                &who,
                "closed",
                if text.is_empty() { FeedbackNote::Closed } else { FeedbackNote::ClosedWith { text } },
                false,
                now,
            )
            .await?;
        }
    }
    audit::record(
        &txn,
        Entry {
            actor_id: Some(user.id),
            on_behalf_of: None,
            action: "feedback.act",
            entity: "feedback",
            entity_id: Some(row.number.clone()),
            detail: json!({ "action": act.name() }),
        },
    )
    .await?;
    txn.commit().await?;
    if let Some(notice) = notice {
        email(state, notice).await;
    }
    Ok(())
}

pub(super) async fn find_for_author(state: &AppState, txn: &impl ConnectionTrait, user: &CurrentUser, number: &str) -> Result<feedback::Model, AppError> {
    let row = find(txn, number).await?;
    if row.author_key == account_key(state, user) { Ok(row) } else { Err(AppError::NotFound) }
}

/// The author confirms the reply and rates the handling: replied → closed.
#[tracing::instrument(skip_all)]
pub async fn confirm(state: &AppState, user: &CurrentUser, number: &str, level: i32, now: DateTime<Utc>) -> Result<(), AppError> {
    let level = Level::from_value(level).ok_or_else(|| AppError::refused(FeedbackReason::ChooseOutcome))?;
    let txn = begin_write(&state.db).await?;
    let row = find_for_author(state, &txn, user, number).await?;
    move_status(
        &txn,
        &row,
        &[FeedbackStatus::Replied],
        FeedbackStatus::Closed,
        now,
        vec![(feedback::Column::ClosedAt, Expr::value(now)), (feedback::Column::OutcomeLevel, Expr::value(level.value()))],
    )
    .await?;
    let who = if row.anonymous { "匿名群众".to_owned() } else { filer_name(user) };
    add_event(&txn, row.id, (!row.anonymous).then_some(user.id), &who, "confirmed", FeedbackNote::Confirmed { level: level.msg() }, false, now).await?;
    audit::record(
        &txn,
        Entry {
            actor_id: (!row.anonymous).then_some(user.id),
            on_behalf_of: None,
            action: "feedback.confirm",
            entity: "feedback",
            entity_id: Some(row.number.clone()),
            detail: json!({ "level": level.value() }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The author reopens a reply once, with a reason: replied → reopened, with a new
/// reply deadline; the same handler stays responsible.
#[tracing::instrument(skip_all)]
pub async fn reopen(state: &AppState, user: &CurrentUser, number: &str, reason: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let reason = text_within(reason, COMMENT_LIMIT, FeedbackField::ReopenReason)?;
    if reason.is_empty() {
        return Err(AppError::refused(FeedbackReason::ReopenReasonMissing));
    }
    let txn = begin_write(&state.db).await?;
    let row = find_for_author(state, &txn, user, number).await?;
    if row.reopened {
        return Err(AppError::refused(FeedbackReason::ReopenedOnce));
    }
    let calendar = calendar(&txn).await?;
    let due = calendar.add_working_days(cst_today(now), state.config.feedback.reply_days);
    move_status(
        &txn,
        &row,
        &[FeedbackStatus::Replied],
        FeedbackStatus::Reopened,
        now,
        vec![
            (feedback::Column::Reopened, Expr::value(true)),
            (feedback::Column::ReopenReason, Expr::value(reason.clone())),
            (feedback::Column::ReplyDue, Expr::value(due)),
        ],
    )
    .await?;
    let who = if row.anonymous { "匿名群众".to_owned() } else { filer_name(user) };
    add_event(&txn, row.id, (!row.anonymous).then_some(user.id), &who, "reopened", FeedbackNote::Reopened { reason }, false, now).await?;
    audit::record(
        &txn,
        Entry {
            actor_id: (!row.anonymous).then_some(user.id),
            on_behalf_of: None,
            action: "feedback.reopen",
            entity: "feedback",
            entity_id: Some(row.number.clone()),
            detail: json!({}),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A feedback photo, for those who may see the feedback.
#[tracing::instrument(skip_all)]
pub async fn photo_for(state: &AppState, user: &CurrentUser, number: &str, id: i32) -> Result<(stored_file::Model, files::Body), AppError> {
    let row = find(&state.db, number).await?;
    if viewer(state, user, &row).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let link = feedback_file::Entity::find_by_id(id).one(&state.db).await?.filter(|f| f.feedback_id == row.id).ok_or(AppError::NotFound)?;
    files::open(&state.db, &state.files, link.file_id).await
}

/// Adds a reply template.
#[tracing::instrument(skip_all)]
pub async fn add_template(state: &AppState, user: &CurrentUser, title: &str, body: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    if !is_staff_desk(user) {
        return Err(AppError::Forbidden);
    }
    let title = text_within(title, 40, FeedbackField::TemplateTitle)?;
    let body = text_within(body, TEXT_LIMIT, FeedbackField::TemplateBody)?;
    if title.is_empty() || body.is_empty() {
        return Err(AppError::refused(FeedbackReason::TemplateIncomplete));
    }
    let txn = begin_write(&state.db).await?;
    reply_template::ActiveModel { title: Set(title.clone()), body: Set(body), created_at: Set(now), ..Default::default() }.insert(&txn).await?;
    audit::record(
        &txn,
        Entry {
            actor_id: Some(user.id),
            on_behalf_of: None,
            action: "reply_template.create",
            entity: "reply_template",
            entity_id: None,
            detail: json!({ "title": title }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Demo reply templates (only when there are none).
#[tracing::instrument(skip_all)]
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
