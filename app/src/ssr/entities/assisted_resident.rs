//! A resident a helper registered without an account (no phone, or no login yet).
//! The person is a `users` row that cannot sign in; their ID is in their applicant
//! profile. When they sign up, staff confirm the claim and their records move over.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assisted_residents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    pub contact_phone: Option<String>,
    pub address: String,
    pub registered_by: i32,
    pub station_id: i32,
    pub created_at: DateTimeUtc,
    /// The account that asked to take these records over.
    pub claim_account_id: Option<i32>,
    pub claim_requested_at: Option<DateTimeUtc>,
    pub claimed_at: Option<DateTimeUtc>,
    pub confirmed_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
