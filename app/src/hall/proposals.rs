//! Proposals: create, edit, withdraw, list and read.
//! Policy: proposing is for verified residents of the community (`Participate`); editing and
//! withdrawing for the author; reading is public.
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::store;
#[cfg(feature = "ssr")]
use crate::{
    policy::{authorize, Action},
    request::{caller, state},
};
#[cfg(feature = "ssr")]
use crate::db::Db;
#[cfg(feature = "ssr")]
use sqlx::Row;

/// The district's communities with their open proposals; the viewer's own first.
#[server(endpoint = "hall_index")]
pub async fn hall_index() -> Result<Vec<HallIndexEntry>, AppError> {
    let state = state()?;
    let caller = caller().await?;
    let mine = caller.as_ref().and_then(|c| c.verified_community).unwrap_or(0);
    let rows = sqlx::query(
        "SELECT c.id, c.name, c.name_en, s.name AS street,
                (SELECT COUNT(*) FROM proposal p WHERE p.community_id = c.id
                    AND p.state IN ('collecting', 'agenda', 'voting')) AS open_proposals
           FROM community c JOIN street s ON s.id = c.street_id
          ORDER BY CASE WHEN c.id = $1 THEN 0 ELSE 1 END, s.id, c.id",
    )
    .bind(mine)
    .fetch_all(state.db.read())
    .await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            Ok(HallIndexEntry {
                id,
                name: r.try_get("name")?,
                name_en: r.try_get("name_en")?,
                street: r.try_get("street")?,
                open_proposals: r.try_get("open_proposals")?,
                mine: id == mine,
            })
        })
        .collect()
}

/// A community's hall header, with what the viewer may do there.
#[server(endpoint = "hall_community")]
pub async fn hall_community(community_id: i64) -> Result<CommunityHall, AppError> {
    let state = state()?;
    let caller = caller().await?;
    store::community_hall(&state, caller.as_ref(), community_id).await
}

/// One page of a community's proposals. `state`, `category` and `q` (a substring of the
/// title or text, any length) filter; `sort` orders; `after` is the cursor of the page before.
#[server(endpoint = "list_proposals")]
pub async fn list_proposals(
    community_id: i64,
    state: Option<String>,
    category: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    after: Option<String>,
) -> Result<ProposalList, AppError> {
    let app = crate::request::state()?;
    store::close_due_for_read(&app.db, &app.due_votes, app.clock.now_ms()).await?;
    // Unknown filter values are ignored rather than refused: they come from links and URLs.
    let state = state.as_deref().and_then(ProposalState::from_code).map(ProposalState::code);
    let category = category.as_deref().and_then(|c| Category::parse(c).ok()).map(Category::code);
    let pattern = q.as_deref().and_then(like_pattern);
    let sort = Sort::from_code(sort.as_deref().unwrap_or(""));
    let cursor = after.as_deref().and_then(Cursor::parse);
    // Only fixed SQL fragments are chosen here; every value is a bound parameter, numbered in
    // the order it is bound. A filter is in the SQL only when it is given, so each statement's
    // plan is made for the filters it has (no `($2 IS NULL OR p.state = $2)` for the planner
    // to guess about).
    let mut filters = String::new();
    let mut next_param = 2;
    let mut param = || {
        next_param += 1;
        format!("${}", next_param - 1)
    };
    if state.is_some() {
        filters += &format!(" AND p.state = {}", param());
    }
    if category.is_some() {
        filters += &format!(" AND p.category = {}", param());
    }
    if pattern.is_some() {
        filters += &format!(" AND p.search_text LIKE {} ESCAPE '\\'", param());
    }
    if sort == Sort::ClosingSoon {
        filters += " AND p.state = 'voting'";
    }
    let limit = param();
    let (key, id) = (param(), param());
    // Each sort walks its own index; the cursor is a row value (`(key, id) < (…, …)`), which
    // both engines use as a range on that index rather than a filter on every row before it.
    let (column, order, after) = match sort {
        Sort::Newest => ("p.created_at", "p.created_at DESC, p.id DESC", "<"),
        Sort::MostSupported => ("p.support_count", "p.support_count DESC, p.id DESC", "<"),
        Sort::ClosingSoon => ("p.voting_closes_at", "p.voting_closes_at ASC, p.id ASC", ">"),
    };
    if cursor.is_some() {
        filters += &format!(" AND ({column}, p.id) {after} ({key}, {id})");
    }
    // The page's rows as one JSON column (`Db::json_list`): on SQLite, 21 rows read one by one
    // are 21 hand-offs from the connection's thread.
    let sql = format!(
        "SELECT {}",
        app.db.json_list(
            store::SUMMARY_ROW,
            &format!(
                "SELECT {} FROM {}
                  WHERE p.community_id = $1{filters}
                  ORDER BY {order} LIMIT {limit}",
                store::SUMMARY_COLUMNS,
                store::SUMMARY_FROM
            )
        )
    );
    let mut query = sqlx::query_scalar::<_, String>(&sql).bind(community_id);
    for value in [state, category].into_iter().flatten() {
        query = query.bind(value);
    }
    if let Some(p) = pattern {
        query = query.bind(p);
    }
    query = query.bind(PAGE_SIZE + 1);
    if let Some(c) = &cursor {
        query = query.bind(c.key).bind(c.id);
    }
    let rows: Vec<store::SummaryRow> = Db::json_decode(&query.fetch_one(app.db.read()).await?)?;
    let mut items = rows.into_iter().map(store::SummaryRow::summary).collect::<Result<Vec<_>, _>>()?;
    // The JSON array's order is not promised: put the rows back in the query's.
    match sort {
        Sort::Newest => items.sort_unstable_by_key(|p| std::cmp::Reverse((p.created_at, p.id))),
        Sort::MostSupported => items.sort_unstable_by_key(|p| std::cmp::Reverse((p.support_count, p.id))),
        Sort::ClosingSoon => items.sort_unstable_by_key(|p| (p.voting_closes_at, p.id)),
    }
    let next = if items.len() as i64 > PAGE_SIZE {
        items.truncate(PAGE_SIZE as usize);
        items.last().map(|p| {
            let key = match sort {
                Sort::Newest => p.created_at,
                Sort::MostSupported => p.support_count,
                Sort::ClosingSoon => p.voting_closes_at.unwrap_or(0),
            };
            Cursor { key, id: p.id }.encode()
        })
    } else {
        None
    };
    Ok(ProposalList { items, next })
}

