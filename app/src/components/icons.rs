use leptos::prelude::*;

/// Line icons drawn inline (no icon font to download on a weak network).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    Home,
    Grid,
    Calendar,
    User,
    File,
    Chat,
    Search,
    Chevron,
    Back,
}

impl Icon {
    fn path(self) -> &'static str {
        match self {
            Icon::Home => "M3 10.5 12 3l9 7.5V20a1 1 0 0 1-1 1h-5v-6h-6v6H4a1 1 0 0 1-1-1z",
            Icon::Grid => "M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h6v6h-6z",
            Icon::Calendar => "M4 6h16v14H4zM4 10h16M8 3v5M16 3v5",
            Icon::User => "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 4-6 8-6s8 2 8 6",
            Icon::File => "M6 3h8l4 4v14H6zM14 3v4h4M9 12h6M9 16h6",
            Icon::Chat => "M4 5h16v11H9l-5 4z",
            Icon::Search => "M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM16 16l5 5",
            Icon::Chevron => "M9 5l7 7-7 7",
            Icon::Back => "M15 5l-7 7 7 7",
        }
    }

    pub fn view(self) -> impl IntoView {
        view! {
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor"
                stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
                <path d=self.path()></path>
            </svg>
        }
    }
}
