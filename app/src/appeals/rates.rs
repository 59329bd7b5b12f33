//! The three rates (三率) and the on-time rate, per month and per unit, for the district, a
//! street, a community or a department. Read from the monthly counters of `appeal_stat`,
//! which the filing and the callback keep in their own transactions.
//! Policy: public (statistics name no one).
use super::*;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Whose rates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum RateScope {
    District,
    Street(i64),
    Community(i64),
    Department(i64),
}

impl RateScope {
    /// From the page's query: `scope` = street/community/department with an `id`; anything
    /// else is the whole district.
    pub fn parse(kind: Option<&str>, id: Option<i64>) -> RateScope {
        match (kind, id) {
            (Some("street"), Some(id)) => RateScope::Street(id),
            (Some("community"), Some(id)) => RateScope::Community(id),
            (Some("department"), Some(id)) => RateScope::Department(id),
            _ => RateScope::District,
        }
    }

    /// From the `unit` a page or the CSV link carries (`street:3`); none is the district.
    pub fn from_unit(unit: Option<&str>) -> RateScope {
        match unit.and_then(|u| u.split_once(':')) {
            Some((kind, id)) => RateScope::parse(Some(kind), id.parse().ok()),
            None => RateScope::District,
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            RateScope::District => "district",
            RateScope::Street(_) => "street",
            RateScope::Community(_) => "community",
            RateScope::Department(_) => "department",
        }
    }

    pub fn id(self) -> Option<i64> {
        match self {
            RateScope::District => None,
            RateScope::Street(id) | RateScope::Community(id) | RateScope::Department(id) => Some(id),
        }
    }
}

/// Counts over a month or a unit, with the rates they give.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RateRow {
    /// `YYYY-MM`, or the unit's name.
    pub label: String,
    pub label_en: String,
    pub filed: i64,
    pub callbacks: i64,
    pub contacted: i64,
    pub solved: i64,
    pub satisfied: i64,
    pub closed: i64,
    pub closed_on_time: i64,
}

impl RateRow {
    /// 响应率 = contacted / callbacks.
    pub fn response_rate(&self) -> Option<f64> {
        percent(self.contacted, self.callbacks)
    }
    /// 解决率 = solved / callbacks.
    pub fn resolution_rate(&self) -> Option<f64> {
        percent(self.solved, self.callbacks)
    }
    /// 满意率 = satisfied / callbacks.
    pub fn satisfaction_rate(&self) -> Option<f64> {
        percent(self.satisfied, self.callbacks)
    }
    /// On-time rate = closed within the deadline / closed.
    pub fn on_time_rate(&self) -> Option<f64> {
        percent(self.closed_on_time, self.closed)
    }
}

/// A unit to pick on the rates page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScopeOption {
    pub scope: RateScope,
    pub name: String,
    pub name_en: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatesReport {
    pub scope: RateScope,
    pub name: String,
    pub name_en: String,
    pub from: String,
    pub to: String,
    pub months: Vec<RateRow>,
    /// The period by the units one level down (streets, communities, or departments — where
    /// `社区自办` stands for appeals the community handled itself).
    pub units: Vec<RateRow>,
    pub total: RateRow,
    pub options: Vec<ScopeOption>,
}

/// The rates of `scope` from month `from` to month `to` (`YYYY-MM`; by default the twelve
/// months up to this one).
#[server(endpoint = "appeal_rates")]
pub async fn appeal_rates(
    scope: Option<String>,
    id: Option<i64>,
    from: Option<String>,
    to: Option<String>,
) -> Result<RatesReport, AppError> {
    let app = crate::request::state()?;
    let scope = RateScope::parse(scope.as_deref(), id);
    let (from, to) = period(app.clock.now_ms(), from.as_deref(), to.as_deref());
    report(&app, scope, &from, &to).await
}

/// The months asked for (`YYYY-MM`), by default the twelve up to the one `now` falls in.
pub fn period(now: i64, from: Option<&str>, to: Option<&str>) -> (String, String) {
    let to = to.and_then(parse_month).unwrap_or_else(|| month_of(now));
    let from = from.and_then(parse_month).unwrap_or_else(|| month_of(now - 334 * 86_400_000));
    (from, to)
}