/// Proposes an issue to the caller's community. Redirects to the new proposal.
#[server(endpoint = "create_proposal")]
pub async fn create_proposal(
    community_id: i64,
    category: String,
    title: String,
    body: String,
) -> Result<i64, AppError> {
    let state = state()?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::Participate { community_id })?;
    let category = Category::parse(&category)?;
    let title = parse_title(&title)?;
    let body = parse_body(&body)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO proposal (community_id, author_id, category, title, body, search_text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(community_id)
    .bind(caller.account_id)
    .bind(category.code())
    .bind(&title)
    .bind(&body)
    .bind(search_text(&title, &body))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    store::record_event(&mut tx, id, None, ProposalState::Collecting, Some(caller.account_id), "", now).await?;
    store::follow(&mut tx, id, caller.account_id).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/hall/p/{id}"));
    Ok(id)
}

/// Changes a proposal's text while it is collecting supports. Author only.
#[server(endpoint = "update_proposal")]
pub async fn update_proposal(id: i64, category: String, title: String, body: String) -> Result<(), AppError> {
    let state = state()?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::OwnAccount)?;
    let category = Category::parse(&category)?;
    let title = parse_title(&title)?;
    let body = parse_body(&body)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let p = store::lock(&mut tx, id, now).await?;
    authorize(Some(caller), Action::AuthorOf { author_id: p.author_id })?;
    if !p.state.editable() {
        return Err(AppError::Conflict(crate::error::Conflict::State));
    }
    sqlx::query(
        "UPDATE proposal SET category = $1, title = $2, body = $3, search_text = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(category.code())
    .bind(&title)
    .bind(&body)
    .bind(search_text(&title, &body))
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/hall/p/{id}"));
    Ok(())
}

