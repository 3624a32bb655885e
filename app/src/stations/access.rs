//! Acting for someone (帮办代办, ASVS 8.3.3): a helper acts for a resident only inside
//! a valid authorisation (委托) of that resident, and only while their station is open.
//!
//! Everything here is read from the database on every call — no copy in memory — so
//! a revoked or expired authorisation, a closed station or a helper moved elsewhere
//! ends the helper's access on the next request, on every app server.

use crate::domain::Role;
use crate::error::AppError;
use crate::ssr::auth::CurrentUser;
use crate::ssr::entities::{authorisation, case, station, user};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// States of an authorisation.
pub const PENDING: &str = "pending";
pub const AWAITING_PAPER: &str = "paper";
pub const ACTIVE: &str = "active";
pub const REFUSED: &str = "refused";
pub const REVOKED: &str = "revoked";

/// What the helper wants to do something with: one case, or a new case or booking of an item.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    Case { id: i32, item: &'a str },
    Item(&'a str),
}

/// How much of a case the caller may see from the applicant's side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseAccess {
    /// Everything the applicant sees and does.
    Full,
    /// Number, item and status only: a helper's filing after its authorisation ended.
    Summary,
    None,
}

/// Whether `a` covers `target`.
pub fn covers(a: &authorisation::Model, target: Target<'_>) -> bool {
    match (a.scope.as_str(), target) {
        ("case", Target::Case { id, .. }) => a.case_id == Some(id),
        ("items", Target::Case { item, .. } | Target::Item(item)) => a.item_codes.split_whitespace().any(|c| c == item),
        _ => false,
    }
}

/// Whether `a` is in force at `now`.
pub fn in_force(a: &authorisation::Model, now: DateTime<Utc>) -> bool {
    a.status == ACTIVE && a.valid_from <= now && now < a.valid_until
}

/// The open station `helper` works at now, read from the database (a move or a
/// closure takes effect on the next request). `None` for anyone else.
pub async fn helper_station(db: &impl ConnectionTrait, helper: &CurrentUser) -> Result<Option<station::Model>, AppError> {
    if helper.role != Role::Helper {
        return Ok(None);
    }
    let Some(me) = user::Entity::find_by_id(helper.id).one(db).await?.filter(|u| u.active) else { return Ok(None) };
    let Some(id) = me.station_id else { return Ok(None) };
    Ok(station::Entity::find_by_id(id).one(db).await?.filter(|s| s.closed_at.is_none()))
}

/// The authorisations of `resident` in force now that let `helper` act (named, or
/// their station as a whole), newest first.
pub async fn grants(db: &impl ConnectionTrait, helper: &CurrentUser, resident: i32, now: DateTime<Utc>) -> Result<Vec<authorisation::Model>, AppError> {
    let Some(station) = helper_station(db, helper).await? else { return Ok(Vec::new()) };
    Ok(authorisation::Entity::find()
        .filter(authorisation::Column::ResidentId.eq(resident))
        .filter(authorisation::Column::StationId.eq(station.id))
        .filter(authorisation::Column::Status.eq(ACTIVE))
        .filter(authorisation::Column::ValidFrom.lte(now))
        .filter(authorisation::Column::ValidUntil.gt(now))
        .filter(Condition::any().add(authorisation::Column::HelperId.is_null()).add(authorisation::Column::HelperId.eq(helper.id)))
        .order_by_desc(authorisation::Column::Id)
        .all(db)
        .await?)
}

/// The authorisation that lets `helper` act for `resident` on `target` now, if any.
pub async fn grant(
    db: &impl ConnectionTrait,
    helper: &CurrentUser,
    resident: i32,
    target: Target<'_>,
    now: DateTime<Utc>,
) -> Result<Option<authorisation::Model>, AppError> {
    Ok(grants(db, helper, resident, now).await?.into_iter().find(|a| covers(a, target)))
}

