//! 取号: a place in the hall's queue.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "queue_tickets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub day: Date,
    pub number: String,
    pub booking_id: Option<i32>,
    pub resident_id: Option<i32>,
    pub label: String,
    pub priority: bool,
    pub sort_at: DateTimeUtc,
    pub status: crate::domain::TicketStatus,
    pub window_id: Option<i32>,
    pub recalls: i32,
    pub created_at: DateTimeUtc,
    pub called_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
