//! /admin/audit: the audit log, filterable by action, paged by links (works without JS).
use crate::components::loaded::when_loaded;
use super::*;
use crate::i18n::*;
use crate::accounts::Role;
use crate::components::auth::RequireRole;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let action = move || query.get().get("action").filter(|a| !a.is_empty());
    let before = move || query.get().get("before").and_then(|b| b.parse::<i64>().ok());
    let entries = Resource::new(move || (action(), before()), |(a, b)| list_audit(a, b));
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), audit_title).to_string() />
        <section class="page">
            <h1>{t!(i18n, audit_title)}</h1>
            <RequireRole roles=&[Role::Admin]>
            <form method="get" action="/admin/audit" class="stack">
                <label for="audit-action">{t!(i18n, audit_action)}</label>
                <select id="audit-action" name="action">
                    <option value="">{t!(i18n, audit_all)}</option>
                    {ACTIONS.into_iter().map(|a| view! {
                        <option value=a selected=move || action().as_deref() == Some(a)>{a}</option>
                    }).collect_view()}
                </select>
                <button type="submit">{t!(i18n, filter)}</button>
            </form>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {when_loaded(entries, move |r| match r {
                    Err(error) => view! { <crate::components::auth::ErrorNotice error /> }.into_any(),
                    Ok(list) => {
                        let older = (list.len() as i64 == PAGE_SIZE).then(|| list.last().map(|e| e.id)).flatten();
                        view! {
                            <div class="table-scroll">
                                <table class="audit-table" data-testid="audit">
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, audit_time)}</th>
                                        <th scope="col">{t!(i18n, audit_actor)}</th>
                                        <th scope="col">{t!(i18n, audit_action)}</th>
                                        <th scope="col">{t!(i18n, audit_object)}</th>
                                        <th scope="col">{t!(i18n, audit_change)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|e| view! {
                                            <tr>
                                                <td>{crate::time::format_local(e.at)}</td>
                                                <td>{e.actor}</td>
                                                <td>{e.action}</td>
                                                <td>{e.object}</td>
                                                <td><code>{e.before.unwrap_or_default()} " → " {e.after.unwrap_or_default()}</code></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {older.map(|id| view! {
                                <p><a class="button" href=move || format!("/admin/audit?action={}&before={id}", action().unwrap_or_default())>{t!(i18n, older)}</a></p>
                            })}
                        }.into_any()
                    }
                })}
            </Transition>
            </RequireRole>
        </section>
    }
}
