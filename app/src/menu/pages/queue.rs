//! /menu/queue — the provider's queue: orders of the items the viewer provides and those
//! assigned to them (accept with a person, reject with a reason, start, complete), their
//! items with ratings and counts, and the form for a new item.
use super::*;
use leptos_meta::Title;

#[component]
pub fn QueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let queue = Resource::new(|| (), |_| provider_queue());
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), mn_queue).to_string() />
        <section class="page">
            <MenuLinks provider=true />
            <h1>{t!(i18n, mn_queue)}</h1>
            {loaded(queue, move |q: Queue| view! { <QueueView q /> })}
        </section>
    }
}

#[component]
fn QueueView(q: Queue) -> impl IntoView {
    let i18n = use_i18n();
    let mut communities: Vec<i64> = q.providers.iter().map(|p| p.community_id).collect();
    communities.dedup();
    view! {
        <section aria-labelledby="queue-orders">
            <h2 id="queue-orders">{t!(i18n, mn_orders)}</h2>
            <OrderList orders=q.orders.clone() />
        </section>
        <section aria-labelledby="queue-items">
            <h2 id="queue-items">{t!(i18n, mn_my_items)}</h2>
            <ItemCards items=q.items.clone() />
        </section>
        {(!q.providers.is_empty()).then(|| view! {
            <section aria-labelledby="queue-new">
                <h2 id="queue-new">{t!(i18n, mn_new_item)}</h2>
                {communities.into_iter().map(|c| view! {
                    <details class="staff-step">
                        <summary>{q.providers.iter().filter(|p| p.community_id == c).map(|p| p.name.clone()).collect::<Vec<_>>().join(" / ")}</summary>
                        <ItemForm community=Some(c) providers=q.providers.clone() key=format!("c{c}") />
                    </details>
                }).collect_view()}
            </section>
        })}
    }
}
