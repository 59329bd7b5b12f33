//! /market/me — the volunteer's own record: number, hours and stars, skills, sign-ups, teams,
//! the hours ledger and certificates; and /market/certificate/:number, the printable
//! certificate anyone can check by its number.
use super::*;
use crate::components::auth::FormError;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn VolunteerPage() -> impl IntoView {
    let i18n = use_i18n();
    let record = Resource::new(|| (), |_| my_volunteering());
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), mk_my_record).to_string() />
        <section class="page">
            <BackToMarket />
            <h1>{t!(i18n, mk_my_record)}</h1>
            {loaded(record, move |r: Option<VolunteerProfile>| match r {
                None => view! {
                    <p>{t!(i18n, mk_join_hint)}</p>
                    <p><a class="button primary" href="/market">{t!(i18n, mk_join)}</a></p>
                }.into_any(),
                Some(v) => view! { <Record v /> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn Record(v: VolunteerProfile) -> impl IntoView {
    let i18n = use_i18n();
    let skills = ServerAction::<SetSkills>::new();
    let issue = ServerAction::<IssueCertificate>::new();
    let next = hours_to_next_star(v.total_minutes);
    view! {
        <dl class="tally-grid">
            <div><dt>{t!(i18n, mk_volunteer_no)}</dt><dd data-testid="volunteer-no">{v.volunteer_no.clone()}</dd></div>
            <div><dt>{t!(i18n, mk_service_hours)}</dt><dd data-testid="total-hours">{hours(v.total_minutes)}</dd></div>
        </dl>
        <p><Stars minutes=v.total_minutes /> " "
            {next.map(|n| view! { <span class="muted">{move || td_string!(i18n.get_locale(), mk_next_star, n = n).to_string()}</span> })}
        </p>
        {v.cadre_unit.clone().map(|u| view! { <p class="tag" data-testid="cadre">{t!(i18n, mk_cadre)} " · " {u}</p> })}
        <section aria-labelledby="certificates-heading">
            <h2 id="certificates-heading">{t!(i18n, mk_certificates)}</h2>
            <FormError value=issue.value() />
            <ul class="grant-list">
                {v.certificates.iter().cloned().map(|c| view! {
                    <li class="card-row">
                        <a href=format!("/market/certificate/{}", c.number)>{c.number.clone()}</a>
                        <span class="muted">{when(c.issued_at)} " · " {move || hours_label(i18n.get_locale(), c.minutes)}</span>
                    </li>
                }).collect_view()}
            </ul>
            {(v.total_minutes > 0).then(|| view! {
                <ActionForm action=issue>
                    <button type="submit" class="primary" data-testid="issue-certificate">{t!(i18n, mk_issue_certificate)}</button>
                </ActionForm>
            })}
        </section>
        <section aria-labelledby="my-signups-heading">
            <h2 id="my-signups-heading">{t!(i18n, mk_my_signups)}</h2>
            {if v.signups.is_empty() {
                view! { <p class="muted">{t!(i18n, mk_no_activities)} " " <a href="/market">{t!(i18n, mk_find_activities)}</a></p> }.into_any()
            } else {
                view! {
                    <ul class="grant-list" data-testid="my-signups">
                        {v.signups.iter().cloned().map(|(a, status)| view! {
                            <li class="card-row">
                                <a href=format!("/market/activities/{}", a.id)>{a.title.clone()}</a>
                                <span class="muted">{when(a.starts_at)}</span>
                                <span class="tag">{move || status.label(i18n.get_locale())}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="my-teams-heading">
            <h2 id="my-teams-heading">{t!(i18n, mk_my_teams)}</h2>
            <ul class="grant-list">
                {v.teams.iter().cloned().map(|(t, status)| view! {
                    <li class="card-row">
                        <a href=format!("/market/teams/{}", t.id)>{t.name.clone()}</a>
                        <span class="tag">{move || status.label(i18n.get_locale())}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="ledger-heading">
            <h2 id="ledger-heading">{t!(i18n, mk_ledger)}</h2>
            {if v.ledger.is_empty() {
                view! { <p class="muted">{t!(i18n, mk_no_hours)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="audit-table" data-testid="ledger">
                            <thead><tr>
                                <th scope="col">{t!(i18n, mk_when)}</th>
                                <th scope="col">{t!(i18n, mk_source)}</th>
                                <th scope="col">{t!(i18n, mk_service_hours)}</th>
                            </tr></thead>
                            <tbody>
                                {v.ledger.iter().cloned().map(|c| view! {
                                    <tr>
                                        <td>{when(c.served_at)[..10].to_string()}</td>
                                        <td>{c.title.clone()} {c.team.clone().map(|t| view! { <span class="muted">" · " {t}</span> })}</td>
                                        <td>{hours(c.minutes)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="skills-heading">
            <h2 id="skills-heading">{t!(i18n, mk_my_skills)}</h2>
            <FormError value=skills.value() />
            <ActionForm action=skills attr:class="stack">
                <SkillChecks checked=v.skills.clone() legend="mine" />
                <button type="submit" data-testid="save-skills">{t!(i18n, save)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn CertificatePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number").unwrap_or_default());
    let cert = Resource::new(number, get_certificate);
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), mk_certificate).to_string() />
        <section class="page narrow">
            {loaded(cert, move |c: Certificate| view! {
                <article class="certificate" data-testid="certificate">
                    <h1>{t!(i18n, mk_certificate)}</h1>
                    <p class="lead">{move || td_string!(i18n.get_locale(), mk_certificate_text, name = c.name.clone(), hours = hours(c.minutes)).to_string()}</p>
                    <dl class="facts">
                        <dt>{t!(i18n, mk_volunteer_no)}</dt><dd>{c.volunteer_no.clone()}</dd>
                        <dt>{t!(i18n, mk_service_hours)}</dt><dd data-testid="certificate-hours">{hours(c.minutes)}</dd>
                        <dt>{t!(i18n, mk_star)}</dt><dd><Stars minutes=c.minutes /></dd>
                        <dt>{t!(i18n, mk_issuer)}</dt>
                        <dd>{move || td_string!(i18n.get_locale(), mk_issuer_name, district = local_name(i18n.get_locale(), &c.district, &c.district_en)).to_string()}</dd>
                        <dt>{t!(i18n, mk_issued_at)}</dt><dd>{when(c.issued_at)[..10].to_string()}</dd>
                        <dt>{t!(i18n, mk_certificate_no)}</dt><dd data-testid="certificate-no">{c.number.clone()}</dd>
                    </dl>
                    <p class="muted">{t!(i18n, mk_certificate_check)}</p>
                </article>
            })}
        </section>
    }
}
