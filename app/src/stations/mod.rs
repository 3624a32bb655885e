//! Stations (便民服务站) and 帮办代办: the chief keeps the list of stations and their
//! helpers; a helper finds or registers the resident they help and records the
//! resident's authorisation (委托); the resident sees, accepts, refuses and revokes
//! authorisations in 我的 → 委托记录; a resident a helper registered without an account
//! takes their records over after staff confirm their identity.
//!
//! This feature sits below booking and cases: [`access`] is how those decide what a
//! helper may do for a resident. It reads cases and bookings only to count them.

#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Default and longest validity of an authorisation, in days.
pub const DEFAULT_VALID_DAYS: i64 = 90;
pub const MAX_VALID_DAYS: i64 = 365;

/// A station as residents see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationInfo {
    pub id: i32,
    pub name: String,
    pub village: String,
    pub address: String,
    pub phone: String,
    pub hours: String,
    pub closed: bool,
    /// (code, name) of the items it does for residents.
    pub items: Vec<(String, String)>,
    /// Whether it does every helper-eligible item (nothing chosen).
    pub all_items: bool,
    /// (code, name) of those items that can be booked at the station.
    pub bookable: Vec<(String, String)>,
}

/// A station's figures for the chief.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationFigures {
    pub open_cases: u64,
    pub overdue_cases: u64,
    pub completed_this_month: u64,
    pub bookings_today: u64,
    pub authorisations_active: u64,
    pub awaiting_delivery: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationRow {
    pub info: StationInfo,
    pub figures: StationFigures,
    /// (id, name) of its helpers.
    pub helpers: Vec<(i32, String)>,
}

/// The chief's 服务站管理 page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationsAdmin {
    pub stations: Vec<StationRow>,
    /// (code, name) of every published helper-eligible item.
    pub eligible: Vec<(String, String)>,
    /// (id, name, station id) of every active helper.
    pub helpers: Vec<(i32, String, Option<i32>)>,
}

/// A resident a helper found (exact match only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentMatch {
    pub id: i32,
    pub name: String,
    pub phone_masked: String,
    pub id_masked: String,
    pub has_account: bool,
}

/// One authorisation (委托), for the resident or the helper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorisationView {
    pub id: i32,
    pub resident: String,
    pub station: String,
    /// The helper it names; `None` when it is the whole station.
    pub helper: Option<String>,
    /// 委托范围: the case or the items it covers.
    pub scope: crate::i18n::AuthorisationScope,
    pub since: String,
    pub until: String,
    /// By a signed paper form (纸质委托书) rather than the resident's confirmation in the app.
    pub paper: bool,
    pub status: String,
    pub state: crate::i18n::AuthorisationState,
    pub in_force: bool,
    pub can_decide: bool,
    pub can_revoke: bool,
    pub needs_paper: bool,
}

/// A line of a resident's records on the helper's desk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordLine {
    pub key: String,
    pub item: String,
    /// Where it stands, in words.
    pub status: crate::i18n::Msg,
    pub when: String,
    /// Readable in full (inside an authorisation) or as a summary only.
    pub full: bool,
}

/// A resident on the helper's desk: who they are, their authorisations with this
/// station, and what the helper may see and do for them now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentDesk {
    pub id: i32,
    pub name: String,
    pub phone_masked: String,
    pub id_masked: String,
    pub address: String,
    pub has_account: bool,
    pub authorisations: Vec<AuthorisationView>,
    /// (code, name, bookable) of items the helper may file or book for them now.
    pub allowed: Vec<(String, String, bool)>,
    /// (code, name) of the items the station does, to authorise.
    pub station_items: Vec<(String, String)>,
    pub cases: Vec<RecordLine>,
    pub bookings: Vec<RecordLine>,
    /// The default "valid until" of a new authorisation (YYYY-MM-DD).
    pub default_until: String,
    pub max_until: String,
    pub key: String,
}

/// The printable 委托书, filled in with the resident's details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperForm {
    pub id: i32,
    pub resident_id: i32,
    pub resident: String,
    pub id_masked: String,
    pub address: String,
    pub station: String,
    pub helper: Option<String>,
    pub scope: String,
    pub since: String,
    pub until: String,
    pub state: crate::i18n::AuthorisationState,
    pub has_photo: bool,
}

/// A sign-up that asked to take over a helper-registered resident's records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimView {
    pub resident_id: i32,
    pub name: String,
    pub id_masked: String,
    pub account_phone_masked: String,
    pub station: String,
    pub requested_at: String,
}

