//! The timeline (办理进度) of a case or a piece of feedback, newest first.

use crate::i18n::{Lang, Msg};
use crate::prefs::use_tr;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One entry of the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: String,
    pub actor: String,
    /// The Chinese text on record; shown when there is no typed note (older rows).
    pub message: String,
    /// What happened, written in the reader's language.
    pub note: Option<crate::i18n::Note>,
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
                    <li><span class="timeline-at">{e.at}" · "{actor_text(&e.actor, tr.0)}</span><span class="timeline-what">{e.note.map_or(e.message, |note| note.text(tr.0))}</span></li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// Role words an actor is stored with ("窗口人员张三", "系统"), longest first.
const ACTOR_WORDS: [(&str, Msg); 8] = [
    ("首席事务代表", Msg::RoleChief),
    ("投诉处理员", Msg::RoleHandler),
    ("窗口人员", Msg::RoleClerk),
    ("匿名群众", Msg::ActorAnonymous),
    ("帮办员", Msg::RoleHelper),
    ("申请人", Msg::ActorApplicant),
    ("系统", Msg::ActorSystem),
    ("群众", Msg::ActorResident),
];

/// The actor of an entry as stored, in the reader's language: the role word and the
/// internal-note mark translated, the person's name kept as written.
pub fn actor_text(actor: &str, lang: Lang) -> String {
    if lang == Lang::Zh {
        return actor.to_owned();
    }
    let (actor, internal) = match actor.strip_suffix("（内部备注）") {
        Some(rest) => (rest, true),
        None => (actor, false),
    };
    let mut text = match ACTOR_WORDS.iter().find_map(|(word, msg)| actor.strip_prefix(word).map(|name| (msg, name))) {
        Some((msg, "")) => msg.text(lang).to_owned(),
        Some((msg, name)) => format!("{} {name}", msg.text(lang)),
        None => actor.to_owned(),
    };
    if internal {
        text.push_str(" (");
        text.push_str(Msg::ActorInternalNote.text(lang));
        text.push(')');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors_read_in_english_with_their_names() {
        assert_eq!(actor_text("窗口人员张敏", Lang::En), "Window clerk 张敏");
        assert_eq!(actor_text("系统", Lang::En), "System");
        assert_eq!(actor_text("投诉处理员李强（内部备注）", Lang::En), "Complaint handler 李强 (internal note)");
        assert_eq!(actor_text("窗口人员张敏", Lang::Zh), "窗口人员张敏");
    }
}
