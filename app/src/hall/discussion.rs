//! Discussion: comments threaded one level, reports, moderation and its public log.
//! Policy: verified residents of the community and its staff comment (`Participate` or
//! `ModerateHall`); residents report (`Participate`); staff hide, restore and lock
//! (`ModerateHall`); reading and the moderation log are public.
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
use crate::db::Db;
#[cfg(feature = "ssr")]
use sqlx::Row;

/// One page of a proposal's discussion: `COMMENTS_PAGE` top-level comments after `after`, each
/// with all its replies (the partial index `comment_top` walks them in id order). Hidden
/// comments show why; only the community's staff see their text. The proposal page reads the
/// same page in its own query (`get_proposal_with_thread`).
#[server(endpoint = "list_comments")]
pub async fn list_comments(proposal_id: i64, after: Option<i64>) -> Result<CommentPage, AppError> {
    let state = state()?;
    let caller = caller().await?;
    let sql = format!(
        "SELECT p.community_id, p.locked_at, {thread} FROM proposal p WHERE p.id = $1",
        thread = thread_columns(&state.db, "$1", "$2", "$3"),
    );
    let p = sqlx::query(&sql)
        .bind(proposal_id)
        .bind(after.unwrap_or(0))
        .bind(COMMENTS_PAGE + 1)
        .fetch_optional(state.db.read())
        .await?
        .ok_or(AppError::NotFound)?;
    let locked = p.try_get::<Option<i64>, _>("locked_at")?.is_some();
    Ok(ThreadRead::from_row(&p)?.page(caller.as_ref(), p.try_get("community_id")?, locked, state.clock.now_ms())?)
}

/// A page of the thread as columns of a query over `proposal p`: the comment count and the
/// page's top-level comments and their replies, each list as a JSON column (`Db::json_list`)
/// rather than one hand-off from SQLite's thread per comment. `id`, `after` and `limit` name
/// the query's parameters for the proposal, the last top-level comment of the page before and
/// one more than a page (to know whether there is a next).
#[cfg(feature = "ssr")]
pub(super) fn thread_columns(db: &Db, id: &str, after: &str, limit: &str) -> String {
    const SELECT: &str = "SELECT c.id, c.parent_id, c.author_id, c.body, c.created_at, c.edited_at, c.hidden_at,
        c.hidden_by, c.hidden_reason, a.display_name, a.deleted_at FROM comment c JOIN account a ON a.id = c.author_id";
    const COLUMNS: &str = "id, parent_id, author_id, body, created_at, edited_at, hidden_at, hidden_by,
        hidden_reason, display_name, deleted_at";
    // `comment_top` walks them.
    let top = format!("c.proposal_id = {id} AND c.parent_id IS NULL AND c.id > {after} ORDER BY c.id LIMIT {limit}");
    format!(
        "p.comment_count AS thread_total, {top_list} AS thread_top, {replies} AS thread_replies",
        top_list = db.json_list(COLUMNS, &format!("{SELECT} WHERE {top}")),
        // Replies of those comments (`comment_thread` seeks each parent's).
        replies = db.json_list(
            COLUMNS,
            &format!("{SELECT} WHERE c.proposal_id = {id} AND c.parent_id IN (SELECT c.id FROM comment c WHERE {top})"),
        ),
    )
}

/// The columns `thread_columns` read.
#[cfg(feature = "ssr")]
pub(super) struct ThreadRead {
    top: String,
    replies: String,
    total: i64,
}

#[cfg(feature = "ssr")]
impl ThreadRead {
    /// The columns `thread_columns` added to a query, from its row.
    pub fn from_row(row: &sqlx::any::AnyRow) -> Result<ThreadRead, sqlx::Error> {
        Ok(ThreadRead { top: row.try_get("thread_top")?, replies: row.try_get("thread_replies")?, total: row.try_get("thread_total")? })
    }

