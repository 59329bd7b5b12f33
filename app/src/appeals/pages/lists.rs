//! /appeals/queue (what waits for me), /appeals/overdue (督办) and /appeals/c/:community
//! (a community's appeals, anonymised, with its rates this year).
use crate::components::loaded::when_loaded;
use super::*;
use crate::components::auth::ErrorNotice;
use crate::hall::pages::param_id;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn QueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let queue = Resource::new(|| (), |_| work_queue());
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), appeal_queue).to_string() />
        <section class="page">
            <p class="muted"><a href="/appeals">{t!(i18n, area_appeals_title)}</a></p>
            <h1>{t!(i18n, appeal_queue)}</h1>
            <p class="muted">{t!(i18n, appeal_queue_hint)}</p>
            <p><a href="/appeals/overdue">{t!(i18n, appeal_overdue_list)}</a></p>
            <QueueList queue />
        </section>
    }
}

#[component]
pub fn OverduePage() -> impl IntoView {
    let i18n = use_i18n();
    let queue = Resource::new(|| (), |_| overdue_appeals());
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), appeal_overdue_list).to_string() />
        <section class="page">
            <p class="muted"><a href="/appeals">{t!(i18n, area_appeals_title)}</a></p>
            <h1>{t!(i18n, appeal_overdue_list)}</h1>
            <p class="muted">{t!(i18n, appeal_overdue_hint)}</p>
            <QueueList queue />
        </section>
    }
}

#[component]
fn QueueList(queue: Resource<Result<Queue, crate::error::AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {when_loaded(queue, move |r| match r {
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                Ok(q) => {
                    let (items, next): (Vec<_>, Vec<_>) = q.entries.into_iter().map(|e| (e.summary, e.next)).unzip();
                    let n = items.len();
                    view! {
                        <p class="muted" data-testid="queue-count">{move || td_string!(i18n.get_locale(), appeal_queue_count, n = n).to_string()}</p>
                        <AppealCards items now=q.now next />
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
pub fn CommunityAppealsPage() -> impl IntoView {
    let i18n = use_i18n();
    let community = param_id("community");
    let query = use_query_map();
    let before = move || query.with(|q| q.get("before").and_then(|v| v.parse::<i64>().ok()));
    let list = Resource::new(move || (community(), before()), |(c, b)| community_appeals(c, b));
    let rates = Resource::new(community, |c| appeal_rates(Some("community".into()), Some(c), None, None));
    view! {
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {when_loaded(rates, move |r| match r {
                Err(error) => view! { <section class="page"><ErrorNotice error /></section> }.into_any(),
                Ok(report) => {
                    let name = local_name(i18n.get_locale(), &report.name, &report.name_en);
                    let title = name.clone();
                    let c = community();
                    view! {
                        <Title text=format!("{} · {}", title, td_string!(i18n.get_locale_untracked(), area_appeals_title)) />
                        <section class="page">
                            <p class="muted"><a href="/appeals">{t!(i18n, area_appeals_title)}</a></p>
                            <h1>{name}</h1>
                            <super::rates::RateSummary row=report.total.clone() />
                            <p><a href=format!("/appeals/rates?unit=community:{c}")>{t!(i18n, appeal_rates_details)}</a></p>
                            <h2>{t!(i18n, appeal_public_heading)}</h2>
                            <p class="muted">{t!(i18n, appeal_public_hint)}</p>
                            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                                {when_loaded(list, move |r| match r {
                                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                                    Ok(l) => view! {
                                        <AppealCards items=l.items now=l.now />
                                        {l.next.map(|n| view! { <p><a href=format!("/appeals/c/{c}?before={n}")>{t!(i18n, older)}</a></p> })}
                                    }.into_any(),
                                })}
                            </Transition>
                        </section>
                    }.into_any()
                }
            })}
        </Transition>
    }
}
