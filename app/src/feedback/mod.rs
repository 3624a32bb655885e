//! Feedback (投诉建议): residents and helpers file complaints, suggestions and praise;
//! staff enter what came on paper or by phone; handlers own, reply to and close them
//! within working-day deadlines. The handler's console also lists the rectification
//! tasks of bad ratings and the rating figures, which belong to `ratings` (好差评).

#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod staff_pages;

use crate::components::TimelineEntry;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::{FeedbackKind, FeedbackNumber, FeedbackStatus, Source};

pub use crate::rules::FeedbackRules;

use crate::ratings::{Level, RatingFigures, RectificationView};

/// Which feedback is due: soon (within a working day) or already overdue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueFilter {
    DueSoon,
    Overdue,
}

impl DueFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            DueFilter::DueSoon => "due_soon",
            DueFilter::Overdue => "overdue",
        }
    }

    pub fn parse(text: &str) -> Option<DueFilter> {
        [DueFilter::DueSoon, DueFilter::Overdue].into_iter().find(|d| d.as_str() == text)
    }
}

/// Feedback in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackSummary {
    pub number: String,
    pub kind: FeedbackKind,
    pub source: Source,
    pub status: FeedbackStatus,
    pub excerpt: String,
    pub created_at: String,
    pub reply_due: String,
    pub overdue: bool,
    pub due_soon: bool,
    pub owner: Option<String>,
}

/// What a handler may do with feedback now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackActions {
    pub take: bool,
    pub contact: bool,
    pub reply: bool,
    pub note: bool,
    pub close: bool,
    pub reassign: bool,
    /// Handlers it can be handed to: (id, name).
    pub handlers: Vec<(i32, String)>,
    /// Staff it can be linked to: (id, name).
    pub staff: Vec<(i32, String)>,
    /// Reply templates: (id, title, body).
    pub templates: Vec<(i32, String, String)>,
}

/// One feedback item as its viewer may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackView {
    pub number: String,
    pub kind: FeedbackKind,
    pub source: Source,
    pub status: FeedbackStatus,
    pub body: String,
    pub anonymous: bool,
    /// Staff only, never for anonymous feedback: who filed it and how to reach them.
    pub author: Option<String>,
    pub contact: Option<String>,
    /// What it is about: case, staff member, station, window.
    pub about: Vec<String>,
    pub about_case: Option<String>,
    pub complex: bool,
    pub owner: Option<String>,
    pub contact_due: String,
    pub reply_due: String,
    pub overdue: bool,
    pub reply: Option<String>,
    pub reopen_reason: Option<String>,
    pub outcome: Option<Level>,
    pub publish_allowed: bool,
    pub files: Vec<i32>,
    pub timeline: Vec<TimelineEntry>,
    pub can_confirm: bool,
    pub can_reopen: bool,
    /// Present for handlers and the chief.
    pub staff: Option<FeedbackActions>,
}

/// Choices for the feedback form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackForm {
    /// The caller's recent cases: (number, item name).
    pub cases: Vec<(String, String)>,
    pub stations: Vec<(i32, String)>,
    pub windows: Vec<(i32, String)>,
    pub staff: Vec<(i32, String)>,
    /// Entered by staff (paper, box, phone), not by the resident.
    pub staff_entry: bool,
    pub key: String,
}

/// A published suggestion with its reply, for the public 意见簿.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicOpinion {
    pub number: String,
    pub kind: FeedbackKind,
    pub body: String,
    pub reply: String,
    pub replied_at: String,
}

/// The handler's console: feedback by filter, open rectifications, the figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandlerInbox {
    pub feedback: Vec<FeedbackSummary>,
    pub rectifications: Vec<RectificationView>,
    pub figures: RatingFigures,
    /// Chief only: whether clerks may read feedback about their own cases.
    pub clerks_see_feedback: Option<bool>,
    pub can_enter: bool,
}

// ---- server functions ----------------------------------------------------------------

/// The caller's feedback, newest first.
#[server(endpoint = "my_feedback")]
pub async fn list_my_feedback() -> Result<Vec<FeedbackSummary>, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Resident, crate::domain::Role::Helper]).await?;
            let state = auth::state()?;
            service::my_feedback(&state, &user, chrono::Utc::now()).await
        }
        .await,
    )
}

/// Choices for the feedback form (`staff=true`: staff entering paper or phone feedback).
#[server(endpoint = "feedback_form")]
pub async fn get_feedback_form(staff: bool) -> Result<FeedbackForm, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_user().await?;
            let state = auth::state()?;
            service::feedback_form(&state, &user, staff).await
        }
        .await,
    )
}

/// One feedback item as the caller may see it ("not found" for anyone else).
#[server(endpoint = "feedback")]
pub async fn get_feedback(number: String) -> Result<FeedbackView, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_user().await?;
            let state = auth::state()?;
            service::feedback_view(&state, &user, &number, chrono::Utc::now()).await
        }
        .await,
    )
}

/// The author confirms the reply and rates how it was handled (`level`, 1–5).
#[server(endpoint = "feedback_confirm")]
pub async fn confirm_reply(number: FeedbackNumber, level: Option<i32>) -> Result<(), AppError> {
    author_step(number, async |state, user, number, now| service::confirm(state, user, number, level.unwrap_or(0), now).await).await
}