    /// The page as `caller` sees it, in a community and on a proposal `locked` or not.
    pub fn page(self, caller: Option<&crate::policy::Caller>, community_id: i64, locked: bool, now: i64) -> Result<CommentPage, sqlx::Error> {
        let is_staff = store::is_staff(caller, community_id);
        let participates = store::participates(caller, community_id);
        // The aggregates keep their input's order in practice, but neither engine promises it.
        let rows = |json: &str| -> Result<Vec<CommentRow>, sqlx::Error> {
            let mut rows: Vec<CommentRow> = Db::json_decode(json)?;
            rows.sort_unstable_by_key(|r| r.id);
            Ok(rows)
        };
        let viewer = caller.map(|c| c.account_id);
        let view = |r: CommentRow| -> (Option<i64>, CommentView) {
            let hidden = match (r.hidden_at, r.hidden_by) {
                (None, _) => None,
                (Some(_), Some(_)) => Some(Hidden::ByStaff(r.hidden_reason.unwrap_or_default())),
                (Some(_), None) => Some(Hidden::PendingReview),
            };
            let own = viewer == Some(r.author_id);
            (
                r.parent_id,
                CommentView {
                    id: r.id,
                    author: r.display_name.filter(|_| r.deleted_at.is_none()),
                    body: (hidden.is_none() || is_staff).then_some(r.body),
                    can_edit: own && hidden.is_none() && now - r.created_at < EDIT_WINDOW_MS && !locked,
                    hidden,
                    created_at: r.created_at,
                    edited: r.edited_at.is_some(),
                    replies: Vec::new(),
                },
            )
        };
        let mut items: Vec<CommentView> = rows(&self.top)?.into_iter().map(|r| view(r).1).collect();
        let next = if items.len() as i64 > COMMENTS_PAGE {
            items.truncate(COMMENTS_PAGE as usize);
            items.last().map(|c| c.id)
        } else {
            None
        };
        // Replies of a comment past this page (the one more) are dropped here with it.
        for r in rows(&self.replies)? {
            let (parent, reply) = view(r);
            if let Some(c) = items.iter_mut().find(|c| Some(c.id) == parent) {
                c.replies.push(reply);
            }
        }
        Ok(CommentPage {
            items,
            next,
            total: self.total,
            locked,
            can_comment: (participates || is_staff) && !locked,
            can_report: participates,
            is_staff,
        })
    }
}

/// A row of `thread_columns`' lists, as `Db::json_list` carries it.
#[cfg(feature = "ssr")]
#[derive(serde::Deserialize)]
struct CommentRow {
    id: i64,
    parent_id: Option<i64>,
    author_id: i64,
    body: String,
    created_at: i64,
    edited_at: Option<i64>,
    hidden_at: Option<i64>,
    hidden_by: Option<i64>,
    hidden_reason: Option<String>,
    display_name: Option<String>,
    deleted_at: Option<i64>,
}

