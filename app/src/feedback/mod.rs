//! Feedback (投诉建议) and ratings (好差评). Residents rate a completed case or a
//! served visit once (一事一评); a bad rating opens a rectification task that a
//! handler works through (call-back, fix) before the resident rates the fix. Residents
//! and helpers file complaints, suggestions and praise; staff enter what came on paper
//! or by phone; handlers own, reply to and close them within working-day deadlines.

#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod staff_pages;

use crate::components::TimelineEntry;
use crate::error::AppError;
use crate::i18n::Msg;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::{FeedbackKind, FeedbackNumber, FeedbackStatus, Source};

pub use crate::rules::FeedbackRules;

/// The five levels of 好差评, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Level {
    VerySatisfied,
    Satisfied,
    Basic,
    Unsatisfied,
    VeryUnsatisfied,
}

impl Level {
    pub const ALL: [Level; 5] = [Level::VerySatisfied, Level::Satisfied, Level::Basic, Level::Unsatisfied, Level::VeryUnsatisfied];

    /// Stored value: 5 (非常满意) … 1 (非常不满意).
    pub fn value(self) -> i32 {
        match self {
            Level::VerySatisfied => 5,
            Level::Satisfied => 4,
            Level::Basic => 3,
            Level::Unsatisfied => 2,
            Level::VeryUnsatisfied => 1,
        }
    }

    pub fn from_value(v: i32) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.value() == v)
    }

    /// The name a user reads, in either language.
    pub fn msg(self) -> Msg {
        match self {
            Level::VerySatisfied => Msg::LevelVerySatisfied,
            Level::Satisfied => Msg::LevelSatisfied,
            Level::Basic => Msg::LevelBasic,
            Level::Unsatisfied => Msg::LevelUnsatisfied,
            Level::VeryUnsatisfied => Msg::LevelVeryUnsatisfied,
        }
    }

    /// The Chinese name (logs, emails, audit).
    pub fn zh(self) -> &'static str {
        self.msg().zh()
    }

    /// 差评: opens a rectification task.
    pub fn is_bad(self) -> bool {
        matches!(self, Level::Unsatisfied | Level::VeryUnsatisfied)
    }
}

/// Tags a resident may add to a rating, as they are stored.
pub const TAGS: [&str; 4] = ["办事效率", "服务态度", "指南准确", "便捷程度"];

/// A stored rating tag in the reader's language (an unknown one as stored).
pub fn tag_text(tag: &str, tr: crate::i18n::Tr) -> String {
    let msg = match tag {
        "办事效率" => Msg::TagEfficiency,
        "服务态度" => Msg::TagAttitude,
        "指南准确" => Msg::TagGuideAccuracy,
        "便捷程度" => Msg::TagConvenience,
        other => return other.to_owned(),
    };
    tr.t(msg).to_owned()
}

/// Where a rectification task (整改) stands, by its stored status.
pub fn rectification_status(status: &str) -> Msg {
    match status {
        "open" => Msg::RectOpen,
        "called_back" => Msg::RectCalledBack,
        "fixed" => Msg::RectFixed,
        _ => Msg::RectDone,
    }
}

/// What is rated (一事一评): a completed case or a served visit. In URLs
/// (`/rate/case/BM…`, `/rate/visit/…`) and on the wire it is `case` or `visit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatingKind {
    Case,
    Visit,
}

impl RatingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RatingKind::Case => "case",
            RatingKind::Visit => "visit",
        }
    }

    pub fn parse(text: &str) -> Option<RatingKind> {
        [RatingKind::Case, RatingKind::Visit].into_iter().find(|k| k.as_str() == text)
    }
}

impl std::fmt::Display for RatingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A step of a rectification task (整改).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RectifyStep {
    /// 回访: what the resident said on the phone.
    CallBack,
    /// 整改: what was put right.
    Fix,
}

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

/// A rating as shown back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingView {
    pub level: Level,
    pub tags: Vec<String>,
    pub comment: String,
    pub on_paper: bool,
    pub at: String,
}

