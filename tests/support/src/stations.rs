//! Stations and 帮办代办: a helper's authorisation requests, the resident's answer, and
//! cases a helper files for a resident.

use crate::cases::ID;
use crate::{TestApp, TestResponse};
use axum::http::StatusCode;
use chrono::{Duration, Utc};

pub fn until(days: i64) -> String {
    (app::time::cst_today(Utc::now()) + Duration::days(days)).to_string()
}

/// Records an authorisation request and returns its id.
pub async fn request(app: &TestApp, helper: &str, resident: i32, items: &[&str], whole_station: bool, method: &str, key: &str) -> i32 {
    let resident = resident.to_string();
    let names: Vec<String> = (0..items.len()).map(|i| format!("items[{i}]")).collect();
    let until = until(90);
    let mut form = vec![("resident", resident.as_str()), ("scope", "items"), ("case_number", ""), ("until", until.as_str()), ("method", method), ("key", key)];
    for (name, item) in names.iter().zip(items) {
        form.push((name.as_str(), item));
    }
    if whole_station {
        form.push(("whole_station", "on"));
    }
    let res = app.call("authorisation_request", &form, Some(helper)).await;
    assert_eq!(res.status, StatusCode::OK, "authorisation_request: {}", res.body);
    res.json()
}

pub async fn file_for(app: &TestApp, helper: &str, resident: i32, code: &str, key: &str) -> TestResponse {
    let resident = resident.to_string();
    app.call(
        "case_create",
        &[("code", code), ("name", "王秀兰"), ("phone", "13800138000"), ("id_number", ID), ("notes", ""), ("key", key), ("for_resident", resident.as_str())],
        Some(helper),
    )
    .await
}

pub async fn filed(app: &TestApp, helper: &str, resident: i32, code: &str, key: &str) -> String {
    let res = file_for(app, helper, resident, code, key).await;
    assert_eq!(res.status, StatusCode::OK, "file for resident: {}", res.body);
    res.json()
}

/// The resident's `accept`, `refuse` or `revoke` (`authorisation_{decision}`).
pub async fn decide_authorisation(app: &TestApp, cookie: &str, id: i32, decision: &str) -> TestResponse {
    app.call(&format!("authorisation_{decision}"), &[("id", &id.to_string())], Some(cookie)).await
}
