//! Deciding: supports, votes, staff steps along the lifecycle, progress updates, following.
//! Policy: supports and votes are for verified residents of the proposal's community
//! (`Participate`); steps and progress for its community staff (`ModerateHall`); following
//! for any logged-in user.
#[cfg(feature = "ssr")]
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::store;
#[cfg(feature = "ssr")]
use crate::{
    error::{Conflict, Invalid},
    notifications::Event,
    policy::{authorize, Action},
    request::{caller, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// 附议: adds the caller's support. Reaching the community's threshold puts a collecting
/// proposal on the agenda, exactly once however many supports arrive together (they are
/// serialised by the proposal's row lock, and only the one that crosses it sees `collecting`).
#[server(endpoint = "support_proposal")]
pub async fn support_proposal(id: i64) -> Result<(), AppError> {
    let state = state()?;
    let community_id = store::proposal_community(&state.db, id).await?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::Participate { community_id })?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let p = store::lock(&mut tx, id, now).await?;
    if !p.state.supportable() {
        return Err(AppError::Conflict(Conflict::State));
    }
    let added = sqlx::query("INSERT INTO support (proposal_id, account_id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(id)
        .bind(caller.account_id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if added == 1 {
        let count: i64 = sqlx::query("UPDATE proposal SET support_count = support_count + 1 WHERE id = $1 RETURNING support_count")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("support_count")?;
        let threshold: i64 = sqlx::query("SELECT support_threshold FROM community WHERE id = $1")
            .bind(p.community_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("support_threshold")?;
        if p.state == ProposalState::Collecting && count >= threshold {
            store::transition(&mut tx, id, &p, ProposalState::Agenda, None, "", now).await?;
        }
        store::follow(&mut tx, id, caller.account_id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// 表决: records or changes the caller's vote while the vote is open. The tally counters
/// move in the same transaction as the vote, so they always equal the votes; the closing
/// time is checked here, by the server.
///
/// The counters are the proposal's tally row (`proposal_tally`, narrow, apart from the wide
/// proposal row the list pages read), locked last, by the statement that moves them, and only
/// while that statement runs and the commit: every vote on a proposal waits for that lock,
/// and taken first it was held across four round trips more: a vote storm on one proposal on
/// PostgreSQL went from 1,089–1,125 votes a second to 1,388–1,493 (city preset, 50
/// connections, alternating runs; docs/architecture.md). The resident's own vote row is what
/// keeps their simultaneous votes apart: it is locked first, and a first vote that finds
/// itself beaten to the row by another goes again.
#[server(endpoint = "cast_vote")]
pub async fn cast_vote(id: i64, choice: String) -> Result<(), AppError> {
    let state = state()?;
    let community_id = store::proposal_community(&state.db, id).await?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::Participate { community_id })?;
    let choice = Choice::parse(&choice)?;
    let now = state.clock.now_ms();
    for _ in 0..2 {
        let mut tx = state.db.begin_write().await?;
        if record_vote(&mut tx, id, caller.account_id, choice, now).await? {
            tx.commit().await?;
            return Ok(());
        }
    }
    // The second attempt finds the row the first lost to: vote rows are never deleted.
    Err(AppError::internal("a vote lost its row twice"))
}

/// One attempt at `cast_vote`'s transaction; false when a simultaneous first vote by the same
/// resident took the row between reading and inserting (roll back and go again).
#[cfg(feature = "ssr")]
async fn record_vote(tx: &mut store::Tx, id: i64, account_id: i64, choice: Choice, now: i64) -> Result<bool, AppError> {
    // Locks the resident's vote, if they have one, until the transaction ends.
    let sql = crate::db::lock_rows(tx, "vote", "choice", "proposal_id = $1 AND account_id = $2", "choice");
    let previous = sqlx::query(&sql)
        .bind(id)
        .bind(account_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get::<String, _>("choice"))
        .transpose()?
        .and_then(|c| Choice::parse(&c).ok());
    let counters = match previous {
        // Unchanged: nothing to move, but a vote that is closed still says so.
        Some(old) if old == choice => "open_until = open_until".to_string(),
        Some(old) => {
            sqlx::query("UPDATE vote SET choice = $1, at = $2 WHERE proposal_id = $3 AND account_id = $4")
                .bind(choice.code())
                .bind(now)
                .bind(id)
                .bind(account_id)
                .execute(&mut **tx)
                .await?;
            // Column names come from `Choice::column`, never from the request.
            format!("{new} = {new} + 1, {old} = {old} - 1", new = choice.column(), old = old.column())
        }
        None => {
            let added = sqlx::query(
                "INSERT INTO vote (proposal_id, account_id, choice, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(account_id)
            .bind(choice.code())
            .bind(now)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if added == 0 {
                return Ok(false);
            }
            format!("{new} = {new} + 1", new = choice.column())
        }
    };
    // The tally's row is the lock votes take: closing the vote takes it too (`store::close_votes`).
    let moved = sqlx::query(&format!("UPDATE proposal_tally SET {counters} WHERE proposal_id = $1 AND open_until > $2"))
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if moved == 0 {
        // Not open: say why (`lock` also closes a vote past its time, though the caller's
        // rollback undoes that; the next read closes it for good).
        let p = store::lock(tx, id, now).await?;
        return Err(AppError::Conflict(if p.state == ProposalState::Voting || p.voting_closes_at.is_some() {
            Conflict::VotingClosed
        } else {
            Conflict::State
        }));
    }
    Ok(true)
}

/// A staff step along the lifecycle (`step`: put_on_agenda, open_voting, start_implementing,
/// complete, merge) with a public note. Opening a vote needs `closes_at` (local time, in the
/// future); merging needs `merge_into`, another open proposal of the same community.
#[server(endpoint = "advance_proposal")]
pub async fn advance_proposal(
    id: i64,
    step: String,
    note: String,
    closes_at: Option<String>,
    merge_into: Option<i64>,
) -> Result<(), AppError> {
    let state = state()?;
    let community_id = store::proposal_community(&state.db, id).await?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::ModerateHall { community_id })?;
    let step = StaffStep::from_code(&step)?;
    let note = parse_note(&note)?;
    let now = state.clock.now_ms();
    let closes_at = match step {
        StaffStep::OpenVoting => {
            let t = closes_at.as_deref().and_then(crate::time::parse_local).ok_or(AppError::Invalid(Invalid::DateTime))?;
            // In the future (a minute at least: the input has minute precision), within a year.
            if t < now + 60_000 || t > now + 366 * 86_400_000 {
                return Err(AppError::Invalid(Invalid::DateTime));
            }
            Some(t)
        }
        _ => None,
    };
    let mut tx = state.db.begin_write().await?;
    let p = store::lock(&mut tx, id, now).await?;
    let to = step.apply(p.state)?;
    match step {
        StaffStep::OpenVoting => {
            sqlx::query("UPDATE proposal SET voting_opens_at = $1, voting_closes_at = $2 WHERE id = $3")
                .bind(now)
                .bind(closes_at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO proposal_tally (proposal_id, open_until) VALUES ($1, $2)")
                .bind(id)
                .bind(closes_at)
                .execute(&mut *tx)
                .await?;
        }
        StaffStep::Merge => {
            let target = merge_into.filter(|t| *t != id).ok_or(AppError::Invalid(Invalid::Proposal))?;
            let ok = sqlx::query(
                "SELECT id FROM proposal WHERE id = $1 AND community_id = $2 AND state NOT IN ('withdrawn', 'merged')",
            )
            .bind(target)
            .bind(community_id)
            .fetch_optional(&mut *tx)
            .await?;
            if ok.is_none() {
                return Err(AppError::Invalid(Invalid::Proposal));
            }
            sqlx::query("UPDATE proposal SET merged_into = $1 WHERE id = $2").bind(target).bind(id).execute(&mut *tx).await?;
        }
        _ => {}
    }
    store::transition(&mut tx, id, &p, to, Some(caller.account_id), &note, now).await?;
    crate::audit::record(
        &mut tx,
        caller.account_id,
        "advance_proposal",
        ("proposal", id),
        Some(serde_json::json!({ "state": p.state.code() })),
        Some(serde_json::json!({ "state": to.code(), "closes_at": closes_at, "merged_into": merge_into })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A dated implementation progress update on a passed proposal; the first one starts the
/// implementation. Followers are notified.
#[server(endpoint = "post_progress")]
pub async fn post_progress(id: i64, dated: String, body: String) -> Result<(), AppError> {
    let state = state()?;
    let community_id = store::proposal_community(&state.db, id).await?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::ModerateHall { community_id })?;
    let dated = crate::time::parse_date(&dated).ok_or(AppError::Invalid(Invalid::DateTime))?;
    let body = parse_body(&body)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let p = store::lock(&mut tx, id, now).await?;
    match p.state {
        ProposalState::Passed => {
            store::transition(&mut tx, id, &p, ProposalState::Implementing, Some(caller.account_id), "", now).await?;
        }
        ProposalState::Implementing => {}
        _ => return Err(AppError::Conflict(Conflict::State)),
    }
    sqlx::query("INSERT INTO progress_update (proposal_id, author_id, dated, body, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(caller.account_id)
        .bind(&dated)
        .bind(&body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let event = Event::ProposalProgress { proposal_id: id, title: p.title.clone() };
    store::notify_followers(&mut tx, id, Some(caller.account_id), &event, now).await?;
    crate::audit::record(&mut tx, caller.account_id, "post_progress", ("proposal", id), None, Some(serde_json::json!({ "dated": dated })), now).await?;
    tx.commit().await?;
    Ok(())
}

/// Follows (`follow` true) or stops following a proposal's news in the inbox.
#[server(endpoint = "follow_proposal")]
pub async fn follow_proposal(id: i64, follow: bool) -> Result<(), AppError> {
    let state = state()?;
    store::proposal_community(&state.db, id).await?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::OwnAccount)?;
    let mut tx = state.db.begin_write().await?;
    if follow {
        store::follow(&mut tx, id, caller.account_id).await?;
    } else {
        sqlx::query("DELETE FROM follow WHERE proposal_id = $1 AND account_id = $2")
            .bind(id)
            .bind(caller.account_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
