//! 委托: a resident lets a helper (or a whole station) act for them, for one case or
//! a list of items, until a date.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "authorisations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub resident_id: i32,
    pub station_id: i32,
    /// `None`: any helper of the station.
    pub helper_id: Option<i32>,
    pub scope: String,
    pub case_id: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub item_codes: String,
    pub valid_from: DateTimeUtc,
    pub valid_until: DateTimeUtc,
    pub method: String,
    pub status: String,
    pub paper_file_id: Option<i32>,
    pub created_by: i32,
    pub idempotency_key: String,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub ended_at: Option<DateTimeUtc>,
    pub ended_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
