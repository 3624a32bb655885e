//! Feedback services. Who may see and do what is decided here, on every
//! call: residents and helpers see the feedback they gave (anonymous ones
//! through a keyed hash of their account, so handlers never learn who wrote them);
//! handlers and the chief see all feedback; clerks see feedback about the cases they
//! own, and only when the chief allows it. Anyone else gets "not found".
//!
//! Every transition is a conditional update on the status it starts from inside a
//! write transaction, so a double tap or two handlers at once change a thing once.

use super::{DueFilter, FeedbackActions, FeedbackForm, FeedbackKind, FeedbackStatus, FeedbackSummary, FeedbackView, HandlerInbox, PublicOpinion, Source};
use crate::calendar::Calendar;
use crate::calendar::load as calendar;
use crate::cases::service::applicant_side;
use crate::components::TimelineEntry;
use crate::domain::CaseStatus;
use crate::domain::{CaseNumber, PersonName, PhoneNumber, Role};
use crate::error::AppError;
use crate::i18n::{Common, FeedbackField, FeedbackNote, FeedbackReason, GeneralNote, Note, Reason};
use crate::ratings::service::{COMMENT_LIMIT, figures, is_staff_desk, rectification_of, text_within};
use crate::ratings::{Level, RatingFigures};
use crate::ssr::AppState;
use crate::ssr::audit::{self, Entry};
use crate::ssr::auth::CurrentUser;
use crate::ssr::crypto;
use crate::ssr::db::begin_write;
use crate::ssr::directory::actor_name;
use crate::ssr::entities::{case, feedback, feedback_event, feedback_file, rating, rectification, reply_template, setting, station, stored_file, user, window};
use crate::ssr::files::{self, Kind};
use crate::ssr::notifications::{email, notify};
use crate::ssr::throttle;
use crate::time::cst_today;
use crate::time::format_cst;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use std::collections::HashMap;

mod handling;
mod intake;
mod views;

pub use handling::*;
pub use intake::*;
pub use views::*;

/// Largest feedback photo.
pub const PHOTO_LIMIT_BYTES: usize = 10 * 1024 * 1024;
/// Photos per feedback.
pub const PHOTO_COUNT: usize = 6;
/// Feedback photos are pictures.
pub const PHOTO_KINDS: &[Kind] = &[Kind::Jpeg, Kind::Png, Kind::Webp];
/// Most characters of feedback text, a reply or a note.
pub const TEXT_LIMIT: usize = 2000;
/// The setting that lets clerks read feedback about their own cases.
pub const CLERKS_SEE_FEEDBACK: &str = "clerks_see_feedback";

const AUTHOR_PURPOSE: &str = "feedback-author";

/// The keyed hash that ties feedback to the account that filed it without naming it.
#[tracing::instrument(skip_all)]
pub fn author_key(state: &AppState, account: &str) -> String {
    crypto::lookup_hash(state.config.data_key.expose(), AUTHOR_PURPOSE, account)
}

fn account_key(state: &AppState, user: &CurrentUser) -> String {
    author_key(state, &format!("user:{}", user.id))
}
