//! sea-orm entities, one per table, named after the domain (DESIGN.md §3).

pub mod audit_log;
pub mod catalogue_import;
pub mod email_token;
pub mod item;
pub mod item_version;
pub mod login_failure;
pub mod login_lock;
pub mod session;
pub mod station;
pub mod user;
