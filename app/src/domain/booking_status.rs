//! Where a booking (预约) stands.

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// booked → checked in → called → served, or cancelled, or no-show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum BookingStatus {
    Booked,
    CheckedIn,
    Called,
    Served,
    Cancelled,
    NoShow,
}

impl BookingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Booked => "booked",
            BookingStatus::CheckedIn => "checked_in",
            BookingStatus::Called => "called",
            BookingStatus::Served => "served",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::NoShow => "no_show",
        }
    }

    pub fn parse(s: &str) -> Option<BookingStatus> {
        [BookingStatus::Booked, BookingStatus::CheckedIn, BookingStatus::Called, BookingStatus::Served, BookingStatus::Cancelled, BookingStatus::NoShow]
            .into_iter()
            .find(|st| st.as_str() == s)
    }

    /// The name a user reads, in either language.
    pub fn msg(self) -> Msg {
        match self {
            BookingStatus::Booked => Msg::BookingBooked,
            BookingStatus::CheckedIn => Msg::BookingCheckedIn,
            BookingStatus::Called => Msg::BookingCalled,
            BookingStatus::Served => Msg::BookingServed,
            BookingStatus::Cancelled => Msg::BookingCancelled,
            BookingStatus::NoShow => Msg::BookingNoShow,
        }
    }

    /// The Chinese name (logs, emails, audit).
    pub fn zh(self) -> &'static str {
        self.msg().zh()
    }
}
