//! /market/teams/:id — a team: members (display names only), total hours, its activities;
//! volunteers apply; the leader approves or declines; the leader, staff or the organization
//! post activities.
use crate::components::loaded::when_loaded;
use super::activity::ActivityForm;
use super::*;
use crate::components::auth::FormError;
use crate::hall::pages::param_id;
use leptos_meta::Title;

#[component]
pub fn TeamView() -> impl IntoView {
    let i18n = use_i18n();
    let id = param_id("id");
    let team = Resource::new(id, get_team);
    view! {
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {when_loaded(team, move |r| match r {
                Err(error) => view! { <section class="page"><BackToMarket /><ErrorNotice error /></section> }.into_any(),
                Ok(t) => view! { <Team t /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Team(t: TeamPage) -> impl IntoView {
    let i18n = use_i18n();
    let apply = ServerAction::<ApplyToTeam>::new();
    let decide = ServerAction::<DecideMember>::new();
    let s = t.summary.clone();
    let name = s.name.clone();
    let community = s.community.clone();
    let id = s.id;
    view! {
        <Title text=name.clone() />
        <article class="page" data-testid="team">
            <BackToMarket />
            <h1>{name}</h1>
            <p class="meta">
                <span class="muted">{s.org.clone().unwrap_or_default()} " " {move || community_name(i18n.get_locale(), &community)}</span>
                {s.leader.clone().map(|l| view! { <span>{t!(i18n, mk_leader)} " " {l}</span> })}
            </p>
            <dl class="tally-grid">
                <div><dt>{t!(i18n, mk_members)}</dt><dd data-testid="member-count">{s.member_count}</dd></div>
                <div><dt>{t!(i18n, mk_service_hours)}</dt><dd data-testid="team-hours">{hours(s.total_minutes)}</dd></div>
            </dl>
            <div class="prose">{t.description.clone()}</div>
            <section class="standing my-part" aria-labelledby="team-part-heading">
                <h2 id="team-part-heading">{t!(i18n, hall_my_part)}</h2>
                <FormError value=apply.value() />
                {match (t.logged_in, t.is_volunteer, t.my_status) {
                    (false, _, _) => view! { <p>{t!(i18n, mk_login_hint)} " " <a href="/login">{t!(i18n, login)}</a></p> }.into_any(),
                    (true, false, _) => view! { <p>{t!(i18n, mk_join_hint)} " " <a href="/market">{t!(i18n, mk_join)}</a></p> }.into_any(),
                    (true, true, Some(status)) if status != MemberStatus::Declined => view! {
                        <p><span class="tag" data-testid="my-membership">{move || status.label(i18n.get_locale())}</span></p>
                    }.into_any(),
                    (true, true, status) => view! {
                        {(status == Some(MemberStatus::Declined)).then(|| view! { <p class="muted">{t!(i18n, member_declined)}</p> })}
                        <ActionForm action=apply>
                            <input type="hidden" name="id" value=id />
                            <button type="submit" class="primary" data-testid="apply-team">{t!(i18n, mk_apply)}</button>
                        </ActionForm>
                    }.into_any(),
                }}
            </section>
            {t.is_leader.then(|| view! {
                <section class="staff-panel" aria-labelledby="applications-heading" data-testid="applications">
                    <h2 id="applications-heading">{t!(i18n, mk_applications)}</h2>
                    <FormError value=decide.value() />
                    {if t.pending.is_empty() {
                        view! { <p class="muted">{t!(i18n, mk_no_applications)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="grant-list">
                                {t.pending.iter().cloned().map(|a| view! {
                                    <li class="card-row">
                                        <span>{a.name.clone()} " " <SkillTags skills=a.skills.clone() /></span>
                                        <ActionForm action=decide attr:class="inline-form">
                                            <input type="hidden" name="team_id" value=id />
                                            <input type="hidden" name="account_id" value=a.account_id />
                                            <input type="hidden" name="approve" value="true" />
                                            <button type="submit" class="primary" data-testid="approve-member">{t!(i18n, mk_approve)}</button>
                                        </ActionForm>
                                        <ActionForm action=decide attr:class="inline-form">
                                            <input type="hidden" name="team_id" value=id />
                                            <input type="hidden" name="account_id" value=a.account_id />
                                            <input type="hidden" name="approve" value="false" />
                                            <button type="submit">{t!(i18n, mk_decline)}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            })}
            <section aria-labelledby="members-heading">
                <h2 id="members-heading">{t!(i18n, mk_members)}</h2>
                <ul class="tags" data-testid="members">
                    {t.members.iter().cloned().map(|m| view! { <li class="tag">{m}</li> }).collect_view()}
                </ul>
            </section>
            <section aria-labelledby="team-activities-heading">
                <h2 id="team-activities-heading">{t!(i18n, mk_activities)}</h2>
                <ActivityCards items=t.activities.clone() />
                {t.can_post.then(|| view! { <ActivityForm team_id=Some(id) org_id=t.org_id /> })}
            </section>
            <crate::menu::pages::ProviderMenu items=t.menu_items.clone() />
        </article>
    }
}
