//! /hall/c/:community/meetings — offline meetings (线下议事会): the record, and for staff the
//! forms to record a meeting and its decisions.
use crate::components::loaded::when_loaded;
use super::{param_id, when};
use crate::components::auth::{ErrorNotice, FormError};
use crate::hall::*;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MeetingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let community = param_id("community");
    let record = ServerAction::<RecordMeeting>::new();
    let item = ServerAction::<RecordMeetingItem>::new();
    let hall = Resource::new(community, hall_community);
    let meetings = Resource::new(
        move || (community(), record.version().get() + item.version().get()),
        |(c, _)| list_meetings(c),
    );
    // The hall is awaited inside the fetcher, not read in the source: a source reading it
    // would first run with the hall still loading and settle, for a moment, on no options,
    // and a render that awaited the options then would leave staff without the form.
    let options = Resource::new(community, move |c| async move {
        match hall.await {
            Ok(h) if h.is_staff => agenda_options(c).await.unwrap_or_default(),
            _ => Vec::new(),
        }
    });
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), hall_meetings).to_string() />
        <section class="page">
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {when_loaded(hall, move |r| match r {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(h) => view! {
                        <p class="muted"><a href=format!("/hall/c/{}", h.id)>{move || super::local_name(i18n.get_locale(), &h.name, &h.name_en)}</a></p>
                        <h1>{t!(i18n, hall_meetings)}</h1>
                        <p class="lead">{t!(i18n, hall_meetings_lead)}</p>
                        {h.is_staff.then(|| view! { <RecordForm community=h.id action=record /> })}
                    }.into_any(),
                })}
            </Transition>
            <FormError value=item.value() />
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                // Both awaited: the agenda options are read after the hall, so they may still be
                // loading when the meetings are in.
                {Suspend::new(async move {
                    match (meetings.await, options.await) {
                        (Err(error), _) => view! { <ErrorNotice error /> }.into_any(),
                        (Ok(list), _) if list.is_empty() => view! { <p>{t!(i18n, hall_no_meetings)}</p> }.into_any(),
                        (Ok(list), opts) => view! {
                            <ol class="meetings" data-testid="meetings">
                                {list.into_iter().map(|m| view! { <MeetingCard m options=opts.clone() action=item /> }).collect_view()}
                            </ol>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RecordForm(community: i64, action: ServerAction<RecordMeeting>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details class="staff-step">
            <summary data-testid="record-meeting">{t!(i18n, hall_record_meeting)}</summary>
            <FormError value=action.value() />
            <ActionForm action attr:class="stack">
                <input type="hidden" name="community_id" value=community />
                <label for="meeting-held">{t!(i18n, hall_meeting_held_at)}</label>
                <input id="meeting-held" name="held_at" type="datetime-local" required />
                <label for="meeting-venue">{t!(i18n, hall_meeting_venue)}</label>
                <input id="meeting-venue" name="venue" type="text" required maxlength="100" />
                <label for="meeting-residents">{t!(i18n, hall_residents_present)}</label>
                <input id="meeting-residents" name="residents_present" type="number" min="0" value="0" required />
                <label for="meeting-deputies">{t!(i18n, hall_deputies_present)}</label>
                <input id="meeting-deputies" name="deputies_present" type="number" min="0" value="0" required />
                <label for="meeting-elders">{t!(i18n, hall_elders_present)}</label>
                <input id="meeting-elders" name="elders_present" type="number" min="0" value="0" required />
                <label for="meeting-minutes">{t!(i18n, hall_minutes)}</label>
                <textarea id="meeting-minutes" name="minutes" rows="6" required maxlength="5000"></textarea>
                <button type="submit" class="primary">{t!(i18n, hall_record_meeting)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn MeetingCard(m: Meeting, options: Vec<AgendaOption>, action: ServerAction<RecordMeetingItem>) -> impl IntoView {
    let i18n = use_i18n();
    let (r, d, e) = (m.residents_present, m.deputies_present, m.elders_present);
    let id = m.id;
    view! {
        <li class="meeting">
            <h2>{when(m.held_at)} " · " {m.venue.clone()}</h2>
            <p>{move || td_string!(i18n.get_locale(), hall_attendance, residents = r, deputies = d, elders = e).to_string()}</p>
            <div class="prose">{m.minutes.clone()}</div>
            {(!m.items.is_empty()).then(|| view! {
                <h3>{t!(i18n, hall_meeting_agenda)}</h3>
                <ul class="grant-list">
                    {m.items.into_iter().map(|i| {
                        let b = i.ballots;
                        view! {
                            <li class="card-row">
                                <a href=format!("/hall/p/{}", i.proposal_id)>{i.proposal_title.clone()}</a>
                                <span>{i.decision.clone()}</span>
                                <span>{move || td_string!(i18n.get_locale(), hall_paper_ballots, yes = b.votes_for, no = b.against, abstain = b.abstain).to_string()}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {(!options.is_empty()).then(|| view! {
                <details class="staff-step">
                    <summary>{t!(i18n, hall_add_decision)}</summary>
                    <ActionForm action attr:class="stack">
                        <input type="hidden" name="meeting_id" value=id />
                        <label for=format!("item-proposal-{id}")>{t!(i18n, hall_proposal)}</label>
                        <select id=format!("item-proposal-{id}") name="proposal_id" required>
                            {options.into_iter().map(|o| view! { <option value=o.id>{format!("#{} {}", o.id, o.title)}</option> }).collect_view()}
                        </select>
                        <label for=format!("item-decision-{id}")>{t!(i18n, hall_decision)}</label>
                        <input id=format!("item-decision-{id}") name="decision" type="text" required maxlength="500" />
                        <label for=format!("item-for-{id}")>{t!(i18n, hall_paper_for)}</label>
                        <input id=format!("item-for-{id}") name="ballots_for" type="number" min="0" value="0" required />
                        <label for=format!("item-against-{id}")>{t!(i18n, hall_paper_against)}</label>
                        <input id=format!("item-against-{id}") name="ballots_against" type="number" min="0" value="0" required />
                        <label for=format!("item-abstain-{id}")>{t!(i18n, hall_paper_abstain)}</label>
                        <input id=format!("item-abstain-{id}") name="ballots_abstain" type="number" min="0" value="0" required />
                        <button type="submit" class="primary">{t!(i18n, hall_add_decision)}</button>
                    </ActionForm>
                </details>
            })}
        </li>
    }
}
