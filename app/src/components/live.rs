//! Live regions (hall board, queue tickets, the window console): a part of a
//! server-rendered page kept current from a server-sent events stream.
//!
//! The browser does not render anything itself. On each event after the first (the
//! state the page was rendered from), it fetches the page again and swaps in the new
//! content of the region — the server stays the only renderer, and the island carries
//! no types, texts or templates. The browser reconnects by itself after a dropped
//! connection (the server asks for a one-second retry); if it gives up (`CLOSED`, e.g.
//! a proxy answered 502 during a restart) a fresh source is opened two seconds later,
//! and every reconnect refreshes the region, since events may have been missed.

use leptos::prelude::*;

/// The id of the note shown while region `region` is disconnected.
pub fn offline_id(region: &str) -> String {
    format!("{region}-offline")
}

/// Keeps the element `#{region}` current from the stream at `events` (its `event`
/// messages). While disconnected, the element [`offline_id`]`(region)` is shown.
#[island]
pub fn LiveRegion(events: String, event: String, region: String) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::start(events, event, region);
    #[cfg(not(feature = "hydrate"))]
    let _ = (events, event, region);
}

#[cfg(feature = "hydrate")]
pub(crate) mod browser {
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::EventSource;

    struct Region {
        id: String,
        /// An event has been seen since the page was rendered.
        primed: Cell<bool>,
        fetching: Cell<bool>,
        /// Another change arrived while a fetch was under way.
        again: Cell<bool>,
    }

    pub fn start(events: String, event: String, region: String) {
        let region = Rc::new(Region { id: region, primed: Cell::new(false), fetching: Cell::new(false), again: Cell::new(false) });
        open(Rc::new(events), Rc::new(event), region);
    }

    fn open(events: Rc<String>, event: Rc<String>, region: Rc<Region>) {
        let Ok(source) = EventSource::new(&events) else { return };
        // The connection dropped since the last `open`: events may have been missed.
        let dropped = Rc::new(Cell::new(false));
        listen(&source, &event, {
            let region = region.clone();
            move || {
                set_offline(&region.id, false);
                if region.primed.replace(true) {
                    refresh(region.clone());
                }
            }
        });
        listen(&source, "open", {
            let (region, dropped) = (region.clone(), dropped.clone());
            move || {
                set_offline(&region.id, false);
                if dropped.replace(false) {
                    refresh(region.clone());
                }
            }
        });
        let watched = source.clone();
        listen(&source, "error", move || {
            dropped.set(true);
            set_offline(&region.id, true);
            if watched.ready_state() == EventSource::CLOSED {
                let (events, event, region) = (events.clone(), event.clone(), region.clone());
                leptos::prelude::set_timeout(move || open(events, event, region), std::time::Duration::from_secs(2));
            }
        });
    }

    fn listen(source: &EventSource, name: &str, handler: impl FnMut() + 'static) {
        let callback = Closure::<dyn FnMut()>::new(handler);
        let _ = source.add_event_listener_with_callback(name, callback.as_ref().unchecked_ref());
        callback.forget();
    }

    fn set_offline(region: &str, offline: bool) {
        if let Some(note) = document().and_then(|d| d.get_element_by_id(&super::offline_id(region))) {
            let _ = if offline { note.remove_attribute("hidden") } else { note.set_attribute("hidden", "") };
        }
    }

    fn document() -> Option<web_sys::Document> {
        web_sys::window()?.document()
    }

    /// Fetches this page again and swaps in the region's content; one fetch at a time,
    /// and one more if a change came in meanwhile.
    fn refresh(region: Rc<Region>) {
        if region.fetching.replace(true) {
            region.again.set(true);
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            loop {
                region.again.set(false);
                if let Some(url) = web_sys::window().and_then(|w| w.location().href().ok())
                    && let Some(html) = fetch_text(&url).await
                {
                    swap(&region.id, &html);
                }
                if !region.again.get() {
                    break;
                }
            }
            region.fetching.set(false);
        });
    }

    /// The text of `url` fetched as a page (`None` when the server cannot be reached).
    pub async fn fetch_text(url: &str) -> Option<String> {
        use wasm_bindgen_futures::JsFuture;
        let window = web_sys::window()?;
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url)).await.ok()?.dyn_into().ok()?;
        if !response.ok() {
            return None;
        }
        JsFuture::from(response.text().ok()?).await.ok()?.as_string()
    }

    /// Replaces the content of `#{id}` with that of the same element in `html`.
    pub fn swap(id: &str, html: &str) {
        let Some(current) = document().and_then(|d| d.get_element_by_id(id)) else { return };
        let Ok(parser) = web_sys::DomParser::new() else { return };
        let Ok(fresh) = parser.parse_from_string(html, web_sys::SupportedType::TextHtml) else { return };
        if let Some(new) = fresh.get_element_by_id(id) {
            current.set_inner_html(&new.inner_html());
        }
    }
}
