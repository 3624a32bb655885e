//! Cases and materials (办件): a resident (or a helper for them) starts a case from a
//! guide, uploads one or more files per required material, submits it and follows its
//! timeline; clerks accept it, ask for supplements in one notice (一次性告知), process,
//! complete or reject it within its working-day deadline; AB posts (AB岗) route a
//! clerk's work to their backup while they are on leave.

#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod staff_pages;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::components::TimelineEntry;

pub use crate::domain::{CaseNumber, CaseStatus};

/// Which of the open cases the staff inbox shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseFilter {
    #[default]
    All,
    DueSoon,
    Overdue,
    /// A second supplement notice awaits the chief.
    Approval,
}

impl CaseFilter {
    pub const ALL: [CaseFilter; 4] = [CaseFilter::All, CaseFilter::DueSoon, CaseFilter::Overdue, CaseFilter::Approval];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseFilter::All => "all",
            CaseFilter::DueSoon => "due_soon",
            CaseFilter::Overdue => "overdue",
            CaseFilter::Approval => "approval",
        }
    }

    /// The filter a `?filter=` query names; anything else shows every case.
    pub fn from_query(text: &str) -> Self {
        CaseFilter::ALL.into_iter().find(|f| f.as_str() == text).unwrap_or_default()
    }

    pub fn label(self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            CaseFilter::All => Msg::FilterAll,
            CaseFilter::DueSoon => Msg::FilterDueSoon,
            CaseFilter::Overdue => Msg::FilterOverdue,
            CaseFilter::Approval => Msg::FilterApproval,
        }
    }
}

/// One uploaded file of a material.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFileView {
    pub id: i32,
    pub name: String,
    pub size: i64,
    pub image: bool,
    /// Uploaded after the current supplement notice (a replacement).
    pub replacement: bool,
    pub can_remove: bool,
}

/// One required material of the case's guide version, with its files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialSlot {
    pub index: u32,
    pub name: String,
    /// `原件1份`
    pub requirement: crate::guides::Requirement,
    pub note: String,
    pub sample_href: Option<String>,
    pub files: Vec<CaseFileView>,
    /// The reason given in the open supplement notice, when this material is listed.
    pub requested: Option<String>,
    /// Files may be added now.
    pub can_upload: bool,
}

/// One line of a supplement notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeItem {
    pub index: u32,
    pub material: String,
    pub reason: String,
}

/// 一次性告知书: every missing or wrong material, in one notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    pub seq: i32,
    pub issued_at: String,
    pub clerk: String,
    pub items: Vec<NoticeItem>,
    /// `pending` (waiting for the chief), `active`, `answered`, `declined`.
    pub status: String,
    /// Asks for materials the first notice did not list.
    pub extra: bool,
}

/// What a staff member may do with a case now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffActions {
    pub accept: bool,
    pub supplement: bool,
    pub process: bool,
    pub complete: bool,
    pub reject: bool,
    pub handover: bool,
    /// An extra notice waits for this chief's decision.
    pub approve: bool,
    /// Clerks a case can be handed over to: (id, name).
    pub clerks: Vec<(i32, String)>,
}

/// A case as the person looking at it may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub number: String,
    pub item_code: String,
    pub item_name: String,
    pub guide_version: i32,
    pub status: CaseStatus,
    pub applicant_name: String,
    pub phone_masked: String,
    pub id_masked: String,
    pub notes: String,
    /// The helper who filed it, with their station.
    pub helper: Option<String>,
    pub deadline: Option<String>,
    /// Working days left (negative when overdue); `None` before acceptance.
    pub days_left: Option<i64>,
    pub paused: bool,
    pub window: Option<String>,
    pub owner: Option<String>,
    pub result: Option<String>,
    pub pickup: Option<String>,
    pub reason: Option<String>,
    pub materials: Vec<MaterialSlot>,
    /// The latest supplement notice the applicant was sent (or, for staff, a pending one too).
    pub notices: Vec<NoticeView>,
    pub timeline: Vec<TimelineEntry>,
    pub can_submit: bool,
    pub can_withdraw: bool,
    pub can_resubmit: bool,
    /// Present for staff.
    pub staff: Option<StaffActions>,
    /// Only number, item and status: a helper's filing after its authorisation ended.
    pub limited: bool,
    /// Delivery, signature and follow-up of a completed assisted case.
    pub handoff: Option<Handoff>,
}

/// 送达服务站 → 群众签收 → 回访 of a completed assisted case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handoff {
    pub delivered_at: Option<String>,
    pub received_on: Option<String>,
    pub followed_up_at: Option<String>,
    pub can_deliver: bool,
    pub can_receive: bool,
    pub can_follow_up: bool,
    /// Today (YYYY-MM-DD), the default signature date.
    pub today: String,
}

