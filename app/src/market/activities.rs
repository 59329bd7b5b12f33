//! Activities (招募): posting (`PostForTeam`, or `PublishAsOrg` for an organization's own),
//! the public lists and page, and signing up and cancelling (`Volunteer`).
//!
//! Slots hold under simultaneous sign-ups because each one takes the volunteer's row lock and
//! then the activity's (always in that order), and takes a slot with a conditional update
//! (`confirmed_count < slots`) that a CHECK backs up. Waitlist order is the sign-up row's id.
#[cfg(feature = "ssr")]
use super::store;
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::Role,
    error::{Conflict, Invalid},
    policy::{authorize, Action},
    request::{authorized, caller, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// The marketplace's front page: upcoming activities (of one community, and only those
/// needing a skill the caller has when `matching`), verified organizations, teams, hours per
/// community, and the caller's part.
#[server(endpoint = "market_home")]
pub async fn market_home(community: Option<i64>, #[server(default)] matching: bool) -> Result<MarketFront, AppError> {
    let state = state()?;
    let caller = caller().await?;
    let now = state.clock.now_ms();
    let me = caller.as_ref().map(|c| c.account_id).unwrap_or(0);
    let mut filter = String::from("a.ends_at > $1");
    let mut params = vec![now];
    if let Some(c) = community {
        params.push(c);
        filter.push_str(&format!(" AND a.community_id = ${}", params.len()));
    }
    if matching {
        params.push(me);
        filter.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM activity_skill s JOIN volunteer_skill v ON v.skill = s.skill
                          WHERE s.activity_id = a.id AND v.account_id = ${})",
            params.len()
        ));
    }
    let activities = store::activities_where(&state.db, &filter, &params, 100).await?;
    let orgs = sqlx::query(&format!(
        "SELECT {} FROM organization o JOIN community c ON c.id = o.community_id WHERE o.status = 'verified' ORDER BY o.id",
        store::ORG_COLUMNS
    ))
    .fetch_all(state.db.read())
    .await?
    .iter()
    .map(store::org_summary)
    .collect::<Result<_, _>>()?;
    let my_orgs = store::scoped(caller.as_ref(), Role::OrgAdmin);
    let mut mine = Vec::new();
    for id in my_orgs {
        if let Some(r) = sqlx::query("SELECT name, status FROM organization WHERE id = $1").bind(id).fetch_optional(state.db.read()).await? {
            let status = OrgStatus::from_code(&r.try_get::<String, _>("status")?).unwrap_or(OrgStatus::Pending);
            mine.push((id, r.try_get("name")?, status));
        }
    }
    let hours = sqlx::query(
        "SELECT c.id, c.name, c.name_en, CAST(SUM(h.minutes) AS BIGINT) AS minutes FROM hours_credit h JOIN community c ON c.id = h.community_id
          GROUP BY c.id, c.name, c.name_en ORDER BY minutes DESC",
    )
    .fetch_all(state.db.read())
    .await?
    .iter()
    .map(|r| Ok((store::community_ref(r, "id", "name", "name_en")?, r.try_get::<i64, _>("minutes")?)))
    .collect::<Result<_, sqlx::Error>>()?;
    Ok(MarketFront {
        activities,
        orgs,
        teams: store::teams_where(&state.db, "1 = 1", &[]).await?,
        communities: store::communities(state.db.read(), None).await?,
        logged_in: caller.is_some(),
        is_volunteer: caller.as_ref().is_some_and(|c| c.has(Role::Volunteer)),
        my_orgs: mine,
        staff_of: store::communities(state.db.read(), Some(&store::scoped(caller.as_ref(), Role::CommunityStaff))).await?,
        community_hours: hours,
    })
}

/// Six random digits for on-site check-in.
#[cfg(feature = "ssr")]
fn new_checkin_code() -> String {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).expect("the OS random source");
    format!("{:06}", u32::from_le_bytes(bytes) % 1_000_000)
}

