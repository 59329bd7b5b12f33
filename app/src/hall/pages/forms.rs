//! /hall/c/:community/new and /hall/p/:id/edit — proposing, and editing while collecting.
use crate::components::loaded::when_loaded;
use super::param_id;
use crate::components::auth::{ErrorNotice, FormError};
use crate::hall::*;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewProposalPage() -> impl IntoView {
    let i18n = use_i18n();
    let community = param_id("community");
    let create = ServerAction::<CreateProposal>::new();
    let hall = Resource::new(community, hall_community);
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), hall_new_proposal).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, hall_new_proposal)}</h1>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {when_loaded(hall, move |r| match r {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(h) if !h.can_participate => view! { <p class="notice" role="alert">{t!(i18n, hall_participate_hint)}</p> }.into_any(),
                    Ok(h) => view! {
                        <p class="muted">{move || super::local_name(i18n.get_locale(), &h.name, &h.name_en)}</p>
                        <FormError value=create.value() />
                        <ActionForm action=create attr:class="stack">
                            <input type="hidden" name="community_id" value=h.id />
                            <ProposalFields category=None title=String::new() body=String::new() />
                            <button type="submit" class="primary" data-testid="submit-proposal">{t!(i18n, hall_submit_proposal)}</button>
                        </ActionForm>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn EditProposalPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = param_id("id");
    let update = ServerAction::<UpdateProposal>::new();
    let proposal = Resource::new(id, get_proposal);
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), hall_edit_proposal).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, hall_edit_proposal)}</h1>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {when_loaded(proposal, move |r| match r {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(p) if !p.is_author || !p.summary.state.editable() => view! {
                        <p class="notice" role="alert">{t!(i18n, err_conflict_state)}</p>
                    }.into_any(),
                    Ok(p) => view! {
                        <FormError value=update.value() />
                        <ActionForm action=update attr:class="stack">
                            <input type="hidden" name="id" value=p.summary.id />
                            <ProposalFields category=Some(p.summary.category) title=p.summary.title.clone() body=p.body.clone() />
                            <button type="submit" class="primary">{t!(i18n, save)}</button>
                        </ActionForm>
                        <p><a href=format!("/hall/p/{}", p.summary.id)>{t!(i18n, cancel)}</a></p>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// Category, title and text, shared by both forms.
#[component]
fn ProposalFields(category: Option<Category>, title: String, body: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label for="proposal-category">{t!(i18n, hall_category)}</label>
        <select id="proposal-category" name="category" required>
            {Category::ALL.into_iter().map(|c| view! {
                <option value=c.code() selected=category == Some(c)>{move || c.label(i18n.get_locale())}</option>
            }).collect_view()}
        </select>
        <label for="proposal-title">{t!(i18n, hall_title)}</label>
        <input id="proposal-title" name="title" type="text" required minlength="4" maxlength="80" value=title />
        <small>{t!(i18n, hall_title_hint)}</small>
        <label for="proposal-body">{t!(i18n, hall_body)}</label>
        <textarea id="proposal-body" name="body" rows="8" required maxlength="5000">{body}</textarea>
    }
}
