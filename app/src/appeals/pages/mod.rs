//! The appeals' pages: the area's home with the resident's own appeals, filing, one appeal
//! with the steps the viewer may take, the work queue, the overdue list (督办), a community's
//! public list, the rates with charts, and the admin rules. Every form also works as a plain
//! form post.
mod admin;
mod appeal;
mod chart;
mod home;
mod lists;
mod new;
mod rates;
mod steps;

pub use admin::AdminAppealsPage;
pub use appeal::AppealView;
pub use home::AppealsHomePage;
pub use lists::{CommunityAppealsPage, OverduePage, QueuePage};
pub use new::NewAppealPage;
pub use rates::RatesPage;

use super::*;
use crate::hall::pages::{local_name, when};
use crate::i18n::*;
use leptos::prelude::*;

/// The state of an appeal as a labelled badge (text, not colour alone).
#[component]
pub fn AppealBadge(state: AppealState) -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class=format!("state appeal-{}", state.code()) data-testid="appeal-state">{move || state.label(i18n.get_locale())}</span> }
}

/// Time left or overdue, shown with words (and marked for styling) when there is a deadline.
#[component]
pub fn Deadline(summary: AppealSummary, now: i64) -> impl IntoView {
    let i18n = use_i18n();
    let running = summary.state.clock_runs();
    summary.deadline_at.filter(|_| running || summary.overdue).map(|d| {
        let overdue = summary.overdue;
        view! {
            <span class=if overdue { "deadline overdue" } else { "deadline" } data-testid="deadline">
                {move || if running { remaining(i18n.get_locale(), now, d) } else { td_string!(i18n.get_locale(), appeal_was_overdue).to_string() }}
            </span>
        }
    })
}

/// A list of appeals as cards: number, state, category, community, deadline, an excerpt.
#[component]
pub fn AppealCards(items: Vec<AppealSummary>, now: i64, #[prop(optional)] next: Vec<Vec<Step>>) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return view! { <p class="muted">{t!(i18n, appeal_none)}</p> }.into_any();
    }
    view! {
        <ul class="proposals appeals" data-testid="appeal-list">
            {items.into_iter().enumerate().map(|(i, a)| {
                let steps = next.get(i).cloned().unwrap_or_default();
                let excerpt: String = a.description.chars().take(80).collect();
                let (community, community_en) = (a.community.clone(), a.community_en.clone());
                view! {
                    <li class="proposal-card" data-testid="appeal-card">
                        <p class="proposal-title"><a href=format!("/appeals/{}", a.id)>{move || td_string!(i18n.get_locale(), appeal_number, id = a.id).to_string()} " · " {move || a.category.label(i18n.get_locale())}</a></p>
                        <p class="meta">
                            <AppealBadge state=a.state />
                            <span class="tag">{move || a.urgency.label(i18n.get_locale())}</span>
                            <span class="muted">{move || local_name(i18n.get_locale(), &community, &community_en)} " · " {when(a.created_at)}</span>
                            <Deadline summary=a.clone() now />
                        </p>
                        <p class="excerpt">{excerpt}</p>
                        {(!steps.is_empty()).then(|| view! {
                            <p class="muted">{t!(i18n, appeal_waiting_for_you)} " "
                                {steps.into_iter().map(|s| view! { <span class="tag">{move || s.label(i18n.get_locale())}</span> " " }).collect_view()}
                            </p>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }.into_any()
}

/// The label of a timeline line's step.
pub fn event_label(locale: Locale, step: &str) -> String {
    match step {
        "file" => td_string!(locale, appeal_event_file).to_string(),
        "overdue" => td_string!(locale, appeal_event_overdue).to_string(),
        other => Step::from_code(other).map(|s| s.label(locale).to_string()).unwrap_or_else(|| other.to_string()),
    }
}

/// The capacity a step was taken in.
pub fn actor_label(locale: Locale, role: &str) -> &'static str {
    match role {
        "resident" => td_string!(locale, actor_resident),
        "community" => td_string!(locale, actor_community),
        "street" => td_string!(locale, actor_street),
        "department" => td_string!(locale, actor_department),
        "grid" => td_string!(locale, actor_grid),
        _ => td_string!(locale, actor_system),
    }
}
