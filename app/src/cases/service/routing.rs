//! AB岗 administration: who backs up whom, and leave.

use super::*;

// ---- AB岗 administration ------------------------------------------------------------

#[tracing::instrument(skip_all)]
pub async fn ab_admin(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<AbAdmin, AppError> {
    let clerks = crate::ssr::directory::clerks(db).await?;
    let names: HashMap<i32, String> = clerks.iter().cloned().collect();
    let backups: HashMap<i32, i32> = clerk_backup::Entity::find().all(db).await?.into_iter().map(|b| (b.clerk_id, b.backup_id)).collect();
    let leave = staff_leave::Entity::find().filter(staff_leave::Column::ToDay.gte(cst_today(now))).order_by_asc(staff_leave::Column::FromDay).all(db).await?;
    Ok(AbAdmin {
        pairs: clerks.iter().map(|(id, name)| (*id, name.clone(), backups.get(id).copied(), backups.get(id).and_then(|b| names.get(b).cloned()))).collect(),
        leave: leave.into_iter().map(|l| (l.id, names.get(&l.clerk_id).cloned().unwrap_or_default(), l.from_day.to_string(), l.to_day.to_string())).collect(),
        clerks,
    })
}

pub(super) async fn require_clerk(db: &impl ConnectionTrait, id: i32) -> Result<user::Model, AppError> {
    user::Entity::find_by_id(id).one(db).await?.filter(|u| u.role == Role::Clerk && u.active).ok_or_else(|| AppError::refused(CaseReason::ChooseActiveClerk))
}

/// Sets clerk A's backup B (or clears it).
#[tracing::instrument(skip_all)]
pub async fn set_backup(db: &DatabaseConnection, chief: &CurrentUser, clerk: i32, backup: Option<i32>) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    require_clerk(&txn, clerk).await?;
    clerk_backup::Entity::delete_by_id(clerk).exec(&txn).await?;
    if let Some(backup) = backup {
        if backup == clerk {
            return Err(AppError::refused(CaseReason::BackupNotSelf));
        }
        require_clerk(&txn, backup).await?;
        clerk_backup::ActiveModel { clerk_id: Set(clerk), backup_id: Set(backup) }.insert(&txn).await?;
    }
    audit::record(
        &txn,
        Entry {
            actor_id: Some(chief.id),
            on_behalf_of: None,
            action: "ab.pair",
            entity: "user",
            entity_id: Some(clerk.to_string()),
            detail: json!({ "backup": backup }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Records leave from `from` to `to` (inclusive, `YYYY-MM-DD`).
#[tracing::instrument(skip_all)]
pub async fn add_leave(db: &DatabaseConnection, chief: &CurrentUser, clerk: i32, from: &str, to: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let parse = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| AppError::refused(Common::DateFormat));
    let (from, to) = (parse(from)?, parse(to)?);
    if to < from {
        return Err(AppError::refused(Common::EndBeforeStart));
    }
    let txn = begin_write(db).await?;
    require_clerk(&txn, clerk).await?;
    if clerk_backup::Entity::find_by_id(clerk).one(&txn).await?.is_none() {
        return Err(AppError::refused(CaseReason::BackupFirst));
    }
    staff_leave::ActiveModel {
        clerk_id: Set(clerk),
        from_day: Set(from),
        to_day: Set(to),
        created_by: Set(chief.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Entry {
            actor_id: Some(chief.id),
            on_behalf_of: None,
            action: "ab.leave",
            entity: "user",
            entity_id: Some(clerk.to_string()),
            detail: json!({ "from": from.to_string(), "to": to.to_string() }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Ends a leave record (the clerk is back): their work routes back at once.
#[tracing::instrument(skip_all)]
pub async fn remove_leave(db: &DatabaseConnection, chief: &CurrentUser, id: i32) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let row = staff_leave::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    staff_leave::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        Entry {
            actor_id: Some(chief.id),
            on_behalf_of: None,
            action: "ab.leave.end",
            entity: "user",
            entity_id: Some(row.clerk_id.to_string()),
            detail: json!({ "from": row.from_day.to_string() }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Demo AB pair: the demo clerk backed up by a second demo clerk (idempotent).
#[tracing::instrument(skip_all)]
pub async fn seed_demo_backup(db: &DatabaseConnection) -> Result<(), AppError> {
    let clerks = crate::ssr::directory::clerks(db).await?;
    if let [(a, _), (b, _), ..] = clerks.as_slice()
        && clerk_backup::Entity::find_by_id(*a).one(db).await?.is_none()
    {
        clerk_backup::ActiveModel { clerk_id: Set(*a), backup_id: Set(*b) }.insert(db).await?;
    }
    Ok(())
}
