//! The state of a queue ticket (排队号).

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// waiting → called → served, or no-show (过号).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum TicketStatus {
    Waiting,
    Called,
    Served,
    NoShow,
}

impl TicketStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Waiting => "waiting",
            TicketStatus::Called => "called",
            TicketStatus::Served => "served",
            TicketStatus::NoShow => "no_show",
        }
    }

    pub fn parse(s: &str) -> Option<TicketStatus> {
        [TicketStatus::Waiting, TicketStatus::Called, TicketStatus::Served, TicketStatus::NoShow].into_iter().find(|t| t.as_str() == s)
    }

    /// The name a user reads, in either language.
    pub fn msg(self) -> Msg {
        match self {
            TicketStatus::Waiting => Msg::TicketWaiting,
            TicketStatus::Called => Msg::TicketCalled,
            TicketStatus::Served => Msg::TicketServed,
            TicketStatus::NoShow => Msg::TicketNoShow,
        }
    }

    /// The Chinese name (logs, emails, audit).
    pub fn zh(self) -> &'static str {
        self.msg().zh()
    }
}
