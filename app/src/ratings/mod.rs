//! Ratings (好差评, DESIGN.md §3): residents rate a completed case or a served visit
//! once (一事一评), online or — through a station helper — on paper; a bad rating opens
//! a rectification task (整改) that a handler works through (回访, then 整改) before the
//! resident rates the fix. The rating figures (主动评价率, 满意率) are computed here.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod staff_pages;

use crate::error::AppError;
use crate::i18n::Msg;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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
    /// Of those, how many at each level, best first (as [`Level::ALL`]).
    pub levels: [u64; 5],
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

/// `part / whole` in percent, one decimal; `None` when `whole` is 0.
pub fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
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
