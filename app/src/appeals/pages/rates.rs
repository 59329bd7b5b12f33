//! /appeals/rates — the three rates and the on-time rate of the district, a street, a
//! community or a department, per month (chart and table) and per unit, with a CSV download.
//! The picker is a plain GET form: the same with and without JavaScript.
use crate::components::loaded::when_loaded;
use super::chart::{labels, RatesChart};
use super::*;
use crate::components::auth::ErrorNotice;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let get = move |k: &str| query.with(|q| q.get(k).filter(|v| !v.is_empty()));
    let report = Resource::new(
        move || (get("unit"), get("from"), get("to")),
        |(unit, from, to)| {
            let scope = RateScope::from_unit(unit.as_deref());
            appeal_rates(Some(scope.kind().to_string()), scope.id(), from, to)
        },
    );
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), appeal_rates).to_string() />
        <section class="page">
            <p class="muted"><a href="/appeals">{t!(i18n, area_appeals_title)}</a></p>
            <h1>{t!(i18n, appeal_rates)}</h1>
            <p class="muted">{t!(i18n, appeal_rates_hint)}</p>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {when_loaded(report, move |r| match r {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(rep) => view! { <Report rep /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Report(rep: RatesReport) -> impl IntoView {
    let i18n = use_i18n();
    let unit = match rep.scope.id() {
        Some(id) => format!("{}:{id}", rep.scope.kind()),
        None => String::new(),
    };
    let csv = format!("/appeals/rates.csv?unit={}&from={}&to={}", unit, rep.from, rep.to);
    let name = (rep.name.clone(), rep.name_en.clone());
    view! {
        <form method="get" action="/appeals/rates" class="filters" role="search">
            <div class="field">
                <label for="rates-unit">{t!(i18n, appeal_rates_unit)}</label>
                <select id="rates-unit" name="unit" data-testid="rates-unit">
                    <option value="">{t!(i18n, appeal_rates_district)}</option>
                    {rep.options.iter().map(|o| {
                        let value = format!("{}:{}", o.scope.kind(), o.scope.id().unwrap_or(0));
                        let selected = value == unit;
                        let (n, ne) = (o.name.clone(), o.name_en.clone());
                        view! { <option value=value selected=selected>{move || local_name(i18n.get_locale(), &n, &ne)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="rates-from">{t!(i18n, appeal_rates_from)}</label>
                <input id="rates-from" name="from" type="month" value=rep.from.clone() />
            </div>
            <div class="field">
                <label for="rates-to">{t!(i18n, appeal_rates_to)}</label>
                <input id="rates-to" name="to" type="month" value=rep.to.clone() />
            </div>
            <button type="submit">{t!(i18n, appeal_rates_show)}</button>
        </form>
        <h2>{move || local_name(i18n.get_locale(), &name.0, &name.1)} " · " {format!("{} – {}", rep.from, rep.to)}</h2>
        <RateSummary row=rep.total.clone() />
        <p><a class="button" href=csv download="linli-appeal-rates.csv" data-testid="rates-csv">{t!(i18n, appeal_rates_csv)}</a></p>
        <RatesChart months=rep.months.clone() />
        <h3>{t!(i18n, appeal_rates_by_month)}</h3>
        <RateTable rows=rep.months.clone() first=td_string!(i18n.get_locale(), appeal_rates_month) />
        <h3>{t!(i18n, appeal_rates_by_unit)}</h3>
        <RateTable rows=rep.units.clone() first=td_string!(i18n.get_locale(), appeal_rates_unit) />
    }
}

fn shown(rate: Option<f64>) -> String {
    match rate {
        Some(v) => {
            let mut s = tenths(v);
            s.push('%');
            s
        }
        None => "—".into(),
    }
}

/// The four rates as large figures with their counts.
#[component]
pub fn RateSummary(row: RateRow) -> impl IntoView {
    let i18n = use_i18n();
    let rates = [row.response_rate(), row.resolution_rate(), row.satisfaction_rate(), row.on_time_rate()];
    view! {
        <dl class="tally-grid rates" data-testid="rate-summary">
            {rates.into_iter().enumerate().map(|(k, r)| view! {
                <div><dt>{move || labels(i18n.get_locale())[k]}</dt><dd data-testid=format!("rate-{k}")>{shown(r)}</dd></div>
            }).collect_view()}
        </dl>
        <p class="muted">{move || td_string!(i18n.get_locale(), appeal_rates_counts, filed = row.filed, callbacks = row.callbacks, closed = row.closed).to_string()}</p>
    }
}

#[component]
fn RateTable(rows: Vec<RateRow>, first: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll">
            <table class="audit-table rate-table">
                <thead><tr>
                    <th scope="col">{first}</th>
                    <th scope="col">{t!(i18n, appeal_rates_filed)}</th>
                    <th scope="col">{t!(i18n, appeal_rates_callbacks)}</th>
                    {move || labels(i18n.get_locale()).into_iter().map(|l| view! { <th scope="col">{l}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let (l, le) = (r.label.clone(), r.label_en.clone());
                        view! {
                            <tr>
                                <th scope="row">{move || local_name(i18n.get_locale(), &l, &le)}</th>
                                <td>{r.filed}</td>
                                <td>{r.callbacks}</td>
                                <td>{shown(r.response_rate())}</td>
                                <td>{shown(r.resolution_rate())}</td>
                                <td>{shown(r.satisfaction_rate())}</td>
                                <td>{shown(r.on_time_rate())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
