//! /market — 五社联动: what the viewer can do here, upcoming activities (a plain GET filter
//! form: community, "matches my skills"), teams, organizations and hours by community.
use super::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MarketPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let community = move || query.with(|q| q.get("community").and_then(|v| v.parse::<i64>().ok()));
    let matching = move || query.with(|q| q.get("matching").is_some_and(|v| v == "true"));
    let home = Resource::new(move || (community(), matching()), |(c, m)| market_home(c, m));
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), area_market_title).to_string() />
        <section class="page">
            <h1>{t!(i18n, area_market_title)}</h1>
            <p class="lead">{t!(i18n, area_market_desc)}</p>
            {loaded(home, move |h: MarketFront| view! { <Front h community=community() matching=matching() /> })}
        </section>
    }
}

#[component]
fn Front(h: MarketFront, community: Option<i64>, matching: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <MyPart h=h.clone() />
        <ul class="tool-links">
            <li><a class="button" href="/market/social-workers">{t!(i18n, mk_directory)}</a></li>
            <li><a class="button" href="/market/charity">{t!(i18n, mk_charity)}</a></li>
        </ul>
        <section aria-labelledby="activities-heading">
            <h2 id="activities-heading">{t!(i18n, mk_activities)}</h2>
            <form method="get" action="/market" class="filters" role="search">
                <div class="field">
                    <label for="mk-community">{t!(i18n, mk_community)}</label>
                    <CommunitySelect name="community" id="mk-community" communities=h.communities.clone() any=true selected=community />
                </div>
                {h.is_volunteer.then(|| view! {
                    <div class="field">
                        <label class="check"><input type="checkbox" name="matching" value="true" checked=matching data-testid="matching" />
                            {t!(i18n, mk_matching)}</label>
                    </div>
                })}
                <div class="field"><button type="submit">{t!(i18n, mk_filter)}</button></div>
            </form>
            <ActivityCards items=h.activities.clone() />
        </section>
        <section aria-labelledby="teams-heading">
            <h2 id="teams-heading">{t!(i18n, mk_teams)}</h2>
            <TeamCards items=h.teams.clone() />
        </section>
        <section aria-labelledby="orgs-heading">
            <h2 id="orgs-heading">{t!(i18n, mk_orgs)}</h2>
            <ul class="proposals" data-testid="orgs">
                {h.orgs.iter().cloned().map(|o| {
                    let community = o.community.clone();
                    view! {
                        <li class="proposal-card">
                            <p class="proposal-title"><a href=format!("/market/orgs/{}", o.id)>{o.name.clone()}</a></p>
                            <p class="meta">
                                <span class="tag">{move || o.kind.label(i18n.get_locale())}</span>
                                <span class="muted">{move || community_name(i18n.get_locale(), &community)}</span>
                                {o.service_areas.iter().map(|&a| view! { <span class="tag">{move || a.label(i18n.get_locale())}</span> }).collect_view()}
                            </p>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        {(!h.community_hours.is_empty()).then(|| view! {
            <section aria-labelledby="hours-heading">
                <h2 id="hours-heading">{t!(i18n, mk_hours_by_community)}</h2>
                <table class="audit-table">
                    <thead><tr><th scope="col">{t!(i18n, mk_community)}</th><th scope="col">{t!(i18n, mk_service_hours)}</th></tr></thead>
                    <tbody>
                        {h.community_hours.iter().cloned().map(|(c, m)| view! {
                            <tr><th scope="row">{move || community_name(i18n.get_locale(), &c)}</th><td>{move || hours_label(i18n.get_locale(), m)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        })}
    }
}

/// What the viewer can do: join as a volunteer or see their record, register an organization
/// or go to theirs, and (staff) the desk.
#[component]
fn MyPart(h: MarketFront) -> impl IntoView {
    let i18n = use_i18n();
    let join = ServerAction::<JoinVolunteers>::new();
    view! {
        <section class="standing" aria-labelledby="my-market-heading">
            <h2 id="my-market-heading">{t!(i18n, mk_my_part)}</h2>
            {if !h.logged_in {
                view! { <p>{t!(i18n, mk_login_hint)} " " <a href="/login">{t!(i18n, login)}</a></p> }.into_any()
            } else if h.is_volunteer {
                view! { <p><a class="button primary" href="/market/me" data-testid="my-volunteering">{t!(i18n, mk_my_record)}</a></p> }.into_any()
            } else {
                view! {
                    <p>{t!(i18n, mk_join_hint)}</p>
                    <crate::components::auth::FormError value=join.value() />
                    <ActionForm action=join>
                        <button type="submit" class="primary" data-testid="join-volunteers">{t!(i18n, mk_join)}</button>
                    </ActionForm>
                }.into_any()
            }}
            {h.logged_in.then(|| view! {
                <ul class="tool-links">
                    {h.my_orgs.iter().cloned().map(|(id, name, status)| view! {
                        <li><a class="button" href=format!("/market/orgs/{id}")>{name} " · " {move || status.label(i18n.get_locale())}</a></li>
                    }).collect_view()}
                    <li><a class="button" href="/market/orgs/new" data-testid="register-org">{t!(i18n, mk_register_org)}</a></li>
                    {(!h.staff_of.is_empty()).then(|| view! {
                        <li><a class="button" href="/market/staff" data-testid="staff-desk">{t!(i18n, mk_staff_desk)}</a></li>
                    })}
                </ul>
            })}
        </section>
    }
}