/// A case in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub number: String,
    pub item_name: String,
    pub status: CaseStatus,
    pub applicant: String,
    pub id_masked: String,
    pub updated_at: String,
    pub deadline: Option<String>,
    pub days_left: Option<i64>,
    pub overdue: bool,
    pub due_soon: bool,
    pub paused: bool,
    /// Routed here because the clerk on leave is this user's A post.
    pub backup_for: Option<String>,
    pub pending_approval: bool,
    /// Filed by a station helper (帮办代办).
    pub assisted: bool,
    /// Only number, item and status may be shown (an ended authorisation).
    pub limited: bool,
}

/// One page of 我的办件, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCases {
    pub cases: Vec<CaseSummary>,
    /// Zero-based.
    pub page: u64,
    pub more: bool,
}

/// The form to start a case: the guide version and the remembered applicant details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCaseForm {
    pub item_code: String,
    pub item_name: String,
    pub guide_version: i32,
    /// Each material with how it is handed in.
    pub materials: Vec<(String, crate::guides::Requirement)>,
    pub name: String,
    pub phone: String,
    pub id_number: String,
    /// A helper files for someone else, so nothing of the helper's is prefilled.
    pub for_someone_else: bool,
    /// The resident a helper files for.
    pub for_resident: Option<i32>,
    pub key: String,
}

/// The public status lookup: no personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicStatus {
    pub number: String,
    pub item_name: String,
    pub status: CaseStatus,
    pub deadline: Option<String>,
    pub timeline: Vec<TimelineEntry>,
}

/// An in-app message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: i32,
    /// The Chinese title and body on record (shown for messages written before notes).
    pub title: String,
    pub body: String,
    /// The message as typed notes, written in the reader's language.
    pub note: Option<crate::i18n::Message>,
    pub link: String,
    pub at: String,
    pub unread: bool,
}

/// The chief's AB岗 page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbAdmin {
    /// (clerk id, name, backup id, backup name)
    pub pairs: Vec<(i32, String, Option<i32>, Option<String>)>,
    /// (leave id, clerk name, from, to)
    pub leave: Vec<(i32, String, String, String)>,
    pub clerks: Vec<(i32, String)>,
}

/// The start-a-case form for item `code`.
#[server(endpoint = "case_form")]
pub async fn get_case_form(code: String, for_resident: Option<i32>) -> Result<NewCaseForm, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Resident, crate::domain::Role::Helper]).await?;
            let state = auth::state()?;
            service::new_case_form(&state, &user, &code, for_resident).await
        }
        .await,
    )
}

/// Starts a case as a draft; `key` makes a double tap harmless.
#[server(endpoint = "case_create")]
pub async fn create_case(
    code: String,
    name: String,
    phone: String,
    id_number: String,
    notes: String,
    key: String,
    for_resident: Option<i32>,
) -> Result<String, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Resident, crate::domain::Role::Helper]).await?;
            let state = auth::state()?;
            let input = service::NewCase { item_code: code, name, phone, id_number, notes, key, for_resident };
            let number = service::create_draft(&state, &user, &input, chrono::Utc::now()).await?;
            leptos_axum::redirect(&format!("/cases/{number}"));
            Ok(number)
        }
        .await,
    )
}

/// One case, as the caller may see it ("not found" for anyone else).
#[server(endpoint = "case")]
pub async fn get_case(number: String) -> Result<CaseView, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_user().await?;
            let state = auth::state()?;
            service::case_view(&state, &user, &number, chrono::Utc::now()).await
        }
        .await,
    )
}

/// 我的办件: the caller's cases (a helper: those filed at their station).
#[server(endpoint = "my_cases")]
pub async fn list_my_cases(page: u64) -> Result<MyCases, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Resident, crate::domain::Role::Helper]).await?;
            let state = auth::state()?;
            service::my_cases(&state, &user, page, chrono::Utc::now()).await
        }
        .await,
    )
}

/// The applicant hands the draft in (提交).
#[server(endpoint = "case_submit")]
pub async fn submit_case(number: CaseNumber) -> Result<(), AppError> {
    applicant_step(number, async |state, user, number, now| service::submit(state, user, number, now).await).await
}

/// The applicant takes a case back (撤回) before the window decides.
#[server(endpoint = "case_withdraw")]
pub async fn withdraw_case(number: CaseNumber) -> Result<(), AppError> {
    applicant_step(number, async |state, user, number, now| service::withdraw(state, user, number, now).await).await
}

/// The applicant sends the case again after a supplement notice (补正后重新提交).
#[server(endpoint = "case_resubmit")]
pub async fn resubmit_case(number: CaseNumber) -> Result<(), AppError> {
    applicant_step(number, async |state, user, number, now| service::resubmit(state, user, number, now).await).await
}

