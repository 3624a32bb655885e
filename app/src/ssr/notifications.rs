//! Messages (消息): a row in each person's in-app list, written inside the caller's
//! transaction, and the same by email once the transaction has committed.

use crate::error::AppError;
use crate::i18n::{Lang, Message, Note};
use crate::ssr::AppState;
use crate::ssr::entities::{notification, user};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};

/// Messages just written, to email after committing.
pub struct Notice {
    users: Vec<i32>,
    message: Message,
    link: String,
    verified_only: bool,
}

impl Notice {
    /// Emails only addresses their owner has verified.
    pub fn verified_only(mut self) -> Notice {
        self.verified_only = true;
        self
    }
}

/// Puts a message in each user's in-app list (inside the caller's transaction); send
/// the returned notice with [`email`] after committing.
pub async fn notify(
    db: &impl ConnectionTrait,
    users: Vec<i32>,
    title: impl Into<Note>,
    body: impl Into<Note>,
    link: String,
    now: DateTime<Utc>,
) -> Result<Notice, AppError> {
    let message = Message { title: title.into(), body: body.into() };
    let stored = serde_json::to_string(&message).unwrap_or_default();
    for user_id in &users {
        notification::ActiveModel {
            user_id: Set(*user_id),
            title: Set(message.title.zh()),
            body: Set(message.body.zh()),
            note: Set(Some(stored.clone())),
            link: Set(link.clone()),
            created_at: Set(now),
            read_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(Notice { users, message, link, verified_only: false })
}

/// Emails what was just committed to those who gave an address; never fails the request.
pub async fn email(state: &AppState, notice: Notice) {
    for user_id in notice.users {
        let Ok(Some(person)) = user::Entity::find_by_id(user_id).one(&state.db).await else { continue };
        if notice.verified_only && person.email_verified_at.is_none() {
            continue;
        }
        let Some(address) = person.email.as_deref().and_then(|e| crate::domain::EmailAddress::parse(e).ok()) else { continue };
        let lang = Lang::parse(&person.lang).unwrap_or_default();
        let content = crate::ssr::mailer::Email::CaseUpdate {
            name: person.name.clone().unwrap_or_else(|| crate::i18n::Msg::EmailYou.text(lang).to_owned()),
            title: notice.message.title.text(lang),
            body: notice.message.body.text(lang),
            url: format!("{}{}", state.config.public_url, notice.link),
        };
        if let Err(err) = state.mailer.send(&address, &content, lang).await {
            tracing::warn!(error = ?err, user_id, "email not sent");
        }
    }
}
