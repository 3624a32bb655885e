//! A rating (好差评) of a case or a visit; round 2 rates the fix after a bad one.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ratings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: Option<i32>,
    pub booking_id: Option<i32>,
    pub round: i32,
    pub level: i32,
    pub tags: String,
    pub comment: String,
    pub rater_id: i32,
    pub recorded_by: i32,
    pub on_paper: bool,
    pub staff_id: Option<i32>,
    pub item_code: String,
    pub item_name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
