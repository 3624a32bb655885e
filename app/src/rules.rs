//! The center's configurable rules (see README, "Configuration"): read by the
//! configuration, shown on pages and applied by the services.

use serde::{Deserialize, Serialize};

/// Booking limits; defaults from DESIGN.md §4, each configurable (see README).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingRules {
    pub min_days_ahead: u32,
    pub max_days_ahead: u32,
    pub cancel_hours_before: u32,
    pub no_show_limit: u32,
    pub no_show_window_days: u32,
    pub suspend_days: u32,
}

impl Default for BookingRules {
    fn default() -> Self {
        BookingRules { min_days_ahead: 1, max_days_ahead: 7, cancel_hours_before: 2, no_show_limit: 2, no_show_window_days: 30, suspend_days: 30 }
    }
}

/// Periods and limits of ratings and feedback; defaults from the issue, each
/// configurable (see README).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackRules {
    /// Days after completion (or the visit) a rating is taken.
    pub rating_days: u32,
    /// Working days to put a bad rating right.
    pub rectify_days: u32,
    /// Working days to the first contact with the person who gave feedback.
    pub contact_days: u32,
    /// Working days to the reply, and for complex cases.
    pub reply_days: u32,
    pub complex_days: u32,
    /// Feedback one account may file in an hour.
    pub per_hour: u32,
}

impl Default for FeedbackRules {
    fn default() -> Self {
        FeedbackRules { rating_days: 15, rectify_days: 15, contact_days: 1, reply_days: 5, complex_days: 15, per_hour: 5 }
    }
}
