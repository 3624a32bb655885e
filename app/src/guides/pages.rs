//! Pages of the 办事 tab, the guide page, its print view and history, and 四个公开.

use super::{Catalogue, Guide, ItemSummary, Level, PublicInfo, get_catalogue, get_guide, guide_history, search_items};
use crate::components::{EmptyState, Icon, MobilePage, Tab};
use crate::i18n::{Msg, Tr};
use crate::prefs::use_tr;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn level_label(level: Level) -> Msg {
    match level {
        Level::Center => Msg::LevelCenter,
        Level::Station => Msg::LevelStation,
        Level::Both => Msg::LevelBoth,
    }
}

fn days(tr: Tr, n: u16) -> String {
    format!("{n}{}", tr.t(Msg::WorkingDays))
}

/// One item in a list: name, category, promised days, badges.
#[component]
pub fn ItemRow(item: ItemSummary) -> impl IntoView {
    let tr = use_tr();
    view! {
        <a class="cell cell-link item-row" href=format!("/guides/{}", item.code)>
            <span class="cell-label">
                <span class="item-name">{item.name.clone()}</span>
                <small class="cell-hint">
                    {item.category.clone()}" · "{tr.t(Msg::PromisedLimit)}" "{days(tr, item.promised_days)}
                    {item.helper_eligible.then(|| view! { " · "<span class="helper-badge">{tr.t(Msg::HelperEligible)}</span> })}
                </small>
            </span>
            {Icon::Chevron.view()}
        </a>
    }
}

fn item_list(items: Vec<ItemSummary>) -> impl IntoView {
    view! { <div class="cells-body">{items.into_iter().map(|item| view! { <ItemRow item/> }).collect_view()}</div> }
}

/// `/guides`: the search box, then the results for `?q=` or the whole catalogue,
/// rendered on the server. Without WASM the box is a plain GET form; with it, what is
/// typed is searched at once ([`SearchAsYouType`]).
#[component]
pub fn GuidesPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let q = query.with_untracked(|q| q.get("q")).unwrap_or_default();
    let searched = q.clone();
    let results = Resource::new(move || searched.clone(), |q| async move { if q.trim().is_empty() { Ok(Vec::new()) } else { search_items(q).await } });
    let all = Resource::new(|| (), |_| get_catalogue());
    let searching = !q.trim().is_empty();
    view! {
        <MobilePage title=Msg::EntryGuides tab=Tab::Guides>
            <form class="search search-bar" action="/guides" method="get" role="search" id="guide-search-form">
                {Icon::Search.view()}
                <input type="search" name="q" id="guide-search" autocomplete="off" value=q
                    placeholder=tr.t(Msg::HomeSearchPlaceholder) aria-label=tr.t(Msg::HomeSearchPlaceholder)/>
                <noscript><button type="submit" class="search-submit">{tr.t(Msg::SearchButton)}</button></noscript>
            </form>
            <SearchAsYouType/>
            <div id="guide-results" aria-live="polite">
                <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        if searching {
                            let found = results.await.unwrap_or_default();
                            view! { <SearchResults found/> }.into_any()
                        } else {
                            let catalogue = all.await.unwrap_or(Catalogue { categories: Vec::new(), high_frequency: Vec::new() });
                            view! { <CatalogueView catalogue/> }.into_any()
                        }
                    })}
                </Suspense>
            </div>
        </MobilePage>
    }
}

#[component]
fn SearchResults(found: Vec<ItemSummary>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="cells" id="search-results">
            <h2 class="cells-title">{tr.t(Msg::SearchResults)}</h2>
            {if found.is_empty() { view! { <EmptyState title=Msg::NoResults/> }.into_any() } else { item_list(found).into_any() }}
        </section>
    }
}

/// Search as you type: each change of `#guide-search` fetches `/guides?q=…` (for
/// visitors a cached page) and swaps its `#guide-results` into this page, so the
/// server stays the only renderer; the address follows what is typed. Renders nothing.
#[island]
fn SearchAsYouType() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    search_browser::attach();
}

