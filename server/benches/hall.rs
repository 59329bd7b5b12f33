//! Hall benchmark (`cargo bench -p linli --bench hall`, or `bash bench/hall.sh`): fills one
//! community with 10,000 proposals, 200,000 votes and a proposal with 2,000 comments, then
//! times the server rendering the list's first and 100th page and that proposal's page,
//! on SQLite and on PostgreSQL (`LINLI_BENCH_PG`, default the local server; set
//! `LINLI_BENCH_ENGINES=sqlite` to skip it).
//!
//! Each page is requested `LINLI_BENCH_REQUESTS` times (default 300) one after another from
//! the same process over localhost; the figures are whole request latencies, so they bound
//! the server-side render time from above.
mod common;

use app::db::Db;
use common::database;
use sqlx::Row;
use std::time::Instant;

const PROPOSALS: i64 = 10_000;
const VOTERS: i64 = 2_000;
const VOTES_EACH: i64 = 100;
const COMMENTS: i64 = 2_000;

fn main() {
    common::each_engine(run);
}

async fn run(engine: &str) {
    let (url, _guard) = database(engine).await;
    let db = Db::connect(&url).await.expect("connect");
    db.migrate().await.expect("migrate");
    linli_server::seed::demo(&db).await.expect("demo data");
    let started = Instant::now();
    let (community, hot) = fill(&db).await;
    eprintln!("[{engine}] filled in {:.1} s", started.elapsed().as_secs_f64());

    let base = common::serve(&db, &url).await;
    let client = reqwest::Client::new();

    // Page 100 of the newest-first list starts after the 1,980th newest proposal.
    let cursor: i64 = sqlx::query(
        "SELECT id FROM proposal WHERE community_id = $1 ORDER BY id DESC LIMIT 1 OFFSET 1979",
    )
    .bind(community)
    .fetch_one(db.read())
    .await
    .unwrap()
    .try_get("id")
    .unwrap();
    let pages = [
        ("list, page 1", format!("/hall/c/{community}")),
        ("list, page 100", format!("/hall/c/{community}?after=0.{cursor}")),
        ("list, search 电梯", format!("/hall/c/{community}?q=%E7%94%B5%E6%A2%AF")),
        ("proposal, 2,000 comments", format!("/hall/p/{hot}")),
    ];
    let n = common::requests();
    for (name, path) in pages {
        common::measure(&client, &base, engine, name, &path, None, n).await;
    }
    db.close().await;
}

