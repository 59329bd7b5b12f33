//! /appeals/:id — one appeal: what, where and how urgent; its deadline; for those with a part
//! in it, who reported it and the photos; the reply and the callback; the timeline; and the
//! forms for the steps the viewer may take now.
use crate::components::loaded::when_loaded;
use super::steps::{StepActions, StepForms};
use super::*;
use crate::components::auth::ErrorNotice;
use crate::hall::pages::param_id;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AppealView() -> impl IntoView {
    let i18n = use_i18n();
    let id = param_id("id");
    let actions = StepActions::new();
    let appeal = Resource::new(move || (id(), actions.version()), |(id, _)| get_appeal(id));
    view! {
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {when_loaded(appeal, move |r| match r {
                Err(error) => view! { <section class="page"><ErrorNotice error /></section> }.into_any(),
                Ok(a) => view! { <Appeal a actions /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Appeal(a: AppealPage, actions: StepActions) -> impl IntoView {
    let i18n = use_i18n();
    let s = a.summary.clone();
    let id = s.id;
    let title = move || format!("{} · {}", td_string!(i18n.get_locale(), appeal_number, id = id), s.category.label(i18n.get_locale()));
    let (community, community_en) = (s.community.clone(), s.community_en.clone());
    view! {
        <Title text=title() />
        <article class="page appeal" data-testid="appeal">
            <p class="muted"><a href="/appeals">{t!(i18n, area_appeals_title)}</a></p>
            <h1>{title}</h1>
            <p class="meta">
                <AppealBadge state=s.state />
                <span class="tag">{move || s.urgency.label(i18n.get_locale())}</span>
                <span class="muted">{move || local_name(i18n.get_locale(), &community, &community_en)} " · " {when(s.created_at)}</span>
                <Deadline summary=s.clone() now=a.now />
            </p>
            {s.overdue.then(|| view! { <p class="notice error" role="status" data-testid="overdue">{t!(i18n, appeal_overdue_notice)}</p> })}
            {s.department.clone().map(|d| view! { <p><strong>{t!(i18n, appeal_department)}</strong> " " {d}</p> })}
            {s.deadline_at.map(|d| view! { <p><strong>{t!(i18n, appeal_deadline)}</strong> " " {when(d)}</p> })}
            <div class="prose" data-testid="appeal-description">{s.description.clone()}</div>
            {a.private.clone().map(|p| view! { <Private p id can_add=a.can_add_photos /> })}
            {a.extension.clone().map(|(days, reason)| view! {
                <p class="notice" data-testid="extension-pending">{move || td_string!(i18n.get_locale(), appeal_extension_pending, days = days).to_string()} " " {reason.clone()}</p>
            })}
            {a.reply.clone().map(|reply| view! {
                <section aria-labelledby="reply-heading">
                    <h2 id="reply-heading">{t!(i18n, appeal_reply)}</h2>
                    <div class="prose" data-testid="appeal-reply">{reply}</div>
                </section>
            })}
            {a.callback.clone().map(|c| view! { <CallbackView c /> })}
            <StepForms a=a.clone() actions />
            <Timeline events=a.timeline.clone() />
        </article>
    }
}

/// Reporter, contact, place and photos: for those with a part in the appeal.
#[component]
fn Private(p: AppealPrivate, id: i64, can_add: bool) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let photo_error = move || query.with(|q| q.get("photo_error"));
    let reporter = p.reporter.clone().or(p.contact_name.clone());
    view! {
        <section class="standing" aria-labelledby="private-heading" data-testid="appeal-private">
            <h2 id="private-heading">{t!(i18n, appeal_private)}</h2>
            <p class="muted">{t!(i18n, appeal_private_hint)}</p>
            <dl class="facts">
                <dt>{t!(i18n, appeal_place)}</dt><dd data-testid="appeal-place">{p.place.clone()}</dd>
                <dt>{t!(i18n, appeal_source)}</dt><dd>{move || p.source.label(i18n.get_locale())}</dd>
                {reporter.map(|r| view! { <dt>{t!(i18n, appeal_reporter)}</dt><dd>{r}</dd> })}
                {p.contact_phone.clone().map(|ph| view! { <dt>{t!(i18n, appeal_contact_phone)}</dt><dd>{ph}</dd> })}
            </dl>
            {(!p.photos.is_empty()).then(|| view! {
                <ul class="photos">
                    {p.photos.iter().enumerate().map(|(i, pid)| view! {
                        <li><a href=format!("/appeals/photos/{pid}")><img src=format!("/appeals/photos/{pid}") alt=move || td_string!(i18n.get_locale(), appeal_photo_alt, n = i + 1).to_string() loading="lazy" /></a></li>
                    }).collect_view()}
                </ul>
            })}
            {move || photo_error().map(|code| view! { <p class="notice error" role="alert">{move || photo_message(i18n.get_locale(), &code)}</p> })}
            {can_add.then(|| view! {
                <form method="post" enctype="multipart/form-data" action=format!("/appeals/{id}/photos") class="stack" data-testid="photo-form">
                    <label for="photo">{t!(i18n, appeal_add_photo)}</label>
                    <input id="photo" name="photo" type="file" accept="image/jpeg,image/png,image/webp" required />
                    <small>{t!(i18n, appeal_photo_hint)}</small>
                    <button type="submit">{t!(i18n, appeal_upload)}</button>
                </form>
            })}
        </section>
    }
}

/// The message for a refused photo (the upload route redirects back with a code).
fn photo_message(locale: Locale, code: &str) -> String {
    use crate::error::{message, AppError, Conflict, Invalid};
    let err = match code {
        "too_many" => AppError::Conflict(Conflict::TooManyPhotos),
        "state" => AppError::Conflict(Conflict::State),
        "forbidden" => AppError::Forbidden,
        _ => AppError::Invalid(Invalid::Photo),
    };
    message(locale, &err)
}

#[component]
fn CallbackView(c: CallbackAnswers) -> impl IntoView {
    let i18n = use_i18n();
    let yes_no = move |b: bool| move || if b { td_string!(i18n.get_locale(), yes) } else { td_string!(i18n.get_locale(), no) };
    view! {
        <section aria-labelledby="callback-heading" data-testid="callback">
            <h2 id="callback-heading">{t!(i18n, step_callback)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, appeal_contacted)}</dt><dd>{yes_no(c.contacted)}</dd>
                <dt>{t!(i18n, appeal_solved)}</dt><dd>{yes_no(c.solved)}</dd>
                <dt>{t!(i18n, appeal_satisfied)}</dt><dd data-testid="callback-satisfied">{yes_no(c.satisfied)}</dd>
            </dl>
            {(!c.note.is_empty()).then(|| view! { <p class="prose">{c.note.clone()}</p> })}
        </section>
    }
}

#[component]
fn Timeline(events: Vec<AppealEvent>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{t!(i18n, appeal_timeline)}</h2>
            <ol class="timeline" data-testid="appeal-timeline">
                {events.into_iter().map(|e| view! {
                    <li>
                        <time>{when(e.at)}</time> " "
                        <strong>{move || event_label(i18n.get_locale(), &e.step)}</strong> " · "
                        <span class="muted">{move || actor_label(i18n.get_locale(), &e.actor_role)}</span>
                        {(!e.note.is_empty()).then(|| view! { <div class="prose">{e.note.clone()}</div> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