/// The author reopens the feedback once: the reply did not solve it (`text` says why).
#[server(endpoint = "feedback_reopen")]
pub async fn reopen_feedback(number: FeedbackNumber, text: Option<String>) -> Result<(), AppError> {
    author_step(number, async |state, user, number, now| service::reopen(state, user, number, text.as_deref().unwrap_or(""), now).await).await
}

#[cfg(feature = "ssr")]
async fn author_step<F>(number: FeedbackNumber, step: F) -> Result<(), AppError>
where
    F: AsyncFnOnce(&crate::ssr::AppState, &crate::ssr::auth::CurrentUser, &str, chrono::DateTime<chrono::Utc>) -> Result<(), AppError>,
{
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Resident, crate::domain::Role::Helper]).await?;
            let state = auth::state()?;
            step(&state, &user, number.as_str(), chrono::Utc::now()).await
        }
        .await,
    )
}

/// The handler's console: feedback by kind, status, source and due date (each filter
/// optional), the open rectification tasks and the month's figures.
#[server(endpoint = "feedback_inbox")]
pub async fn feedback_inbox(
    kind: Option<FeedbackKind>,
    status: Option<FeedbackStatus>,
    source: Option<Source>,
    due: Option<DueFilter>,
) -> Result<HandlerInbox, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Handler, crate::domain::Role::Chief, crate::domain::Role::Clerk]).await?;
            let state = auth::state()?;
            let filter = service::InboxFilter { kind, status, source, due };
            service::inbox(&state, &user, &filter, chrono::Utc::now()).await
        }
        .await,
    )
}

/// 首问负责: takes the feedback on (the first handler owns it).
#[server(endpoint = "feedback_take")]
pub async fn take_feedback(number: FeedbackNumber) -> Result<(), AppError> {
    handler_step(number, service::HandlerAct::Take).await
}

/// Records the first contact with the author.
#[server(endpoint = "feedback_contact")]
pub async fn contact_author(number: FeedbackNumber, text: String) -> Result<(), AppError> {
    handler_step(number, service::HandlerAct::Contact { text }).await
}

/// Replies to the author: the `text` typed, or a reply template's body when it is empty.
#[server(endpoint = "feedback_reply")]
pub async fn reply_feedback(number: FeedbackNumber, text: String, template: Option<i32>) -> Result<(), AppError> {
    handler_step(number, service::HandlerAct::Reply { text, template }).await
}

/// An internal note on the feedback.
#[server(endpoint = "feedback_note")]
pub async fn note_feedback(number: FeedbackNumber, text: String) -> Result<(), AppError> {
    handler_step(number, service::HandlerAct::Note { text }).await
}

/// Marks the feedback complex (复杂件): the longer reply deadline applies.
#[server(endpoint = "feedback_complex")]
pub async fn mark_complex(number: FeedbackNumber) -> Result<(), AppError> {
    handler_step(number, service::HandlerAct::Complex).await
}

/// Hands the feedback to another handler, on record.
#[server(endpoint = "feedback_reassign")]
pub async fn reassign_feedback(number: FeedbackNumber, to: Option<i32>) -> Result<(), AppError> {
    handler_step(number, service::HandlerAct::Reassign { to }).await
}

/// Links the case the feedback is about, by the number the handler typed.
#[server(endpoint = "feedback_link_case")]
pub async fn link_case(number: FeedbackNumber, case: String) -> Result<(), AppError> {
    handler_step(number, service::HandlerAct::LinkCase { number: case }).await
}

/// Links the staff member the feedback is about.
#[server(endpoint = "feedback_link_staff")]
pub async fn link_staff(number: FeedbackNumber, to: Option<i32>) -> Result<(), AppError> {
    handler_step(number, service::HandlerAct::LinkStaff { to }).await
}

/// Closes the feedback (a complaint or suggestion once replied; praise at any time).
#[server(endpoint = "feedback_close")]
pub async fn close_feedback(number: FeedbackNumber, text: Option<String>) -> Result<(), AppError> {
    handler_step(number, service::HandlerAct::Close { text: text.unwrap_or_default() }).await
}

#[cfg(feature = "ssr")]
async fn handler_step(number: FeedbackNumber, act: service::HandlerAct) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Handler, crate::domain::Role::Chief]).await?;
            let state = auth::state()?;
            service::act(&state, &user, number.as_str(), &act, chrono::Utc::now()).await
        }
        .await,
    )
}

/// Adds a reply template.
#[server(endpoint = "reply_template_add")]
pub async fn add_reply_template(title: String, body: String) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Handler, crate::domain::Role::Chief]).await?;
            let state = auth::state()?;
            service::add_template(&state, &user, &title, &body, chrono::Utc::now()).await
        }
        .await,
    )
}

/// The chief allows (or stops) clerks reading feedback about their own cases.
#[server(endpoint = "feedback_clerk_access")]
pub async fn set_clerk_access(allow: bool) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Chief]).await?;
            let state = auth::state()?;
            service::set_clerks_see_feedback(&state, &user, allow).await
        }
        .await,
    )
}

/// The public 意见簿: suggestions whose authors allowed it, with their replies.
#[server(endpoint = "opinions")]
pub async fn public_opinions() -> Result<Vec<PublicOpinion>, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            service::public_opinions(&state.db).await
        }
        .await,
    )
}