/// One applicant step: only the resident or the helper acting for them, then back to
/// the case.
#[cfg(feature = "ssr")]
async fn applicant_step<F>(number: CaseNumber, step: F) -> Result<(), AppError>
where
    F: AsyncFnOnce(&crate::ssr::AppState, &crate::ssr::auth::CurrentUser, &str, chrono::DateTime<chrono::Utc>) -> Result<(), AppError>,
{
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Resident, crate::domain::Role::Helper]).await?;
            let state = auth::state()?;
            step(&state, &user, number.as_str(), chrono::Utc::now()).await?;
            leptos_axum::redirect(&format!("/cases/{number}"));
            Ok(())
        }
        .await,
    )
}

/// A hand-off step of a completed assisted case, each recorded once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandoffStep {
    /// 送达服务站: the result reached the station (the station's helper).
    Deliver,
    /// 群众签收 on `day` (`YYYY-MM-DD`; empty is today), by the resident or the helper.
    Receive { day: String },
    /// 回访 by the helper, with an optional note.
    FollowUp { note: String },
}

impl HandoffStep {
    /// The step's name in the audit log.
    pub fn name(&self) -> &'static str {
        match self {
            HandoffStep::Deliver => "deliver",
            HandoffStep::Receive { .. } => "receive",
            HandoffStep::FollowUp { .. } => "follow_up",
        }
    }
}

/// 送达服务站: the helper records that the result reached the station.
#[server(endpoint = "case_deliver")]
pub async fn record_delivery(number: CaseNumber) -> Result<(), AppError> {
    handoff_step(number, HandoffStep::Deliver).await
}

/// 群众签收: the resident (or the helper) records receipt on `day`.
#[server(endpoint = "case_receive")]
pub async fn record_receipt(number: CaseNumber, day: String) -> Result<(), AppError> {
    handoff_step(number, HandoffStep::Receive { day }).await
}

/// 回访: the helper records the follow-up call, with an optional `note`.
#[server(endpoint = "case_follow_up")]
pub async fn record_follow_up(number: CaseNumber, note: String) -> Result<(), AppError> {
    handoff_step(number, HandoffStep::FollowUp { note }).await
}

#[cfg(feature = "ssr")]
async fn handoff_step(number: CaseNumber, step: HandoffStep) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Resident, crate::domain::Role::Helper]).await?;
            let state = auth::state()?;
            service::handoff(&state, &user, number.as_str(), &step, chrono::Utc::now()).await?;
            leptos_axum::redirect(&format!("/cases/{number}#handoff"));
            Ok(())
        }
        .await,
    )
}

/// Removes one of the applicant's files while the case may still change.
#[server(endpoint = "case_file_remove")]
pub async fn remove_case_file(number: String, file: i32) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Resident, crate::domain::Role::Helper]).await?;
            let state = auth::state()?;
            service::remove_file(&state, &user, &number, file, chrono::Utc::now()).await?;
            leptos_axum::redirect(&format!("/cases/{number}#materials"));
            Ok(())
        }
        .await,
    )
}

/// The clerk's or chief's inbox: every case they may act on, or one filter of it.
#[server(endpoint = "case_inbox")]
pub async fn case_inbox(filter: CaseFilter) -> Result<Vec<CaseSummary>, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Clerk, crate::domain::Role::Chief]).await?;
            let state = auth::state()?;
            service::inbox(&state, &user, filter, chrono::Utc::now()).await
        }
        .await,
    )
}

/// 受理: the window takes the case on; its deadline starts.
#[server(endpoint = "case_accept")]
pub async fn accept_case(number: CaseNumber) -> Result<(), AppError> {
    desk_step(number, async |state, user, number, now| service::accept(state, user, number, now).await).await
}

/// 办理: the window starts working on an accepted case.
#[server(endpoint = "case_process")]
pub async fn start_case(number: CaseNumber) -> Result<(), AppError> {
    desk_step(number, async |state, user, number, now| service::start_processing(state, user, number, now).await).await
}

/// 办结, with the `result` the applicant reads and how to collect it (`pickup`).
#[server(endpoint = "case_complete")]
pub async fn complete_case(number: CaseNumber, result: String, pickup: String) -> Result<(), AppError> {
    desk_step(number, async |state, user, number, now| service::complete(state, user, number, &result, &pickup, now).await).await
}

/// 不予受理, with the `reason` the applicant reads.
#[server(endpoint = "case_reject")]
pub async fn reject_case(number: CaseNumber, reason: String) -> Result<(), AppError> {
    desk_step(number, async |state, user, number, now| service::reject(state, user, number, &reason, now).await).await
}

