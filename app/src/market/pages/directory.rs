//! /market/social-workers — the directory of certified social workers (持证社工), by
//! community; the community's staff add, edit and remove their own entries.
use super::*;
use crate::components::auth::FormError;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let community = move || query.with(|q| q.get("community").and_then(|v| v.parse::<i64>().ok()));
    let dir = Resource::new(community, social_workers);
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), mk_directory).to_string() />
        <section class="page">
            <BackToMarket />
            <h1>{t!(i18n, mk_directory)}</h1>
            <p class="muted">{t!(i18n, mk_directory_hint)}</p>
            {loaded(dir, move |d: Directory| view! { <Entries d /> })}
        </section>
    }
}

#[component]
fn Entries(d: Directory) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveSocialWorker>::new();
    let remove = ServerAction::<RemoveSocialWorker>::new();
    let editable: Vec<i64> = d.editable.iter().map(|c| c.id).collect();
    let orgs = d.orgs.clone();
    view! {
        <FormError value=save.value() />
        <FormError value=remove.value() />
        {if d.entries.is_empty() {
            view! { <p class="muted">{t!(i18n, mk_no_social_workers)}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="audit-table" data-testid="social-workers">
                        <thead><tr>
                            <th scope="col">{t!(i18n, mk_sw_name)}</th>
                            <th scope="col">{t!(i18n, mk_sw_level)}</th>
                            <th scope="col">{t!(i18n, mk_sw_where)}</th>
                            <th scope="col">{t!(i18n, mk_sw_focus)}</th>
                        </tr></thead>
                        <tbody>
                            {d.entries.iter().cloned().map(|e| {
                                let community = e.community.clone();
                                let mine = editable.contains(&e.community.id);
                                let id = e.id;
                                view! {
                                    <tr>
                                        <th scope="row">{e.name.clone()}</th>
                                        <td>{move || e.level.label(i18n.get_locale())}</td>
                                        <td>{e.org.clone().map(|o| format!("{o} · "))}{move || community_name(i18n.get_locale(), &community)}</td>
                                        <td>{e.focus.clone()}
                                            {mine.then(|| view! {
                                                <ActionForm action=remove attr:class="inline-form">
                                                    <input type="hidden" name="id" value=id />
                                                    <button type="submit">{t!(i18n, mk_remove)}</button>
                                                </ActionForm>
                                            })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {(!d.editable.is_empty()).then(|| view! {
            <details class="staff-step">
                <summary data-testid="add-social-worker">{t!(i18n, mk_add_social_worker)}</summary>
                <ActionForm action=save attr:class="stack">
                    <label for="sw-community">{t!(i18n, mk_community)}</label>
                    <CommunitySelect name="community_id" id="sw-community" communities=d.editable.clone() />
                    <label for="sw-name">{t!(i18n, mk_sw_name)}</label>
                    <input id="sw-name" name="name" type="text" required maxlength="20" />
                    <label for="sw-level">{t!(i18n, mk_sw_level)}</label>
                    <select id="sw-level" name="level">
                        {SocialWorkerLevel::ALL.iter().map(|&l| view! { <option value=l.code()>{move || l.label(i18n.get_locale())}</option> }).collect_view()}
                    </select>
                    <label for="sw-org">{t!(i18n, mk_sw_org)}</label>
                    <select id="sw-org" name="org_id">
                        <option value="">{t!(i18n, mk_sw_no_org)}</option>
                        {orgs.iter().cloned().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select>
                    <label for="sw-focus">{t!(i18n, mk_sw_focus)}</label>
                    <input id="sw-focus" name="focus" type="text" required maxlength="100" />
                    <button type="submit" class="primary">{t!(i18n, save)}</button>
                </ActionForm>
            </details>
        })}
    }
}
