//! 便民服务站: a village or community service station.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub name: String,
    pub address: String,
    pub created_at: DateTimeUtc,
    /// The village or community (村/社区) it serves.
    pub village: String,
    pub phone: String,
    /// Opening hours as shown to residents, e.g. 周一至周五 8:30-12:00 14:00-17:30.
    pub hours: String,
    /// Space-separated item codes it handles; `None` is every helper-eligible item.
    #[sea_orm(column_type = "Text", nullable)]
    pub item_codes: Option<String>,
    /// Closed stations keep their history; their helpers can no longer act.
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
