//! Starting a case, and the applicant's own steps: submit, withdraw, resubmit.

use super::*;

// ---- starting a case --------------------------------------------------------------

/// One start-a-case submission.
#[derive(Clone, Debug)]
pub struct NewCase {
    pub item_code: String,
    pub name: String,
    pub phone: String,
    pub id_number: String,
    pub notes: String,
    /// The form's one-time key.
    pub key: String,
    /// The resident a helper files for.
    pub for_resident: Option<i32>,
}

pub(super) async fn startable_item(db: &impl ConnectionTrait, user: &CurrentUser, code: &str) -> Result<item::Model, AppError> {
    let found = item::Entity::find().filter(item::Column::Code.eq(code)).one(db).await?.filter(|i| i.published).ok_or(AppError::NotFound)?;
    match user.role {
        Role::Helper if !found.helper_eligible => Err(AppError::refused(CaseReason::NotForHelpers)),
        Role::Helper => match station_access::helper_station(db, user).await? {
            Some(s) if crate::stations::service::station_does(db, s.id, &found.code).await? => Ok(found),
            Some(_) => Err(AppError::refused(CaseReason::NotAtThisStation)),
            None => Err(AppError::refused(crate::i18n::StationReason::NotAtOpenStation)),
        },
        Role::Resident if !found.online => Err(AppError::refused(CaseReason::NotOnline)),
        _ => Ok(found),
    }
}

#[tracing::instrument(skip_all)]
pub async fn new_case_form(state: &AppState, user: &CurrentUser, code: &str, for_resident: Option<i32>) -> Result<NewCaseForm, AppError> {
    let db = &state.db;
    let now = Utc::now();
    let found = startable_item(db, user, code).await?;
    let content = guide_version(db, &found.code, found.current_version).await?;
    let for_someone_else = user.role == Role::Helper;
    // A helper fills in the form for the resident an authorisation names, from what
    // is on record for them; a resident from their own last case.
    let applicant = match (user.role, for_resident) {
        (Role::Helper, Some(resident)) => {
            station_access::require_grant(db, user, resident, Target::Item(&found.code), now).await?;
            Some(resident)
        }
        (Role::Helper, None) => return Err(AppError::refused(CaseReason::RegisterGrantFirst)),
        _ => Some(user.id),
    };
    let (mut name, mut phone, mut id_number) = (String::new(), String::new(), String::new());
    if let Some(applicant) = applicant {
        let person = user::Entity::find_by_id(applicant).one(db).await?.ok_or(AppError::NotFound)?;
        name = person.name.unwrap_or_default();
        if PhoneNumber::parse(&person.phone).is_ok() {
            phone = person.phone;
        }
        if let Some(profile) = applicant_profile::Entity::find_by_id(applicant).one(db).await? {
            name = profile.name;
            phone = profile.phone;
            id_number = crypto::open(state.config.data_key.expose(), ID_PURPOSE, &profile.id_cipher)?;
        }
    }
    Ok(NewCaseForm {
        item_code: found.code,
        item_name: found.name,
        guide_version: found.current_version,
        materials: content.materials.iter().map(|m| (m.name.clone(), m.requirement())).collect(),
        name,
        phone,
        id_number,
        for_someone_else,
        for_resident: for_resident.filter(|_| for_someone_else),
        key: crypto::random_token(),
    })
}

pub(super) async fn next_number(txn: &impl ConnectionTrait, day: NaiveDate) -> Result<CaseNumber, AppError> {
    let last = crate::ssr::db::next_in_day(txn, "case", day).await?;
    Ok(CaseNumber::new(day, Ord::max(last, 1) as u32))
}

