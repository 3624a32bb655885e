//! The chief's catalogue console: import preview and apply (all or nothing), XLSX
//! export, editing; and every other role refused.

use crate::helpers::*;
use crate::on_both_databases;
use app::domain::Role;
use app::error::AppError;
use app::guides::service::{self, DEMO_CATALOGUE_CSV};
use app::guides::{ImportPreview, StaffItem, import};
use app::i18n::{GuideReason, Msg, Reason};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use test_support::catalogue::chief_app;

on_both_databases!(
    a_file_with_bad_rows_is_previewed_and_writes_nothing,
    a_good_import_applies_once_and_all_together,
    the_export_reimports_unchanged,
    the_chief_edits_a_guide_into_a_new_version,
    only_the_chief_reaches_the_catalogue_console,
);

fn upload(file_name: &str, bytes: &[u8], cookie: &str) -> Request<Body> {
    multipart_upload("/staff/items/import", file_name, bytes, cookie)
}

fn preview_id(res: &TestResponse) -> String {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let location = res.header("location").expect("location");
    location.strip_prefix("/staff/items/import/").expect("preview page").to_owned()
}

/// The demo file with SB-004's promised days changed and one new item.
fn edited_demo(extra_row: &str) -> String {
    let mut text = DEMO_CATALOGUE_CSV.replacen(
        "SB-004,社会保障卡申领,社会保障,中心和服务站,是,是,是,是,20,10,",
        "SB-004,社会保障卡申领,社会保障,中心和服务站,是,是,是,是,20,8,",
        1,
    );
    assert_ne!(text, DEMO_CATALOGUE_CSV, "the edit applied");
    text.push_str(extra_row);
    text
}

async fn a_file_with_bad_rows_is_previewed_and_writes_nothing(backend: Backend) {
    let (app, chief) = chief_app(backend).await;
    let versions = app.count("item_versions").await;
    let file = edited_demo("X-100,新增测试事项,社会保障,街道,是,否,否,否,10,5,不收费,窗口,工作日,身份证|1|原件|,提交,依据,0816,\n");
    let id = preview_id(&app.send(upload("catalogue.csv", file.as_bytes(), &chief)).await);

    let preview: ImportPreview = app.call("import_preview", &[("id", &id)], Some(&chief)).await.json();
    assert_eq!(preview.errors, vec![(46, vec![Reason::from(GuideReason::BadLevel)])]);
    let page = app.get(&format!("/staff/items/import/{id}"), Some(&chief)).await;
    assert!(page.body.contains("第46行") && page.body.contains("办理层级应为"), "row and reason shown");
    assert!(!page.body.contains("确认导入"), "no confirm button while rows are bad");

    let res = app.call("import_apply", &[("id", &id)], Some(&chief)).await;
    assert_eq!(res.app_error(), AppError::Conflict(Msg::ErrImportHasErrors));
    assert_eq!(app.count("item_versions").await, versions, "nothing written");
    assert_eq!(service::guide(&app.state.db, "SB-004", None).await.expect("guide").content.promised_days, 10);

    // A file that is not a catalogue at all says why, on the list page.
    let res = app.send(upload("notes.txt", "随便写的内容".as_bytes(), &chief)).await;
    let location = res.header("location").expect("redirect").to_owned();
    assert!(location.starts_with("/staff/items?import_error="), "{location}");
    let page = app.get(&location, Some(&chief)).await;
    assert!(page.body.contains("缺少列"), "reason shown");
}

