//! The chief's catalogue console: list, withdraw/publish, edit, import, export.

use super::{ApplyImport, ItemForm, SaveItem, SetItemPublished, get_import, item_content, staff_items};
use crate::components::{FormError, SubmitButton, use_form_error};
use crate::components::{StaffLayout, refused};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn StaffItemsPage() -> impl IntoView {
    let tr = use_tr();
    let publish = ServerAction::<SetItemPublished>::new();
    let items = Resource::new(move || publish.version().get(), |_| staff_items());
    let query = use_query_map();
    let imported = move || query.with(|q| q.get("imported"));
    view! {
        <StaffLayout title=Msg::StaffItems>
            {move || imported().map(|n| view! { <p class="form-ok" role="status">{tr.t(Msg::ImportDone)}": "{n}</p> })}
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(items) => view! {
                            <div class="console-columns">
                                <section class="console-card">
                                    <p class="console-actions">
                                        <a class="btn btn-primary btn-inline" href="/staff/items/new">{tr.t(Msg::NewItem)}</a>
                                        <a class="btn btn-default btn-inline" href="/staff/items/export.xlsx" download="catalogue.xlsx">{tr.t(Msg::ExportXlsx)}</a>
                                    </p>
                                    <table class="table" id="items-table">
                                        <thead><tr>
                                            <th>{tr.t(Msg::ItemCode)}</th><th>{tr.t(Msg::GuideName)}</th><th>{tr.t(Msg::GuideCategory)}</th>
                                            <th>{tr.t(Msg::VersionLabel)}</th><th>{tr.t(Msg::ItemStatus)}</th><th></th>
                                        </tr></thead>
                                        <tbody>
                                            {items.into_iter().map(|item| view! {
                                                <tr class:withdrawn=!item.published>
                                                    <td>{item.code.clone()}</td>
                                                    <td><a href=format!("/staff/items/{}/edit", item.code)>{item.name.clone()}</a></td>
                                                    <td>{item.category.clone()}</td>
                                                    <td>{item.version}</td>
                                                    <td>{if item.published { tr.t(Msg::Published) } else { tr.t(Msg::Withdrawn) }}</td>
                                                    <td>
                                                        <ActionForm action=publish attr:class="inline-form">
                                                            <input type="hidden" name="code" value=item.code.clone()/>
                                                            <input type="hidden" name="published" value=if item.published { "false" } else { "true" }/>
                                                            <button type="submit" class="link-button">
                                                                {if item.published { tr.t(Msg::Withdraw) } else { tr.t(Msg::Publish) }}
                                                            </button>
                                                        </ActionForm>
                                                    </td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </section>
                                <ImportForm/>
                            </div>
                        }.into_any(),
                        Err(err) => refused(err, "/staff/items"),
                    }
                })}
            </Suspense>
        </StaffLayout>
    }
}

/// A plain multipart form: works the same with and without JavaScript.
#[component]
fn ImportForm() -> impl IntoView {
    let tr = use_tr();
    let error = crate::components::query_refusal("import_error");
    view! {
        <section class="console-card">
            <h2 class="console-card-title">{tr.t(Msg::ImportTitle)}</h2>
            <p class="cell-hint">{tr.t(Msg::ImportHint)}</p>
            <form class="form" method="post" action="/staff/items/import" enctype="multipart/form-data" id="import-form">
                <div class="field">
                    <label class="field-label" for="import-file">{tr.t(Msg::ImportFile)}</label>
                    <input id="import-file" type="file" name="file" required=true
                        accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"/>
                </div>
                {move || error().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <button type="submit" class="btn btn-primary">{tr.t(Msg::ImportPreviewButton)}</button>
            </form>
            <a class="link-center" href="/staff/items/sample.csv" download="catalogue-sample.csv">{tr.t(Msg::SampleFile)}</a>
        </section>
    }
}

#[component]
pub fn ImportPreviewPage() -> impl IntoView {
    let tr = use_tr();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).and_then(|id| id.parse::<i32>().ok()).unwrap_or(0));
    let preview = Resource::new(move || id.get(), get_import);
    let apply = ServerAction::<ApplyImport>::new();
    let error = use_form_error(apply);
    view! {
        <StaffLayout title=Msg::ImportPreviewTitle>
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(p) => {
                            let bad = !p.errors.is_empty();
                            let added = p.rows.iter().filter(|r| r.added).count();
                            let changed = p.rows.len() - added;
                            view! {
                                <section class="console-card">
                                    <p><strong>{p.file_name.clone()}</strong></p>
                                    <p class="import-counts">
                                        <span class="tag">{tr.t(Msg::ImportAdded)}" "{added}</span>" "
                                        <span class="tag">{tr.t(Msg::ImportChanged)}" "{changed}</span>" "
                                        <span class="tag">{tr.t(Msg::ImportUnchanged)}" "{p.unchanged}</span>" "
                                        <span class="tag tag-warn">{tr.t(Msg::ImportBadRows)}" "{p.errors.len()}</span>
                                    </p>
                                    {bad.then(|| view! {
                                        <div class="import-errors" id="import-errors">
                                            <p class="form-error">{tr.t(Msg::ImportFixFirst)}</p>
                                            <ul>
                                                {p.errors.iter().map(|(row, reasons)| view! {
                                                    <li>{tr.t(Msg::ImportRowN).replace("{}", &row.to_string())}{tr.t(Msg::Colon)}{crate::i18n::join_reasons(reasons, tr.0)}</li>
                                                }).collect_view()}
                                            </ul>
                                        </div>
                                    })}
                                    <table class="table">
                                        <tbody>
                                            {p.rows.iter().map(|r| view! {
                                                <tr>
                                                    <td>{tr.t(Msg::ImportRowN).replace("{}", &r.row.to_string())}</td>
                                                    <td>{r.code.clone()}</td>
                                                    <td>{r.name.clone()}</td>
                                                    <td>{if r.added { tr.t(Msg::ImportAdded).to_owned() } else { r.changed.iter().map(|m| tr.t(*m)).collect::<Vec<_>>().join("、") }}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    {(!bad && !p.applied).then(|| view! {
                                        <ActionForm action=apply attr:class="form">
                                            <input type="hidden" name="id" value=p.id/>
                                            <FormError error=error/>
                                            <SubmitButton label=Msg::ImportConfirm pending=apply.pending()/>
                                        </ActionForm>
                                    })}
                                    <a class="link-center" href="/staff/items">{tr.t(Msg::StaffItems)}</a>
                                </section>
                            }.into_any()
                        }
                        Err(err) => refused(err, "/staff/items"),
                    }
                })}
            </Suspense>
        </StaffLayout>
    }
}

