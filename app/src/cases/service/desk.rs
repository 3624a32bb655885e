//! The clerk's desk (accept, 一次性告知, process, complete, reject, hand over) and the hand-offs of an assisted case.

use super::*;

// ---- the clerk's transitions --------------------------------------------------------

/// The owner on record after `user` acts: unchanged if there is one; else the A post
/// when `user` stands in as backup, else `user` (首问负责).
pub(super) fn owner_after(found: &case::Model, routing: &Routing, user: &CurrentUser) -> Option<i32> {
    if found.owner_id.is_some() || user.role != Role::Clerk {
        return found.owner_id;
    }
    Some(routing.backing_up(found, user.id).unwrap_or(user.id))
}

pub(super) async fn staff_event(
    txn: &impl ConnectionTrait,
    found: &case::Model,
    routing: &Routing,
    user: &CurrentUser,
    kind: &str,
    note: impl Into<Note>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let note = note.into();
    let note = match routing.backing_up(found, user.id) {
        Some(a) => note.as_backup(name_of(txn, a).await?),
        None => note,
    };
    event(txn, found.id, Some(user), kind, note, now).await
}

/// submitted → accepted; the deadline is set from the promised working days.
#[tracing::instrument(skip(state), fields(user = user.id))]
pub async fn accept(state: &AppState, user: &CurrentUser, number: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = begin_write(&state.db).await?;
    let (found, routing) = find_for_staff(&txn, user, number, now).await?;
    require_status(&found, &[CaseStatus::Submitted], CaseAction::Accept)?;
    let content = guide_version(&txn, &found.item_code, found.guide_version).await?;
    let calendar = calendar(&txn).await?;
    // A case sent back for supplements before acceptance starts its clock now.
    let deadline = calendar.add_working_days(cst_today(now), u32::from(content.promised_days));
    let owner = owner_after(&found, &routing, user);
    move_status(
        &txn,
        &found,
        &[CaseStatus::Submitted],
        CaseStatus::Accepted,
        now,
        vec![(case::Column::AcceptedAt, Expr::value(now)), (case::Column::Deadline, Expr::value(deadline)), (case::Column::OwnerId, Expr::value(owner))],
    )
    .await?;
    let days = u32::from(content.promised_days);
    let note = match found.station_id {
        Some(_) => CaseNote::AcceptedAtCenter { days, deadline: deadline.to_string() },
        None => CaseNote::Accepted { days, deadline: deadline.to_string() },
    };
    staff_event(&txn, &found, &routing, user, "accepted", note, now).await?;
    log(&txn, user, "case.accept", &found, json!({ "deadline": deadline.to_string() })).await?;
    let body = CaseNote::AcceptedBody { item: found.item_name.clone(), number: found.number.clone(), deadline: deadline.to_string() };
    let notice = notify_filer(&txn, &found, CaseNote::AcceptedTitle, body, now).await?;
    txn.commit().await?;
    email(state, notice).await;
    Ok(())
}

