//! Soak (issue 9): five minutes (`LINLI_SOAK_SECS`) of mixed reading and writing at 50
//! connections against the server process, on SQLite and on PostgreSQL: no answer may be a
//! 5xx, the log must never say "database is locked", and memory must level off: the last
//! third of the run may not set a new peak of resident memory more than a tenth (and 5 MB)
//! above the peak before it. A leak keeps setting new peaks to the end; an allocator keeping a
//! burst's memory is one step that stays level or falls (CI's PostgreSQL soak once stepped
//! from 101 to 140 MB at 170 s and ended at 123 MB). The RSS curve is printed (every 10 s)
//! for the note.
//!
//! `make verify` runs it against the release binary (`LINLI_BIN`).
use crate::common;
use common::process::{free_port, run, Server};
use common::{Engine, TestDb};
use sqlx::Row;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CONNECTIONS: usize = 50;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

#[derive(Default)]
struct Tally {
    ok: AtomicU64,
    client_errors: AtomicU64,
    server_errors: AtomicU64,
    failed: AtomicU64,
}

async fn soak(engine: Engine) {
    let seconds: u64 = std::env::var("LINLI_SOAK_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let test_db = TestDb::new(engine).await;
    let url = test_db.url.clone();
    run(&url, &["seed-scale", "--preset", "small"]);
    let db = app::db::Db::connect(&url).await.unwrap();
    let now = app::clock::Clock::system().now_ms();
    let one = |sql: String| {
        let db = db.clone();
        async move { sqlx::query(&sql).fetch_one(db.read()).await.unwrap().try_get::<i64, _>(0).unwrap() }
    };
    let here = one("SELECT id FROM community WHERE name = '观音井社区'".into()).await;
    let hot = one("SELECT id FROM proposal ORDER BY comment_count DESC, id LIMIT 1".into()).await;
    let item = one(format!("SELECT MIN(id) FROM menu_item WHERE community_id = {here} AND min_age IS NULL")).await;
    // Writers: verified residents of 观音井 (also volunteers where they are), with sessions, and
    // a proposal open for voting and an activity with room for all of them.
    let mut tx = db.begin_write().await.unwrap();
    let residents: Vec<i64> = sqlx::query("SELECT id FROM account WHERE community_id = $1 AND verified_at IS NOT NULL ORDER BY id LIMIT 400")
        .bind(here)
        .fetch_all(&mut *tx)
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("id").unwrap())
        .collect();
    let proposal: i64 = sqlx::query(
        "INSERT INTO proposal (community_id, author_id, category, title, body, search_text, state, voting_opens_at, voting_closes_at, created_at, updated_at)
         VALUES ($1, $2, 'safety', '长稳测试表决', '正文', '长稳测试表决', 'voting', $3, $4, $3, $3) RETURNING id",
    )
    .bind(here).bind(residents[0]).bind(now - HOUR).bind(now + 7 * DAY)
    .fetch_one(&mut *tx).await.unwrap().try_get("id").unwrap();
    let mut sessions = Vec::new();
    for r in &residents {
        sessions.push(app::accounts::session::create(&mut tx, *r, now).await.unwrap());
    }
    tx.commit().await.unwrap();
    drop(db);

    let log = std::env::temp_dir().join(format!("linli-soak-{}-{engine:?}.log", std::process::id()));
    // The soak measures stability under load from one address: the per-address limits, which
    // it would hit at once, are widened (their own tests use the real ones).
    let server = Server::start(&url, free_port(), log, &[("LINLI_RATE_LIMITS", "relaxed")]).await;
    let tally = Arc::new(Tally::default());
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let pages = Arc::new(vec![
        "/".to_string(),
        format!("/hall/c/{here}"),
        format!("/hall/p/{hot}"),
        format!("/hall/p/{proposal}"),
        format!("/menu?community={here}"),
        "/appeals/rates".into(),
        format!("/appeals/c/{here}"),
        "/market".into(),
        "/open311/v2/requests.json".into(),
    ]);
    let sessions = Arc::new(sessions);
    let preferred = common::enc(&app::time::format_input(now + 2 * DAY));
    let mut workers = Vec::new();
    for w in 0..CONNECTIONS {
        let (tally, pages, sessions, base, preferred) = (tally.clone(), pages.clone(), sessions.clone(), server.base.clone(), preferred.clone());
        workers.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut n: u64 = w as u64;
            while Instant::now() < deadline {
                n += CONNECTIONS as u64;
                let session = &sessions[(n as usize / 7) % sessions.len()];
                let post = |endpoint: &str, body: String| {
                    client
                        .post(format!("{base}/api/{endpoint}"))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .header("cookie", format!("linli_session={session}"))
                        .body(body)
                };
                // Four reads in five; the rest votes (changing), comments, orders and cancels.
                let req = match n % 20 {
                    0 => post("cast_vote", format!("id={proposal}&choice={}", ["for", "against", "abstain"][(n / 20 % 3) as usize])),
                    5 => post("post_comment", format!("proposal_id={proposal}&body={}", common::enc(&format!("长稳测试第{n}条意见")))),
                    10 => post("order_service", format!("item_id={item}&preferred_at={preferred}")),
                    15 => post("mark_read", String::new()),
                    _ => client.get(format!("{base}{}", pages[(n / 3) as usize % pages.len()])).header("accept-encoding", "br, gzip"),
                };
                match req.send().await {
                    Ok(resp) => {
                        let status = resp.status().as_u16();
                        let _ = resp.bytes().await;
                        let bucket = match status {
                            500.. => &tally.server_errors,
                            400..=499 => &tally.client_errors,
                            _ => &tally.ok,
                        };
                        bucket.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(_) => {
                        tally.failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    let mut curve = Vec::new();
    let started = Instant::now();
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_secs(10).min(deadline.saturating_duration_since(Instant::now()))).await;
        curve.push((started.elapsed().as_secs(), server.rss_kb() / 1024));
    }
    for w in workers {
        w.await.unwrap();
    }
    let (ok, c4, c5, failed) = (
        tally.ok.load(Ordering::Relaxed),
        tally.client_errors.load(Ordering::Relaxed),
        tally.server_errors.load(Ordering::Relaxed),
        tally.failed.load(Ordering::Relaxed),
    );
    let line: Vec<String> = curve.iter().map(|(s, mb)| format!("{s}s:{mb}MB")).collect();
    eprintln!(
        "[{engine:?}] soak {seconds} s at {CONNECTIONS} connections: {} requests ({:.0}/s), {ok} ok, {c4} 4xx, {c5} 5xx, {failed} failed; RSS {}",
        ok + c4 + c5 + failed,
        (ok + c4 + c5 + failed) as f64 / seconds as f64,
        line.join(" ")
    );
    assert_eq!(c5, 0, "no 5xx");
    assert_eq!(failed, 0, "no failed connections");
    let log = server.log_text();
    assert!(!log.contains("database is locked"), "the log says the database was locked");
    assert!(levels_off(&curve), "memory keeps growing: {line:?}");
    let log = server.log.clone();
    drop(server);
    let _ = std::fs::remove_file(log);
}

/// Whether resident memory (MB, sampled in order) levels off: the last third's peak is at most
/// a tenth and 5 MB above the peak of the two thirds before it. A steady leak of L MB over the
/// run from a base of B fails once L > 0.375·B + 19 (56 MB from 100 MB in five minutes).
fn levels_off(curve: &[(u64, u64)]) -> bool {
    let split = curve.len() * 2 / 3;
    let peak = |part: &[(u64, u64)]| part.iter().map(|(_, mb)| *mb).max().unwrap_or(0);
    let (before, last) = (peak(&curve[..split]), peak(&curve[split..]));
    last * 10 <= before * 11 + 50
}

#[test]
fn memory_levels_off_after_a_step_but_not_under_a_leak() {
    let curve = |mbs: &[u64]| mbs.iter().enumerate().map(|(i, mb)| (10 * i as u64 + 10, *mb)).collect::<Vec<_>>();
    // CI's PostgreSQL soak (stop 22): a step at 170 s, then level and falling.
    let ci = [106, 103, 101, 100, 102, 97, 98, 96, 100, 99, 98, 96, 97, 96, 101, 101, 140, 135, 133, 126, 131, 132, 137, 134, 135, 132, 128, 128, 128, 123];
    assert!(levels_off(&curve(&ci)));
    // Flat with noise (CI's SQLite soak, same run).
    let flat = [105, 115, 110, 108, 105, 110, 110, 111, 112, 114, 109, 102, 105, 105, 110, 108, 107, 107, 107, 108, 106, 106, 106, 102, 103, 105, 101, 106, 98, 109];
    assert!(levels_off(&curve(&flat)));
    // A steady leak of 2 MB every 10 s (60 MB in five minutes) from 100 MB.
    let leak: Vec<u64> = (0..30).map(|i| 100 + 2 * i).collect();
    assert!(!levels_off(&curve(&leak)));
}

#[test]
#[ignore = "five minutes; run by `make verify`"]
fn soak_sqlite() {
    common::runtime().block_on(soak(Engine::Sqlite));
}

#[test]
#[ignore = "five minutes; run by `make verify`"]
fn soak_postgres() {
    common::runtime().block_on(soak(Engine::Postgres));
}
