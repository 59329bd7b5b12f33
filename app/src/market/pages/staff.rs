//! /market/staff — the community staff's desk: organizations waiting for verification, the
//! community's own teams, and 双报到 (registering cadres and the participation report).
use super::*;
use crate::components::auth::FormError;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StaffDeskPage() -> impl IntoView {
    let i18n = use_i18n();
    let desk = Resource::new(|| (), |_| staff_desk());
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), mk_staff_desk).to_string() />
        <section class="page">
            <BackToMarket />
            <h1>{t!(i18n, mk_staff_desk)}</h1>
            {loaded(desk, move |d: OrgQueue| view! { <Desk d /> })}
        </section>
    }
}

#[component]
fn Desk(d: OrgQueue) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let get = move |k: &str| query.with(|q| q.get(k).filter(|v| !v.is_empty()));
    let first = d.communities.first().map(|c| c.id).unwrap_or(0);
    let community = move || get("community").and_then(|v| v.parse().ok()).unwrap_or(first);
    let report = Resource::new(move || (community(), get("from"), get("to")), |(c, f, t)| cadre_report(c, f, t));
    let register = ServerAction::<RegisterCadre>::new();
    let (for_team, for_cadre, for_report) = (d.communities.clone(), d.communities.clone(), d.communities.clone());
    view! {
        <section aria-labelledby="pending-heading">
            <h2 id="pending-heading">{t!(i18n, mk_pending_orgs)}</h2>
            {if d.pending.is_empty() {
                view! { <p class="muted">{t!(i18n, mk_no_pending_orgs)}</p> }.into_any()
            } else {
                view! {
                    <ul class="proposals" data-testid="pending-orgs">
                        {d.pending.iter().cloned().map(|p| view! {
                            <li class="proposal-card">
                                <p class="proposal-title"><a href=format!("/market/orgs/{}", p.summary.id)>{p.summary.name.clone()}</a></p>
                                <p class="meta">
                                    <span class="tag">{move || p.summary.kind.label(i18n.get_locale())}</span>
                                    <span>{p.contact_name.clone()} " " {p.contact_phone.clone()}</span>
                                    <span class="muted">{when(p.applied_at)}</span>
                                </p>
                                <p class="excerpt">{p.description.clone()}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="community-team-heading">
            <h2 id="community-team-heading">{t!(i18n, mk_community_team)}</h2>
            <NewTeam org_id=None community_id=Some(for_team) />
        </section>
        <section aria-labelledby="cadre-heading">
            <h2 id="cadre-heading">{t!(i18n, mk_cadres)}</h2>
            <p class="muted">{t!(i18n, mk_cadres_hint)}</p>
            <FormError value=register.value() />
            <details class="staff-step">
                <summary data-testid="register-cadre">{t!(i18n, mk_register_cadre)}</summary>
                <ActionForm action=register attr:class="stack">
                    <label for="cadre-community">{t!(i18n, mk_community)}</label>
                    <CommunitySelect name="community_id" id="cadre-community" communities=for_cadre />
                    <label for="cadre-phone">{t!(i18n, mk_cadre_phone)}</label>
                    <input id="cadre-phone" name="phone" type="tel" inputmode="tel" required maxlength="20" />
                    <label for="cadre-unit">{t!(i18n, mk_cadre_unit)}</label>
                    <input id="cadre-unit" name="unit" type="text" required maxlength="40" />
                    <button type="submit" class="primary">{t!(i18n, mk_register_cadre)}</button>
                </ActionForm>
            </details>
            <form method="get" action="/market/staff" class="filters">
                <div class="field">
                    <label for="report-community">{t!(i18n, mk_community)}</label>
                    <CommunitySelect name="community" id="report-community" communities=for_report selected=Some(community()) />
                </div>
                <div class="field">
                    <label for="report-from">{t!(i18n, mk_from)}</label>
                    <input id="report-from" name="from" type="date" value=move || get("from").unwrap_or_default() />
                </div>
                <div class="field">
                    <label for="report-to">{t!(i18n, mk_to)}</label>
                    <input id="report-to" name="to" type="date" value=move || get("to").unwrap_or_default() />
                </div>
                <div class="field"><button type="submit">{t!(i18n, mk_filter)}</button></div>
            </form>
            {loaded(report, move |r: CadreSummary| view! {
                <p>{r.from.clone()} " – " {r.to.clone()} " · " {move || hours_label(i18n.get_locale(), r.total_minutes)}</p>
                {r.rows.is_empty().then(|| view! { <p class="muted">{t!(i18n, mk_no_cadres)}</p> })}
                <div class="table-scroll">
                    <table class="audit-table" data-testid="cadre-report">
                        <thead><tr>
                            <th scope="col">{t!(i18n, mk_sw_name)}</th>
                            <th scope="col">{t!(i18n, mk_cadre_unit)}</th>
                            <th scope="col">{t!(i18n, mk_volunteer_no)}</th>
                            <th scope="col">{t!(i18n, mk_activities_attended)}</th>
                            <th scope="col">{t!(i18n, mk_service_hours)}</th>
                        </tr></thead>
                        <tbody>
                            {r.rows.iter().cloned().map(|c| view! {
                                <tr><th scope="row">{c.name}</th><td>{c.unit}</td><td>{c.volunteer_no}</td><td>{c.activities}</td><td>{hours(c.minutes)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

/// Forms a team: for an organization (`org_id`) or, by staff, for one of `community_id`'s
/// communities.
#[component]
pub fn NewTeam(org_id: Option<i64>, community_id: Option<Vec<CommunityRef>>) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateTeam>::new();
    view! {
        <details class="staff-step">
            <summary data-testid="new-team">{t!(i18n, mk_new_team)}</summary>
            <FormError value=create.value() />
            <ActionForm action=create attr:class="stack">
                {org_id.map(|o| view! { <input type="hidden" name="org_id" value=o /> })}
                {community_id.map(|cs| view! {
                    <label for="team-community">{t!(i18n, mk_community)}</label>
                    <CommunitySelect name="community_id" id="team-community" communities=cs />
                })}
                <label for="team-name">{t!(i18n, mk_team_name)}</label>
                <input id="team-name" name="name" type="text" required minlength="2" maxlength="40" />
                <label for="team-leader">{t!(i18n, mk_leader_phone)}</label>
                <input id="team-leader" name="leader_phone" type="tel" inputmode="tel" maxlength="20" />
                <small>{t!(i18n, mk_leader_hint)}</small>
                <label for="team-description">{t!(i18n, mk_description)}</label>
                <textarea id="team-description" name="description" rows="3" required maxlength="2000"></textarea>
                <button type="submit" class="primary" data-testid="submit-team">{t!(i18n, mk_new_team)}</button>
            </ActionForm>
        </details>
    }
}