async fn a_good_import_applies_once_and_all_together(backend: Backend) {
    let (app, chief) = chief_app(backend).await;
    let versions = app.count("item_versions").await;
    let file = edited_demo("X-100,新增测试事项,社会保障,中心,是,否,否,否,10,5,不收费,窗口,工作日,身份证|1|原件|,提交,依据,0816,\n");
    let id = preview_id(&app.send(upload("catalogue.csv", file.as_bytes(), &chief)).await);
    let preview: ImportPreview = app.call("import_preview", &[("id", &id)], Some(&chief)).await.json();
    assert!(preview.errors.is_empty());
    assert_eq!(preview.unchanged, 43);
    let added: Vec<_> = preview.rows.iter().filter(|r| r.added).map(|r| (r.row, r.code.as_str())).collect();
    assert_eq!(added, vec![(46, "X-100")]);
    let changed: Vec<_> = preview.rows.iter().filter(|r| !r.added).map(|r| (r.code.as_str(), r.changed.clone())).collect();
    assert_eq!(changed, vec![("SB-004", vec![Msg::GuideTimeLimits])]);
    assert_eq!(app.count("item_versions").await, versions, "preview writes nothing");

    let res = app.call("import_apply", &[("id", &id)], Some(&chief)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json::<usize>(), 2);
    assert_eq!(app.count("item_versions").await, versions + 2);
    assert_eq!(service::guide(&app.state.db, "SB-004", None).await.expect("guide").version, 2);
    let history = service::history(&app.state.db, "SB-004").await.expect("history");
    assert_eq!(history[0].source, "import");

    // A double submit is refused and changes nothing.
    let again = app.call("import_apply", &[("id", &id)], Some(&chief)).await;
    assert_eq!(again.app_error(), AppError::Conflict(Msg::ErrImportApplied));
    assert_eq!(app.count("item_versions").await, versions + 2);
}

async fn the_export_reimports_unchanged(backend: Backend) {
    let (app, chief) = chief_app(backend).await;
    let res = app.get("/staff/items/export.xlsx", Some(&chief)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.header("content-disposition").is_some_and(|d| d.contains("catalogue.xlsx")));
    let bytes = import::export_xlsx(&app.state.db).await.expect("export");
    assert!(bytes.starts_with(b"PK\x03\x04"), "an xlsx (zip) file");
    let parsed = import::parse_file(&bytes).expect("parse xlsx");
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert_eq!(parsed.guides.len(), 44);

    let id = preview_id(&app.send(upload("catalogue.xlsx", &bytes, &chief)).await);
    let preview: ImportPreview = app.call("import_preview", &[("id", &id)], Some(&chief)).await.json();
    assert_eq!((preview.rows.len(), preview.unchanged, preview.errors.len()), (0, 44, 0), "round trip changes nothing");
}

