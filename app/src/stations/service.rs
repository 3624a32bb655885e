//! Station, resident and authorisation services. Who may do what is decided here and
//! in [`super::access`], on every call; a refusal that could tell a helper whether a
//! record exists is "not found".

use super::access::{self, ACTIVE, AWAITING_PAPER, PENDING, REFUSED, REVOKED};
use super::{
    AuthorisationView, ClaimView, DEFAULT_VALID_DAYS, Decision, MAX_VALID_DAYS, PaperForm, RecordLine, ResidentDesk, ResidentMatch, StationFigures,
    StationInfo, StationRow, StationsAdmin,
};
use crate::domain::{CaseStatus, IdCardNumber, PersonName, PhoneNumber, Role};
use crate::error::{AppError, FieldErrors};
use crate::i18n::{AuthorisationScope, AuthorisationState, Lang, Msg, ResidentName, StationNote, StationReason};
use crate::ssr::AppState;
use crate::ssr::audit::{self, Entry};
use crate::ssr::auth::CurrentUser;
use crate::ssr::crypto::{self, ID_NUMBER};
use crate::ssr::db::begin_write;
use crate::ssr::entities::{
    applicant_profile, assisted_resident, authorisation, booking, case, item, notification, rating, schedule, station, stored_file, user,
};
use crate::ssr::files::{self, Kind};
use crate::ssr::freshness;
use crate::ssr::notifications::{email, notify};
use crate::ssr::throttle;
use crate::time::{cst_midnight, cst_today, format_cst};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    SqlErr,
};
use serde_json::json;
use std::collections::HashMap;

/// What a paper 委托书 photo may be.
/// Largest photo of a signed 委托书 (as for case materials).
pub const PAPER_LIMIT_BYTES: usize = 10 * 1024 * 1024;
pub const PAPER_KINDS: &[Kind] = &[Kind::Jpeg, Kind::Png, Kind::Webp, Kind::Pdf];
/// A helper may open the desk of a resident they found this long ago.
const FOUND_FOR_HOURS: i64 = 8;
/// Resident lookups per helper per hour.
const LOOKUPS_PER_HOUR: i32 = 60;
/// Statuses of a case still being worked on.
const OPEN: [&str; 4] =
    [CaseStatus::Submitted.as_str(), CaseStatus::Accepted.as_str(), CaseStatus::Processing.as_str(), CaseStatus::SupplementRequested.as_str()];

// ---- stations ------------------------------------------------------------------------

/// Published items a helper may file, by code.
async fn eligible_items(db: &impl ConnectionTrait) -> Result<Vec<item::Model>, AppError> {
    Ok(item::Entity::find()
        .filter(item::Column::Published.eq(true))
        .filter(item::Column::HelperEligible.eq(true))
        .order_by_asc(item::Column::Code)
        .all(db)
        .await?)
}

/// The items `s` does: its chosen ones that are still eligible, or all eligible ones.
fn station_items<'a>(s: &station::Model, eligible: &'a [item::Model]) -> Vec<&'a item::Model> {
    match s.item_codes.as_deref() {
        Some(codes) => eligible.iter().filter(|i| codes.split_whitespace().any(|c| c == i.code)).collect(),
        None => eligible.iter().collect(),
    }
}

async fn bookable_codes(db: &impl ConnectionTrait) -> Result<Vec<String>, AppError> {
    let schedules = schedule::Entity::find().filter(schedule::Column::Active.eq(true)).all(db).await?;
    Ok(schedules.iter().flat_map(|s| s.item_codes.split_whitespace().map(str::to_owned)).collect())
}

fn info(s: &station::Model, eligible: &[item::Model], bookable: &[String]) -> StationInfo {
    let items = station_items(s, eligible);
    StationInfo {
        id: s.id,
        name: s.name.clone(),
        village: s.village.clone(),
        address: s.address.clone(),
        phone: s.phone.clone(),
        hours: s.hours.clone(),
        closed: s.closed_at.is_some(),
        all_items: s.item_codes.is_none(),
        bookable: items.iter().filter(|i| i.bookable && bookable.contains(&i.code)).map(|i| (i.code.clone(), i.name.clone())).collect(),
        items: items.into_iter().map(|i| (i.code.clone(), i.name.clone())).collect(),
    }
}

#[tracing::instrument(skip_all)]
pub async fn public_stations(db: &DatabaseConnection) -> Result<Vec<StationInfo>, AppError> {
    let eligible = eligible_items(db).await?;
    let bookable = bookable_codes(db).await?;
    let rows = station::Entity::find().filter(station::Column::ClosedAt.is_null()).order_by_asc(station::Column::Id).all(db).await?;
    Ok(rows.iter().map(|s| info(s, &eligible, &bookable)).collect())
}

#[tracing::instrument(skip_all)]
pub async fn public_station(db: &DatabaseConnection, id: i32) -> Result<StationInfo, AppError> {
    let found = station::Entity::find_by_id(id).one(db).await?.filter(|s| s.closed_at.is_none()).ok_or(AppError::NotFound)?;
    Ok(info(&found, &eligible_items(db).await?, &bookable_codes(db).await?))
}

/// Whether the station `station_id` does `code` for residents (open, and the item is
/// one of its items).
#[tracing::instrument(skip_all)]
pub async fn station_does(db: &impl ConnectionTrait, station_id: i32, code: &str) -> Result<bool, AppError> {
    let Some(s) = station::Entity::find_by_id(station_id).one(db).await?.filter(|s| s.closed_at.is_none()) else { return Ok(false) };
    let eligible = eligible_items(db).await?;
    Ok(station_items(&s, &eligible).iter().any(|i| i.code == code))
}