/// Open stations, for residents.
#[server(endpoint = "stations")]
pub async fn list_public_stations() -> Result<Vec<StationInfo>, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            service::public_stations(&state.db).await
        }
        .await,
    )
}

/// One open station, for residents.
#[server(endpoint = "station")]
pub async fn get_public_station(id: i32) -> Result<StationInfo, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            service::public_station(&state.db, id).await
        }
        .await,
    )
}

/// 服务站管理; chief only.
#[server(endpoint = "stations_admin")]
pub async fn get_stations_admin() -> Result<StationsAdmin, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            auth::require_role(&[crate::domain::Role::Chief]).await?;
            service::stations_admin(&state.db, chrono::Utc::now()).await
        }
        .await,
    )
}

/// Creates (`id` empty) or edits a station; `items` are the chosen item codes (none:
/// every helper-eligible item). Chief only.
#[server(endpoint = "station_save")]
pub async fn save_station(
    id: String,
    name: String,
    village: String,
    address: String,
    phone: String,
    hours: String,
    items: Option<Vec<String>>,
) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let chief = auth::require_role(&[crate::domain::Role::Chief]).await?;
            let input = service::StationInput { name, village, address, phone, hours, items: items.unwrap_or_default() };
            let id = service::save_station(&state.db, &chief, id.trim().parse().ok(), &input, chrono::Utc::now()).await?;
            leptos_axum::redirect(&format!("/staff/stations?saved={id}#station-{id}"));
            Ok(())
        }
        .await,
    )
}

/// Closes (`open` false) or reopens a station; chief only.
#[server(endpoint = "station_close")]
pub async fn set_station_open(id: i32, open: bool) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let chief = auth::require_role(&[crate::domain::Role::Chief]).await?;
            service::set_station_open(&state.db, &chief, id, open, chrono::Utc::now()).await?;
            leptos_axum::redirect(&format!("/staff/stations#station-{id}"));
            Ok(())
        }
        .await,
    )
}

/// Moves a helper to another station, on record; chief only.
#[server(endpoint = "helper_move")]
pub async fn move_helper(helper: i32, station: i32) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let chief = auth::require_role(&[crate::domain::Role::Chief]).await?;
            service::move_helper(&state, &chief, helper, station).await?;
            leptos_axum::redirect("/staff/stations#helpers");
            Ok(())
        }
        .await,
    )
}

/// Finds a resident by exact phone or ID number; helpers only.
#[server(endpoint = "resident_find")]
pub async fn find_resident(q: String) -> Result<Vec<ResidentMatch>, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let helper = auth::require_role(&[crate::domain::Role::Helper]).await?;
            service::find_resident(&state, &helper, &q).await
        }
        .await,
    )
}

/// Registers a resident without an account; helpers only. Opens their desk.
#[server(endpoint = "resident_register")]
pub async fn register_resident(name: String, id_number: String, phone: String, address: String) -> Result<i32, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let helper = auth::require_role(&[crate::domain::Role::Helper]).await?;
            let input = service::NewResident { name, id_number, phone, address };
            let id = service::register_resident(&state, &helper, &input, chrono::Utc::now()).await?;
            leptos_axum::redirect(&format!("/station/residents/{id}"));
            Ok(id)
        }
        .await,
    )
}

/// A resident on the helper's desk; "not found" unless the helper found or registered
/// them (exact match) — the desk shows nothing the authorisations do not allow.
#[server(endpoint = "resident_desk")]
pub async fn get_resident_desk(id: i32) -> Result<ResidentDesk, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let helper = auth::require_role(&[crate::domain::Role::Helper]).await?;
            service::resident_desk(&state, &helper, id, chrono::Utc::now()).await
        }
        .await,
    )
}

/// Records an authorisation request: `scope` `items` (the chosen `items`) or `case`
/// (`case_number`); `whole_station` names the station instead of the helper; `method`
/// `app` (the resident confirms in 消息) or `paper` (a photographed 委托书 follows).
#[server(endpoint = "authorisation_request")]
pub async fn request_authorisation(
    resident: i32,
    scope: String,
    items: Option<Vec<String>>,
    case_number: String,
    until: String,
    whole_station: Option<String>,
    method: String,
    key: String,
) -> Result<i32, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let helper = auth::require_role(&[crate::domain::Role::Helper]).await?;
            let input = service::AuthorisationRequest {
                resident,
                scope,
                items: items.unwrap_or_default(),
                case_number,
                until,
                whole_station: whole_station.is_some_and(|v| !v.is_empty()),
                method,
                key,
            };
            let (id, paper) = service::request_authorisation(&state, &helper, &input, chrono::Utc::now()).await?;
            if paper {
                leptos_axum::redirect(&format!("/station/authorisations/{id}"));
            } else {
                leptos_axum::redirect(&format!("/station/residents/{resident}?requested={id}"));
            }
            Ok(id)
        }
        .await,
    )
}

