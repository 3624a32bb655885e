//! The state of a queue ticket (排队号).

use serde::{Deserialize, Serialize};

/// waiting → called → served, or no-show (过号).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

    pub fn zh(self) -> &'static str {
        match self {
            TicketStatus::Waiting => "排队中",
            TicketStatus::Called => "请到窗口办理",
            TicketStatus::Served => "已办结",
            TicketStatus::NoShow => "已过号",
        }
    }
}
