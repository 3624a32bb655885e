//! Who works here, as other records name them: the clerks a window or a case can be
//! given to, and the name a timeline shows for a person.

use crate::domain::Role;
use crate::error::AppError;
use crate::ssr::auth::CurrentUser;
use crate::ssr::entities::user;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// Clerks a window or a case can be given to: (id, name).
pub async fn clerks(db: &impl ConnectionTrait) -> Result<Vec<(i32, String)>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::Role.eq(Role::Clerk))
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name.unwrap_or(u.phone)))
        .collect())
}

/// How a timeline names the person acting.
pub fn actor_name(user: &CurrentUser) -> String {
    let name = user.name.clone().unwrap_or_default();
    match user.role {
        Role::Resident => "申请人".to_owned(),
        Role::Helper => format!("帮办员{name}"),
        Role::Clerk => format!("窗口人员{name}"),
        Role::Chief => format!("首席事务代表{name}"),
        Role::Handler => format!("投诉处理员{name}"),
    }
}

/// A staff member's name, for records that name them.
pub async fn name_of(db: &impl ConnectionTrait, user_id: i32) -> Result<String, AppError> {
    Ok(user::Entity::find_by_id(user_id).one(db).await?.and_then(|u| u.name).unwrap_or_else(|| format!("工作人员{user_id}")))
}