/// The counters summed; PostgreSQL sums BIGINTs into NUMERIC, so each is cast back for both
/// engines to decode an integer.
#[cfg(feature = "ssr")]
const SUMS: &str = "CAST(SUM(filed) AS BIGINT) AS filed, CAST(SUM(callbacks) AS BIGINT) AS callbacks,
    CAST(SUM(contacted) AS BIGINT) AS contacted, CAST(SUM(solved) AS BIGINT) AS solved,
    CAST(SUM(satisfied) AS BIGINT) AS satisfied, CAST(SUM(closed) AS BIGINT) AS closed,
    CAST(SUM(closed_on_time) AS BIGINT) AS closed_on_time";

/// The district's name and every unit whose rates can be shown: reference data, kept in
/// memory (`AppState::rate_units`) rather than read on every report.
#[cfg(feature = "ssr")]
#[derive(Debug)]
pub struct RateUnits {
    district: Option<(String, String)>,
    options: Vec<ScopeOption>,
}

#[cfg(feature = "ssr")]
impl RateUnits {
    pub async fn load(db: &crate::db::Db) -> Result<RateUnits, sqlx::Error> {
        use sqlx::Row;
        let district = sqlx::query("SELECT name, name_en FROM district ORDER BY id LIMIT 1")
            .fetch_optional(db.read())
            .await?
            .map(|r| Ok::<_, sqlx::Error>((r.try_get("name")?, r.try_get("name_en")?)))
            .transpose()?;
        Ok(RateUnits { district, options: options(db).await? })
    }

    /// The name of `scope`, in Chinese and in English.
    fn name(&self, scope: RateScope) -> Option<(String, String)> {
        match scope {
            RateScope::District => self.district.clone(),
            _ => self.options.iter().find(|o| o.scope == scope).map(|o| (o.name.clone(), o.name_en.clone())),
        }
    }
}

/// The report, in one query over the counters: the months and the units one level down as two
/// JSON columns (`Db::json_list`), the district's from the streets' rollup (72 rows a year), the
/// others' from the community counters of their scope.
#[cfg(feature = "ssr")]
pub async fn report(app: &crate::state::AppState, scope: RateScope, from: &str, to: &str) -> Result<RatesReport, AppError> {
    use crate::db::Db;
    use sqlx::Row;
    let mut units = app.rate_units.get_or_load(|| RateUnits::load(&app.db)).await?;
    if units.name(scope).is_none() {
        // Perhaps made since (through another instance): look again before saying not found.
        app.rate_units.clear();
        units = app.rate_units.get_or_load(|| RateUnits::load(&app.db)).await?;
    }
    let (name, name_en) = units.name(scope).ok_or(AppError::NotFound)?;
    let options = &units.options;
    // Where the counters come from, and the units one level down: streets of the district,
    // communities of a street or a department, departments of a community (0: handled in the
    // community itself). `$1` and `$2` are the months, `$3` the scope's id.
    let (table, filter, unit, unit_kind) = match scope {
        RateScope::District => ("appeal_stat_by_street", "", "street_id", "street"),
        RateScope::Street(_) => ("appeal_stat", "AND street_id = $3", "community_id", "community"),
        RateScope::Community(_) => ("appeal_stat", "AND community_id = $3", "department_id", "department"),
        RateScope::Department(_) => ("appeal_stat", "AND department_id = $3", "community_id", "community"),
    };
    let sums = |key: &str| {
        app.db.json_list(
            &format!("k, {COUNTERS}"),
            &format!("SELECT {key} AS k, {SUMS} FROM {table} WHERE month >= $1 AND month <= $2 {filter} GROUP BY {key}"),
        )
    };
    let sql = format!("SELECT {} AS months, {} AS units", sums("month"), sums(unit));
    let mut q = sqlx::query(&sql).bind(from).bind(to);
    if let Some(id) = scope.id() {
        q = q.bind(id);
    }
    let r = q.fetch_one(app.db.read()).await?;
    let mut months: Vec<Counted<String>> = Db::json_decode(&r.try_get::<String, _>("months")?)?;
    months.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let months: Vec<RateRow> = months.into_iter().map(|m| m.row(m.0.clone(), m.0.clone())).collect();
    let mut unit_rows: Vec<Counted<i64>> = Db::json_decode(&r.try_get::<String, _>("units")?)?;
    unit_rows.sort_unstable_by_key(|u| u.0);
    let unit_rows = unit_rows
        .into_iter()
        .map(|u| match options.iter().find(|o| o.scope.kind() == unit_kind && o.scope.id() == Some(u.0)) {
            Some(o) => u.row(o.name.clone(), o.name_en.clone()),
            None => u.row("社区自办".into(), "Handled by the community".into()),
        })
        .collect();
    let mut total = RateRow { label: name.clone(), label_en: name_en.clone(), ..RateRow::default() };
    for m in &months {
        total.filed += m.filed;
        total.callbacks += m.callbacks;
        total.contacted += m.contacted;
        total.solved += m.solved;
        total.satisfied += m.satisfied;
        total.closed += m.closed;
        total.closed_on_time += m.closed_on_time;
    }
    Ok(RatesReport { scope, name, name_en, from: from.to_string(), to: to.to_string(), months, units: unit_rows, total, options: options.clone() })
}

