//! The service catalogue: versions, search, withdrawal, import parsing, public pages.

use crate::helpers::*;
use crate::on_both_databases;
use app::guides::service::{self, Saved, parse_csv};
use app::guides::{Guide, ItemSummary};
use app::i18n::{GuideReason, Msg, Reason};
use axum::http::StatusCode;

on_both_databases!(
    the_demo_catalogue_is_seeded_once,
    search_finds_chinese_pinyin_and_initials,
    every_edit_makes_a_version_and_old_ones_stay_readable,
    withdrawn_items_leave_the_public_pages,
    guide_pages_render_for_visitors,
);

async fn seeded(backend: Backend) -> TestApp {
    let app = spawn_app(backend).await;
    let created = service::seed_demo_catalogue(&app.state.db).await.expect("seed");
    assert_eq!(created, 44);
    app
}

async fn the_demo_catalogue_is_seeded_once(backend: Backend) {
    let app = seeded(backend).await;
    assert_eq!(service::seed_demo_catalogue(&app.state.db).await.expect("seed again"), 0);
    assert_eq!(app.count("items").await, 44);
    assert_eq!(app.count("item_versions").await, 44);
    let catalogue = service::catalogue(&app.state.db).await.expect("catalogue");
    assert_eq!(catalogue.categories.len(), 9);
    assert!(catalogue.categories.iter().map(|(_, items)| items.len()).sum::<usize>() == 44);
    assert!(catalogue.high_frequency.len() >= 10);
    let helper: usize = catalogue.categories.iter().flat_map(|(_, i)| i).filter(|i| i.helper_eligible).count();
    assert!(helper >= 15, "{helper} helper-eligible items");
}

async fn search_finds_chinese_pinyin_and_initials(backend: Backend) {
    let app = seeded(backend).await;
    let search = |q: &'static str| {
        let state = app.state.clone();
        async move { service::search(&state, q, 30).await.expect("search") }
    };
    let names = |hits: &[ItemSummary]| hits.iter().map(|h| h.name.clone()).collect::<Vec<_>>();

    for q in ["社保", "shebao", "sb", "SB", "she bao"] {
        let hits = search(q).await;
        assert!(!hits.is_empty(), "{q}");
        assert!(hits.iter().take(5).all(|h| h.category == "社会保障"), "{q}: {:?}", names(&hits));
        assert!(hits.iter().any(|h| h.name == "社会保障卡申领"), "{q}");
    }
    let hits = search("社保卡").await;
    assert_eq!(hits[0].code, "SB-004", "{:?}", names(&hits));
    let hits = search("低保").await;
    assert_eq!(hits[0].code, "MZ-001");
    let hits = search("dibao").await;
    assert_eq!(hits[0].code, "MZ-001", "{:?}", names(&hits));
    let hits = search("摊贩").await;
    assert_eq!(hits[0].name, "食品摊贩登记");
    let hits = search("yibao").await;
    assert!(hits.iter().take(3).all(|h| h.category == "医疗保险"), "{:?}", names(&hits));
    assert!(search("qwxyz").await.is_empty());
    assert!(search("   ").await.is_empty());

    // Over HTTP, for anyone.
    let res = app.call("search_items", &[("q", "sb")], None).await;
    assert_eq!(res.status, StatusCode::OK);
    let hits: Vec<ItemSummary> = res.json();
    assert!(!hits.is_empty());
}

async fn every_edit_makes_a_version_and_old_ones_stay_readable(backend: Backend) {
    let app = seeded(backend).await;
    let db = &app.state.db;
    let v1 = service::guide(db, "SB-004", None).await.expect("guide");
    assert_eq!(v1.version, 1);

    let mut content = v1.content.clone();
    assert_eq!(service::save_guide(db, "SB-004", &content, None, "console").await.expect("save"), Saved::Unchanged);
    content.promised_days = 7;
    content.materials.push(app::guides::Material { name: "委托书（代办时）".into(), copies: 1, original: true, note: String::new(), sample: None });
    assert_eq!(service::save_guide(db, "SB-004", &content, None, "console").await.expect("save"), Saved::NewVersion(2));

    let current = service::guide(db, "SB-004", None).await.expect("guide");
    assert_eq!((current.version, current.current_version, current.content.promised_days), (2, 2, 7));
    let old: Guide = service::guide(db, "SB-004", Some(1)).await.expect("old version");
    assert_eq!((old.version, old.current_version, old.content.promised_days), (1, 2, v1.content.promised_days));
    assert!(matches!(service::guide(db, "SB-004", Some(3)).await, Err(app::error::AppError::NotFound)));

    let history = service::history(db, "SB-004").await.expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].version, 2);
    assert_eq!(history[0].changed, vec![Msg::GuideTimeLimits, Msg::GuideMaterials]);
    assert!(history[1].changed.is_empty(), "first version");

    // The list shows the current version's figures.
    let hits = service::search(&app.state, "社会保障卡申领", 5).await.expect("search");
    assert_eq!(hits[0].promised_days, 7);
    let page = app.get("/guides/SB-004/history", None).await;
    assert!(page.body.contains("办理时限") && page.body.contains("申请材料"));
    let page = app.get("/guides/SB-004?version=1", None).await;
    assert!(page.body.contains("您正在查看历史版本"));
}

