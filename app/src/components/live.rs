//! Live data from a server-sent events stream (hall board, queue tickets).
//!
//! On the server this is just an empty signal: the page renders from its resource.
//! After hydration the browser opens an `EventSource`; the browser reconnects by
//! itself after a dropped connection (the server asks for a one-second retry), and if
//! it ever gives up (`CLOSED`, e.g. a proxy answered 502 during a restart) a fresh
//! source is opened two seconds later.

use leptos::prelude::*;

/// The latest `event` payload of the stream at `url` (raw JSON), and whether the
/// stream is currently connected.
pub fn use_live(url: String, event: &'static str) -> (ReadSignal<Option<String>>, ReadSignal<bool>) {
    let (data, set_data) = signal(None::<String>);
    let (online, set_online) = signal(true);
    #[cfg(feature = "hydrate")]
    {
        let slot = StoredValue::new_local(None::<web_sys::EventSource>);
        Effect::new(move |_| browser::open(url.clone(), event, set_data, set_online, slot));
        on_cleanup(move || {
            slot.try_update_value(|source| {
                if let Some(source) = source.take() {
                    source.close();
                }
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (url, event, set_data, set_online);
    (data, online)
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{EventSource, MessageEvent};

    pub fn open(
        url: String,
        event: &'static str,
        set_data: WriteSignal<Option<String>>,
        set_online: WriteSignal<bool>,
        slot: StoredValue<Option<EventSource>, LocalStorage>,
    ) {
        let Ok(source) = EventSource::new(&url) else { return };
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let Some(text) = e.data().as_string() {
                set_online.set(true);
                set_data.set(Some(text));
            }
        });
        let _ = source.add_event_listener_with_callback(event, on_message.as_ref().unchecked_ref());
        on_message.forget();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            set_online.set(false);
            let closed = slot.try_with_value(|s| s.as_ref().is_some_and(|s| s.ready_state() == EventSource::CLOSED)).unwrap_or(false);
            if closed {
                let url = url.clone();
                set_timeout(move || open(url, event, set_data, set_online, slot), std::time::Duration::from_secs(2));
            }
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        slot.try_set_value(Some(source));
    }
}
