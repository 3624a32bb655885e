//! What people read: the case view, 我的办件, the inbox, the public lookup and messages.

use super::*;

// ---- reading ----------------------------------------------------------------------

/// Working days left until the deadline (negative when overdue), while the case is
/// open; counted to the day the clock paused while it waits for a supplement.
pub(super) fn days_left(calendar: &Calendar, found: &case::Model, now: DateTime<Utc>) -> Option<i64> {
    if !status_of(found).is_open() {
        return None;
    }
    let deadline = found.deadline?;
    let today = cst_today(match found.paused_at {
        Some(paused) => paused,
        None => now,
    });
    Some(if today <= deadline { i64::from(calendar.working_days_between(today, deadline)) } else { -i64::from(calendar.working_days_between(deadline, today)) })
}

pub(super) async fn notices(db: &impl ConnectionTrait, found: &case::Model, staff: bool) -> Result<Vec<NoticeView>, AppError> {
    let rows =
        supplement_notice::Entity::find().filter(supplement_notice::Column::CaseId.eq(found.id)).order_by_desc(supplement_notice::Column::Seq).all(db).await?;
    let mut out = Vec::new();
    for n in rows.into_iter().filter(|n| staff || matches!(n.status.as_str(), "active" | "answered")) {
        out.push(NoticeView {
            seq: n.seq,
            issued_at: format_cst(n.created_at),
            clerk: name_of(db, n.created_by).await?,
            items: notice_items(&n)?,
            status: n.status.clone(),
            extra: n.extra,
        });
    }
    Ok(out)
}

