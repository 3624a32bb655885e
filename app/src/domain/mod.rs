//! Domain newtypes (领域类型). Each parses once, is shared by the server and the
//! browser (so the browser checks input with the same code before it submits),
//! and carries its unit tests.

mod booking_status;
mod case_number;
mod case_status;
mod email;
mod id_card;
mod password;
mod person_name;
mod phone;
mod role;
mod ticket_status;

pub use booking_status::BookingStatus;
pub use case_number::CaseNumber;
pub use case_status::CaseStatus;
pub use email::EmailAddress;
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
