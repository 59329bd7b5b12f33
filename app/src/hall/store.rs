//! SQL the hall's server functions share: reading proposals, the row lock that serialises
//! changes to one proposal, the timeline, followers' notifications and the closing of votes.
use super::*;
use crate::db::{lock_rows, Db};
use crate::state::AppState;
use crate::error::AppError;
use crate::notifications::Event;
use crate::policy::Caller;
use crate::accounts::{Role, Scope};
use sqlx::{any::AnyRow, Any, Row, Transaction};

pub type Tx = Transaction<'static, Any>;

/// The columns `summary` reads from `SUMMARY_FROM`.
pub const SUMMARY_COLUMNS: &str = "p.id, p.title, p.category, p.state, p.support_count,
    COALESCE(t.votes_for, 0) AS votes_for, COALESCE(t.votes_against, 0) AS votes_against,
    COALESCE(t.votes_abstain, 0) AS votes_abstain, p.comment_count, p.voting_closes_at, p.created_at,
    a.display_name AS author, a.deleted_at AS author_deleted";

/// The proposal `p`, its author `a` and its vote count `t` (none before a vote opens).
pub const SUMMARY_FROM: &str =
    "proposal p JOIN account a ON a.id = p.author_id LEFT JOIN proposal_tally t ON t.proposal_id = p.id";

pub fn summary(r: &AnyRow) -> Result<ProposalSummary, sqlx::Error> {
    SummaryRow {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        category: r.try_get("category")?,
        state: r.try_get("state")?,
        support_count: r.try_get("support_count")?,
        votes_for: r.try_get("votes_for")?,
        votes_against: r.try_get("votes_against")?,
        votes_abstain: r.try_get("votes_abstain")?,
        comment_count: r.try_get("comment_count")?,
        voting_closes_at: r.try_get("voting_closes_at")?,
        created_at: r.try_get("created_at")?,
        author: r.try_get("author")?,
        author_deleted: r.try_get("author_deleted")?,
    }
    .summary()
}

/// `SUMMARY_COLUMNS` by the names `Db::json_list` reads them from, in `SummaryRow`'s order.
pub const SUMMARY_ROW: &str = "id, title, category, state, support_count, votes_for, votes_against, votes_abstain,
    comment_count, voting_closes_at, created_at, author, author_deleted";

/// A proposal as `SUMMARY_COLUMNS` read it, from a row (`summary`) or a JSON column
/// (`SUMMARY_ROW`); `SummaryRow::summary` is the one place its codes are decoded.
#[derive(serde::Deserialize)]
pub struct SummaryRow {
    id: i64,
    title: String,
    category: String,
    state: String,
    support_count: i64,
    votes_for: i64,
    votes_against: i64,
    votes_abstain: i64,
    comment_count: i64,
    voting_closes_at: Option<i64>,
    created_at: i64,
    author: Option<String>,
    author_deleted: Option<i64>,
}

impl SummaryRow {
    pub fn summary(self) -> Result<ProposalSummary, sqlx::Error> {
        let decode = |e: &str| sqlx::Error::Decode(e.to_string().into());
        Ok(ProposalSummary {
            id: self.id,
            title: self.title,
            category: Category::parse(&self.category).map_err(|_| decode("category"))?,
            state: ProposalState::from_code(&self.state).ok_or_else(|| decode("state"))?,
            support_count: self.support_count,
            tally: Tally { votes_for: self.votes_for, against: self.votes_against, abstain: self.votes_abstain },
            comment_count: self.comment_count,
            voting_closes_at: self.voting_closes_at,
            created_at: self.created_at,
            author: self.author.filter(|_| self.author_deleted.is_none()),
        })
    }
}

/// A display name, or None for a deleted account (shown as "deleted user").
pub fn author(r: &AnyRow, name: &str, deleted: &str) -> Result<Option<String>, sqlx::Error> {
    let deleted: Option<i64> = r.try_get(deleted)?;
    let name: Option<String> = r.try_get(name)?;
    Ok(name.filter(|_| deleted.is_none()))
}

pub fn is_staff(caller: Option<&Caller>, community_id: i64) -> bool {
    caller.is_some_and(|c| c.has_scoped(Role::CommunityStaff, Scope::Community(community_id)))
}

pub fn participates(caller: Option<&Caller>, community_id: i64) -> bool {
    caller.is_some_and(|c| c.verified_community == Some(community_id))
}