async fn figures(db: &impl ConnectionTrait, station_id: i32, now: DateTime<Utc>) -> Result<StationFigures, AppError> {
    let today = cst_today(now);
    let month_start = cst_midnight(NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today));
    let assisted = || case::Entity::find().filter(case::Column::StationId.eq(station_id));
    let open = || assisted().filter(case::Column::Status.is_in(OPEN));
    Ok(StationFigures {
        open_cases: open().count(db).await?,
        overdue_cases: open().filter(case::Column::PausedAt.is_null()).filter(case::Column::Deadline.lt(today)).count(db).await?,
        completed_this_month: assisted()
            .filter(case::Column::Status.eq(CaseStatus::Completed))
            .filter(case::Column::CompletedAt.gte(month_start))
            .count(db)
            .await?,
        bookings_today: booking::Entity::find()
            .filter(booking::Column::StationId.eq(station_id))
            .filter(booking::Column::Day.eq(today))
            .filter(booking::Column::Status.ne("cancelled"))
            .count(db)
            .await?,
        authorisations_active: authorisation::Entity::find()
            .filter(authorisation::Column::StationId.eq(station_id))
            .filter(authorisation::Column::Status.eq(ACTIVE))
            .filter(authorisation::Column::ValidFrom.lte(now))
            .filter(authorisation::Column::ValidUntil.gt(now))
            .count(db)
            .await?,
        awaiting_delivery: assisted().filter(case::Column::Status.eq(CaseStatus::Completed)).filter(case::Column::ReceivedOn.is_null()).count(db).await?,
    })
}

#[tracing::instrument(skip_all)]
pub async fn stations_admin(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<StationsAdmin, AppError> {
    let eligible = eligible_items(db).await?;
    let bookable = bookable_codes(db).await?;
    let helpers =
        user::Entity::find().filter(user::Column::Role.eq(Role::Helper)).filter(user::Column::Active.eq(true)).order_by_asc(user::Column::Id).all(db).await?;
    let mut stations = Vec::new();
    for s in station::Entity::find().order_by_asc(station::Column::Id).all(db).await? {
        stations.push(StationRow {
            info: info(&s, &eligible, &bookable),
            figures: figures(db, s.id, now).await?,
            helpers: helpers.iter().filter(|h| h.station_id == Some(s.id)).map(|h| (h.id, h.name.clone().unwrap_or_default())).collect(),
        });
    }
    Ok(StationsAdmin {
        stations,
        eligible: eligible.into_iter().map(|i| (i.code, i.name)).collect(),
        helpers: helpers.into_iter().map(|h| (h.id, h.name.unwrap_or_default(), h.station_id)).collect(),
    })
}

/// A station as the chief typed it.
#[derive(Clone, Debug)]
pub struct StationInput {
    pub name: String,
    pub village: String,
    pub address: String,
    pub phone: String,
    pub hours: String,
    pub items: Vec<String>,
}

fn required(errors: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, Msg::ErrRequired);
    } else if value.chars().count() > max {
        errors.add(field, Msg::ErrTooLong);
    }
    value.to_owned()
}

