//! Notes (记录): what happened, for a timeline (办理进度) or a message (消息), as a typed
//! key with typed arguments.
//!
//! A note is stored twice: its Chinese text (the record as staff and auditors read it,
//! and the text of rows written before notes were typed) and the note itself as JSON,
//! from which each reader's page writes it in their language. What people typed (a
//! result, a reason, a reply) travels as a `String` argument and is shown as written.

use super::texts::Arg;
use super::{Lang, Msg};
use serde::{Deserialize, Serialize};

mod booking;
mod cases;
mod feedback;
mod stations;

pub use booking::BookingNote;
pub use cases::CaseNote;
pub use feedback::FeedbackNote;
pub use stations::{AuthorisationScope, ResidentName, StationNote};

groups!(
    /// What happened: a shared note or one of a feature's. Every group converts into it.
    Note;
    General(GeneralNote),
    Station(StationNote),
    Booking(BookingNote),
    Case(CaseNote),
    Feedback(FeedbackNote),
);

texts! {
    /// Notes every feature uses.
    GeneralNote {
        /// What a backup clerk (B岗) did in place of the clerk responsible (A岗).
        AsBackup { note: Box<Note>, of: String } => "{note}（B岗代A岗{of}办理）", "{note} (by the backup of {of})";
        /// Text as written (a helper's or staff member's own note).
        Written { text: String } => "{text}", "{text}";
    }
}

impl Arg for Box<Note> {
    fn render(&self, lang: Lang) -> String {
        self.text(lang)
    }
}

impl Note {
    /// The Chinese text: the stored record.
    pub fn zh(&self) -> String {
        self.text(Lang::Zh)
    }

    /// The note as stored beside its text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A stored note; `None` for rows written before notes were typed, or unreadable.
    pub fn from_json(stored: Option<&str>) -> Option<Note> {
        stored.and_then(|s| serde_json::from_str(s).ok())
    }

    /// This note, done by a backup clerk in place of `of`.
    pub fn as_backup(self, of: String) -> Note {
        GeneralNote::AsBackup { note: Box::new(self), of }.into()
    }
}

/// A message (消息): its title and body, as notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub title: Note,
    pub body: Note,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_stored_as_its_key_and_read_in_either_language() {
        let note = Note::from(GeneralNote::Written { text: "电话已联系".into() }).as_backup("王芳".into());
        assert_eq!(note.zh(), "电话已联系（B岗代A岗王芳办理）");
        assert_eq!(note.text(Lang::En), "电话已联系 (by the backup of 王芳)");
        assert_eq!(Note::from_json(Some(&note.to_json())), Some(note));
        assert_eq!(Note::from_json(Some("受理")), None, "a row written before notes is its text");
        assert_eq!(Note::from_json(None), None);
    }
}
