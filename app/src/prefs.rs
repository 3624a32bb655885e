//! Display preferences: interface language and 长辈版 (elder mode).
//!
//! They live in two plain cookies (`bm_lang`, `bm_elder`) so the server renders the
//! right size and language on the first byte (no flash), and in the user's profile so
//! they follow the user to a new phone: logging in copies the profile into the cookies.

use crate::i18n::{Lang, Tr};
use leptos::prelude::*;

pub const LANG_COOKIE: &str = "bm_lang";
pub const ELDER_COOKIE: &str = "bm_elder";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Prefs {
    pub lang: Lang,
    pub elder: bool,
}

impl Prefs {
    /// Reads the preferences from `document.cookie` in the browser (the server reads
    /// requests with [`Prefs::from_headers`]).
    pub fn from_cookie_header(header: &str) -> Prefs {
        let mut prefs = Prefs::default();
        for pair in header.split(';') {
            match pair.trim().split_once('=') {
                Some((LANG_COOKIE, value)) => prefs.lang = Lang::parse(value).unwrap_or_default(),
                Some((ELDER_COOKIE, value)) => prefs.elder = value == "1",
                _ => {}
            }
        }
        prefs
    }

    /// Reads the preferences from a request's cookies.
    #[cfg(feature = "ssr")]
    pub fn from_headers(headers: &axum::http::HeaderMap) -> Prefs {
        use crate::ssr::cookies::get;
        Prefs { lang: get(headers, LANG_COOKIE).and_then(|v| Lang::parse(&v)).unwrap_or_default(), elder: get(headers, ELDER_COOKIE).is_some_and(|v| v == "1") }
    }

    /// Sends the preferences as plain cookies (read by the page before it renders).
    #[cfg(feature = "ssr")]
    pub fn set_cookies(state: &crate::ssr::AppState, lang: Option<&str>, elder: Option<bool>) {
        use crate::ssr::auth::set_cookie;
        let year = 60 * 60 * 24 * 365;
        if let Some(lang) = lang {
            set_cookie(state, LANG_COOKIE, lang, year, false);
        }
        if let Some(elder) = elder {
            set_cookie(state, ELDER_COOKIE, if elder { "1" } else { "0" }, year, false);
        }
    }

    /// Classes of the `<html>` element.
    pub fn html_class(self) -> &'static str {
        if self.elder { "elder" } else { "" }
    }
}

/// Preferences of the current request (server) or page (browser), provided once by
/// the shell or the hydrating app.
pub fn provide_prefs() -> Prefs {
    let prefs = use_context::<Prefs>().unwrap_or_else(detect);
    provide_context(prefs);
    prefs
}

pub fn use_prefs() -> Prefs {
    use_context::<Prefs>().unwrap_or_default()
}

/// The translator for the current language.
pub fn use_tr() -> Tr {
    Tr(use_prefs().lang)
}

#[cfg(feature = "ssr")]
fn detect() -> Prefs {
    use_context::<axum::http::request::Parts>().map(|parts| Prefs::from_headers(&parts.headers)).unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
fn detect() -> Prefs {
    browser::cookie_header().map(|c| Prefs::from_cookie_header(&c)).unwrap_or_default()
}

/// Browser-side helpers that apply a preference change without a reload.
#[cfg(feature = "hydrate")]
pub mod browser {
    use wasm_bindgen::JsCast;

    pub fn cookie_header() -> Option<String> {
        let document = web_sys::window()?.document()?;
        document.dyn_into::<web_sys::HtmlDocument>().ok()?.cookie().ok()
    }

    pub fn set_elder_class(on: bool) {
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let classes = root.class_list();
            let _ = if on { classes.add_1("elder") } else { classes.remove_1("elder") };
        }
    }

    pub fn reload() {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    }

    /// Marks the page as hydrated (`<html data-hydrated>`), for styles and tests.
    pub fn mark_hydrated() {
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("data-hydrated", "1");
        }
    }
}

#[cfg(not(feature = "hydrate"))]
pub mod browser {
    pub fn cookie_header() -> Option<String> {
        None
    }
    pub fn set_elder_class(_on: bool) {}
    pub fn reload() {}
    pub fn mark_hydrated() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_preferences_from_cookies() {
        let prefs = Prefs::from_cookie_header("bm_session=abc; bm_lang=en; bm_elder=1");
        assert_eq!(prefs, Prefs { lang: Lang::En, elder: true });
        assert_eq!(Prefs::from_cookie_header(""), Prefs::default());
        assert_eq!(Prefs::from_cookie_header("bm_lang=xx").lang, Lang::Zh);
    }
}
