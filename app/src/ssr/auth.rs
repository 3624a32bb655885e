//! Who is calling: session cookies, the current user, and role guards.
//!
//! Server functions call [`require_user`] / [`require_role`]; plain axum handlers take
//! [`CurrentUser`] or [`MaybeUser`] as extractors. Both resolve the session the same way.

use super::state::AppState;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::Msg;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
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
    super::cookies::get(headers, name)
}

/// Resolves the session cookie in `headers`.
pub async fn resolve(state: &AppState, headers: &HeaderMap) -> Result<Resolved, AppError> {
    resolve_token(state, cookie(headers, SESSION_COOKIE)).await
}

async fn resolve_token(state: &AppState, token: Option<String>) -> Result<Resolved, AppError> {
    match token {
        Some(token) if !token.is_empty() => resolve_session(&state.db, &state.config, &state.sessions, &token).await,
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
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip().to_string()).unwrap_or_else(|| "local".to_owned())
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

/// Sends cookie `name` with this response (Secure over HTTPS; see [`super::cookies`]).
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: u64, http_only: bool) {
    let policy = super::cookies::Policy { max_age, http_only, secure: state.config.is_https() };
    if let (Some(options), Some(value)) = (response_options(), super::cookies::set(name, value, policy)) {
        options.append_header(SET_COOKIE, value);
    }
}

/// Sends the session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS.
pub fn set_session_cookie(state: &AppState, token: &str) {
    set_cookie(state, SESSION_COOKIE, token, state.config.session_absolute.as_secs(), true);
}

pub fn clear_session_cookie(state: &AppState) {
    set_cookie(state, SESSION_COOKIE, "", 0, true);
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
        let body = serde_json::json!({ "error": self, "message": self.text(crate::i18n::Lang::Zh) });
        (self.status(), axum::Json(body)).into_response()
    }
}

/// A session token was looked up: a user, an expired session, or nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    User(CurrentUser),
    Expired,
    Anonymous,
}

/// Looks up a session token. Expired sessions (idle or absolute) are deleted.
pub async fn resolve_session(
    db: &sea_orm::DatabaseConnection,
    config: &super::config::Config,
    cache: &super::session_cache::SessionCache,
    token: &str,
) -> Result<Resolved, AppError> {
    /// The session and its user, read together: one round trip per request.
    #[derive(sea_orm::FromQueryResult)]
    struct Row {
        id: i32,
        user_id: i32,
        last_seen_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        role: Role,
        station_id: Option<i32>,
        name: Option<String>,
        active: bool,
    }
    use super::entities::{session, user};
    use super::session_cache::TOUCH_EVERY;
    use chrono::{DateTime, Duration, Utc};
    use sea_orm::{ColumnTrait, EntityTrait, JoinType, QueryFilter, QuerySelect};
    let hash = super::crypto::token_hash(config.secret_key.expose(), token);
    let now = Utc::now();
    let idle = Duration::from_std(config.session_idle).unwrap_or(Duration::days(14));
    let tag = cache.fresh(db).await?;
    if let Some(user) = cache.get(tag, &hash, now, idle) {
        return Ok(Resolved::User(user));
    }
    let owner = session::Entity::belongs_to(user::Entity).from(session::Column::UserId).to(user::Column::Id).into();
    let found = session::Entity::find()
        .select_only()
        .columns([session::Column::Id, session::Column::UserId, session::Column::LastSeenAt, session::Column::ExpiresAt])
        .columns([user::Column::Role, user::Column::StationId, user::Column::Name, user::Column::Active])
        .join(JoinType::InnerJoin, owner)
        .filter(session::Column::TokenHash.eq(&hash))
        .into_model::<Row>()
        .one(db)
        .await?;
    let Some(found) = found else {
        return Ok(Resolved::Anonymous);
    };
    if found.expires_at <= now || found.last_seen_at + idle <= now {
        session::Entity::delete_by_id(found.id).exec(db).await?;
        return Ok(Resolved::Expired);
    }
    if !found.active {
        return Ok(Resolved::Expired);
    }
    // Touch at most once a minute: a page view should not always be a write.
    let mut last_seen_at = found.last_seen_at;
    if now - found.last_seen_at > TOUCH_EVERY {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, sea_orm::sea_query::Expr::value(now))
            .filter(session::Column::Id.eq(found.id))
            .exec(db)
            .await?;
        last_seen_at = now;
    }
    let user = CurrentUser { id: found.user_id, session_id: found.id, role: found.role, station_id: found.station_id, name: found.name };
    cache.remember(tag, hash, user.clone(), last_seen_at, found.expires_at);
    Ok(Resolved::User(user))
}