/// Starts a case as a draft, recording the guide version in force. Returns its number;
/// a repeated submission (same key) returns the first case's number.
#[tracing::instrument(skip(state, input), fields(user = user.id, item = %input.item_code))]
pub async fn create_draft(state: &AppState, user: &CurrentUser, input: &NewCase, now: DateTime<Utc>) -> Result<String, AppError> {
    let key = input.key.trim();
    if key.is_empty() || key.len() > 64 {
        return Err(AppError::Conflict(crate::i18n::Msg::ErrBookingKey));
    }
    let mut errors = FieldErrors::default();
    let name = errors.check("name", PersonName::parse(&input.name));
    // A resident a helper registered may have no phone.
    let phone = match input.phone.trim() {
        "" if user.role == Role::Helper => Some(None),
        phone => errors.check("phone", PhoneNumber::parse(phone)).map(Some),
    };
    let id_number = errors.check("id_number", IdCardNumber::parse(&input.id_number));
    if input.notes.chars().count() > 500 {
        errors.add("notes", crate::i18n::Msg::ErrNotesTooLong);
    }
    errors.into_result()?;
    let (Some(name), Some(phone), Some(id_number)) = (name, phone, id_number) else { return Err(AppError::Internal) };
    let phone = phone.map(|p| p.as_str().to_owned()).unwrap_or_default();
    let db = &state.db;
    if let Some(existing) = case::Entity::find().filter(case::Column::FiledBy.eq(user.id)).filter(case::Column::IdempotencyKey.eq(key)).one(db).await? {
        return Ok(existing.number);
    }
    let found = startable_item(db, user, &input.item_code).await?;
    // A helper files only for a resident whose authorisation covers the item; the
    // case is the resident's.
    let (applicant, grant, station_id) = match user.role {
        Role::Helper => {
            let resident = input.for_resident.ok_or(AppError::NotFound)?;
            let grant = station_access::require_grant(db, user, resident, Target::Item(&found.code), now).await?;
            (Some(resident), Some(grant.clone()), Some(grant.station_id))
        }
        _ => (Some(user.id), None, None),
    };
    let data_key = state.config.data_key.expose();
    let id_cipher = crypto::seal(data_key, ID_PURPOSE, id_number.as_str());
    let id_lookup = crypto::lookup_hash(data_key, ID_PURPOSE, id_number.as_str());
    let txn = begin_write(db).await?;
    let number = next_number(&txn, cst_today(now)).await?;
    let inserted = case::ActiveModel {
        number: Set(number.as_str().to_owned()),
        item_code: Set(found.code.clone()),
        item_name: Set(found.name.clone()),
        guide_version: Set(found.current_version),
        applicant_id: Set(applicant),
        filed_by: Set(user.id),
        station_id: Set(station_id),
        authorisation_id: Set(grant.as_ref().map(|g| g.id)),
        applicant_name: Set(name.as_str().to_owned()),
        applicant_phone: Set(phone.clone()),
        id_cipher: Set(id_cipher.clone()),
        id_lookup: Set(id_lookup.clone()),
        id_masked: Set(id_number.masked()),
        notes: Set(input.notes.trim().to_owned()),
        status: Set(CaseStatus::Draft),
        idempotency_key: Set(key.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let created = match inserted {
        Ok(created) => created,
        Err(err) => {
            drop(txn);
            return match err.sql_err() {
                Some(SqlErr::UniqueConstraintViolation(_)) => {
                    let twin = case::Entity::find().filter(case::Column::FiledBy.eq(user.id)).filter(case::Column::IdempotencyKey.eq(key)).one(db).await?;
                    twin.map(|c| c.number).ok_or_else(|| AppError::refused(Common::TooFrequent))
                }
                _ => Err(err.into()),
            };
        }
    };
    if let Some(grant) = &grant {
        let (resident, until) = (name.as_str().to_owned(), crate::time::cst_today(grant.valid_until - Duration::seconds(1)).to_string());
        let note = if grant.method == "paper" { CaseNote::AuthorisedOnPaper { resident, until } } else { CaseNote::AuthorisedInApp { resident, until } };
        event(&txn, created.id, Some(user), "authorised", note, now).await?;
    }
    let version = i64::from(found.current_version);
    let note = match user.role {
        Role::Helper => CaseNote::CreatedByHelper { helper: user.name.clone().unwrap_or_default(), version },
        _ => CaseNote::Created { version },
    };
    event(&txn, created.id, Some(user), "created", note, now).await?;
    log(&txn, user, "case.create", &created, json!({ "item": found.code })).await?;
    if user.role == Role::Resident {
        // 智能填表: remember the details for next time.
        applicant_profile::Entity::insert(applicant_profile::ActiveModel {
            user_id: Set(user.id),
            name: Set(name.as_str().to_owned()),
            phone: Set(phone),
            id_cipher: Set(id_cipher),
            id_lookup: Set(id_lookup),
            id_masked: Set(id_number.masked()),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(applicant_profile::Column::UserId)
                .update_columns([
                    applicant_profile::Column::Name,
                    applicant_profile::Column::Phone,
                    applicant_profile::Column::IdCipher,
                    applicant_profile::Column::IdLookup,
                    applicant_profile::Column::IdMasked,
                    applicant_profile::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(created.number)
}

// ---- the applicant's transitions ----------------------------------------------------

/// Routes a submitted case: to the window of the schedule its item books into, else
/// the first staffed window.
pub(super) async fn route_window(db: &impl ConnectionTrait, code: &str) -> Result<Option<i32>, AppError> {
    let schedules = schedule::Entity::find().filter(schedule::Column::Active.eq(true)).order_by_asc(schedule::Column::Id).all(db).await?;
    if let Some(id) = schedules.iter().find(|s| s.item_codes.split_whitespace().any(|c| c == code)).and_then(|s| s.window_id) {
        return Ok(Some(id));
    }
    let windows = window::Entity::find().filter(window::Column::Active.eq(true)).order_by_asc(window::Column::Id).all(db).await?;
    Ok(windows.iter().find(|w| w.clerk_id.is_some()).or(windows.first()).map(|w| w.id))
}

/// draft → submitted, once every material has a file.
#[tracing::instrument(skip(state), fields(user = user.id))]
pub async fn submit(state: &AppState, user: &CurrentUser, number: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = begin_write(&state.db).await?;
    let found = find_for_applicant(&txn, user, number).await?;
    require_status(&found, &[CaseStatus::Draft], CaseAction::Submit)?;
    let content = guide_version(&txn, &found.item_code, found.guide_version).await?;
    let missing = missing_materials(&txn, &found, &content, None, None).await?;
    if !missing.is_empty() {
        return Err(AppError::Rejected(missing.into_iter().map(|name| Reason::from(CaseReason::UploadMaterial { name })).collect()));
    }
    let window_id = route_window(&txn, &found.item_code).await?;
    move_status(
        &txn,
        &found,
        &[CaseStatus::Draft],
        CaseStatus::Submitted,
        now,
        vec![(case::Column::SubmittedAt, Expr::value(now)), (case::Column::WindowId, Expr::value(window_id))],
    )
    .await?;
    let note = if user.role == Role::Helper { CaseNote::SubmittedByStation } else { CaseNote::Submitted };
    event(&txn, found.id, Some(user), "submitted", note, now).await?;
    let routed = case::Model { window_id, ..found.clone() };
    let routing = Routing::load(&txn, cst_today(now)).await?;
    if let (Some(a), Some(b)) = (routing.a_post(&routed), routing.responsible(&routed))
        && a != b
    {
        let note = CaseNote::AbRoute { a: name_of(&txn, a).await?, b: name_of(&txn, b).await? };
        event(&txn, found.id, None, "ab_route", note, now).await?;
    }
    log(&txn, user, "case.submit", &found, json!({ "window": window_id })).await?;
    let body = CaseNote::SubmittedBody { item: found.item_name.clone(), number: found.number.clone() };
    let notice = notify_filer(&txn, &found, CaseNote::SubmittedTitle, body, now).await?;
    txn.commit().await?;
    email(state, notice).await;
    Ok(())
}

/// Withdraws the application while it has not been accepted (or waits for a supplement).
#[tracing::instrument(skip_all)]
pub async fn withdraw(state: &AppState, user: &CurrentUser, number: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = begin_write(&state.db).await?;
    let found = find_for_applicant(&txn, user, number).await?;
    let allowed = [CaseStatus::Draft, CaseStatus::Submitted, CaseStatus::SupplementRequested];
    require_status(&found, &allowed, CaseAction::Withdraw)?;
    move_status(&txn, &found, &allowed, CaseStatus::Withdrawn, now, vec![(case::Column::PausedAt, Expr::value(Option::<DateTime<Utc>>::None))]).await?;
    event(&txn, found.id, Some(user), "withdrawn", CaseNote::Withdrawn, now).await?;
    log(&txn, user, "case.withdraw", &found, json!({})).await?;
    txn.commit().await?;
    Ok(())
}

/// supplement requested → back where it was, once every listed material has a new
/// file. The deadline moves on by the working days the case waited.
#[tracing::instrument(skip(state), fields(user = user.id))]
pub async fn resubmit(state: &AppState, user: &CurrentUser, number: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = begin_write(&state.db).await?;
    let found = find_for_applicant(&txn, user, number).await?;
    require_status(&found, &[CaseStatus::SupplementRequested], CaseAction::Resubmit)?;
    let (notice, items) = active_notice(&txn, found.id).await?.ok_or(AppError::Internal)?;
    let content = guide_version(&txn, &found.item_code, found.guide_version).await?;
    let listed: Vec<u32> = items.iter().map(|i| i.index).collect();
    let missing = missing_materials(&txn, &found, &content, Some(notice.created_at), Some(&listed)).await?;
    if !missing.is_empty() {
        return Err(AppError::Rejected(missing.into_iter().map(|name| Reason::from(CaseReason::ReuploadMaterial { name })).collect()));
    }
    let back_to = found.paused_from.as_deref().and_then(CaseStatus::parse).unwrap_or(CaseStatus::Submitted);
    let calendar = calendar(&txn).await?;
    let (deadline, waited) = resume_deadline(&calendar, found.deadline, found.paused_at, now);
    move_status(
        &txn,
        &found,
        &[CaseStatus::SupplementRequested],
        back_to,
        now,
        vec![
            (case::Column::PausedAt, Expr::value(Option::<DateTime<Utc>>::None)),
            (case::Column::PausedFrom, Expr::value(Option::<String>::None)),
            (case::Column::Deadline, Expr::value(deadline)),
        ],
    )
    .await?;
    supplement_notice::Entity::update_many()
        .col_expr(supplement_notice::Column::Status, Expr::value("answered"))
        .filter(supplement_notice::Column::Id.eq(notice.id))
        .exec(&txn)
        .await?;
    let note = match deadline {
        Some(d) if waited > 0 => CaseNote::ResubmittedExtended { waited, deadline: d.to_string() },
        Some(d) => CaseNote::ResubmittedDeadline { deadline: d.to_string() },
        None => CaseNote::Resubmitted,
    };
    event(&txn, found.id, Some(user), "resubmitted", note, now).await?;
    log(&txn, user, "case.resubmit", &found, json!({ "waited_working_days": waited })).await?;
    txn.commit().await?;
    Ok(())
}

/// The deadline after a pause from `paused_at` to `now`: moved on by the working days
/// waited. Returns (new deadline, working days waited).
#[tracing::instrument(skip_all)]
pub fn resume_deadline(calendar: &Calendar, deadline: Option<NaiveDate>, paused_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> (Option<NaiveDate>, u32) {
    match (deadline, paused_at) {
        (Some(deadline), Some(paused)) => {
            let waited = calendar.working_days_between(cst_today(paused), cst_today(now));
            (Some(calendar.add_working_days(deadline, waited)), waited)
        }
        (deadline, _) => (deadline, 0),
    }
}
