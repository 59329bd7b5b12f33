//! /market/orgs/new (register an organization) and /market/orgs/:id (its profile, with the
//! forms its admins use once verified: offerings, teams, activities, charity resources).
use crate::components::loaded::when_loaded;
use super::activity::ActivityForm;
use super::*;
use crate::components::auth::FormError;
use crate::hall::pages::param_id;
use leptos_meta::Title;

#[component]
pub fn RegisterOrgPage() -> impl IntoView {
    let i18n = use_i18n();
    let register = ServerAction::<RegisterOrg>::new();
    let communities = Resource::new(|| (), |_| market_home(None, false));
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), mk_register_org).to_string() />
        <section class="page narrow">
            <BackToMarket />
            <h1>{t!(i18n, mk_register_org)}</h1>
            <p class="muted">{t!(i18n, mk_register_org_hint)}</p>
            {loaded(communities, move |h: MarketFront| {
                if !h.logged_in {
                    return view! { <p class="notice" role="alert">{t!(i18n, err_unauthenticated)} " " <a href="/login">{t!(i18n, login)}</a></p> }.into_any();
                }
                view! {
                    <FormError value=register.value() />
                    <ActionForm action=register attr:class="stack">
                        <label for="org-name">{t!(i18n, mk_org_name)}</label>
                        <input id="org-name" name="name" type="text" required minlength="2" maxlength="40" />
                        <label for="org-kind">{t!(i18n, mk_org_kind)}</label>
                        <select id="org-kind" name="kind" required>
                            {OrgKind::ALL.iter().map(|&k| view! { <option value=k.code()>{move || k.label(i18n.get_locale())}</option> }).collect_view()}
                        </select>
                        <label for="org-community">{t!(i18n, mk_org_community)}</label>
                        <CommunitySelect name="community_id" id="org-community" communities=h.communities.clone() />
                        <fieldset class="checks">
                            <legend>{t!(i18n, mk_service_areas)}</legend>
                            {ServiceCategory::ALL.iter().map(|&c| view! {
                                <label class="check"><input type="checkbox" name="service_areas[]" value=c.code() />{move || c.label(i18n.get_locale())}</label>
                            }).collect_view()}
                        </fieldset>
                        <label for="org-description">{t!(i18n, mk_description)}</label>
                        <textarea id="org-description" name="description" rows="5" required maxlength="2000"></textarea>
                        <label for="org-contact">{t!(i18n, mk_contact_name)}</label>
                        <input id="org-contact" name="contact_name" type="text" required maxlength="20" />
                        <label for="org-phone">{t!(i18n, mk_contact_phone)}</label>
                        <input id="org-phone" name="contact_phone" type="tel" inputmode="tel" required maxlength="20" />
                        <small>{t!(i18n, mk_contact_hint)}</small>
                        <button type="submit" class="primary" data-testid="submit-org">{t!(i18n, mk_register_org)}</button>
                    </ActionForm>
                }.into_any()
            })}
        </section>
    }
}

