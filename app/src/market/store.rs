//! SQL the marketplace's server functions share: reading lists, the row locks that serialise
//! sign-ups, and the day-before reminders of the sweep.
use super::*;
use crate::accounts::{Role, Scope};
use crate::db::{lock_rows, Db};
use crate::error::AppError;
use crate::notifications::{notify, Event};
use crate::policy::Caller;
use sqlx::{any::AnyRow, Any, Row, Transaction};

pub type Tx = Transaction<'static, Any>;

fn decode(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("bad {what}").into())
}

/// `$from, $from+1, …` for an `IN (…)` of `n` values.
pub fn placeholders(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

pub fn community_ref(r: &AnyRow, id: &str, name: &str, name_en: &str) -> Result<CommunityRef, sqlx::Error> {
    Ok(CommunityRef { id: r.try_get(id)?, name: r.try_get(name)?, name_en: r.try_get(name_en)? })
}

pub fn codes<T>(csv: &str, from_code: impl Fn(&str) -> Option<T>) -> Vec<T> {
    csv.split(',').filter_map(|c| from_code(c.trim())).collect()
}

/// Communities by id, for forms.
pub async fn communities<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    ids: Option<&[i64]>,
) -> Result<Vec<CommunityRef>, sqlx::Error> {
    let rows = match ids {
        None => sqlx::query("SELECT id, name, name_en FROM community ORDER BY id").fetch_all(db).await?,
        Some([]) => Vec::new(),
        Some(ids) => {
            let sql = format!("SELECT id, name, name_en FROM community WHERE id IN ({}) ORDER BY id", placeholders(1, ids.len()));
            let mut q = sqlx::query(&sql);
            for id in ids {
                q = q.bind(*id);
            }
            q.fetch_all(db).await?
        }
    };
    rows.iter().map(|r| community_ref(r, "id", "name", "name_en")).collect()
}

