//! Soak (issue 9): five minutes (`LINLI_SOAK_SECS`) of mixed reading and writing at 50
//! connections against the server process, on SQLite and on PostgreSQL: no answer may be a
//! 5xx, the log must never say "database is locked", and memory must level off (see
//! `levels_off`: a leak keeps setting new peaks to the end, an allocator keeping a burst's
//! memory steps once and stays level or falls). The RSS curve is printed (every 10 s) for the
//! issue's note. A step late in the run is given up to two more minutes of the same load to
//! settle (see `MORE_SAMPLES`), judged on the last five minutes. The step seen on SQLite
//! (about +50 MB once, 130–220 s in) is the server resolving the backtrace of leptos's rare
//! "reactive value already disposed" panic: std parses the binary's debug info once and keeps
//! it (docs/architecture.md, "Handlers run to their end").
//!
//! `make verify` runs it against the release binary (`LINLI_BIN`).
use crate::common;
use common::process::{free_port, run, Server};
use common::{Engine, TestDb};
use sqlx::Row;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CONNECTIONS: usize = 50;
/// How many more 10-s samples (two minutes, under the same load) a curve that has not levelled
/// off by the end gets: a step at 220 s (seen once on SQLite, 67 → 112 MB, then 116 … 128 MB by
/// 300 s) needs them to show whether it settles, while a leak keeps rising through them too.
const MORE_SAMPLES: usize = 12;
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
    sqlx::query("INSERT INTO proposal_tally (proposal_id, open_until) VALUES ($1, $2)")
        .bind(proposal).bind(now + 7 * DAY)
        .execute(&mut *tx).await.unwrap();
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
    let stop = Arc::new(AtomicBool::new(false));
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
        let (tally, pages, sessions, base, preferred, stop) =
            (tally.clone(), pages.clone(), sessions.clone(), server.base.clone(), preferred.clone(), stop.clone());
        workers.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut n: u64 = w as u64;
            while !stop.load(Ordering::Relaxed) {
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
    // Every 10 s for the run's length (its last sample may come sooner), then as long as the
    // last `judged` samples do not level off, up to `MORE_SAMPLES` more.
    let judged = (seconds as usize).div_ceil(10).max(2);
    let mut curve = Vec::new();
    let started = Instant::now();
    while curve.len() < judged || (!levels_off(&curve[curve.len() - judged..]) && curve.len() < judged + MORE_SAMPLES) {
        let left = Duration::from_secs(seconds).saturating_sub(started.elapsed());
        let wait = if curve.len() < judged && !left.is_zero() { left.min(Duration::from_secs(10)) } else { Duration::from_secs(10) };
        tokio::time::sleep(wait).await;
        curve.push((started.elapsed().as_secs(), server.rss_kb() / 1024));
    }
    stop.store(true, Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
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
        "[{engine:?}] soak {elapsed:.0} s at {CONNECTIONS} connections: {} requests ({:.0}/s), {ok} ok, {c4} 4xx, {c5} 5xx, {failed} failed; RSS {}",
        ok + c4 + c5 + failed,
        (ok + c4 + c5 + failed) as f64 / elapsed,
        line.join(" ")
    );
    assert_eq!(c5, 0, "no 5xx");
    assert_eq!(failed, 0, "no failed connections");
    let log = server.log_text();
    assert!(!log.contains("database is locked"), "the log says the database was locked");
    assert!(levels_off(&curve[curve.len() - judged..]), "memory keeps growing: {line:?}");
    let log = server.log.clone();
    drop(server);
    let _ = std::fs::remove_file(log);
}

/// Whether resident memory (MB, sampled every 10 s) levels off. A leak grows with the
/// requests served, so it keeps setting new peaks to the end; an allocator keeping a burst's
/// memory, or a bounded cache filling, is a step or two that then stays level or falls, and
/// such a step may come at any time (CI's SQLite soak once stepped from 113 to 154 MB at 230 s).
/// So the second half is cut into 30-s windows, and at most two of them may set a new peak more
/// than 2 MB above every sample before: a leak of 1 MB every 10 s (30 MB in five minutes) sets
/// one in every window, while a slower one (under about 0.7 MB every 10 s, 20 MB in five
/// minutes) passes: five minutes cannot tell it from noise. And the run stays under issue 8's
/// 200 MB.
fn levels_off(curve: &[(u64, u64)]) -> bool {
    const WINDOW: usize = 3;
    let half = curve.len() / 2;
    let mut peak = curve[..half].iter().map(|(_, mb)| *mb).max().unwrap_or(0);
    let mut rises = 0;
    for window in curve[half..].chunks(WINDOW) {
        let top = window.iter().map(|(_, mb)| *mb).max().unwrap_or(0);
        if top > peak + 2 {
            rises += 1;
        }
        peak = peak.max(top);
    }
    rises <= 2 && peak < 200
}

#[test]
fn memory_levels_off_after_a_step_but_not_under_a_leak() {
    let curve = |mbs: &[u64]| mbs.iter().enumerate().map(|(i, mb)| (10 * i as u64 + 10, *mb)).collect::<Vec<_>>();
    // CI's PostgreSQL soak (stop 22): a step at 170 s, then level and falling.
    let ci = [106, 103, 101, 100, 102, 97, 98, 96, 100, 99, 98, 96, 97, 96, 101, 101, 140, 135, 133, 126, 131, 132, 137, 134, 135, 132, 128, 128, 128, 123];
    assert!(levels_off(&curve(&ci)));
    // CI's SQLite soak (stop 26): a smaller step at 190 s and the big one at 230 s.
    let late = [105, 109, 112, 113, 106, 109, 110, 113, 110, 113, 107, 107, 108, 105, 112, 107, 113, 104, 125, 116, 116, 109, 154, 154, 156, 154, 152, 152, 154, 148];
    assert!(levels_off(&curve(&late)));
    // Flat with noise (CI's SQLite soak, stop 22).
    let flat = [105, 115, 110, 108, 105, 110, 110, 111, 112, 114, 109, 102, 105, 105, 110, 108, 107, 107, 107, 108, 106, 106, 106, 102, 103, 105, 101, 106, 98, 109];
    assert!(levels_off(&curve(&flat)));
    // Steady leaks from 100 MB: 2 MB and 1 MB every 10 s.
    for per_sample in [2, 1] {
        let leak: Vec<u64> = (0..30).map(|i| 100 + per_sample * i).collect();
        assert!(!levels_off(&curve(&leak)), "a leak of {per_sample} MB every 10 s");
    }
    // Local SQLite soak (stop 34): a step at 220 s, still creeping at 300 s, so the first five
    // minutes fail; two more minutes that stay level pass when judged on the last five.
    let settling = [&[65u64; 21][..], &[112, 116, 116, 118, 120, 121, 124, 126, 128], &[127, 128, 126, 128, 127, 125, 128, 127, 126, 125, 127, 126]].concat();
    assert!(!levels_off(&curve(&settling[..30])));
    assert!(levels_off(&curve(&settling[12..])));
    // A leak fails however long the run is extended.
    let leak: Vec<u64> = (0..42).map(|i| 100 + i).collect();
    assert!(!levels_off(&curve(&leak[12..])));
    // Three steps in the second half are growth, not a burst.
    let stairs = [&[100u64; 15][..], &[110; 5], &[120; 5], &[130; 5]].concat();
    assert!(!levels_off(&curve(&stairs)));
    // Level, but over the 200 MB target.
    assert!(!levels_off(&curve(&[210; 30])));
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