/// 一次性告知: one notice listing every missing or wrong material with its reason.
/// A later notice that adds materials the first did not list needs the chief's
/// approval (and is counted against the clerk); until then the case does not change.
#[tracing::instrument(skip(state, items), fields(user = user.id))]
pub async fn request_supplement(state: &AppState, user: &CurrentUser, number: &str, items: &[(u32, String)], now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = begin_write(&state.db).await?;
    let (found, routing) = find_for_staff(&txn, user, number, now).await?;
    let from = [CaseStatus::Submitted, CaseStatus::Accepted];
    require_status(&found, &from, CaseAction::RequestSupplement)?;
    let content = guide_version(&txn, &found.item_code, found.guide_version).await?;
    let mut reasons: Vec<Reason> = Vec::new();
    let mut list = Vec::new();
    if items.is_empty() {
        reasons.push(CaseReason::TickMaterials.into());
    }
    for (index, reason) in items {
        let reason = reason.trim();
        match content.materials.get(*index as usize) {
            None => reasons.push(CaseReason::InvalidMaterialIndex.into()),
            Some(m) if reason.is_empty() => reasons.push(CaseReason::GiveReason { name: m.name.clone() }.into()),
            Some(m) if reason.chars().count() > 200 => reasons.push(CaseReason::ReasonTooLong { name: m.name.clone() }.into()),
            Some(m) if list.iter().any(|i: &NoticeItem| i.index == *index) => reasons.push(CaseReason::DuplicateMaterial { name: m.name.clone() }.into()),
            Some(m) => list.push(NoticeItem { index: *index, material: m.name.clone(), reason: reason.to_owned() }),
        }
    }
    if !reasons.is_empty() {
        return Err(AppError::Rejected(reasons));
    }
    let earlier =
        supplement_notice::Entity::find().filter(supplement_notice::Column::CaseId.eq(found.id)).order_by_asc(supplement_notice::Column::Seq).all(&txn).await?;
    if earlier.iter().any(|n| n.status == "pending") {
        return Err(AppError::refused(CaseReason::ExtraNoticePending));
    }
    let first = earlier.iter().find(|n| n.status != "declined").map(notice_items).transpose()?;
    let extra = first.as_ref().is_some_and(|first| list.iter().any(|i| !first.iter().any(|f| f.index == i.index)));
    let needs_approval = extra && user.role != Role::Chief;
    let seq = earlier.last().map_or(1, |n| n.seq + 1);
    let items_json =
        serde_json::Value::Array(list.iter().map(|i| json!({ "index": i.index, "material": i.material, "reason": i.reason })).collect()).to_string();
    supplement_notice::ActiveModel {
        case_id: Set(found.id),
        seq: Set(seq),
        items: Set(items_json),
        created_by: Set(user.id),
        created_at: Set(now),
        status: Set(if needs_approval { "pending" } else { "active" }.to_owned()),
        extra: Set(extra),
        decided_by: Set((extra && !needs_approval).then_some(user.id)),
        decided_at: Set((extra && !needs_approval).then_some(now)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let materials: Vec<String> = list.iter().map(|i| i.material.clone()).collect();
    let names = materials.join("、");
    log(&txn, user, if extra { "case.notice.extra" } else { "case.notice" }, &found, json!({ "seq": seq, "materials": names, "approval": needs_approval }))
        .await?;
    if needs_approval {
        staff_event(&txn, &found, &routing, user, "notice_pending", CaseNote::ExtraNoticePending { materials }, now).await?;
        txn.commit().await?;
        return Ok(());
    }
    let notice = pause_for_supplement(&txn, &found, &routing, user, &list, now).await?;
    txn.commit().await?;
    email(state, notice).await;
    Ok(())
}

pub(super) async fn pause_for_supplement(
    txn: &impl ConnectionTrait,
    found: &case::Model,
    routing: &Routing,
    user: &CurrentUser,
    list: &[NoticeItem],
    now: DateTime<Utc>,
) -> Result<Notice, AppError> {
    let from = status_of(found);
    move_status(
        txn,
        found,
        &[CaseStatus::Submitted, CaseStatus::Accepted],
        CaseStatus::SupplementRequested,
        now,
        vec![
            (case::Column::PausedAt, Expr::value(now)),
            (case::Column::PausedFrom, Expr::value(from.as_str())),
            (case::Column::OwnerId, Expr::value(owner_after(found, routing, user))),
        ],
    )
    .await?;
    let materials = list.iter().map(|i| i.material.clone()).collect();
    staff_event(txn, found, routing, user, "supplement", CaseNote::Supplement { count: list.len(), materials }, now).await?;
    let lines = list.iter().map(|i| CaseNote::SupplementLine { material: i.material.clone(), reason: i.reason.clone() }).collect();
    let body = CaseNote::SupplementBody { item: found.item_name.clone(), number: found.number.clone(), lines };
    notify_filer(txn, found, CaseNote::SupplementTitle, body, now).await
}

/// The chief approves or declines a pending extra notice.
#[tracing::instrument(skip_all)]
pub async fn decide_notice(state: &AppState, user: &CurrentUser, number: &str, approve: bool, now: DateTime<Utc>) -> Result<(), AppError> {
    if user.role != Role::Chief {
        return Err(AppError::Forbidden);
    }
    let txn = begin_write(&state.db).await?;
    let (found, routing) = find_for_staff(&txn, user, number, now).await?;
    let pending = supplement_notice::Entity::find()
        .filter(supplement_notice::Column::CaseId.eq(found.id))
        .filter(supplement_notice::Column::Status.eq("pending"))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::refused(CaseReason::NoPendingNotice))?;
    let decided = supplement_notice::Entity::update_many()
        .col_expr(supplement_notice::Column::Status, Expr::value(if approve { "active" } else { "declined" }))
        .col_expr(supplement_notice::Column::DecidedBy, Expr::value(user.id))
        .col_expr(supplement_notice::Column::DecidedAt, Expr::value(now))
        .filter(supplement_notice::Column::Id.eq(pending.id))
        .filter(supplement_notice::Column::Status.eq("pending"))
        .exec(&txn)
        .await?;
    if decided.rows_affected != 1 {
        return Err(AppError::refused(CaseReason::NoticeDecided));
    }
    log(&txn, user, if approve { "case.notice.approve" } else { "case.notice.decline" }, &found, json!({ "seq": pending.seq, "clerk": pending.created_by }))
        .await?;
    if !approve {
        event(&txn, found.id, Some(user), "notice_declined", CaseNote::NoticeDeclined, now).await?;
        txn.commit().await?;
        return Ok(());
    }
    let items = notice_items(&pending)?;
    let clerk =
        CurrentUser { id: pending.created_by, session_id: 0, role: Role::Clerk, station_id: None, name: Some(name_of(&txn, pending.created_by).await?) };
    event(&txn, found.id, Some(user), "notice_approved", CaseNote::NoticeApproved, now).await?;
    let notice = pause_for_supplement(&txn, &found, &routing, &clerk, &items, now).await?;
    txn.commit().await?;
    email(state, notice).await;
    Ok(())
}

/// accepted → processing.
#[tracing::instrument(skip_all)]
pub async fn start_processing(state: &AppState, user: &CurrentUser, number: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = begin_write(&state.db).await?;
    let (found, routing) = find_for_staff(&txn, user, number, now).await?;
    require_status(&found, &[CaseStatus::Accepted], CaseAction::StartProcessing)?;
    move_status(
        &txn,
        &found,
        &[CaseStatus::Accepted],
        CaseStatus::Processing,
        now,
        vec![(case::Column::OwnerId, Expr::value(owner_after(&found, &routing, user)))],
    )
    .await?;
    staff_event(&txn, &found, &routing, user, "processing", CaseNote::Processing, now).await?;
    log(&txn, user, "case.process", &found, json!({})).await?;
    let body = CaseNote::ProcessingBody { item: found.item_name.clone(), number: found.number.clone() };
    let notice = notify_filer(&txn, &found, CaseNote::ProcessingTitle, body, now).await?;
    txn.commit().await?;
    email(state, notice).await;
    Ok(())
}

/// accepted or processing → completed, with the result and how to collect it.
#[tracing::instrument(skip(state, result, pickup), fields(user = user.id))]
pub async fn complete(state: &AppState, user: &CurrentUser, number: &str, result: &str, pickup: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let (result, pickup) = (result.trim(), pickup.trim());
    if result.is_empty() || result.chars().count() > 500 || pickup.chars().count() > 200 {
        return Err(AppError::refused(CaseReason::ResultRequired));
    }
    let txn = begin_write(&state.db).await?;
    let (found, routing) = find_for_staff(&txn, user, number, now).await?;
    let from = [CaseStatus::Accepted, CaseStatus::Processing];
    require_status(&found, &from, CaseAction::Complete)?;
    move_status(
        &txn,
        &found,
        &from,
        CaseStatus::Completed,
        now,
        vec![
            (case::Column::CompletedAt, Expr::value(now)),
            (case::Column::Result, Expr::value(result)),
            (case::Column::Pickup, Expr::value((!pickup.is_empty()).then(|| pickup.to_owned()))),
            (case::Column::OwnerId, Expr::value(owner_after(&found, &routing, user))),
        ],
    )
    .await?;
    let on_time = found.deadline.is_none_or(|d| cst_today(now) <= d);
    let note = if on_time { CaseNote::Completed { result: result.to_owned() } } else { CaseNote::CompletedLate { result: result.to_owned() } };
    staff_event(&txn, &found, &routing, user, "completed", note, now).await?;
    log(&txn, user, "case.complete", &found, json!({ "on_time": on_time })).await?;
    let (item, number, result) = (found.item_name.clone(), found.number.clone(), result.to_owned());
    let body = match pickup {
        "" => CaseNote::CompletedBody { item, number, result },
        pickup => CaseNote::CompletedBodyPickup { item, number, result, pickup: pickup.to_owned() },
    };
    let notice = notify_filer(&txn, &found, CaseNote::CompletedTitle, body, now).await?;
    txn.commit().await?;
    email(state, notice).await;
    Ok(())
}

/// submitted or accepted → rejected, with the reason.
#[tracing::instrument(skip_all)]
pub async fn reject(state: &AppState, user: &CurrentUser, number: &str, reason: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::refused(CaseReason::RejectReasonRequired));
    }
    let txn = begin_write(&state.db).await?;
    let (found, routing) = find_for_staff(&txn, user, number, now).await?;
    let from = [CaseStatus::Submitted, CaseStatus::Accepted];
    require_status(&found, &from, CaseAction::Reject)?;
    move_status(
        &txn,
        &found,
        &from,
        CaseStatus::Rejected,
        now,
        vec![(case::Column::Reason, Expr::value(reason)), (case::Column::OwnerId, Expr::value(owner_after(&found, &routing, user)))],
    )
    .await?;
    staff_event(&txn, &found, &routing, user, "rejected", CaseNote::Rejected { reason: reason.to_owned() }, now).await?;
    log(&txn, user, "case.reject", &found, json!({})).await?;
    let body = CaseNote::RejectedBody { item: found.item_name.clone(), number: found.number.clone(), reason: reason.to_owned() };
    let notice = notify_filer(&txn, &found, CaseNote::RejectedTitle, body, now).await?;
    txn.commit().await?;
    email(state, notice).await;
    Ok(())
}