#[cfg(feature = "hydrate")]
mod search_browser {
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    pub fn attach() {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let (Some(input), Some(form)) = (document.get_element_by_id("guide-search"), document.get_element_by_id("guide-search-form")) else { return };
        let Ok(input) = input.dyn_into::<web_sys::HtmlInputElement>() else { return };
        // Only the newest answer is shown, whatever order they come back in.
        let latest = Rc::new(Cell::new(0u32));
        let search = {
            let input = input.clone();
            move || {
                let n = latest.get() + 1;
                latest.set(n);
                let q = input.value();
                let path =
                    if q.trim().is_empty() { "/guides".to_owned() } else { format!("/guides?q={}", String::from(js_sys::encode_uri_component(q.trim()))) };
                let latest = latest.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let Some(html) = crate::components::live_browser::fetch_text(&path).await else { return };
                    if latest.get() == n {
                        crate::components::live_browser::swap("guide-results", &html);
                        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
                        }
                    }
                });
            }
        };
        let on_input = {
            let search = search.clone();
            Closure::<dyn FnMut()>::new(search)
        };
        let on_submit = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            ev.prevent_default();
            search();
        });
        let _ = input.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
        let _ = form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        on_input.forget();
        on_submit.forget();
    }
}

/// High-frequency items, then every category as a collapsible group (works without JS).
#[component]
fn CatalogueView(catalogue: Catalogue) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="cells">
            <h2 class="cells-title">{tr.t(Msg::HighFrequencyItems)}</h2>
            {item_list(catalogue.high_frequency)}
        </section>
        <section class="cells">
            <h2 class="cells-title">{tr.t(Msg::AllCategories)}</h2>
            <div class="cells-body">
                {catalogue.categories.into_iter().map(|(name, items)| view! {
                    <details class="category">
                        <summary class="cell">
                            <span class="cell-label">{name}</span>
                            <span class="cell-value">{items.len()}{tr.t(Msg::ItemsCount)}</span>
                        </summary>
                        {items.into_iter().map(|item| view! { <ItemRow item/> }).collect_view()}
                    </details>
                }).collect_view()}
            </div>
        </section>
        <p class="demo-note">{tr.t(Msg::DemoCatalogue)}</p>
    }
}

fn code_and_version() -> (Memo<String>, Memo<Option<i32>>) {
    let params = use_params_map();
    let query = use_query_map();
    (Memo::new(move |_| params.with(|p| p.get("code")).unwrap_or_default()), Memo::new(move |_| query.with(|q| q.get("version")).and_then(|v| v.parse().ok())))
}