async fn withdrawn_items_leave_the_public_pages(backend: Backend) {
    let app = seeded(backend).await;
    let db = &app.state.db;
    assert!(service::search(&app.state, "摊贩", 5).await.expect("search").iter().any(|h| h.code == "SC-001"));
    app.as_request(service::set_published(db, "SC-001", false, None)).await.expect("withdraw");
    // The index kept from the first search notices the change at once.
    assert!(service::search(&app.state, "摊贩", 5).await.expect("search").iter().all(|h| h.code != "SC-001"));
    assert_eq!(app.get("/guides/SC-001", None).await.status, StatusCode::NOT_FOUND);
    assert!(!app.get("/public", None).await.body.contains("食品摊贩登记"));
    app.as_request(service::set_published(db, "SC-001", true, None)).await.expect("publish");
    assert_eq!(app.get("/guides/SC-001", None).await.status, StatusCode::OK);
    assert!(service::search(&app.state, "摊贩", 5).await.expect("search").iter().any(|h| h.code == "SC-001"));
    assert!(matches!(service::set_published(db, "NOPE-1", true, None).await, Err(app::error::AppError::NotFound)));
}

async fn guide_pages_render_for_visitors(backend: Backend) {
    let app = seeded(backend).await;
    let page = app.get("/guides/SB-004", None).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in ["社会保障卡申领", "居民身份证", "近期免冠一寸白底照片", "采集照片与信息", "预约办理", "打印材料清单"] {
        assert!(page.body.contains(text), "{text}");
    }
    let print = app.get("/guides/SB-004/print", None).await;
    assert!(print.body.contains("一次性告知：办理所需材料") && print.body.contains("居民身份证"));
    assert_eq!(app.get("/guides/NOPE-9", None).await.status, StatusCode::NOT_FOUND);

    // Search works before WASM loads: a plain GET form.
    let results = app.get("/guides?q=sb", None).await;
    assert!(results.body.contains("搜索结果") && results.body.contains("社会保障卡申领"));
    let tab = app.get("/guides", None).await;
    assert!(tab.body.contains("高频事项") && tab.body.contains("退役军人"));

    let public = app.get("/public", None).await;
    assert_eq!(public.status, StatusCode::OK);
    for text in ["四个公开", "监督电话", "0816-2000001", "服务承诺", "个体工商户设立登记（代收代办）"] {
        assert!(public.body.contains(text), "{text}");
    }
}

#[test]
fn the_demo_file_parses_cleanly() {
    let parsed = parse_csv(service::DEMO_CATALOGUE_CSV.as_bytes()).expect("parse");
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert_eq!(parsed.guides.len(), 44);
    assert_eq!(parsed.guides[0].0, 2, "first data row is spreadsheet row 2");
}

#[test]
fn bad_rows_are_reported_with_their_row_number_and_reasons() {
    let header = service::DEMO_CATALOGUE_CSV.lines().next().expect("header");
    let file = format!(
        "{header}\n\
         X-001,测试事项,社会保障,中心,是,否,否,否,10,20,不收费,窗口,工作日,身份证|1|原件|,提交,依据,0816,\n\
         X-002,,社会保障,街道,也许,否,否,否,abc,5,不收费,窗口,工作日,身份证|一|原件|,提交,依据,0816,\n\
         X-003,正常事项,社会保障,中心,是,否,否,否,10,5,不收费,窗口,工作日,身份证|1|原件|,提交,依据,0816,\n\
         X-003,重复编码,社会保障,中心,是,否,否,否,10,5,不收费,窗口,工作日,身份证|1|原件|,提交,依据,0816,\n"
    );
    let parsed = parse_csv(file.as_bytes()).expect("parse");
    assert_eq!(parsed.guides.iter().map(|(row, code, _)| (*row, code.as_str())).collect::<Vec<_>>(), vec![(4, "X-003")]);
    let errors: Vec<(usize, &Vec<Reason>)> = parsed.errors.iter().map(|e| (e.row, &e.reasons)).collect();
    assert_eq!(errors.len(), 3);
    assert_eq!(errors[0], (2, &vec![Reason::from(GuideReason::PromisedOverLegal)]));
    assert_eq!(errors[1].0, 3);
    for reason in [
        "事项名称不能为空",
        "办理层级应为“中心”“服务站”或“中心和服务站”",
        "可预约应填“是”或“否”",
        "法定时限（工作日）应为1至365之间的整数",
        "申请材料第1项份数应为0至20的整数",
    ] {
        assert!(errors[1].1.iter().any(|r| r.zh() == reason), "{reason}: {:?}", errors[1].1);
    }
    assert_eq!(errors[2], (5, &vec![Reason::from(GuideReason::DuplicateCode { code: "X-003".to_owned() })]));

    let missing = parse_csv(b"a,b\n1,2\n").map(|_| ()).expect_err("columns missing");
    assert!(missing.zh().starts_with("缺少列："), "{}", missing.zh());
    let binary = parse_csv(&[0xff, 0xfe, 0x00]).map(|_| ()).expect_err("not UTF-8");
    assert_eq!(binary, Reason::from(GuideReason::NotUtf8));
}
