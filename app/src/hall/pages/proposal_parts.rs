//! Parts of the proposal page: where it stands, the viewer's own part, offline meeting
//! decisions, progress and the timeline.
use super::when;
use crate::components::auth::FormError;
use crate::hall::*;
use crate::i18n::*;
use leptos::prelude::*;

/// The viewer's actions on a proposal (created by the page, inside the router).
#[derive(Clone, Copy)]
pub struct MyActions {
    pub support: ServerAction<SupportProposal>,
    pub vote: ServerAction<CastVote>,
    pub follow: ServerAction<FollowProposal>,
    pub withdraw: ServerAction<WithdrawProposal>,
}

impl MyActions {
    pub fn new() -> Self {
        MyActions {
            support: ServerAction::new(),
            vote: ServerAction::new(),
            follow: ServerAction::new(),
            withdraw: ServerAction::new(),
        }
    }

    /// Changes whenever one of them has run (the page refetches).
    pub fn version(&self) -> usize {
        self.support.version().get() + self.vote.version().get() + self.follow.version().get() + self.withdraw.version().get()
    }
}

/// Supports against the threshold, and the online tally (public; never who voted how).
#[component]
pub fn Standing(p: ProposalPage) -> impl IntoView {
    let i18n = use_i18n();
    let s = p.summary;
    let threshold = p.community.support_threshold;
    let tally = s.tally;
    let voted = matches!(s.state, ProposalState::Voting | ProposalState::Passed | ProposalState::Rejected | ProposalState::Implementing | ProposalState::Done)
        && p.voting_opens_at.is_some();
    view! {
        <section class="standing" aria-labelledby="standing-heading">
            <h2 id="standing-heading" class="visually-hidden">{t!(i18n, hall_standing)}</h2>
            <p data-testid="supports">
                <strong>{move || td_string!(i18n.get_locale(), hall_supports_of, n = s.support_count, threshold = threshold).to_string()}</strong>
            </p>
            {voted.then(|| view! {
                <div class="tally" data-testid="tally">
                    <h3>{t!(i18n, hall_online_tally)}</h3>
                    <dl class="tally-grid">
                        <div><dt>{t!(i18n, vote_for)}</dt><dd data-testid="tally-for">{tally.votes_for}</dd></div>
                        <div><dt>{t!(i18n, vote_against)}</dt><dd data-testid="tally-against">{tally.against}</dd></div>
                        <div><dt>{t!(i18n, vote_abstain)}</dt><dd data-testid="tally-abstain">{tally.abstain}</dd></div>
                    </dl>
                    {s.voting_closes_at.map(|t| view! {
                        <p class="muted">
                            {if s.state == ProposalState::Voting { t!(i18n, hall_closes_at).into_any() } else { t!(i18n, hall_closed_at).into_any() }}
                            " " {when(t)}
                        </p>
                    })}
                </div>
            })}
        </section>
    }
}