/// A community's hall header for this viewer; NotFound when there is no such community.
/// Its name and threshold come from the places kept in memory (`AppState::streets`, the home
/// page's overview), so a hall page makes one query less; a community made since they were
/// loaded is read from the database. It reads through the pool: never call it while holding
/// a read connection, since waiting for a second one while holding one deadlocks under load.
pub async fn community_hall(
    state: &AppState,
    caller: Option<&Caller>,
    community_id: i64,
) -> Result<CommunityHall, AppError> {
    let streets = state.streets().await?;
    let kept = streets.iter().flat_map(|s| &s.communities).find(|c| c.id == community_id);
    let (name, name_en, support_threshold) = match kept {
        Some(c) => (c.name.clone(), c.name_en.clone(), c.support_threshold),
        None => {
            let r = sqlx::query("SELECT name, name_en, support_threshold FROM community WHERE id = $1")
                .bind(community_id)
                .fetch_optional(state.db.read())
                .await?
                .ok_or(AppError::NotFound)?;
            (r.try_get("name")?, r.try_get("name_en")?, r.try_get("support_threshold")?)
        }
    };
    Ok(CommunityHall {
        id: community_id,
        name,
        name_en,
        support_threshold,
        can_participate: participates(caller, community_id),
        is_staff: is_staff(caller, community_id),
    })
}

/// The community a proposal belongs to (to authorize before writing); NotFound otherwise.
pub async fn proposal_community(db: &Db, proposal_id: i64) -> Result<i64, AppError> {
    sqlx::query("SELECT community_id FROM proposal WHERE id = $1")
        .bind(proposal_id)
        .fetch_optional(db.read())
        .await?
        .map(|r| r.try_get("community_id"))
        .transpose()?
        .ok_or(AppError::NotFound)
}

/// A proposal as it stands under its row lock.
pub struct Locked {
    pub community_id: i64,
    pub author_id: i64,
    pub title: String,
    pub state: ProposalState,
    pub voting_closes_at: Option<i64>,
    pub locked: bool,
}

/// Locks the proposal's row until the transaction ends and reads it. Every change to a
/// proposal's state or support count goes through here, so concurrent supports and staff
/// steps are serialised per proposal (PostgreSQL row lock; SQLite has one writer anyway);
/// votes are serialised on their own row, the proposal's tally (`decide::record_vote`).
/// A vote past its closing time is closed first, so no step ever sees a vote still open
/// after its time.
pub async fn lock(tx: &mut Tx, proposal_id: i64, now: i64) -> Result<Locked, AppError> {
    let sql = lock_rows(tx, "proposal", "community_id, author_id, title, state, voting_closes_at, locked_at", "id = $1", "community_id");
    let r = sqlx::query(&sql).bind(proposal_id).fetch_optional(&mut **tx).await?.ok_or(AppError::NotFound)?;
    let state: String = r.try_get("state")?;
    let mut locked = Locked {
        community_id: r.try_get("community_id")?,
        author_id: r.try_get("author_id")?,
        title: r.try_get("title")?,
        state: ProposalState::from_code(&state).ok_or_else(|| AppError::internal("unknown proposal state"))?,
        voting_closes_at: r.try_get("voting_closes_at")?,
        locked: r.try_get::<Option<i64>, _>("locked_at")?.is_some(),
    };
    if locked.state == ProposalState::Voting && locked.voting_closes_at.is_some_and(|t| t <= now) {
        if let Some(to) = close_votes(tx, Some(proposal_id), now).await?.first() {
            locked.state = *to;
        }
    }
    Ok(locked)
}

