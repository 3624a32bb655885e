//! Shared components of the WeUI-style interface.

mod form;
mod icons;
mod layout;
mod live;

pub use form::{FieldCheck, FormError, SubmitButton, TextField, error_text, use_form_error};
pub use icons::Icon;
pub use layout::{Cell, CellGroup, EmptyState, MobilePage, Tab};
pub use live::{LiveRegion, offline_id};
#[cfg(feature = "hydrate")]
pub(crate) use live::browser as live_browser;