/// Hands an open case to another clerk, on record (首问负责 ends only this way).
#[tracing::instrument(skip_all)]
pub async fn handover(state: &AppState, user: &CurrentUser, number: &str, to: i32, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = begin_write(&state.db).await?;
    let (found, routing) = find_for_staff(&txn, user, number, now).await?;
    if !status_of(&found).is_open() {
        return Err(AppError::refused(CaseReason::HandoverOpenOnly));
    }
    let target = user::Entity::find_by_id(to)
        .one(&txn)
        .await?
        .filter(|u| u.role == Role::Clerk && u.active)
        .ok_or_else(|| AppError::refused(CaseReason::HandoverToActiveClerk))?;
    if routing.a_post(&found) == Some(to) {
        return Err(AppError::refused(CaseReason::AlreadyResponsible));
    }
    let changed = case::Entity::update_many()
        .col_expr(case::Column::OwnerId, Expr::value(to))
        .col_expr(case::Column::UpdatedAt, Expr::value(now))
        .filter(case::Column::Id.eq(found.id))
        .filter(case::Column::Status.eq(found.status))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        return Err(AppError::refused(Common::StatusChanged));
    }
    event(&txn, found.id, Some(user), "handover", CaseNote::Handover { to: target.name.unwrap_or_default() }, now).await?;
    log(&txn, user, "case.handover", &found, json!({ "to": to })).await?;
    txn.commit().await?;
    Ok(())
}

