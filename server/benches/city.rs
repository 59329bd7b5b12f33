//! The city-scale benchmark (issue 8; run it with `bash bench/city.sh`, which builds first).
//!
//! For each configuration — SQLite, PostgreSQL, and PostgreSQL behind two server instances —
//! it loads the `seed-scale` preset once (and reuses it on later runs), starts the release
//! binary built with the `bench` feature, and drives it with `wrk` at 50 connections:
//!
//! - the read pages, each beside its *ceiling*: the same bytes served from memory by a plain
//!   handler in the same process, through the same middleware (`/__ceiling`), so each page gets
//!   the ratio of its throughput to what the HTTP stack alone could do;
//! - a vote storm and a sign-up storm (distinct residents, checked against the database after),
//!   the storm's community's list once more right after the vote storm, and a full activity's
//!   page after the sign-up storm;
//! - the server's peak resident memory (VmHWM).
//!
//! Each configuration starts by removing what earlier runs' storms left in the reused database.
//! It writes `bench/RESULTS.md`. Settings (environment): `LINLI_BENCH_CONFIGS`
//! (`sqlite,postgres,postgres2`), `LINLI_BENCH_PRESET` (`city`), `LINLI_BENCH_SECONDS` (10),
//! `LINLI_BENCH_PG` (`postgres://postgres@127.0.0.1:5432`), `LINLI_BIN` (the release binary).
use app::db::Db;
use serde::Deserialize;
use sqlx::Row;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CONNECTIONS: u32 = 50;
const THREADS: u32 = 2;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn env(name: &str, default: &str) -> String {
    std::env::var(name).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_string())
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let configs = env("LINLI_BENCH_CONFIGS", "sqlite,postgres,postgres2");
    let bench = Bench {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf(),
        bin: PathBuf::from(env("LINLI_BIN", "target/release/linli")),
        preset: env("LINLI_BENCH_PRESET", "city"),
        seconds: env("LINLI_BENCH_SECONDS", "10").parse().expect("LINLI_BENCH_SECONDS"),
        pg: env("LINLI_BENCH_PG", "postgres://postgres@127.0.0.1:5432"),
    };
    let mut results = Vec::new();
    for config in configs.split(',').map(str::trim) {
        let r = rt.block_on(bench.run(config));
        results.push(r);
    }
    let report = bench.report(&results);
    let out = bench.root.join("bench/RESULTS.md");
    std::fs::write(&out, &report).unwrap();
    println!("{report}\nwritten to {}", out.display());
}

struct Bench {
    root: PathBuf,
    bin: PathBuf,
    preset: String,
    seconds: u64,
    pg: String,
}

/// One configuration's figures.
struct Results {
    config: String,
    seeded: Option<Duration>,
    pages: Vec<PageRow>,
    writes: Vec<WriteRow>,
    peak_rss_kb: Vec<u64>,
    notes: Vec<String>,
}

struct PageRow {
    name: &'static str,
    page: Run,
    ceiling: Run,
    /// The same anonymous page with the production default: rendered at most once a second
    /// (`LINLI_PAGE_CACHE_MS=1000`, `server/src/page_cache.rs`).
    cached: Option<Run>,
    bytes: usize,
}

struct WriteRow {
    name: &'static str,
    run: Run,
    check: String,
}

/// What `bench/wrk/report.lua` prints.
#[derive(Clone, Debug, Default, Deserialize)]
struct Run {
    requests: u64,
    duration_us: u64,
    p50_us: u64,
    p99_us: u64,
    max_us: u64,
    connect: u64,
    read: u64,
    write: u64,
    status: u64,
    timeout: u64,
}