#[component]
pub fn OrgPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = param_id("id");
    let org = Resource::new(id, get_org);
    view! {
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {when_loaded(org, move |r| match r {
                Err(error) => view! { <section class="page"><BackToMarket /><ErrorNotice error /></section> }.into_any(),
                Ok(o) => view! { <Profile o /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Profile(o: OrgProfile) -> impl IntoView {
    let i18n = use_i18n();
    let s = o.summary.clone();
    let name = s.name.clone();
    let community = s.community.clone();
    let publish = o.is_admin && s.status == OrgStatus::Verified;
    view! {
        <Title text=name.clone() />
        <article class="page" data-testid="org">
            <BackToMarket />
            <h1>{name}</h1>
            <p class="meta">
                <span class=format!("state org-{}", s.status.code()) data-testid="org-status">{move || s.status.label(i18n.get_locale())}</span>
                <span class="tag">{move || s.kind.label(i18n.get_locale())}</span>
                <span class="muted">{move || community_name(i18n.get_locale(), &community)}</span>
            </p>
            {o.reject_reason.clone().map(|r| view! { <p class="notice error">{t!(i18n, mk_rejected_because)} " " {r}</p> })}
            {(o.is_admin && s.status == OrgStatus::Pending).then(|| view! { <p class="notice">{t!(i18n, mk_pending_hint)}</p> })}
            <div class="prose">{o.description.clone()}</div>
            <dl class="facts">
                <dt>{t!(i18n, mk_service_areas)}</dt>
                <dd>{s.service_areas.iter().map(|&a| view! { <span class="tag">{move || a.label(i18n.get_locale())}</span> }).collect_view()}</dd>
                <dt>{t!(i18n, mk_contact_name)}</dt><dd data-testid="org-contact">{o.contact_name.clone()}</dd>
                <dt>{t!(i18n, mk_contact_phone)}</dt><dd data-testid="org-phone">{o.contact_phone.clone()}</dd>
            </dl>
            {(o.is_staff && s.status == OrgStatus::Pending).then(|| view! { <DecideOrgPanel id=s.id /> })}
            <section aria-labelledby="offerings-heading">
                <h2 id="offerings-heading">{t!(i18n, mk_offerings)}</h2>
                {if o.offerings.is_empty() {
                    view! { <p class="muted">{t!(i18n, mk_no_offerings)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="proposals">
                            {o.offerings.iter().cloned().map(|f| view! {
                                <li class="proposal-card">
                                    <p class="proposal-title">{f.title.clone()} " " <span class="tag">{move || f.category.label(i18n.get_locale())}</span></p>
                                    <p class="prose">{f.description.clone()}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                {publish.then(|| view! { <OfferingForm org_id=s.id /> })}
            </section>
            <section aria-labelledby="org-teams-heading">
                <h2 id="org-teams-heading">{t!(i18n, mk_teams)}</h2>
                <TeamCards items=o.teams.clone() />
                {publish.then(|| view! { <super::staff::NewTeam org_id=Some(s.id) community_id=None /> })}
            </section>
            <section aria-labelledby="org-activities-heading">
                <h2 id="org-activities-heading">{t!(i18n, mk_activities)}</h2>
                <ActivityCards items=o.activities.clone() />
                {publish.then(|| view! { <ActivityForm team_id=None org_id=Some(s.id) /> })}
            </section>
            <crate::menu::pages::ProviderMenu items=o.menu_items.clone() />
            {(!o.resources.is_empty() || publish).then(|| view! {
                <section aria-labelledby="org-resources-heading">
                    <h2 id="org-resources-heading">{t!(i18n, mk_charity)}</h2>
                    <super::charity::Resources items=o.resources.clone() claim_as=Vec::new() />
                    {publish.then(|| view! { <super::charity::OfferForm orgs=vec![(s.id, s.name.clone())] /> })}
                </section>
            })}
        </article>
    }
}

/// Staff of the community verify the organization, or reject it with a reason.
#[component]
fn DecideOrgPanel(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideOrg>::new();
    view! {
        <section class="staff-panel" aria-labelledby="decide-heading" data-testid="decide-org">
            <h2 id="decide-heading">{t!(i18n, mk_verify_org)}</h2>
            <FormError value=decide.value() />
            <ActionForm action=decide attr:class="inline-form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="decision" value="verify" />
                <input type="hidden" name="reason" value="" />
                <button type="submit" class="primary" data-testid="verify-org">{t!(i18n, mk_verify)}</button>
            </ActionForm>
            <details class="staff-step">
                <summary>{t!(i18n, mk_reject)}</summary>
                <ActionForm action=decide attr:class="stack">
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="decision" value="reject" />
                    <label for=format!("reject-{id}")>{t!(i18n, mk_reject_reason)}</label>
                    <input id=format!("reject-{id}") name="reason" type="text" required maxlength="500" />
                    <button type="submit">{t!(i18n, mk_reject)}</button>
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn OfferingForm(org_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddOffering>::new();
    view! {
        <details class="staff-step">
            <summary data-testid="add-offering">{t!(i18n, mk_add_offering)}</summary>
            <FormError value=add.value() />
            <ActionForm action=add attr:class="stack">
                <input type="hidden" name="org_id" value=org_id />
                <label for="offering-category">{t!(i18n, hall_category)}</label>
                <select id="offering-category" name="category">
                    {ServiceCategory::ALL.iter().map(|&c| view! { <option value=c.code()>{move || c.label(i18n.get_locale())}</option> }).collect_view()}
                </select>
                <label for="offering-title">{t!(i18n, hall_title)}</label>
                <input id="offering-title" name="title" type="text" required minlength="4" maxlength="80" />
                <label for="offering-description">{t!(i18n, mk_description)}</label>
                <textarea id="offering-description" name="description" rows="4" required maxlength="2000"></textarea>
                <button type="submit" class="primary">{t!(i18n, mk_add_offering)}</button>
            </ActionForm>
        </details>
    }
}
