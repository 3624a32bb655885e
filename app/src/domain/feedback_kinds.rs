//! What feedback (投诉建议) is, where it came in and where it stands.

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum FeedbackKind {
    Complaint,
    Suggestion,
    Praise,
}

impl FeedbackKind {
    pub const ALL: [FeedbackKind; 3] = [FeedbackKind::Complaint, FeedbackKind::Suggestion, FeedbackKind::Praise];

    pub fn as_str(self) -> &'static str {
        match self {
            FeedbackKind::Complaint => "complaint",
            FeedbackKind::Suggestion => "suggestion",
            FeedbackKind::Praise => "praise",
        }
    }

    pub fn parse(s: &str) -> Option<FeedbackKind> {
        FeedbackKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The name a user reads, in either language.
    pub fn msg(self) -> Msg {
        match self {
            FeedbackKind::Complaint => Msg::KindComplaint,
            FeedbackKind::Suggestion => Msg::KindSuggestion,
            FeedbackKind::Praise => Msg::KindPraise,
        }
    }

    /// The Chinese name (logs, emails, audit).
    pub fn zh(self) -> &'static str {
        self.msg().zh()
    }
}

/// Where feedback came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum Source {
    Online,
    Paper,
    Box,
    Phone,
}

impl Source {
    pub const ALL: [Source; 4] = [Source::Online, Source::Paper, Source::Box, Source::Phone];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Online => "online",
            Source::Paper => "paper",
            Source::Box => "box",
            Source::Phone => "phone",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The name a user reads, in either language.
    pub fn msg(self) -> Msg {
        match self {
            Source::Online => Msg::SourceOnline,
            Source::Paper => Msg::SourcePaper,
            Source::Box => Msg::SourceBox,
            Source::Phone => Msg::SourcePhone,
        }
    }

    /// The Chinese name (logs, emails, audit).
    pub fn zh(self) -> &'static str {
        self.msg().zh()
    }
}

/// submitted → assigned → replied → closed; replied → reopened (once) → replied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum FeedbackStatus {
    Submitted,
    Assigned,
    Replied,
    Reopened,
    Closed,
}

impl FeedbackStatus {
    pub const ALL: [FeedbackStatus; 5] =
        [FeedbackStatus::Submitted, FeedbackStatus::Assigned, FeedbackStatus::Replied, FeedbackStatus::Reopened, FeedbackStatus::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            FeedbackStatus::Submitted => "submitted",
            FeedbackStatus::Assigned => "assigned",
            FeedbackStatus::Replied => "replied",
            FeedbackStatus::Reopened => "reopened",
            FeedbackStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<FeedbackStatus> {
        FeedbackStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The name a user reads, in either language.
    pub fn msg(self) -> Msg {
        match self {
            FeedbackStatus::Submitted => Msg::FeedbackSubmitted,
            FeedbackStatus::Assigned => Msg::FeedbackAssigned,
            FeedbackStatus::Replied => Msg::FeedbackReplied,
            FeedbackStatus::Reopened => Msg::FeedbackReopened,
            FeedbackStatus::Closed => Msg::FeedbackClosed,
        }
    }

    /// The Chinese name (logs, emails, audit).
    pub fn zh(self) -> &'static str {
        self.msg().zh()
    }

    /// Still waiting for a reply from the center.
    pub fn awaits_reply(self) -> bool {
        matches!(self, FeedbackStatus::Submitted | FeedbackStatus::Assigned | FeedbackStatus::Reopened)
    }
}
