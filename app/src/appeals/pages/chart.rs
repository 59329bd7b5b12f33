//! A line chart of the rates per month, drawn as SVG on the server: no script, prints well,
//! and the same numbers are in the table below it for screen readers. Series differ by dash
//! pattern and marker as well as colour.
use super::*;

const W: f64 = 640.0;
const H: f64 = 260.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 32.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 40.0;

/// (class, dash pattern, rate of a row)
type Series = (&'static str, &'static str, fn(&RateRow) -> Option<f64>);

const SERIES: [Series; 4] = [
    ("s-response", "", RateRow::response_rate),
    ("s-resolution", "6 3", RateRow::resolution_rate),
    ("s-satisfaction", "2 3", RateRow::satisfaction_rate),
    ("s-on-time", "10 3 2 3", RateRow::on_time_rate),
];

fn x(i: usize, n: usize) -> f64 {
    if n <= 1 { LEFT + (W - LEFT - RIGHT) / 2.0 } else { LEFT + (W - LEFT - RIGHT) * i as f64 / (n - 1) as f64 }
}

fn y(pct: f64) -> f64 {
    TOP + (H - TOP - BOTTOM) * (1.0 - pct / 100.0)
}

/// The marker of series `k` at (cx, cy), appended to a path: circle, square, triangle, diamond.
fn push_marker(d: &mut String, k: usize, cx: f64, cy: f64) {
    let (mx, my, shape) = match k {
        0 => (cx, cy, "m-4 0a4 4 0 1 0 8 0a4 4 0 1 0 -8 0"),
        1 => (cx - 4.0, cy - 4.0, "h8v8h-8z"),
        2 => (cx, cy - 5.0, "l5 8h-10z"),
        _ => (cx, cy - 5.0, "l5 5l-5 5l-5 -5z"),
    };
    d.push('M');
    push_tenths(d, mx);
    d.push(' ');
    push_tenths(d, my);
    d.push_str(shape);
}

fn marker(k: usize, cx: f64, cy: f64) -> String {
    let mut d = String::with_capacity(48);
    push_marker(&mut d, k, cx, cy);
    d
}

pub fn labels(locale: Locale) -> [&'static str; 4] {
    [
        td_string!(locale, rate_response),
        td_string!(locale, rate_resolution),
        td_string!(locale, rate_satisfaction),
        td_string!(locale, rate_on_time),
    ]
}

#[component]
pub fn RatesChart(months: Vec<RateRow>) -> impl IntoView {
    let i18n = use_i18n();
    let n = months.len();
    let grid = [0.0, 25.0, 50.0, 75.0, 100.0];
    // Every month labelled when few; otherwise every third.
    let every = if n > 12 { 3 } else { 1 };
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby="chart-title" data-testid="rates-chart">
                <title id="chart-title">{move || td_string!(i18n.get_locale(), appeal_chart_title).to_string()}</title>
                {grid.into_iter().map(|p| view! {
                    <line x1=LEFT x2=W - RIGHT y1=y(p) y2=y(p) class="grid-line" />
                    <text x=LEFT - 6.0 y=y(p) + 4.0 class="axis" text-anchor="end">{format!("{p:.0}%")}</text>
                }).collect_view()}
                {months.iter().enumerate().filter(|(i, _)| i % every == 0).map(|(i, m)| view! {
                    <text x=x(i, n) y=H - BOTTOM + 18.0 class="axis" text-anchor="middle">{m.label.clone()}</text>
                }).collect_view()}
                {SERIES.iter().enumerate().map(|(k, (class, dash, rate))| {
                    let points: Vec<(f64, f64)> = months.iter().enumerate()
                        .filter_map(|(i, m)| rate(m).map(|v| (x(i, n), y(v))))
                        .collect();
                    let mut line = String::with_capacity(points.len() * 12);
                    let mut marks = String::with_capacity(points.len() * 48);
                    for (a, b) in &points {
                        if !line.is_empty() {
                            line.push(' ');
                        }
                        push_tenths(&mut line, *a);
                        line.push(',');
                        push_tenths(&mut line, *b);
                        push_marker(&mut marks, k, *a, *b);
                    }
                    view! {
                        <g class=format!("series {class}")>
                            <polyline points=line fill="none" stroke-dasharray=*dash />
                            <path d=marks />
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>
                <ul class="legend">
                    {SERIES.iter().enumerate().map(|(k, (class, dash, _))| view! {
                        <li>
                            <svg viewBox="0 0 40 12" width="40" height="12" aria-hidden="true" class=format!("series {class}")>
                                <line x1="0" x2="40" y1="6" y2="6" stroke-dasharray=*dash />
                                <path d=marker(k, 20.0, 6.0) />
                            </svg>
                            {move || labels(i18n.get_locale())[k]}
                        </li>
                    }).collect_view()}
                </ul>
            </figcaption>
        </figure>
    }
}
