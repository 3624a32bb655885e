//! Account services: registration, login with throttling, sessions, profile,
//! preferences, email verification. Each takes the database and is tested directly
//! on SQLite and PostgreSQL.

use super::{Me, ValidRegistration};
use crate::domain::{EmailAddress, Password, PersonName, PhoneNumber, Role};
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::ssr::audit::{self, Entry};
pub use crate::ssr::auth::{Resolved, resolve_session};
use crate::ssr::config::Config;
use crate::ssr::crypto::{hash_password, random_token, token_hash, verify_password};
use crate::ssr::db::{begin_write, on_unique};
use crate::ssr::entities::{email_token, session, station, user};
use crate::ssr::freshness;
use crate::ssr::mailer::{Email, Mailer};
use crate::ssr::throttle;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;

/// A new account, already validated.
#[derive(Debug)]
pub struct NewUser {
    pub phone: PhoneNumber,
    pub password: Password,
    pub name: Option<PersonName>,
    pub email: Option<EmailAddress>,
    pub role: Role,
    pub station_id: Option<i32>,
}

/// Inserts a user inside `txn` and records it in the audit log.
async fn insert_user(txn: &impl ConnectionTrait, new: &NewUser, password_hash: String, actor: Option<i32>) -> Result<user::Model, AppError> {
    if new.role == Role::Helper && new.station_id.is_none() {
        return Err(AppError::field("station_id", Msg::ErrStationRequired));
    }
    if let Some(id) = new.station_id
        && station::Entity::find_by_id(id).one(txn).await?.is_none()
    {
        return Err(AppError::field("station_id", Msg::ErrStationInvalid));
    }
    let now = Utc::now();
    let inserted = user::ActiveModel {
        phone: Set(new.phone.to_string()),
        password_hash: Set(password_hash),
        name: Set(new.name.as_ref().map(|n| n.to_string())),
        email: Set(new.email.as_ref().map(|e| e.to_string())),
        email_verified_at: Set(None),
        role: Set(new.role),
        station_id: Set(if new.role == Role::Helper { new.station_id } else { None }),
        lang: Set(Lang::Zh.code().to_owned()),
        elder_mode: Set(false),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await;
    let user = on_unique(inserted, "phone", Msg::ErrPhoneTaken)?;
    audit::record(
        txn,
        Entry {
            actor_id: actor.or(Some(user.id)),
            on_behalf_of: None,
            action: "user.create",
            entity: "user",
            entity_id: Some(user.id.to_string()),
            detail: json!({ "role": user.role, "station_id": user.station_id }),
        },
    )
    .await?;
    Ok(user)
}

/// Creates any account (chief console, CLI, demo seed).
#[tracing::instrument(skip(db, new), fields(role = new.role.as_str()))]
pub async fn create_user(db: &DatabaseConnection, new: NewUser, actor: Option<i32>) -> Result<user::Model, AppError> {
    let hash = hash_password(&new.password).await?;
    let txn = begin_write(db).await?;
    let user = insert_user(&txn, &new, hash, actor).await?;
    txn.commit().await?;
    Ok(user)
}

/// Self-registration of a resident from address `addr`. Returns the user and a new
/// session token; sends the welcome email (with a verification link) after the commit
/// when an address was given. Each address may register `register_per_hour` accounts
/// an hour, counted atomically before the password is hashed.
#[tracing::instrument(skip_all)]
pub async fn register_resident(
    db: &DatabaseConnection,
    config: &Config,
    mailer: &Mailer,
    form: ValidRegistration,
    addr: &str,
) -> Result<(user::Model, String), AppError> {
    let key = format!("register:{}", throttle::address(addr));
    if throttle::hit(db, &key, Duration::hours(1), Utc::now()).await?.hits > config.register_per_hour {
        return Err(AppError::TooManyRequests(Msg::ErrRegisterLimited));
    }
    let new = NewUser { phone: form.phone, password: form.password, name: form.name, email: form.email, role: Role::Resident, station_id: None };
    let hash = hash_password(&new.password).await?;
    let txn = begin_write(db).await?;
    let user = insert_user(&txn, &new, hash, None).await?;
    let verify_token = match &new.email {
        Some(email) => Some(insert_email_token(&txn, config, user.id, email).await?),
        None => None,
    };
    let session_token = insert_session(&txn, config, user.id).await?;
    txn.commit().await?;

    if let (Some(email), Some(token)) = (&new.email, verify_token) {
        let name = display_name(&user);
        let verify_url = format!("{}/verify-email?token={token}", config.public_url);
        mailer.send_logged(email, &Email::Welcome { name, verify_url }, Lang::parse(&user.lang).unwrap_or_default()).await;
    }
    Ok((user, session_token))
}

fn display_name(user: &user::Model) -> String {
    user.name.clone().unwrap_or_else(|| PhoneNumber::parse(&user.phone).map(|p| p.masked()).unwrap_or_default())
}

async fn insert_email_token(txn: &impl ConnectionTrait, config: &Config, user_id: i32, email: &EmailAddress) -> Result<String, AppError> {
    let token = random_token();
    email_token::ActiveModel {
        token_hash: Set(token_hash(config.secret_key.expose(), &token)),
        user_id: Set(user_id),
        email: Set(email.to_string()),
        expires_at: Set(Utc::now() + Duration::hours(48)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(token)
}

#[tracing::instrument(skip_all)]
pub async fn insert_session(txn: &impl ConnectionTrait, config: &Config, user_id: i32) -> Result<String, AppError> {
    let token = random_token();
    let now = Utc::now();
    session::ActiveModel {
        token_hash: Set(token_hash(config.secret_key.expose(), &token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + Duration::from_std(config.session_absolute).unwrap_or(Duration::days(60))),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(token)
}

/// The account part of a throttle key: the phone number as typed, normalised when it
/// parses (an unknown or malformed number is throttled like a real one).
fn account_key(phone: &str) -> String {
    PhoneNumber::parse(phone).map(|p| p.to_string()).unwrap_or_else(|_| phone.trim().chars().take(32).collect())
}

/// The throttle key of one account tried from one address: five failures lock this
/// pair only. A stranger's wrong passwords never lock the owner out from another
/// address, nor other residents out from a shared address (a village station, a
/// mobile carrier's NAT).
pub const LOGIN_PAIR: &str = "login:";
/// The throttle key of an address's failures over all accounts: past a few, every try
/// from it waits a growing delay (slowed, never refused).
const LOGIN_ADDR: &str = "login-addr:";

fn pair_key(phone: &str, addr: &str) -> String {
    format!("{LOGIN_PAIR}{}|{}", account_key(phone), throttle::address(addr))
}

/// How long a try from an address with `failures` recent failures waits first.
#[tracing::instrument(skip_all)]
pub fn address_delay(config: &Config, failures: i32) -> std::time::Duration {
    let over = failures - config.login_slow_after;
    if over <= 0 {
        return std::time::Duration::ZERO;
    }
    let factor = 1u32 << (over - 1).min(16) as u32;
    config.login_delay.saturating_mul(factor).min(config.login_delay_max)
}

/// Logs in with phone and password from address `addr`.
///
/// Each try first counts itself against the account-and-address pair in one atomic
/// statement; past `login_max_failures` in the lock period the pair is refused before
/// any password is checked, however many tries arrive at once. A success clears the
/// pair. Failures also count against the address, which slows every later try from it.
#[tracing::instrument(skip(db, config, password))]
pub async fn login(db: &DatabaseConnection, config: &Config, phone: &str, password: String, addr: &str) -> Result<(user::Model, String), AppError> {
    let window = Duration::from_std(config.login_lock).unwrap_or(Duration::minutes(15));
    let max = i32::try_from(config.login_max_failures).unwrap_or(i32::MAX);
    let pair = pair_key(phone, addr);
    let address = format!("{LOGIN_ADDR}{}", throttle::address(addr));
    let now = Utc::now();
    let try_number = throttle::hit(db, &pair, window, now).await?.hits;
    if try_number > max {
        return Err(AppError::TooManyRequests(Msg::ErrLoginLocked));
    }
    let delay = address_delay(config, throttle::peek(db, &address, window, now).await?);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }

    let found = match PhoneNumber::parse(phone) {
        Ok(phone) => user::Entity::find().filter(user::Column::Phone.eq(phone.as_str())).filter(user::Column::Active.eq(true)).one(db).await?,
        Err(_) => None,
    };
    let verified = verify_password(found.as_ref().map(|u| u.password_hash.clone()), password).await?;
    let user = match (found, verified) {
        (Some(user), true) => user,
        _ => {
            throttle::hit(db, &address, window, Utc::now()).await?;
            // The try that used up the last chance says so.
            return Err(if try_number >= max { AppError::TooManyRequests(Msg::ErrLoginLocked) } else { AppError::Unauthorized(Msg::ErrLoginFailed) });
        }
    };

    let txn = begin_write(db).await?;
    throttle::clear(&txn, &pair).await?;
    let token = insert_session(&txn, config, user.id).await?;
    audit::record(
        &txn,
        Entry {
            actor_id: Some(user.id),
            on_behalf_of: None,
            action: "user.login",
            entity: "user",
            entity_id: Some(user.id.to_string()),
            detail: json!({ "addr": addr }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((user, token))
}

/// The account-and-address pairs locked now, newest first (at most 200). Each is
/// named by a keyed hash of its key, so the page never carries the full phone number.
#[tracing::instrument(skip_all)]
pub async fn login_locks(db: &DatabaseConnection, config: &Config, now: DateTime<Utc>) -> Result<Vec<super::LoginLock>, AppError> {
    let window = Duration::from_std(config.login_lock).unwrap_or(Duration::minutes(15));
    let max = i32::try_from(config.login_max_failures).unwrap_or(i32::MAX);
    let rows = throttle::over_limit(db, LOGIN_PAIR, max, window, now, 200).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let (account, addr) = row.key[LOGIN_PAIR.len()..].split_once('|').unwrap_or((&row.key[LOGIN_PAIR.len()..], ""));
            let phone_masked = PhoneNumber::parse(account).map(|p| p.masked()).unwrap_or_else(|_| "（无效号码）".to_owned());
            super::LoginLock { id: lock_id(config, &row.key), until: crate::time::format_cst(row.window_start + window), phone_masked, addr: addr.to_owned() }
        })
        .collect())
}

fn lock_id(config: &Config, key: &str) -> String {
    token_hash(config.secret_key.expose(), key)[..24].to_owned()
}

/// Lifts the login lock named `id` (chief only; audited). "Not found" when no such
/// lock holds now.
#[tracing::instrument(skip(db, config))]
pub async fn lift_login_lock(db: &DatabaseConnection, config: &Config, id: &str, chief: i32) -> Result<(), AppError> {
    let window = Duration::from_std(config.login_lock).unwrap_or(Duration::minutes(15));
    let max = i32::try_from(config.login_max_failures).unwrap_or(i32::MAX);
    let locked = throttle::over_limit(db, LOGIN_PAIR, max, window, Utc::now(), 200).await?;
    let row = locked.into_iter().find(|row| lock_id(config, &row.key) == id).ok_or(AppError::NotFound)?;
    let txn = begin_write(db).await?;
    throttle::clear(&txn, &row.key).await?;
    audit::record(
        &txn,
        Entry { actor_id: Some(chief), on_behalf_of: None, action: "user.login_unlock", entity: "throttle", entity_id: Some(id.to_owned()), detail: json!({}) },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Ends one session, on every server (see [`crate::ssr::session_cache`]).
#[tracing::instrument(skip_all)]
pub async fn logout(db: &DatabaseConnection, session_id: i32) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    session::Entity::delete_by_id(session_id).exec(&txn).await?;
    freshness::bump(&txn, freshness::SESSIONS).await?;
    txn.commit().await?;
    Ok(())
}

/// Ends every session of the user, on every device.
#[tracing::instrument(skip_all)]
pub async fn logout_everywhere(db: &DatabaseConnection, user_id: i32) -> Result<u64, AppError> {
    let txn = begin_write(db).await?;
    let deleted = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(&txn).await?.rows_affected;
    freshness::bump(&txn, freshness::SESSIONS).await?;
    audit::record(
        &txn,
        Entry {
            actor_id: Some(user_id),
            on_behalf_of: None,
            action: "user.logout_everywhere",
            entity: "user",
            entity_id: Some(user_id.to_string()),
            detail: json!({ "sessions": deleted }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(deleted)
}

/// The profile as the user sees it.
#[tracing::instrument(skip_all)]
pub async fn me(db: &DatabaseConnection, user_id: i32) -> Result<Me, AppError> {
    let user = user::Entity::find_by_id(user_id).one(db).await?.ok_or(AppError::NotFound)?;
    let station = match user.station_id {
        Some(id) => station::Entity::find_by_id(id).one(db).await?.map(|s| s.name),
        None => None,
    };
    Ok(Me {
        id: user.id,
        phone_masked: PhoneNumber::parse(&user.phone).map(|p| p.masked()).unwrap_or_default(),
        name: user.name,
        email: user.email,
        email_verified: user.email_verified_at.is_some(),
        role: user.role,
        station,
        lang: Lang::parse(&user.lang).unwrap_or_default(),
        elder: user.elder_mode,
    })
}

/// Stores the display preferences in the profile.
#[tracing::instrument(skip_all)]
pub async fn set_preferences(db: &DatabaseConnection, user_id: i32, lang: Option<Lang>, elder: Option<bool>) -> Result<(), AppError> {
    let mut update = user::Entity::update_many().filter(user::Column::Id.eq(user_id));
    if let Some(lang) = lang {
        update = update.col_expr(user::Column::Lang, sea_orm::sea_query::Expr::value(lang.code()));
    }
    if let Some(elder) = elder {
        update = update.col_expr(user::Column::ElderMode, sea_orm::sea_query::Expr::value(elder));
    }
    update.exec(db).await?;
    Ok(())
}

/// Changes name and email. A new email address must be verified again.
#[tracing::instrument(skip(db, config, mailer))]
pub async fn update_profile(
    db: &DatabaseConnection,
    config: &Config,
    mailer: &Mailer,
    user_id: i32,
    name: Option<PersonName>,
    email: Option<EmailAddress>,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let user = user::Entity::find_by_id(user_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let new_email = email.as_ref().map(|e| e.to_string());
    let email_changed = new_email != user.email;
    let mut active: user::ActiveModel = user.clone().into();
    active.name = Set(name.map(|n| n.to_string()));
    active.email = Set(new_email);
    if email_changed {
        active.email_verified_at = Set(None);
    }
    active.updated_at = Set(Utc::now());
    let updated = active.update(&txn).await?;
    let token = match (&email, email_changed) {
        (Some(address), true) => Some(insert_email_token(&txn, config, user_id, address).await?),
        _ => None,
    };
    audit::record(
        &txn,
        Entry {
            actor_id: Some(user_id),
            on_behalf_of: None,
            action: "user.update_profile",
            entity: "user",
            entity_id: Some(user_id.to_string()),
            detail: json!({ "email_changed": email_changed }),
        },
    )
    .await?;
    // The name is part of every session's user.
    freshness::bump(&txn, freshness::SESSIONS).await?;
    txn.commit().await?;
    if let (Some(address), Some(token)) = (email, token) {
        let verify_url = format!("{}/verify-email?token={token}", config.public_url);
        mailer.send_logged(&address, &Email::VerifyEmail { name: display_name(&updated), verify_url }, Lang::parse(&updated.lang).unwrap_or_default()).await;
    }
    Ok(())
}

/// Marks the address of a valid, unused token as verified (once).
#[tracing::instrument(skip_all)]
pub async fn verify_email(db: &DatabaseConnection, config: &Config, token: &str) -> Result<(), AppError> {
    let hash = token_hash(config.secret_key.expose(), token);
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let found = email_token::Entity::find()
        .filter(email_token::Column::TokenHash.eq(hash))
        .filter(email_token::Column::UsedAt.is_null())
        .filter(email_token::Column::ExpiresAt.gt(now))
        .one(&txn)
        .await?
        .ok_or(AppError::field("token", Msg::ErrTokenInvalid))?;
    let user = user::Entity::find_by_id(found.user_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if user.email.as_deref() != Some(found.email.as_str()) {
        return Err(AppError::field("token", Msg::ErrTokenInvalid));
    }
    let mut token_row: email_token::ActiveModel = found.into();
    token_row.used_at = Set(Some(now));
    token_row.update(&txn).await?;
    let mut user_row: user::ActiveModel = user.into();
    user_row.email_verified_at = Set(Some(now));
    user_row.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The user's stored display preferences (copied into cookies at login).
#[tracing::instrument(skip_all)]
pub async fn preferences(db: &DatabaseConnection, user_id: i32) -> Result<(Lang, bool), AppError> {
    let user = user::Entity::find_by_id(user_id).one(db).await?.ok_or(AppError::NotFound)?;
    Ok((Lang::parse(&user.lang).unwrap_or_default(), user.elder_mode))
}
