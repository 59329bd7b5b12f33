//! The hall's pages: the index of communities, a community's list, a proposal, the forms to
//! propose and edit, offline meetings and the moderation log. Every form is an `ActionForm`
//! that also works as a plain form post.
mod community;
mod forms;
mod index;
mod meetings;
mod moderation;
mod proposal;
mod proposal_parts;
mod staff;
mod discussion;

pub use community::CommunityHallPage;
pub use forms::{EditProposalPage, NewProposalPage};
pub use index::HallIndexPage;
pub use meetings::MeetingsPage;
pub use moderation::ModerationPage;
pub use proposal::ProposalView;

use crate::i18n::*;
use leptos::prelude::*;

/// The Chinese or English name of a place, in the reader's language.
pub fn local_name(locale: Locale, zh: &str, en: &str) -> String {
    if locale == Locale::en && !en.is_empty() { en.to_string() } else { zh.to_string() }
}

/// A route parameter as an id (0 when missing or malformed: no such object).
pub fn param_id(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync {
    let params = leptos_router::hooks::use_params_map();
    move || params.with(|p| p.get(name).and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// The state of a proposal as a labelled badge (text, not colour alone).
#[component]
pub fn StateBadge(state: super::ProposalState) -> impl IntoView {
    // Server-rendered only, in a language that never changes in place: a plain value.
    let label = state.label(use_i18n().get_locale_untracked());
    view! { <span class=format!("state state-{}", state.code()) data-testid="state">{label}</span> }
}

/// A time shown in the district's local time.
pub fn when(ms: i64) -> String {
    crate::time::format_local(ms)
}

/// An author's name, or "deleted user".
pub fn author_name(locale: Locale, author: &Option<String>) -> String {
    author.clone().unwrap_or_else(|| td_string!(locale, deleted_user).to_string())
}
