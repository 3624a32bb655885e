//! Notes of bookings (预约): messages about booking days.

use super::{Arg, Lang};
use serde::{Deserialize, Serialize};

texts! {
    /// Notes of bookings (预约): messages about booking days.
    BookingNote {
        HolidayTitle => "预约日调整为节假日", "Your booking day is now a holiday";
        /// A live booking fell on a day made a holiday; `when` is its start as shown, `days`
        /// how much earlier than usual the resident may book again.
        Holiday { item: String, when: String, days: i64 } => "您预约的“{item}”（{when}）因节假日调整当天停止办理，不计爽约。您可优先预约（比平时提前{days}天开放），新预约成功后原预约自动取消。", "The day of your booking for “{item}” ({when}) is now a holiday, so there is no service that day; this does not count as a missed booking. You may book again ahead of others (up to {days} days earlier than usual); once the new booking is made, the old one is cancelled.";
    }
}
