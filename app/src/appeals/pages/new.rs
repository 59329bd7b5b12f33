//! /appeals/new — filing an appeal: where (down to the building; the resident's home first),
//! what kind, how urgent, what happened. Staff and grid workers also get the assisted form
//! (patrol finding, phone call or visit, with the resident's contact).
use super::*;
use crate::accounts::Role;
use crate::components::auth::{Auth, ErrorNotice, FormError};
use crate::residents::{list_buildings, my_home, BuildingOption};
use leptos_meta::Title;

#[component]
pub fn NewAppealPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::get();
    let file = ServerAction::<FileAppeal>::new();
    let file_for = ServerAction::<FileAppealFor>::new();
    let buildings = Resource::new(|| (), |_| list_buildings());
    let home = Resource::new(|| (), |_| my_home());
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), appeal_file).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, appeal_file)}</h1>
            <p class="muted">{t!(i18n, appeal_privacy_hint)}</p>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || match (auth.user.get(), buildings.get(), home.get()) {
                    (Some(Ok(None)), _, _) => view! {
                        <p class="notice">{t!(i18n, err_unauthenticated)} " " <a href="/login?next=/appeals/new">{t!(i18n, login)}</a></p>
                    }.into_any(),
                    (Some(Ok(Some(user))), Some(Ok(buildings)), Some(home)) => {
                        let home = home.ok().and_then(|h| h.building_id);
                        let assists = user.has_role(Role::GridWorker) || user.has_role(Role::CommunityStaff);
                        let for_others = buildings.clone();
                        view! {
                            <FormError value=file.value() />
                            <ActionForm action=file attr:class="stack" attr:data-testid="appeal-form">
                                <AppealFields buildings=buildings.clone() home prefix="own" />
                                <button type="submit" class="primary" data-testid="submit-appeal">{t!(i18n, appeal_submit)}</button>
                            </ActionForm>
                            {assists.then(move || view! {
                                <h2>{t!(i18n, appeal_assisted)}</h2>
                                <p class="muted">{t!(i18n, appeal_assisted_hint)}</p>
                                <FormError value=file_for.value() />
                                <ActionForm action=file_for attr:class="stack" attr:data-testid="assisted-form">
                                    <label for="for-source">{t!(i18n, appeal_source)}</label>
                                    <select id="for-source" name="source" required>
                                        {Source::ASSISTED.into_iter().map(|s| view! { <option value=s.code()>{move || s.label(i18n.get_locale())}</option> }).collect_view()}
                                    </select>
                                    <label for="for-name">{t!(i18n, appeal_contact_name)}</label>
                                    <input id="for-name" name="contact_name" type="text" maxlength="20" />
                                    <label for="for-phone">{t!(i18n, appeal_contact_phone)}</label>
                                    <input id="for-phone" name="contact_phone" type="tel" inputmode="tel" maxlength="20" />
                                    <small>{t!(i18n, appeal_contact_hint)}</small>
                                    <AppealFields buildings=for_others home=None prefix="for" />
                                    <button type="submit" class="primary">{t!(i18n, appeal_submit)}</button>
                                </ActionForm>
                            })}
                        }.into_any()
                    }
                    (Some(Err(error)), _, _) | (_, Some(Err(error)), _) => view! { <ErrorNotice error /> }.into_any(),
                    _ => view! { <p>{t!(i18n, loading)}</p> }.into_any(),
                }}
            </Transition>
        </section>
    }
}

/// Where, what kind, how urgent, what happened.
#[component]
fn AppealFields(buildings: Vec<BuildingOption>, home: Option<i64>, prefix: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let id = move |f: &str| format!("{prefix}-{f}");
    view! {
        <label for=id("building")>{t!(i18n, appeal_place)}</label>
        <select id=id("building") name="building_id" required data-testid="appeal-building">
            {buildings.into_iter().map(|b| view! {
                <option value=b.building_id selected=home == Some(b.building_id)>{format!("{} · {} · {}", b.community, b.grid, b.building)}</option>
            }).collect_view()}
        </select>
        <label for=id("category")>{t!(i18n, appeal_category)}</label>
        <select id=id("category") name="category" required data-testid="appeal-category">
            {AppealCategory::ALL.into_iter().map(|c| view! { <option value=c.code()>{move || c.label(i18n.get_locale())}</option> }).collect_view()}
        </select>
        <label for=id("urgency")>{t!(i18n, appeal_urgency)}</label>
        <select id=id("urgency") name="urgency" required>
            {Urgency::ALL.into_iter().map(|u| view! { <option value=u.code() selected=u == Urgency::Normal>{move || u.label(i18n.get_locale())}</option> }).collect_view()}
        </select>
        <small>{t!(i18n, appeal_urgency_hint)}</small>
        <label for=id("description")>{t!(i18n, appeal_description)}</label>
        <textarea id=id("description") name="description" rows="6" required minlength="5" maxlength="2000" data-testid="appeal-description"></textarea>
        <small>{t!(i18n, appeal_description_hint)}</small>
    }
}
