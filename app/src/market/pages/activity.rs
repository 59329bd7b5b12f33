//! /market/activities/:id — an activity: when, where, slots and the waitlist; the volunteer's
//! sign-up, cancellation and on-site check-in; for whoever runs it, the check-in code to show
//! and the roster to confirm hours. Also the form that posts a new activity.
use crate::components::loaded::when_loaded;
use super::*;
use crate::components::auth::FormError;
use crate::hall::pages::param_id;
use leptos_meta::Title;

#[component]
pub fn ActivityView() -> impl IntoView {
    let i18n = use_i18n();
    let id = param_id("id");
    let activity = Resource::new(id, get_activity);
    view! {
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {when_loaded(activity, move |r| match r {
                Err(error) => view! { <section class="page"><BackToMarket /><ErrorNotice error /></section> }.into_any(),
                Ok(a) => view! { <Activity a /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Activity(a: ActivityPage) -> impl IntoView {
    let i18n = use_i18n();
    let s = a.summary.clone();
    let title = s.title.clone();
    let community = s.community.clone();
    let host_link = match (a.team_id, a.org_id) {
        (Some(t), _) => format!("/market/teams/{t}"),
        (None, Some(o)) => format!("/market/orgs/{o}"),
        _ => "/market".to_string(),
    };
    view! {
        <Title text=title.clone() />
        <article class="page" data-testid="activity">
            <BackToMarket />
            <h1>{title}</h1>
            <dl class="facts">
                <dt>{t!(i18n, mk_when)}</dt><dd>{when(s.starts_at)} " – " {when(s.ends_at)}</dd>
                <dt>{t!(i18n, mk_place)}</dt><dd>{s.place.clone()} " · " {move || community_name(i18n.get_locale(), &community)}</dd>
                <dt>{t!(i18n, mk_host)}</dt><dd><a href=host_link>{s.host.clone()}</a></dd>
                <dt>{t!(i18n, mk_slots)}</dt>
                <dd data-testid="slots">
                    {move || td_string!(i18n.get_locale(), mk_slots_taken, taken = s.confirmed, slots = s.slots).to_string()}
                    {(s.waitlisted > 0).then(|| view! { " · " {move || td_string!(i18n.get_locale(), mk_waitlist_count, n = s.waitlisted).to_string()} })}
                </dd>
                {(!s.skills.is_empty()).then(|| view! { <dt>{t!(i18n, mk_skills_needed)}</dt><dd><SkillTags skills=s.skills.clone() /></dd> })}
            </dl>
            <div class="prose">{a.description.clone()}</div>
            <MySignupPanel a=a.clone() />
            {a.organiser.clone().map(|o| view! { <OrganiserPanel o starts_at=s.starts_at ends_at=s.ends_at now=a.now /> })}
        </article>
    }
}

/// The volunteer's part: sign up or join the waitlist, cancel, check in and out.
#[component]
fn MySignupPanel(a: ActivityPage) -> impl IntoView {
    let i18n = use_i18n();
    let sign_up = ServerAction::<SignUp>::new();
    let cancel = ServerAction::<CancelSignup>::new();
    let check_in = ServerAction::<CheckIn>::new();
    let check_out = ServerAction::<CheckOut>::new();
    let id = a.summary.id;
    let started = a.now >= a.summary.starts_at;
    let ended = a.now >= a.summary.ends_at;
    let checkin_open = a.now >= a.summary.starts_at - CHECKIN_OPENS_BEFORE_MS && !ended;
    let full = a.summary.confirmed >= a.summary.slots;
    let body = if !a.logged_in {
        view! { <p>{t!(i18n, mk_login_hint)} " " <a href="/login">{t!(i18n, login)}</a></p> }.into_any()
    } else if !a.is_volunteer {
        view! { <p>{t!(i18n, mk_join_hint)} " " <a href="/market">{t!(i18n, mk_join)}</a></p> }.into_any()
    } else {
        match a.mine.clone() {
            None if started => view! { <p class="muted">{t!(i18n, err_started)}</p> }.into_any(),
            None => view! {
                <ActionForm action=sign_up>
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="primary" data-testid="sign-up">
                        {if full { t!(i18n, mk_join_waitlist).into_any() } else { t!(i18n, mk_sign_up).into_any() }}
                    </button>
                </ActionForm>
            }.into_any(),
            Some(m) => view! {
                <p data-testid="my-signup">
                    <span class="tag">{move || m.status.label(i18n.get_locale())}</span>
                    {m.position.map(|p| view! { " " {move || td_string!(i18n.get_locale(), mk_waitlist_position, n = p).to_string()} })}
                </p>
                {m.checked_in_at.map(|t| view! { <p data-testid="checked-in">{t!(i18n, mk_checked_in_at)} " " {when(t)}</p> })}
                {m.checked_out_at.map(|t| view! { <p>{t!(i18n, mk_checked_out_at)} " " {when(t)}</p> })}
                {m.attended_minutes.map(|min| view! { <p data-testid="attended">{t!(i18n, mk_hours_confirmed)} " " {move || hours_label(i18n.get_locale(), min)}</p> })}
                {(m.status == SignupStatus::Confirmed && checkin_open && m.checked_out_at.is_none()).then(|| {
                    // Check in first; the same code checks out afterwards.
                    if m.checked_in_at.is_none() {
                        view! {
                            <ActionForm action=check_in attr:class="stack">
                                <input type="hidden" name="id" value=id />
                                <label for="checkin-code">{t!(i18n, mk_checkin_code)}</label>
                                <input id="checkin-code" name="code" type="text" inputmode="numeric" autocomplete="off" required maxlength="7" />
                                <button type="submit" class="primary" data-testid="check-in">{t!(i18n, mk_check_in)}</button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! {
                            <ActionForm action=check_out attr:class="stack">
                                <input type="hidden" name="id" value=id />
                                <label for="checkout-code">{t!(i18n, mk_checkin_code)}</label>
                                <input id="checkout-code" name="code" type="text" inputmode="numeric" autocomplete="off" required maxlength="7" />
                                <button type="submit" data-testid="check-out">{t!(i18n, mk_check_out)}</button>
                            </ActionForm>
                        }.into_any()
                    }
                })}
                {(!started).then(|| view! {
                    <ActionForm action=cancel>
                        <input type="hidden" name="id" value=id />
                        <button type="submit" data-testid="cancel-signup">{t!(i18n, mk_cancel_signup)}</button>
                    </ActionForm>
                })}
            }.into_any(),
        }
    };
    view! {
        <section class="standing my-part" aria-labelledby="my-signup-heading">
            <h2 id="my-signup-heading">{t!(i18n, hall_my_part)}</h2>
            <FormError value=sign_up.value() />
            <FormError value=cancel.value() />
            <FormError value=check_in.value() />
            <FormError value=check_out.value() />
            {body}
        </section>
    }
}

/// For whoever runs the activity: the code to show on site and the roster with hours to confirm.
#[component]
fn OrganiserPanel(o: OrganiserView, starts_at: i64, ends_at: i64, now: i64) -> impl IntoView {
    let i18n = use_i18n();
    let confirm = ServerAction::<ConfirmAttendance>::new();
    let begun = now >= starts_at;
    let max_hours = hours((ends_at - starts_at) / 60_000);
    view! {
        <section class="staff-panel" aria-labelledby="organiser-heading" data-testid="organiser">
            <h2 id="organiser-heading">{t!(i18n, mk_organiser_panel)}</h2>
            // The code stops working when the activity ends (check-in refuses it): don't show it.
            {if now < ends_at {
                view! {
                    <p>{t!(i18n, mk_show_code)}</p>
                    <p class="checkin-code" data-testid="checkin-code">{o.checkin_code.clone()}</p>
                }.into_any()
            } else {
                view! { <p class="muted" data-testid="code-expired">{t!(i18n, mk_code_expired)}</p> }.into_any()
            }}
            <FormError value=confirm.value() />
            {if o.roster.is_empty() {
                view! { <p class="muted">{t!(i18n, mk_no_signups)}</p> }.into_any()
            } else {
                view! {
                    <ul class="grant-list" data-testid="roster">
                        {o.roster.into_iter().map(|r| {
                            let suggested = hours(r.suggested_minutes);
                            let max_hours = max_hours.clone();
                            view! {
                                <li class="card-row">
                                    <span>{r.name.clone()} " " <span class="tag">{move || r.status.label(i18n.get_locale())}</span></span>
                                    <span class="muted">
                                        {r.checked_in_at.map(|t| view! { {t!(i18n, mk_checked_in_at)} " " {when(t)[11..].to_string()} " " })}
                                        {r.checked_out_at.map(|t| view! { {t!(i18n, mk_checked_out_at)} " " {when(t)[11..].to_string()} })}
                                    </span>
                                    {match (r.attended_minutes, r.status == SignupStatus::Confirmed && (begun || r.checked_in_at.is_some())) {
                                        (Some(m), _) => view! { <span data-testid="confirmed-hours">{move || hours_label(i18n.get_locale(), m)}</span> }.into_any(),
                                        (None, true) => view! {
                                            <ActionForm action=confirm attr:class="inline-form">
                                                <input type="hidden" name="signup_id" value=r.signup_id />
                                                <label for=format!("hours-{}", r.signup_id)>{t!(i18n, mk_hours_served)}</label>
                                                <input id=format!("hours-{}", r.signup_id) name="hours" type="number" min="0.25" step="0.25" max=max_hours value=suggested required />
                                                <button type="submit" class="primary" data-testid="confirm-attendance">{t!(i18n, mk_confirm_attendance)}</button>
                                            </ActionForm>
                                        }.into_any(),
                                        (None, false) => ().into_any(),
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// Posts an activity for a team, or for an organization in a community it chooses.
#[component]
pub fn ActivityForm(team_id: Option<i64>, org_id: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateActivity>::new();
    let communities = Resource::new(|| (), |_| market_home(None, false));
    view! {
        <details class="staff-step">
            <summary data-testid="new-activity">{t!(i18n, mk_new_activity)}</summary>
            <FormError value=create.value() />
            <ActionForm action=create attr:class="stack">
                {team_id.map(|t| view! { <input type="hidden" name="team_id" value=t /> })}
                {org_id.filter(|_| team_id.is_none()).map(|o| view! {
                    <input type="hidden" name="org_id" value=o />
                    <label for="activity-community">{t!(i18n, mk_community)}</label>
                    {loaded(communities, move |h: MarketFront| view! { <CommunitySelect name="community_id" id="activity-community" communities=h.communities /> })}
                })}
                <label for="activity-title">{t!(i18n, hall_title)}</label>
                <input id="activity-title" name="title" type="text" required minlength="4" maxlength="80" />
                <label for="activity-place">{t!(i18n, mk_place)}</label>
                <input id="activity-place" name="place" type="text" required maxlength="100" />
                <label for="activity-starts">{t!(i18n, mk_starts_at)}</label>
                <input id="activity-starts" name="starts_at" type="datetime-local" required />
                <label for="activity-ends">{t!(i18n, mk_ends_at)}</label>
                <input id="activity-ends" name="ends_at" type="datetime-local" required />
                <label for="activity-slots">{t!(i18n, mk_slots)}</label>
                <input id="activity-slots" name="slots" type="number" min="1" max="500" value="10" required />
                <SkillChecks checked=Vec::new() legend="needed" />
                <label for="activity-description">{t!(i18n, mk_description)}</label>
                <textarea id="activity-description" name="description" rows="4" required maxlength="2000"></textarea>
                <button type="submit" class="primary" data-testid="submit-activity">{t!(i18n, mk_new_activity)}</button>
            </ActionForm>
        </details>
    }
}