/// A rectification task (整改) as the resident or a handler sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RectificationView {
    pub id: i32,
    /// open, called_back, fixed, closed
    pub status: String,
    pub deadline: String,
    pub overdue: bool,
    pub item_name: String,
    /// What was rated, and the case number or booking code.
    pub target_kind: RatingKind,
    pub target: String,
    pub rating: RatingView,
    pub rerating: Option<RatingView>,
    pub callback_note: Option<String>,
    pub fix_note: Option<String>,
    /// Staff only: who rated (name and phone) and who is responsible.
    pub resident: Option<String>,
    pub staff: Option<String>,
    pub owner: Option<String>,
    pub can_call_back: bool,
    pub can_fix: bool,
}

/// What a resident may rate: a completed case or a served visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingTarget {
    pub kind: RatingKind,
    pub key: String,
    pub item_name: String,
    pub finished_at: String,
    /// The last day a rating is taken.
    pub open_until: String,
    pub rating: Option<RatingView>,
    pub can_rate: bool,
    /// A helper records the resident's paper rating.
    pub on_paper: bool,
    pub rectification: Option<RectificationView>,
    pub can_rate_fix: bool,
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

/// The rating figures (DESIGN.md §5) over a period, as counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingFigures {
    /// Cases completed in the period.
    pub completed: u64,
    /// Of those, the ones their resident rated.
    pub completed_rated: u64,
    /// First-round ratings (cases and visits) given in the period.
    pub ratings: u64,
    /// Of those, 基本满意 or better.
    pub satisfied: u64,
}

impl RatingFigures {
    /// 主动评价率 in percent, one decimal; `None` with nothing completed.
    pub fn evaluation_rate(&self) -> Option<f64> {
        percent(self.completed_rated, self.completed)
    }

    /// 满意率 in percent, one decimal.
    pub fn satisfaction(&self) -> Option<f64> {
        percent(self.satisfied, self.ratings)
    }
}

fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
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

/// A case (`key` its number) or visit (`key` the booking code) the caller may rate, with its rating and rectification so far.
#[server(endpoint = "rating_target")]
pub async fn get_rating_target(kind: RatingKind, key: String) -> Result<RatingTarget, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Resident, crate::domain::Role::Helper]).await?;
            let state = auth::state()?;
            service::rating_target(&state, &user, kind, &key, chrono::Utc::now()).await
        }
        .await,
    )
}

/// Rates a case or visit (round 1), or the fix after a bad rating (`fix=true`).
#[server(endpoint = "rate")]
pub async fn rate(
    kind: RatingKind,
    key: String,
    level: i32,
    comment: String,
    fix: Option<String>,
    tag_0: Option<String>,
    tag_1: Option<String>,
    tag_2: Option<String>,
    tag_3: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Resident, crate::domain::Role::Helper]).await?;
            let state = auth::state()?;
            let tags: Vec<String> = [tag_0, tag_1, tag_2, tag_3].into_iter().flatten().collect();
            let input = service::NewRating { kind, key, level, tags, comment, fix: fix.is_some_and(|f| f == "true") };
            service::rate(&state, &user, &input, chrono::Utc::now()).await?;
            leptos_axum::redirect(&format!("/rate/{}/{}", input.kind, input.key));
            Ok(())
        }
        .await,
    )
}

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

/// One rectification task, for handlers and the chief.
#[server(endpoint = "rectification")]
pub async fn get_rectification(id: i32) -> Result<RectificationView, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Handler, crate::domain::Role::Chief]).await?;
            let state = auth::state()?;
            service::rectification_view(&state, &user, id, chrono::Utc::now()).await
        }
        .await,
    )
}

/// 回访: records the call back to the resident on a rectification task.
#[server(endpoint = "rectification_callback")]
pub async fn call_back(id: i32, text: String) -> Result<(), AppError> {
    rectification_step(id, RectifyStep::CallBack, text).await
}

/// 整改: records what was put right; the resident is asked to rate the fix.
#[server(endpoint = "rectification_fix")]
pub async fn record_fix(id: i32, text: String) -> Result<(), AppError> {
    rectification_step(id, RectifyStep::Fix, text).await
}

#[cfg(feature = "ssr")]
async fn rectification_step(id: i32, step: RectifyStep, text: String) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[crate::domain::Role::Handler, crate::domain::Role::Chief]).await?;
            let state = auth::state()?;
            service::rectify(&state, &user, id, step, &text, chrono::Utc::now()).await
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
