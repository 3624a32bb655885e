//! The chief's catalogue console: an app on the demo catalogue with the chief logged in.

use crate::{Backend, TestApp, spawn_app};
use app::domain::Role;
use app::guides::service;

pub async fn chief_app(backend: Backend) -> (TestApp, String) {
    let app = spawn_app(backend).await;
    service::seed_demo_catalogue(&app.state.db).await.expect("seed");
    let chief = app.user_with_role("13700000005", Role::Chief).await;
    (app, chief)
}
