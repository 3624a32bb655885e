//! Days a clerk is on leave (inclusive), during which their work routes to the backup.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_leave")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub clerk_id: i32,
    pub from_day: Date,
    pub to_day: Date,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
