//! Reading appeals: one appeal as the viewer may see it, the resident's own, a community's
//! public list, the work queues and the overdue list (督办).
//! Policy: the public sees the anonymised summary and timeline; `ViewAppeal` sees the rest.
//! Queues and the overdue list are built from the caller's own grants.
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    policy::{authorize, Action},
    request::{caller, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// The columns a queue row needs besides the summary (to work out the viewer's next steps).
#[cfg(feature = "ssr")]
const QUEUE_COLUMNS: &str =
    "a.route, a.street_id, a.community_id, a.grid_id, a.department_id, a.reporter_id, a.filed_by, a.dispatched_at, a.extension_days";

/// One appeal: public fields for everyone; reporter, contact, place and photos for those
/// with a part in it; the steps the viewer may take now.
#[server(endpoint = "get_appeal")]
pub async fn get_appeal(id: i64) -> Result<AppealPage, AppError> {
    let app = state()?;
    let caller = caller().await?;
    let now = app.clock.now_ms();
    let r = sqlx::query(&format!(
        "SELECT {}, {QUEUE_COLUMNS}, a.source, a.contact_name, a.contact_phone, a.reply, a.extension_reason,
                a.contacted, a.solved, a.satisfied, a.callback_note,
                r.display_name AS reporter, r.deleted_at AS reporter_deleted,
                c.name || ' · ' || g.name || COALESCE(' · ' || e.name, '') || COALESCE(' ' || b.name, '') AS place
           FROM appeal a {}
           JOIN grid g ON g.id = a.grid_id
           LEFT JOIN building b ON b.id = a.building_id
           LEFT JOIN estate e ON e.id = b.estate_id
           LEFT JOIN account r ON r.id = a.reporter_id
          WHERE a.id = $1",
        store::SUMMARY_COLUMNS,
        store::SUMMARY_JOINS
    ))
    .bind(id)
    .fetch_optional(app.db.read())
    .await?
    .ok_or(AppError::NotFound)?;
    let locked = store::locked(&r)?;
    let summary = store::summary(&r, now)?;
    let full = store::sees_all(caller.as_ref(), &locked);
    let timeline = sqlx::query("SELECT step, to_state, actor_role, note, at FROM appeal_event WHERE appeal_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(app.db.read())
        .await?
        .iter()
        .map(|e| {
            let to: String = e.try_get("to_state")?;
            Ok(AppealEvent {
                step: e.try_get("step")?,
                to_state: AppealState::from_code(&to).ok_or_else(|| sqlx::Error::Decode("appeal event state".into()))?,
                actor_role: e.try_get("actor_role")?,
                note: e.try_get("note")?,
                at: e.try_get("at")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let private = if full {
        let photos = sqlx::query("SELECT id FROM appeal_photo WHERE appeal_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(app.db.read())
            .await?
            .iter()
            .map(|p| p.try_get("id"))
            .collect::<Result<Vec<i64>, _>>()?;
        let source: String = r.try_get("source")?;
        Some(AppealPrivate {
            source: Source::from_code(&source).ok_or_else(|| AppError::internal("appeal source"))?,
            reporter: crate::hall::store::author(&r, "reporter", "reporter_deleted")?,
            contact_name: r.try_get("contact_name")?,
            contact_phone: r.try_get("contact_phone")?,
            place: r.try_get("place")?,
            photos,
        })
    } else {
        None
    };
    let callback = match r.try_get::<Option<i64>, _>("contacted")? {
        Some(contacted) => Some(CallbackAnswers {
            contacted: contacted == 1,
            solved: r.try_get::<Option<i64>, _>("solved")? == Some(1),
            satisfied: r.try_get::<Option<i64>, _>("satisfied")? == Some(1),
            // The resident's own words stay with those handling the appeal.
            note: if full { r.try_get::<Option<String>, _>("callback_note")?.unwrap_or_default() } else { String::new() },
        }),
        None => None,
    };
    let extension = match (locked.extension_days, full) {
        (Some(days), true) => Some((days, r.try_get::<Option<String>, _>("extension_reason")?.unwrap_or_default())),
        _ => None,
    };
    let steps = store::steps_for(caller.as_ref(), &locked);
    let departments = if steps.contains(&Step::Dispatch) { store::departments(&app.db).await? } else { Vec::new() };
    let photo_count = private.as_ref().map_or(0, |p| p.photos.len() as i64);
    Ok(AppealPage {
        can_add_photos: full && summary.state != AppealState::Closed && photo_count < MAX_PHOTOS,
        summary,
        route: locked.route,
        reply: r.try_get("reply")?,
        extension,
        callback,
        timeline,
        private,
        steps,
        departments,
        now,
    })
}

/// The caller's own appeals (reported by them or filed by them), newest first.
#[server(endpoint = "my_appeals")]
pub async fn my_appeals(before: Option<i64>) -> Result<AppealList, AppError> {
    let app = state()?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::OwnAccount)?;
    list(&app, "(a.reporter_id = $1 OR a.filed_by = $1)", caller.account_id, before).await
}

/// A community's appeals, anonymised, newest first: what anyone may see.
#[server(endpoint = "community_appeals")]
pub async fn community_appeals(community_id: i64, before: Option<i64>) -> Result<AppealList, AppError> {
    let app = state()?;
    list(&app, "a.community_id = $1", community_id, before).await
}

/// A keyset page of appeals matching `filter` (a fixed condition on `$1`).
#[cfg(feature = "ssr")]
async fn list(app: &crate::state::AppState, filter: &str, key: i64, before: Option<i64>) -> Result<AppealList, AppError> {
    let now = app.clock.now_ms();
    let rows = sqlx::query(&format!(
        "SELECT {} FROM appeal a {} WHERE {filter} AND a.id < $2 ORDER BY a.id DESC LIMIT $3",
        store::SUMMARY_COLUMNS,
        store::SUMMARY_JOINS
    ))
    .bind(key)
    // The first page is "before the largest id": a plain bound, no `$2 IS NULL OR` to plan around.
    .bind(before.unwrap_or(i64::MAX))
    .bind(APPEALS_PAGE + 1)
    .fetch_all(app.db.read())
    .await?;
    let mut items = rows.iter().map(|r| store::summary(r, now)).collect::<Result<Vec<_>, _>>()?;
    let next = if items.len() as i64 > APPEALS_PAGE {
        items.truncate(APPEALS_PAGE as usize);
        items.last().map(|a| a.id)
    } else {
        None
    };
    Ok(AppealList { items, next, now })
}

/// Rows a queue shows at most (the oldest deadlines first).
pub const QUEUE_LIMIT: i64 = 200;

/// What waits for the caller in every scope they work in, soonest deadline first: to classify,
/// reply to, verify or call back (community staff); to dispatch or decide an extension
/// (street officers); to accept or reply to (department handlers); open appeals of their grid
/// to follow up on the ground (grid workers).
#[server(endpoint = "work_queue")]
pub async fn work_queue() -> Result<Queue, AppError> {
    let app = state()?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::OwnAccount)?;
    let now = app.clock.now_ms();
    let store::WorkScopes { communities, grids, streets, departments } = store::work_scopes(caller);
    // One indexed select per scope kind, united; ids come from the caller's grants.
    let mut parts = Vec::new();
    let select = format!("SELECT {}, {QUEUE_COLUMNS} FROM appeal a {}", store::SUMMARY_COLUMNS, store::SUMMARY_JOINS);
    // A part per state, not `state IN (…)` or an OR of states: SQLite's statistics (no STAT4
    // samples, see `Db::analyze`) rated "the community's appeals" below "in three of its
    // states" and read every appeal the community ever had (147 pages a second at city
    // scale). One state at a time, each part takes its queue index (scope, state, deadline);
    // streets and departments are asked the same way so no statistics can steer them off it.
    let mut part = |scope: &str, state: &str, extra: &str| {
        parts.push(format!("{select} WHERE {scope} AND a.state = '{state}'{extra}"));
    };
    if !communities.is_empty() {
        let scope = store::id_list("a.community_id", &communities);
        for state in ["submitted", "replied", "verified"] {
            part(&scope, state, "");
        }
        part(&scope, "classified", " AND a.route = 'local'");
    }
    if !streets.is_empty() {
        let scope = store::id_list("a.street_id", &streets);
        part(&scope, "returned", "");
        part(&scope, "classified", " AND a.route = 'escalate'");
        part(&scope, "accepted", " AND a.extension_days IS NOT NULL");
    }
    if !departments.is_empty() {
        let scope = store::id_list("a.department_id", &departments);
        part(&scope, "dispatched", "");
        part(&scope, "accepted", "");
    }
    if !grids.is_empty() {
        // Open appeals only, through the partial index `appeal_grid_open`.
        parts.push(format!("{select} WHERE {} AND a.state <> 'closed'", store::id_list("a.grid_id", &grids)));
    }
    if parts.is_empty() {
        return Ok(Queue { entries: Vec::new(), now });
    }
    let sql = format!(
        "SELECT * FROM ({}) q ORDER BY CASE WHEN q.deadline_at IS NULL THEN 1 ELSE 0 END, q.deadline_at, q.id LIMIT {QUEUE_LIMIT}",
        parts.join(" UNION ")
    );
    let rows = sqlx::query(&sql).fetch_all(app.db.read()).await?;
    queue(&rows, caller, now)
}

/// 督办: open appeals past their deadline, in the caller's communities and streets (all of
/// them for admins), most overdue first.
#[server(endpoint = "overdue_appeals")]
pub async fn overdue_appeals() -> Result<Queue, AppError> {
    let app = state()?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::OwnAccount)?;
    let now = app.clock.now_ms();
    let store::WorkScopes { communities, streets, .. } = store::work_scopes(caller);
    let scope = if caller.is_admin() {
        "1 = 1".to_string()
    } else if communities.is_empty() && streets.is_empty() {
        return Err(AppError::Forbidden);
    } else {
        format!("({} OR {})", store::id_list("a.community_id", &communities), store::id_list("a.street_id", &streets))
    };
    let rows = sqlx::query(&format!(
        "SELECT {}, {QUEUE_COLUMNS} FROM appeal a {}
          WHERE a.state IN ('classified', 'dispatched', 'accepted') AND a.deadline_at < $1 AND {scope}
          ORDER BY a.deadline_at, a.id LIMIT {QUEUE_LIMIT}",
        store::SUMMARY_COLUMNS,
        store::SUMMARY_JOINS
    ))
    .bind(now)
    .fetch_all(app.db.read())
    .await?;
    queue(&rows, caller, now)
}

/// Queue rows with the steps `caller` may take on each.
#[cfg(feature = "ssr")]
fn queue(rows: &[sqlx::any::AnyRow], caller: &crate::policy::Caller, now: i64) -> Result<Queue, AppError> {
    let entries = rows
        .iter()
        .map(|r| {
            let locked = store::locked(r)?;
            Ok(QueueEntry { summary: store::summary(r, now)?, next: store::steps_for(Some(caller), &locked) })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(Queue { entries, now })
}
