//! Booking's plain HTTP routes: the calendar import and the booking's `.ics` file.

use crate::error::AppError;
use crate::i18n::{Reason, UploadReason, to_query};
use crate::ssr::AppState;
use crate::ssr::auth::CurrentUser;
use crate::ssr::http::{SMALL_FILE_LIMIT_BYTES, encode, file_field, require_chief};
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

/// Routes that take uploads (mounted with the larger body limit).
pub fn uploads() -> Router<AppState> {
    Router::new().route("/staff/holidays/import", post(holiday_import))
}

/// Downloads.
pub fn routes() -> Router<AppState> {
    Router::new().route("/bookings/{code}/booking.ics", get(booking_ics))
}

/// Imports a calendar file: all or nothing, every bad line named.
async fn holiday_import(State(state): State<AppState>, user: CurrentUser, mut multipart: Multipart) -> Response {
    if let Err(err) = require_chief(&user) {
        return err.into_response();
    }
    let back_with = |reasons: &[Reason]| Redirect::to(&format!("/staff/schedules?import_error={}#calendar", encode(&to_query(reasons)))).into_response();
    let (_, bytes) = match file_field(&mut multipart, SMALL_FILE_LIMIT_BYTES, UploadReason::TooLargeOrInterrupted { limit_mb: 5 }.into()).await {
        Ok(Some(file)) => file,
        Ok(None) => return back_with(&[Reason::from(UploadReason::NoCalendarFile)]),
        Err(reason) => return back_with(&[reason]),
    };
    match super::service::import_holidays(&state.db, &bytes, user.id).await {
        Ok(n) => Redirect::to(&format!("/staff/schedules?imported={n}#calendar")).into_response(),
        Err(AppError::Rejected(reasons)) => back_with(&reasons),
        Err(err) => err.into_response(),
    }
}

/// "Add to calendar": the booking as an iCalendar file, for its resident only.
async fn booking_ics(State(state): State<AppState>, user: CurrentUser, Path(code): Path<String>) -> Response {
    match super::service::ics(&state, &user, &code).await {
        Ok(text) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"booking-{}.ics\"", encode(&code))),
            ],
            text,
        )
            .into_response(),
        Err(err) => err.into_response(),
    }
}