async fn the_chief_edits_a_guide_into_a_new_version(backend: Backend) {
    let (app, chief) = chief_app(backend).await;
    let current = service::guide(&app.state.db, "MZ-001", None).await.expect("guide");
    let form = app::guides::ItemForm::from_content("MZ-001", &current.content);
    let mut fields: Vec<(String, String)> = [
        ("code", &form.code),
        ("name", &form.name),
        ("category", &form.category),
        ("level", &form.level),
        ("bookable", &form.bookable),
        ("helper_eligible", &form.helper_eligible),
        ("online", &form.online),
        ("high_frequency", &form.high_frequency),
        ("legal_days", &form.legal_days),
        ("promised_days", &form.promised_days),
        ("fee", &form.fee),
        ("place", &form.place),
        ("hours", &form.hours),
        ("materials", &form.materials),
        ("steps", &form.steps),
        ("legal_basis", &form.legal_basis),
        ("contact", &form.contact),
        ("keywords", &form.keywords),
    ]
    .into_iter()
    .map(|(k, v)| (format!("form[{k}]"), v.clone()))
    .collect();
    let set = |fields: &mut Vec<(String, String)>, key: &str, value: &str| {
        if let Some(f) = fields.iter_mut().find(|(k, _)| k == &format!("form[{key}]")) {
            f.1 = value.to_owned();
        }
    };
    set(&mut fields, "promised_days", "60");
    let as_refs = |fields: &Vec<(String, String)>| fields.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>();
    let owned = as_refs(&fields);
    let refs: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.call("item_save", &refs, Some(&chief)).await;
    assert_eq!(res.app_error(), AppError::refused(GuideReason::PromisedOverLegal));
    assert_eq!(service::guide(&app.state.db, "MZ-001", None).await.expect("guide").version, 1, "unchanged");

    set(&mut fields, "promised_days", "15");
    let owned = as_refs(&fields);
    let refs: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.call("item_save", &refs, Some(&chief)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let saved = service::guide(&app.state.db, "MZ-001", None).await.expect("guide");
    assert_eq!((saved.version, saved.content.promised_days), (2, 15));
    assert_eq!(saved.content.materials, current.content.materials, "materials survive the form round trip");

    let items: Vec<StaffItem> = app.call("staff_items", &[], Some(&chief)).await.json();
    assert_eq!(items.iter().find(|i| i.code == "MZ-001").map(|i| i.version), Some(2));
    let res = app.call("item_publish", &[("code", "MZ-001"), ("published", "false")], Some(&chief)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(app.get("/guides/MZ-001", None).await.status, StatusCode::NOT_FOUND);
}

async fn only_the_chief_reaches_the_catalogue_console(backend: Backend) {
    let (app, chief) = chief_app(backend).await;
    let id = preview_id(&app.send(upload("catalogue.csv", DEMO_CATALOGUE_CSV.as_bytes(), &chief)).await);
    let versions = app.count("item_versions").await;
    for (i, role) in [Role::Resident, Role::Helper, Role::Clerk, Role::Handler].into_iter().enumerate() {
        let cookie = app.user_with_role(&format!("1360000000{i}"), role).await;
        assert_eq!(app.call("staff_items", &[], Some(&cookie)).await.status, StatusCode::FORBIDDEN, "{role:?}");
        assert_eq!(app.call("import_preview", &[("id", &id)], Some(&cookie)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.call("import_apply", &[("id", &id)], Some(&cookie)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.call("item_publish", &[("code", "SB-004"), ("published", "false")], Some(&cookie)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.call("item_content", &[("code", "SB-004")], Some(&cookie)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.send(upload("catalogue.csv", DEMO_CATALOGUE_CSV.as_bytes(), &cookie)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/staff/items/export.xlsx", Some(&cookie)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/staff/items", Some(&cookie)).await.status, StatusCode::FORBIDDEN, "{role:?} page");
    }
    assert_eq!(app.call("staff_items", &[], None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/staff/items/export.xlsx", None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("item_versions").await, versions, "nothing written by anyone else");
    assert_eq!(app.count("catalogue_imports").await, 1);
}

/// `tests/e2e/fixtures/one-bad-row.xlsx`, used by the browser test: one good new item
/// and one row with a bad 办理层级. `BIANMIN_WRITE_FIXTURES=1` rewrites the file.
#[test]
fn the_browser_fixture_has_one_good_and_one_bad_row() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/e2e/fixtures/one-bad-row.xlsx");
    if std::env::var("BIANMIN_WRITE_FIXTURES").is_ok() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        let rows: [&[&str]; 3] = [
            &service::COLUMNS,
            &[
                "X-201",
                "测试新增事项",
                "社会保障",
                "中心",
                "是",
                "否",
                "否",
                "否",
                "10",
                "5",
                "不收费",
                "综合受理窗口",
                "工作日",
                "居民身份证|1|原件|",
                "提交申请\n办结",
                "测试依据",
                "0816-2000000",
                "",
            ],
            &[
                "X-202",
                "错误的事项",
                "社会保障",
                "街道办",
                "是",
                "否",
                "否",
                "否",
                "10",
                "5",
                "不收费",
                "综合受理窗口",
                "工作日",
                "居民身份证|1|原件|",
                "提交申请",
                "测试依据",
                "0816-2000000",
                "",
            ],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *value).expect("cell");
            }
        }
        workbook.save(&path).expect("write fixture");
    }
    let parsed = import::parse_file(&std::fs::read(&path).expect("fixture")).expect("parse");
    assert_eq!(parsed.guides.iter().map(|(row, code, _)| (*row, code.as_str())).collect::<Vec<_>>(), vec![(2, "X-201")]);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].row, 3);
}
