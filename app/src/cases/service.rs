//! Case services (办件). Who may see and do what is decided here, on every call:
//! applicants and helpers see the cases they filed (helpers: their station's),
//! clerks the cases of their windows — or of the clerk they back up while that clerk
//! is on leave — and the chief everything past the draft stage. Anyone else gets
//! "not found", never the data.
//!
//! Every transition is a conditional update on the status it starts from, inside a
//! write transaction, so a double tap or two clerks at once change a case once.

use super::{AbAdmin, Handoff, MyCases, CaseFileView, CaseStatus, CaseSummary, CaseView, MaterialSlot, MessageView, NewCaseForm, NoticeItem, NoticeView, PublicStatus, StaffActions, TimelineEntry};
use crate::booking::service::{calendar, cst_today};
use crate::calendar::Calendar;
use crate::domain::{CaseNumber, IdCardNumber, PersonName, PhoneNumber, Role};
use crate::error::{AppError, FieldErrors};
use crate::guides::{GuideContent, Material};
use crate::ssr::AppState;
use crate::ssr::audit::{self, Entry};
use crate::ssr::auth::CurrentUser;
use crate::ssr::crypto;
use crate::ssr::db::begin_write;
use crate::ssr::entities::{
    applicant_profile, case, case_event, case_file, case_sequence, clerk_backup, item, item_version, notification, schedule, staff_leave,
    stored_file, supplement_notice, user, window,
};
use crate::ssr::files::{self, Kind};
use crate::stations::access::{self as station_access, CaseAccess, Target};
pub(crate) use crate::ssr::notifications::{Notice, email, notify};
use crate::time::format_cst;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};

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

fn refuse(reason: impl Into<String>) -> AppError {
    AppError::Rejected(vec![reason.into()])
}

fn status_of(found: &case::Model) -> CaseStatus {
    CaseStatus::parse(&found.status).unwrap_or(CaseStatus::Draft)
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

fn requirement(m: &Material) -> String {
    format!("{}{}份", if m.original { "原件" } else { "复印件" }, Ord::max(m.copies, 1))
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
        return Err(refuse("该件由其他窗口人员负责（首问负责），如需接手请由负责人或首席事务代表移交"));
    }
    Ok((found, routing))
}

// ---- timeline, notifications, email -----------------------------------------------

pub(crate) fn actor_name(user: &CurrentUser) -> String {
    let name = user.name.clone().unwrap_or_default();
    match user.role {
        Role::Resident => "申请人".to_owned(),
        Role::Helper => format!("帮办员{name}"),
        Role::Clerk => format!("窗口人员{name}"),
        Role::Chief => format!("首席事务代表{name}"),
        Role::Handler => format!("投诉处理员{name}"),
    }
}

async fn event(db: &impl ConnectionTrait, case_id: i32, user: Option<&CurrentUser>, kind: &str, message: String, now: DateTime<Utc>) -> Result<(), AppError> {
    case_event::ActiveModel {
        case_id: Set(case_id),
        at: Set(now),
        actor_id: Set(user.map(|u| u.id)),
        actor_name: Set(user.map_or_else(|| "系统".to_owned(), actor_name)),
        on_behalf_of: Set(None),
        kind: Set(kind.to_owned()),
        message: Set(message),
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

async fn notify_filer(db: &impl ConnectionTrait, found: &case::Model, title: &str, body: String, now: DateTime<Utc>) -> Result<Notice, AppError> {
    let mut users = vec![found.filed_by];
    if let Some(applicant) = found.applicant_id.filter(|a| *a != found.filed_by) {
        users.push(applicant);
    }
    notify(db, users, title, body, format!("/cases/{}", found.number), now).await
}

/// Sets the status from one of `from` to `to`, with the other columns in `row`; a
/// conflict when the case moved on meanwhile (a double tap, another clerk).
async fn move_status(db: &impl ConnectionTrait, found: &case::Model, from: &[CaseStatus], to: CaseStatus, now: DateTime<Utc>, columns: Vec<(case::Column, Expr)>) -> Result<(), AppError> {
    let mut update = case::Entity::update_many()
        .col_expr(case::Column::Status, Expr::value(to.as_str()))
        .col_expr(case::Column::UpdatedAt, Expr::value(now));
    for (column, value) in columns {
        update = update.col_expr(column, value);
    }
    let changed = update
        .filter(case::Column::Id.eq(found.id))
        .filter(case::Column::Status.is_in(from.iter().map(|s| s.as_str())))
        .exec(db)
        .await?;
    if changed.rows_affected == 1 {
        Ok(())
    } else {
        Err(refuse(format!("该件当前状态为“{}”，不能进行此操作，请刷新后查看", status_of(found).zh())))
    }
}

/// Refuses a transition that the case's current status does not allow.
fn require_status(found: &case::Model, allowed: &[CaseStatus], what: &str) -> Result<(), AppError> {
    let status = status_of(found);
    if allowed.contains(&status) { Ok(()) } else { Err(refuse(format!("该件当前状态为“{}”，不能{what}", status.zh()))) }
}

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

async fn startable_item(db: &impl ConnectionTrait, user: &CurrentUser, code: &str) -> Result<item::Model, AppError> {
    let found = item::Entity::find().filter(item::Column::Code.eq(code)).one(db).await?.filter(|i| i.published).ok_or(AppError::NotFound)?;
    match user.role {
        Role::Helper if !found.helper_eligible => Err(refuse("该事项不在帮办代办范围内，请引导群众到中心窗口办理")),
        Role::Helper => match station_access::helper_station(db, user).await? {
            Some(s) if crate::stations::service::station_does(db, s.id, &found.code).await? => Ok(found),
            Some(_) => Err(refuse("本服务站不办理该事项，请引导群众到中心窗口或其他服务站办理")),
            None => Err(refuse("您所在的服务站已关闭或您已不在服务站，不能代办")),
        },
        Role::Resident if !found.online => Err(refuse("该事项暂不支持网上申请，请预约后到窗口办理")),
        _ => Ok(found),
    }
}

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
        (Role::Helper, None) => return Err(refuse("请先在帮办工作台找到群众并登记委托，再为其代办")),
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
        materials: content.materials.iter().map(|m| format!("{}（{}）", m.name, requirement(m))).collect(),
        name,
        phone,
        id_number,
        for_someone_else,
        for_resident: for_resident.filter(|_| for_someone_else),
        key: crypto::random_token(),
    })
}

