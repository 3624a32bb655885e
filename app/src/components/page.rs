//! Frames and answers every page shares: the console frame, what to show when a call
//! was refused or needs a signed-in user, and the HTTP status of the page.

use super::EmptyState;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::prelude::*;

/// The console frame: a header with the page title and a link back to the resident app.
#[component]
pub fn StaffLayout(title: Msg, children: Children) -> impl IntoView {
    let tr = use_tr();
    view! {
        <leptos_meta::Title text=format!("{} · {}", tr.t(title), tr.t(Msg::StaffConsole))/>
        <header class="console-header">
            <a class="console-brand" href="/staff">{tr.t(Msg::StaffConsole)}</a>
            <h1 class="console-title">{tr.t(title)}</h1>
            <a class="console-exit" href="/">{tr.t(Msg::BackToResidentApp)}</a>
        </header>
        <main class="console">{children()}</main>
    }
}

/// What to show when a console call was refused.
pub fn refused(err: AppError, next: &'static str) -> AnyView {
    match err {
        AppError::Unauthorized(_) => view! { <LoginRequired next=next/> }.into_any(),
        AppError::Forbidden => {
            set_status(403);
            view! { <EmptyState title=Msg::ForbiddenTitle body=Msg::ForbiddenBody/> }.into_any()
        }
        other => {
            let tr = use_tr();
            view! { <p class="form-error">{tr.t(other.summary())}</p> }.into_any()
        }
    }
}

/// Shown where a page needs a signed-in user.
#[component]
pub fn LoginRequired(next: &'static str) -> impl IntoView {
    let tr = use_tr();
    view! {
        <EmptyState title=Msg::LoginRequired>
            <a class="btn btn-primary" href=format!("/login?next={next}")>{tr.t(Msg::Login)}</a>
        </EmptyState>
    }
}

/// Sets the HTTP status of the page being rendered (server only).
pub fn set_status(code: u16) {
    status::set(code);
}

#[cfg(feature = "ssr")]
mod status {
    pub fn set(code: u16) {
        if let (Some(options), Ok(status)) = (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), axum::http::StatusCode::from_u16(code)) {
            options.set_status(status);
        }
    }
}

#[cfg(not(feature = "ssr"))]
mod status {
    pub fn set(_code: u16) {}
}
