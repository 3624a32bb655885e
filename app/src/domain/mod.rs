//! Domain newtypes (领域类型). Each parses once, is shared by the server and the
//! browser (so the browser checks input with the same code before it submits),
//! and carries its unit tests.

mod booking_status;
mod case_number;
mod case_status;
mod channel;
mod email;
mod feedback_kinds;
mod id_card;
mod password;
mod person_name;
mod phone;
mod role;
mod ticket_status;

pub use booking_status::BookingStatus;
pub use case_number::{CaseNumber, FeedbackNumber};
pub use case_status::CaseStatus;
pub use channel::Channel;
pub use email::EmailAddress;
pub use feedback_kinds::{FeedbackKind, FeedbackStatus, Source};
pub use id_card::IdCardNumber;
pub use password::Password;
pub use person_name::PersonName;
pub use phone::PhoneNumber;
pub use role::Role;
pub use ticket_status::TicketStatus;

/// One entry of a pick list: a station, a clerk, a window.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Choice {
    pub id: i32,
    pub name: String,
}

/// The enums stored in columns (sea-orm's `DeriveActiveEnum`) keep the stored form
/// their `as_str` gives on the wire, in URLs and in audit details.
#[cfg(all(test, feature = "ssr"))]
mod stored_forms {
    use super::*;
    use sea_orm::{ActiveEnum, Iterable};

    fn same<E: ActiveEnum<Value = String> + Iterable + Copy + std::fmt::Debug>(as_str: fn(E) -> &'static str) {
        for value in E::iter() {
            assert_eq!(value.to_value(), as_str(value), "{value:?}");
            assert_eq!(E::try_from_value(&as_str(value).to_owned()).ok().map(as_str), Some(as_str(value)));
        }
    }

    #[test]
    fn every_column_enum_is_stored_as_its_wire_form() {
        same(BookingStatus::as_str);
        same(CaseStatus::as_str);
        same(Channel::as_str);
        same(FeedbackKind::as_str);
        same(FeedbackStatus::as_str);
        same(Role::as_str);
        same(Source::as_str);
        same(TicketStatus::as_str);
    }
}
