//! Server-only code: configuration, state, database, email, auth, audit.
//! Everything below compiles only with the `ssr` feature.

pub mod audit;
pub mod auth;
pub mod config;
pub mod cookies;
pub mod crypto;
pub mod db;
pub mod directory;
pub mod entities;
pub mod files;
pub mod freshness;
pub mod http;
pub mod live;
pub mod mailer;
pub mod notifications;
pub mod session_cache;
pub mod state;
pub mod throttle;

pub use state::AppState;

use crate::error::AppError;

/// Finishes a server function: on error, sets the HTTP status that fits it (a 422 for
/// bad input, not a 500) — except for plain HTML form posts, which must stay redirects
/// so the page can show the error without JavaScript.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        let form_post = leptos::prelude::use_context::<axum::http::request::Parts>()
            .is_some_and(|parts| parts.headers.get(axum::http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html")));
        if let (false, Some(options)) = (form_post, leptos::prelude::use_context::<leptos_axum::ResponseOptions>()) {
            options.set_status(err.status());
        }
    }
    result
}
