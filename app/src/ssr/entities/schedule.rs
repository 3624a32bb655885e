//! A booking schedule: open weekdays, periods, slot length and capacity, and the items
//! that book into it.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "schedules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub window_id: Option<i32>,
    pub weekdays: String,
    pub periods: String,
    pub slot_minutes: i32,
    pub capacity: i32,
    pub item_codes: String,
    pub active: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
