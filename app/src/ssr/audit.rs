//! Writing the audit log (审计日志). There is deliberately no update or delete here.

use super::entities::audit_log;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

/// One audit entry: `actor` did `action` to `entity`/`entity_id`, possibly on behalf
/// of another user (a helper for a resident).
pub struct Entry<'a> {
    pub actor_id: Option<i32>,
    pub on_behalf_of: Option<i32>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub detail: serde_json::Value,
}

pub async fn record(db: &impl ConnectionTrait, entry: Entry<'_>) -> Result<(), DbErr> {
    audit_log::Entity::insert(audit_log::ActiveModel {
        at: Set(chrono::Utc::now()),
        actor_id: Set(entry.actor_id),
        on_behalf_of: Set(entry.on_behalf_of),
        action: Set(entry.action.to_owned()),
        entity: Set(entry.entity.to_owned()),
        entity_id: Set(entry.entity_id),
        detail: Set(entry.detail.to_string()),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}