#[component]
pub fn ItemEditPage() -> impl IntoView {
    let tr = use_tr();
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code")));
    let content = Resource::new(
        move || code.get(),
        |code| async move {
            match code {
                Some(code) => item_content(code.clone()).await.map(|c| (ItemForm::from_content(&code, &c), c.materials)),
                None => Ok((ItemForm::from_content("", &blank()), Vec::new())),
            }
        },
    );
    let save = ServerAction::<SaveItem>::new();
    let error = use_form_error(save);
    view! {
        <StaffLayout title=Msg::Edit>
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match content.await {
                        Ok((form, materials)) => {
                            let samples = code.get_untracked().map(|code| view! { <SamplesCard code materials/> });
                            view! { <ItemFormView form save error is_new=code.get_untracked().is_none()/> {samples} }.into_any()
                        }
                        Err(err) => refused(err, "/staff/items"),
                    }
                })}
            </Suspense>
        </StaffLayout>
    }
}

fn blank() -> super::GuideContent {
    super::GuideContent {
        name: String::new(),
        category: String::new(),
        keywords: Vec::new(),
        level: super::Level::Center,
        bookable: false,
        helper_eligible: false,
        online: false,
        high_frequency: false,
        legal_days: 20,
        promised_days: 10,
        fee: "不收费".into(),
        place: "便民服务中心综合受理窗口".into(),
        hours: "工作日 9:00-12:00，13:30-17:00（法定节假日除外）".into(),
        materials: Vec::new(),
        steps: Vec::new(),
        legal_basis: String::new(),
        contact: String::new(),
    }
}

