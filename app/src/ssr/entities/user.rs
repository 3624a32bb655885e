//! 用户: a resident, helper or staff member.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub phone: String,
    pub password_hash: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub email_verified_at: Option<DateTimeUtc>,
    pub role: crate::domain::Role,
    pub station_id: Option<i32>,
    pub lang: String,
    pub elder_mode: bool,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
