//! 办件: one application for one service item.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub number: String,
    pub item_code: String,
    pub item_name: String,
    pub guide_version: i32,
    pub applicant_id: Option<i32>,
    pub filed_by: i32,
    pub station_id: Option<i32>,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub id_cipher: String,
    pub id_lookup: String,
    pub id_masked: String,
    pub notes: String,
    pub status: crate::domain::CaseStatus,
    pub window_id: Option<i32>,
    pub owner_id: Option<i32>,
    pub submitted_at: Option<DateTimeUtc>,
    pub accepted_at: Option<DateTimeUtc>,
    pub paused_at: Option<DateTimeUtc>,
    pub paused_from: Option<String>,
    pub deadline: Option<Date>,
    pub completed_at: Option<DateTimeUtc>,
    pub result: Option<String>,
    pub pickup: Option<String>,
    pub reason: Option<String>,
    pub idempotency_key: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The authorisation (委托) a helper filed it under.
    pub authorisation_id: Option<i32>,
    /// 送达服务站: the result reached the station.
    pub delivered_at: Option<DateTimeUtc>,
    /// 群众签收: the day the resident received it.
    pub received_on: Option<Date>,
    /// 回访: the station's follow-up call.
    pub followed_up_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