impl Run {
    fn rps(&self) -> f64 {
        self.requests as f64 / (self.duration_us.max(1) as f64 / 1e6)
    }
    fn errors(&self) -> u64 {
        self.connect + self.read + self.write + self.status + self.timeout
    }
    /// The error count with its kinds, so a table says whether the server answered ≥ 400 or
    /// a socket failed or timed out (wrk's timeout is 2 s): "0", or "50 (timeout 50)".
    fn errors_text(&self) -> String {
        let kinds = [("connect", self.connect), ("read", self.read), ("write", self.write), ("status", self.status), ("timeout", self.timeout)];
        let named: Vec<String> = kinds.iter().filter(|(_, n)| *n > 0).map(|(k, n)| format!("{k} {n}")).collect();
        if named.is_empty() { "0".to_string() } else { format!("{} ({})", self.errors(), named.join(", ")) }
    }
    /// Runs side by side (two instances): throughput adds up, latency is the worse.
    fn merge(runs: &[Run]) -> Run {
        let mut m = Run::default();
        for r in runs {
            m.requests += r.requests;
            m.duration_us = m.duration_us.max(r.duration_us);
            m.p50_us = m.p50_us.max(r.p50_us);
            m.p99_us = m.p99_us.max(r.p99_us);
            m.max_us = m.max_us.max(r.max_us);
            m.connect += r.connect;
            m.read += r.read;
            m.write += r.write;
            m.status += r.status;
            m.timeout += r.timeout;
        }
        m
    }
}

