//! Volunteer teams (志愿服务队): formed by a verified organization (`PublishAsOrg`) or by a
//! community's staff (`RunCommunityMarket`), with a leader; volunteers apply (`Volunteer`)
//! and the leader alone decides (`LeadTeam`). The team page is public (display names only).
#[cfg(feature = "ssr")]
use super::store;
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::{Phone, Role},
    error::{Conflict, Invalid},
    notifications::{notify, Event},
    policy::{authorize, Action},
    request::{authorized, caller, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// Forms a team for an organization (`org_id`) or for a community (`community_id`, by its
/// staff). The leader is the volunteer with `leader_phone`, or the caller when it is empty;
/// they are its first member. Returns the team's id.
#[server(endpoint = "create_team")]
pub async fn create_team(
    org_id: Option<i64>,
    community_id: Option<i64>,
    name: String,
    description: String,
    leader_phone: String,
) -> Result<i64, AppError> {
    let state = state()?;
    let (caller, community_id) = match (org_id, community_id) {
        (Some(org), _) => {
            let (community, verified) = store::org_standing(&state.db, org).await?;
            (authorized(Action::PublishAsOrg { org_id: org, verified }).await?, community)
        }
        (None, Some(community)) => (authorized(Action::RunCommunityMarket { community_id: community }).await?, community),
        (None, None) => return Err(AppError::Invalid(Invalid::Parent)),
    };
    let name = parse_name(&name)?;
    let description = parse_description(&description)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let leader = if leader_phone.trim().is_empty() {
        caller.account_id
    } else {
        let phone = Phone::parse(&leader_phone)?;
        sqlx::query("SELECT a.id FROM account a JOIN volunteer v ON v.account_id = a.id WHERE a.phone = $1")
            .bind(phone.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::Invalid(Invalid::Account))?
            .try_get("id")?
    };
    if sqlx::query("SELECT id FROM team WHERE community_id = $1 AND name = $2")
        .bind(community_id)
        .bind(&name)
        .fetch_optional(&mut *tx)
        .await?
        .is_some()
    {
        return Err(AppError::Invalid(Invalid::Duplicate));
    }
    let id: i64 = sqlx::query(
        "INSERT INTO team (name, org_id, community_id, leader_id, description, member_count, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7) RETURNING id",
    )
    .bind(&name)
    .bind(org_id)
    .bind(community_id)
    .bind(leader)
    .bind(&description)
    .bind(caller.account_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    sqlx::query(
        "INSERT INTO team_member (team_id, account_id, status, applied_at, decided_by, decided_at)
         VALUES ($1, $2, 'member', $3, $4, $3)",
    )
    .bind(id)
    .bind(leader)
    .bind(now)
    .bind(caller.account_id)
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({ "name": name, "leader_id": leader, "org_id": org_id, "community_id": community_id });
    crate::audit::record(&mut tx, caller.account_id, "create_team", ("team", id), None, Some(after), now).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/market/teams/{id}"));
    Ok(id)
}

/// A team's page for the viewer.
#[server(endpoint = "get_team")]
pub async fn get_team(id: i64) -> Result<TeamPage, AppError> {
    let state = state()?;
    let caller = caller().await?;
    let r = sqlx::query(&format!("SELECT {}, t.description, t.org_id, t.leader_id FROM {} WHERE t.id = $1", store::TEAM_COLUMNS, store::TEAM_FROM))
        .bind(id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or(AppError::NotFound)?;
    let summary = store::team_summary(&r)?;
    let team = store::team_ref(&state.db, id).await?;
    let me = caller.as_ref().map(|c| c.account_id);
    let is_leader = me == Some(team.leader_id);
    let can_post = authorize(
        caller.as_ref(),
        Action::PostForTeam { leader_id: team.leader_id, community_id: team.community_id, org_id: team.org_id, org_verified: team.org_verified },
    )
    .is_ok();
    let rows = sqlx::query(
        "SELECT m.account_id, m.status, m.applied_at, a.display_name, a.deleted_at FROM team_member m
           JOIN account a ON a.id = m.account_id WHERE m.team_id = $1 ORDER BY m.applied_at, m.account_id",
    )
    .bind(id)
    .fetch_all(state.db.read())
    .await?;
    let (mut members, mut pending, mut my_status) = (Vec::new(), Vec::new(), None);
    for m in &rows {
        let account: i64 = m.try_get("account_id")?;
        let status = MemberStatus::from_code(&m.try_get::<String, _>("status")?);
        if Some(account) == me {
            my_status = status;
        }
        let Some(name) = crate::hall::store::author(m, "display_name", "deleted_at")? else { continue };
        match status {
            Some(MemberStatus::Member) => members.push(name),
            Some(MemberStatus::Pending) if is_leader => {
                let skills = sqlx::query("SELECT skill FROM volunteer_skill WHERE account_id = $1 ORDER BY skill")
                    .bind(account)
                    .fetch_all(state.db.read())
                    .await?
                    .iter()
                    .filter_map(|s| Skill::from_code(&s.try_get::<String, _>("skill").ok()?))
                    .collect();
                pending.push(Applicant { account_id: account, name, skills, applied_at: m.try_get("applied_at")? });
            }
            _ => {}
        }
    }
    let now = state.clock.now_ms();
    Ok(TeamPage {
        summary,
        description: r.try_get("description")?,
        org_id: r.try_get("org_id")?,
        members,
        activities: store::activities_where(&state.db, "a.team_id = $1 AND a.ends_at > $2", &[id, now], 50).await?,
        menu_items: crate::menu::store::items_where(&state.db, now, "i.team_id = $2 AND i.withdrawn_at IS NULL", &[id]).await?,
        my_status,
        logged_in: caller.is_some(),
        is_volunteer: caller.as_ref().is_some_and(|c| c.has(Role::Volunteer)),
        is_leader,
        can_post,
        pending,
    })
}

/// Applies to join a team (again, after a decline); the leader is told.
#[server(endpoint = "apply_to_team")]
pub async fn apply_to_team(id: i64) -> Result<(), AppError> {
    let state = state()?;
    let team = store::team_ref(&state.db, id).await?;
    let caller = authorized(Action::Volunteer).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let added = sqlx::query(
        "INSERT INTO team_member (team_id, account_id, status, applied_at) VALUES ($1, $2, 'pending', $3)
         ON CONFLICT (team_id, account_id) DO UPDATE SET status = 'pending', applied_at = excluded.applied_at,
                decided_by = NULL, decided_at = NULL
         WHERE team_member.status = 'declined'",
    )
    .bind(id)
    .bind(caller.account_id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if added == 1 {
        let event = Event::TeamApplication { team_id: id, team: team.name };
        notify(&mut tx, team.leader_id, &event, Some(&format!("/market/teams/{id}")), now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The leader approves (`approve` = true) or declines an application; the applicant is told.
#[server(endpoint = "decide_member")]
pub async fn decide_member(team_id: i64, account_id: i64, approve: bool) -> Result<(), AppError> {
    let state = state()?;
    let team = store::team_ref(&state.db, team_id).await?;
    let caller = authorized(Action::LeadTeam { leader_id: team.leader_id }).await?;
    let now = state.clock.now_ms();
    let status = if approve { MemberStatus::Member } else { MemberStatus::Declined };
    let mut tx = state.db.begin_write().await?;
    let n = sqlx::query(
        "UPDATE team_member SET status = $1, decided_by = $2, decided_at = $3
          WHERE team_id = $4 AND account_id = $5 AND status = 'pending'",
    )
    .bind(status.code())
    .bind(caller.account_id)
    .bind(now)
    .bind(team_id)
    .bind(account_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(AppError::Conflict(Conflict::Decided));
    }
    if approve {
        sqlx::query("UPDATE team SET member_count = member_count + 1 WHERE id = $1").bind(team_id).execute(&mut *tx).await?;
    }
    let event = Event::TeamDecision { team_id, team: team.name, approved: approve };
    notify(&mut tx, account_id, &event, Some(&format!("/market/teams/{team_id}")), now).await?;
    tx.commit().await?;
    Ok(())
}
