//! A complaint, suggestion or praise (投诉建议).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "feedback")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub number: String,
    pub kind: crate::domain::FeedbackKind,
    pub source: crate::domain::Source,
    pub body: String,
    pub anonymous: bool,
    pub author_id: Option<i32>,
    pub author_key: String,
    pub entered_by: Option<i32>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub about_case_id: Option<i32>,
    pub about_staff_id: Option<i32>,
    pub about_station_id: Option<i32>,
    pub about_window_id: Option<i32>,
    pub complex: bool,
    pub status: crate::domain::FeedbackStatus,
    pub owner_id: Option<i32>,
    pub contact_due: Date,
    pub reply_due: Date,
    pub contacted_at: Option<DateTimeUtc>,
    pub replied_at: Option<DateTimeUtc>,
    pub reply: Option<String>,
    pub closed_at: Option<DateTimeUtc>,
    pub reopened: bool,
    pub reopen_reason: Option<String>,
    pub outcome_level: Option<i32>,
    pub publish_allowed: bool,
    #[sea_orm(unique)]
    pub submit_key: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