/// A server process; killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// `page_cache_ms`: how long anonymous pages are kept rendered (0: every request renders).
    async fn start(bench: &Bench, url: &str, port: u16, page_cache_ms: u64) -> Server {
        let child = Command::new(&bench.bin)
            .arg("serve")
            .env("DATABASE_URL", url)
            .env("LINLI_PAGE_CACHE_MS", page_cache_ms.to_string())
            .env("LINLI_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", bench.root.join("target/site"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", bench.bin.display()));
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status() == 200) {
                return Server { child, base };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server on port {port} did not come up");
    }

    /// Peak resident memory so far, in KiB.
    fn peak_rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()).unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs wrk against each of `bases` at once (the connections shared out), with `path`.
async fn wrk(bench: &Bench, bases: &[String], path: &str, headers: &[String], storm: Option<&[PathBuf]>) -> Run {
    let seconds = bench.seconds;
    let per = CONNECTIONS / bases.len() as u32;
    let wrk_dir = bench.root.join("bench/wrk");
    let mut handles = Vec::new();
    for (i, base) in bases.iter().enumerate() {
        let mut cmd = Command::new("wrk");
        cmd.args(["-t", &THREADS.to_string(), "-c", &per.to_string(), "-d", &format!("{seconds}s"), "--timeout", "10s"]);
        for h in headers {
            cmd.args(["-H", h]);
        }
        let script = if storm.is_some() { "storm.lua" } else { "report.lua" };
        cmd.args(["-s", &wrk_dir.join(script).to_string_lossy(), &format!("{base}{path}")]);
        cmd.env("LINLI_WRK_DIR", &wrk_dir).env("LINLI_THREADS", THREADS.to_string());
        if let Some(files) = storm {
            cmd.env("LINLI_STORM", &files[i]);
        }
        handles.push(tokio::task::spawn_blocking(move || cmd.output().expect("wrk (apt-get install wrk)")));
    }
    let mut runs = Vec::new();
    for h in handles {
        let out = h.await.unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let line = stdout.lines().rev().find(|l| l.starts_with('{')).unwrap_or_else(|| panic!("wrk printed no figures: {stdout}"));
        runs.push(serde_json::from_str::<Run>(line).unwrap());
    }
    Run::merge(&runs)
}

/// Logs in through the API; returns the session cookie.
async fn login(base: &str, phone: &str, password: &str) -> String {
    let resp = reqwest::Client::new()
        .post(format!("{base}/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("phone={phone}&password={password}"))
        .send()
        .await
        .unwrap();
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("linli_session="))
        .map(|c| c.split(';').next().unwrap().to_string())
        .unwrap_or_else(|| panic!("login {phone} failed"))
}

async fn one(db: &Db, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(db.read()).await.unwrap_or_else(|e| panic!("{sql}: {e}")).try_get(0).unwrap()
}

/// After a storm: the requests in flight when wrk stopped (at most one per connection) still
/// finish on the server, which runs a handler to its end when its client goes away
/// (`run_to_end`). Counting before they land would catch some of them between one count
/// and the next; a write's p99 is well under a second.
async fn settle() {
    tokio::time::sleep(Duration::from_secs(2)).await;
}

/// One read page at 50 connections, then its ceiling (the same bytes from memory).
async fn measure(bench: &Bench, bases: &[String], config: &str, name: &'static str, path: &str, cookie: Option<&str>) -> PageRow {
    let mut headers = vec!["Accept-Encoding: br, gzip".to_string(), "Accept-Language: zh-CN,zh;q=0.9".to_string()];
    let mut req = reqwest::Client::new().get(format!("{}{path}", bases[0]));
    if let Some(cookie) = cookie {
        headers.push(format!("Cookie: {cookie}"));
        req = req.header("cookie", cookie);
    }
    let resp = req.send().await.unwrap();
    assert_eq!(resp.status(), 200, "{path}");
    let bytes = resp.bytes().await.unwrap().len();
    eprintln!("[{config}] {name}: {path} ({bytes} bytes)");
    let page = wrk(bench, bases, path, &headers, None).await;
    let ceiling = wrk(bench, bases, &format!("/__ceiling?path={}", urlencode(path)), &headers, None).await;
    PageRow { name, page, ceiling, cached: None, bytes }
}

/// Removes what earlier runs' storms left in this (reused) database — the storm proposal
/// with its votes, the storm activities with their sign-ups, the sessions made for both — so
/// that every run starts from the loaded preset: otherwise each run's storm proposal would
/// head the next run's page 1. On PostgreSQL, VACUUM then drops the dead row versions, as
/// autovacuum would in the minutes between two runs, and CHECKPOINT writes out what loading
/// the preset left dirty (the database is 1 GB), which the timed checkpoint would otherwise
/// write while pages are measured: a suspect in one run's Open311 p99 of 112 ms, against
/// 49–55 ms in three runs of that page alone.
async fn clear_storms(db: &Db, url: &str) {
    let proposals = "SELECT id FROM proposal WHERE title = '基准测试：表决'";
    let activities = "SELECT id FROM activity WHERE title = '基准测试：报名'";
    let mut tx = db.begin_write().await.unwrap();
    for sql in [
        format!("DELETE FROM session WHERE account_id IN (SELECT account_id FROM vote WHERE proposal_id IN ({proposals}))"),
        format!("DELETE FROM session WHERE account_id IN (SELECT account_id FROM signup WHERE activity_id IN ({activities}))"),
        format!("DELETE FROM vote WHERE proposal_id IN ({proposals})"),
        format!("DELETE FROM proposal_tally WHERE proposal_id IN ({proposals})"),
        format!("DELETE FROM proposal WHERE id IN ({proposals})"),
        format!("DELETE FROM signup WHERE activity_id IN ({activities})"),
        format!("DELETE FROM activity_waitlist WHERE activity_id IN ({activities})"),
        format!("DELETE FROM activity WHERE id IN ({activities})"),
    ] {
        sqlx::query(&sql).execute(&mut *tx).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    tx.commit().await.unwrap();
    if url.starts_with("postgres") {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query("VACUUM (ANALYZE) proposal, proposal_tally, vote, activity, activity_waitlist, signup, session").execute(&mut conn).await.unwrap();
        sqlx::query("CHECKPOINT").execute(&mut conn).await.unwrap();
    }
}

impl Bench {
    /// The configuration's database, loaded with the preset unless it was already.
    async fn database(&self, engine: &str) -> (String, Option<Duration>) {
        let url = match engine {
            "sqlite" => {
                let dir = self.root.join("target/bench");
                std::fs::create_dir_all(&dir).unwrap();
                format!("sqlite://{}/{}.db", dir.display(), self.preset)
            }
            _ => {
                use sqlx::Connection;
                let name = format!("linli_bench_{}", self.preset);
                let mut admin = sqlx::PgConnection::connect(&format!("{}/postgres", self.pg)).await.expect("PostgreSQL");
                let exists = sqlx::query("SELECT 1 FROM pg_database WHERE datname = $1").bind(&name).fetch_optional(&mut admin).await.unwrap();
                if exists.is_none() {
                    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
                }
                format!("{}/{name}", self.pg)
            }
        };
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        let loaded = one(&db, "SELECT COUNT(*) FROM proposal").await > 100;
        db.close().await;
        if loaded {
            return (url, None);
        }
        eprintln!("[{engine}] loading the {} preset …", self.preset);
        let started = Instant::now();
        let status = Command::new(&self.bin).args(["seed-scale", "--preset", &self.preset]).env("DATABASE_URL", &url).status().unwrap();
        assert!(status.success(), "seed-scale failed");
        (url, Some(started.elapsed()))
    }

    async fn run(&self, config: &str) -> Results {
        let engine = if config == "sqlite" { "sqlite" } else { "postgres" };
        let (url, seeded) = self.database(engine).await;
        let instances = if config == "postgres2" { 2 } else { 1 };
        let mut servers = Vec::new();
        for i in 0..instances {
            // The main figures are of rendering: every request renders its page.
            servers.push(Server::start(self, &url, 3100 + i as u16, 0).await);
        }
        let bases: Vec<String> = servers.iter().map(|s| s.base.clone()).collect();
        let db = Db::connect(&url).await.unwrap();
        clear_storms(&db, &url).await;
        let mut notes = Vec::new();

        // Sessions are shared: one made through the first instance works on the second.
        let staff = login(&bases[0], "13900000002", linli_server::seed::DEMO_PASSWORD).await;
        if instances == 2 {
            let who = reqwest::Client::new()
                .post(format!("{}/api/current_user", bases[1]))
                .header("cookie", &staff)
                .header("content-type", "application/x-www-form-urlencoded")
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(who.contains("张书记"), "a session made on one instance must work on the other: {who}");
            notes.push("a session made through instance 1 was accepted by instance 2".into());
        }

        let gyj = one(&db, "SELECT id FROM community WHERE name = '观音井社区'").await;
        // The cursor the 99th page's "next" link carries: (created_at, id) of its last row.
        let nth = |column: &'static str| {
            let db = &db;
            async move {
                let sql = format!(
                    "SELECT {column} FROM proposal WHERE community_id = {gyj} ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 1979"
                );
                one(db, &sql).await
            }
        };
        let cursor = format!("{}.{}", nth("created_at").await, nth("id").await);
        let hot = one(&db, "SELECT id FROM proposal ORDER BY comment_count DESC, id LIMIT 1").await;
        let comments = one(&db, &format!("SELECT comment_count FROM proposal WHERE id = {hot}")).await;
        notes.push(format!("the long thread (proposal {hot}) has {comments} comments, {} top-level ones to a page", app::hall::COMMENTS_PAGE));
        let pages: Vec<(&'static str, String, bool)> = vec![
            ("home", "/".into(), false),
            ("proposal list, page 1 (观音井)", format!("/hall/c/{gyj}"), false),
            ("proposal list, page 100", format!("/hall/c/{gyj}?after={cursor}"), false),
            ("proposal with 2,000 comments", format!("/hall/p/{hot}"), false),
            ("district appeal rates", "/appeals/rates".into(), false),
            ("community menu (观音井)", format!("/menu?community={gyj}"), false),
            ("work queue (张书记)", "/appeals/queue".into(), true),
            ("Open311 requests.json", "/open311/v2/requests.json".into(), false),
        ];
        let mut rows = Vec::new();
        let paths = pages.clone();
        for (name, path, logged_in) in pages {
            rows.push(measure(self, &bases, config, name, &path, logged_in.then_some(staff.as_str())).await);
        }
        // The anonymous pages again, on one instance with the production default microcache.
        if instances == 1 {
            let cached_server = Server::start(self, &url, 3110, 1000).await;
            let cached_bases = vec![cached_server.base.clone()];
            for (row, (_, path, logged_in)) in rows.iter_mut().zip(&paths) {
                if !logged_in {
                    let headers = ["Accept-Encoding: br, gzip".to_string(), "Accept-Language: zh-CN,zh;q=0.9".to_string()];
                    row.cached = Some(wrk(self, &cached_bases, path, &headers, None).await);
                }
            }
        }

        let votes = self.vote_storm(&db, &bases, gyj).await;
        // The storm's proposal now heads 观音井's list, its row updated once a vote: on
        // PostgreSQL every update leaves a dead row version behind until vacuum.
        rows.push(measure(self, &bases, config, "proposal list, page 1, after the vote storm", &format!("/hall/c/{gyj}"), None).await);
        let writes = vec![votes, self.signup_storm(&db, &bases, gyj).await];
        // One of the storm's activities, its 50 slots taken and the rest of 5,000 volunteers
        // waiting: its page reads the waitlist's counter (`activity_waitlist`), which the
        // storm moved 4,950 times; on PostgreSQL it also locked the row (and each volunteer's).
        let full = one(&db, "SELECT MIN(id) FROM activity WHERE title = '基准测试：报名'").await;
        rows.push(measure(self, &bases, config, "an activity after the sign-up storm (full, long waitlist)", &format!("/market/activities/{full}"), None).await);
        let peak_rss_kb = servers.iter().map(Server::peak_rss_kb).collect();
        drop(servers);
        db.close().await;
        Results { config: config.to_string(), seeded, pages: rows, writes, peak_rss_kb, notes }
    }

    /// Writes `lines` into one storm file per instance (alternating).
    fn storm_files(&self, name: &str, lines: &[String], instances: usize) -> Vec<PathBuf> {
        let dir = self.root.join("target/bench");
        // Made by the SQLite configuration's database, which a run of PostgreSQL alone skips.
        std::fs::create_dir_all(&dir).unwrap();
        (0..instances)
            .map(|i| {
                let path = dir.join(format!("{name}-{i}.txt"));
                let mut f = std::fs::File::create(&path).unwrap();
                for l in lines.iter().skip(i).step_by(instances) {
                    writeln!(f, "{l}").unwrap();
                }
                path
            })
            .collect()
    }

    /// Distinct residents vote on a proposal of their community opened for the storm; after,
    /// the rows must equal the successful votes and the tally the rows.
    async fn vote_storm(&self, db: &Db, bases: &[String], community: i64) -> WriteRow {
        let now = app::clock::Clock::system().now_ms();
        let voters = 40_000;
        let mut tx = db.begin_write().await.unwrap();
        let proposal: i64 = sqlx::query(
            "INSERT INTO proposal (community_id, author_id, category, title, body, search_text, state, voting_opens_at,
                                   voting_closes_at, created_at, updated_at)
             SELECT $1, MIN(id), 'facilities', '基准测试：表决', '表决风暴', '基准测试：表决', 'voting', $2, $3, $2, $2
               FROM account WHERE community_id = $1 AND verified_at IS NOT NULL RETURNING id",
        )
        .bind(community)
        .bind(now - HOUR)
        .bind(now + 7 * DAY)
        .fetch_one(&mut *tx)
        .await
        .unwrap()
        .try_get("id")
        .unwrap();
        sqlx::query("INSERT INTO proposal_tally (proposal_id, open_until) VALUES ($1, $2)")
            .bind(proposal)
            .bind(now + 7 * DAY)
            .execute(&mut *tx)
            .await
            .unwrap();
        let ids: Vec<i64> = sqlx::query("SELECT id FROM account WHERE community_id = $1 AND verified_at IS NOT NULL ORDER BY id LIMIT $2")
            .bind(community)
            .bind(voters)
            .fetch_all(&mut *tx)
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get("id").unwrap())
            .collect();
        let mut lines = Vec::with_capacity(ids.len());
        for (k, id) in ids.iter().enumerate() {
            let token = app::accounts::session::create(&mut tx, *id, now).await.unwrap();
            lines.push(format!("{token}\tid={proposal}&choice={}", ["for", "against", "abstain"][k % 3]));
        }
        tx.commit().await.unwrap();
        let files = self.storm_files("votes", &lines, bases.len());
        let run = wrk(self, bases, "/api/cast_vote", &[], Some(&files)).await;
        settle().await;
        let rows = one(db, &format!("SELECT COUNT(*) FROM vote WHERE proposal_id = {proposal}")).await;
        let tally = one(db, &format!("SELECT votes_for + votes_against + votes_abstain FROM proposal_tally WHERE proposal_id = {proposal}")).await;
        let expected = (run.requests - run.errors()).min(ids.len() as u64) as i64;
        // wrk counts only answers it read: requests in flight when it stops (at most one per
        // connection) are committed uncounted.
        let ok = (expected..=expected + CONNECTIONS as i64).contains(&rows) && tally == rows && run.errors() == 0;
        WriteRow {
            name: "vote storm",
            check: format!("{} — {rows} vote rows for {expected} accepted votes by distinct residents, tally {tally}", if ok { "✓" } else { "✗" }),
            run,
        }
    }

    /// Volunteers sign up for twenty future activities of 50 slots each (each request a
    /// distinct volunteer and activity); after, no activity holds more than its slots and the
    /// rest wait in line.
    async fn signup_storm(&self, db: &Db, bases: &[String], community: i64) -> WriteRow {
        let now = app::clock::Clock::system().now_ms();
        let (activities, slots) = (20, 50);
        let mut tx = db.begin_write().await.unwrap();
        let team: (i64, i64) = sqlx::query("SELECT id, leader_id FROM team WHERE community_id = $1 ORDER BY id LIMIT 1")
            .bind(community)
            .fetch_one(&mut *tx)
            .await
            .map(|r| (r.try_get("id").unwrap(), r.try_get("leader_id").unwrap()))
            .unwrap();
        let mut ids = Vec::new();
        // Far enough ahead (and a day apart) that no volunteer's sign-ups overlap anything,
        // including the activities of earlier runs on this (reused) database.
        let last_end = one(db, "SELECT COALESCE(MAX(ends_at), 0) FROM activity").await;
        let first_day = (now / DAY + 400).max(last_end / DAY + 2) * DAY;
        for k in 0..activities {
            let starts = first_day + k * DAY + HOUR;
            let id: i64 = sqlx::query(
                "INSERT INTO activity (title, description, team_id, community_id, place, starts_at, ends_at, slots, checkin_code,
                                       organiser_id, created_at)
                 VALUES ('基准测试：报名', '报名风暴', $1, $2, '社区活动室', $3, $4, $5, '000000', $6, $7) RETURNING id",
            )
            .bind(team.0)
            .bind(community)
            .bind(starts)
            .bind(starts + 2 * HOUR)
            .bind(slots)
            .bind(team.1)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .unwrap()
            .try_get("id")
            .unwrap();
            ids.push(id);
        }
        let volunteers: Vec<i64> = sqlx::query(
            "SELECT v.account_id FROM volunteer v JOIN account a ON a.id = v.account_id
              WHERE a.community_id = $1 AND a.verified_at IS NOT NULL ORDER BY v.account_id LIMIT 5000",
        )
        .bind(community)
        .fetch_all(&mut *tx)
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("account_id").unwrap())
        .collect();
        let mut tokens = Vec::new();
        for v in &volunteers {
            tokens.push(app::accounts::session::create(&mut tx, *v, now).await.unwrap());
        }
        tx.commit().await.unwrap();
        // Every (volunteer, activity) pair once: activity by activity.
        let lines: Vec<String> = ids.iter().flat_map(|a| tokens.iter().map(move |t| format!("{t}\tid={a}"))).collect();
        let files = self.storm_files("signups", &lines, bases.len());
        let run = wrk(self, bases, "/api/sign_up", &[], Some(&files)).await;
        settle().await;
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let signups = one(db, &format!("SELECT COUNT(*) FROM signup WHERE activity_id IN ({list})")).await;
        let over = one(db, &format!("SELECT COUNT(*) FROM activity WHERE id IN ({list}) AND confirmed_count > slots")).await;
        let wrong = one(
            db,
            &format!(
                "SELECT COUNT(*) FROM activity a WHERE a.id IN ({list}) AND a.confirmed_count <>
                   (SELECT COUNT(*) FROM signup s WHERE s.activity_id = a.id AND s.status = 'confirmed')"
            ),
        )
        .await;
        let confirmed = one(db, &format!("SELECT CAST(COALESCE(SUM(confirmed_count), 0) AS BIGINT) FROM activity WHERE id IN ({list})")).await;
        let expected = (run.requests - run.errors()).min(lines.len() as u64) as i64;
        let ok = over == 0 && wrong == 0 && (expected..=expected + CONNECTIONS as i64).contains(&signups) && run.errors() == 0;
        WriteRow {
            name: "sign-up storm",
            check: format!(
                "{} — {signups} sign-ups for {expected} accepted; {confirmed} confirmed in {activities} activities of {slots} slots, the rest waitlisted; none over its slots",
                if ok { "✓" } else { "✗" }
            ),
            run,
        }
    }

    fn report(&self, results: &[Results]) -> String {
        let mut s = String::new();
        let cpu = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let model = cpu.lines().find_map(|l| l.strip_prefix("model name")).map(|m| m.trim_start_matches([' ', '\t', ':']).to_string()).unwrap_or_default();
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
        let mem = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let mem_gb = mem.lines().find_map(|l| l.strip_prefix("MemTotal:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok()).unwrap_or(0.0) / 1_048_576.0;
        let git = |args: &[&str]| Command::new("git").args(args).output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default();
        // The code measured is the working tree: say so when it is not the commit's.
        let changed = !git(&["status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/RESULTS.md"]).is_empty();
        let commit = format!("{}{}", git(&["rev-parse", "--short", "HEAD"]), if changed { " with uncommitted changes" } else { "" });
        let date = Command::new("date").arg("-u").arg("+%Y-%m-%d %H:%M UTC").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default();
        let _ = writeln!(s, "# Linli at city scale — benchmark results\n");
        let _ = writeln!(s, "Written by `bash bench/city.sh` (`server/benches/city.rs`); do not edit by hand.\n");
        let _ = writeln!(s, "- **Machine**: {model}, {cores} cores, {mem_gb:.0} GiB; load generator and server share it");
        let _ = writeln!(s, "- **Date**: {date}; commit `{commit}`");
        let _ = writeln!(
            s,
            "- **Data**: `linli seed-scale --preset {}` — 42 communities, 288 grids, 3,000 buildings, 450,000 residents, 50,000 proposals, 2,000,000 votes, 500,000 comments, 127,000 appeals, 20,000 activities, 200,000 orders",
            self.preset
        );
        let _ = writeln!(
            s,
            "- **Load**: `wrk -t{THREADS} -c{CONNECTIONS} -d{}s`, `Accept-Encoding: br, gzip` as browsers send (pages answer in gzip, level 4); each page, then its ceiling (the same bytes from memory through the same middleware: `/__ceiling`, bench builds only)",
            self.seconds
        );
        let _ = writeln!(
            s,
            "- **Rendering**: the main columns are of servers that render every request (`LINLI_PAGE_CACHE_MS=0`); the last column is the production default, where an anonymous page is rendered at most once a second and served from memory in between (logged-in pages are always rendered)"
        );
        let _ = writeln!(s, "- **Targets**: every read page p99 < 50 ms and ≥ 30% of its ceiling; ≥ 1,000 votes/s on SQLite with no errors; peak RSS < 200 MB\n");
        for r in results {
            let _ = writeln!(s, "## {}\n", match r.config.as_str() {
                "sqlite" => "SQLite",
                "postgres" => "PostgreSQL",
                _ => "PostgreSQL, two server instances",
            });
            if let Some(d) = r.seeded {
                let _ = writeln!(s, "Loaded the preset in {:.1} min.\n", d.as_secs_f64() / 60.0);
            }
            let _ = writeln!(s, "| page | req/s | p50 ms | p99 ms | ceiling req/s | ratio | errors | bytes | microcached req/s, p99 ms |");
            let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            for p in &r.pages {
                let ratio = p.page.rps() / p.ceiling.rps().max(1e-9) * 100.0;
                let ok = p.page.p99_us < 50_000 && ratio >= 30.0 && p.page.errors() == 0;
                let _ = writeln!(
                    s,
                    "| {} {} | {:.0} | {:.1} | {:.1} | {:.0} | {ratio:.0}% | {} | {} | {} |",
                    if ok { "✓" } else { "✗" },
                    p.name,
                    p.page.rps(),
                    p.page.p50_us as f64 / 1000.0,
                    p.page.p99_us as f64 / 1000.0,
                    p.ceiling.rps(),
                    p.page.errors_text(),
                    p.bytes,
                    p.cached.as_ref().map(|c| format!("{:.0}, {:.1}", c.rps(), c.p99_us as f64 / 1000.0)).unwrap_or_else(|| "—".into())
                );
            }
            let _ = writeln!(s, "\n| write | req/s | p99 ms | requests | errors | check |");
            let _ = writeln!(s, "|---|---:|---:|---:|---:|---|");
            for w in &r.writes {
                let _ = writeln!(s, "| {} | {:.0} | {:.1} | {} | {} | {} |", w.name, w.run.rps(), w.run.p99_us as f64 / 1000.0, w.run.requests, w.run.errors_text(), w.check);
            }
            let rss: Vec<String> = r.peak_rss_kb.iter().map(|k| format!("{:.0} MB", *k as f64 / 1024.0)).collect();
            let _ = writeln!(s, "\nPeak server memory (VmHWM) after the whole run: {}.", rss.join(" and "));
            for n in &r.notes {
                let _ = writeln!(s, "- {n}");
            }
            let _ = writeln!(s);
        }
        let sizes = Command::new("bash").arg(self.root.join("bench/wasm-size.sh")).current_dir(&self.root).output();
        if let Ok(out) = sizes {
            let _ = writeln!(s, "## First load: the release WASM, JS and CSS\n\n```\n{}```", String::from_utf8_lossy(&out.stdout));
        }
        s
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
