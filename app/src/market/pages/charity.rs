//! /market/charity — charity resources (慈善资源): what is offered, what is left, who claimed
//! what and for what; verified organizations offer, community staff and organizations claim.
use super::*;
use crate::components::auth::FormError;
use leptos_meta::Title;

#[component]
pub fn CharityPage() -> impl IntoView {
    let i18n = use_i18n();
    let board = Resource::new(|| (), |_| charity_board());
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), mk_charity).to_string() />
        <section class="page">
            <BackToMarket />
            <h1>{t!(i18n, mk_charity)}</h1>
            <p class="muted">{t!(i18n, mk_charity_hint)}</p>
            {loaded(board, move |b: CharityView| view! {
                <Resources items=b.resources claim_as=b.claim_as />
                {(!b.offer_as.is_empty()).then(|| view! { <OfferForm orgs=b.offer_as /> })}
            })}
        </section>
    }
}

/// Resources with their claims; a claim form on each when the viewer may claim.
#[component]
pub fn Resources(items: Vec<ResourceView>, claim_as: Vec<(String, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let claim = ServerAction::<ClaimResource>::new();
    if items.is_empty() {
        return view! { <p class="muted">{t!(i18n, mk_no_resources)}</p> }.into_any();
    }
    view! {
        <FormError value=claim.value() />
        <ul class="proposals" data-testid="resources">
            {items.into_iter().map(|r| {
                let claim_as = claim_as.clone();
                let unit = r.unit.clone();
                let id = r.id;
                view! {
                    <li class="proposal-card">
                        <p class="proposal-title">{r.title.clone()} " " <span class="tag">{move || r.kind.label(i18n.get_locale())}</span></p>
                        <p class="meta">
                            <span class="muted"><a href=format!("/market/orgs/{}", r.org_id)>{r.org.clone()}</a></span>
                            <span data-testid="remaining">{move || td_string!(i18n.get_locale(), mk_remaining, left = r.remaining, total = r.quantity, unit = unit.clone()).to_string()}</span>
                        </p>
                        <p class="prose">{r.description.clone()}</p>
                        {(!r.claims.is_empty()).then(|| view! {
                            <ul class="grant-list">
                                {r.claims.iter().cloned().map(|c| view! {
                                    <li class="card-row"><span>{c.claimant} " · " {c.quantity} {r.unit.clone()}</span><span class="muted">{c.purpose} " · " {when(c.at)[..10].to_string()}</span></li>
                                }).collect_view()}
                            </ul>
                        })}
                        {(!claim_as.is_empty() && r.remaining > 0).then(|| view! {
                            <details class="staff-step">
                                <summary data-testid="claim">{t!(i18n, mk_claim)}</summary>
                                <ActionForm action=claim attr:class="stack">
                                    <input type="hidden" name="id" value=id />
                                    <label for=format!("claimant-{id}")>{t!(i18n, mk_claim_for)}</label>
                                    <select id=format!("claimant-{id}") name="claimant">
                                        {claim_as.iter().cloned().map(|(v, name)| view! { <option value=v>{name}</option> }).collect_view()}
                                    </select>
                                    <label for=format!("claim-qty-{id}")>{t!(i18n, mk_quantity)}</label>
                                    <input id=format!("claim-qty-{id}") name="quantity" type="number" min="1" max=r.remaining required />
                                    <label for=format!("claim-purpose-{id}")>{t!(i18n, mk_purpose)}</label>
                                    <input id=format!("claim-purpose-{id}") name="purpose" type="text" required maxlength="500" />
                                    <button type="submit" class="primary">{t!(i18n, mk_claim)}</button>
                                </ActionForm>
                            </details>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Offers a resource for one of the viewer's verified organizations.
#[component]
pub fn OfferForm(orgs: Vec<(i64, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let offer = ServerAction::<OfferResource>::new();
    view! {
        <details class="staff-step">
            <summary data-testid="offer-resource">{t!(i18n, mk_offer_resource)}</summary>
            <FormError value=offer.value() />
            <ActionForm action=offer attr:class="stack">
                <label for="offer-org">{t!(i18n, mk_offer_as)}</label>
                <select id="offer-org" name="org_id">
                    {orgs.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                </select>
                <label for="offer-kind">{t!(i18n, mk_resource_kind)}</label>
                <select id="offer-kind" name="kind">
                    {ResourceKind::ALL.iter().map(|&k| view! { <option value=k.code()>{move || k.label(i18n.get_locale())}</option> }).collect_view()}
                </select>
                <label for="offer-title">{t!(i18n, hall_title)}</label>
                <input id="offer-title" name="title" type="text" required minlength="4" maxlength="80" />
                <label for="offer-quantity">{t!(i18n, mk_quantity)}</label>
                <input id="offer-quantity" name="quantity" type="number" min="1" required />
                <label for="offer-unit">{t!(i18n, mk_unit)}</label>
                <input id="offer-unit" name="unit" type="text" required maxlength="10" />
                <label for="offer-description">{t!(i18n, mk_description)}</label>
                <textarea id="offer-description" name="description" rows="3" required maxlength="2000"></textarea>
                <button type="submit" class="primary">{t!(i18n, mk_offer_resource)}</button>
            </ActionForm>
        </details>
    }
}
