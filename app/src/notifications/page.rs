//! /inbox and the bell in the header.
use crate::components::loaded::when_loaded;
use super::*;
use crate::components::auth::{Auth, FormError};
use leptos::prelude::*;
use leptos_meta::Title;

/// Shared so the bell updates when the inbox marks notifications read.
#[derive(Clone, Copy)]
pub struct Inbox {
    pub mark: ServerAction<MarkRead>,
}

#[component]
pub fn Bell() -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::get();
    let inbox = Inbox { mark: ServerAction::<MarkRead>::new() };
    provide_context(inbox);
    // The user is awaited in the fetcher (so a new user still refetches the count), not read
    // in the source: a source reading it would first run with the user still loading, and the
    // header await a count that is fetched again partway through its render.
    let count = Resource::new(move || inbox.mark.version().get(), move |_| async move {
        let _ = auth.user.await;
        unread_count().await
    });
    view! {
        <Transition>
            {Suspend::new(async move {
                let user = auth.user.await.ok().flatten();
                count.await.ok().filter(|_| user.is_some()).map(|n| view! {
                    <a class="button bell" href="/inbox" data-testid="bell"
                        aria-label=move || td_string!(i18n.get_locale(), inbox_unread, count = n).to_string()>
                        <span aria-hidden="true">{t!(i18n, inbox_title)}</span>
                        {(n > 0).then(|| view! { <span class="badge" aria-hidden="true">{n}</span> })}
                    </a>
                })
            })}
        </Transition>
    }
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let mark = use_context::<Inbox>().map(|i| i.mark).unwrap_or_else(ServerAction::<MarkRead>::new);
    let list = Resource::new(move || mark.version().get(), |_| my_notifications());
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), inbox_title).to_string() />
        <section class="page">
            <h1>{t!(i18n, inbox_title)}</h1>
            <FormError value=mark.value() />
            <ActionForm action=mark attr:class="inline-form">
                <button type="submit" data-testid="mark-all-read">{t!(i18n, mark_all_read)}</button>
            </ActionForm>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {when_loaded(list, move |r| match r {
                    Err(error) => view! { <crate::components::auth::ErrorNotice error /> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p>{t!(i18n, inbox_empty)}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="pending" data-testid="notifications">
                            {items.into_iter().map(|n| {
                                let event = n.event.clone();
                                view! {
                                    <li class="card-row inbox-row" class:unread=!n.read>
                                        <span>
                                            {(!n.read).then(|| view! { <strong>{t!(i18n, unread)} " · "</strong> })}
                                            {move || event.text(i18n.get_locale())}
                                            " · " <span class="muted">{crate::time::format_local(n.created_at)}</span>
                                        </span>
                                        {n.link.clone().map(|l| view! { <a href=l>{t!(i18n, open)}</a> })}
                                        {(!n.read).then(|| view! {
                                            <ActionForm action=mark attr:class="inline-form">
                                                <input type="hidden" name="id" value=n.id />
                                                <button type="submit">{t!(i18n, mark_read)}</button>
                                            </ActionForm>
                                        })}
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
