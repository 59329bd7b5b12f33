//! /hall: every community's hall, the viewer's own first.
use crate::components::loaded::when_loaded;
use crate::hall::hall_index;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HallIndexPage() -> impl IntoView {
    let i18n = use_i18n();
    let entries = Resource::new(|| (), |_| hall_index());
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), area_hall_title).to_string() />
        <section class="page">
            <h1>{t!(i18n, area_hall_title)}</h1>
            <p class="lead">{t!(i18n, area_hall_desc)}</p>
            <h2>{t!(i18n, hall_choose_community)}</h2>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {when_loaded(entries, move |r| match r {
                    Err(error) => view! { <crate::components::auth::ErrorNotice error /> }.into_any(),
                    Ok(list) => view! {
                        <ul class="hall-index" data-testid="hall-index">
                            {list.into_iter().map(|c| {
                                let href = format!("/hall/c/{}", c.id);
                                let n = c.open_proposals;
                                view! {
                                    <li class="card-row">
                                        <a href=href class="community-link">
                                            {move || super::local_name(i18n.get_locale(), &c.name, &c.name_en)}
                                        </a>
                                        <span class="muted">{c.street.clone()}</span>
                                        {c.mine.then(|| view! { <span class="tag">{t!(i18n, hall_my_community)}</span> })}
                                        <span>{move || td_string!(i18n.get_locale(), hall_open_count, n = n).to_string()}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}