/// The summed counters' columns, in `Counted`'s order.
#[cfg(feature = "ssr")]
const COUNTERS: &str = "filed, callbacks, contacted, solved, satisfied, closed, closed_on_time";

/// A month's or a unit's counters as `report`'s JSON columns carry them: the key, then
/// `COUNTERS` (NULL where nothing was summed).
#[cfg(feature = "ssr")]
#[derive(serde::Deserialize)]
struct Counted<K>(K, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

#[cfg(feature = "ssr")]
impl<K> Counted<K> {
    fn row(&self, label: String, label_en: String) -> RateRow {
        let n = |v: Option<i64>| v.unwrap_or_default();
        RateRow {
            label,
            label_en,
            filed: n(self.1),
            callbacks: n(self.2),
            contacted: n(self.3),
            solved: n(self.4),
            satisfied: n(self.5),
            closed: n(self.6),
            closed_on_time: n(self.7),
        }
    }
}

/// Every unit whose rates can be shown.
#[cfg(feature = "ssr")]
async fn options(db: &crate::db::Db) -> Result<Vec<ScopeOption>, sqlx::Error> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT 'street' AS kind, id, name, name_en FROM street
         UNION ALL SELECT 'community', id, name, name_en FROM community
         UNION ALL SELECT 'department', id, name, name_en FROM department
         ORDER BY 1 DESC, 2",
    )
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(ScopeOption {
                scope: RateScope::parse(Some(&kind), Some(r.try_get("id")?)),
                name: r.try_get("name")?,
                name_en: r.try_get("name_en")?,
            })
        })
        .collect()
}

/// The report as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese
/// names): one line per month, then one per unit, then the total.
pub fn csv(report: &RatesReport) -> String {
    let mut out = String::from("\u{FEFF}kind,label,filed,callbacks,contacted,solved,satisfied,closed,closed_on_time,response_rate,resolution_rate,satisfaction_rate,on_time_rate\n");
    let rate = |r: Option<f64>| r.map(tenths).unwrap_or_default();
    let line = |kind: &str, r: &RateRow| {
        // Names are ours, but quote them anyway; a leading = + - @ would be a formula.
        let label = r.label.replace('"', "\"\"");
        let label = if label.starts_with(['=', '+', '-', '@']) { format!("'{label}") } else { label };
        format!(
            "{kind},\"{label}\",{},{},{},{},{},{},{},{},{},{},{}\n",
            r.filed,
            r.callbacks,
            r.contacted,
            r.solved,
            r.satisfied,
            r.closed,
            r.closed_on_time,
            rate(r.response_rate()),
            rate(r.resolution_rate()),
            rate(r.satisfaction_rate()),
            rate(r.on_time_rate())
        )
    };
    for m in &report.months {
        out.push_str(&line("month", m));
    }
    for u in &report.units {
        out.push_str(&line("unit", u));
    }
    out.push_str(&line("total", &report.total));
    out
}