/// Creates (`id` `None`) or edits a station. Returns its id.
#[tracing::instrument(skip_all)]
pub async fn save_station(db: &DatabaseConnection, chief: &CurrentUser, id: Option<i32>, input: &StationInput, now: DateTime<Utc>) -> Result<i32, AppError> {
    let mut errors = FieldErrors::default();
    let name = required(&mut errors, "name", &input.name, 40);
    let village = required(&mut errors, "village", &input.village, 40);
    let address = required(&mut errors, "address", &input.address, 100);
    let phone = required(&mut errors, "phone", &input.phone, 20);
    if !phone.is_empty() && !phone.chars().all(|c| c.is_ascii_digit() || c == '-') {
        errors.add("phone", Msg::ErrStationPhone);
    }
    let hours = required(&mut errors, "hours", &input.hours, 60);
    let eligible = eligible_items(db).await?;
    let mut codes: Vec<String> = input.items.iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
    codes.sort();
    codes.dedup();
    if codes.iter().any(|c| !eligible.iter().any(|i| &i.code == c)) {
        errors.add("items", Msg::ErrStationItems);
    }
    errors.into_result()?;
    // Every eligible item chosen is the same as none: new eligible items come along.
    let item_codes = (!codes.is_empty() && codes.len() < eligible.len()).then(|| codes.join(" "));
    let txn = begin_write(db).await?;
    let saved = match id {
        Some(id) => {
            let found = station::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
            let mut row: station::ActiveModel = found.into();
            row.name = Set(name.clone());
            row.village = Set(village);
            row.address = Set(address);
            row.phone = Set(phone);
            row.hours = Set(hours);
            row.item_codes = Set(item_codes.clone());
            row.update(&txn).await
        }
        None => {
            station::ActiveModel {
                name: Set(name.clone()),
                village: Set(village),
                address: Set(address),
                phone: Set(phone),
                hours: Set(hours),
                item_codes: Set(item_codes.clone()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await
        }
    };
    let saved = match saved {
        Ok(saved) => saved,
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(AppError::field("name", Msg::ErrStationNameTaken));
        }
        Err(err) => return Err(err.into()),
    };
    let action = if id.is_some() { "station.update" } else { "station.create" };
    audit::record(
        &txn,
        Entry {
            actor_id: Some(chief.id),
            on_behalf_of: None,
            action,
            entity: "station",
            entity_id: Some(saved.id.to_string()),
            detail: json!({ "name": name, "items": item_codes }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}

/// Closes or reopens a station. A closed one keeps its history; its helpers cannot act.
#[tracing::instrument(skip_all)]
pub async fn set_station_open(db: &DatabaseConnection, chief: &CurrentUser, id: i32, open: bool, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    station::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    station::Entity::update_many()
        .col_expr(station::Column::ClosedAt, Expr::value(if open { None } else { Some(now) }))
        .filter(station::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let action = if open { "station.reopen" } else { "station.close" };
    audit::record(&txn, Entry { actor_id: Some(chief.id), on_behalf_of: None, action, entity: "station", entity_id: Some(id.to_string()), detail: json!({}) })
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Moves a helper to another station; the move is in the audit log with both stations.
#[tracing::instrument(skip_all)]
pub async fn move_helper(state: &AppState, chief: &CurrentUser, helper_id: i32, station_id: i32) -> Result<(), AppError> {
    let db = &state.db;
    let txn = begin_write(db).await?;
    let helper = user::Entity::find_by_id(helper_id).one(&txn).await?.filter(|u| u.role == Role::Helper).ok_or(AppError::NotFound)?;
    station::Entity::find_by_id(station_id)
        .one(&txn)
        .await?
        .filter(|s| s.closed_at.is_none())
        .ok_or_else(|| AppError::refused(StationReason::TargetStationClosed))?;
    if helper.station_id == Some(station_id) {
        return Ok(());
    }
    user::Entity::update_many()
        .col_expr(user::Column::StationId, Expr::value(station_id))
        .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(helper_id))
        .exec(&txn)
        .await?;
    // Sessions carry the station; every server drops its copies.
    freshness::bump(&txn, freshness::SESSIONS).await?;
    audit::record(
        &txn,
        Entry {
            actor_id: Some(chief.id),
            on_behalf_of: None,
            action: "helper.move",
            entity: "user",
            entity_id: Some(helper_id.to_string()),
            detail: json!({ "from": helper.station_id, "to": station_id }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---- residents -------------------------------------------------------------------------

fn found_key(helper: i32, resident: i32) -> String {
    format!("found:{helper}:{resident}")
}

/// The open station of a helper, or a refusal that says why they cannot act.
async fn acting_station(db: &impl ConnectionTrait, helper: &CurrentUser) -> Result<station::Model, AppError> {
    access::helper_station(db, helper).await?.ok_or_else(|| AppError::refused(StationReason::NotAtOpenStation))
}

fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

async fn match_of(db: &impl ConnectionTrait, person: &user::Model) -> Result<ResidentMatch, AppError> {
    let profile = applicant_profile::Entity::find_by_id(person.id).one(db).await?;
    let assisted = assisted_resident::Entity::find_by_id(person.id).one(db).await?;
    let phone = match &assisted {
        Some(a) => a.contact_phone.clone().unwrap_or_default(),
        None => person.phone.clone(),
    };
    Ok(ResidentMatch {
        id: person.id,
        name: mask_name(&profile.as_ref().map(|p| p.name.clone()).or(person.name.clone()).unwrap_or_default()),
        phone_masked: PhoneNumber::parse(&phone).map(|p| p.masked()).unwrap_or_else(|_| "无手机号".to_owned()),
        id_masked: profile.map(|p| p.id_masked).unwrap_or_default(),
        has_account: assisted.is_none(),
    })
}

/// Residents whose phone or ID number is exactly `query`. There is no browsing: a
/// partial number finds nothing. Each find is counted and lets the helper open that
/// resident's desk for a few hours.
#[tracing::instrument(skip_all)]
pub async fn find_resident(state: &AppState, helper: &CurrentUser, query: &str) -> Result<Vec<ResidentMatch>, AppError> {
    let db = &state.db;
    let now = Utc::now();
    acting_station(db, helper).await?;
    if throttle::hit(db, &format!("resident-find:{}", helper.id), Duration::hours(1), now).await?.hits > LOOKUPS_PER_HOUR {
        return Err(AppError::TooManyRequests(Msg::ErrTooManyLookups));
    }
    let query = query.trim();
    let mut people = Vec::new();
    if let Ok(phone) = PhoneNumber::parse(query) {
        people.extend(
            user::Entity::find()
                .filter(user::Column::Phone.eq(phone.as_str()))
                .filter(user::Column::Role.eq(Role::Resident))
                .filter(user::Column::Active.eq(true))
                .all(db)
                .await?,
        );
        let assisted: Vec<i32> = assisted_resident::Entity::find()
            .filter(assisted_resident::Column::ContactPhone.eq(phone.as_str()))
            .filter(assisted_resident::Column::ClaimedAt.is_null())
            .all(db)
            .await?
            .into_iter()
            .map(|a| a.user_id)
            .collect();
        people.extend(user::Entity::find().filter(user::Column::Id.is_in(assisted)).all(db).await?);
    } else if let Ok(id_number) = IdCardNumber::parse(query) {
        let lookup = crypto::lookup_hash(state.config.data_key.expose(), ID_NUMBER, id_number.as_str());
        let ids: Vec<i32> =
            applicant_profile::Entity::find().filter(applicant_profile::Column::IdLookup.eq(lookup)).all(db).await?.into_iter().map(|p| p.user_id).collect();
        people.extend(
            user::Entity::find()
                .filter(user::Column::Id.is_in(ids))
                .filter(user::Column::Role.eq(Role::Resident))
                .filter(user::Column::Active.eq(true))
                .all(db)
                .await?,
        );
    } else {
        return Err(AppError::refused(StationReason::LookupNeedsFullNumber));
    }
    people.sort_by_key(|p| p.id);
    people.dedup_by_key(|p| p.id);
    let mut out = Vec::new();
    for person in &people {
        throttle::hit(db, &found_key(helper.id, person.id), Duration::hours(FOUND_FOR_HOURS), now).await?;
        out.push(match_of(db, person).await?);
    }
    audit::record(
        db,
        Entry {
            actor_id: Some(helper.id),
            on_behalf_of: None,
            action: "resident.find",
            entity: "user",
            entity_id: None,
            detail: json!({ "found": out.len() }),
        },
    )
    .await?;
    Ok(out)
}

/// A resident a helper registers.
#[derive(Clone, Debug)]
pub struct NewResident {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub address: String,
}

/// A `users` key no phone number can take: the person has no login.
fn no_login_phone() -> String {
    let token = crypto::random_token();
    format!("#{}", token.chars().filter(char::is_ascii_alphanumeric).take(10).collect::<String>())
}

/// Registers a resident who has no phone or no account. The same ID number again
/// opens the resident registered first.
#[tracing::instrument(skip_all)]
pub async fn register_resident(state: &AppState, helper: &CurrentUser, input: &NewResident, now: DateTime<Utc>) -> Result<i32, AppError> {
    let db = &state.db;
    let station = acting_station(db, helper).await?;
    let mut errors = FieldErrors::default();
    let name = errors.check("name", PersonName::parse(&input.name));
    let id_number = errors.check("id_number", IdCardNumber::parse(&input.id_number));
    let phone = match input.phone.trim() {
        "" => None,
        phone => errors.check("phone", PhoneNumber::parse(phone)),
    };
    let address = required(&mut errors, "address", &input.address, 100);
    errors.into_result()?;
    let (Some(name), Some(id_number)) = (name, id_number) else { return Err(AppError::Internal) };
    let data_key = state.config.data_key.expose();
    let lookup = crypto::lookup_hash(data_key, ID_NUMBER, id_number.as_str());
    let txn = begin_write(db).await?;
    let known: Vec<i32> =
        applicant_profile::Entity::find().filter(applicant_profile::Column::IdLookup.eq(&lookup)).all(&txn).await?.into_iter().map(|p| p.user_id).collect();
    if let Some(existing) = assisted_resident::Entity::find()
        .filter(assisted_resident::Column::UserId.is_in(known.clone()))
        .filter(assisted_resident::Column::ClaimedAt.is_null())
        .one(&txn)
        .await?
    {
        drop(txn);
        throttle::hit(db, &found_key(helper.id, existing.user_id), Duration::hours(FOUND_FOR_HOURS), now).await?;
        return Ok(existing.user_id);
    }
    if !known.is_empty() {
        return Err(AppError::refused(StationReason::IdNumberHasAccount));
    }
    let person = user::ActiveModel {
        phone: Set(no_login_phone()),
        password_hash: Set(String::new()),
        name: Set(Some(name.as_str().to_owned())),
        role: Set(Role::Resident),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    applicant_profile::ActiveModel {
        user_id: Set(person.id),
        name: Set(name.as_str().to_owned()),
        phone: Set(phone.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default()),
        id_cipher: Set(crypto::seal(data_key, ID_NUMBER, id_number.as_str())),
        id_lookup: Set(lookup),
        id_masked: Set(id_number.masked()),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    assisted_resident::ActiveModel {
        user_id: Set(person.id),
        contact_phone: Set(phone.map(|p| p.as_str().to_owned())),
        address: Set(address),
        registered_by: Set(helper.id),
        station_id: Set(station.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Entry {
            actor_id: Some(helper.id),
            on_behalf_of: Some(person.id),
            action: "resident.register",
            entity: "user",
            entity_id: Some(person.id.to_string()),
            detail: json!({ "station": station.id }),
        },
    )
    .await?;
    txn.commit().await?;
    throttle::hit(db, &found_key(helper.id, person.id), Duration::hours(FOUND_FOR_HOURS), now).await?;
    Ok(person.id)
}

/// Whether `helper` may open `resident`'s desk: they found or registered them lately,
/// or the resident has an authorisation with their station. Anyone else: "not found".
async fn may_open_desk(db: &impl ConnectionTrait, helper: &CurrentUser, station_id: i32, resident: i32, now: DateTime<Utc>) -> Result<bool, AppError> {
    if throttle::peek(db, &found_key(helper.id, resident), Duration::hours(FOUND_FOR_HOURS), now).await? > 0 {
        return Ok(true);
    }
    let registered_here = assisted_resident::Entity::find_by_id(resident).one(db).await?.is_some_and(|a| a.station_id == station_id && a.claimed_at.is_none());
    let authorised = authorisation::Entity::find()
        .filter(authorisation::Column::ResidentId.eq(resident))
        .filter(authorisation::Column::StationId.eq(station_id))
        .filter(authorisation::Column::Status.is_in([ACTIVE, PENDING, AWAITING_PAPER]))
        .one(db)
        .await?
        .is_some();
    Ok(registered_here || authorised)
}

fn status_of(a: &authorisation::Model, now: DateTime<Utc>) -> AuthorisationState {
    match a.status.as_str() {
        PENDING => AuthorisationState::Pending,
        AWAITING_PAPER => AuthorisationState::AwaitingPaper,
        REFUSED => AuthorisationState::Refused,
        REVOKED => AuthorisationState::Revoked,
        ACTIVE if now >= a.valid_until => AuthorisationState::Expired,
        ACTIVE if now < a.valid_from => AuthorisationState::NotYetValid,
        ACTIVE => AuthorisationState::Active,
        _ => AuthorisationState::Unknown,
    }
}

/// What `a` covers, as its messages and pages name it.
async fn scope_of(db: &impl ConnectionTrait, a: &authorisation::Model) -> Result<AuthorisationScope, AppError> {
    Ok(match a.scope.as_str() {
        "case" => {
            let found = match a.case_id {
                Some(id) => case::Entity::find_by_id(id).one(db).await?,
                None => None,
            };
            match found {
                Some(c) => AuthorisationScope::Case { number: c.number, item: c.item_name },
                None => AuthorisationScope::UnknownCase,
            }
        }
        _ => {
            let codes: Vec<&str> = a.item_codes.split_whitespace().collect();
            let names: Vec<String> = item::Entity::find()
                .filter(item::Column::Code.is_in(codes))
                .order_by_asc(item::Column::Code)
                .all(db)
                .await?
                .into_iter()
                .map(|i| i.name)
                .collect();
            AuthorisationScope::Items { names }
        }
    })
}

async fn view_of(db: &impl ConnectionTrait, a: &authorisation::Model, for_resident: bool, now: DateTime<Utc>) -> Result<AuthorisationView, AppError> {
    let station = station::Entity::find_by_id(a.station_id).one(db).await?.map(|s| s.name).unwrap_or_default();
    let helper = match a.helper_id {
        Some(id) => Some(user::Entity::find_by_id(id).one(db).await?.and_then(|u| u.name).unwrap_or_default()),
        None => None,
    };
    let resident = applicant_profile::Entity::find_by_id(a.resident_id).one(db).await?.map(|p| p.name);
    let resident = match resident {
        Some(name) => name,
        None => user::Entity::find_by_id(a.resident_id).one(db).await?.and_then(|u| u.name).unwrap_or_default(),
    };
    let ended = matches!(a.status.as_str(), REFUSED | REVOKED) || now >= a.valid_until;
    Ok(AuthorisationView {
        id: a.id,
        resident,
        station,
        helper,
        scope: scope_of(db, a).await?,
        since: format_cst(a.valid_from),
        until: format_cst(a.valid_until),
        paper: a.method == "paper",
        status: a.status.clone(),
        state: status_of(a, now),
        in_force: access::in_force(a, now),
        can_decide: for_resident && a.status == PENDING,
        can_revoke: for_resident && !ended,
        needs_paper: !for_resident && a.status == AWAITING_PAPER,
    })
}

/// A resident on the helper's desk.
#[tracing::instrument(skip_all)]
pub async fn resident_desk(state: &AppState, helper: &CurrentUser, resident: i32, now: DateTime<Utc>) -> Result<ResidentDesk, AppError> {
    let db = &state.db;
    let station = acting_station(db, helper).await?;
    let person = user::Entity::find_by_id(resident).one(db).await?.filter(|u| u.role == Role::Resident).ok_or(AppError::NotFound)?;
    if !may_open_desk(db, helper, station.id, resident, now).await? {
        return Err(AppError::NotFound);
    }
    let found = match_of(db, &person).await?;
    let profile = applicant_profile::Entity::find_by_id(resident).one(db).await?;
    let assisted = assisted_resident::Entity::find_by_id(resident).one(db).await?;
    let rows = authorisation::Entity::find()
        .filter(authorisation::Column::ResidentId.eq(resident))
        .filter(authorisation::Column::StationId.eq(station.id))
        .order_by_desc(authorisation::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    let mut authorisations = Vec::new();
    for a in &rows {
        authorisations.push(view_of(db, a, false, now).await?);
    }
    let grants = access::grants(db, helper, resident, now).await?;
    let eligible = eligible_items(db).await?;
    let bookable = bookable_codes(db).await?;
    let mine = station_items(&station, &eligible);
    let allowed = mine
        .iter()
        .filter(|i| grants.iter().any(|g| access::covers(g, access::Target::Item(&i.code))))
        .map(|i| (i.code.clone(), i.name.clone(), i.bookable && bookable.contains(&i.code)))
        .collect();
    // Cases: those an authorisation covers in full, and the helper's own filings as a summary.
    let candidates = case::Entity::find()
        .filter(case::Column::ApplicantId.eq(resident))
        .filter(
            sea_orm::Condition::any()
                .add(case::Column::StationId.eq(station.id))
                .add(case::Column::Id.is_in(grants.iter().filter_map(|g| g.case_id)))
                .add(case::Column::ItemCode.is_in(grants.iter().flat_map(|g| g.item_codes.split_whitespace().map(str::to_owned)))),
        )
        .order_by_desc(case::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    let mut cases = Vec::new();
    for c in &candidates {
        let full = match access::case_access(db, helper, c, now).await? {
            access::CaseAccess::Full => true,
            access::CaseAccess::Summary => false,
            access::CaseAccess::None => continue,
        };
        cases.push(RecordLine { key: c.number.clone(), item: c.item_name.clone(), status: c.status.msg(), when: format_cst(c.updated_at), full });
    }
    let booking_rows = booking::Entity::find().filter(booking::Column::ResidentId.eq(resident)).order_by_desc(booking::Column::Id).limit(50).all(db).await?;
    let bookings = booking_rows
        .iter()
        .filter(|b| grants.iter().any(|g| access::covers(g, access::Target::Item(&b.item_code))))
        .map(|b| RecordLine {
            key: b.code.clone(),
            item: b.item_name.clone(),
            status: Some(b.status).map_or(Msg::Unknown, crate::domain::BookingStatus::msg),
            when: format_cst(b.starts_at),
            full: true,
        })
        .collect();
    let today = cst_today(now);
    Ok(ResidentDesk {
        id: resident,
        name: profile.as_ref().map(|p| p.name.clone()).or(person.name.clone()).unwrap_or_default(),
        phone_masked: found.phone_masked,
        id_masked: found.id_masked,
        address: assisted.map(|a| a.address).unwrap_or_default(),
        has_account: found.has_account,
        authorisations,
        allowed,
        station_items: mine.iter().map(|i| (i.code.clone(), i.name.clone())).collect(),
        cases,
        bookings,
        default_until: (today + Duration::days(DEFAULT_VALID_DAYS)).to_string(),
        max_until: (today + Duration::days(MAX_VALID_DAYS)).to_string(),
        key: crypto::random_token(),
    })
}

// ---- authorisations ---------------------------------------------------------------------

/// An authorisation a helper records.
#[derive(Clone, Debug)]
pub struct AuthorisationRequest {
    pub resident: i32,
    pub scope: String,
    pub items: Vec<String>,
    pub case_number: String,
    pub until: String,
    pub whole_station: bool,
    pub method: String,
    pub key: String,
}

/// Records an authorisation: pending the resident's answer in the app, or awaiting the
/// photo of the signed paper. Returns its id and whether a photo must follow.
#[tracing::instrument(skip_all)]
pub async fn request_authorisation(state: &AppState, helper: &CurrentUser, input: &AuthorisationRequest, now: DateTime<Utc>) -> Result<(i32, bool), AppError> {
    let db = &state.db;
    let station = acting_station(db, helper).await?;
    let key = input.key.trim();
    if key.is_empty() || key.len() > 64 {
        return Err(AppError::Conflict(Msg::ErrBookingKey));
    }
    if let Some(existing) = authorisation::Entity::find()
        .filter(authorisation::Column::CreatedBy.eq(helper.id))
        .filter(authorisation::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
    {
        return Ok((existing.id, existing.status == AWAITING_PAPER));
    }
    let person = user::Entity::find_by_id(input.resident).one(db).await?.filter(|u| u.role == Role::Resident).ok_or(AppError::NotFound)?;
    if !may_open_desk(db, helper, station.id, person.id, now).await? {
        return Err(AppError::NotFound);
    }
    let has_account = assisted_resident::Entity::find_by_id(person.id).one(db).await?.is_none();
    let mut errors = FieldErrors::default();
    let (scope, case_id, codes) = match input.scope.as_str() {
        "case" => {
            let found = crate::domain::CaseNumber::parse(input.case_number.trim()).ok().map(|n| n.as_str().to_owned());
            let found = match found {
                Some(number) => case::Entity::find().filter(case::Column::Number.eq(number)).one(db).await?.filter(|c| c.applicant_id == Some(person.id)),
                None => None,
            };
            match found {
                Some(c) => ("case", Some(c.id), String::new()),
                None => {
                    errors.add("case_number", Msg::ErrAuthorisationCase);
                    ("case", None, String::new())
                }
            }
        }
        _ => {
            let eligible = eligible_items(db).await?;
            let mine = station_items(&station, &eligible);
            let mut codes: Vec<String> = input.items.iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
            codes.sort();
            codes.dedup();
            if codes.is_empty() || codes.iter().any(|c| !mine.iter().any(|i| &i.code == c)) {
                errors.add("items", Msg::ErrAuthorisationItems);
            }
            ("items", None, codes.join(" "))
        }
    };
    let today = cst_today(now);
    let until = match NaiveDate::parse_from_str(input.until.trim(), "%Y-%m-%d") {
        Ok(day) if day >= today && day <= today + Duration::days(MAX_VALID_DAYS) => Some(day),
        _ => {
            errors.add("until", Msg::ErrAuthorisationUntil);
            None
        }
    };
    let paper = match input.method.as_str() {
        "paper" => true,
        "app" if has_account => false,
        _ => {
            errors.add("method", Msg::ErrAuthorisationMethod);
            false
        }
    };
    errors.into_result()?;
    let Some(until) = until else { return Err(AppError::Internal) };
    let txn = begin_write(db).await?;
    let inserted = authorisation::ActiveModel {
        resident_id: Set(person.id),
        station_id: Set(station.id),
        helper_id: Set((!input.whole_station).then_some(helper.id)),
        scope: Set(scope.to_owned()),
        case_id: Set(case_id),
        item_codes: Set(codes),
        valid_from: Set(now),
        valid_until: Set(cst_midnight(until + Duration::days(1))),
        method: Set(if paper { "paper" } else { "app" }.to_owned()),
        status: Set(if paper { AWAITING_PAPER } else { PENDING }.to_owned()),
        created_by: Set(helper.id),
        idempotency_key: Set(key.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let created = match inserted {
        Ok(created) => created,
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            drop(txn);
            let twin = authorisation::Entity::find()
                .filter(authorisation::Column::CreatedBy.eq(helper.id))
                .filter(authorisation::Column::IdempotencyKey.eq(key))
                .one(db)
                .await?
                .ok_or(AppError::Internal)?;
            return Ok((twin.id, twin.status == AWAITING_PAPER));
        }
        Err(err) => return Err(err.into()),
    };
    audit::record(
        &txn,
        Entry {
            actor_id: Some(helper.id),
            on_behalf_of: Some(person.id),
            action: "authorisation.request",
            entity: "authorisation",
            entity_id: Some(created.id.to_string()),
            detail: json!({ "scope": created.scope, "method": created.method, "station": station.id, "whole_station": input.whole_station }),
        },
    )
    .await?;
    let notice = if paper {
        None
    } else {
        let body = StationNote::Request {
            station: station.name.clone(),
            helper: helper.name.clone().unwrap_or_default(),
            scope: scope_of(&txn, &created).await?,
            until,
        };
        Some(
            notify(&txn, vec![person.id], StationNote::RequestTitle, body, format!("/me/authorisations#authorisation-{}", created.id), now)
                .await?
                .verified_only(),
        )
    };
    txn.commit().await?;
    if let Some(notice) = notice {
        email(state, notice).await;
    }
    Ok((created.id, paper))
}

/// The authorisation `id` of the helper's station; "not found" for anyone else.
async fn station_authorisation(db: &impl ConnectionTrait, helper: &CurrentUser, id: i32) -> Result<(authorisation::Model, station::Model), AppError> {
    let station = acting_station(db, helper).await?;
    let found = authorisation::Entity::find_by_id(id).one(db).await?.filter(|a| a.station_id == station.id).ok_or(AppError::NotFound)?;
    if found.helper_id.is_some_and(|h| h != helper.id) && found.created_by != helper.id {
        return Err(AppError::NotFound);
    }
    Ok((found, station))
}

#[tracing::instrument(skip_all)]
pub async fn paper_form(state: &AppState, helper: &CurrentUser, id: i32, now: DateTime<Utc>) -> Result<PaperForm, AppError> {
    let db = &state.db;
    let (found, station) = station_authorisation(db, helper, id).await?;
    let profile = applicant_profile::Entity::find_by_id(found.resident_id).one(db).await?;
    let assisted = assisted_resident::Entity::find_by_id(found.resident_id).one(db).await?;
    let view = view_of(db, &found, false, now).await?;
    Ok(PaperForm {
        id: found.id,
        resident_id: found.resident_id,
        resident: view.resident,
        id_masked: profile.map(|p| p.id_masked).unwrap_or_default(),
        address: assisted.map(|a| a.address).unwrap_or_default(),
        station: station.name,
        helper: view.helper,
        scope: view.scope.text(Lang::Zh),
        since: cst_today(found.valid_from).format("%Y年%m月%d日").to_string(),
        until: cst_today(found.valid_until - Duration::seconds(1)).format("%Y年%m月%d日").to_string(),
        state: view.state,
        has_photo: found.paper_file_id.is_some(),
    })
}

/// Attaches the photo of the signed 委托书; the authorisation is then in force.
#[tracing::instrument(skip_all)]
pub async fn attach_paper(
    state: &AppState,
    helper: &CurrentUser,
    id: i32,
    name: &str,
    kind: Kind,
    temp: files::TempFile,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let db = &state.db;
    let (found, _) = station_authorisation(db, helper, id).await?;
    if found.status != AWAITING_PAPER {
        return Err(AppError::refused(StationReason::PaperAlreadyHandled));
    }
    let stored = files::put_temp(&state.files, "authorisation", &temp).await?;
    let txn = begin_write(db).await?;
    let file = files::record(&txn, &stored, "authorisation", name, kind, Some(helper.id), now).await?;
    let changed = authorisation::Entity::update_many()
        .col_expr(authorisation::Column::Status, Expr::value(ACTIVE))
        .col_expr(authorisation::Column::PaperFileId, Expr::value(file.id))
        .col_expr(authorisation::Column::DecidedAt, Expr::value(now))
        .filter(authorisation::Column::Id.eq(found.id))
        .filter(authorisation::Column::Status.eq(AWAITING_PAPER))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        drop(txn);
        files::forget(&state.files, &stored.key).await;
        return Err(AppError::refused(StationReason::PaperAlreadyHandled));
    }
    audit::record(
        &txn,
        Entry {
            actor_id: Some(helper.id),
            on_behalf_of: Some(found.resident_id),
            action: "authorisation.paper",
            entity: "authorisation",
            entity_id: Some(found.id.to_string()),
            detail: json!({ "file": file.id }),
        },
    )
    .await?;
    let notice = notify(
        &txn,
        vec![found.resident_id],
        StationNote::PaperRecordedTitle,
        StationNote::PaperRecorded { scope: scope_of(&txn, &found).await? },
        "/me/authorisations".to_owned(),
        now,
    )
    .await?
    .verified_only();
    txn.commit().await?;
    email(state, notice).await;
    Ok(())
}

/// The photo of a paper 委托书, for the resident, the helper's station or the chief.
#[tracing::instrument(skip_all)]
pub async fn paper_file(state: &AppState, user: &CurrentUser, id: i32) -> Result<(stored_file::Model, files::Body), AppError> {
    let db = &state.db;
    let found = authorisation::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let allowed = match user.role {
        Role::Resident => found.resident_id == user.id,
        Role::Helper => station_authorisation(db, user, id).await.is_ok(),
        Role::Chief => true,
        _ => false,
    };
    let file = found.paper_file_id.filter(|_| allowed).ok_or(AppError::NotFound)?;
    files::open(db, &state.files, file).await
}

#[tracing::instrument(skip_all)]
pub async fn my_authorisations(db: &DatabaseConnection, me: &CurrentUser, now: DateTime<Utc>) -> Result<Vec<AuthorisationView>, AppError> {
    let rows =
        authorisation::Entity::find().filter(authorisation::Column::ResidentId.eq(me.id)).order_by_desc(authorisation::Column::Id).limit(100).all(db).await?;
    let mut out = Vec::new();
    for a in &rows {
        out.push(view_of(db, a, true, now).await?);
    }
    Ok(out)
}

/// The resident's answer: accept or refuse a pending request, revoke one not yet ended.
#[tracing::instrument(skip_all)]
pub async fn decide_authorisation(state: &AppState, me: &CurrentUser, id: i32, decision: Decision, now: DateTime<Utc>) -> Result<(), AppError> {
    let db = &state.db;
    let txn = begin_write(db).await?;
    let found = authorisation::Entity::find_by_id(id).one(&txn).await?.filter(|a| a.resident_id == me.id).ok_or(AppError::NotFound)?;
    let (from, to): (&[&str], &str) = match decision {
        Decision::Accept => (&[PENDING], ACTIVE),
        Decision::Refuse => (&[PENDING], REFUSED),
        Decision::Revoke => (&[PENDING, AWAITING_PAPER, ACTIVE], REVOKED),
    };
    if found.status == to {
        return Ok(()); // a double tap
    }
    if decision == Decision::Accept && now >= found.valid_until {
        return Err(AppError::refused(StationReason::AuthorisationExpired));
    }
    let mut update = authorisation::Entity::update_many().col_expr(authorisation::Column::Status, Expr::value(to));
    update = if decision == Decision::Revoke {
        update.col_expr(authorisation::Column::EndedAt, Expr::value(now)).col_expr(authorisation::Column::EndedBy, Expr::value(me.id))
    } else {
        update.col_expr(authorisation::Column::DecidedAt, Expr::value(now))
    };
    let changed = update.filter(authorisation::Column::Id.eq(id)).filter(authorisation::Column::Status.is_in(from.iter().copied())).exec(&txn).await?;
    if changed.rows_affected != 1 {
        let status = status_of(&found, now);
        return Err(AppError::refused(match decision {
            Decision::Accept => StationReason::CannotAccept { status },
            Decision::Refuse => StationReason::CannotRefuse { status },
            Decision::Revoke => StationReason::CannotRevoke { status },
        }));
    }
    audit::record(
        &txn,
        Entry {
            actor_id: Some(me.id),
            on_behalf_of: None,
            action: &format!("authorisation.{}", decision.as_str()),
            entity: "authorisation",
            entity_id: Some(id.to_string()),
            detail: json!({ "from": found.status }),
        },
    )
    .await?;
    let helper = found.helper_id.unwrap_or(found.created_by);
    let (resident, scope) = (name_of(&txn, me.id).await?, scope_of(&txn, &found).await?);
    let (title, body) = match decision {
        Decision::Accept => (StationNote::AcceptedTitle, StationNote::Accepted { resident, scope }),
        Decision::Refuse => (StationNote::RefusedTitle, StationNote::Refused { resident, scope }),
        Decision::Revoke => (StationNote::RevokedTitle, StationNote::Revoked { resident, scope }),
    };
    let notice = notify(&txn, vec![helper], title, body, format!("/station/residents/{}", found.resident_id), now).await?;
    txn.commit().await?;
    email(state, notice).await;
    Ok(())
}

async fn name_of(db: &impl ConnectionTrait, id: i32) -> Result<ResidentName, AppError> {
    let profile = applicant_profile::Entity::find_by_id(id).one(db).await?.map(|p| p.name);
    let name = match profile {
        Some(name) => Some(name),
        None => user::Entity::find_by_id(id).one(db).await?.and_then(|u| u.name),
    };
    Ok(name.map_or(ResidentName::Unnamed, |name| ResidentName::Named { name }))
}

// ---- claiming records after signing up ---------------------------------------------------

/// Marks the helper-registered resident with `id_number` (if any) as claimed by `me`,
/// for staff to confirm. The answer does not depend on whether there is one.
#[tracing::instrument(skip_all)]
pub async fn request_claim(state: &AppState, me: &CurrentUser, id_number: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let db = &state.db;
    let id_number = IdCardNumber::parse(id_number).map_err(|m| AppError::field("id_number", m))?;
    if throttle::hit(db, &format!("claim:{}", me.id), Duration::hours(1), now).await?.hits > 5 {
        return Err(AppError::TooManyRequests(Msg::ErrTooManyLookups));
    }
    let lookup = crypto::lookup_hash(state.config.data_key.expose(), ID_NUMBER, id_number.as_str());
    let known: Vec<i32> = applicant_profile::Entity::find()
        .filter(applicant_profile::Column::IdLookup.eq(lookup))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.user_id)
        .filter(|id| *id != me.id)
        .collect();
    let txn = begin_write(db).await?;
    let claimed = assisted_resident::Entity::update_many()
        .col_expr(assisted_resident::Column::ClaimAccountId, Expr::value(me.id))
        .col_expr(assisted_resident::Column::ClaimRequestedAt, Expr::value(now))
        .filter(assisted_resident::Column::UserId.is_in(known))
        .filter(assisted_resident::Column::ClaimedAt.is_null())
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Entry {
            actor_id: Some(me.id),
            on_behalf_of: None,
            action: "resident.claim_request",
            entity: "user",
            entity_id: Some(me.id.to_string()),
            detail: json!({ "matched": claimed.rows_affected }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Claims waiting for an identity check: every one for clerks and the chief, the
/// station's own for a helper.
#[tracing::instrument(skip_all)]
pub async fn pending_claims(db: &DatabaseConnection, staff: &CurrentUser) -> Result<Vec<ClaimView>, AppError> {
    let mut query = assisted_resident::Entity::find()
        .filter(assisted_resident::Column::ClaimAccountId.is_not_null())
        .filter(assisted_resident::Column::ClaimedAt.is_null());
    if staff.role == Role::Helper {
        let station = acting_station(db, staff).await?;
        query = query.filter(assisted_resident::Column::StationId.eq(station.id));
    }
    let rows = query.order_by_asc(assisted_resident::Column::ClaimRequestedAt).limit(100).all(db).await?;
    let stations: HashMap<i32, String> = station::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let mut out = Vec::new();
    for row in rows {
        let Some(account) = row.claim_account_id else { continue };
        let phone = user::Entity::find_by_id(account).one(db).await?.map(|u| u.phone).unwrap_or_default();
        let profile = applicant_profile::Entity::find_by_id(row.user_id).one(db).await?;
        out.push(ClaimView {
            resident_id: row.user_id,
            name: profile.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
            id_masked: profile.map(|p| p.id_masked).unwrap_or_default(),
            account_phone_masked: PhoneNumber::parse(&phone).map(|p| p.masked()).unwrap_or_default(),
            station: stations.get(&row.station_id).cloned().unwrap_or_default(),
            requested_at: row.claim_requested_at.map(format_cst).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// After staff checked the ID card: the helper-registered resident's cases, bookings,
/// authorisations, ratings and messages move to the account that claimed them.
#[tracing::instrument(skip_all)]
pub async fn confirm_claim(state: &AppState, staff: &CurrentUser, resident: i32, now: DateTime<Utc>) -> Result<(), AppError> {
    let db = &state.db;
    let txn = begin_write(db).await?;
    let row = assisted_resident::Entity::find_by_id(resident).one(&txn).await?.filter(|r| r.claimed_at.is_none()).ok_or(AppError::NotFound)?;
    if staff.role == Role::Helper && acting_station(&txn, staff).await?.id != row.station_id {
        return Err(AppError::NotFound);
    }
    let account = row.claim_account_id.ok_or(AppError::NotFound)?;
    case::Entity::update_many().col_expr(case::Column::ApplicantId, Expr::value(account)).filter(case::Column::ApplicantId.eq(resident)).exec(&txn).await?;
    booking::Entity::update_many()
        .col_expr(booking::Column::ResidentId, Expr::value(account))
        .filter(booking::Column::ResidentId.eq(resident))
        .exec(&txn)
        .await?;
    authorisation::Entity::update_many()
        .col_expr(authorisation::Column::ResidentId, Expr::value(account))
        .filter(authorisation::Column::ResidentId.eq(resident))
        .exec(&txn)
        .await?;
    rating::Entity::update_many().col_expr(rating::Column::RaterId, Expr::value(account)).filter(rating::Column::RaterId.eq(resident)).exec(&txn).await?;
    notification::Entity::update_many()
        .col_expr(notification::Column::UserId, Expr::value(account))
        .filter(notification::Column::UserId.eq(resident))
        .exec(&txn)
        .await?;
    // The account's own details for the next case, unless it has some already.
    if let Some(profile) = applicant_profile::Entity::find_by_id(resident).one(&txn).await? {
        let copy = applicant_profile::ActiveModel {
            user_id: Set(account),
            name: Set(profile.name),
            phone: Set(profile.phone),
            id_cipher: Set(profile.id_cipher),
            id_lookup: Set(profile.id_lookup),
            id_masked: Set(profile.id_masked),
            updated_at: Set(now),
        };
        applicant_profile::Entity::insert(copy)
            .on_conflict(OnConflict::column(applicant_profile::Column::UserId).do_nothing().to_owned())
            .exec_without_returning(&txn)
            .await?;
    }
    assisted_resident::Entity::update_many()
        .col_expr(assisted_resident::Column::ClaimedAt, Expr::value(now))
        .col_expr(assisted_resident::Column::ConfirmedBy, Expr::value(staff.id))
        .filter(assisted_resident::Column::UserId.eq(resident))
        .exec(&txn)
        .await?;
    user::Entity::update_many().col_expr(user::Column::Active, Expr::value(false)).filter(user::Column::Id.eq(resident)).exec(&txn).await?;
    audit::record(
        &txn,
        Entry {
            actor_id: Some(staff.id),
            on_behalf_of: Some(account),
            action: "resident.claim_confirm",
            entity: "user",
            entity_id: Some(resident.to_string()),
            detail: json!({ "account": account }),
        },
    )
    .await?;
    let notice = notify(&txn, vec![account], StationNote::ClaimedTitle, StationNote::Claimed, "/cases".to_owned(), now).await?;
    txn.commit().await?;
    email(state, notice).await;
    Ok(())
}

/// The station's completed assisted cases not yet signed for that the helper may act on.
#[tracing::instrument(skip_all)]
pub async fn awaiting_delivery(db: &DatabaseConnection, helper: &CurrentUser, now: DateTime<Utc>) -> Result<Vec<RecordLine>, AppError> {
    let station = acting_station(db, helper).await?;
    let rows = case::Entity::find()
        .filter(case::Column::StationId.eq(station.id))
        .filter(case::Column::Status.eq(CaseStatus::Completed))
        .filter(case::Column::ReceivedOn.is_null())
        .order_by_asc(case::Column::CompletedAt)
        .limit(200)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for c in &rows {
        if access::case_access(db, helper, c, now).await? == access::CaseAccess::Full {
            let step = if c.delivered_at.is_some() { Msg::HandoffAwaitingSignature } else { Msg::HandoffAwaitingDelivery };
            out.push(RecordLine {
                key: c.number.clone(),
                item: c.item_name.clone(),
                status: step,
                when: c.completed_at.map(format_cst).unwrap_or_default(),
                full: true,
            });
        }
    }
    Ok(out)
}
