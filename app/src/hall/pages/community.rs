//! /hall/c/:community — a community's proposals: search, filters, sorts and keyset pages.
//! The filter form is a plain GET form, so it works the same with and without JavaScript.
use crate::components::loaded::when_loaded;
use super::{local_name, param_id, when, StateBadge};
use crate::hall::*;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CommunityHallPage() -> impl IntoView {
    let i18n = use_i18n();
    let community = param_id("community");
    let query = use_query_map();
    let get = move |k: &str| query.with(|q| q.get(k).filter(|v| !v.is_empty()));
    let filters = move || (get("state"), get("category"), get("q"), get("sort"), get("after"));
    let hall = Resource::new(community, hall_community);
    let list = Resource::new(
        move || (community(), filters()),
        |(c, (state, category, q, sort, after))| list_proposals(c, state, category, q, sort, after),
    );
    view! {
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {when_loaded(hall, move |r| match r {
                Err(error) => view! { <section class="page"><crate::components::auth::ErrorNotice error /></section> }.into_any(),
                Ok(h) => {
                    let name = local_name(i18n.get_locale(), &h.name, &h.name_en);
                    let title = name.clone();
                    view! {
                        <Title text=format!("{} · {}", title, td_string!(i18n.get_locale_untracked(), area_hall_title)) />
                        <section class="page">
                            <p class="muted"><a href="/hall">{t!(i18n, area_hall_title)}</a></p>
                            <h1>{name}</h1>
                            <p class="muted">{move || td_string!(i18n.get_locale(), hall_threshold_hint, n = h.support_threshold).to_string()}</p>
                            <ul class="tool-links">
                                {h.can_participate.then(|| view! {
                                    <li><a class="button primary" href=format!("/hall/c/{}/new", h.id) data-testid="new-proposal">{t!(i18n, hall_new_proposal)}</a></li>
                                })}
                                <li><a class="button" href=format!("/hall/c/{}/meetings", h.id)>{t!(i18n, hall_meetings)}</a></li>
                                <li><a class="button" href=format!("/hall/c/{}/moderation", h.id)>{t!(i18n, hall_moderation_log)}</a></li>
                            </ul>
                            {(!h.can_participate).then(|| view! { <p class="notice">{t!(i18n, hall_participate_hint)}</p> })}
                            <Filters community=h.id get />
                            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                                {when_loaded(list, move |r| match r {
                                    Err(error) => view! { <crate::components::auth::ErrorNotice error /> }.into_any(),
                                    Ok(page) => view! { <Proposals page get community=h.id threshold=h.support_threshold /> }.into_any(),
                                })}
                            </Transition>
                        </section>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn Filters(community: i64, get: impl Fn(&str) -> Option<String> + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    // Read once, as plain values: this form is not an island, so it is never re-rendered in
    // the browser, and a closure over the query here was read by the renderer after the
    // request's reactive values were disposed (a panic once in a city bench run).
    let selected = move |k: &'static str, v: &'static str| get(k).as_deref() == Some(v);
    let search = get("q").unwrap_or_default();
    view! {
        <form method="get" action=format!("/hall/c/{community}") class="filters" role="search">
            <div class="field">
                <label for="hall-q">{t!(i18n, hall_search)}</label>
                <input id="hall-q" type="search" name="q" maxlength="40" value=search />
            </div>
            <div class="field">
                <label for="hall-state">{t!(i18n, hall_state)}</label>
                <select id="hall-state" name="state">
                    <option value="">{t!(i18n, hall_all)}</option>
                    {ProposalState::ALL.into_iter().map(|s| view! {
                        <option value=s.code() selected=selected("state", s.code())>{s.label(i18n.get_locale_untracked())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="hall-category">{t!(i18n, hall_category)}</label>
                <select id="hall-category" name="category">
                    <option value="">{t!(i18n, hall_all)}</option>
                    {Category::ALL.into_iter().map(|c| view! {
                        <option value=c.code() selected=selected("category", c.code())>{c.label(i18n.get_locale_untracked())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="hall-sort">{t!(i18n, hall_sort)}</label>
                <select id="hall-sort" name="sort">
                    {Sort::ALL.into_iter().map(|s| view! {
                        <option value=s.code() selected=selected("sort", s.code())>{s.label(i18n.get_locale_untracked())}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit">{t!(i18n, filter)}</button>
        </form>
    }
}

#[component]
fn Proposals(
    page: ProposalList,
    get: impl Fn(&str) -> Option<String> + Copy + Send + Sync + 'static,
    community: i64,
    threshold: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    if page.items.is_empty() {
        return view! { <p data-testid="no-proposals">{t!(i18n, hall_no_proposals)}</p> }.into_any();
    }
    // The next page keeps the filters; only the cursor changes.
    let next = page.next.map(|cursor| {
        let mut href = format!("/hall/c/{community}?after={cursor}");
        for k in ["state", "category", "q", "sort"] {
            if let Some(v) = get(k) {
                href.push_str(&format!("&{k}={}", urlencode(&v)));
            }
        }
        href
    });
    view! {
        <ol class="proposals" data-testid="proposals">
            {page.items.into_iter().map(|p| view! { <ProposalCard p threshold /> }).collect_view()}
        </ol>
        {next.map(|href| view! { <p><a class="button" href=href data-testid="next-page">{t!(i18n, hall_more)}</a></p> })}
    }
    .into_any()
}

/// One proposal in the list. Every text is a plain value in the page's language, read once:
/// the card is rendered on the server only (not an island), and a page's language never
/// changes in place, so closures over the language would only cost (reactive nodes built and
/// run twice per card, as in the city bench's profile).
#[component]
fn ProposalCard(p: ProposalSummary, threshold: i64) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let tally = p.tally;
    let closes = p.voting_closes_at.filter(|_| p.state == ProposalState::Voting);
    view! {
        <li class="proposal-card">
            <h2 class="proposal-title"><a href=format!("/hall/p/{}", p.id)>{p.title}</a></h2>
            <p class="meta">
                <StateBadge state=p.state />
                <span class="tag">{p.category.label(locale)}</span>
                <span>{td_string!(locale, hall_supports_of, n = p.support_count, threshold = threshold).to_string()}</span>
                <span>{td_string!(locale, hall_comments_n, n = p.comment_count).to_string()}</span>
                {(tally.total() > 0).then(|| view! {
                    <span>{td_string!(locale, hall_tally_short, yes = tally.votes_for, no = tally.against, abstain = tally.abstain).to_string()}</span>
                })}
                {closes.map(|t| view! {
                    <span>{td_string!(locale, hall_closes_at).to_string()} " " {when(t)}</span>
                })}
            </p>
            <p class="muted">{super::author_name(locale, &p.author)} " · " {when(p.created_at)}</p>
        </li>
    }
}

/// Percent-encodes a query value for a link.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