#[component]
pub fn GuidePage() -> impl IntoView {
    let tr = use_tr();
    let (code, version) = code_and_version();
    let guide = Resource::new(move || (code.get(), version.get()), |(code, version)| get_guide(code, version));
    view! {
        <MobilePage title=Msg::EntryGuides back="/guides">
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match guide.await {
                        Ok(guide) => view! { <GuideView guide/> }.into_any(),
                        Err(_) => {
                            crate::components::set_status(404);
                            view! { <EmptyState title=Msg::NotFoundTitle body=Msg::NotFoundBody/> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

#[component]
fn GuideView(guide: Guide) -> impl IntoView {
    let tr = use_tr();
    let c = guide.content.clone();
    let code = guide.code.clone();
    let old = guide.version != guide.current_version;
    view! {
        <leptos_meta::Title text=format!("{} · {}", c.name, tr.t(Msg::EntryGuides))/>
        {old.then(|| view! {
            <p class="banner">{tr.t(Msg::OldVersionBanner)}" "
                <a href=format!("/guides/{code}")>{tr.t(Msg::SeeCurrentVersion)}</a></p>
        })}
        <section class="guide-head">
            <h2 class="guide-name">{c.name.clone()}</h2>
            <p class="guide-tags">
                <span class="tag">{c.category.clone()}</span>
                {c.bookable.then(|| view! { <span class="tag">{tr.t(Msg::Bookable)}</span> })}
                {c.helper_eligible.then(|| view! { <span class="tag">{tr.t(Msg::HelperEligible)}</span> })}
                {c.online.then(|| view! { <span class="tag">{tr.t(Msg::OnlineAvailable)}</span> })}
            </p>
            <dl class="facts">
                <div><dt>{tr.t(Msg::PromisedLimit)}</dt><dd class="fact-big">{days(tr, c.promised_days)}</dd></div>
                <div><dt>{tr.t(Msg::LegalLimit)}</dt><dd>{days(tr, c.legal_days)}</dd></div>
                <div><dt>{tr.t(Msg::GuideFee)}</dt><dd>{c.fee.clone()}</dd></div>
                <div><dt>{tr.t(Msg::GuideLevel)}</dt><dd>{tr.t(level_label(c.level))}</dd></div>
            </dl>
        </section>
        <section class="cells">
            <h2 class="cells-title">{tr.t(Msg::GuideMaterials)}</h2>
            <ul class="cells-body checklist" id="materials">
                {c.materials.iter().map(|m| view! {
                    <li class="cell">
                        <span class="check" aria-hidden="true"></span>
                        <span class="cell-label">
                            <span>{m.name.clone()}</span>
                            <small class="cell-hint">
                                {if m.original { tr.t(Msg::Original) } else { tr.t(Msg::CopyDoc) }}
                                {(m.copies > 0).then(|| format!(" {}{}", m.copies, tr.t(Msg::CopiesUnit)))}
                                {(!m.note.is_empty()).then(|| format!(" · {}", m.note))}
                            </small>
                            {m.sample.as_ref().map(|sample| view! {
                                <a class="sample-link" href=sample.href() target="_blank" rel="noopener">{tr.t(Msg::SampleView)}</a>
                            })}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section class="cells">
            <h2 class="cells-title">{tr.t(Msg::GuideSteps)}</h2>
            <ol class="cells-body timeline">
                {c.steps.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}
            </ol>
        </section>
        <section class="cells">
            <div class="cells-body">
                <div class="cell"><span class="cell-label">{tr.t(Msg::GuidePlace)}</span><span class="cell-value">{c.place.clone()}</span></div>
                <div class="cell"><span class="cell-label">{tr.t(Msg::GuideHours)}</span><span class="cell-value">{c.hours.clone()}</span></div>
                <a class="cell cell-link" href=format!("tel:{}", c.contact)>
                    <span class="cell-label">{tr.t(Msg::GuideContact)}</span><span class="cell-value">{c.contact.clone()}</span>
                </a>
                <div class="cell"><span class="cell-label">{tr.t(Msg::GuideLegalBasis)}</span><span class="cell-value">{c.legal_basis.clone()}</span></div>
                <a class="cell cell-link" href=format!("/guides/{}/history", guide.code)>
                    <span class="cell-label">{tr.t(Msg::VersionHistory)}</span>
                    <span class="cell-value">{tr.t(Msg::VersionLabel)}" "{guide.version}" · "{tr.t(Msg::UpdatedAt)}" "{guide.updated_at.clone()}</span>
                </a>
            </div>
        </section>
        <div class="action-bar">
            <a class="btn btn-default" href=format!("/guides/{}/print", guide.code)>{tr.t(Msg::PrintMaterials)}</a>
            {c.bookable.then(|| view! { <a class="btn btn-default" href=format!("/booking?item={}", guide.code)>{tr.t(Msg::BookThis)}</a> })}
            {(c.online || c.helper_eligible).then(|| view! { <a class="btn btn-primary" id="start-case" href=format!("/cases/new?item={}", guide.code)>{tr.t(Msg::StartCase)}</a> })}
        </div>
        <p class="demo-note">{tr.t(Msg::DemoCatalogue)}</p>
    }
}

/// The materials list to print or save: the resident's 一次性告知 of what to bring.
#[component]
pub fn GuidePrintPage() -> impl IntoView {
    let tr = use_tr();
    let (code, version) = code_and_version();
    let guide = Resource::new(move || (code.get(), version.get()), |(code, version)| get_guide(code, version));
    view! {
        <main class="print-page">
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match guide.await {
                        Ok(guide) => {
                            let c = guide.content;
                            view! {
                                <leptos_meta::Title text=format!("{} · {}", c.name, tr.t(Msg::ChecklistTitle))/>
                                <h1>{c.name.clone()}</h1>
                                <h2>{tr.t(Msg::ChecklistTitle)}</h2>
                                <p>{tr.t(Msg::ChecklistHint)}</p>
                                <table class="print-table">
                                    <thead><tr><th>"#"</th><th>{tr.t(Msg::GuideMaterials)}</th><th>{tr.t(Msg::Original)}"/"{tr.t(Msg::CopyDoc)}</th><th>{tr.t(Msg::CopiesUnit)}</th><th>"✓"</th></tr></thead>
                                    <tbody>
                                        {c.materials.iter().enumerate().map(|(i, m)| view! {
                                            <tr>
                                                <td>{i + 1}</td>
                                                <td>{m.name.clone()}{(!m.note.is_empty()).then(|| format!("（{}）", m.note))}</td>
                                                <td>{if m.original { tr.t(Msg::Original) } else { tr.t(Msg::CopyDoc) }}</td>
                                                <td>{m.copies}</td>
                                                <td>"☐"</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <p>{tr.t(Msg::GuidePlace)}{tr.t(Msg::Colon)}{c.place.clone()}</p>
                                <p>{tr.t(Msg::GuideHours)}{tr.t(Msg::Colon)}{c.hours.clone()}</p>
                                <p>{tr.t(Msg::PromisedLimit)}{tr.t(Msg::Colon)}{days(tr, c.promised_days)}" · "{tr.t(Msg::GuideContact)}{tr.t(Msg::Colon)}{c.contact.clone()}</p>
                                <p class="print-foot">{guide.code.clone()}" · "{tr.t(Msg::VersionLabel)}" "{guide.version}" · "{guide.updated_at.clone()}</p>
                                <p class="no-print"><a href=format!("/guides/{}", guide.code)>{tr.t(Msg::EntryGuides)}</a></p>
                            }.into_any()
                        }
                        Err(_) => {
                            crate::components::set_status(404);
                            view! { <EmptyState title=Msg::NotFoundTitle/> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
pub fn GuideHistoryPage() -> impl IntoView {
    let tr = use_tr();
    let (code, _) = code_and_version();
    let history = Resource::new(move || code.get(), guide_history);
    view! {
        <MobilePage title=Msg::VersionHistory back="/guides">
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let code = code.get_untracked();
                    match history.await {
                        Ok(entries) => view! {
                            <ol class="cells-body versions">
                                {entries.into_iter().enumerate().map(|(i, entry)| {
                                    let source = match entry.source.as_str() {
                                        "import" => Msg::SourceImport,
                                        "console" => Msg::SourceConsole,
                                        _ => Msg::SourceSeed,
                                    };
                                    let changed = if entry.changed.is_empty() {
                                        tr.t(Msg::FirstVersion).to_owned()
                                    } else {
                                        format!("{}{}", tr.t(Msg::ChangedFields), entry.changed.iter().map(|m| tr.t(*m)).collect::<Vec<_>>().join("、"))
                                    };
                                    view! {
                                        <li>
                                            <a class="cell cell-link" href=format!("/guides/{code}?version={}", entry.version)>
                                                <span class="cell-label">
                                                    <span>{tr.t(Msg::VersionLabel)}" "{entry.version}
                                                        {(i == 0).then(|| view! { " "<span class="tag">{tr.t(Msg::CurrentVersion)}</span> })}</span>
                                                    <small class="cell-hint">{entry.created_at.clone()}" · "{tr.t(source)}" · "{changed}</small>
                                                </span>
                                                {Icon::Chevron.view()}
                                            </a>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(_) => {
                            crate::components::set_status(404);
                            view! { <EmptyState title=Msg::NotFoundTitle/> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

/// 四个公开: the center, its commitments, and every item with its procedure and time
/// limits (the page itself, with the live figures, is `pages::PublicPage`).
#[component]
pub fn PublicView(info: PublicInfo) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="guide-head">
            <h2 class="guide-name">{tr.t(Msg::CenterName)}</h2>
            <p class="cell-hint">{tr.t(Msg::PublicIntro)}</p>
            <dl class="facts">
                <div><dt>{tr.t(Msg::SupervisionPhone)}</dt><dd class="fact-big"><a href=format!("tel:{}", info.supervision_phone)>{info.supervision_phone.clone()}</a></dd></div>
                <div><dt>{tr.t(Msg::CenterAddress)}</dt><dd>{info.address.clone()}</dd></div>
            </dl>
            <p class="public-link"><a href="/opinions" id="opinions-link">{tr.t(Msg::Opinions)}</a></p>
        </section>
        <section class="cells">
            <h2 class="cells-title">{tr.t(Msg::Commitments)}</h2>
            <ul class="cells-body commitments">
                {[Msg::CommitmentOnce, Msg::CommitmentFirst, Msg::CommitmentTime, Msg::CommitmentAB].into_iter()
                    .map(|m| view! { <li class="cell">{tr.t(m)}</li> }).collect_view()}
            </ul>
        </section>
        <section class="cells">
            <h2 class="cells-title">{tr.t(Msg::AllCategories)}" · "{info.guides.len()}{tr.t(Msg::ItemsCount)}</h2>
            <div class="cells-body">
                {info.guides.into_iter().map(|g| view! {
                    <details class="category public-item">
                        <summary class="cell">
                            <span class="cell-label">{g.content.name.clone()}
                                <small class="cell-hint">{g.content.category.clone()}" · "{tr.t(Msg::PromisedLimit)}" "{days(tr, g.content.promised_days)}" · "{tr.t(Msg::LegalLimit)}" "{days(tr, g.content.legal_days)}</small>
                            </span>
                        </summary>
                        <ol class="timeline">{g.content.steps.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}</ol>
                        <p class="public-link"><a href=format!("/guides/{}", g.code)>{tr.t(Msg::EntryGuides)}</a></p>
                    </details>
                }).collect_view()}
            </div>
        </section>
        <p class="demo-note">{tr.t(Msg::DemoCatalogue)}</p>
    }
}
