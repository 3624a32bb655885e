//! Console pages at `/staff`, usable on a phone and on a desktop.

use super::{ASSIGNABLE, CreateStaff, LiftLoginLock, StaffMember, list_login_locks, list_staff, list_stations, menu_for, staff_overview};
use crate::accounts::LoginLock;
use crate::components::{FormError, StaffLayout, SubmitButton, TextField, refused, use_form_error};
use crate::domain::Choice;
use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let tr = use_tr();
    let overview = Resource::new(|| (), |_| staff_overview());
    view! {
        <StaffLayout title=Msg::StaffConsole>
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(me) => view! {
                            <section class="console-card">
                                <p class="console-welcome">{tr.t(Msg::StaffWelcome)}{me.name.clone()}</p>
                                <p class="profile-sub"><span class="tag">{tr.t(me.role.label())}</span>" "{tr.t(Msg::StaffMenuHint)}</p>
                            </section>
                            <nav class="console-menu">
                                {menu_for(me.role).map(|entry| view! {
                                    <a class="console-menu-item" href=entry.href>{tr.t(entry.label)}</a>
                                }).collect_view()}
                            </nav>
                        }.into_any(),
                        Err(err) => refused(err, "/staff"),
                    }
                })}
            </Suspense>
        </StaffLayout>
    }
}

#[component]
pub fn StaffUsersPage() -> impl IntoView {
    let tr = use_tr();
    let create = ServerAction::<CreateStaff>::new();
    let unlock = ServerAction::<LiftLoginLock>::new();
    let staff = Resource::new(move || create.version().get(), |_| list_staff());
    let stations = Resource::new(|| (), |_| list_stations());
    let locks = Resource::new(move || unlock.version().get(), |_| list_login_locks());
    view! {
        <StaffLayout title=Msg::StaffUsers>
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match (staff.await, stations.await) {
                        (Ok(staff), Ok(stations)) => view! {
                            <div class="console-columns">
                                <StaffTable staff=staff/>
                                <CreateStaffForm action=create stations=stations/>
                            </div>
                        }.into_any(),
                        (Err(err), _) | (_, Err(err)) => refused(err, "/staff/users"),
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move { locks.await.ok().map(|locks| view! { <LoginLocks locks unlock/> }) })}
            </Suspense>
        </StaffLayout>
    }
}

/// Accounts locked for one address after wrong passwords, with 解除锁定.
#[component]
fn LoginLocks(locks: Vec<LoginLock>, unlock: ServerAction<LiftLoginLock>) -> impl IntoView {
    let tr = crate::prefs::use_tr();
    view! {
        <section class="console-card" id="login-locks">
            <h2 class="console-card-title">{tr.t(Msg::LocksTitle)}" ("{locks.len()}")"</h2>
            <p class="cell-hint">{tr.t(Msg::LocksHint)}</p>
            {if locks.is_empty() {
                view! { <p class="cell-hint">{tr.t(Msg::LocksNone)}</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th>{tr.t(Msg::LocksAccount)}</th><th>{tr.t(Msg::LocksAddress)}</th><th>{tr.t(Msg::LocksUntil)}</th><th></th></tr></thead>
                        <tbody>
                            {locks.into_iter().map(|lock| view! {
                                <tr>
                                    <td>{lock.phone_masked}</td>
                                    <td>{lock.addr}</td>
                                    <td>{lock.until}</td>
                                    <td>
                                        <ActionForm action=unlock>
                                            <input type="hidden" name="id" value=lock.id/>
                                            <button type="submit" class="btn btn-default btn-small">{tr.t(Msg::LocksLift)}</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn StaffTable(staff: Vec<StaffMember>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="console-card">
            <table class="table">
                <thead><tr>
                    <th>{tr.t(Msg::Name)}</th>
                    <th>{tr.t(Msg::Phone)}</th>
                    <th>{tr.t(Msg::Role)}</th>
                    <th>{tr.t(Msg::Station)}</th>
                </tr></thead>
                <tbody>
                    {staff.into_iter().map(|s| view! {
                        <tr>
                            <td>{s.name}</td>
                            <td>{s.phone_masked}</td>
                            <td><span class="tag">{tr.t(s.role.label())}</span></td>
                            <td>{s.station.unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn CreateStaffForm(action: ServerAction<CreateStaff>, stations: Vec<Choice>) -> impl IntoView {
    let tr = use_tr();
    let error = use_form_error(action);
    let created = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <section class="console-card">
            <h2 class="console-card-title">{tr.t(Msg::StaffCreate)}</h2>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <TextField label=Msg::Phone name="phone" input_type="tel" inputmode="numeric" required=true error=error/>
                <TextField label=Msg::Name name="name" required=true error=error/>
                <div class="field">
                    <label class="field-label" for="field-role">{tr.t(Msg::Role)}</label>
                    <select id="field-role" name="role">
                        {ASSIGNABLE.into_iter().map(|r| view! { <option value=r.as_str()>{tr.t(r.label())}</option> }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{move || error.get().and_then(|e| e.field_msg("role")).map(|m| tr.t(m))}</p>
                </div>
                <div class="field">
                    <label class="field-label" for="field-station">{tr.t(Msg::Station)}</label>
                    <select id="field-station" name="station_id">
                        <option value="">{tr.t(Msg::NoStation)}</option>
                        {stations.into_iter().map(|s| view! { <option value=s.id.to_string()>{s.name}</option> }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{move || error.get().and_then(|e| e.field_msg("station_id")).map(|m| tr.t(m))}</p>
                </div>
                <TextField label=Msg::InitialPassword name="password" input_type="password" autocomplete="new-password" required=true error=error/>
                <FormError error=error/>
                <Show when=created><p class="form-ok" role="status">{tr.t(Msg::StaffCreated)}</p></Show>
                <SubmitButton label=Msg::StaffCreate pending=action.pending()/>
            </ActionForm>
        </section>
    }
}
