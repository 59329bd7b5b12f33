//! /admin/appeals — the urgency time limits, and the API keys of Open311 client apps.
//! For admins; every server function checks that again.
use crate::components::loaded::when_loaded;
use super::*;
use crate::accounts::Role;
use crate::components::auth::{ErrorNotice, FormError, RequireRole};
use leptos_meta::Title;

#[component]
pub fn AdminAppealsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), appeal_admin).to_string() />
        <section class="page">
            <h1>{t!(i18n, appeal_admin)}</h1>
            <RequireRole roles=&[Role::Admin]>
                <Limits />
                <Keys />
            </RequireRole>
        </section>
    }
}

#[component]
fn Limits() -> impl IntoView {
    let i18n = use_i18n();
    let set = ServerAction::<SetUrgencyLimit>::new();
    let rules = Resource::new(move || set.version().get(), |_| urgency_rules());
    view! {
        <h2>{t!(i18n, appeal_limits)}</h2>
        <p class="muted">{t!(i18n, appeal_limits_hint)}</p>
        <FormError value=set.value() />
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {when_loaded(rules, move |r| match r {
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                Ok(rules) => rules.into_iter().map(|rule| {
                    let u = rule.urgency;
                    view! {
                        <ActionForm action=set attr:class="rename" attr:data-testid=format!("limit-{}", u.code())>
                            <input type="hidden" name="urgency" value=u.code() />
                            <strong class="limit-name">{move || u.label(i18n.get_locale())}</strong>
                            <label for=format!("h-{}", u.code())>{t!(i18n, hours)}</label>
                            <input id=format!("h-{}", u.code()) name="hours" type="number" min="0" max="8760" value=rule.limit_minutes / 60 required />
                            <label for=format!("m-{}", u.code())>{t!(i18n, minutes)}</label>
                            <input id=format!("m-{}", u.code()) name="minutes" type="number" min="0" max="59" value=rule.limit_minutes % 60 required />
                            <button type="submit">{t!(i18n, save)}</button>
                        </ActionForm>
                    }
                }).collect_view().into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Keys() -> impl IntoView {
    let i18n = use_i18n();
    let issue = ServerAction::<IssueApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let keys = Resource::new(move || issue.version().get() + revoke.version().get(), |_| list_api_keys());
    let fresh = Resource::new(move || issue.version().get(), |_| take_new_api_key());
    view! {
        <h2>{t!(i18n, appeal_api_keys)}</h2>
        <p class="muted">{t!(i18n, appeal_api_keys_hint)} " " <a href="/open311/v2/services.json">"services.json"</a></p>
        <FormError value=issue.value() />
        <FormError value=revoke.value() />
        <Transition fallback=|| ()>
            {move || {
                // With JavaScript the key comes back from the action; without, from the cookie.
                let key = issue.value().get().and_then(Result::ok).or_else(|| fresh.get().and_then(Result::ok).flatten());
                key.map(|k| view! {
                    <p class="notice" role="status">{t!(i18n, appeal_key_once)} " " <code data-testid="new-api-key">{k}</code></p>
                })
            }}
        </Transition>
        <ActionForm action=issue attr:class="rename">
            <label for="key-name">{t!(i18n, appeal_key_name)}</label>
            <input id="key-name" name="name" type="text" required maxlength="100" />
            <button type="submit" class="primary" data-testid="issue-key">{t!(i18n, appeal_key_issue)}</button>
        </ActionForm>
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {when_loaded(keys, move |r| match r {
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                Ok(keys) => view! {
                    <ul class="grant-list">
                        {keys.into_iter().map(|k| view! {
                            <li class="card-row">
                                <strong>{k.name.clone()}</strong>
                                <span class="muted">{when(k.created_at)}</span>
                                {match k.revoked_at {
                                    Some(at) => view! { <span class="tag">{t!(i18n, appeal_key_revoked)} " " {when(at)}</span> }.into_any(),
                                    None => view! {
                                        <ActionForm action=revoke attr:class="inline-form">
                                            <input type="hidden" name="id" value=k.id />
                                            <button type="submit">{t!(i18n, appeal_key_revoke)}</button>
                                        </ActionForm>
                                    }.into_any(),
                                }}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Transition>
    }
}
