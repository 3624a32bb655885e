//! A rectification task (整改) opened by a bad rating.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rectifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub rating_id: i32,
    pub status: String,
    pub owner_id: Option<i32>,
    pub deadline: Date,
    pub callback_note: Option<String>,
    pub called_back_at: Option<DateTimeUtc>,
    pub fix_note: Option<String>,
    pub fixed_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
