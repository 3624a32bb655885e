//! The staff console (工作台): role-based menu and staff management by the chief.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use crate::domain::{Choice, Password, PersonName, PhoneNumber, Role};
use crate::error::{AppError, FieldErrors};
use crate::i18n::Msg;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One entry of the console menu and the roles that see it.
pub struct MenuEntry {
    pub label: Msg,
    pub href: &'static str,
    pub roles: &'static [Role],
}

/// The console menu; each feature adds its entries here.
pub const MENU: &[MenuEntry] = &[
    MenuEntry { label: Msg::StaffCases, href: "/staff/cases", roles: &[Role::Clerk, Role::Chief] },
    MenuEntry { label: Msg::StaffCheckIn, href: "/staff/checkin", roles: &[Role::Clerk, Role::Chief] },
    MenuEntry { label: Msg::StaffQueue, href: "/staff/queue", roles: &[Role::Clerk, Role::Chief] },
    MenuEntry { label: Msg::StaffFeedback, href: "/staff/feedback", roles: &[Role::Handler, Role::Chief, Role::Clerk] },
    MenuEntry { label: Msg::HallBoard, href: "/board", roles: &[Role::Clerk, Role::Handler, Role::Chief] },
    MenuEntry { label: Msg::StaffDashboard, href: "/staff/dashboard", roles: &[Role::Chief, Role::Clerk, Role::Handler] },
    MenuEntry { label: Msg::StaffAb, href: "/staff/ab", roles: &[Role::Chief] },
    MenuEntry { label: Msg::StaffSchedules, href: "/staff/schedules", roles: &[Role::Chief] },
    MenuEntry { label: Msg::StaffItems, href: "/staff/items", roles: &[Role::Chief] },
    MenuEntry { label: Msg::StaffUsers, href: "/staff/users", roles: &[Role::Chief] },
    MenuEntry { label: Msg::StationAdmin, href: "/staff/stations", roles: &[Role::Chief] },
    MenuEntry { label: Msg::ClaimsTitle, href: "/staff/claims", roles: &[Role::Clerk, Role::Chief] },
];

pub fn menu_for(role: Role) -> impl Iterator<Item = &'static MenuEntry> {
    MENU.iter().filter(move |entry| entry.roles.contains(&role))
}

/// Who is at the console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleUser {
    pub name: String,
    pub role: Role,
}

/// A staff member or helper as the chief sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i32,
    pub name: String,
    pub phone_masked: String,
    pub role: Role,
    pub station: Option<String>,
    pub active: bool,
}

/// Roles the chief can give a new account (residents register themselves).
pub const ASSIGNABLE: [Role; 4] = [Role::Helper, Role::Clerk, Role::Handler, Role::Chief];

/// A staff account the chief is creating, after every check.
#[derive(Debug)]
pub struct ValidStaff {
    pub phone: PhoneNumber,
    pub name: PersonName,
    pub role: Role,
    pub station_id: Option<i32>,
    pub password: Password,
}

pub fn validate_staff(phone: &str, name: &str, role: &str, station_id: &str, password: &str) -> Result<ValidStaff, AppError> {
    let mut errors = FieldErrors::default();
    let phone = errors.check("phone", PhoneNumber::parse(phone));
    let name = errors.check("name", PersonName::parse(name));
    let role = errors.check("role", Role::parse(role).and_then(|r| if ASSIGNABLE.contains(&r) { Ok(r) } else { Err(Msg::ErrRoleInvalid) }));
    let station_id = match (role, station_id.trim()) {
        (Some(Role::Helper), "") => {
            errors.add("station_id", Msg::ErrStationRequired);
            None
        }
        (Some(Role::Helper), id) => errors.check("station_id", id.parse::<i32>().map_err(|_| Msg::ErrStationInvalid)),
        _ => None,
    };
    let password = errors.check("password", Password::parse(password, phone.as_ref().map(|p| p.as_str())));
    errors.into_result()?;
    match (phone, name, role, password) {
        (Some(phone), Some(name), Some(role), Some(password)) => Ok(ValidStaff { phone, name, role, station_id, password }),
        _ => Err(AppError::Internal),
    }
}

/// The console's landing data; staff only.
#[server(endpoint = "staff_overview")]
pub async fn staff_overview() -> Result<ConsoleUser, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(auth::STAFF).await?;
            Ok(ConsoleUser { name: user.name.unwrap_or_default(), role: user.role })
        }
        .await,
    )
}

/// Staff and helpers; chief only.
#[server(endpoint = "staff_list")]
pub async fn list_staff() -> Result<Vec<StaffMember>, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            auth::require_role(&[Role::Chief]).await?;
            service::list_staff(&state.db).await
        }
        .await,
    )
}

/// Stations to pick for a helper; chief only.
#[server(endpoint = "station_list")]
pub async fn list_stations() -> Result<Vec<Choice>, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            auth::require_role(&[Role::Chief]).await?;
            service::list_stations(&state.db).await
        }
        .await,
    )
}

/// Creates a staff or helper account; chief only.
#[server(endpoint = "staff_create")]
pub async fn create_staff(phone: String, name: String, role: String, station_id: String, password: String) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let chief = auth::require_role(&[Role::Chief]).await?;
            let valid = validate_staff(&phone, &name, &role, &station_id, &password)?;
            service::create_staff(&state.db, valid, chief.id).await?;
            Ok(())
        }
        .await,
    )
}

/// Login locks in force; chief only.
#[server(endpoint = "login_locks")]
pub async fn list_login_locks() -> Result<Vec<crate::accounts::LoginLock>, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            auth::require_role(&[Role::Chief]).await?;
            crate::accounts::service::login_locks(&state.db, &state.config, chrono::Utc::now()).await
        }
        .await,
    )
}

/// Lifts a login lock; chief only.
#[server(endpoint = "login_unlock")]
pub async fn lift_login_lock(id: String) -> Result<(), AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            let chief = auth::require_role(&[Role::Chief]).await?;
            crate::accounts::service::lift_login_lock(&state.db, &state.config, id.trim(), chief.id).await
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_need_a_station_and_residents_are_not_assignable() {
        let err = validate_staff("13900000009", "李芳", "helper", "", "青山绿水2025").expect_err("station");
        assert_eq!(err.field_msg("station_id"), Some(Msg::ErrStationRequired));
        let err = validate_staff("13900000009", "李芳", "resident", "", "青山绿水2025").expect_err("role");
        assert_eq!(err.field_msg("role"), Some(Msg::ErrRoleInvalid));
        let ok = validate_staff("13900000009", "李芳", "helper", "2", "青山绿水2025").expect("valid");
        assert_eq!(ok.station_id, Some(2));
        let ok = validate_staff("13900000009", "李芳", "clerk", "2", "青山绿水2025").expect("valid");
        assert_eq!(ok.station_id, None);
    }

    #[test]
    fn the_menu_follows_the_role() {
        assert!(menu_for(Role::Chief).any(|e| e.href == "/staff/users"));
        assert!(menu_for(Role::Clerk).all(|e| e.href != "/staff/users"));
    }
}
