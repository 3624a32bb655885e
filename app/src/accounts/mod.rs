//! Accounts (账号): registration, login, sessions, profile and display preferences.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use crate::domain::{EmailAddress, Password, PersonName, PhoneNumber, Role};
use crate::error::{AppError, FieldErrors};
use crate::i18n::Lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the signed-in user sees of their own account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: i32,
    pub phone_masked: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub email_verified: bool,
    pub role: Role,
    pub station: Option<String>,
    pub lang: Lang,
    pub elder: bool,
}

impl Me {
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.phone_masked)
    }
}

/// An account locked for one address after repeated wrong passwords.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginLock {
    /// Names the lock for lifting it (a keyed hash, not the phone number).
    pub id: String,
    pub phone_masked: String,
    pub addr: String,
    pub until: String,
}

/// A registration form that passed every check.
#[derive(Debug)]
pub struct ValidRegistration {
    pub phone: PhoneNumber,
    pub password: Password,
    pub email: Option<EmailAddress>,
    pub name: Option<PersonName>,
}

/// Checks a registration form, reporting every bad field at once. The browser runs the
/// same checks field by field before it submits.
pub fn validate_registration(phone: &str, password: &str, email: &str, name: &str) -> Result<ValidRegistration, AppError> {
    let mut errors = FieldErrors::default();
    let phone = errors.check("phone", PhoneNumber::parse(phone));
    let password = errors.check("password", Password::parse(password, phone.as_ref().map(|p| p.as_str())));
    let email = errors.check("email", EmailAddress::parse_optional(email));
    let name = errors.check("name", PersonName::parse_optional(name));
    errors.into_result()?;
    match (phone, password, email, name) {
        (Some(phone), Some(password), Some(email), Some(name)) => Ok(ValidRegistration { phone, password, email, name }),
        _ => Err(AppError::Internal),
    }
}

/// Only same-site paths are followed after login (no open redirect); anything else
/// goes to 我的.
pub fn safe_next(next: &str) -> &str {
    crate::security::same_site_path(next).unwrap_or("/me")
}

/// The signed-in user's profile, or `None` for a visitor.
#[server(endpoint = "me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            match auth::current_user().await? {
                Some(user) => service::me(&state.db, user.id).await.map(Some),
                None => Ok(None),
            }
        }
        .await,
    )
}

/// Registers a resident and signs them in.
#[server(endpoint = "register")]
pub async fn register(phone: String, password: String, email: String, name: String) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let form = validate_registration(&phone, &password, &email, &name)?;
            let addr = auth::client_addr(&state, &auth::request_parts()?);
            let (user, token) = service::register_resident(&state.db, &state.config, &state.mailer, form, &addr).await?;
            auth::set_session_cookie(&state, &token);
            crate::prefs::Prefs::set_cookies(&state, Some(&user.lang), Some(user.elder_mode));
            leptos_axum::redirect("/me");
            Ok(())
        }
        .await,
    )
}

/// Signs in with phone number and password; goes to `next` afterwards.
#[server(endpoint = "login")]
pub async fn login(phone: String, password: String, next: String) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let addr = auth::client_addr(&state, &auth::request_parts()?);
            let (user, token) = service::login(&state.db, &state.config, &phone, password, &addr).await?;
            auth::set_session_cookie(&state, &token);
            crate::prefs::Prefs::set_cookies(&state, Some(&user.lang), Some(user.elder_mode));
            leptos_axum::redirect(safe_next(&next));
            Ok(())
        }
        .await,
    )
}

/// Ends this session.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            if let Some(user) = auth::current_user().await? {
                service::logout(&state.db, user.session_id).await?;
            }
            auth::clear_session_cookie(&state);
            leptos_axum::redirect("/me");
            Ok(())
        }
        .await,
    )
}

/// Ends every session of this user.
#[server(endpoint = "logout_everywhere")]
pub async fn logout_everywhere() -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let user = auth::require_user().await?;
            service::logout_everywhere(&state.db, user.id).await?;
            auth::clear_session_cookie(&state);
            leptos_axum::redirect("/me");
            Ok(())
        }
        .await,
    )
}

/// Changes the signed-in user's name and email.
#[server(endpoint = "profile")]
pub async fn update_profile(name: String, email: String) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let user = auth::require_user().await?;
            let mut errors = FieldErrors::default();
            let name = errors.check("name", PersonName::parse_optional(&name));
            let email = errors.check("email", EmailAddress::parse_optional(&email));
            errors.into_result()?;
            service::update_profile(&state.db, &state.config, &state.mailer, user.id, name.flatten(), email.flatten()).await?;
            leptos_axum::redirect("/me");
            Ok(())
        }
        .await,
    )
}

/// Turns 长辈版 on or off: a cookie for this browser, and the profile when signed in.
#[server(endpoint = "elder_mode")]
pub async fn set_elder_mode(on: bool) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            if let Some(user) = auth::current_user().await? {
                service::set_preferences(&state.db, user.id, None, Some(on)).await?;
            }
            crate::prefs::Prefs::set_cookies(&state, None, Some(on));
            Ok(())
        }
        .await,
    )
}

/// Switches the interface language.
#[server(endpoint = "language")]
pub async fn set_language(lang: String) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let lang = Lang::parse(&lang).ok_or_else(|| AppError::Request("unknown language".into()))?;
            if let Some(user) = auth::current_user().await? {
                service::set_preferences(&state.db, user.id, Some(lang), None).await?;
            }
            crate::prefs::Prefs::set_cookies(&state, Some(lang.code()), None);
            Ok(())
        }
        .await,
    )
}

/// Confirms an email address with the token from the email.
#[server(endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            service::verify_email(&state.db, &state.config, &token).await?;
            leptos_axum::redirect("/verify-email?done=1");
            Ok(())
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Msg;

    #[test]
    fn registration_reports_every_bad_field() {
        let err = validate_registration("12345", "123", "not-an-email", "").expect_err("invalid");
        assert_eq!(err.field_msg("phone"), Some(Msg::ErrPhoneInvalid));
        assert_eq!(err.field_msg("password"), Some(Msg::ErrPasswordShort));
        assert_eq!(err.field_msg("email"), Some(Msg::ErrEmailInvalid));
        assert_eq!(err.field_msg("name"), None);
    }

    #[test]
    fn next_paths_stay_on_site() {
        assert_eq!(safe_next("/staff"), "/staff");
        assert_eq!(safe_next("/feedback/new?restore=1"), "/feedback/new?restore=1");
        assert_eq!(safe_next("//evil.example"), "/me");
        assert_eq!(safe_next("https://evil.example"), "/me");
        assert_eq!(safe_next(""), "/me");
        assert_eq!(safe_next("/\t/evil.example"), "/me");
    }
}

/// The signed-in user and the actions that change who that is.
#[derive(Clone, Copy)]
pub struct Session {
    pub me: Resource<Result<Option<Me>, AppError>>,
    pub login: ServerAction<Login>,
    pub register: ServerAction<Register>,
    pub logout: ServerAction<Logout>,
    pub logout_everywhere: ServerAction<LogoutEverywhere>,
    pub profile: ServerAction<UpdateProfile>,
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