/// What the viewer can do: support, vote, follow; the author edits or withdraws.
#[component]
pub fn MyPart(p: ProposalPage, actions: MyActions) -> impl IntoView {
    let i18n = use_i18n();
    let id = p.summary.id;
    let state = p.summary.state;
    let participates = p.community.can_participate;
    let my_vote = p.my_vote;
    view! {
        <section class="my-part" aria-labelledby="my-part-heading">
            <h2 id="my-part-heading">{t!(i18n, hall_my_part)}</h2>
            <FormError value=actions.support.value() />
            <FormError value=actions.vote.value() />
            <FormError value=actions.follow.value() />
            <FormError value=actions.withdraw.value() />
            {(!participates && !p.community.is_staff).then(|| view! {
                <p class="notice">
                    {if p.logged_in { t!(i18n, hall_participate_hint).into_any() } else { view! {
                        {t!(i18n, hall_login_to_take_part)} " " <a href=format!("/login?next=/hall/p/{id}")>{t!(i18n, login)}</a>
                    }.into_any() }}
                </p>
            })}
            {(participates && state.supportable()).then(|| if p.supported {
                view! { <p data-testid="supported">{t!(i18n, hall_supported)}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=actions.support attr:class="inline-form">
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="primary" data-testid="support">{t!(i18n, hall_support)}</button>
                    </ActionForm>
                }.into_any()
            })}
            {(participates && state == ProposalState::Voting).then(|| view! {
                <ActionForm action=actions.vote attr:class="vote-form">
                    <input type="hidden" name="id" value=id />
                    <fieldset>
                        <legend>{t!(i18n, hall_your_vote)}</legend>
                        {Choice::ALL.into_iter().map(|c| view! {
                            <label class="check">
                                <input type="radio" name="choice" value=c.code() required checked=my_vote == Some(c) data-testid=format!("choice-{}", c.code()) />
                                {move || c.label(i18n.get_locale())}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    {my_vote.map(|c| view! { <p class="muted" data-testid="my-vote">{t!(i18n, hall_you_voted)} " " {move || c.label(i18n.get_locale())}</p> })}
                    <button type="submit" class="primary" data-testid="cast-vote">{t!(i18n, hall_cast_vote)}</button>
                </ActionForm>
            })}
            {p.logged_in.then(|| view! {
                <ActionForm action=actions.follow attr:class="inline-form">
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="follow" value=if p.following { "false" } else { "true" } />
                    <button type="submit" data-testid="follow">
                        {if p.following { t!(i18n, hall_unfollow).into_any() } else { t!(i18n, hall_follow).into_any() }}
                    </button>
                </ActionForm>
            })}
            {(p.is_author && state.editable()).then(|| view! {
                <p><a class="button" href=format!("/hall/p/{id}/edit")>{t!(i18n, hall_edit_proposal)}</a></p>
            })}
            {(p.is_author && matches!(state, ProposalState::Collecting | ProposalState::Agenda)).then(|| view! {
                <details class="withdraw">
                    <summary>{t!(i18n, hall_withdraw)}</summary>
                    <ActionForm action=actions.withdraw attr:class="stack">
                        <input type="hidden" name="id" value=id />
                        <label for="withdraw-note">{t!(i18n, hall_public_note)}</label>
                        <input id="withdraw-note" name="note" type="text" maxlength="500" />
                        <button type="submit">{t!(i18n, hall_withdraw)}</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
}

/// Decisions of offline meetings, with their paper ballots, beside (never merged into) the
/// online tally.
#[component]
pub fn MeetingDecisions(meetings: Vec<MeetingDecision>) -> impl IntoView {
    let i18n = use_i18n();
    (!meetings.is_empty()).then(|| view! {
        <section aria-labelledby="offline-heading" data-testid="offline">
            <h2 id="offline-heading">{t!(i18n, hall_offline_decisions)}</h2>
            <ul class="grant-list">
                {meetings.into_iter().map(|m| {
                    let b = m.ballots;
                    view! {
                        <li class="card-row">
                            <span><strong>{when(m.held_at)}</strong> " · " {m.venue.clone()}</span>
                            <span>{m.decision.clone()}</span>
                            <span>{move || td_string!(i18n.get_locale(), hall_paper_ballots, yes = b.votes_for, no = b.against, abstain = b.abstain).to_string()}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    })
}

#[component]
pub fn Progress(entries: Vec<ProgressEntry>) -> impl IntoView {
    let i18n = use_i18n();
    (!entries.is_empty()).then(|| view! {
        <section aria-labelledby="progress-heading" data-testid="progress">
            <h2 id="progress-heading">{t!(i18n, hall_progress)}</h2>
            <ol class="timeline">
                {entries.into_iter().map(|e| view! {
                    <li>
                        <strong>{e.dated.clone()}</strong>
                        <span class="muted">" · " {move || super::author_name(i18n.get_locale(), &e.author)}</span>
                        <div class="prose">{e.body.clone()}</div>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    })
}

/// Every state change: from, to, who (or the system), when, and the public note.
#[component]
pub fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{t!(i18n, hall_timeline)}</h2>
            <ol class="timeline" data-testid="timeline">
                {entries.into_iter().map(|e| {
                    let actor = e.actor.clone();
                    view! {
                        <li>
                            <strong>{move || e.to.label(i18n.get_locale())}</strong>
                            <span class="muted">
                                " · " {when(e.at)} " · "
                                {move || actor.clone().unwrap_or_else(|| td_string!(i18n.get_locale(), hall_system).to_string())}
                            </span>
                            {(!e.note.is_empty()).then(|| view! { <div class="prose">{e.note.clone()}</div> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