/// Closes the votes that are due (all of them, or one proposal's): passed or rejected on the
/// final count, on the timeline as the system's doing, followers told. Exactly once: the first
/// UPDATE only matches proposals still in voting, under their row locks. On final counts:
/// closing a tally (`open_until` to NULL) waits for the row lock of a vote in flight and
/// returns the counts after it, and a vote after it finds the tally closed. Locks are taken
/// proposal first, then tally, as `lock` does (a vote that finds its vote over calls it), so a
/// closing and such a vote never wait on each other in a circle; a vote that counts takes only
/// the tally (and the key-share lock of its foreign key, which no closing waits for).
/// Returns the new states.
async fn close_votes(tx: &mut Tx, only: Option<i64>, now: i64) -> Result<Vec<ProposalState>, sqlx::Error> {
    let due = sqlx::query(
        "UPDATE proposal SET updated_at = $1
          WHERE state = 'voting' AND voting_closes_at <= $1 AND ($2 = 0 OR id = $2)
         RETURNING id, title",
    )
    .bind(now)
    .bind(only.unwrap_or(0))
    .fetch_all(&mut **tx)
    .await?;
    let mut states = Vec::with_capacity(due.len());
    for r in &due {
        let id: i64 = r.try_get("id")?;
        let counts = sqlx::query(
            "UPDATE proposal_tally SET open_until = NULL WHERE proposal_id = $1
             RETURNING votes_for, votes_against, votes_abstain",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
        let [yes, no, abstain] = match &counts {
            Some(c) => [c.try_get::<i64, _>("votes_for")?, c.try_get("votes_against")?, c.try_get("votes_abstain")?],
            None => [0; 3],
        };
        let to = outcome(yes, no);
        sqlx::query("UPDATE proposal SET state = $1 WHERE id = $2").bind(to.code()).bind(id).execute(&mut **tx).await?;
        // The note records the final tally (numbers only, so it reads in either language).
        record_event(tx, id, Some(ProposalState::Voting), to, None, &format!("{yes} / {no} / {abstain}"), now).await?;
        let event = Event::ProposalState { proposal_id: id, title: r.try_get("title")?, state: to };
        notify_followers(tx, id, None, &event, now).await?;
        states.push(to);
    }
    Ok(states)
}

/// Moves a locked proposal to `to`, records it on the timeline and tells its followers
/// (except the actor).
pub async fn transition(
    tx: &mut Tx,
    proposal_id: i64,
    p: &Locked,
    to: ProposalState,
    actor: Option<i64>,
    note: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE proposal SET state = $1, updated_at = $2 WHERE id = $3")
        .bind(to.code())
        .bind(now)
        .bind(proposal_id)
        .execute(&mut **tx)
        .await?;
    record_event(tx, proposal_id, Some(p.state), to, actor, note, now).await?;
    let event = Event::ProposalState { proposal_id, title: p.title.clone(), state: to };
    notify_followers(tx, proposal_id, actor, &event, now).await
}

pub async fn record_event(
    tx: &mut Tx,
    proposal_id: i64,
    from: Option<ProposalState>,
    to: ProposalState,
    actor: Option<i64>,
    note: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO proposal_event (proposal_id, from_state, to_state, actor_id, note, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(proposal_id)
    .bind(from.map(ProposalState::code))
    .bind(to.code())
    .bind(actor)
    .bind(note)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One inbox notification per follower of the proposal, in one statement.
pub async fn notify_followers(
    tx: &mut Tx,
    proposal_id: i64,
    except: Option<i64>,
    event: &Event,
    now: i64,
) -> Result<(), sqlx::Error> {
    let params = serde_json::to_string(event).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query(
        "INSERT INTO notification (account_id, kind, params_json, link, created_at)
         SELECT f.account_id, $1, $2, $3, $4 FROM follow f
          WHERE f.proposal_id = $5 AND f.account_id <> $6",
    )
    .bind(event.kind())
    .bind(params)
    .bind(format!("/hall/p/{proposal_id}"))
    .bind(now)
    .bind(proposal_id)
    .bind(except.unwrap_or(0))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn follow(tx: &mut Tx, proposal_id: i64, account_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO follow (proposal_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(proposal_id)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// How long after finding no vote due a page read skips looking again. The look compares an
/// indexed column with the current time, a value that changes on every call, and SQLite
/// (bundled with STAT4) re-prepares such a statement whenever that value changes: re-preparing
/// was 4.6% of a proposal list request's instructions (callgrind, stop 18). Only reads skip:
/// casting a vote or any other change locks the proposal and closes it there if it is due
/// (`lock`), and the sweep always looks.
pub const DUE_CHECK_EVERY_MS: i64 = 1000;

/// When this server instance's reads last found no vote due, on the app clock (ms).
#[derive(Clone, Debug, Default)]
pub struct DueVotes(std::sync::Arc<std::sync::atomic::AtomicI64>);

/// `close_due` for page reads: at most one look per `DUE_CHECK_EVERY_MS` while none is due,
/// so a list or proposal may show a vote open for up to that long past its closing time.
pub async fn close_due_for_read(db: &Db, checked: &DueVotes, now: i64) -> Result<usize, sqlx::Error> {
    use std::sync::atomic::Ordering::Relaxed;
    let last = checked.0.load(Relaxed);
    if last > 0 && (0..DUE_CHECK_EVERY_MS).contains(&(now - last)) {
        return Ok(0);
    }
    let closed = close_due(db, now).await?;
    checked.0.store(now, Relaxed);
    Ok(closed)
}

/// Closes every vote whose closing time has passed. Called before reading proposals and by
/// the server's sweep, so a vote closes at its time whether or not anyone is looking.
pub async fn close_due(db: &Db, now: i64) -> Result<usize, sqlx::Error> {
    let due = sqlx::query("SELECT id FROM proposal WHERE state = 'voting' AND voting_closes_at <= $1 LIMIT 1")
        .bind(now)
        .fetch_optional(db.read())
        .await?;
    if due.is_none() {
        return Ok(0);
    }
    let mut tx = db.begin_write().await?;
    let closed = close_votes(&mut tx, None, now).await?;
    tx.commit().await?;
    Ok(closed.len())
}