/// The ids of the places where `caller` holds `role`.
pub fn scoped(caller: Option<&Caller>, role: Role) -> Vec<i64> {
    caller
        .map(|c| {
            c.grants
                .iter()
                .filter(|g| g.role == role)
                .filter_map(|g| match g.scope {
                    Some(Scope::Community(id) | Scope::Organization(id)) => Some(id),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

pub const ORG_COLUMNS: &str = "o.id, o.name, o.kind, o.status, o.service_areas, o.community_id,
    c.name AS c_name, c.name_en AS c_name_en";

pub fn org_summary(r: &AnyRow) -> Result<OrgSummary, sqlx::Error> {
    Ok(OrgSummary {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        kind: OrgKind::from_code(&r.try_get::<String, _>("kind")?).ok_or_else(|| decode("kind"))?,
        status: OrgStatus::from_code(&r.try_get::<String, _>("status")?).ok_or_else(|| decode("status"))?,
        community: community_ref(r, "community_id", "c_name", "c_name_en")?,
        service_areas: codes(&r.try_get::<String, _>("service_areas")?, ServiceCategory::from_code),
    })
}

pub const TEAM_COLUMNS: &str = "t.id, t.name, t.community_id, t.member_count, t.total_minutes,
    c.name AS c_name, c.name_en AS c_name_en, o.name AS org_name, l.display_name AS leader, l.deleted_at AS leader_deleted";

/// `FROM` for `TEAM_COLUMNS`.
pub const TEAM_FROM: &str = "team t JOIN community c ON c.id = t.community_id
    LEFT JOIN organization o ON o.id = t.org_id JOIN account l ON l.id = t.leader_id";

pub fn team_summary(r: &AnyRow) -> Result<TeamSummary, sqlx::Error> {
    Ok(TeamSummary {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        org: r.try_get("org_name")?,
        community: community_ref(r, "community_id", "c_name", "c_name_en")?,
        member_count: r.try_get("member_count")?,
        total_minutes: r.try_get("total_minutes")?,
        leader: crate::hall::store::author(r, "leader", "leader_deleted")?,
    })
}

pub const ACTIVITY_COLUMNS: &str = "a.id, a.title, a.community_id, a.place, a.starts_at, a.ends_at, a.slots,
    a.confirmed_count, COALESCE(t.name, o.name) AS host, c.name AS c_name, c.name_en AS c_name_en,
    COALESCE(wl.waiting, 0) AS waitlisted";

/// `FROM` for `ACTIVITY_COLUMNS`. The waitlist's length is a counter (`waitlist_moved`), not a
/// count of its rows: after a storm thousands wait on one activity.
pub const ACTIVITY_FROM: &str = "activity a JOIN community c ON c.id = a.community_id
    LEFT JOIN team t ON t.id = a.team_id LEFT JOIN organization o ON o.id = a.org_id
    LEFT JOIN activity_waitlist wl ON wl.activity_id = a.id";

fn activity_row(r: &AnyRow) -> Result<ActivitySummary, sqlx::Error> {
    Ok(ActivitySummary {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        host: r.try_get::<Option<String>, _>("host")?.unwrap_or_default(),
        community: community_ref(r, "community_id", "c_name", "c_name_en")?,
        place: r.try_get("place")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        slots: r.try_get("slots")?,
        confirmed: r.try_get("confirmed_count")?,
        waitlisted: r.try_get("waitlisted")?,
        skills: Vec::new(),
    })
}

/// Activity rows with their needed skills (one more query for the whole list).
pub async fn activity_summaries(db: &Db, rows: &[AnyRow]) -> Result<Vec<ActivitySummary>, sqlx::Error> {
    let mut list = rows.iter().map(activity_row).collect::<Result<Vec<_>, _>>()?;
    if list.is_empty() {
        return Ok(list);
    }
    let sql = format!(
        "SELECT activity_id, skill FROM activity_skill WHERE activity_id IN ({}) ORDER BY skill",
        placeholders(1, list.len())
    );
    let mut q = sqlx::query(&sql);
    for a in &list {
        q = q.bind(a.id);
    }
    for r in q.fetch_all(db.read()).await? {
        let (id, skill): (i64, String) = (r.try_get("activity_id")?, r.try_get("skill")?);
        if let (Some(a), Some(s)) = (list.iter_mut().find(|a| a.id == id), Skill::from_code(&skill)) {
            a.skills.push(s);
        }
    }
    Ok(list)
}

/// The activities `filter` (a `WHERE` over `a`, binding `params` from $1) selects, soonest
/// first, at most `limit`.
pub async fn activities_where(db: &Db, filter: &str, params: &[i64], limit: i64) -> Result<Vec<ActivitySummary>, sqlx::Error> {
    let sql = format!("SELECT {ACTIVITY_COLUMNS} FROM {ACTIVITY_FROM} WHERE {filter} ORDER BY a.starts_at, a.id LIMIT {limit}");
    let mut q = sqlx::query(&sql);
    for p in params {
        q = q.bind(*p);
    }
    let rows = q.fetch_all(db.read()).await?;
    activity_summaries(db, &rows).await
}

pub async fn teams_where(db: &Db, filter: &str, params: &[i64]) -> Result<Vec<TeamSummary>, sqlx::Error> {
    let sql = format!("SELECT {TEAM_COLUMNS} FROM {TEAM_FROM} WHERE {filter} ORDER BY t.total_minutes DESC, t.id LIMIT 200");
    let mut q = sqlx::query(&sql);
    for p in params {
        q = q.bind(*p);
    }
    q.fetch_all(db.read()).await?.iter().map(team_summary).collect()
}

/// An organization's community and whether it is verified; NotFound otherwise.
pub async fn org_standing(db: &Db, org_id: i64) -> Result<(i64, bool), AppError> {
    let r = sqlx::query("SELECT community_id, status FROM organization WHERE id = $1")
        .bind(org_id)
        .fetch_optional(db.read())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((r.try_get("community_id")?, r.try_get::<String, _>("status")? == "verified"))
}

/// What decides who may run a team: its leader, community, organization and whether that
/// organization is verified.
pub struct TeamRef {
    pub name: String,
    pub leader_id: i64,
    pub community_id: i64,
    pub org_id: Option<i64>,
    pub org_verified: bool,
}

pub async fn team_ref(db: &Db, team_id: i64) -> Result<TeamRef, AppError> {
    let r = sqlx::query(
        "SELECT t.name, t.leader_id, t.community_id, t.org_id, o.status FROM team t
           LEFT JOIN organization o ON o.id = t.org_id WHERE t.id = $1",
    )
    .bind(team_id)
    .fetch_optional(db.read())
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(TeamRef {
        name: r.try_get("name")?,
        leader_id: r.try_get("leader_id")?,
        community_id: r.try_get("community_id")?,
        org_id: r.try_get("org_id")?,
        org_verified: r.try_get::<Option<String>, _>("status")?.as_deref() == Some("verified"),
    })
}

/// What decides who runs an activity.
#[derive(Clone, Debug)]
pub struct ActivityRef {
    pub title: String,
    pub organiser_id: i64,
    pub leader_id: Option<i64>,
    pub team_id: Option<i64>,
    pub org_id: Option<i64>,
    pub community_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub checkin_code: String,
}

impl ActivityRef {
    pub fn action(&self) -> crate::policy::Action {
        crate::policy::Action::RunActivity {
            organiser_id: self.organiser_id,
            leader_id: self.leader_id,
            org_id: self.org_id,
            community_id: self.community_id,
        }
    }
}

const ACTIVITY_REF: &str = "SELECT a.title, a.organiser_id, t.leader_id, a.team_id, a.org_id, a.community_id,
    a.starts_at, a.ends_at, a.checkin_code FROM activity a LEFT JOIN team t ON t.id = a.team_id";

fn activity_ref(r: &AnyRow) -> Result<ActivityRef, sqlx::Error> {
    Ok(ActivityRef {
        title: r.try_get("title")?,
        organiser_id: r.try_get("organiser_id")?,
        leader_id: r.try_get("leader_id")?,
        team_id: r.try_get("team_id")?,
        org_id: r.try_get("org_id")?,
        community_id: r.try_get("community_id")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        checkin_code: r.try_get("checkin_code")?,
    })
}

pub async fn activity_by_id(db: &Db, id: i64) -> Result<ActivityRef, AppError> {
    let r = sqlx::query(&format!("{ACTIVITY_REF} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(activity_ref(&r)?)
}

/// Locks the activity's row until the transaction ends (a row lock on PostgreSQL; SQLite has
/// one writer): every change to its sign-ups goes through here, so slots and the waitlist
/// order hold under simultaneous requests.
pub async fn lock_activity(tx: &mut Tx, id: i64) -> Result<ActivityRef, AppError> {
    sqlx::query(&lock_rows(tx, "activity", "id", "id = $1", "slots")).bind(id).fetch_optional(&mut **tx).await?;
    let r = sqlx::query(&format!("{ACTIVITY_REF} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(activity_ref(&r)?)
}

/// Locks the volunteer's row (taken before any activity's, always in that order): one
/// volunteer's sign-ups run one at a time, so two overlapping activities can't both be taken
/// even when the sign-ups race. Forbidden when the account has no volunteer record.
pub async fn lock_volunteer(tx: &mut Tx, account_id: i64) -> Result<(), AppError> {
    let sql = lock_rows(tx, "volunteer", "account_id", "account_id = $1", "total_minutes");
    let found = sqlx::query(&sql).bind(account_id).fetch_optional(&mut **tx).await?;
    if found.is_some() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Moves the length of the activity's waitlist by `delta` (+1 joined, −1 left or moved up), in
/// the transaction that moves the sign-up, under the activity's lock the caller holds. Its row
/// is made by the first to wait (`activity_waitlist`, a narrow row apart from the activity's).
pub async fn waitlist_moved(tx: &mut Tx, activity_id: i64, delta: i64) -> Result<(), sqlx::Error> {
    // Both engines check the row an upsert proposes before they find the conflict: a −1 would
    // break `waiting >= 0` however long the line is. Only joining can be the first.
    let sql = if delta > 0 {
        "INSERT INTO activity_waitlist (activity_id, waiting) VALUES ($1, $2)
         ON CONFLICT (activity_id) DO UPDATE SET waiting = activity_waitlist.waiting + excluded.waiting"
    } else {
        "UPDATE activity_waitlist SET waiting = waiting + $2 WHERE activity_id = $1"
    };
    sqlx::query(sql).bind(activity_id).bind(delta).execute(&mut **tx).await?;
    Ok(())
}

/// Takes `account_id` off an activity whose row the caller has locked: a freed slot goes to
/// the first on the waitlist, who is told. False when they were not signed up.
pub async fn withdraw(tx: &mut Tx, activity_id: i64, title: &str, account_id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let Some(r) = sqlx::query("DELETE FROM signup WHERE activity_id = $1 AND account_id = $2 RETURNING status")
        .bind(activity_id)
        .bind(account_id)
        .fetch_optional(&mut **tx)
        .await?
    else {
        return Ok(false);
    };
    if r.try_get::<String, _>("status")? != SignupStatus::Confirmed.code() {
        waitlist_moved(tx, activity_id, -1).await?;
        return Ok(true);
    }
    let next = sqlx::query("SELECT id, account_id FROM signup WHERE activity_id = $1 AND status = 'waitlisted' ORDER BY id LIMIT 1")
        .bind(activity_id)
        .fetch_optional(&mut **tx)
        .await?;
    match next {
        Some(n) => {
            let (signup, promoted): (i64, i64) = (n.try_get("id")?, n.try_get("account_id")?);
            sqlx::query("UPDATE signup SET status = 'confirmed' WHERE id = $1").bind(signup).execute(&mut **tx).await?;
            waitlist_moved(tx, activity_id, -1).await?;
            let event = Event::Promoted { activity_id, title: title.to_string() };
            notify(tx, promoted, &event, Some(&format!("/market/activities/{activity_id}")), now).await?;
        }
        None => {
            sqlx::query("UPDATE activity SET confirmed_count = confirmed_count - 1 WHERE id = $1")
                .bind(activity_id)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(true)
}

/// A deleted account gives up the places it held on activities that have not started.
pub async fn withdraw_all(tx: &mut Tx, account_id: i64, now: i64) -> Result<(), AppError> {
    // The volunteer's row first, as a sign-up takes it (no volunteer row: nothing is held).
    let sql = lock_rows(tx, "volunteer", "account_id", "account_id = $1", "total_minutes");
    sqlx::query(&sql).bind(account_id).fetch_optional(&mut **tx).await?;
    let held: Vec<i64> = sqlx::query("SELECT activity_id FROM signup WHERE account_id = $1 AND starts_at > $2 ORDER BY activity_id")
        .bind(account_id)
        .bind(now)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| r.try_get("activity_id"))
        .collect::<Result<_, _>>()?;
    for id in held {
        let a = lock_activity(tx, id).await?;
        withdraw(tx, id, &a.title, account_id, now).await?;
    }
    Ok(())
}

/// The volunteer part of a data export: number, hours, skills, 双报到 unit, sign-ups, team
/// memberships, the ledger and certificates.
pub async fn export(db: &Db, account_id: i64) -> Result<serde_json::Value, sqlx::Error> {
    use serde_json::{json, Value};
    let rows = |sql: &'static str| async move { sqlx::query(sql).bind(account_id).fetch_all(db.read()).await };
    let each = |rows: Vec<AnyRow>, f: &dyn Fn(&AnyRow) -> Result<Value, sqlx::Error>| rows.iter().map(f).collect::<Result<Vec<_>, _>>();
    let volunteer = rows("SELECT volunteer_no, total_minutes, cadre_unit, joined_at FROM volunteer WHERE account_id = $1").await?;
    let Some(v) = volunteer.first() else { return Ok(Value::Null) };
    Ok(json!({
        "volunteer_no": v.try_get::<String, _>("volunteer_no")?,
        "total_minutes": v.try_get::<i64, _>("total_minutes")?,
        "cadre_unit": v.try_get::<Option<String>, _>("cadre_unit")?,
        "joined_at_ms": v.try_get::<i64, _>("joined_at")?,
        "skills": each(rows("SELECT skill FROM volunteer_skill WHERE account_id = $1 ORDER BY skill").await?,
            &|r| Ok(json!(r.try_get::<String, _>("skill")?)))?,
        "signups": each(rows("SELECT activity_id, status, signed_up_at, checked_in_at, checked_out_at, attended_minutes
                                FROM signup WHERE account_id = $1 ORDER BY id").await?, &|r| Ok(json!({
            "activity_id": r.try_get::<i64, _>("activity_id")?,
            "status": r.try_get::<String, _>("status")?,
            "signed_up_at_ms": r.try_get::<i64, _>("signed_up_at")?,
            "checked_in_at_ms": r.try_get::<Option<i64>, _>("checked_in_at")?,
            "checked_out_at_ms": r.try_get::<Option<i64>, _>("checked_out_at")?,
            "attended_minutes": r.try_get::<Option<i64>, _>("attended_minutes")?,
        })))?,
        "teams": each(rows("SELECT team_id, status, applied_at FROM team_member WHERE account_id = $1 ORDER BY team_id").await?, &|r| Ok(json!({
            "team_id": r.try_get::<i64, _>("team_id")?,
            "status": r.try_get::<String, _>("status")?,
            "applied_at_ms": r.try_get::<i64, _>("applied_at")?,
        })))?,
        "hours": each(rows("SELECT minutes, source_kind, source_id, title, served_at FROM hours_credit WHERE account_id = $1 ORDER BY id").await?, &|r| Ok(json!({
            "minutes": r.try_get::<i64, _>("minutes")?,
            "source_kind": r.try_get::<String, _>("source_kind")?,
            "source_id": r.try_get::<i64, _>("source_id")?,
            "title": r.try_get::<String, _>("title")?,
            "served_at_ms": r.try_get::<i64, _>("served_at")?,
        })))?,
        "certificates": each(rows("SELECT number, minutes, issued_at FROM certificate WHERE account_id = $1 ORDER BY id").await?, &|r| Ok(json!({
            "number": r.try_get::<String, _>("number")?,
            "minutes": r.try_get::<i64, _>("minutes")?,
            "issued_at_ms": r.try_get::<i64, _>("issued_at")?,
        })))?,
    }))
}

/// Credits `minutes` of service to the ledger, once per source: a second credit for the
/// same source changes nothing. Moves the volunteer's and the team's totals with it.
#[allow(clippy::too_many_arguments)]
pub async fn credit_hours(
    tx: &mut Tx,
    account_id: i64,
    minutes: i64,
    source: (&str, i64),
    title: &str,
    team_id: Option<i64>,
    org_id: Option<i64>,
    community_id: i64,
    confirmed_by: i64,
    served_at: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let added = sqlx::query(
        "INSERT INTO hours_credit (account_id, minutes, source_kind, source_id, title, team_id, org_id, community_id,
                                   confirmed_by, served_at, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (source_kind, source_id) DO NOTHING",
    )
    .bind(account_id)
    .bind(minutes)
    .bind(source.0)
    .bind(source.1)
    .bind(title)
    .bind(team_id)
    .bind(org_id)
    .bind(community_id)
    .bind(confirmed_by)
    .bind(served_at)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if added == 0 {
        return Ok(false);
    }
    sqlx::query("UPDATE volunteer SET total_minutes = total_minutes + $1 WHERE account_id = $2")
        .bind(minutes)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    if let Some(team) = team_id {
        sqlx::query("UPDATE team SET total_minutes = total_minutes + $1 WHERE id = $2")
            .bind(minutes)
            .bind(team)
            .execute(&mut **tx)
            .await?;
    }
    notify(tx, account_id, &Event::HoursCredited { minutes, title: title.to_string() }, Some("/market/me"), now).await?;
    Ok(true)
}

/// The day-before reminder: every activity starting within 24 hours that has not been
/// reminded tells its confirmed volunteers, once (the conditional update lets one instance's
/// sweep win). Returns how many activities were reminded.
pub async fn remind_due(db: &Db, now: i64) -> Result<usize, sqlx::Error> {
    let due: Vec<i64> = sqlx::query(
        "SELECT id FROM activity WHERE reminded_at IS NULL AND starts_at > $1 AND starts_at <= $2 ORDER BY id LIMIT 500",
    )
    .bind(now)
    .bind(now + 24 * 3_600_000)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| r.try_get("id"))
    .collect::<Result<_, _>>()?;
    let mut reminded = 0;
    for id in due {
        let mut tx = db.begin_write().await?;
        let r = sqlx::query("UPDATE activity SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL RETURNING title, starts_at")
            .bind(now)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(r) = r else { continue };
        let event = Event::ActivityReminder { activity_id: id, title: r.try_get("title")?, starts_at: r.try_get("starts_at")? };
        let people = sqlx::query("SELECT account_id FROM signup WHERE activity_id = $1 AND status = 'confirmed'")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        for p in people {
            notify(&mut tx, p.try_get("account_id")?, &event, Some(&format!("/market/activities/{id}")), now).await?;
        }
        tx.commit().await?;
        reminded += 1;
    }
    Ok(reminded)
}