/// The full ID number, for staff who may see the case; every look is audited.
#[tracing::instrument(skip_all)]
pub async fn reveal_id(state: &AppState, user: &CurrentUser, number: &str) -> Result<String, AppError> {
    let found = find(&state.db, number).await?;
    let routing = Routing::load(&state.db, cst_today(Utc::now())).await?;
    if !staff_sees(user, &found, &routing) {
        return Err(AppError::NotFound);
    }
    let plain = crypto::open(state.config.data_key.expose(), ID_PURPOSE, &found.id_cipher)?;
    log(&state.db, user, "case.id.view", &found, json!({})).await?;
    Ok(plain)
}

// ---- hand-offs of an assisted case: delivery, signature, follow-up ---------------------

/// Where an assisted case stands after completion, with what the caller may record.
pub(super) async fn handoff_of(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    found: &case::Model,
    status: CaseStatus,
    now: DateTime<Utc>,
) -> Result<Option<Handoff>, AppError> {
    if found.station_id.is_none() || status != CaseStatus::Completed {
        return Ok(None);
    }
    let helper_acts = user.role == Role::Helper && station_access::case_access(db, user, found, now).await? == CaseAccess::Full;
    let resident = user.role == Role::Resident && found.applicant_id == Some(user.id);
    Ok(Some(Handoff {
        delivered_at: found.delivered_at.map(format_cst),
        received_on: found.received_on.map(|d| d.to_string()),
        followed_up_at: found.followed_up_at.map(format_cst),
        can_deliver: helper_acts && found.delivered_at.is_none(),
        can_receive: (helper_acts || resident) && found.received_on.is_none(),
        can_follow_up: helper_acts && found.received_on.is_some() && found.followed_up_at.is_none(),
        today: cst_today(now).to_string(),
    }))
}

