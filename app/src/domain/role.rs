use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// Who a user is to the center (DESIGN.md §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum Role {
    /// 居民
    Resident,
    /// 帮办员, works at one station
    Helper,
    /// 窗口人员
    Clerk,
    /// 投诉处理员
    Handler,
    /// 首席事务代表, the administrator
    Chief,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Resident, Role::Helper, Role::Clerk, Role::Handler, Role::Chief];

    /// Stored form in the database and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Helper => "helper",
            Role::Clerk => "clerk",
            Role::Handler => "handler",
            Role::Chief => "chief",
        }
    }

    pub fn parse(s: &str) -> Result<Role, Msg> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or(Msg::ErrRoleInvalid)
    }

    pub fn label(self) -> Msg {
        match self {
            Role::Resident => Msg::RoleResident,
            Role::Helper => Msg::RoleHelper,
            Role::Clerk => Msg::RoleClerk,
            Role::Handler => Msg::RoleHandler,
            Role::Chief => Msg::RoleChief,
        }
    }

    /// Staff work in the console at `/staff`; helpers use the resident app on behalf
    /// of residents and are not staff of the center.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Clerk | Role::Handler | Role::Chief)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_its_stored_form() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert_eq!(Role::parse("root"), Err(Msg::ErrRoleInvalid));
    }
}
