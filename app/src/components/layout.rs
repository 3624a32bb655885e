use super::Icon;
use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::prelude::*;

/// The four tabs of the resident app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Home,
    Guides,
    Booking,
    Me,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Home, Tab::Guides, Tab::Booking, Tab::Me];

    fn href(self) -> &'static str {
        match self {
            Tab::Home => "/",
            Tab::Guides => "/guides",
            Tab::Booking => "/booking",
            Tab::Me => "/me",
        }
    }

    fn label(self) -> Msg {
        match self {
            Tab::Home => Msg::TabHome,
            Tab::Guides => Msg::TabGuides,
            Tab::Booking => Msg::TabBooking,
            Tab::Me => Msg::TabMe,
        }
    }

    fn icon(self) -> Icon {
        match self {
            Tab::Home => Icon::Home,
            Tab::Guides => Icon::Grid,
            Tab::Booking => Icon::Calendar,
            Tab::Me => Icon::User,
        }
    }
}

/// A page of the resident app: a navigation bar with the title (and a back link on
/// inner pages), the content, and the tab bar on the four top-level pages.
#[component]
pub fn MobilePage(title: Msg, #[prop(optional)] tab: Option<Tab>, #[prop(optional)] back: Option<&'static str>, children: Children) -> impl IntoView {
    let tr = use_tr();
    view! {
        <leptos_meta::Title text=format!("{} · {}", tr.t(title), tr.t(Msg::AppName))/>
        <header class="navbar">
            {back.map(|href| view! {
                <a class="navbar-back" href=href aria-label=tr.t(Msg::Back)>{Icon::Back.view()}</a>
            })}
            <h1 class="navbar-title">{tr.t(title)}</h1>
        </header>
        <main class="page" class:with-tabs=tab.is_some()>{children()}</main>
        {tab.map(|current| view! {
            <nav class="tabbar" aria-label=tr.t(Msg::AppName)>
                {Tab::ALL.into_iter().map(|t| view! {
                    <a class="tab" class:active=t == current href=t.href()
                        aria-current=(t == current).then_some("page")>
                        {t.icon().view()}
                        <span>{tr.t(t.label())}</span>
                    </a>
                }).collect_view()}
            </nav>
        })}
    }
}

/// A WeUI cell group with an optional title.
#[component]
pub fn CellGroup(#[prop(optional)] title: Option<Msg>, children: Children) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="cells">
            {title.map(|t| view! { <h2 class="cells-title">{tr.t(t)}</h2> })}
            <div class="cells-body">{children()}</div>
        </section>
    }
}

/// One row of a cell group: a link when `href` is given.
#[component]
pub fn Cell(label: String, #[prop(optional, into)] value: Option<String>, #[prop(optional)] href: Option<String>) -> impl IntoView {
    let body = view! {
        <span class="cell-label">{label}</span>
        <span class="cell-value">{value}</span>
    };
    match href {
        Some(href) => view! { <a class="cell cell-link" href=href>{body}{Icon::Chevron.view()}</a> }.into_any(),
        None => view! { <div class="cell">{body}</div> }.into_any(),
    }
}

/// A friendly empty or error state.
#[component]
pub fn EmptyState(title: Msg, #[prop(optional)] body: Option<Msg>, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <div class="empty">
            <p class="empty-title">{tr.t(title)}</p>
            {body.map(|b| view! { <p class="empty-body">{tr.t(b)}</p> })}
            {children.map(|c| c())}
        </div>
    }
}
