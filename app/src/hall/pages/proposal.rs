//! /hall/p/:id — a proposal: its text, tally, the viewer's part, staff steps, offline
//! meetings, progress, timeline and discussion.
use crate::components::loaded::when_loaded;
use super::discussion::{Discussion, DiscussionActions};
use super::proposal_parts::*;
use super::staff::{StaffActions, StaffPanel};
use super::{local_name, param_id, when, StateBadge};
use crate::components::auth::ErrorNotice;
use crate::hall::*;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ProposalView() -> impl IntoView {
    let i18n = use_i18n();
    let id = param_id("id");
    let mine = MyActions::new();
    let staff = StaffActions::new();
    let talk = DiscussionActions::new();
    // The discussion pages on with `?comments_after=`; the proposal and its page of the
    // thread come in one query.
    let query = use_query_map();
    let after = move || query.with(|q| q.get("comments_after").and_then(|v| v.parse::<i64>().ok()));
    let page = Resource::new(
        move || (id(), after(), mine.version() + staff.version() + talk.version()),
        |(id, after, _)| get_proposal_with_thread(id, after),
    );
    view! {
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {when_loaded(page, move |r| match r {
                Err(error) => view! { <section class="page"><ErrorNotice error /></section> }.into_any(),
                Ok(ProposalWithThread { proposal: p, thread }) => view! { <Proposal p mine staff talk thread /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Proposal(p: ProposalPage, mine: MyActions, staff: StaffActions, talk: DiscussionActions, thread: CommentPage) -> impl IntoView {
    let i18n = use_i18n();
    // Server-rendered only, in a language that never changes in place: plain values.
    let locale = i18n.get_locale_untracked();
    let s = p.summary.clone();
    let title = s.title.clone();
    let community = p.community.clone();
    let community_href = format!("/hall/c/{}", community.id);
    view! {
        <Title text=title.clone() />
        <article class="page proposal" data-testid="proposal">
            <p class="muted">
                <a href="/hall">{t!(i18n, area_hall_title)}</a> " › "
                <a href=community_href>{local_name(locale, &community.name, &community.name_en)}</a>
            </p>
            <h1>{s.title.clone()}</h1>
            <p class="meta">
                <StateBadge state=s.state />
                <span class="tag">{s.category.label(locale)}</span>
                <span class="muted">{super::author_name(locale, &s.author)} " · " {when(s.created_at)}</span>
            </p>
            {p.merged_into.map(|target| view! {
                <p class="notice">{t!(i18n, hall_merged_into)} " " <a href=format!("/hall/p/{target}")>{format!("#{target}")}</a></p>
            })}
            <div class="prose" data-testid="proposal-body">{p.body.clone()}</div>
            <Standing p=p.clone() />
            <MyPart p=p.clone() actions=mine />
            {(!p.staff_steps.is_empty() || p.community.is_staff).then(|| view! { <StaffPanel p=p.clone() actions=staff /> })}
            <MeetingDecisions meetings=p.meetings.clone() />
            <Progress entries=p.progress.clone() />
            <Timeline entries=p.timeline.clone() />
            <Discussion proposal_id=p.summary.id actions=talk page=thread />
        </article>
    }
}