/// Fills 回风亭社区 (no demo proposals) and returns it and the proposal with the comments.
/// Multi-row INSERTs built from integers only; the counters are then set from the rows, as the
/// server keeps them.
async fn fill(db: &Db) -> (i64, i64) {
    let community: i64 = sqlx::query("SELECT id FROM community WHERE name = '回风亭社区'")
        .fetch_one(db.read())
        .await
        .unwrap()
        .try_get("id")
        .unwrap();
    let author: i64 = sqlx::query("SELECT MIN(id) AS id FROM account").fetch_one(db.read()).await.unwrap().try_get("id").unwrap();
    let now = app::clock::Clock::system().now_ms();
    let mut tx = db.begin_write().await.unwrap();
    let states = ["collecting", "agenda", "voting", "passed", "rejected", "implementing", "done", "withdrawn", "collecting"];
    let categories = ["environment", "safety", "facilities", "parking", "elderly", "children", "culture", "property", "other"];
    let first: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 AS id FROM proposal").fetch_one(&mut *tx).await.unwrap().try_get("id").unwrap();
    for chunk in (0..PROPOSALS).collect::<Vec<_>>().chunks(500) {
        let rows: Vec<String> = chunk
            .iter()
            .map(|i| {
                let title = if i % 97 == 0 { format!("第{i}号议题：加装电梯") } else { format!("第{i}号议题：院落环境整治") };
                let state = states[(*i % 9) as usize];
                let closes = if state == "collecting" || state == "agenda" || state == "withdrawn" { "NULL".to_string() } else { (now + 86_400_000 * (1 + i % 30)).to_string() };
                format!(
                    "({}, {community}, {author}, '{}', '{title}', '建议社区协调解决。', '{}', '{state}', {closes}, {}, {})",
                    first + i,
                    categories[(*i % 9) as usize],
                    app::hall::search_text(&title, "建议社区协调解决。"),
                    now - (PROPOSALS - i) * 60_000,
                    now - (PROPOSALS - i) * 60_000
                )
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO proposal (id, community_id, author_id, category, title, body, search_text, state, voting_closes_at, created_at, updated_at) VALUES {}",
            rows.join(",")
        ))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    // Voters: accounts with a home in the community.
    let first_voter: i64 = sqlx::query("SELECT MAX(id) + 1 AS id FROM account").fetch_one(&mut *tx).await.unwrap().try_get("id").unwrap();
    for chunk in (0..VOTERS).collect::<Vec<_>>().chunks(500) {
        let rows: Vec<String> = chunk
            .iter()
            .map(|v| format!("({}, '150{:08}', '居民{v}', 'bench', {now}, {now}, {community}, {now})", first_voter + v, v))
            .collect();
        sqlx::query(&format!(
            "INSERT INTO account (id, phone, display_name, password_hash, consented_at, created_at, community_id, verified_at) VALUES {}",
            rows.join(",")
        ))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    // 200,000 votes: each voter on 100 distinct proposals.
    let choices = ["for", "for", "against", "abstain"];
    let mut rows = Vec::with_capacity(1000);
    for v in 0..VOTERS {
        for k in 0..VOTES_EACH {
            let p = first + (v * 37 + k * 101) % PROPOSALS;
            rows.push(format!("({p}, {}, '{}', {now})", first_voter + v, choices[((v + k) % 4) as usize]));
            if rows.len() == 1000 {
                sqlx::query(&format!("INSERT INTO vote (proposal_id, account_id, choice, at) VALUES {}", rows.join(",")))
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                rows.clear();
            }
        }
    }
    // The hot proposal: 1,500 comments and 500 replies.
    let hot = first + PROPOSALS - 1;
    let first_comment: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 AS id FROM comment").fetch_one(&mut *tx).await.unwrap().try_get("id").unwrap();
    let top = COMMENTS * 3 / 4;
    for chunk in (0..COMMENTS).collect::<Vec<_>>().chunks(500) {
        let rows: Vec<String> = chunk
            .iter()
            .map(|c| {
                let parent = if *c < top { "NULL".to_string() } else { (first_comment + (c - top) * 3).to_string() };
                format!("({}, {hot}, {parent}, {}, '第{c}条意见：同意，建议尽快实施。', {})", first_comment + c, first_voter + c % VOTERS, now + c)
            })
            .collect();
        sqlx::query(&format!("INSERT INTO comment (id, proposal_id, parent_id, author_id, body, created_at) VALUES {}", rows.join(",")))
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    // A tally for every proposal put to a vote (open while it is in voting), counting its votes.
    sqlx::query(
        "INSERT INTO proposal_tally (proposal_id, votes_for, votes_against, votes_abstain, open_until)
         SELECT p.id,
                (SELECT COUNT(*) FROM vote v WHERE v.proposal_id = p.id AND v.choice = 'for'),
                (SELECT COUNT(*) FROM vote v WHERE v.proposal_id = p.id AND v.choice = 'against'),
                (SELECT COUNT(*) FROM vote v WHERE v.proposal_id = p.id AND v.choice = 'abstain'),
                CASE WHEN p.state = 'voting' THEN p.voting_closes_at END
           FROM proposal p WHERE p.community_id = $1 AND p.voting_closes_at IS NOT NULL",
    )
    .bind(community)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE proposal SET
            comment_count = (SELECT COUNT(*) FROM comment c WHERE c.proposal_id = proposal.id),
            support_count = id % 40
          WHERE community_id = $1",
    )
    .bind(community)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // PostgreSQL: identity sequences must move past the explicit ids; statistics for the planner.
    if db.engine() == app::db::Engine::Postgres {
        for table in ["proposal", "account", "comment"] {
            sqlx::query(&format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
                .execute(db.read())
                .await
                .unwrap();
        }
    }
    db.analyze().await.unwrap();
    (community, hot)
}