/// Records a hand-off step of a completed assisted case (see [`HandoffStep`]). Each is
/// recorded once.
#[tracing::instrument(skip_all)]
pub async fn handoff(state: &AppState, user: &CurrentUser, number: &str, step: &HandoffStep, now: DateTime<Utc>) -> Result<(), AppError> {
    if let HandoffStep::FollowUp { note } = step
        && note.trim().chars().count() > 200
    {
        return Err(AppError::refused(CaseReason::FollowUpNoteTooLong));
    }
    let txn = begin_write(&state.db).await?;
    let found = find_for_applicant(&txn, user, number).await?;
    if found.station_id.is_none() {
        return Err(AppError::refused(CaseReason::NotAssisted));
    }
    require_status(&found, &[CaseStatus::Completed], CaseAction::RecordHandoff)?;
    let helper = user.role == Role::Helper;
    let (column, value, kind, note): (case::Column, sea_orm::Value, &str, CaseNote) = match step {
        HandoffStep::Deliver if helper => (case::Column::DeliveredAt, now.into(), "delivered", CaseNote::Delivered),
        HandoffStep::Receive { day } => {
            let today = cst_today(now);
            let day = match day.trim() {
                "" => today,
                text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .ok()
                    .filter(|d| *d <= today && found.completed_at.is_none_or(|c| *d >= cst_today(c)))
                    .ok_or_else(|| AppError::refused(CaseReason::SignatureDate))?,
            };
            let note = if helper { CaseNote::ReceivedByHelper { day: day.to_string() } } else { CaseNote::ReceivedConfirmed { day: day.to_string() } };
            (case::Column::ReceivedOn, day.into(), "received", note)
        }
        HandoffStep::FollowUp { note } if helper && found.received_on.is_some() => {
            let note = note.trim();
            let note = if note.is_empty() { CaseNote::FollowedUp } else { CaseNote::FollowedUpNote { note: note.to_owned() } };
            (case::Column::FollowedUpAt, now.into(), "follow_up", note)
        }
        HandoffStep::FollowUp { .. } if helper => return Err(AppError::refused(CaseReason::FollowUpAfterSignature)),
        _ => return Err(AppError::NotFound),
    };
    let changed = case::Entity::update_many()
        .col_expr(column, Expr::value(value))
        .col_expr(case::Column::UpdatedAt, Expr::value(now))
        .filter(case::Column::Id.eq(found.id))
        .filter(column.is_null())
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        return Ok(()); // recorded already (a double tap)
    }
    event(&txn, found.id, Some(user), kind, note, now).await?;
    log(&txn, user, &format!("case.{}", step.name()), &found, json!({})).await?;
    txn.commit().await?;
    Ok(())
}
