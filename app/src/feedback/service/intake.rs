//! Complaints and suggestions coming in: checks, the number, photos, and who may see feedback.

use super::*;

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

pub(super) fn status_of(row: &feedback::Model) -> FeedbackStatus {
    row.status
}

pub(super) fn kind_of(row: &feedback::Model) -> FeedbackKind {
    row.kind
}

pub(super) fn source_of(row: &feedback::Model) -> Source {
    row.source
}

pub(super) async fn next_number(txn: &impl ConnectionTrait, day: NaiveDate) -> Result<String, AppError> {
    let last = crate::ssr::db::next_in_day(txn, "feedback", day).await?;
    Ok(crate::domain::FeedbackNumber::new(day, Ord::max(last, 1) as u32).to_string())
}

/// Checks the fields of a submission before any photo is stored.
#[tracing::instrument(skip_all)]
pub async fn check_submission(state: &AppState, user: &CurrentUser, input: &NewFeedback, now: DateTime<Utc>) -> Result<(), AppError> {
    validate(state, user, input, now).await.map(|_| ())
}

pub(super) struct Checked {
    kind: FeedbackKind,
    source: Source,
    body: String,
    about_case: Option<case::Model>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
}

/// The throttle key of an account's submissions (its keyed hash, never its id).
pub(super) fn rate_key(state: &AppState, user: &CurrentUser) -> String {
    format!("feedback:{}", account_key(state, user))
}