/// The 委托书 of an authorisation, to print and to attach its photo; helpers only.
#[server(endpoint = "authorisation_paper")]
pub async fn get_paper_form(id: i32) -> Result<PaperForm, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let helper = auth::require_role(&[crate::domain::Role::Helper]).await?;
            service::paper_form(&state, &helper, id, chrono::Utc::now()).await
        }
        .await,
    )
}

/// 委托记录: the caller's authorisations, newest first; residents only.
#[server(endpoint = "my_authorisations")]
pub async fn list_my_authorisations() -> Result<Vec<AuthorisationView>, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let me = auth::require_role(&[crate::domain::Role::Resident]).await?;
            service::my_authorisations(&state.db, &me, chrono::Utc::now()).await
        }
        .await,
    )
}

/// The resident's answer to an authorisation (授权委托).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// 同意 a pending request.
    Accept,
    /// 拒绝 a pending request.
    Refuse,
    /// 撤销 one not yet ended.
    Revoke,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Accept => "accept",
            Decision::Refuse => "refuse",
            Decision::Revoke => "revoke",
        }
    }
}

/// 同意: the resident accepts a pending authorisation.
#[server(endpoint = "authorisation_accept")]
pub async fn accept_authorisation(id: i32) -> Result<(), AppError> {
    decide(id, Decision::Accept).await
}

/// 拒绝: the resident refuses a pending authorisation.
#[server(endpoint = "authorisation_refuse")]
pub async fn refuse_authorisation(id: i32) -> Result<(), AppError> {
    decide(id, Decision::Refuse).await
}

/// 撤销: the resident revokes an authorisation not yet ended.
#[server(endpoint = "authorisation_revoke")]
pub async fn revoke_authorisation(id: i32) -> Result<(), AppError> {
    decide(id, Decision::Revoke).await
}

/// A resident's decision on their own authorisation, then back to the list.
#[cfg(feature = "ssr")]
async fn decide(id: i32, decision: Decision) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let me = auth::require_role(&[crate::domain::Role::Resident]).await?;
            service::decide_authorisation(&state, &me, id, decision, chrono::Utc::now()).await?;
            leptos_axum::redirect(&format!("/me/authorisations#authorisation-{id}"));
            Ok(())
        }
        .await,
    )
}

/// Asks to take over the records a helper made for the holder of `id_number`. The
/// answer is the same whether or not there are any: staff confirm at a window or station.
#[server(endpoint = "claim_request")]
pub async fn request_claim(id_number: String) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let me = auth::require_role(&[crate::domain::Role::Resident]).await?;
            service::request_claim(&state, &me, &id_number, chrono::Utc::now()).await?;
            leptos_axum::redirect("/me/claim?sent=1");
            Ok(())
        }
        .await,
    )
}

/// Claims waiting for an identity check; clerks, the chief and the registering station's helpers.
#[server(endpoint = "claims")]
pub async fn list_claims() -> Result<Vec<ClaimView>, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let staff = auth::require_role(&[crate::domain::Role::Clerk, crate::domain::Role::Chief, crate::domain::Role::Helper]).await?;
            service::pending_claims(&state.db, &staff).await
        }
        .await,
    )
}

/// Confirms a claim after checking the ID card: the records move to the new account.
#[server(endpoint = "claim_confirm")]
pub async fn confirm_claim(resident: i32) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let staff = auth::require_role(&[crate::domain::Role::Clerk, crate::domain::Role::Chief, crate::domain::Role::Helper]).await?;
            service::confirm_claim(&state, &staff, resident, chrono::Utc::now()).await?;
            let back = if staff.role == crate::domain::Role::Helper { "/station?claimed=1" } else { "/staff/claims?claimed=1" };
            leptos_axum::redirect(back);
            Ok(())
        }
        .await,
    )
}

/// The station's completed assisted cases not yet signed for; helpers only.
#[server(endpoint = "station_deliveries")]
pub async fn list_deliveries() -> Result<Vec<RecordLine>, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let helper = auth::require_role(&[crate::domain::Role::Helper]).await?;
            service::awaiting_delivery(&state.db, &helper, chrono::Utc::now()).await
        }
        .await,
    )
}
