//! Who is calling: session cookies, the current user, and role guards.
//!
//! Server functions call [`require_user`] / [`require_role`]; plain axum handlers take
//! [`CurrentUser`] or [`MaybeUser`] as extractors. Both resolve the session the same way.

use super::state::AppState;
use crate::accounts::service::{self, Resolved};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::prefs::{ELDER_COOKIE, LANG_COOKIE};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "bm_session";

/// The signed-in user of this request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentUser {
    pub id: i32,
    pub session_id: i32,
    pub role: Role,
    pub station_id: Option<i32>,
    pub name: Option<String>,
}

impl CurrentUser {
    pub fn has_role(&self, roles: &[Role]) -> bool {
        roles.contains(&self.role)
    }
}

/// The value of cookie `name` in `headers`.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// Resolves the session cookie in `headers`.
pub async fn resolve(state: &AppState, headers: &HeaderMap) -> Result<Resolved, AppError> {
    resolve_token(state, cookie(headers, SESSION_COOKIE)).await
}

async fn resolve_token(state: &AppState, token: Option<String>) -> Result<Resolved, AppError> {
    match token {
        Some(token) if !token.is_empty() => service::resolve_session(&state.db, &state.config, &state.sessions, &token).await,
        _ => Ok(Resolved::Anonymous),
    }
}

/// The client's address: the socket peer, or the first `X-Forwarded-For` entry when
/// the deployment says a trusted proxy sits in front.
pub fn client_addr(state: &AppState, parts: &Parts) -> String {
    if state.config.trust_proxy
        && let Some(forwarded) = parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(first) = forwarded.split(',').next()
    {
        return first.trim().to_owned();
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "local".to_owned())
}

// ---- inside server functions ---------------------------------------------------

/// The application state, provided as context to every server function and page.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::from(anyhow::anyhow!("AppState missing from context")))
}

/// The request's head, provided by leptos_axum.
pub fn request_parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or_else(|| AppError::from(anyhow::anyhow!("request parts missing from context")))
}

/// The request's session, read from its head in place (no copy of the headers).
async fn resolve_request() -> Result<Resolved, AppError> {
    let token = with_context::<Parts, _>(|parts| cookie(&parts.headers, SESSION_COOKIE))
        .ok_or_else(|| AppError::from(anyhow::anyhow!("request parts missing from context")))?;
    resolve_token(&state()?, token).await
}

/// The current user, if signed in.
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    match resolve_request().await? {
        Resolved::User(user) => Ok(Some(user)),
        Resolved::Expired | Resolved::Anonymous => Ok(None),
    }
}

/// The current user; "please log in" (or "session expired") otherwise.
pub async fn require_user() -> Result<CurrentUser, AppError> {
    match resolve_request().await? {
        Resolved::User(user) => Ok(user),
        Resolved::Expired => Err(AppError::Unauthorized(Msg::ErrSessionExpired)),
        Resolved::Anonymous => Err(AppError::unauthorized()),
    }
}

/// The current user if their role is one of `roles`; Forbidden otherwise.
pub async fn require_role(roles: &[Role]) -> Result<CurrentUser, AppError> {
    let user = require_user().await?;
    if user.has_role(roles) { Ok(user) } else { Err(AppError::Forbidden) }
}

/// Roles that work in the staff console.
pub const STAFF: &[Role] = &[Role::Clerk, Role::Handler, Role::Chief];

fn response_options() -> Option<ResponseOptions> {
    use_context::<ResponseOptions>()
}

fn set_cookie(value: String) {
    if let (Some(options), Ok(value)) = (response_options(), HeaderValue::from_str(&value)) {
        options.append_header(SET_COOKIE, value);
    }
}

fn secure_flag(state: &AppState) -> &'static str {
    if state.config.is_https() { "; Secure" } else { "" }
}

/// Sends the session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS.
pub fn set_session_cookie(state: &AppState, token: &str) {
    let max_age = state.config.session_absolute.as_secs();
    set_cookie(format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}", secure_flag(state)));
}

pub fn clear_session_cookie(state: &AppState) {
    set_cookie(format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", secure_flag(state)));
}

/// Display preferences are plain cookies (read by the page before it renders).
pub fn set_pref_cookies(state: &AppState, lang: Option<&str>, elder: Option<bool>) {
    let year = 60 * 60 * 24 * 365;
    if let Some(lang) = lang {
        set_cookie(format!("{LANG_COOKIE}={lang}; Path=/; SameSite=Lax; Max-Age={year}{}", secure_flag(state)));
    }
    if let Some(elder) = elder {
        let value = if elder { "1" } else { "0" };
        set_cookie(format!("{ELDER_COOKIE}={value}; Path=/; SameSite=Lax; Max-Age={year}{}", secure_flag(state)));
    }
}

// ---- as axum extractors --------------------------------------------------------

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match resolve(state, &parts.headers).await? {
            Resolved::User(user) => Ok(user),
            Resolved::Expired => Err(AppError::Unauthorized(Msg::ErrSessionExpired)),
            Resolved::Anonymous => Err(AppError::unauthorized()),
        }
    }
}

/// The current user or nobody; never rejects.
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match resolve(state, &parts.headers).await? {
            Resolved::User(user) => Ok(MaybeUser(Some(user))),
            _ => Ok(MaybeUser(None)),
        }
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Validation(_) | AppError::Rejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Request(_) | AppError::BadRequest => StatusCode::BAD_REQUEST,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self, "message": self.summary().zh() });
        (self.status(), axum::Json(body)).into_response()
    }
}