/// Posts an activity for a team (`team_id`, in its community) or for an organization alone
/// (`org_id` with `community_id`). Times are local (`datetime-local`); it starts in the
/// future and lasts at most twelve hours. Returns its id.
#[server(endpoint = "create_activity")]
#[allow(clippy::too_many_arguments)]
pub async fn create_activity(
    team_id: Option<i64>,
    org_id: Option<i64>,
    community_id: Option<i64>,
    title: String,
    description: String,
    place: String,
    starts_at: String,
    ends_at: String,
    slots: i64,
    #[server(default)] skills: Vec<String>,
) -> Result<i64, AppError> {
    let state = state()?;
    let (caller, community_id, org_id) = match (team_id, org_id) {
        (Some(team), _) => {
            let t = store::team_ref(&state.db, team).await?;
            let action = Action::PostForTeam { leader_id: t.leader_id, community_id: t.community_id, org_id: t.org_id, org_verified: t.org_verified };
            (authorized(action).await?, t.community_id, t.org_id)
        }
        (None, Some(org)) => {
            let (_, verified) = store::org_standing(&state.db, org).await?;
            let caller = authorized(Action::PublishAsOrg { org_id: org, verified }).await?;
            (caller, community_id.ok_or(AppError::Invalid(Invalid::Parent))?, Some(org))
        }
        (None, None) => return Err(AppError::Invalid(Invalid::Parent)),
    };
    let title = crate::hall::parse_title(&title)?;
    let description = parse_description(&description)?;
    let place = crate::hall::parse_line(&place)?;
    let now = state.clock.now_ms();
    let starts = crate::time::parse_local(&starts_at).ok_or(AppError::Invalid(Invalid::DateTime))?;
    let ends = crate::time::parse_local(&ends_at).ok_or(AppError::Invalid(Invalid::DateTime))?;
    if starts <= now || starts > now + 366 * 86_400_000 || ends <= starts || ends - starts > MAX_ACTIVITY_MS {
        return Err(AppError::Invalid(Invalid::DateTime));
    }
    if !(1..=500).contains(&slots) {
        return Err(AppError::Invalid(Invalid::Slots));
    }
    let skills = parse_codes(&skills, Skill::parse)?;
    let mut tx = state.db.begin_write().await?;
    if sqlx::query("SELECT id FROM community WHERE id = $1").bind(community_id).fetch_optional(&mut *tx).await?.is_none() {
        return Err(AppError::Invalid(Invalid::Parent));
    }
    let id: i64 = sqlx::query(
        "INSERT INTO activity (title, description, team_id, org_id, community_id, place, starts_at, ends_at, slots,
                               checkin_code, organiser_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(&title)
    .bind(&description)
    .bind(team_id)
    .bind(org_id)
    .bind(community_id)
    .bind(&place)
    .bind(starts)
    .bind(ends)
    .bind(slots)
    .bind(new_checkin_code())
    .bind(caller.account_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    for skill in skills {
        sqlx::query("INSERT INTO activity_skill (activity_id, skill) VALUES ($1, $2)")
            .bind(id)
            .bind(skill.code())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    leptos_axum::redirect(&format!("/market/activities/{id}"));
    Ok(id)
}

/// An activity's page: public; the caller's own sign-up; for whoever runs it, the check-in
/// code and the roster.
#[server(endpoint = "get_activity")]
pub async fn get_activity(id: i64) -> Result<ActivityPage, AppError> {
    let state = state()?;
    let caller = caller().await?;
    let a = store::activity_by_id(&state.db, id).await?;
    let summary = store::activities_where(&state.db, "a.id = $1", &[id], 1).await?.pop().ok_or(AppError::NotFound)?;
    let description: String = sqlx::query("SELECT description FROM activity WHERE id = $1")
        .bind(id)
        .fetch_one(state.db.read())
        .await?
        .try_get("description")?;
    let me = caller.as_ref().map(|c| c.account_id);
    let mine = match me {
        None => None,
        Some(me) => {
            let r = sqlx::query(
                "SELECT s.status, s.checked_in_at, s.checked_out_at, s.attended_minutes,
                        (SELECT COUNT(*) FROM signup w WHERE w.activity_id = s.activity_id AND w.status = 'waitlisted'
                            AND w.id <= s.id) AS position
                   FROM signup s WHERE s.activity_id = $1 AND s.account_id = $2",
            )
            .bind(id)
            .bind(me)
            .fetch_optional(state.db.read())
            .await?;
            match r {
                None => None,
                Some(r) => {
                    let status = SignupStatus::from_code(&r.try_get::<String, _>("status")?).unwrap_or(SignupStatus::Waitlisted);
                    Some(MySignup {
                        status,
                        position: (status == SignupStatus::Waitlisted).then(|| r.try_get("position")).transpose()?,
                        checked_in_at: r.try_get("checked_in_at")?,
                        checked_out_at: r.try_get("checked_out_at")?,
                        attended_minutes: r.try_get("attended_minutes")?,
                    })
                }
            }
        }
    };
    let organiser = if authorize(caller.as_ref(), a.action()).is_ok() {
        let rows = sqlx::query(
            "SELECT s.id, s.status, s.checked_in_at, s.checked_out_at, s.attended_minutes, u.display_name
               FROM signup s JOIN account u ON u.id = s.account_id WHERE s.activity_id = $1 ORDER BY s.status, s.id",
        )
        .bind(id)
        .fetch_all(state.db.read())
        .await?;
        let roster = rows
            .iter()
            .map(|r| {
                let (cin, cout): (Option<i64>, Option<i64>) = (r.try_get("checked_in_at")?, r.try_get("checked_out_at")?);
                Ok(RosterEntry {
                    signup_id: r.try_get("id")?,
                    name: r.try_get("display_name")?,
                    status: SignupStatus::from_code(&r.try_get::<String, _>("status")?).unwrap_or(SignupStatus::Waitlisted),
                    checked_in_at: cin,
                    checked_out_at: cout,
                    attended_minutes: r.try_get("attended_minutes")?,
                    suggested_minutes: suggested_minutes(a.starts_at, a.ends_at, cin, cout),
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        Some(OrganiserView { checkin_code: a.checkin_code.clone(), roster })
    } else {
        None
    };
    Ok(ActivityPage {
        summary,
        description,
        team_id: a.team_id,
        org_id: a.org_id,
        now: state.clock.now_ms(),
        logged_in: caller.is_some(),
        is_volunteer: caller.as_ref().is_some_and(|c| c.has(Role::Volunteer)),
        mine,
        organiser,
    })
}

/// Check-in to check-out, kept within the activity's window, in whole minutes (at least one);
/// the whole window when either is missing.
pub fn suggested_minutes(starts: i64, ends: i64, checked_in: Option<i64>, checked_out: Option<i64>) -> i64 {
    let (from, to) = match (checked_in, checked_out) {
        (Some(i), Some(o)) => (i.max(starts), o.min(ends)),
        _ => (starts, ends),
    };
    ((to - from) / 60_000).max(1)
}

/// Opens the transaction that changes the caller's place on activity `id`: the volunteer's
/// row, then the activity's, locked in that order (see `store::lock_volunteer`). Refused once
/// the activity has started. A missing activity is NotFound whoever asks.
#[cfg(feature = "ssr")]
async fn change_signup(id: i64) -> Result<(crate::policy::Caller, i64, store::Tx, store::ActivityRef), AppError> {
    let state = state()?;
    store::activity_by_id(&state.db, id).await?;
    let caller = authorized(Action::Volunteer).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    store::lock_volunteer(&mut tx, caller.account_id).await?;
    let a = store::lock_activity(&mut tx, id).await?;
    if now >= a.starts_at {
        return Err(AppError::Conflict(Conflict::Started));
    }
    Ok((caller, now, tx, a))
}

/// Signs the caller up: a slot while there is one, else the end of the waitlist. Refused when
/// the activity has started or the caller holds another activity at an overlapping time.
/// Returns where they stand.
///
/// The activity's row is locked last, by the statement that takes a slot (or, when there is
/// none, a lock on the row that looks again before joining the waitlist), not first as
/// `change_signup` does: every sign-up for an activity waits for that lock, and held across
/// the checks it was held across five round trips more: a sign-up storm on PostgreSQL
/// (activity after activity, 50 connections, city preset) went from 964–1,002 a second to
/// 1,316–1,356, p99 78–89 ms to 54–57 ms (alternating runs). An activity's times and slots
/// never change once published, so the checks need only the volunteer's own lock (taken
/// first, as always).
#[server(endpoint = "sign_up")]
pub async fn sign_up(id: i64) -> Result<SignupStatus, AppError> {
    let state = state()?;
    let a = store::activity_by_id(&state.db, id).await?;
    let caller = authorized(Action::Volunteer).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    store::lock_volunteer(&mut tx, caller.account_id).await?;
    if now >= a.starts_at {
        return Err(AppError::Conflict(Conflict::Started));
    }
    if let Some(r) = sqlx::query("SELECT status FROM signup WHERE activity_id = $1 AND account_id = $2")
        .bind(id)
        .bind(caller.account_id)
        .fetch_optional(&mut *tx)
        .await?
    {
        // Signed up already: nothing changes.
        return Ok(SignupStatus::from_code(&r.try_get::<String, _>("status")?).unwrap_or(SignupStatus::Waitlisted));
    }
    let overlap = sqlx::query(
        "SELECT id FROM signup WHERE account_id = $1 AND starts_at < $2 AND ends_at > $3 LIMIT 1",
    )
    .bind(caller.account_id)
    .bind(a.ends_at)
    .bind(a.starts_at)
    .fetch_optional(&mut *tx)
    .await?;
    if overlap.is_some() {
        return Err(AppError::Conflict(Conflict::Overlap));
    }
    let mut took_slot = sqlx::query("UPDATE activity SET confirmed_count = confirmed_count + 1 WHERE id = $1 AND confirmed_count < slots")
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    if !took_slot {
        // Full when it looked, but a look that matched nothing locked nothing: a cancellation
        // may have freed a slot since and found the waitlist empty. Lock the row, look again;
        // from here no cancellation can pass this sign-up before it is in the waitlist.
        let r = sqlx::query(&crate::db::lock_rows(&tx, "activity", "confirmed_count, slots", "id = $1", "slots"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if r.try_get::<i64, _>("confirmed_count")? < r.try_get::<i64, _>("slots")? {
            sqlx::query("UPDATE activity SET confirmed_count = confirmed_count + 1 WHERE id = $1").bind(id).execute(&mut *tx).await?;
            took_slot = true;
        }
    }
    let status = if took_slot { SignupStatus::Confirmed } else { SignupStatus::Waitlisted };
    sqlx::query(
        "INSERT INTO signup (activity_id, account_id, status, starts_at, ends_at, signed_up_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(caller.account_id)
    .bind(status.code())
    .bind(a.starts_at)
    .bind(a.ends_at)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if !took_slot {
        store::waitlist_moved(&mut tx, id, 1).await?;
    }
    tx.commit().await?;
    Ok(status)
}

/// Cancels the caller's sign-up before the activity starts (and before they check in). A freed
/// slot goes to the first on the waitlist, who is told.
#[server(endpoint = "cancel_signup")]
pub async fn cancel_signup(id: i64) -> Result<(), AppError> {
    let (caller, now, mut tx, a) = change_signup(id).await?;
    // Checked in on site (and maybe credited already): for them it has started. Letting them
    // cancel would drop the sign-up the credit is for, and a new sign-up could be credited again.
    let on_site = sqlx::query(
        "SELECT id FROM signup WHERE activity_id = $1 AND account_id = $2
            AND (checked_in_at IS NOT NULL OR attendance_confirmed_at IS NOT NULL)",
    )
    .bind(id)
    .bind(caller.account_id)
    .fetch_optional(&mut *tx)
    .await?;
    if on_site.is_some() {
        return Err(AppError::Conflict(Conflict::Started));
    }
    if !store::withdraw(&mut tx, id, &a.title, caller.account_id, now).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}
