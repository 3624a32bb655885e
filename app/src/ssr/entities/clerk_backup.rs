//! AB岗: clerk A's backup B.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clerk_backups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub clerk_id: i32,
    pub backup_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
