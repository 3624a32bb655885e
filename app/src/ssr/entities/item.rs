//! 事项: a service item, with the searchable fields of its current guide version.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub current_version: i32,
    pub name: String,
    pub category: String,
    pub keywords: String,
    pub level: String,
    pub bookable: bool,
    pub helper_eligible: bool,
    pub online: bool,
    pub high_frequency: bool,
    pub promised_days: i32,
    pub published: bool,
    pub search_pinyin: String,
    pub search_initials: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
