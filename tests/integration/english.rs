//! Readers in English: refusals cross the wire as keys and are written in the reader's
//! language, and the chief's schedules page reads in English.

use crate::helpers::*;
use crate::on_both_databases;
use app::domain::Role;
use app::i18n::{Common, Lang, Reason, to_query};
use app::ssr::http::encode;

on_both_databases!(a_refusal_is_a_key_written_in_the_reader_language, the_schedules_page_reads_in_english);

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

async fn a_refusal_is_a_key_written_in_the_reader_language(backend: Backend) {
    let app = spawn_app(backend).await;
    let chief = app.user_with_role("13900000005", Role::Chief).await;
    let form = [
        ("id", ""),
        ("name", "测试排班"),
        ("window", ""),
        ("weekdays", "12345"),
        ("periods", "09:00-12:00"),
        ("slot_minutes", "半小时"),
        ("capacity", "4"),
        ("item_codes", ""),
    ];
    let before = app.count("schedules").await;
    let res = app.call("schedule_save", &form, Some(&chief)).await;
    assert_eq!(res.status.as_u16(), 422, "{}", res.body);
    let wire: serde_json::Value = serde_json::from_str(&res.body).expect("json error");
    let key = wire["error"].to_string();
    assert!(key.contains("NotAWholeNumber") && key.contains("SchedSlotLength"), "the key and its argument cross the wire: {key}");
    assert!(!has_cjk(&key), "no text inside the key: {key}");
    assert_eq!(wire["message"], "时段长度应为整数", "the Chinese text rides along for other readers");
    assert_eq!(app.count("schedules").await, before, "nothing written");

    let reason = Reason::from(Common::NotAWholeNumber { what: app::i18n::Msg::SchedSlotLength });
    assert_eq!(reason.text(Lang::En), "Slot length must be a whole number");
}

async fn the_schedules_page_reads_in_english(backend: Backend) {
    let app = spawn_app(backend).await;
    let chief = app.user_with_role("13900000005", Role::Chief).await;
    let refusal = encode(&to_query(&[Reason::from(Common::DateFormat).at_line(3)]));
    let url = format!("/staff/schedules?import_error={refusal}");

    let english = app.get(&url, Some(&format!("{chief}; bm_lang=en"))).await;
    assert!(english.body.contains("Booking schedules") && english.body.contains("Holidays and adjusted working days"), "{}", english.body);
    assert!(english.body.contains("Line 3: Dates are written like 2026-01-01"), "the redirect's refusal in English");
    assert!(!english.body.contains("预约排班") && !english.body.contains("日期应为"), "no Chinese interface text");

    let chinese = app.get(&url, Some(&chief)).await;
    assert!(chinese.body.contains("第3行：日期应为 2026-01-01 这样的格式") && chinese.body.contains("预约排班"));

    // A value that is not a list of refusals is not shown: the URL cannot put words on the page.
    let forged = app.get(&format!("/staff/schedules?import_error={}", encode("请拨打12345")), Some(&chief)).await;
    assert!(!forged.body.contains("请拨打12345"));
}
