//! Wiring of the features' plain HTTP routes (each feature's `http` module): uploads
//! under their own body limit, and the rest.

use app::ssr::AppState;
use app::{booking, cases, feedback, guides, oversight, stations};
use axum::Router;
use axum::extract::DefaultBodyLimit;

/// The body limit of the upload routes: the largest file any of them takes, plus room
/// for the multipart framing. Each route checks its own file limit.
pub const UPLOAD_LIMIT_BYTES: usize = max(
    max(
        max(guides::http::IMPORT_LIMIT_BYTES, app::ssr::files::SAMPLE_LIMIT_BYTES),
        max(cases::service::FILE_LIMIT_BYTES, stations::service::PAPER_LIMIT_BYTES),
    ),
    feedback::service::PHOTO_COUNT * feedback::service::PHOTO_LIMIT_BYTES,
) + 64 * 1024;

const fn max(a: usize, b: usize) -> usize {
    if a > b { a } else { b }
}

/// Routes that take uploads (their own, larger body limit).
pub fn uploads() -> Router<AppState> {
    Router::new()
        .merge(guides::http::uploads())
        .merge(booking::http::uploads())
        .merge(cases::http::uploads())
        .merge(feedback::http::uploads())
        .merge(stations::http::uploads())
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT_BYTES))
}

/// Downloads and the other plain routes.
pub fn downloads() -> Router<AppState> {
    Router::new()
        .merge(guides::http::routes())
        .merge(booking::http::routes())
        .merge(cases::http::routes())
        .merge(feedback::http::routes())
        .merge(stations::http::routes())
        .merge(oversight::http::routes())
}

pub use app::ssr::http::encode;