/// Posts a comment, or a reply to a top-level comment (`parent_id`). The author follows the
/// proposal from then on; its followers are told.
#[server(endpoint = "post_comment")]
pub async fn post_comment(proposal_id: i64, parent_id: Option<i64>, body: String) -> Result<(), AppError> {
    let state = state()?;
    let community_id = store::proposal_community(&state.db, proposal_id).await?;
    let caller = caller().await?;
    let caller = match authorize(caller.as_ref(), Action::Participate { community_id }) {
        Ok(c) => c,
        Err(_) => authorize(caller.as_ref(), Action::ModerateHall { community_id })?,
    };
    let body = parse_body(&body)?;
    let limits = state.limits;
    let address = crate::request::client_address().await;
    crate::ratelimit::hit(
        &state,
        &[
            (format!("comment:acct:{}", caller.account_id), limits.comment_per_account),
            (format!("comment:addr:{address}"), limits.comment_per_address),
        ],
    )
    .await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let p = store::lock(&mut tx, proposal_id, now).await?;
    if p.locked {
        return Err(AppError::Conflict(Conflict::Locked));
    }
    if let Some(parent) = parent_id {
        // One level: the parent is a top-level comment of this proposal.
        let ok = sqlx::query("SELECT id FROM comment WHERE id = $1 AND proposal_id = $2 AND parent_id IS NULL")
            .bind(parent)
            .bind(proposal_id)
            .fetch_optional(&mut *tx)
            .await?;
        if ok.is_none() {
            return Err(AppError::Invalid(Invalid::Text));
        }
    }
    sqlx::query("INSERT INTO comment (proposal_id, parent_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(proposal_id)
        .bind(parent_id)
        .bind(caller.account_id)
        .bind(&body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE proposal SET comment_count = comment_count + 1 WHERE id = $1")
        .bind(proposal_id)
        .execute(&mut *tx)
        .await?;
    let event = Event::NewComment { proposal_id, title: p.title.clone() };
    store::notify_followers(&mut tx, proposal_id, Some(caller.account_id), &event, now).await?;
    store::follow(&mut tx, proposal_id, caller.account_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Edits the caller's own comment within 15 minutes of posting it.
#[server(endpoint = "edit_comment")]
pub async fn edit_comment(id: i64, body: String) -> Result<(), AppError> {
    let state = state()?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::OwnAccount)?;
    let body = parse_body(&body)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let c = sqlx::query("SELECT author_id, created_at, hidden_at, proposal_id FROM comment WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    authorize(Some(caller), Action::AuthorOf { author_id: c.try_get("author_id")? })?;
    let p = store::lock(&mut tx, c.try_get("proposal_id")?, now).await?;
    if p.locked {
        return Err(AppError::Conflict(Conflict::Locked));
    }
    if now - c.try_get::<i64, _>("created_at")? >= EDIT_WINDOW_MS || c.try_get::<Option<i64>, _>("hidden_at")?.is_some() {
        return Err(AppError::Conflict(Conflict::EditExpired));
    }
    sqlx::query("UPDATE comment SET body = $1, edited_at = $2 WHERE id = $3")
        .bind(&body)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Reports a comment with a reason. Reports by three different residents hide it pending
/// staff review (logged publicly as the residents' doing).
#[server(endpoint = "report_comment")]
pub async fn report_comment(id: i64, reason: String) -> Result<(), AppError> {
    let state = state()?;
    let (proposal_id, community_id) = comment_place(&state.db, id).await?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::Participate { community_id })?;
    let reason = parse_reason(&reason)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    store::lock(&mut tx, proposal_id, now).await?;
    let added = sqlx::query(
        "INSERT INTO comment_report (comment_id, reporter_id, reason, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(caller.account_id)
    .bind(&reason)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if added == 1 {
        let r = sqlx::query("UPDATE comment SET report_count = report_count + 1 WHERE id = $1 RETURNING report_count, hidden_at")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let count: i64 = r.try_get("report_count")?;
        if count == REPORTS_TO_HIDE && r.try_get::<Option<i64>, _>("hidden_at")?.is_none() {
            sqlx::query("UPDATE comment SET hidden_at = $1, hidden_by = NULL, hidden_reason = NULL WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            log(&mut tx, community_id, proposal_id, Some(id), "auto_hide", None, "", now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Staff hide a comment with a public reason (`action` "hide") or restore it ("restore").
#[server(endpoint = "moderate_comment")]
pub async fn moderate_comment(id: i64, action: String, reason: String) -> Result<(), AppError> {
    let state = state()?;
    let (proposal_id, community_id) = comment_place(&state.db, id).await?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::ModerateHall { community_id })?;
    let hide = match action.as_str() {
        "hide" => true,
        "restore" => false,
        _ => return Err(AppError::Invalid(Invalid::Choice)),
    };
    let reason = if hide { parse_reason(&reason)? } else { parse_note(&reason)? };
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    store::lock(&mut tx, proposal_id, now).await?;
    let changed = if hide {
        sqlx::query("UPDATE comment SET hidden_at = $1, hidden_by = $2, hidden_reason = $3 WHERE id = $4")
            .bind(now)
            .bind(caller.account_id)
            .bind(&reason)
            .bind(id)
    } else {
        // Reports already counted stay counted: after a review, they do not hide it again.
        sqlx::query(
            "UPDATE comment SET hidden_at = NULL, hidden_by = NULL, hidden_reason = NULL
              WHERE id = $1 AND hidden_at IS NOT NULL",
        )
        .bind(id)
    }
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 1 {
        log(&mut tx, community_id, proposal_id, Some(id), if hide { "hide" } else { "restore" }, Some(caller.account_id), &reason, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Staff lock (`locked` true) or reopen a proposal's discussion, with a public reason.
#[server(endpoint = "lock_discussion")]
pub async fn lock_discussion(proposal_id: i64, locked: bool, reason: String) -> Result<(), AppError> {
    let state = state()?;
    let community_id = store::proposal_community(&state.db, proposal_id).await?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::ModerateHall { community_id })?;
    let reason = parse_note(&reason)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let p = store::lock(&mut tx, proposal_id, now).await?;
    if p.locked != locked {
        sqlx::query("UPDATE proposal SET locked_at = $1 WHERE id = $2")
            .bind(locked.then_some(now))
            .bind(proposal_id)
            .execute(&mut *tx)
            .await?;
        log(&mut tx, community_id, proposal_id, None, if locked { "lock" } else { "unlock" }, Some(caller.account_id), &reason, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A community's moderation log, newest first, 50 at a time before `before`.
#[server(endpoint = "moderation_log")]
pub async fn moderation_log(community_id: i64, before: Option<i64>) -> Result<Vec<ModerationEntry>, AppError> {
    let state = state()?;
    let rows = sqlx::query(
        "SELECT m.id, m.proposal_id, p.title, m.comment_id, m.action, m.reason, m.at, a.display_name, a.deleted_at
           FROM moderation_log m JOIN proposal p ON p.id = m.proposal_id LEFT JOIN account a ON a.id = m.actor_id
          WHERE m.community_id = $1 AND m.id < $2 ORDER BY m.id DESC LIMIT 50",
    )
    .bind(community_id)
    .bind(before.unwrap_or(i64::MAX))
    .fetch_all(state.db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ModerationEntry {
                id: r.try_get("id")?,
                proposal_id: r.try_get("proposal_id")?,
                proposal_title: r.try_get("title")?,
                comment_id: r.try_get("comment_id")?,
                action: r.try_get("action")?,
                actor: store::author(r, "display_name", "deleted_at")?,
                reason: r.try_get("reason")?,
                at: r.try_get("at")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(AppError::from)
}

/// The proposal and community of a comment; NotFound when there is no such comment.
#[cfg(feature = "ssr")]
async fn comment_place(db: &crate::db::Db, comment_id: i64) -> Result<(i64, i64), AppError> {
    let r = sqlx::query("SELECT c.proposal_id, p.community_id FROM comment c JOIN proposal p ON p.id = c.proposal_id WHERE c.id = $1")
        .bind(comment_id)
        .fetch_optional(db.read())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((r.try_get("proposal_id")?, r.try_get("community_id")?))
}

#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
async fn log(
    tx: &mut store::Tx,
    community_id: i64,
    proposal_id: i64,
    comment_id: Option<i64>,
    action: &str,
    actor: Option<i64>,
    reason: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO moderation_log (community_id, proposal_id, comment_id, action, actor_id, reason, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(community_id)
    .bind(proposal_id)
    .bind(comment_id)
    .bind(action)
    .bind(actor)
    .bind(reason)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    // Staff actions also go to the audit log, like every staff action.
    if let Some(actor) = actor {
        let object = match comment_id {
            Some(id) => ("comment", id),
            None => ("proposal", proposal_id),
        };
        let after = serde_json::json!({ "action": action, "reason": reason });
        crate::audit::record(tx, actor, "moderate", object, None, Some(after), now).await?;
    }
    Ok(())
}
