//! Demo data (演示数据): stations and one account per role. For trying the app out
//! only; `server seed-demo` is idempotent.

use crate::accounts::service::{NewUser, create_user};
use crate::domain::{Password, PersonName, PhoneNumber, Role};
use crate::error::AppError;
use crate::ssr::entities::{station, user};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// The demo password of every demo account. Demo only: never on a real deployment.
pub const DEMO_PASSWORD: &str = "Bianmin@2026";

/// Demo accounts: (phone, name, role, station index).
pub const DEMO_USERS: [(&str, &str, Role, Option<usize>); 6] = [
    ("13800000001", "王秀兰", Role::Resident, None),
    ("13800000002", "李建华", Role::Helper, Some(0)),
    ("13800000003", "张敏", Role::Clerk, None),
    ("13800000004", "陈静", Role::Handler, None),
    ("13800000005", "刘志强", Role::Chief, None),
    ("13800000006", "赵磊", Role::Clerk, None),
];

/// (name, village or community, address, phone)
const DEMO_STATIONS: [(&str, &str, &str, &str); 3] = [
    ("东山村便民服务站", "东山村", "东山村村委会一楼", "0571-86010001"),
    ("河畔社区便民服务站", "河畔社区", "河畔社区党群服务中心", "0571-86010002"),
    ("西岭村便民服务站", "西岭村", "西岭村文化礼堂旁", "0571-86010003"),
];
const DEMO_HOURS: &str = "周一至周五 8:30-12:00 14:00-17:30";

pub async fn seed_demo(db: &DatabaseConnection) -> Result<(), AppError> {
    let mut station_ids = Vec::new();
    for (name, village, address, phone) in DEMO_STATIONS {
        let existing = station::Entity::find().filter(station::Column::Name.eq(name)).one(db).await?;
        let id = match existing {
            Some(s) => s.id,
            None => {
                station::ActiveModel {
                    name: Set(name.to_owned()),
                    village: Set(village.to_owned()),
                    address: Set(address.to_owned()),
                    phone: Set(phone.to_owned()),
                    hours: Set(DEMO_HOURS.to_owned()),
                    created_at: Set(chrono::Utc::now()),
                    ..Default::default()
                }
                .insert(db)
                .await?
                .id
            }
        };
        station_ids.push(id);
    }
    for (phone, name, role, station) in DEMO_USERS {
        if user::Entity::find().filter(user::Column::Phone.eq(phone)).one(db).await?.is_some() {
            continue;
        }
        let new = NewUser {
            phone: PhoneNumber::parse(phone).map_err(|_| AppError::Internal)?,
            password: Password::parse(DEMO_PASSWORD, None).map_err(|_| AppError::Internal)?,
            name: Some(PersonName::parse(name).map_err(|_| AppError::Internal)?),
            email: None,
            role,
            station_id: station.and_then(|i| station_ids.get(i).copied()),
        };
        create_user(db, new, None).await?;
    }
    crate::guides::service::seed_demo_catalogue(db).await?;
    crate::booking::service::seed_demo_schedules(db).await?;
    crate::cases::service::seed_demo_backup(db).await?;
    crate::feedback::service::seed_reply_templates(db).await?;
    Ok(())
}
