//! The marketplace's pages: the front page (/market), organizations, teams, activities, the
//! volunteer's own record and certificate, the social-worker directory, charity resources and
//! the staff desk. Every form is an `ActionForm` that also works as a plain form post.
mod activity;
mod charity;
mod directory;
mod front;
mod me;
mod org;
mod staff;
mod team;

pub use activity::ActivityView;
pub use charity::CharityPage;
pub use directory::DirectoryPage;
pub use front::MarketPage;
pub use me::{CertificatePage, VolunteerPage};
pub use org::{OrgPage, RegisterOrgPage};
pub use staff::StaffDeskPage;
pub use team::TeamView;

use super::*;
use crate::components::auth::ErrorNotice;
use crate::hall::pages::{local_name, when};
use crate::i18n::*;
use leptos::prelude::*;

pub use crate::components::loaded::loaded;

/// A community's name in the reader's language.
pub fn community_name(locale: Locale, c: &CommunityRef) -> String {
    local_name(locale, &c.name, &c.name_en)
}

/// "12.5 小时" / "12.5 hours".
pub fn hours_label(locale: Locale, minutes: i64) -> String {
    td_string!(locale, mk_hours, n = hours(minutes)).to_string()
}

/// Stars as text and as a label (meaning not carried by the glyphs alone).
#[component]
pub fn Stars(minutes: i64) -> impl IntoView {
    let i18n = use_i18n();
    let n = stars(minutes);
    view! {
        <span class="stars" data-testid="stars">
            <span aria-hidden="true">{"★".repeat(n)}{"☆".repeat(5 - n)}</span>
            " " {move || td_string!(i18n.get_locale(), mk_star_level, n = n).to_string()}
        </span>
    }
}

/// The skills as tags.
#[component]
pub fn SkillTags(skills: Vec<Skill>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="tags">
            {skills.into_iter().map(|s| view! { <span class="tag">{move || s.label(i18n.get_locale())}</span> }).collect_view()}
        </span>
    }
}

/// Checkboxes for skills (`skills[]`), with `checked` ticked.
#[component]
pub fn SkillChecks(checked: Vec<Skill>, legend: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let legend = move || match legend {
        "needed" => td_string!(i18n.get_locale(), mk_skills_needed),
        _ => td_string!(i18n.get_locale(), mk_my_skills),
    };
    view! {
        <fieldset class="checks">
            <legend>{legend}</legend>
            {Skill::ALL.iter().map(|&s| view! {
                <label class="check">
                    <input type="checkbox" name="skills[]" value=s.code() checked=checked.contains(&s) />
                    {move || s.label(i18n.get_locale())}
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// A `<select name=…>` of communities.
#[component]
pub fn CommunitySelect(name: &'static str, id: &'static str, communities: Vec<CommunityRef>, #[prop(optional)] any: bool, #[prop(default = None)] selected: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <select id=id name=name required=!any>
            {any.then(|| view! { <option value="">{t!(i18n, hall_all)}</option> })}
            {communities.into_iter().map(|c| {
                let (id, is) = (c.id, selected == Some(c.id));
                view! { <option value=id selected=is>{move || community_name(i18n.get_locale(), &c)}</option> }
            }).collect_view()}
        </select>
    }
}

/// A list of activities as cards.
#[component]
pub fn ActivityCards(items: Vec<ActivitySummary>) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return view! { <p class="muted">{t!(i18n, mk_no_activities)}</p> }.into_any();
    }
    view! {
        <ul class="proposals" data-testid="activities">
            {items.into_iter().map(|a| {
                let full = a.confirmed >= a.slots;
                let community = a.community.clone();
                view! {
                    <li class="proposal-card">
                        <p class="proposal-title"><a href=format!("/market/activities/{}", a.id)>{a.title.clone()}</a></p>
                        <p class="meta">
                            <span>{when(a.starts_at)} " – " {when(a.ends_at)[11..].to_string()}</span>
                            <span class="muted">{a.host.clone()} " · " {move || community_name(i18n.get_locale(), &community)} " · " {a.place.clone()}</span>
                        </p>
                        <p class="meta">
                            <span class=if full { "tag full" } else { "tag" }>
                                {move || td_string!(i18n.get_locale(), mk_slots_taken, taken = a.confirmed, slots = a.slots).to_string()}
                            </span>
                            {(a.waitlisted > 0).then(|| view! { <span class="tag">{move || td_string!(i18n.get_locale(), mk_waitlist_count, n = a.waitlisted).to_string()}</span> })}
                            <SkillTags skills=a.skills.clone() />
                        </p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A list of teams as cards.
#[component]
pub fn TeamCards(items: Vec<TeamSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return view! { <p class="muted">{t!(i18n, mk_no_teams)}</p> }.into_any();
    }
    view! {
        <ul class="proposals" data-testid="teams">
            {items.into_iter().map(|t| {
                let community = t.community.clone();
                view! {
                    <li class="proposal-card">
                        <p class="proposal-title"><a href=format!("/market/teams/{}", t.id)>{t.name.clone()}</a></p>
                        <p class="meta">
                            <span class="muted">{t.org.clone().unwrap_or_else(|| community_name(i18n.get_locale(), &community))}</span>
                            <span>{move || td_string!(i18n.get_locale(), mk_members_count, n = t.member_count).to_string()}</span>
                            <span>{move || hours_label(i18n.get_locale(), t.total_minutes)}</span>
                        </p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A back link to the marketplace's front page.
#[component]
pub fn BackToMarket() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="muted"><a href="/market">{t!(i18n, area_market_title)}</a></p> }
}
