//! Search text for an item: Chinese substrings, full pinyin and pinyin initials, so
//! `社保`, `shebao` and `sb` all find 社保 items. The ranking is pure and shared.

use serde::{Deserialize, Serialize};

/// Short names people use for a category (社会保障 → 社保), added to every item in it.
pub fn category_aliases(category: &str) -> &'static [&'static str] {
    match category {
        "社会保障" => &["社保", "养老保险"],
        "医疗保险" => &["医保"],
        "民政救助" => &["救助", "民政"],
        "老龄残疾" => &["老年人", "残疾人"],
        "计划生育" => &["计生", "生育"],
        "市场经营" => &["个体户", "营业执照"],
        "户籍居住" => &["户口"],
        "退役军人" => &["老兵", "优抚"],
        "就业创业" => &["就业", "失业"],
        _ => &[],
    }
}

/// What search matches an item against.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchKey {
    /// Name, category and keywords, lower-cased, space-separated.
    pub text: String,
    /// Full pinyin of each word of `text` without tones, space-separated (`shebao`).
    pub pinyin: String,
    /// Initials of each word (`sb`).
    pub initials: String,
}

/// Normalises a query: trimmed, lower-case, without inner spaces.
pub fn normalise(query: &str) -> String {
    query.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// How well `key` (of an item named `name`) matches `query`; 0 is no match.
pub fn score(query: &str, name: &str, key: &SearchKey) -> u32 {
    score_parts(query, name, key.text.split(' '), &key.pinyin, &key.initials)
}

/// [`score`] over borrowed parts: `words` are the lower-case words of name, category,
/// keywords and aliases; `pinyin` and `initials` are space-separated. Allocates only
/// to lower-case the name.
pub fn score_parts<'a>(query: &str, name: &str, mut words: impl Iterator<Item = &'a str>, pinyin: &str, initials: &str) -> u32 {
    if query.is_empty() {
        return 0;
    }
    let lowered;
    let name = if name.chars().any(char::is_uppercase) {
        lowered = name.to_lowercase();
        lowered.as_str()
    } else {
        name
    };
    if name == query {
        return 100;
    }
    if name.starts_with(query) {
        return 90;
    }
    if name.contains(query) {
        return 80;
    }
    if words.any(|w| w.contains(query) || (w.bytes().any(|b| b.is_ascii_uppercase()) && w.to_lowercase().contains(query))) {
        return 70;
    }
    if !query.is_ascii() {
        return 0;
    }
    if pinyin.split(' ').next().is_some_and(|p| p.starts_with(query)) {
        return 65;
    }
    if pinyin.split(' ').any(|p| p.starts_with(query)) {
        return 60;
    }
    if pinyin.split(' ').any(|p| p.contains(query)) {
        return 50;
    }
    if initials.split(' ').next().is_some_and(|i| i.starts_with(query)) {
        return 45;
    }
    if initials.split(' ').any(|i| i.starts_with(query)) {
        return 40;
    }
    if query.len() >= 2 && initials.split(' ').any(|i| i.contains(query)) {
        return 30;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str, pinyin: &str, initials: &str) -> SearchKey {
        SearchKey { text: text.into(), pinyin: pinyin.into(), initials: initials.into() }
    }

    #[test]
    fn ranks_name_matches_above_pinyin_and_initials() {
        let k = key("社会保障卡申领 社会保障 社保", "shehuibaozhangkashenling shehuibaozhang shebao", "shbzksl shbz sb");
        assert_eq!(score("社会保障卡申领", "社会保障卡申领", &k), 100);
        assert_eq!(score("社会保障卡", "社会保障卡申领", &k), 90);
        assert_eq!(score("卡申领", "社会保障卡申领", &k), 80);
        assert_eq!(score("社保", "社会保障卡申领", &k), 70);
        assert_eq!(score("shehui", "社会保障卡申领", &k), 65);
        assert_eq!(score("shebao", "社会保障卡申领", &k), 60);
        assert_eq!(score("shbz", "社会保障卡申领", &k), 45);
        assert_eq!(score("sb", "社会保障卡申领", &k), 40);
        assert_eq!(score("yibao", "社会保障卡申领", &k), 0);
        assert_eq!(score("", "社会保障卡申领", &k), 0);
    }

    #[test]
    fn queries_are_normalised() {
        assert_eq!(normalise("  She Bao "), "shebao");
    }
}