pub(super) async fn validate(state: &AppState, user: &CurrentUser, input: &NewFeedback, now: DateTime<Utc>) -> Result<Checked, AppError> {
    let db = &state.db;
    let kind = FeedbackKind::parse(&input.kind).ok_or_else(|| AppError::refused(FeedbackReason::ChooseKind))?;
    let body = text_within(&input.body, TEXT_LIMIT, FeedbackField::Body)?;
    if body.chars().count() < 5 {
        return Err(AppError::refused(FeedbackReason::BodyTooShort));
    }
    if input.anonymous && kind != FeedbackKind::Suggestion {
        return Err(AppError::refused(FeedbackReason::AnonymousOnlySuggestions));
    }
    let staff_entry = is_staff_desk(user);
    let source = if staff_entry {
        match Source::parse(&input.source) {
            Some(s) if s != Source::Online => s,
            _ => return Err(AppError::refused(FeedbackReason::ChooseSource)),
        }
    } else {
        match user.role {
            Role::Resident | Role::Helper => Source::Online,
            _ => return Err(AppError::Forbidden),
        }
    };
    let contact_name = match input.contact_name.trim() {
        "" => None,
        name => Some(PersonName::parse(name).map_err(|m| AppError::refused(Reason::of(m)))?.as_str().to_owned()),
    };
    let contact_phone = match input.contact_phone.trim() {
        "" => None,
        phone => Some(PhoneNumber::parse(phone).map_err(|m| AppError::refused(Reason::of(m)))?.as_str().to_owned()),
    };
    if (contact_name.is_some() || contact_phone.is_some()) && !staff_entry && user.role != Role::Helper {
        return Err(AppError::refused(FeedbackReason::ContactFromAccount));
    }
    let about_case = match input.about_case.trim() {
        "" => None,
        number => {
            let found = crate::cases::service::find(db, number).await.map_err(|_| AppError::refused(Common::NoSuchCaseNumber))?;
            if !staff_entry && !applicant_side(db, user, &found).await? {
                return Err(AppError::refused(Common::NoSuchCaseNumber));
            }
            Some(found)
        }
    };
    if let Some(staff) = input.about_staff {
        let found = user::Entity::find_by_id(staff).one(db).await?;
        if found.is_none_or(|u| u.role == Role::Resident) {
            return Err(AppError::refused(Common::NoSuchStaff));
        }
    }
    if let Some(id) = input.about_station
        && station::Entity::find_by_id(id).one(db).await?.is_none()
    {
        return Err(AppError::refused(Common::NoSuchStation));
    }
    if let Some(id) = input.about_window
        && window::Entity::find_by_id(id).one(db).await?.is_none()
    {
        return Err(AppError::refused(Common::NoSuchWindow));
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
        return Err(AppError::refused(Common::FormExpired));
    }
    if let Some(existing) = feedback::Entity::find().filter(feedback::Column::SubmitKey.eq(&submit_key)).one(&state.db).await? {
        return Ok(existing.number);
    }
    let checked = validate(state, user, input, now).await?;
    if photos.len() > PHOTO_COUNT {
        return Err(AppError::refused(crate::i18n::UploadReason::TooManyPhotos { max: PHOTO_COUNT }));
    }
    // Counted in one atomic statement before the photos are stored: concurrent
    // submissions cannot all pass a check made before any of them was recorded.
    if !is_staff_desk(user)
        && throttle::hit(&state.db, &rate_key(state, user), Duration::hours(1), now).await?.hits
            > i32::try_from(state.config.feedback.per_hour).unwrap_or(i32::MAX)
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

pub(super) async fn record_feedback(
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
        kind: Set(checked.kind),
        source: Set(checked.source),
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
        status: Set(FeedbackStatus::Submitted),
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
    let actor = if anonymous {
        "匿名群众".to_owned()
    } else if staff_entry {
        actor_name(user)
    } else {
        filer_name(user)
    };
    let what = if staff_entry {
        FeedbackNote::Entered { kind: checked.kind.msg(), source: checked.source.msg() }
    } else {
        FeedbackNote::Submitted { kind: checked.kind.msg() }
    };
    add_event(&txn, row.id, if anonymous { None } else { Some(user.id) }, &actor, "submitted", what, false, now).await?;
    audit::record(
        &txn,
        Entry {
            // An anonymous suggestion's audit entry names no one either.
            actor_id: if anonymous { None } else { Some(user.id) },
            on_behalf_of: None,
            action: "feedback.create",
            entity: "feedback",
            entity_id: Some(number.clone()),
            detail: json!({ "kind": checked.kind.as_str(), "source": checked.source.as_str(), "photos": photos.len() }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(number)
}

pub(super) fn filer_name(user: &CurrentUser) -> String {
    match user.role {
        Role::Helper => actor_name(user),
        _ => "群众".to_owned(),
    }
}

pub(super) async fn add_event(
    db: &impl ConnectionTrait,
    feedback_id: i32,
    actor: Option<i32>,
    actor_name: &str,
    kind: &str,
    note: impl Into<Note>,
    internal: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let note = note.into();
    feedback_event::ActiveModel {
        feedback_id: Set(feedback_id),
        at: Set(now),
        actor_id: Set(actor),
        actor_name: Set(actor_name.to_owned()),
        kind: Set(kind.to_owned()),
        message: Set(note.zh()),
        note: Set(Some(note.to_json())),
        internal: Set(internal),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub(super) async fn clerks_see_feedback(db: &impl ConnectionTrait) -> Result<bool, AppError> {
    Ok(setting::Entity::find_by_id(CLERKS_SEE_FEEDBACK.to_owned()).one(db).await?.is_some_and(|s| s.value == "true"))
}

/// The chief allows or stops clerks reading feedback about their own cases.
#[tracing::instrument(skip_all)]
pub async fn set_clerks_see_feedback(state: &AppState, user: &CurrentUser, allow: bool) -> Result<(), AppError> {
    if user.role != Role::Chief {
        return Err(AppError::Forbidden);
    }
    let txn = begin_write(&state.db).await?;
    setting::Entity::insert(setting::ActiveModel { name: Set(CLERKS_SEE_FEEDBACK.to_owned()), value: Set(allow.to_string()) })
        .on_conflict(OnConflict::column(setting::Column::Name).update_column(setting::Column::Value).to_owned())
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Entry {
            actor_id: Some(user.id),
            on_behalf_of: None,
            action: "setting.change",
            entity: "setting",
            entity_id: Some(CLERKS_SEE_FEEDBACK.to_owned()),
            detail: json!({ "value": allow }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