/// Like [`grant`], but "not found" when there is none: a refusal must not tell a
/// helper that the record exists.
pub async fn require_grant(
    db: &impl ConnectionTrait,
    helper: &CurrentUser,
    resident: i32,
    target: Target<'_>,
    now: DateTime<Utc>,
) -> Result<authorisation::Model, AppError> {
    grant(db, helper, resident, target, now).await?.ok_or(AppError::NotFound)
}

/// How much of `found` the caller sees as its applicant (or the applicant's helper).
pub async fn case_access(db: &impl ConnectionTrait, user: &CurrentUser, found: &case::Model, now: DateTime<Utc>) -> Result<CaseAccess, AppError> {
    Ok(match user.role {
        Role::Resident if found.applicant_id == Some(user.id) || (found.applicant_id.is_none() && found.filed_by == user.id) => CaseAccess::Full,
        Role::Helper => {
            let granted = match found.applicant_id {
                Some(resident) => grant(db, user, resident, Target::Case { id: found.id, item: &found.item_code }, now).await?.is_some(),
                None => false,
            };
            if granted {
                CaseAccess::Full
            } else if found.filed_by == user.id {
                CaseAccess::Summary
            } else {
                CaseAccess::None
            }
        }
        _ => CaseAccess::None,
    })
}

/// Whether the caller may act on a booking of `resident` for `item`: it is theirs, or
/// they are a helper with an authorisation in scope.
pub async fn acts_for(db: &impl ConnectionTrait, user: &CurrentUser, resident: i32, item: &str, now: DateTime<Utc>) -> Result<bool, AppError> {
    Ok(match user.role {
        Role::Resident => user.id == resident,
        Role::Helper => grant(db, user, resident, Target::Item(item), now).await?.is_some(),
        _ => false,
    })
}

/// 由「站名」帮办员「姓名」代办, for a record a helper made.
pub async fn assisted_by(db: &impl ConnectionTrait, helper_id: i32, station_id: Option<i32>) -> Result<Option<String>, AppError> {
    let Some(helper) = user::Entity::find_by_id(helper_id).one(db).await?.filter(|u| u.role == Role::Helper) else { return Ok(None) };
    let station = match station_id.or(helper.station_id) {
        Some(id) => station::Entity::find_by_id(id).one(db).await?.map(|s| s.name).unwrap_or_default(),
        None => String::new(),
    };
    Ok(Some(format!("由「{station}」帮办员「{}」代办", helper.name.unwrap_or_default())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn authorisation(scope: &str, case_id: Option<i32>, items: &str, status: &str) -> authorisation::Model {
        let now = Utc::now();
        authorisation::Model {
            id: 1,
            resident_id: 1,
            station_id: 1,
            helper_id: None,
            scope: scope.into(),
            case_id,
            item_codes: items.into(),
            valid_from: now - Duration::days(1),
            valid_until: now + Duration::days(1),
            method: "app".into(),
            status: status.into(),
            paper_file_id: None,
            created_by: 2,
            idempotency_key: "k".into(),
            created_at: now,
            decided_at: None,
            ended_at: None,
            ended_by: None,
        }
    }

    #[test]
    fn scope_is_one_case_or_a_list_of_items() {
        let one = authorisation("case", Some(7), "", ACTIVE);
        assert!(covers(&one, Target::Case { id: 7, item: "A" }));
        assert!(!covers(&one, Target::Case { id: 8, item: "A" }));
        assert!(!covers(&one, Target::Item("A")));
        let items = authorisation("items", None, "A B", ACTIVE);
        assert!(covers(&items, Target::Item("B")));
        assert!(covers(&items, Target::Case { id: 9, item: "A" }));
        assert!(!covers(&items, Target::Item("AB")));
    }

    #[test]
    fn only_active_authorisations_within_their_dates_are_in_force() {
        let now = Utc::now();
        assert!(in_force(&authorisation("items", None, "A", ACTIVE), now));
        assert!(!in_force(&authorisation("items", None, "A", PENDING), now));
        assert!(!in_force(&authorisation("items", None, "A", REVOKED), now));
        assert!(!in_force(&authorisation("items", None, "A", ACTIVE), now + Duration::days(2)));
    }
}
