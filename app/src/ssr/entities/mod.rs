//! sea-orm entities, one per table, named after the domain (DESIGN.md §3).

pub mod audit_log;
pub mod booking;
pub mod catalogue_import;
pub mod change_counter;
pub mod email_token;
pub mod holiday;
pub mod item;
pub mod item_version;
pub mod job_lease;
pub mod login_failure;
pub mod login_lock;
pub mod queue_ticket;
pub mod schedule;
pub mod session;
pub mod slot;
pub mod station;
pub mod stored_file;
pub mod user;
pub mod window;
