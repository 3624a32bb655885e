//! Where a case (办件) stands: DESIGN.md §3.

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// draft → submitted → accepted → processing → completed; supplement requested (and
/// back on resubmission), rejected, withdrawn. See DESIGN.md §3.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum CaseStatus {
    Draft,
    Submitted,
    Accepted,
    Processing,
    SupplementRequested,
    Completed,
    Rejected,
    Withdrawn,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 8] = [
        CaseStatus::Draft,
        CaseStatus::Submitted,
        CaseStatus::Accepted,
        CaseStatus::Processing,
        CaseStatus::SupplementRequested,
        CaseStatus::Completed,
        CaseStatus::Rejected,
        CaseStatus::Withdrawn,
    ];

    /// Statuses the center is working on (they have or will get a deadline).
    pub const OPEN: [CaseStatus; 4] = [CaseStatus::Submitted, CaseStatus::Accepted, CaseStatus::Processing, CaseStatus::SupplementRequested];

    pub const fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Draft => "draft",
            CaseStatus::Submitted => "submitted",
            CaseStatus::Accepted => "accepted",
            CaseStatus::Processing => "processing",
            CaseStatus::SupplementRequested => "supplement_requested",
            CaseStatus::Completed => "completed",
            CaseStatus::Rejected => "rejected",
            CaseStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The name a user reads, in either language.
    pub fn msg(self) -> Msg {
        match self {
            CaseStatus::Draft => Msg::CaseDraft,
            CaseStatus::Submitted => Msg::CaseSubmitted,
            CaseStatus::Accepted => Msg::CaseAccepted,
            CaseStatus::Processing => Msg::CaseProcessing,
            CaseStatus::SupplementRequested => Msg::CaseSupplementRequested,
            CaseStatus::Completed => Msg::CaseCompleted,
            CaseStatus::Rejected => Msg::CaseRejected,
            CaseStatus::Withdrawn => Msg::CaseWithdrawn,
        }
    }

    /// The Chinese name (logs, emails, audit).
    pub fn zh(self) -> &'static str {
        self.msg().zh()
    }

    pub fn is_open(self) -> bool {
        CaseStatus::OPEN.contains(&self)
    }
}
