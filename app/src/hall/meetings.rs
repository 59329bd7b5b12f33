//! 线下议事会: offline meetings recorded by community staff beside the online hall, with
//! attendance, minutes and per-proposal decisions with paper-ballot counts (kept apart from
//! the online tally). Policy: recording is `ModerateHall` for the community; reading is public.
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::Invalid,
    policy::{authorize, Action},
    request::{caller, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// A community's offline meetings, latest first, with their agenda and decisions.
#[server(endpoint = "list_meetings")]
pub async fn list_meetings(community_id: i64) -> Result<Vec<Meeting>, AppError> {
    let state = state()?;
    let db = state.db.read();
    let rows = sqlx::query(
        "SELECT id, held_at, venue, residents_present, deputies_present, elders_present, minutes
           FROM meeting WHERE community_id = $1 ORDER BY held_at DESC, id DESC LIMIT 100",
    )
    .bind(community_id)
    .fetch_all(db)
    .await?;
    let mut meetings = rows
        .iter()
        .map(|r| {
            Ok(Meeting {
                id: r.try_get("id")?,
                held_at: r.try_get("held_at")?,
                venue: r.try_get("venue")?,
                residents_present: r.try_get("residents_present")?,
                deputies_present: r.try_get("deputies_present")?,
                elders_present: r.try_get("elders_present")?,
                minutes: r.try_get("minutes")?,
                items: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let items = sqlx::query(
        "SELECT i.meeting_id, i.proposal_id, p.title, i.decision, i.ballots_for, i.ballots_against, i.ballots_abstain
           FROM meeting_item i JOIN meeting m ON m.id = i.meeting_id JOIN proposal p ON p.id = i.proposal_id
          WHERE m.community_id = $1 ORDER BY i.meeting_id, i.proposal_id",
    )
    .bind(community_id)
    .fetch_all(db)
    .await?;
    for r in &items {
        let meeting_id: i64 = r.try_get("meeting_id")?;
        if let Some(m) = meetings.iter_mut().find(|m| m.id == meeting_id) {
            m.items.push(MeetingItem {
                proposal_id: r.try_get("proposal_id")?,
                proposal_title: r.try_get("title")?,
                decision: r.try_get("decision")?,
                ballots: Tally {
                    votes_for: r.try_get("ballots_for")?,
                    against: r.try_get("ballots_against")?,
                    abstain: r.try_get("ballots_abstain")?,
                },
            });
        }
    }
    Ok(meetings)
}

/// Proposals staff can put on a meeting's agenda: the community's 200 latest that are neither
/// withdrawn nor merged.
#[server(endpoint = "agenda_options")]
pub async fn agenda_options(community_id: i64) -> Result<Vec<AgendaOption>, AppError> {
    let state = state()?;
    let caller = caller().await?;
    authorize(caller.as_ref(), Action::ModerateHall { community_id })?;
    let rows = sqlx::query(
        "SELECT id, title FROM proposal WHERE community_id = $1 AND state NOT IN ('withdrawn', 'merged')
          ORDER BY id DESC LIMIT 200",
    )
    .bind(community_id)
    .fetch_all(state.db.read())
    .await?;
    rows.iter()
        .map(|r| Ok(AgendaOption { id: r.try_get("id")?, title: r.try_get("title")? }))
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(AppError::from)
}

/// Records a meeting that took place (`held_at`: local date and time, not in the future).
#[server(endpoint = "record_meeting")]
pub async fn record_meeting(
    community_id: i64,
    held_at: String,
    venue: String,
    residents_present: i64,
    deputies_present: i64,
    elders_present: i64,
    minutes: String,
) -> Result<i64, AppError> {
    let state = state()?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::ModerateHall { community_id })?;
    let now = state.clock.now_ms();
    let held_at = crate::time::parse_local(&held_at)
        .filter(|t| *t <= now)
        .ok_or(AppError::Invalid(Invalid::DateTime))?;
    let venue = parse_line(&venue)?;
    let (residents, deputies, elders) =
        (parse_count(residents_present)?, parse_count(deputies_present)?, parse_count(elders_present)?);
    let minutes = parse_body(&minutes)?;
    let mut tx = state.db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO meeting (community_id, held_at, venue, residents_present, deputies_present, elders_present,
                              minutes, recorded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(community_id)
    .bind(held_at)
    .bind(&venue)
    .bind(residents)
    .bind(deputies)
    .bind(elders)
    .bind(&minutes)
    .bind(caller.account_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    crate::audit::record(&mut tx, caller.account_id, "record_meeting", ("meeting", id), None, Some(serde_json::json!({ "venue": venue })), now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Puts a proposal of the meeting's community on its agenda with the decision taken and the
/// paper-ballot count; recording it again replaces the entry.
#[server(endpoint = "record_meeting_item")]
pub async fn record_meeting_item(
    meeting_id: i64,
    proposal_id: i64,
    decision: String,
    ballots_for: i64,
    ballots_against: i64,
    ballots_abstain: i64,
) -> Result<(), AppError> {
    let state = state()?;
    let community_id: i64 = sqlx::query("SELECT community_id FROM meeting WHERE id = $1")
        .bind(meeting_id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or(AppError::NotFound)?
        .try_get("community_id")?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::ModerateHall { community_id })?;
    let decision = parse_reason(&decision)?;
    let ballots = (parse_count(ballots_for)?, parse_count(ballots_against)?, parse_count(ballots_abstain)?);
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let same_community = sqlx::query("SELECT id FROM proposal WHERE id = $1 AND community_id = $2")
        .bind(proposal_id)
        .bind(community_id)
        .fetch_optional(&mut *tx)
        .await?;
    if same_community.is_none() {
        return Err(AppError::Invalid(Invalid::Proposal));
    }
    sqlx::query(
        "INSERT INTO meeting_item (meeting_id, proposal_id, decision, ballots_for, ballots_against, ballots_abstain)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (meeting_id, proposal_id) DO UPDATE SET decision = excluded.decision,
             ballots_for = excluded.ballots_for, ballots_against = excluded.ballots_against,
             ballots_abstain = excluded.ballots_abstain",
    )
    .bind(meeting_id)
    .bind(proposal_id)
    .bind(&decision)
    .bind(ballots.0)
    .bind(ballots.1)
    .bind(ballots.2)
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({ "proposal_id": proposal_id, "decision": decision, "ballots": [ballots.0, ballots.1, ballots.2] });
    crate::audit::record(&mut tx, caller.account_id, "record_meeting", ("meeting", meeting_id), None, Some(after), now).await?;
    tx.commit().await?;
    Ok(())
}
