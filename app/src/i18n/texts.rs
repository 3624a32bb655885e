//! The machinery of typed texts with arguments: refusals ([`super::Reason`]) and
//! the entries of timelines and messages ([`super::Note`]).
//!
//! A group of texts is declared with `texts!`; the groups are gathered into one enum
//! with `groups!`. A text's arguments are typed and rendered in the reader's language
//! ([`Arg`]): a [`Msg`] by its text, a date in the language's format, a list with the
//! language's separator.

use super::{Lang, Msg};
use chrono::NaiveDate;

/// A value a refusal names, written in the reader's language.
pub trait Arg {
    fn render(&self, lang: Lang) -> String;
}

impl Arg for String {
    fn render(&self, _: Lang) -> String {
        self.clone()
    }
}

macro_rules! plain_args {
    ($($ty:ty),*) => { $(impl Arg for $ty { fn render(&self, _: Lang) -> String { self.to_string() } })* };
}
plain_args!(u32, u64, i64, usize);

impl Arg for Msg {
    fn render(&self, lang: Lang) -> String {
        self.text(lang).to_owned()
    }
}

impl Arg for NaiveDate {
    fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.format("%Y年%m月%d日").to_string(),
            Lang::En => self.format("%Y-%m-%d").to_string(),
        }
    }
}

/// A list of names (materials, columns): 、 between them in Chinese, commas in English.
impl Arg for Vec<String> {
    fn render(&self, lang: Lang) -> String {
        self.join(if lang == Lang::Zh { "、" } else { ", " })
    }
}

/// Declares one group of texts: `Name { Key { arg: Type } => "中文", "English"; … }`.
/// The texts are format strings over the arguments, each rendered with [`Arg`].
macro_rules! texts {
    ($(#[$meta:meta])* $name:ident { $($(#[$kmeta:meta])* $key:ident $({ $($arg:ident : $ty:ty),* $(,)? })? => $zh:literal, $en:literal;)* }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name { $($(#[$kmeta])* $key $({ $($arg: $ty),* })?),* }

        impl $name {
            /// The text in `lang`, its arguments rendered in `lang` too.
            pub fn text(&self, lang: Lang) -> String {
                match self {
                    $($name::$key $({ $($arg),* })? => {
                        $($(let $arg = Arg::render($arg, lang);)*)?
                        match lang { Lang::Zh => format!($zh), Lang::En => format!($en) }
                    })*
                }
            }
        }
    };
}

/// Gathers groups of texts into one enum that converts from each.
macro_rules! groups {
    ($(#[$meta:meta])* $name:ident; $($variant:ident($group:ident)),* $(,)?) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name { $($variant($group)),* }

        impl $name {
            /// The text in `lang`, its arguments rendered in `lang` too.
            pub fn text(&self, lang: Lang) -> String {
                match self { $($name::$variant(r) => r.text(lang)),* }
            }
        }
        $(impl From<$group> for $name { fn from(r: $group) -> $name { $name::$variant(r) } })*
    };
}
