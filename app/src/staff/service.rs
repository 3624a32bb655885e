//! Staff management services.

use super::{StaffMember, ValidStaff};
use crate::accounts::service::{NewUser, create_user};
use crate::domain::Choice;
use crate::domain::{PhoneNumber, Role};
use crate::error::AppError;
use crate::ssr::entities::{station, user};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// Everyone but residents, chief first.
#[tracing::instrument(skip_all)]
pub async fn list_staff(db: &DatabaseConnection) -> Result<Vec<StaffMember>, AppError> {
    let stations: HashMap<i32, String> = station::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let users = user::Entity::find().filter(user::Column::Role.ne(Role::Resident)).order_by_asc(user::Column::Id).all(db).await?;
    let mut staff: Vec<StaffMember> = users
        .into_iter()
        .map(|u| StaffMember {
            id: u.id,
            name: u.name.unwrap_or_default(),
            phone_masked: PhoneNumber::parse(&u.phone).map(|p| p.masked()).unwrap_or_default(),
            role: u.role,
            station: u.station_id.and_then(|id| stations.get(&id).cloned()),
            active: u.active,
        })
        .collect();
    staff.sort_by_key(|s| std::cmp::Reverse(s.role == Role::Chief));
    Ok(staff)
}

#[tracing::instrument(skip_all)]
pub async fn list_stations(db: &DatabaseConnection) -> Result<Vec<Choice>, AppError> {
    Ok(station::Entity::find().order_by_asc(station::Column::Id).all(db).await?.into_iter().map(|s| Choice { id: s.id, name: s.name }).collect())
}

#[tracing::instrument(skip(db, staff), fields(role = staff.role.as_str()))]
pub async fn create_staff(db: &DatabaseConnection, staff: ValidStaff, chief_id: i32) -> Result<user::Model, AppError> {
    let new = NewUser { phone: staff.phone, password: staff.password, name: Some(staff.name), email: None, role: staff.role, station_id: staff.station_id };
    create_user(db, new, Some(chief_id)).await
}
