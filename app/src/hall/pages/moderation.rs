//! /hall/c/:community/moderation — the public moderation log of a community.
use crate::components::loaded::when_loaded;
use super::{param_id, when};
use crate::components::auth::ErrorNotice;
use crate::hall::*;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ModerationPage() -> impl IntoView {
    let i18n = use_i18n();
    let community = param_id("community");
    let query = use_query_map();
    let before = move || query.with(|q| q.get("before").and_then(|v| v.parse::<i64>().ok()));
    let entries = Resource::new(move || (community(), before()), |(c, b)| moderation_log(c, b));
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), hall_moderation_log).to_string() />
        <section class="page">
            <p class="muted"><a href=move || format!("/hall/c/{}", community())>{t!(i18n, area_hall_title)}</a></p>
            <h1>{t!(i18n, hall_moderation_log)}</h1>
            <p class="lead">{t!(i18n, hall_moderation_lead)}</p>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {when_loaded(entries, move |r| match r {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>{t!(i18n, hall_no_moderation)}</p> }.into_any(),
                    Ok(list) => {
                        let older = (list.len() == 50).then(|| list.last().map(|e| e.id)).flatten();
                        view! {
                            <ol class="timeline" data-testid="moderation">
                                {list.into_iter().map(|e| {
                                    let action = e.action.clone();
                                    let actor = e.actor.clone();
                                    let href = match e.comment_id {
                                        Some(c) => format!("/hall/p/{}#comment-{c}", e.proposal_id),
                                        None => format!("/hall/p/{}", e.proposal_id),
                                    };
                                    view! {
                                        <li>
                                            <strong>{move || action_label(i18n.get_locale(), &action)}</strong>
                                            " · " <a href=href>{e.proposal_title.clone()}</a>
                                            <span class="muted">" · " {when(e.at)} " · "
                                                {move || actor.clone().unwrap_or_else(|| td_string!(i18n.get_locale(), hall_by_reports).to_string())}
                                            </span>
                                            {(!e.reason.is_empty()).then(|| view! { <div class="prose">{e.reason.clone()}</div> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                            {older.map(|id| view! {
                                <p><a class="button" href=move || format!("/hall/c/{}/moderation?before={id}", community())>{t!(i18n, older)}</a></p>
                            })}
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

fn action_label(locale: Locale, action: &str) -> &'static str {
    match action {
        "hide" => td_string!(locale, mod_hide),
        "restore" => td_string!(locale, mod_restore),
        "auto_hide" => td_string!(locale, mod_auto_hide),
        "lock" => td_string!(locale, mod_lock),
        _ => td_string!(locale, mod_unlock),
    }
}