async fn next_number(txn: &impl ConnectionTrait, day: NaiveDate) -> Result<CaseNumber, AppError> {
    case_sequence::Entity::insert(case_sequence::ActiveModel { day: Set(day), last: Set(0) })
        .on_conflict(OnConflict::column(case_sequence::Column::Day).do_nothing().to_owned())
        .exec_without_returning(txn)
        .await?;
    case_sequence::Entity::update_many()
        .col_expr(case_sequence::Column::Last, Expr::col(case_sequence::Column::Last).add(1))
        .filter(case_sequence::Column::Day.eq(day))
        .exec(txn)
        .await?;
    let last = case_sequence::Entity::find_by_id(day).one(txn).await?.map_or(1, |s| s.last);
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
        status: Set(CaseStatus::Draft.as_str().to_owned()),
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
                    twin.map(|c| c.number).ok_or_else(|| refuse("提交过于频繁，请稍后再试"))
                }
                _ => Err(err.into()),
            };
        }
    };
    if let Some(grant) = &grant {
        let how = if grant.method == "paper" { "纸质委托书" } else { "本人在应用中确认" };
        let until = crate::time::cst_today(grant.valid_until - Duration::seconds(1));
        event(&txn, created.id, Some(user), "authorised", format!("委托：群众{}委托服务站代办（{how}，有效期至{until}）", name.as_str()), now).await?;
    }
    let by = if user.role == Role::Helper { format!("（{}代办）", actor_name(user)) } else { String::new() };
    event(&txn, created.id, Some(user), "created", format!("创建申请草稿{by}，办事指南第{}版", found.current_version), now).await?;
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

// ---- materials --------------------------------------------------------------------

/// A checked, metadata-free file waiting in a temporary file to be attached.
pub struct Upload {
    pub name: String,
    pub kind: Kind,
    pub temp: files::TempFile,
}

async fn active_notice(db: &impl ConnectionTrait, case_id: i32) -> Result<Option<(supplement_notice::Model, Vec<NoticeItem>)>, AppError> {
    let found = supplement_notice::Entity::find()
        .filter(supplement_notice::Column::CaseId.eq(case_id))
        .filter(supplement_notice::Column::Status.eq("active"))
        .one(db)
        .await?;
    Ok(match found {
        Some(n) => {
            let items = notice_items(&n)?;
            Some((n, items))
        }
        None => None,
    })
}

fn notice_items(n: &supplement_notice::Model) -> Result<Vec<NoticeItem>, AppError> {
    let values: Vec<serde_json::Value> = serde_json::from_str(&n.items).map_err(|e| anyhow::anyhow!("notice items: {e}"))?;
    Ok(values
        .into_iter()
        .map(|v| NoticeItem {
            index: v["index"].as_u64().unwrap_or(0) as u32,
            material: v["material"].as_str().unwrap_or_default().to_owned(),
            reason: v["reason"].as_str().unwrap_or_default().to_owned(),
        })
        .collect())
}

/// Whether files may be added to material `index` now: any material of a draft; only
/// the listed ones while a supplement is requested.
async fn may_upload(db: &impl ConnectionTrait, found: &case::Model, index: u32) -> Result<bool, AppError> {
    Ok(match status_of(found) {
        CaseStatus::Draft => true,
        CaseStatus::SupplementRequested => active_notice(db, found.id).await?.is_some_and(|(_, items)| items.iter().any(|i| i.index == index)),
        _ => false,
    })
}

/// Refuses an upload before its bytes are stored: wrong case, status, material, or
/// the case's total would grow past its limit.
pub async fn check_upload(db: &DatabaseConnection, user: &CurrentUser, number: &str, index: u32, size: i64) -> Result<(), AppError> {
    let found = find_for_applicant(db, user, number).await?;
    let content = guide_version(db, &found.item_code, found.guide_version).await?;
    if index as usize >= content.materials.len() {
        return Err(refuse("该事项没有这项材料"));
    }
    if !may_upload(db, &found, index).await? {
        return Err(refuse(match status_of(&found) {
            CaseStatus::SupplementRequested => "补正时只需上传告知书中列出的材料".to_owned(),
            status => format!("该件当前状态为“{}”，不能再上传材料", status.zh()),
        }));
    }
    within_case_limit(db, found.id, size).await
}

/// Refuses when the case's current files plus `size` more bytes exceed its limit.
async fn within_case_limit(db: &impl ConnectionTrait, case_id: i32, size: i64) -> Result<(), AppError> {
    let used: i64 = case_file::Entity::find()
        .filter(case_file::Column::CaseId.eq(case_id))
        .filter(case_file::Column::Superseded.eq(false))
        .all(db)
        .await?
        .iter()
        .map(|f| f.size)
        .sum();
    if used + size > CASE_LIMIT_BYTES {
        return Err(refuse(format!("本件材料合计不能超过{}MB，请删除不需要的文件或压缩后再上传", CASE_LIMIT_BYTES / 1024 / 1024)));
    }
    Ok(())
}

/// Attaches a checked upload to material `index`: the bytes go to the object store
/// first, then one transaction records them; if it fails, the bytes are removed again,
/// so a file is visible only when both are there.
#[tracing::instrument(skip(state, upload), fields(user = user.id, number, index))]
pub async fn attach(state: &AppState, user: &CurrentUser, number: &str, index: u32, upload: Upload, now: DateTime<Utc>) -> Result<i32, AppError> {
    let size = upload.temp.size as i64;
    check_upload(&state.db, user, number, index, size).await?;
    let stored = files::put_temp(&state.files, "case", &upload.temp).await?;
    let result = record_attachment(state, user, number, index, &upload, &stored, now).await;
    if result.is_err() {
        files::forget(&state.files, &stored.key).await;
    }
    result
}

