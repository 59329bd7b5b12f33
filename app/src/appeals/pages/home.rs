//! /appeals — what the loop is, the resident's own appeals, and the ways in: file one, the
//! work queue and 督办 for those who handle them, each community's public list, the rates.
use crate::components::loaded::when_loaded;
use super::*;
use crate::components::auth::{Auth, ErrorNotice};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AppealsHomePage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::get();
    let query = use_query_map();
    let before = move || query.with(|q| q.get("before").and_then(|v| v.parse::<i64>().ok()));
    let mine = Resource::new(before, my_appeals);
    let streets = Resource::new(|| (), |_| crate::places::list_streets());
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), area_appeals_title).to_string() />
        <section class="page">
            <h1>{t!(i18n, area_appeals_title)}</h1>
            <p class="lead">{t!(i18n, appeal_intro)}</p>
            <ul class="tool-links">
                <li><a class="button primary" href="/appeals/new" data-testid="file-appeal">{t!(i18n, appeal_file)}</a></li>
                <li><a class="button" href="/appeals/rates">{t!(i18n, appeal_rates)}</a></li>
                <Transition fallback=|| ()>
                    {when_loaded(auth.user, move |r| r.ok().flatten().filter(|u| !u.roles.is_empty()).map(|_| view! {
                        <li><a class="button" href="/appeals/queue" data-testid="queue-link">{t!(i18n, appeal_queue)}</a></li>
                        <li><a class="button" href="/appeals/overdue">{t!(i18n, appeal_overdue_list)}</a></li>
                    }))}
                </Transition>
            </ul>
            <h2>{t!(i18n, appeal_mine)}</h2>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {when_loaded(mine, move |r| match r {
                    Err(crate::error::AppError::Unauthenticated) => view! {
                        <p class="notice"><a href="/login?next=/appeals">{t!(i18n, appeal_login_to_see)}</a></p>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(list) => view! {
                        <AppealCards items=list.items now=list.now />
                        {list.next.map(|n| view! { <p><a href=format!("/appeals?before={n}")>{t!(i18n, older)}</a></p> })}
                    }.into_any(),
                })}
            </Transition>
            <h2>{t!(i18n, appeal_public_heading)}</h2>
            <p class="muted">{t!(i18n, appeal_public_hint)}</p>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {when_loaded(streets, move |r| match r {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(streets) => view! {
                        <ul class="hall-index">
                            {streets.into_iter().flat_map(|s| s.communities).map(|c| view! {
                                <li><a class="community-link" href=format!("/appeals/c/{}", c.id)>{move || local_name(i18n.get_locale(), &c.name, &c.name_en)}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}