/// Hands the case to another clerk (`to`), on record.
#[server(endpoint = "case_handover")]
pub async fn hand_over_case(number: CaseNumber, to: i32) -> Result<(), AppError> {
    desk_step(number, async |state, user, number, now| service::handover(state, user, number, to, now).await).await
}

/// The chief allows a second supplement notice (一次性告知 allows one; more need approval).
#[server(endpoint = "case_approve")]
pub async fn approve_notice(number: CaseNumber) -> Result<(), AppError> {
    desk_step(number, async |state, user, number, now| service::decide_notice(state, user, number, true, now).await).await
}

/// The chief refuses a second supplement notice.
#[server(endpoint = "case_decline")]
pub async fn decline_notice(number: CaseNumber) -> Result<(), AppError> {
    desk_step(number, async |state, user, number, now| service::decide_notice(state, user, number, false, now).await).await
}

/// One step at the window: clerks and the chief only, then back to the case.
#[cfg(feature = "ssr")]
async fn desk_step<F>(number: CaseNumber, step: F) -> Result<(), AppError>
where
    F: AsyncFnOnce(&crate::ssr::AppState, &crate::ssr::auth::CurrentUser, &str, chrono::DateTime<chrono::Utc>) -> Result<(), AppError>,
{
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Clerk, crate::domain::Role::Chief]).await?;
            let state = auth::state()?;
            step(&state, &user, number.as_str(), chrono::Utc::now()).await?;
            leptos_axum::redirect(&format!("/staff/cases/{number}"));
            Ok(())
        }
        .await,
    )
}

/// The applicant's full ID number, for staff; every look is written to the audit log.
#[server(endpoint = "case_reveal_id")]
pub async fn reveal_id(number: String) -> Result<String, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Clerk, crate::domain::Role::Chief]).await?;
            let state = auth::state()?;
            service::reveal_id(&state, &user, &number).await
        }
        .await,
    )
}

/// Anyone: a case's status by its number and the last four digits of the applicant's
/// phone. Rate-limited per address.
#[server(endpoint = "case_lookup")]
pub async fn lookup_case(number: String, phone_last4: String) -> Result<PublicStatus, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let addr = auth::client_addr(&state, &auth::request_parts()?);
            service::lookup(&state, &addr, &number, &phone_last4, chrono::Utc::now()).await
        }
        .await,
    )
}

/// The caller's messages, newest first; opening the list marks them read.
#[server(endpoint = "messages")]
pub async fn list_messages() -> Result<Vec<MessageView>, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_user().await?;
            let state = auth::state()?;
            service::messages(&state.db, user.id, chrono::Utc::now()).await
        }
        .await,
    )
}

/// How many of the caller's messages are unread (0 for visitors).
#[server(endpoint = "unread")]
pub async fn unread_count() -> Result<u64, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            match auth::current_user().await? {
                Some(user) => service::unread(&state.db, user.id).await,
                None => Ok(0),
            }
        }
        .await,
    )
}

/// The chief's AB岗 page.
#[server(endpoint = "ab_admin")]
pub async fn get_ab_admin() -> Result<AbAdmin, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            auth::require_role(&[crate::domain::Role::Chief]).await?;
            let state = auth::state()?;
            service::ab_admin(&state.db, chrono::Utc::now()).await
        }
        .await,
    )
}

/// Sets (or, with an empty `backup`, clears) a clerk's backup.
#[server(endpoint = "ab_pair")]
pub async fn set_backup(clerk: i32, backup: String) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let chief = auth::require_role(&[crate::domain::Role::Chief]).await?;
            let state = auth::state()?;
            service::set_backup(&state.db, &chief, clerk, backup.trim().parse().ok()).await?;
            leptos_axum::redirect("/staff/ab");
            Ok(())
        }
        .await,
    )
}

/// Records leave days (inclusive) for a clerk.
#[server(endpoint = "ab_leave")]
pub async fn add_leave(clerk: i32, from: String, to: String) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let chief = auth::require_role(&[crate::domain::Role::Chief]).await?;
            let state = auth::state()?;
            service::add_leave(&state.db, &chief, clerk, &from, &to, chrono::Utc::now()).await?;
            leptos_axum::redirect("/staff/ab");
            Ok(())
        }
        .await,
    )
}

/// Ends a leave record early (the clerk is back).
#[server(endpoint = "ab_leave_remove")]
pub async fn remove_leave(id: i32) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let chief = auth::require_role(&[crate::domain::Role::Chief]).await?;
            let state = auth::state()?;
            service::remove_leave(&state.db, &chief, id).await?;
            leptos_axum::redirect("/staff/ab");
            Ok(())
        }
        .await,
    )
}
