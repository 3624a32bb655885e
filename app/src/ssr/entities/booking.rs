//! 预约: one resident, one slot, one item.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bookings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub resident_id: i32,
    pub booked_by: i32,
    pub item_code: String,
    pub item_name: String,
    pub slot_id: i32,
    pub day: Date,
    pub starts_at: DateTimeUtc,
    pub channel: crate::domain::Channel,
    pub station_id: Option<i32>,
    pub status: crate::domain::BookingStatus,
    pub idempotency_key: String,
    pub created_at: DateTimeUtc,
    pub cancelled_at: Option<DateTimeUtc>,
    pub checked_in_at: Option<DateTimeUtc>,
    pub reminder_sent_at: Option<DateTimeUtc>,
    pub video_link: Option<String>,
    pub video_at: Option<DateTimeUtc>,
    /// The station recorded the resident as absent.
    pub absent_at: Option<DateTimeUtc>,
    /// When the chief told the resident their day was made a holiday.
    pub affected_notice_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
