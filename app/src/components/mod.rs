//! Shared components of the WeUI-style interface.

mod form;
mod icons;
mod layout;
mod live;
mod page;
mod timeline;

pub use form::{FieldCheck, FormError, SubmitButton, TextField, error_text, first_error, query_refusal, use_form_error};
pub use icons::Icon;
pub use layout::{Cell, CellGroup, EmptyState, MobilePage, Tab};
#[cfg(feature = "hydrate")]
pub(crate) use live::browser as live_browser;
pub use live::{LiveRegion, offline_id};
pub use page::{LoginRequired, StaffLayout, refused, set_status};
pub use timeline::{Timeline, TimelineEntry};
