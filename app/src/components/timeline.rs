//! The timeline (办理进度) of a case or a piece of feedback, newest first.

use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One entry of the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: String,
    pub actor: String,
    pub message: String,
}

/// The timeline, newest first.
#[component]
pub fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="cells" id="timeline">
            <h2 class="cells-title">{tr.t(Msg::Timeline)}</h2>
            <ol class="timeline">
                {entries.into_iter().map(|e| view! {
                    <li><span class="timeline-at">{e.at}" · "{e.actor}</span><span class="timeline-what">{e.message}</span></li>
                }).collect_view()}
            </ol>
        </section>
    }
}