/// The author withdraws a proposal that has not gone to a vote, with a public note.
#[server(endpoint = "withdraw_proposal")]
pub async fn withdraw_proposal(id: i64, note: String) -> Result<(), AppError> {
    let state = state()?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::OwnAccount)?;
    let note = parse_note(&note)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let p = store::lock(&mut tx, id, now).await?;
    authorize(Some(caller), Action::AuthorOf { author_id: p.author_id })?;
    if !matches!(p.state, ProposalState::Collecting | ProposalState::Agenda) {
        return Err(AppError::Conflict(crate::error::Conflict::State));
    }
    store::transition(&mut tx, id, &p, ProposalState::Withdrawn, Some(caller.account_id), &note, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A proposal with its timeline, meetings, progress and the viewer's own part.
#[server(endpoint = "get_proposal")]
pub async fn get_proposal(id: i64) -> Result<ProposalPage, AppError> {
    Ok(read_proposal(id, None).await?.page)
}

/// The proposal page's data: the proposal as `get_proposal` gives it, and the page of its
/// discussion after `comments_after` as `list_comments` gives it, read in one query (one
/// hand-off to SQLite's thread, one round trip to PostgreSQL, where there were two).
#[server(endpoint = "get_proposal_with_thread")]
pub async fn get_proposal_with_thread(id: i64, comments_after: Option<i64>) -> Result<ProposalWithThread, AppError> {
    let read = read_proposal(id, Some(comments_after)).await?;
    let thread = super::discussion::ThreadRead::from_row(&read.row)?.page(
        read.caller.as_ref(),
        read.page.community.id,
        read.page.locked,
        state()?.clock.now_ms(),
    )?;
    Ok(ProposalWithThread { proposal: read.page, thread })
}

/// A proposal as `read_proposal` read it: the page, and the row and caller it was shaped from.
#[cfg(feature = "ssr")]
struct ProposalRead {
    page: ProposalPage,
    row: sqlx::any::AnyRow,
    caller: Option<crate::policy::Caller>,
}

/// The proposal; with `thread: Some(after)` its row also has the columns of its discussion's
/// page after `after` (`discussion::ThreadRead::from_row`).
#[cfg(feature = "ssr")]
async fn read_proposal(id: i64, thread: Option<Option<i64>>) -> Result<ProposalRead, AppError> {
    let state = state()?;
    store::close_due_for_read(&state.db, &state.due_votes, state.clock.now_ms()).await?;
    let caller = caller().await?;
    // One query: the proposal, with its timeline, meetings and progress as JSON columns
    // (`Db::json_list`) and the viewer's own part (their support, their own vote — to them
    // alone — and following; no rows for a visitor, whose `$2` is NULL); with a thread, its
    // page too (`$3`, `$4`).
    let json = |columns: &str, select: &str| state.db.json_list(columns, select);
    let thread_columns = match thread {
        Some(_) => format!(", {}", super::discussion::thread_columns(&state.db, "$1", "$3", "$4")),
        None => String::new(),
    };
    let sql = format!(
        "SELECT {summary}, p.body, p.community_id, p.author_id, p.voting_opens_at, p.merged_into, p.locked_at{thread_columns},
                {timeline} AS timeline, {meetings} AS meetings, {progress} AS progress,
                (SELECT COUNT(*) FROM support WHERE proposal_id = $1 AND account_id = $2) AS supported,
                (SELECT choice FROM vote WHERE proposal_id = $1 AND account_id = $2) AS choice,
                (SELECT COUNT(*) FROM follow WHERE proposal_id = $1 AND account_id = $2) AS following
           FROM {from} WHERE p.id = $1",
        summary = store::SUMMARY_COLUMNS,
        from = store::SUMMARY_FROM,
        timeline = json(
            "id, from_state, to_state, note, at, display_name, deleted_at",
            "SELECT e.id, e.from_state, e.to_state, e.note, e.at, a.display_name, a.deleted_at
               FROM proposal_event e LEFT JOIN account a ON a.id = e.actor_id WHERE e.proposal_id = $1",
        ),
        meetings = json(
            "id, held_at, venue, decision, ballots_for, ballots_against, ballots_abstain",
            "SELECT m.id, m.held_at, m.venue, i.decision, i.ballots_for, i.ballots_against, i.ballots_abstain
               FROM meeting_item i JOIN meeting m ON m.id = i.meeting_id WHERE i.proposal_id = $1",
        ),
        progress = json(
            "id, dated, body, display_name, deleted_at",
            "SELECT u.id, u.dated, u.body, a.display_name, a.deleted_at
               FROM progress_update u JOIN account a ON a.id = u.author_id WHERE u.proposal_id = $1",
        ),
    );
    let query = sqlx::query(&sql).bind(id).bind(caller.as_ref().map(|c| c.account_id));
    let query = match thread {
        Some(after) => query.bind(after.unwrap_or(0)).bind(super::COMMENTS_PAGE + 1),
        None => query,
    };
    let r = query.fetch_optional(state.db.read()).await?.ok_or(AppError::NotFound)?;
    let summary = store::summary(&r)?;
    let community_id: i64 = r.try_get("community_id")?;
    let community = store::community_hall(&state, caller.as_ref(), community_id).await?;
    let mut timeline: Vec<EventRow> = Db::json_decode(&r.try_get::<String, _>("timeline")?)?;
    timeline.sort_unstable_by_key(|e| e.id);
    let timeline = timeline
        .into_iter()
        .map(|e| {
            Ok(TimelineEntry {
                from: e.from_state.as_deref().and_then(ProposalState::from_code),
                // A state this build does not know is a fault to log, not something to guess.
                to: ProposalState::from_code(&e.to_state).ok_or_else(|| sqlx::Error::Decode("proposal event state".into()))?,
                actor: e.display_name.filter(|_| e.deleted_at.is_none()),
                note: e.note,
                at: e.at,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let mut meetings: Vec<MeetingRow> = Db::json_decode(&r.try_get::<String, _>("meetings")?)?;
    meetings.sort_unstable_by_key(|m| (m.held_at, m.id));
    let meetings = meetings
        .into_iter()
        .map(|m| MeetingDecision {
            meeting_id: m.id,
            held_at: m.held_at,
            venue: m.venue,
            decision: m.decision,
            ballots: Tally { votes_for: m.ballots_for, against: m.ballots_against, abstain: m.ballots_abstain },
        })
        .collect();
    let mut progress: Vec<ProgressRow> = Db::json_decode(&r.try_get::<String, _>("progress")?)?;
    progress.sort_by(|a, b| (&a.dated, a.id).cmp(&(&b.dated, b.id)));
    let progress = progress
        .into_iter()
        .map(|u| ProgressEntry { dated: u.dated, body: u.body, author: u.display_name.filter(|_| u.deleted_at.is_none()) })
        .collect();
    let supported = r.try_get::<i64, _>("supported")? > 0;
    let my_vote = r.try_get::<Option<String>, _>("choice")?.and_then(|c| Choice::parse(&c).ok());
    let following = r.try_get::<i64, _>("following")? > 0;
    let staff_steps = if community.is_staff { StaffStep::available(summary.state) } else { Vec::new() };
    let page = ProposalPage {
        is_author: caller.as_ref().is_some_and(|c| c.account_id == r.try_get::<i64, _>("author_id").unwrap_or(0)),
        body: r.try_get("body")?,
        voting_opens_at: r.try_get("voting_opens_at")?,
        merged_into: r.try_get("merged_into")?,
        locked: r.try_get::<Option<i64>, _>("locked_at")?.is_some(),
        summary,
        community,
        timeline,
        meetings,
        progress,
        supported,
        my_vote,
        following,
        logged_in: caller.is_some(),
        staff_steps,
    };
    Ok(ProposalRead { page, row: r, caller })
}

/// A row of `get_proposal`'s timeline, as `Db::json_list` carries it.
#[cfg(feature = "ssr")]
#[derive(serde::Deserialize)]
struct EventRow {
    id: i64,
    from_state: Option<String>,
    to_state: String,
    note: String,
    at: i64,
    display_name: Option<String>,
    deleted_at: Option<i64>,
}

/// A row of `get_proposal`'s meeting decisions.
#[cfg(feature = "ssr")]
#[derive(serde::Deserialize)]
struct MeetingRow {
    id: i64,
    held_at: i64,
    venue: String,
    decision: String,
    ballots_for: i64,
    ballots_against: i64,
    ballots_abstain: i64,
}

/// A row of `get_proposal`'s progress updates.
#[cfg(feature = "ssr")]
#[derive(serde::Deserialize)]
struct ProgressRow {
    id: i64,
    dated: String,
    body: String,
    display_name: Option<String>,
    deleted_at: Option<i64>,
}
