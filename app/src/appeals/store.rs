//! SQL the appeals' server functions share: the public summary, the row lock that serialises
//! steps on one appeal, the timeline, who may do what, statistics counters, notifications and
//! the overdue sweep.
use super::*;
use crate::accounts::{Role, Scope};
use crate::db::Db;
use crate::error::AppError;
use crate::notifications::Event;
use crate::policy::{authorize, Action, Caller};
use sqlx::{any::AnyRow, Any, Row, Transaction};

pub type Tx = Transaction<'static, Any>;

/// The columns `summary` reads; `a` is the appeal, `c` its community, `d` its department.
pub const SUMMARY_COLUMNS: &str = "a.id, a.category, a.urgency, a.state, a.description, a.deadline_at,
    a.overdue_at, a.replied_at, a.created_at, a.updated_at, c.name AS community, c.name_en AS community_en,
    d.name AS department";

/// The joins `SUMMARY_COLUMNS` needs.
pub const SUMMARY_JOINS: &str = "JOIN community c ON c.id = a.community_id LEFT JOIN department d ON d.id = a.department_id";

fn decode(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("appeal {what}").into())
}

pub fn summary(r: &AnyRow, now: i64) -> Result<AppealSummary, sqlx::Error> {
    let state = AppealState::from_code(&r.try_get::<String, _>("state")?).ok_or_else(|| decode("state"))?;
    let deadline_at: Option<i64> = r.try_get("deadline_at")?;
    let overdue_at: Option<i64> = r.try_get("overdue_at")?;
    let replied_at: Option<i64> = r.try_get("replied_at")?;
    // Overdue: marked by the sweep, or past due now (the sweep may not have run yet), or
    // replied after the deadline.
    let overdue = overdue_at.is_some()
        || deadline_at.is_some_and(|d| match replied_at {
            Some(r) => r > d,
            None => state.clock_runs() && now > d,
        });
    Ok(AppealSummary {
        id: r.try_get("id")?,
        category: AppealCategory::parse(&r.try_get::<String, _>("category")?).map_err(|_| decode("category"))?,
        urgency: Urgency::parse(&r.try_get::<String, _>("urgency")?).map_err(|_| decode("urgency"))?,
        state,
        community: r.try_get("community")?,
        community_en: r.try_get("community_en")?,
        description: r.try_get("description")?,
        department: r.try_get("department")?,
        deadline_at,
        overdue,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// The fields of an appeal that decide who may act on it and how.
#[derive(Clone, Debug)]
pub struct Locked {
    pub id: i64,
    pub state: AppealState,
    pub route: Option<Route>,
    pub urgency: Urgency,
    pub street_id: i64,
    pub community_id: i64,
    pub grid_id: i64,
    pub department_id: Option<i64>,
    pub reporter_id: Option<i64>,
    pub filed_by: Option<i64>,
    pub deadline_at: Option<i64>,
    pub dispatched_at: Option<i64>,
    pub replied_at: Option<i64>,
    pub extension_days: Option<i64>,
}

const LOCKED_COLUMNS: &str = "id, state, route, urgency, street_id, community_id, grid_id, department_id,
    reporter_id, filed_by, deadline_at, dispatched_at, replied_at, extension_days";

pub fn locked(r: &AnyRow) -> Result<Locked, sqlx::Error> {
    let route: Option<String> = r.try_get("route")?;
    Ok(Locked {
        id: r.try_get("id")?,
        state: AppealState::from_code(&r.try_get::<String, _>("state")?).ok_or_else(|| decode("state"))?,
        route: route.map(|c| Route::parse(&c).map_err(|_| decode("route"))).transpose()?,
        urgency: Urgency::parse(&r.try_get::<String, _>("urgency")?).map_err(|_| decode("urgency"))?,
        street_id: r.try_get("street_id")?,
        community_id: r.try_get("community_id")?,
        grid_id: r.try_get("grid_id")?,
        department_id: r.try_get("department_id")?,
        reporter_id: r.try_get("reporter_id")?,
        filed_by: r.try_get("filed_by")?,
        deadline_at: r.try_get("deadline_at")?,
        dispatched_at: r.try_get("dispatched_at")?,
        replied_at: r.try_get("replied_at")?,
        extension_days: r.try_get("extension_days")?,
    })
}

/// Reads an appeal without locking it (to decide who may see it); NotFound when missing.
pub async fn read(db: &Db, id: i64) -> Result<Locked, AppError> {
    let r = sqlx::query(&format!("SELECT {LOCKED_COLUMNS} FROM appeal WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(locked(&r)?)
}

/// Takes the appeal's row lock for the rest of the transaction (`db::lock_rows`: PostgreSQL
/// locks the row; SQLite has one writer anyway) and returns its current fields, so two
/// steps on one appeal never both see the same state.
pub async fn lock(tx: &mut Tx, id: i64) -> Result<Locked, AppError> {
    let r = sqlx::query(&crate::db::lock_rows(tx, "appeal", LOCKED_COLUMNS, "id = $1", "updated_at"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(locked(&r)?)
}

/// A line on the timeline.
#[allow(clippy::too_many_arguments)]
pub async fn record_event(
    tx: &mut Tx,
    appeal_id: i64,
    step: &str,
    from: Option<AppealState>,
    to: AppealState,
    actor_id: Option<i64>,
    actor_role: &str,
    note: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO appeal_event (appeal_id, step, from_state, to_state, actor_id, actor_role, note, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(appeal_id)
    .bind(step)
    .bind(from.map(AppealState::code))
    .bind(to.code())
    .bind(actor_id)
    .bind(actor_role)
    .bind(note)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether `caller` may take a step whose actor is `actor` on appeal `a`.
pub fn may_act(caller: Option<&Caller>, actor: Actor, a: &Locked) -> bool {
    let action = match actor {
        Actor::Community => Action::ClassifyAppeal { community_id: a.community_id },
        Actor::Street => Action::DispatchAppeal { street_id: a.street_id },
        Actor::Department => match a.department_id {
            Some(department_id) => Action::ResolveAppeal { department_id },
            // Handled in the community: its staff reply.
            None => Action::ClassifyAppeal { community_id: a.community_id },
        },
        Actor::Reporter => Action::CallBack { community_id: a.community_id, reporter_id: a.reporter_id },
    };
    authorize(caller, action).is_ok()
}

/// Whether `caller` sees the appeal in full (reporter, contact, building, photos).
pub fn sees_all(caller: Option<&Caller>, a: &Locked) -> bool {
    let action = Action::ViewAppeal {
        community_id: a.community_id,
        grid_id: a.grid_id,
        street_id: a.street_id,
        department_id: a.department_id,
        reporter_id: a.reporter_id,
        filed_by: a.filed_by,
    };
    authorize(caller, action).is_ok()
}

/// The steps `caller` may take on `a` now, those that move it forward first.
pub fn steps_for(caller: Option<&Caller>, a: &Locked) -> Vec<Step> {
    let mut steps: Vec<Step> = Step::ALL
        .into_iter()
        .filter(|s| match s.apply(a.state, a.route, a.extension_days.is_some()) {
            Ok((_, actor)) => may_act(caller, actor, a),
            Err(_) => false,
        })
        .collect();
    steps.sort_by_key(|s| !s.forward());
    steps
}

/// The capacity a step's actor is recorded in on the timeline.
pub fn role_code(actor: Actor, a: &Locked, caller: &Caller) -> &'static str {
    match actor {
        Actor::Community => "community",
        Actor::Street => "street",
        Actor::Department if a.department_id.is_some() => "department",
        Actor::Department => "community",
        Actor::Reporter if a.reporter_id == Some(caller.account_id) => "resident",
        Actor::Reporter => "community",
    }
}

/// The time limit of an urgency, from the rules in force now.
pub async fn limit_ms(tx: &mut Tx, urgency: Urgency) -> Result<i64, sqlx::Error> {
    let minutes: i64 = sqlx::query("SELECT limit_minutes FROM urgency_rule WHERE code = $1")
        .bind(urgency.code())
        .fetch_one(&mut **tx)
        .await?
        .try_get("limit_minutes")?;
    Ok(minutes * 60_000)
}

/// Adds to the monthly counters of `(month, community, department)` and of the street's rollup
/// (`appeal_stat_by_street`, which the district's rates read). `counts` pairs a column (one of the
/// fixed names below, never from a request) with its increment.
pub async fn bump(
    tx: &mut Tx,
    month: &str,
    community_id: i64,
    department_id: i64,
    street_id: i64,
    counts: &[(&'static str, i64)],
) -> Result<(), sqlx::Error> {
    const COLUMNS: [&str; 7] = ["filed", "callbacks", "contacted", "solved", "satisfied", "closed", "closed_on_time"];
    sqlx::query(
        "INSERT INTO appeal_stat (month, community_id, department_id, street_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (month, community_id, department_id) DO NOTHING",
    )
    .bind(month)
    .bind(community_id)
    .bind(department_id)
    .bind(street_id)
    .execute(&mut **tx)
    .await?;
    let sets: Vec<String> = counts
        .iter()
        .filter(|(c, n)| *n != 0 && COLUMNS.contains(c))
        .map(|(c, n)| format!("{c} = {c} + {n}"))
        .collect();
    if sets.is_empty() {
        return Ok(());
    }
    sqlx::query(&format!(
        "UPDATE appeal_stat SET {} WHERE month = $1 AND community_id = $2 AND department_id = $3",
        sets.join(", ")
    ))
    .bind(month)
    .bind(community_id)
    .bind(department_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("INSERT INTO appeal_stat_by_street (month, street_id) VALUES ($1, $2) ON CONFLICT (month, street_id) DO NOTHING")
        .bind(month)
        .bind(street_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(&format!("UPDATE appeal_stat_by_street SET {} WHERE month = $1 AND street_id = $2", sets.join(", ")))
        .bind(month)
        .bind(street_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Notifies every account holding `role` scoped to `scope`.
pub async fn notify_role(tx: &mut Tx, role: Role, scope: Scope, event: &Event, link: &str, now: i64) -> Result<(), sqlx::Error> {
    let (kind, id) = scope.to_db();
    let ids: Vec<i64> = sqlx::query("SELECT account_id FROM role_grant WHERE role = $1 AND scope_kind = $2 AND scope_id = $3")
        .bind(role.code())
        .bind(kind)
        .bind(id)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| r.try_get("account_id"))
        .collect::<Result<_, _>>()?;
    for account in ids {
        crate::notifications::notify(tx, account, event, Some(link), now).await?;
    }
    Ok(())
}

pub fn link(id: i64) -> String {
    format!("/appeals/{id}")
}

/// Marks appeals whose deadline has passed without a reply as overdue, once each, and tells
/// the handler (the department, or the community handling it), the street and the reporter.
/// Idempotent: every server instance may run it.
pub async fn mark_overdue(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let rows = sqlx::query(
        "UPDATE appeal SET overdue_at = $1
          WHERE overdue_at IS NULL AND state IN ('classified', 'dispatched', 'accepted') AND deadline_at < $1
          RETURNING id, state, street_id, community_id, department_id, reporter_id",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let state = AppealState::from_code(&r.try_get::<String, _>("state")?).ok_or_else(|| decode("state"))?;
        let department: Option<i64> = r.try_get("department_id")?;
        record_event(&mut tx, id, "overdue", Some(state), state, None, "system", "", now).await?;
        let event = Event::AppealOverdue { appeal_id: id };
        match department {
            Some(d) => notify_role(&mut tx, Role::DeptHandler, Scope::Department(d), &event, &link(id), now).await?,
            None => {
                let c: i64 = r.try_get("community_id")?;
                notify_role(&mut tx, Role::CommunityStaff, Scope::Community(c), &event, &link(id), now).await?
            }
        }
        notify_role(&mut tx, Role::StreetOfficer, Scope::Street(r.try_get("street_id")?), &event, &link(id), now).await?;
        if let Some(reporter) = r.try_get::<Option<i64>, _>("reporter_id")? {
            crate::notifications::notify(&mut tx, reporter, &event, Some(&link(id)), now).await?;
        }
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}

/// The departments, for the dispatch form and Open311.
pub async fn departments(db: &Db) -> Result<Vec<Department>, sqlx::Error> {
    sqlx::query("SELECT id, name, name_en FROM department ORDER BY id")
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| Ok(Department { id: r.try_get("id")?, name: r.try_get("name")?, name_en: r.try_get("name_en")? }))
        .collect()
}

/// The scopes the caller works in, by role.
#[derive(Default)]
pub struct WorkScopes {
    /// As community staff.
    pub communities: Vec<i64>,
    /// As grid worker.
    pub grids: Vec<i64>,
    /// As street officer.
    pub streets: Vec<i64>,
    /// As department handler.
    pub departments: Vec<i64>,
}

pub fn work_scopes(caller: &Caller) -> WorkScopes {
    let mut w = WorkScopes::default();
    for g in &caller.grants {
        match (g.role, g.scope) {
            (Role::CommunityStaff, Some(Scope::Community(id))) => w.communities.push(id),
            (Role::GridWorker, Some(Scope::Grid(id))) => w.grids.push(id),
            (Role::StreetOfficer, Some(Scope::Street(id))) => w.streets.push(id),
            (Role::DeptHandler, Some(Scope::Department(id))) => w.departments.push(id),
            _ => {}
        }
    }
    w
}

/// `a.col IN (…)` for a list of ids (numbers from the caller's grants, never from a request);
/// `FALSE` for none, written so both engines accept it.
pub fn id_list(col: &str, ids: &[i64]) -> String {
    if ids.is_empty() {
        "1 = 0".to_string()
    } else {
        format!("{col} IN ({})", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", "))
    }
}
