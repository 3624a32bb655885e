//! Top-level pages of the resident app that belong to no single feature yet.

use crate::components::{EmptyState, Icon, MobilePage, Tab};
use crate::guides::get_catalogue;
use crate::guides::pages::ItemRow;
use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let tr = use_tr();
    let catalogue = Resource::new(|| (), |_| get_catalogue());
    let entries = [
        (Msg::EntryGuides, "/guides", Icon::Grid),
        (Msg::EntryBooking, "/booking", Icon::Calendar),
        (Msg::EntryMyCases, "/cases", Icon::File),
        (Msg::EntryFeedback, "/feedback", Icon::Chat),
    ];
    view! {
        <MobilePage title=Msg::CenterName tab=Tab::Home>
            <section class="hero">
                <p class="hero-title">{tr.t(Msg::CenterName)}</p>
                <p class="hero-sub">{tr.t(Msg::HomeWelcome)}</p>
                <form class="search" action="/guides" method="get" role="search">
                    {Icon::Search.view()}
                    <input type="search" name="q" placeholder=tr.t(Msg::HomeSearchPlaceholder)
                        aria-label=tr.t(Msg::HomeSearchPlaceholder)/>
                </form>
            </section>
            <nav class="entries">
                {entries.into_iter().map(|(label, href, icon)| view! {
                    <a class="entry" href=href>
                        <span class="entry-icon">{icon.view()}</span>
                        <span class="entry-label">{tr.t(label)}</span>
                    </a>
                }).collect_view()}
            </nav>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let frequent = catalogue.await.map(|c| c.high_frequency).unwrap_or_default();
                    view! {
                        <section class="cells">
                            <h2 class="cells-title">{tr.t(Msg::HighFrequencyItems)}</h2>
                            <div class="cells-body">
                                {frequent.into_iter().take(8).map(|item| view! { <ItemRow item/> }).collect_view()}
                            </div>
                        </section>
                    }
                })}
            </Suspense>
            <a class="public-entry" href="/public">{tr.t(Msg::PublicTitle)}" · "{tr.t(Msg::SupervisionPhone)}</a>
        </MobilePage>
    }
}

/// 404: sets the status on the server so crawlers and tests see it.
#[component]
pub fn NotFound() -> impl IntoView {
    crate::components::set_status(404);
    let tr = use_tr();
    view! {
        <MobilePage title=Msg::NotFoundTitle back="/">
            <EmptyState title=Msg::NotFoundTitle body=Msg::NotFoundBody>
                <a class="btn btn-primary" href="/">{tr.t(Msg::BackHome)}</a>
            </EmptyState>
        </MobilePage>
    }
}

/// `/public` (四个公开): the live figures of this year and this month, the center and
/// its supervision phone, its commitments, and every item with its procedure and time
/// limits. For anyone; no login.
#[component]
pub fn PublicPage() -> impl IntoView {
    let tr = use_tr();
    let info = Resource::new(|| (), |_| crate::guides::get_public_info());
    let figures = Resource::new(|| (), |_| crate::oversight::get_public_figures());
    view! {
        <MobilePage title=Msg::PublicTitle back="/">
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match (info.await, figures.await) {
                        (Ok(info), Ok(figures)) => view! {
                            <crate::oversight::pages::PublicFiguresView f=figures/>
                            <crate::guides::pages::PublicView info/>
                        }.into_any(),
                        (Err(err), _) | (_, Err(err)) => view! { <p class="form-error">{tr.t(err.summary())}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}