/// A case as `user` may see it.
#[tracing::instrument(skip_all)]
pub async fn case_view(state: &AppState, user: &CurrentUser, number: &str, now: DateTime<Utc>) -> Result<CaseView, AppError> {
    let db = &state.db;
    let found = find(db, number).await?;
    let routing = Routing::load(db, cst_today(now)).await?;
    let access = station_access::case_access(db, user, &found, now).await?;
    let applicant = access == CaseAccess::Full;
    if access == CaseAccess::Summary {
        return Ok(summary_view(&found));
    }
    if !applicant && !staff_sees(user, &found, &routing) {
        return Err(AppError::NotFound);
    }
    let status = status_of(&found);
    let content = guide_version(db, &found.item_code, found.guide_version).await?;
    let calendar = calendar(db).await?;
    let active = active_notice(db, found.id).await?;
    let rows = case_file::Entity::find()
        .filter(case_file::Column::CaseId.eq(found.id))
        .filter(case_file::Column::Superseded.eq(false))
        .order_by_asc(case_file::Column::Id)
        .all(db)
        .await?;
    let stored: HashMap<i32, stored_file::Model> = stored_file::Entity::find()
        .filter(stored_file::Column::Id.is_in(rows.iter().map(|r| r.file_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let mut materials = Vec::new();
    for (i, m) in content.materials.iter().enumerate() {
        let index = i as u32;
        let requested = active.as_ref().and_then(|(_, items)| items.iter().find(|it| it.index == index)).map(|it| it.reason.clone());
        let can_upload = applicant && (status == CaseStatus::Draft || (status == CaseStatus::SupplementRequested && requested.is_some()));
        let files = rows
            .iter()
            .filter(|r| r.material_index == i as i32)
            .map(|r| {
                let replacement = active.as_ref().is_some_and(|(n, _)| r.created_at >= n.created_at);
                let file = stored.get(&r.file_id);
                CaseFileView {
                    id: r.id,
                    name: file.map_or_else(|| "文件".to_owned(), |f| f.original_name.clone()),
                    size: r.size,
                    image: file.is_some_and(|f| f.content_type.starts_with("image/")),
                    replacement,
                    can_remove: applicant && (status == CaseStatus::Draft || (status == CaseStatus::SupplementRequested && replacement)),
                }
            })
            .collect();
        materials.push(MaterialSlot {
            index,
            name: m.name.clone(),
            requirement: m.requirement(),
            note: m.note.clone(),
            sample_href: m.sample.as_ref().map(|s| s.href()),
            files,
            requested,
            can_upload,
        });
    }
    let events = case_event::Entity::find().filter(case_event::Column::CaseId.eq(found.id)).order_by_desc(case_event::Column::Id).all(db).await?;
    let helper = match found.station_id {
        Some(station_id) => station_access::assisted_by(db, found.filed_by, Some(station_id)).await?,
        None => None,
    };
    let handoff = handoff_of(db, user, &found, status, now).await?;
    let window = match found.window_id {
        Some(id) => window::Entity::find_by_id(id).one(db).await?.map(|w| w.name),
        None => None,
    };
    let owner = match routing.a_post(&found).filter(|_| status != CaseStatus::Draft) {
        Some(id) => Some(name_of(db, id).await?),
        None => None,
    };
    let staff = if applicant {
        None
    } else {
        let act = staff_may_act(user, &found, &routing);
        let pending = supplement_notice::Entity::find()
            .filter(supplement_notice::Column::CaseId.eq(found.id))
            .filter(supplement_notice::Column::Status.eq("pending"))
            .one(db)
            .await?
            .is_some();
        // A handover needs someone to hand over to; the form has no empty choice.
        let clerks = if act && status.is_open() { crate::ssr::directory::clerks(db).await? } else { Vec::new() };
        Some(StaffActions {
            accept: act && status == CaseStatus::Submitted,
            supplement: act && matches!(status, CaseStatus::Submitted | CaseStatus::Accepted) && !pending,
            process: act && status == CaseStatus::Accepted,
            complete: act && matches!(status, CaseStatus::Accepted | CaseStatus::Processing),
            reject: act && matches!(status, CaseStatus::Submitted | CaseStatus::Accepted),
            handover: !clerks.is_empty(),
            approve: user.role == Role::Chief && pending,
            clerks,
        })
    };
    let resubmittable = status == CaseStatus::SupplementRequested;
    Ok(CaseView {
        number: found.number.clone(),
        item_code: found.item_code.clone(),
        item_name: found.item_name.clone(),
        guide_version: found.guide_version,
        status,
        applicant_name: found.applicant_name.clone(),
        phone_masked: PhoneNumber::parse(&found.applicant_phone).map(|p| p.masked()).unwrap_or_default(),
        id_masked: found.id_masked.clone(),
        notes: found.notes.clone(),
        helper,
        deadline: found.deadline.map(|d| d.to_string()),
        days_left: days_left(&calendar, &found, now),
        paused: found.paused_at.is_some(),
        window,
        owner,
        result: found.result.clone(),
        pickup: found.pickup.clone(),
        reason: found.reason.clone(),
        materials,
        notices: notices(db, &found, !applicant).await?,
        timeline: events
            .into_iter()
            .map(|e| TimelineEntry { at: format_cst(e.at), actor: e.actor_name, note: Note::from_json(e.note.as_deref()), message: e.message })
            .collect(),
        can_submit: applicant && status == CaseStatus::Draft,
        can_withdraw: applicant && matches!(status, CaseStatus::Draft | CaseStatus::Submitted | CaseStatus::SupplementRequested),
        can_resubmit: applicant && resubmittable,
        staff,
        limited: false,
        handoff,
    })
}

pub(super) fn summary(calendar: &Calendar, found: &case::Model, now: DateTime<Utc>, backup_for: Option<String>, pending_approval: bool) -> CaseSummary {
    let days = days_left(calendar, found, now);
    let status = status_of(found);
    let open = status.is_open() && found.paused_at.is_none();
    CaseSummary {
        number: found.number.clone(),
        item_name: found.item_name.clone(),
        status,
        applicant: found.applicant_name.clone(),
        id_masked: found.id_masked.clone(),
        updated_at: format_cst(found.updated_at),
        deadline: found.deadline.map(|d| d.to_string()),
        days_left: days,
        overdue: open && days.is_some_and(|d| d < 0),
        due_soon: open && days.is_some_and(|d| (0..=DUE_SOON_DAYS).contains(&d)),
        paused: found.paused_at.is_some(),
        backup_for,
        pending_approval,
        assisted: found.station_id.is_some(),
        limited: false,
    }
}

/// What a helper still sees of a case they filed once its authorisation has ended:
/// its number, item and status; no materials, people or history.
pub(super) fn summary_view(found: &case::Model) -> CaseView {
    CaseView {
        number: found.number.clone(),
        item_code: found.item_code.clone(),
        item_name: found.item_name.clone(),
        guide_version: found.guide_version,
        status: status_of(found),
        applicant_name: String::new(),
        phone_masked: String::new(),
        id_masked: String::new(),
        notes: String::new(),
        helper: None,
        deadline: None,
        days_left: None,
        paused: false,
        window: None,
        owner: None,
        result: None,
        pickup: None,
        reason: None,
        materials: Vec::new(),
        notices: Vec::new(),
        timeline: Vec::new(),
        can_submit: false,
        can_withdraw: false,
        can_resubmit: false,
        staff: None,
        limited: true,
        handoff: None,
    }
}

/// 我的办件: newest first.
#[tracing::instrument(skip_all)]
pub async fn my_cases(state: &AppState, user: &CurrentUser, page: u64, now: DateTime<Utc>) -> Result<MyCases, AppError> {
    let db = &state.db;
    let query = match user.role {
        // A helper: their own filings, and their station's filings for residents who
        // authorised the station or them; each is checked below.
        Role::Helper => match station_access::helper_station(db, user).await? {
            Some(station) => case::Entity::find().filter(case::Column::FiledBy.eq(user.id).or(case::Column::StationId.eq(station.id))),
            None => case::Entity::find().filter(case::Column::FiledBy.eq(user.id)),
        },
        _ => case::Entity::find().filter(case::Column::FiledBy.eq(user.id).or(case::Column::ApplicantId.eq(user.id))),
    };
    // One page more than shown tells whether there is a next page.
    let mut rows = query.order_by_desc(case::Column::Id).offset(page * MY_CASES_PAGE).limit(MY_CASES_PAGE + 1).all(db).await?;
    let more = rows.len() as u64 > MY_CASES_PAGE;
    rows.truncate(MY_CASES_PAGE as usize);
    let calendar = calendar(db).await?;
    let mut cases = Vec::new();
    for found in &rows {
        match station_access::case_access(db, user, found, now).await? {
            CaseAccess::Full => cases.push(summary(&calendar, found, now, None, false)),
            CaseAccess::Summary => cases.push(CaseSummary { limited: true, ..summary(&calendar, found, now, None, false) }),
            CaseAccess::None => {}
        }
    }
    Ok(MyCases { cases, page, more })
}

/// The clerk's inbox (or the chief's: every open case), by deadline.
#[tracing::instrument(skip_all)]
pub async fn inbox(state: &AppState, user: &CurrentUser, filter: CaseFilter, now: DateTime<Utc>) -> Result<Vec<CaseSummary>, AppError> {
    let db = &state.db;
    let routing = Routing::load(db, cst_today(now)).await?;
    let rows = case::Entity::find()
        .filter(case::Column::Status.is_in(CaseStatus::OPEN.iter().map(|s| s.as_str())))
        .order_by_asc(case::Column::SubmittedAt)
        .all(db)
        .await?;
    let pending: HashSet<i32> =
        supplement_notice::Entity::find().filter(supplement_notice::Column::Status.eq("pending")).all(db).await?.into_iter().map(|n| n.case_id).collect();
    let calendar = calendar(db).await?;
    let mut names = HashMap::new();
    let mut out = Vec::new();
    for found in rows.iter().filter(|c| staff_sees(user, c, &routing)) {
        let backup_for = match routing.backing_up(found, user.id).filter(|_| user.role == Role::Clerk) {
            Some(a) => {
                if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(a) {
                    slot.insert(name_of(db, a).await?);
                }
                names.get(&a).cloned()
            }
            None => None,
        };
        let row = summary(&calendar, found, now, backup_for, pending.contains(&found.id));
        let keep = match filter {
            CaseFilter::DueSoon => row.due_soon,
            CaseFilter::Overdue => row.overdue,
            CaseFilter::Approval => row.pending_approval,
            CaseFilter::All => true,
        };
        if keep {
            out.push(row);
        }
    }
    out.sort_by_key(|c| (!c.overdue, !c.due_soon, c.deadline.clone().unwrap_or_else(|| "9999".to_owned())));
    Ok(out)
}

/// The public status lookup: number plus the last four digits of the applicant's
/// phone. Every try counts against the caller's address.
#[tracing::instrument(skip_all)]
pub async fn lookup(state: &AppState, addr: &str, number: &str, last4: &str, now: DateTime<Utc>) -> Result<PublicStatus, AppError> {
    let db = &state.db;
    let key = format!("lookup:{}", crate::ssr::throttle::address(addr));
    if crate::ssr::throttle::hit(db, &key, Duration::minutes(LOOKUP_WINDOW_MINUTES), now).await?.hits > LOOKUP_LIMIT {
        return Err(AppError::TooManyRequests(crate::i18n::Msg::ErrLookupLimited));
    }
    let last4 = last4.trim();
    let found = match find(db, number).await {
        Ok(found) if status_of(&found) != CaseStatus::Draft && last4.len() == 4 && found.applicant_phone.ends_with(last4) => found,
        Ok(_) | Err(AppError::NotFound) => return Err(AppError::refused(CaseReason::LookupNotFound)),
        Err(err) => return Err(err),
    };
    let events = case_event::Entity::find().filter(case_event::Column::CaseId.eq(found.id)).order_by_desc(case_event::Column::Id).all(db).await?;
    Ok(PublicStatus {
        number: found.number.clone(),
        item_name: found.item_name.clone(),
        status: status_of(&found),
        deadline: found.deadline.map(|d| d.to_string()),
        // Who and what kind of step only: reasons and results may be personal.
        timeline: events
            .into_iter()
            .filter(|e| e.kind != "upload" && e.kind != "remove")
            .map(|e| {
                let note = Note::from(public_message(&e.kind));
                TimelineEntry { at: format_cst(e.at), actor: public_actor(&e), message: note.zh(), note: Some(note) }
            })
            .collect(),
    })
}

pub(super) fn public_actor(e: &case_event::Model) -> String {
    // The role, never the name.
    ["申请人", "帮办员", "窗口人员", "首席事务代表", "投诉处理员"].into_iter().find(|role| e.actor_name.starts_with(role)).unwrap_or("系统").to_owned()
}

/// What the public lookup says of a step: its kind only, never its details.
pub(super) fn public_message(kind: &str) -> CaseNote {
    match kind {
        "created" => CaseNote::PublicCreated,
        "submitted" => CaseNote::PublicSubmitted,
        "ab_route" => CaseNote::PublicAbRoute,
        "accepted" => CaseNote::PublicAccepted,
        "supplement" => CaseNote::PublicSupplement,
        "resubmitted" => CaseNote::PublicResubmitted,
        "processing" => CaseNote::PublicProcessing,
        "completed" => CaseNote::PublicCompleted,
        "rejected" => CaseNote::PublicRejected,
        "withdrawn" => CaseNote::PublicWithdrawn,
        "handover" => CaseNote::PublicHandover,
        _ => CaseNote::PublicOther,
    }
}

/// The user's messages, newest first; marks them read.
#[tracing::instrument(skip_all)]
pub async fn messages(db: &DatabaseConnection, user_id: i32, now: DateTime<Utc>) -> Result<Vec<MessageView>, AppError> {
    let rows = notification::Entity::find().filter(notification::Column::UserId.eq(user_id)).order_by_desc(notification::Column::Id).all(db).await?;
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(now))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|n| MessageView {
            id: n.id,
            note: n.note.as_deref().and_then(|s| serde_json::from_str(s).ok()),
            title: n.title,
            body: n.body,
            link: n.link,
            at: format_cst(n.created_at),
            unread: n.read_at.is_none(),
        })
        .collect())
}

#[tracing::instrument(skip_all)]
pub async fn unread(db: &DatabaseConnection, user_id: i32) -> Result<u64, AppError> {
    Ok(notification::Entity::find().filter(notification::Column::UserId.eq(user_id)).filter(notification::Column::ReadAt.is_null()).count(db).await?)
}