#[component]
fn ItemFormView(form: ItemForm, save: ServerAction<SaveItem>, error: Signal<Option<AppError>>, is_new: bool) -> impl IntoView {
    let tr = use_tr();
    let text = move |label: Msg, name: &'static str, value: String| {
        view! {
            <div class="field">
                <label class="field-label" for=format!("item-{name}")>{tr.t(label)}</label>
                <input id=format!("item-{name}") name=format!("form[{name}]") value=value/>
            </div>
        }
    };
    let area = move |label: Msg, name: &'static str, value: String, hint: Option<Msg>| {
        view! {
            <div class="field">
                <label class="field-label" for=format!("item-{name}")>{tr.t(label)}</label>
                {hint.map(|h| view! { <small class="cell-hint">{tr.t(h)}</small> })}
                <textarea id=format!("item-{name}") name=format!("form[{name}]") rows="5">{value}</textarea>
            </div>
        }
    };
    let yes_no = move |label: Msg, name: &'static str, value: String| {
        view! {
            <div class="field">
                <label class="field-label" for=format!("item-{name}")>{tr.t(label)}</label>
                <select id=format!("item-{name}") name=format!("form[{name}]")>
                    <option value="是" selected=value == "是">{tr.t(Msg::Yes)}</option>
                    <option value="否" selected=value != "是">{tr.t(Msg::No)}</option>
                </select>
            </div>
        }
    };
    let rejected = move || match error.get() {
        Some(AppError::Rejected(reasons)) => {
            Some(view! { <ul class="form-error" role="alert">{reasons.into_iter().map(|r| view! { <li>{r.text(tr.0)}</li> }).collect_view()}</ul> })
        }
        _ => None,
    };
    view! {
        <section class="console-card">
            <ActionForm action=save attr:class="form item-form">
                {if is_new {
                    text(Msg::ItemCode, "code", form.code.clone()).into_any()
                } else {
                    view! { <input type="hidden" name="form[code]" value=form.code.clone()/><p><strong>{form.code.clone()}</strong></p> }.into_any()
                }}
                {text(Msg::GuideName, "name", form.name.clone())}
                {text(Msg::GuideCategory, "category", form.category.clone())}
                {text(Msg::Keywords, "keywords", form.keywords.clone())}
                <div class="field">
                    <label class="field-label" for="item-level">{tr.t(Msg::GuideLevel)}</label>
                    <select id="item-level" name="form[level]">
                        {["中心", "服务站", "中心和服务站"].into_iter().map(|l| view! { <option value=l selected=form.level == l>{l}</option> }).collect_view()}
                    </select>
                </div>
                {yes_no(Msg::Bookable, "bookable", form.bookable.clone())}
                {yes_no(Msg::HelperEligible, "helper_eligible", form.helper_eligible.clone())}
                {yes_no(Msg::OnlineAvailable, "online", form.online.clone())}
                {yes_no(Msg::HighFrequencyItems, "high_frequency", form.high_frequency.clone())}
                {text(Msg::LegalLimit, "legal_days", form.legal_days.clone())}
                {text(Msg::PromisedLimit, "promised_days", form.promised_days.clone())}
                {text(Msg::GuideFee, "fee", form.fee.clone())}
                {text(Msg::GuidePlace, "place", form.place.clone())}
                {text(Msg::GuideHours, "hours", form.hours.clone())}
                {area(Msg::GuideMaterials, "materials", form.materials.clone(), Some(Msg::FormHintMaterials))}
                {area(Msg::GuideSteps, "steps", form.steps.clone(), Some(Msg::FormHintSteps))}
                {area(Msg::GuideLegalBasis, "legal_basis", form.legal_basis.clone(), None)}
                {text(Msg::GuideContact, "contact", form.contact.clone())}
                {rejected}
                <FormError error=error/>
                <SubmitButton label=Msg::Save pending=save.pending()/>
            </ActionForm>
        </section>
    }
}

/// Per material: its sample or blank form, a plain multipart upload form (works without
/// JavaScript) and a remove button. Each change is a new guide version.
#[component]
fn SamplesCard(code: String, materials: Vec<super::Material>) -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let remove = ServerAction::<super::RemoveSample>::new();
    let error = crate::components::query_refusal("sample_error");
    let saved = move || query.with(|q| q.get("sample_saved").is_some()) && error().is_none();
    let rows = materials
        .into_iter()
        .enumerate()
        .map(|(index, m)| {
            let code = code.clone();
            let action = format!("/staff/items/{code}/materials/{index}/sample");
            let input_id = format!("sample-{index}");
            let current = match m.sample.clone() {
                Some(sample) => view! {
                    <a href=sample.href() target="_blank" rel="noopener">{sample.name.clone()}</a>
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="code" value=code.clone()/>
                        <input type="hidden" name="index" value=index.to_string()/>
                        <button type="submit" class="btn btn-mini btn-default">{tr.t(Msg::Remove)}</button>
                    </ActionForm>
                }
                .into_any(),
                None => view! { <span class="cell-hint">{tr.t(Msg::SampleMissing)}</span> }.into_any(),
            };
            view! {
                <li class="sample-row">
                    <div class="sample-head"><strong>{m.name.clone()}</strong> {current}</div>
                    <form class="inline-form" method="post" action=action enctype="multipart/form-data">
                        <label class="visually-hidden" for=input_id.clone()>{m.name.clone()}</label>
                        <input id=input_id type="file" name="file" required=true
                            accept="image/jpeg,image/png,application/pdf,.doc,.docx,.xls,.xlsx"/>
                        <button type="submit" class="btn btn-mini btn-primary">{tr.t(Msg::Upload)}</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="console-card" id="samples">
            <h2 class="console-card-title">{tr.t(Msg::SamplesTitle)}</h2>
            <p class="cell-hint">{tr.t(Msg::SamplesHint)}</p>
            {move || error().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            {move || saved().then(|| view! { <p class="form-ok" role="status">{tr.t(Msg::SampleSaved)}</p> })}
            <ul class="sample-list">{rows}</ul>
        </section>
    }
}