async fn record_attachment(state: &AppState, user: &CurrentUser, number: &str, index: u32, upload: &Upload, stored: &files::Stored, now: DateTime<Utc>) -> Result<i32, AppError> {
    let txn = begin_write(&state.db).await?;
    let found = find_for_applicant(&txn, user, number).await?;
    // Touching the row serialises concurrent uploads to one case on PostgreSQL too.
    case::Entity::update_many().col_expr(case::Column::UpdatedAt, Expr::value(now)).filter(case::Column::Id.eq(found.id)).exec(&txn).await?;
    if !may_upload(&txn, &found, index).await? {
        return Err(refuse("该件状态已变化，不能再上传材料，请刷新后查看"));
    }
    within_case_limit(&txn, found.id, stored.size).await?;
    let content = guide_version(&txn, &found.item_code, found.guide_version).await?;
    let material = content.materials.get(index as usize).ok_or_else(|| refuse("该事项没有这项材料"))?;
    if status_of(&found) == CaseStatus::SupplementRequested
        && let Some((notice, _)) = active_notice(&txn, found.id).await?
    {
        // A replacement: the files the notice found wanting no longer count.
        case_file::Entity::update_many()
            .col_expr(case_file::Column::Superseded, Expr::value(true))
            .filter(case_file::Column::CaseId.eq(found.id))
            .filter(case_file::Column::MaterialIndex.eq(index as i32))
            .filter(case_file::Column::CreatedAt.lt(notice.created_at))
            .exec(&txn)
            .await?;
    }
    let file = files::record(&txn, stored, "case", &upload.name, upload.kind, Some(user.id), now).await?;
    let row = case_file::ActiveModel {
        case_id: Set(found.id),
        material_index: Set(index as i32),
        material_name: Set(material.name.clone()),
        file_id: Set(file.id),
        size: Set(stored.size),
        superseded: Set(false),
        uploaded_by: Set(user.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    event(&txn, found.id, Some(user), "upload", format!("上传材料：{}", material.name), now).await?;
    log(&txn, user, "case.upload", &found, json!({ "material": material.name, "file": file.id, "size": stored.size })).await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Removes a file the applicant side uploaded, while it may still change: any file of
/// a draft, or a replacement uploaded after the open supplement notice.
pub async fn remove_file(state: &AppState, user: &CurrentUser, number: &str, file_id: i32, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = begin_write(&state.db).await?;
    let found = find_for_applicant(&txn, user, number).await?;
    let row = case_file::Entity::find_by_id(file_id).one(&txn).await?.filter(|f| f.case_id == found.id && !f.superseded).ok_or(AppError::NotFound)?;
    let removable = match status_of(&found) {
        CaseStatus::Draft => true,
        CaseStatus::SupplementRequested => active_notice(&txn, found.id).await?.is_some_and(|(n, _)| row.created_at >= n.created_at),
        _ => false,
    };
    if !removable {
        return Err(refuse("已提交的材料不能删除"));
    }
    case_file::Entity::delete_by_id(row.id).exec(&txn).await?;
    event(&txn, found.id, Some(user), "remove", format!("删除材料文件：{}", row.material_name), now).await?;
    log(&txn, user, "case.remove_file", &found, json!({ "file": row.file_id })).await?;
    txn.commit().await?;
    // The stored bytes stay until the cleanup job finds no record pointing at them.
    Ok(())
}

/// A case file's record and bytes, for someone who may see the case.
pub async fn file_for(state: &AppState, user: &CurrentUser, number: &str, file_id: i32, now: DateTime<Utc>) -> Result<(stored_file::Model, files::Body), AppError> {
    let found = find(&state.db, number).await?;
    let allowed = applicant_side(&state.db, user, &found).await? || staff_sees(user, &found, &Routing::load(&state.db, cst_today(now)).await?);
    if !allowed {
        return Err(AppError::NotFound);
    }
    let row = case_file::Entity::find_by_id(file_id).one(&state.db).await?.filter(|f| f.case_id == found.id).ok_or(AppError::NotFound)?;
    files::open(&state.db, &state.files, row.file_id).await
}

async fn missing_materials(db: &impl ConnectionTrait, found: &case::Model, content: &GuideContent, since: Option<DateTime<Utc>>, only: Option<&[u32]>) -> Result<Vec<String>, AppError> {
    let rows = case_file::Entity::find().filter(case_file::Column::CaseId.eq(found.id)).filter(case_file::Column::Superseded.eq(false)).all(db).await?;
    Ok(content
        .materials
        .iter()
        .enumerate()
        .filter(|(i, _)| only.is_none_or(|o| o.contains(&(*i as u32))))
        .filter(|(i, _)| !rows.iter().any(|r| r.material_index == *i as i32 && since.is_none_or(|s| r.created_at >= s)))
        .map(|(_, m)| m.name.clone())
        .collect())
}

// ---- the applicant's transitions ----------------------------------------------------

/// Routes a submitted case: to the window of the schedule its item books into, else
/// the first staffed window.
async fn route_window(db: &impl ConnectionTrait, code: &str) -> Result<Option<i32>, AppError> {
    let schedules = schedule::Entity::find().filter(schedule::Column::Active.eq(true)).order_by_asc(schedule::Column::Id).all(db).await?;
    if let Some(id) = schedules.iter().find(|s| s.item_codes.split_whitespace().any(|c| c == code)).and_then(|s| s.window_id) {
        return Ok(Some(id));
    }
    let windows = window::Entity::find().filter(window::Column::Active.eq(true)).order_by_asc(window::Column::Id).all(db).await?;
    Ok(windows.iter().find(|w| w.clerk_id.is_some()).or(windows.first()).map(|w| w.id))
}

pub(crate) async fn name_of(db: &impl ConnectionTrait, user_id: i32) -> Result<String, AppError> {
    Ok(user::Entity::find_by_id(user_id).one(db).await?.and_then(|u| u.name).unwrap_or_else(|| format!("工作人员{user_id}")))
}

/// draft → submitted, once every material has a file.
#[tracing::instrument(skip(state), fields(user = user.id))]
pub async fn submit(state: &AppState, user: &CurrentUser, number: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = begin_write(&state.db).await?;
    let found = find_for_applicant(&txn, user, number).await?;
    require_status(&found, &[CaseStatus::Draft], "提交")?;
    let content = guide_version(&txn, &found.item_code, found.guide_version).await?;
    let missing = missing_materials(&txn, &found, &content, None, None).await?;
    if !missing.is_empty() {
        return Err(AppError::Rejected(missing.iter().map(|m| format!("请上传“{m}”")).collect()));
    }
    let window_id = route_window(&txn, &found.item_code).await?;
    move_status(&txn, &found, &[CaseStatus::Draft], CaseStatus::Submitted, now, vec![
        (case::Column::SubmittedAt, Expr::value(now)),
        (case::Column::WindowId, Expr::value(window_id)),
    ])
    .await?;
    let message = if user.role == Role::Helper { "代办受理：服务站已收齐材料，提交中心受理" } else { "提交申请，等待窗口受理" };
    event(&txn, found.id, Some(user), "submitted", message.to_owned(), now).await?;
    let routed = case::Model { window_id, ..found.clone() };
    let routing = Routing::load(&txn, cst_today(now)).await?;
    if let (Some(a), Some(b)) = (routing.a_post(&routed), routing.responsible(&routed))
        && a != b
    {
        let message = format!("A岗{}休假，转B岗{}办理（AB岗）", name_of(&txn, a).await?, name_of(&txn, b).await?);
        event(&txn, found.id, None, "ab_route", message, now).await?;
    }
    log(&txn, user, "case.submit", &found, json!({ "window": window_id })).await?;
    let notice = notify_filer(&txn, &found, "申请已提交", format!("您申请的“{}”（{}）已提交，窗口受理后会通知您。", found.item_name, found.number), now).await?;
    txn.commit().await?;
    email(state, notice).await;
    Ok(())
}

/// Withdraws the application while it has not been accepted (or waits for a supplement).
pub async fn withdraw(state: &AppState, user: &CurrentUser, number: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = begin_write(&state.db).await?;
    let found = find_for_applicant(&txn, user, number).await?;
    let allowed = [CaseStatus::Draft, CaseStatus::Submitted, CaseStatus::SupplementRequested];
    require_status(&found, &allowed, "撤回")?;
    move_status(&txn, &found, &allowed, CaseStatus::Withdrawn, now, vec![(case::Column::PausedAt, Expr::value(Option::<DateTime<Utc>>::None))]).await?;
    event(&txn, found.id, Some(user), "withdrawn", "申请人撤回申请".to_owned(), now).await?;
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
    require_status(&found, &[CaseStatus::SupplementRequested], "补正提交")?;
    let (notice, items) = active_notice(&txn, found.id).await?.ok_or(AppError::Internal)?;
    let content = guide_version(&txn, &found.item_code, found.guide_version).await?;
    let listed: Vec<u32> = items.iter().map(|i| i.index).collect();
    let missing = missing_materials(&txn, &found, &content, Some(notice.created_at), Some(&listed)).await?;
    if !missing.is_empty() {
        return Err(AppError::Rejected(missing.iter().map(|m| format!("请重新上传“{m}”")).collect()));
    }
    let back_to = found.paused_from.as_deref().and_then(CaseStatus::parse).unwrap_or(CaseStatus::Submitted);
    let calendar = calendar(&txn).await?;
    let (deadline, waited) = resume_deadline(&calendar, found.deadline, found.paused_at, now);
    move_status(&txn, &found, &[CaseStatus::SupplementRequested], back_to, now, vec![
        (case::Column::PausedAt, Expr::value(Option::<DateTime<Utc>>::None)),
        (case::Column::PausedFrom, Expr::value(Option::<String>::None)),
        (case::Column::Deadline, Expr::value(deadline)),
    ])
    .await?;
    supplement_notice::Entity::update_many().col_expr(supplement_notice::Column::Status, Expr::value("answered")).filter(supplement_notice::Column::Id.eq(notice.id)).exec(&txn).await?;
    let clock = match deadline {
        Some(d) if waited > 0 => format!("，办结时限顺延{waited}个工作日至{d}"),
        Some(d) => format!("，办结时限{d}"),
        None => String::new(),
    };
    event(&txn, found.id, Some(user), "resubmitted", format!("补正材料后重新提交{clock}"), now).await?;
    log(&txn, user, "case.resubmit", &found, json!({ "waited_working_days": waited })).await?;
    txn.commit().await?;
    Ok(())
}

/// The deadline after a pause from `paused_at` to `now`: moved on by the working days
/// waited. Returns (new deadline, working days waited).
pub fn resume_deadline(calendar: &Calendar, deadline: Option<NaiveDate>, paused_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> (Option<NaiveDate>, u32) {
    match (deadline, paused_at) {
        (Some(deadline), Some(paused)) => {
            let waited = calendar.working_days_between(cst_today(paused), cst_today(now));
            (Some(calendar.add_working_days(deadline, waited)), waited)
        }
        (deadline, _) => (deadline, 0),
    }
}

// ---- the clerk's transitions --------------------------------------------------------

/// The owner on record after `user` acts: unchanged if there is one; else the A post
/// when `user` stands in as backup, else `user` (首问负责).
fn owner_after(found: &case::Model, routing: &Routing, user: &CurrentUser) -> Option<i32> {
    if found.owner_id.is_some() || user.role != Role::Clerk {
        return found.owner_id;
    }
    Some(routing.backing_up(found, user.id).unwrap_or(user.id))
}

async fn staff_event(txn: &impl ConnectionTrait, found: &case::Model, routing: &Routing, user: &CurrentUser, kind: &str, message: String, now: DateTime<Utc>) -> Result<(), AppError> {
    let message = match routing.backing_up(found, user.id) {
        Some(a) => format!("{message}（B岗代A岗{}办理）", name_of(txn, a).await?),
        None => message,
    };
    event(txn, found.id, Some(user), kind, message, now).await
}

/// submitted → accepted; the deadline is set from the promised working days.
#[tracing::instrument(skip(state), fields(user = user.id))]
pub async fn accept(state: &AppState, user: &CurrentUser, number: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = begin_write(&state.db).await?;
    let (found, routing) = find_for_staff(&txn, user, number, now).await?;
    require_status(&found, &[CaseStatus::Submitted], "受理")?;
    let content = guide_version(&txn, &found.item_code, found.guide_version).await?;
    let calendar = calendar(&txn).await?;
    // A case sent back for supplements before acceptance starts its clock now.
    let deadline = calendar.add_working_days(cst_today(now), u32::from(content.promised_days));
    let owner = owner_after(&found, &routing, user);
    move_status(&txn, &found, &[CaseStatus::Submitted], CaseStatus::Accepted, now, vec![
        (case::Column::AcceptedAt, Expr::value(now)),
        (case::Column::Deadline, Expr::value(deadline)),
        (case::Column::OwnerId, Expr::value(owner)),
    ])
    .await?;
    let by = if found.station_id.is_some() { "中心受理" } else { "受理" };
    staff_event(&txn, &found, &routing, user, "accepted", format!("{by}，承诺{}个工作日内办结，办结时限{deadline}", content.promised_days), now).await?;
    log(&txn, user, "case.accept", &found, json!({ "deadline": deadline.to_string() })).await?;
    let notice = notify_filer(&txn, &found, "申请已受理", format!("您申请的“{}”（{}）已受理，将在{deadline}前办结。", found.item_name, found.number), now).await?;
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
    require_status(&found, &from, "要求补正")?;
    let content = guide_version(&txn, &found.item_code, found.guide_version).await?;
    let mut reasons = Vec::new();
    let mut list = Vec::new();
    if items.is_empty() {
        reasons.push("请勾选需要补正的材料，一次告知全部问题".to_owned());
    }
    for (index, reason) in items {
        let reason = reason.trim();
        match content.materials.get(*index as usize) {
            None => reasons.push("材料序号无效".to_owned()),
            Some(m) if reason.is_empty() => reasons.push(format!("请写明“{}”需要补正的原因", m.name)),
            Some(m) if reason.chars().count() > 200 => reasons.push(format!("“{}”的原因请不超过200字", m.name)),
            Some(m) if list.iter().any(|i: &NoticeItem| i.index == *index) => reasons.push(format!("“{}”重复了", m.name)),
            Some(m) => list.push(NoticeItem { index: *index, material: m.name.clone(), reason: reason.to_owned() }),
        }
    }
    if !reasons.is_empty() {
        return Err(AppError::Rejected(reasons));
    }
    let earlier = supplement_notice::Entity::find().filter(supplement_notice::Column::CaseId.eq(found.id)).order_by_asc(supplement_notice::Column::Seq).all(&txn).await?;
    if earlier.iter().any(|n| n.status == "pending") {
        return Err(refuse("上一份追加告知还在等待首席事务代表审批"));
    }
    let first = earlier.iter().find(|n| n.status != "declined").map(notice_items).transpose()?;
    let extra = first.as_ref().is_some_and(|first| list.iter().any(|i| !first.iter().any(|f| f.index == i.index)));
    let needs_approval = extra && user.role != Role::Chief;
    let seq = earlier.last().map_or(1, |n| n.seq + 1);
    let items_json = serde_json::Value::Array(list.iter().map(|i| json!({ "index": i.index, "material": i.material, "reason": i.reason })).collect()).to_string();
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
    let names = list.iter().map(|i| i.material.as_str()).collect::<Vec<_>>().join("、");
    log(&txn, user, if extra { "case.notice.extra" } else { "case.notice" }, &found, json!({ "seq": seq, "materials": names, "approval": needs_approval })).await?;
    if needs_approval {
        staff_event(&txn, &found, &routing, user, "notice_pending", format!("申请追加告知（{names}），超出首次告知范围，待首席事务代表审批"), now).await?;
        txn.commit().await?;
        return Ok(());
    }
    let notice = pause_for_supplement(&txn, &found, &routing, user, &list, now).await?;
    txn.commit().await?;
    email(state, notice).await;
    Ok(())
}

async fn pause_for_supplement(txn: &impl ConnectionTrait, found: &case::Model, routing: &Routing, user: &CurrentUser, list: &[NoticeItem], now: DateTime<Utc>) -> Result<Notice, AppError> {
    let from = status_of(found);
    move_status(txn, found, &[CaseStatus::Submitted, CaseStatus::Accepted], CaseStatus::SupplementRequested, now, vec![
        (case::Column::PausedAt, Expr::value(now)),
        (case::Column::PausedFrom, Expr::value(from.as_str())),
        (case::Column::OwnerId, Expr::value(owner_after(found, routing, user))),
    ])
    .await?;
    let names = list.iter().map(|i| i.material.as_str()).collect::<Vec<_>>().join("、");
    staff_event(txn, found, routing, user, "supplement", format!("一次性告知：请补正{}项材料（{names}），补正期间办结时限暂停计算", list.len()), now).await?;
    let lines = list.iter().map(|i| format!("· {}：{}", i.material, i.reason)).collect::<Vec<_>>().join("\n");
    notify_filer(txn, found, "请补正材料（一次性告知）", format!("您申请的“{}”（{}）需要补正以下材料：\n{lines}\n请在“我的办件”中重新上传后提交。", found.item_name, found.number), now).await
}

/// The chief approves or declines a pending extra notice.
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
        .ok_or_else(|| refuse("没有待审批的追加告知"))?;
    let decided = supplement_notice::Entity::update_many()
        .col_expr(supplement_notice::Column::Status, Expr::value(if approve { "active" } else { "declined" }))
        .col_expr(supplement_notice::Column::DecidedBy, Expr::value(user.id))
        .col_expr(supplement_notice::Column::DecidedAt, Expr::value(now))
        .filter(supplement_notice::Column::Id.eq(pending.id))
        .filter(supplement_notice::Column::Status.eq("pending"))
        .exec(&txn)
        .await?;
    if decided.rows_affected != 1 {
        return Err(refuse("该追加告知已处理"));
    }
    log(&txn, user, if approve { "case.notice.approve" } else { "case.notice.decline" }, &found, json!({ "seq": pending.seq, "clerk": pending.created_by })).await?;
    if !approve {
        event(&txn, found.id, Some(user), "notice_declined", "首席事务代表未批准追加告知".to_owned(), now).await?;
        txn.commit().await?;
        return Ok(());
    }
    let items = notice_items(&pending)?;
    let clerk = CurrentUser { id: pending.created_by, session_id: 0, role: Role::Clerk, station_id: None, name: Some(name_of(&txn, pending.created_by).await?) };
    event(&txn, found.id, Some(user), "notice_approved", "首席事务代表批准追加告知".to_owned(), now).await?;
    let notice = pause_for_supplement(&txn, &found, &routing, &clerk, &items, now).await?;
    txn.commit().await?;
    email(state, notice).await;
    Ok(())
}

/// accepted → processing.
pub async fn start_processing(state: &AppState, user: &CurrentUser, number: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = begin_write(&state.db).await?;
    let (found, routing) = find_for_staff(&txn, user, number, now).await?;
    require_status(&found, &[CaseStatus::Accepted], "开始办理")?;
    move_status(&txn, &found, &[CaseStatus::Accepted], CaseStatus::Processing, now, vec![(case::Column::OwnerId, Expr::value(owner_after(&found, &routing, user)))]).await?;
    staff_event(&txn, &found, &routing, user, "processing", "开始办理".to_owned(), now).await?;
    log(&txn, user, "case.process", &found, json!({})).await?;
    let notice = notify_filer(&txn, &found, "正在办理", format!("您申请的“{}”（{}）正在办理中。", found.item_name, found.number), now).await?;
    txn.commit().await?;
    email(state, notice).await;
    Ok(())
}

/// accepted or processing → completed, with the result and how to collect it.
#[tracing::instrument(skip(state, result, pickup), fields(user = user.id))]
pub async fn complete(state: &AppState, user: &CurrentUser, number: &str, result: &str, pickup: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let (result, pickup) = (result.trim(), pickup.trim());
    if result.is_empty() || result.chars().count() > 500 || pickup.chars().count() > 200 {
        return Err(refuse("请填写办理结果（500字以内），领取方式不超过200字"));
    }
    let txn = begin_write(&state.db).await?;
    let (found, routing) = find_for_staff(&txn, user, number, now).await?;
    let from = [CaseStatus::Accepted, CaseStatus::Processing];
    require_status(&found, &from, "办结")?;
    move_status(&txn, &found, &from, CaseStatus::Completed, now, vec![
        (case::Column::CompletedAt, Expr::value(now)),
        (case::Column::Result, Expr::value(result)),
        (case::Column::Pickup, Expr::value((!pickup.is_empty()).then(|| pickup.to_owned()))),
        (case::Column::OwnerId, Expr::value(owner_after(&found, &routing, user))),
    ])
    .await?;
    let on_time = found.deadline.is_none_or(|d| cst_today(now) <= d);
    staff_event(&txn, &found, &routing, user, "completed", format!("办结：{result}{}", if on_time { "" } else { "（超期办结）" }), now).await?;
    log(&txn, user, "case.complete", &found, json!({ "on_time": on_time })).await?;
    let fetch = if pickup.is_empty() { String::new() } else { format!("领取方式：{pickup}。") };
    let notice = notify_filer(&txn, &found, "已办结", format!("您申请的“{}”（{}）已办结：{result}。{fetch}", found.item_name, found.number), now).await?;
    txn.commit().await?;
    email(state, notice).await;
    Ok(())
}

/// submitted or accepted → rejected, with the reason.
pub async fn reject(state: &AppState, user: &CurrentUser, number: &str, reason: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(refuse("请填写不予受理的原因（500字以内）"));
    }
    let txn = begin_write(&state.db).await?;
    let (found, routing) = find_for_staff(&txn, user, number, now).await?;
    let from = [CaseStatus::Submitted, CaseStatus::Accepted];
    require_status(&found, &from, "不予受理")?;
    move_status(&txn, &found, &from, CaseStatus::Rejected, now, vec![
        (case::Column::Reason, Expr::value(reason)),
        (case::Column::OwnerId, Expr::value(owner_after(&found, &routing, user))),
    ])
    .await?;
    staff_event(&txn, &found, &routing, user, "rejected", format!("不予受理：{reason}"), now).await?;
    log(&txn, user, "case.reject", &found, json!({})).await?;
    let notice = notify_filer(&txn, &found, "不予受理", format!("您申请的“{}”（{}）不予受理，原因：{reason}", found.item_name, found.number), now).await?;
    txn.commit().await?;
    email(state, notice).await;
    Ok(())
}

/// Hands an open case to another clerk, on record (首问负责 ends only this way).
pub async fn handover(state: &AppState, user: &CurrentUser, number: &str, to: i32, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = begin_write(&state.db).await?;
    let (found, routing) = find_for_staff(&txn, user, number, now).await?;
    if !status_of(&found).is_open() {
        return Err(refuse("只能移交办理中的件"));
    }
    let target = user::Entity::find_by_id(to).one(&txn).await?.filter(|u| u.role == Role::Clerk.as_str() && u.active).ok_or_else(|| refuse("只能移交给在岗的窗口人员"))?;
    if routing.a_post(&found) == Some(to) {
        return Err(refuse("该件已由此人负责"));
    }
    let changed = case::Entity::update_many()
        .col_expr(case::Column::OwnerId, Expr::value(to))
        .col_expr(case::Column::UpdatedAt, Expr::value(now))
        .filter(case::Column::Id.eq(found.id))
        .filter(case::Column::Status.eq(found.status.clone()))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        return Err(refuse("该件状态已变化，请刷新后查看"));
    }
    let name = target.name.unwrap_or_default();
    event(&txn, found.id, Some(user), "handover", format!("移交给窗口人员{name}负责"), now).await?;
    log(&txn, user, "case.handover", &found, json!({ "to": to })).await?;
    txn.commit().await?;
    Ok(())
}

/// The full ID number, for staff who may see the case; every look is audited.
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

// ---- reading ----------------------------------------------------------------------

/// Working days left until the deadline (negative when overdue), while the case is
/// open; counted to the day the clock paused while it waits for a supplement.
fn days_left(calendar: &Calendar, found: &case::Model, now: DateTime<Utc>) -> Option<i64> {
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

async fn notices(db: &impl ConnectionTrait, found: &case::Model, staff: bool) -> Result<Vec<NoticeView>, AppError> {
    let rows = supplement_notice::Entity::find().filter(supplement_notice::Column::CaseId.eq(found.id)).order_by_desc(supplement_notice::Column::Seq).all(db).await?;
    let mut out = Vec::new();
    for n in rows.into_iter().filter(|n| staff || matches!(n.status.as_str(), "active" | "answered")) {
        out.push(NoticeView { seq: n.seq, issued_at: format_cst(n.created_at), clerk: name_of(db, n.created_by).await?, items: notice_items(&n)?, status: n.status.clone(), extra: n.extra });
    }
    Ok(out)
}

/// A case as `user` may see it.
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
    let rows = case_file::Entity::find().filter(case_file::Column::CaseId.eq(found.id)).filter(case_file::Column::Superseded.eq(false)).order_by_asc(case_file::Column::Id).all(db).await?;
    let stored: HashMap<i32, stored_file::Model> =
        stored_file::Entity::find().filter(stored_file::Column::Id.is_in(rows.iter().map(|r| r.file_id))).all(db).await?.into_iter().map(|f| (f.id, f)).collect();
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
        materials.push(MaterialSlot { index, name: m.name.clone(), requirement: requirement(m), note: m.note.clone(), sample_href: m.sample.as_ref().map(|s| s.href()), files, requested, can_upload });
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
        Some(StaffActions {
            accept: act && status == CaseStatus::Submitted,
            supplement: act && matches!(status, CaseStatus::Submitted | CaseStatus::Accepted) && !pending,
            process: act && status == CaseStatus::Accepted,
            complete: act && matches!(status, CaseStatus::Accepted | CaseStatus::Processing),
            reject: act && matches!(status, CaseStatus::Submitted | CaseStatus::Accepted),
            handover: act && status.is_open(),
            approve: user.role == Role::Chief && pending,
            clerks: if act && status.is_open() { crate::queue::service::clerks(db).await? } else { Vec::new() },
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
        timeline: events.into_iter().map(|e| TimelineEntry { at: format_cst(e.at), actor: e.actor_name, message: e.message }).collect(),
        can_submit: applicant && status == CaseStatus::Draft,
        can_withdraw: applicant && matches!(status, CaseStatus::Draft | CaseStatus::Submitted | CaseStatus::SupplementRequested),
        can_resubmit: applicant && resubmittable,
        staff,
        limited: false,
        handoff,
    })
}

fn summary(calendar: &Calendar, found: &case::Model, now: DateTime<Utc>, backup_for: Option<String>, pending_approval: bool) -> CaseSummary {
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
fn summary_view(found: &case::Model) -> CaseView {
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

// ---- hand-offs of an assisted case: delivery, signature, follow-up ---------------------

/// Where an assisted case stands after completion, with what the caller may record.
async fn handoff_of(db: &impl ConnectionTrait, user: &CurrentUser, found: &case::Model, status: CaseStatus, now: DateTime<Utc>) -> Result<Option<Handoff>, AppError> {
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

/// Records a hand-off of a completed assisted case: `deliver` (送达服务站, the station's
/// helper), `receive` (群众签收 on `day`, the resident or the helper) or `follow_up`
/// (回访, the helper, with an optional `note`). Each is recorded once.
pub async fn handoff(state: &AppState, user: &CurrentUser, number: &str, step: &str, day: &str, note: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let note = note.trim();
    if note.chars().count() > 200 {
        return Err(refuse("回访记录不超过200字"));
    }
    let txn = begin_write(&state.db).await?;
    let found = find_for_applicant(&txn, user, number).await?;
    if found.station_id.is_none() {
        return Err(refuse("该件不是服务站代办件"));
    }
    require_status(&found, &[CaseStatus::Completed], "登记送达或签收")?;
    let helper = user.role == Role::Helper;
    let (column, value, kind, message): (case::Column, sea_orm::Value, &str, String) = match step {
        "deliver" if helper => (case::Column::DeliveredAt, now.into(), "delivered", "送达服务站：办理结果已送达服务站，待群众签收".to_owned()),
        "receive" => {
            let today = cst_today(now);
            let day = match day.trim() {
                "" => today,
                text => NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().filter(|d| *d <= today && found.completed_at.is_none_or(|c| *d >= cst_today(c))).ok_or_else(|| refuse("签收日期应在办结之后、不晚于今天"))?,
            };
            let who = if helper { "帮办员登记" } else { "群众本人确认" };
            (case::Column::ReceivedOn, day.into(), "received", format!("群众签收：{day}签收办理结果（{who}）"))
        }
        "follow_up" if helper && found.received_on.is_some() => {
            let text = if note.is_empty() { String::new() } else { format!("：{note}") };
            (case::Column::FollowedUpAt, now.into(), "follow_up", format!("回访：服务站电话回访{text}"))
        }
        "follow_up" if helper => return Err(refuse("群众签收后才能登记回访")),
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
    event(&txn, found.id, Some(user), kind, message, now).await?;
    log(&txn, user, &format!("case.{step}"), &found, json!({})).await?;
    txn.commit().await?;
    Ok(())
}

/// 我的办件: newest first.
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
pub async fn inbox(state: &AppState, user: &CurrentUser, filter: &str, now: DateTime<Utc>) -> Result<Vec<CaseSummary>, AppError> {
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
                if !names.contains_key(&a) {
                    names.insert(a, name_of(db, a).await?);
                }
                names.get(&a).cloned()
            }
            None => None,
        };
        let row = summary(&calendar, found, now, backup_for, pending.contains(&found.id));
        let keep = match filter {
            "due_soon" => row.due_soon,
            "overdue" => row.overdue,
            "approval" => row.pending_approval,
            _ => true,
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
pub async fn lookup(state: &AppState, addr: &str, number: &str, last4: &str, now: DateTime<Utc>) -> Result<PublicStatus, AppError> {
    let db = &state.db;
    let key = format!("lookup:{}", crate::ssr::throttle::address(addr));
    if crate::ssr::throttle::hit(db, &key, Duration::minutes(LOOKUP_WINDOW_MINUTES), now).await?.hits > LOOKUP_LIMIT {
        return Err(AppError::TooManyRequests(crate::i18n::Msg::ErrLookupLimited));
    }
    let last4 = last4.trim();
    let found = match find(db, number).await {
        Ok(found) if status_of(&found) != CaseStatus::Draft && last4.len() == 4 && found.applicant_phone.ends_with(last4) => found,
        Ok(_) | Err(AppError::NotFound) => return Err(refuse("未查到该办件，请核对办件编号和手机号后四位")),
        Err(err) => return Err(err),
    };
    let events = case_event::Entity::find().filter(case_event::Column::CaseId.eq(found.id)).order_by_desc(case_event::Column::Id).all(db).await?;
    Ok(PublicStatus {
        number: found.number.clone(),
        item_name: found.item_name.clone(),
        status: status_of(&found),
        deadline: found.deadline.map(|d| d.to_string()),
        // Who and what kind of step only: reasons and results may be personal.
        timeline: events.into_iter().filter(|e| e.kind != "upload" && e.kind != "remove").map(|e| TimelineEntry { at: format_cst(e.at), actor: public_actor(&e), message: public_message(&e.kind) }).collect(),
    })
}

fn public_actor(e: &case_event::Model) -> String {
    // The role, never the name.
    ["申请人", "帮办员", "窗口人员", "首席事务代表", "投诉处理员"].into_iter().find(|role| e.actor_name.starts_with(role)).unwrap_or("系统").to_owned()
}

fn public_message(kind: &str) -> String {
    match kind {
        "created" => "创建申请",
        "submitted" => "提交申请",
        "ab_route" => "转B岗办理",
        "accepted" => "受理",
        "supplement" => "一次性告知补正材料",
        "resubmitted" => "补正后重新提交",
        "processing" => "开始办理",
        "completed" => "办结",
        "rejected" => "不予受理",
        "withdrawn" => "撤回",
        "handover" => "移交",
        _ => "办理过程记录",
    }
    .to_owned()
}

/// The user's messages, newest first; marks them read.
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
        .map(|n| MessageView { id: n.id, title: n.title, body: n.body, link: n.link, at: format_cst(n.created_at), unread: n.read_at.is_none() })
        .collect())
}

pub async fn unread(db: &DatabaseConnection, user_id: i32) -> Result<u64, AppError> {
    Ok(notification::Entity::find().filter(notification::Column::UserId.eq(user_id)).filter(notification::Column::ReadAt.is_null()).count(db).await?)
}

// ---- AB岗 administration ------------------------------------------------------------

pub async fn ab_admin(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<AbAdmin, AppError> {
    let clerks = crate::queue::service::clerks(db).await?;
    let names: HashMap<i32, String> = clerks.iter().cloned().collect();
    let backups: HashMap<i32, i32> = clerk_backup::Entity::find().all(db).await?.into_iter().map(|b| (b.clerk_id, b.backup_id)).collect();
    let leave = staff_leave::Entity::find().filter(staff_leave::Column::ToDay.gte(cst_today(now))).order_by_asc(staff_leave::Column::FromDay).all(db).await?;
    Ok(AbAdmin {
        pairs: clerks.iter().map(|(id, name)| (*id, name.clone(), backups.get(id).copied(), backups.get(id).and_then(|b| names.get(b).cloned()))).collect(),
        leave: leave.into_iter().map(|l| (l.id, names.get(&l.clerk_id).cloned().unwrap_or_default(), l.from_day.to_string(), l.to_day.to_string())).collect(),
        clerks,
    })
}

async fn require_clerk(db: &impl ConnectionTrait, id: i32) -> Result<user::Model, AppError> {
    user::Entity::find_by_id(id).one(db).await?.filter(|u| u.role == Role::Clerk.as_str() && u.active).ok_or_else(|| refuse("请选择在岗的窗口人员"))
}

/// Sets clerk A's backup B (or clears it).
pub async fn set_backup(db: &DatabaseConnection, chief: &CurrentUser, clerk: i32, backup: Option<i32>) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    require_clerk(&txn, clerk).await?;
    clerk_backup::Entity::delete_by_id(clerk).exec(&txn).await?;
    if let Some(backup) = backup {
        if backup == clerk {
            return Err(refuse("B岗不能是本人"));
        }
        require_clerk(&txn, backup).await?;
        clerk_backup::ActiveModel { clerk_id: Set(clerk), backup_id: Set(backup) }.insert(&txn).await?;
    }
    audit::record(&txn, Entry { actor_id: Some(chief.id), on_behalf_of: None, action: "ab.pair", entity: "user", entity_id: Some(clerk.to_string()), detail: json!({ "backup": backup }) }).await?;
    txn.commit().await?;
    Ok(())
}

/// Records leave from `from` to `to` (inclusive, `YYYY-MM-DD`).
pub async fn add_leave(db: &DatabaseConnection, chief: &CurrentUser, clerk: i32, from: &str, to: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let parse = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| refuse("日期应为 2026-01-01 这样的格式"));
    let (from, to) = (parse(from)?, parse(to)?);
    if to < from {
        return Err(refuse("结束日期不能早于开始日期"));
    }
    let txn = begin_write(db).await?;
    require_clerk(&txn, clerk).await?;
    if clerk_backup::Entity::find_by_id(clerk).one(&txn).await?.is_none() {
        return Err(refuse("请先为该窗口人员设置B岗，再登记休假"));
    }
    staff_leave::ActiveModel { clerk_id: Set(clerk), from_day: Set(from), to_day: Set(to), created_by: Set(chief.id), created_at: Set(now), ..Default::default() }.insert(&txn).await?;
    audit::record(&txn, Entry { actor_id: Some(chief.id), on_behalf_of: None, action: "ab.leave", entity: "user", entity_id: Some(clerk.to_string()), detail: json!({ "from": from.to_string(), "to": to.to_string() }) }).await?;
    txn.commit().await?;
    Ok(())
}

/// Ends a leave record (the clerk is back): their work routes back at once.
pub async fn remove_leave(db: &DatabaseConnection, chief: &CurrentUser, id: i32) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let row = staff_leave::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    staff_leave::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(&txn, Entry { actor_id: Some(chief.id), on_behalf_of: None, action: "ab.leave.end", entity: "user", entity_id: Some(row.clerk_id.to_string()), detail: json!({ "from": row.from_day.to_string() }) }).await?;
    txn.commit().await?;
    Ok(())
}

/// Demo AB pair: the demo clerk backed up by a second demo clerk (idempotent).
pub async fn seed_demo_backup(db: &DatabaseConnection) -> Result<(), AppError> {
    let clerks = crate::queue::service::clerks(db).await?;
    if let [(a, _), (b, _), ..] = clerks.as_slice()
        && clerk_backup::Entity::find_by_id(*a).one(db).await?.is_none()
    {
        clerk_backup::ActiveModel { clerk_id: Set(*a), backup_id: Set(*b) }.insert(db).await?;
    }
    Ok(())
}
