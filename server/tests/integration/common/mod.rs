//! Black-box test harness: the real router on a fresh database, served on a random local port.
#![allow(dead_code)]
use app::{clock::Clock, db::Db, state::AppState};
use linli_server::{router, Config};
use std::sync::atomic::{AtomicUsize, Ordering};

pub mod endpoints;
pub mod process;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Where throwaway PostgreSQL databases are created (`LINLI_TEST_PG`, default: the local
/// server with trust auth that the project's machines run).
fn pg_admin_url() -> String {
    std::env::var("LINLI_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A connection to the server's `postgres` database, to create and drop test databases. Its
/// statements are not logged: dropping a database takes a second or two, over sqlx's
/// slow-statement threshold, and a warning for every test's drop buried the real ones.
async fn pg_admin() -> Result<sqlx::PgConnection, sqlx::Error> {
    use sqlx::{ConnectOptions, postgres::PgConnectOptions};
    let options: PgConnectOptions = format!("{}/postgres", pg_admin_url()).parse()?;
    options.disable_statement_logging().connect().await
}

/// A fresh, empty database that is removed when dropped.
pub struct TestDb {
    pub url: String,
    engine: Engine,
    name: String,
    _dir: Option<tempdir::Dir>,
}

mod tempdir {
    /// A temporary directory removed on drop (no extra crate needed for this).
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "linli_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        nanos
    )
}

impl TestDb {
    pub async fn new(engine: Engine) -> TestDb {
        let name = unique_name();
        match engine {
            Engine::Sqlite => {
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir).unwrap();
                let url = format!("sqlite://{}/linli.db", dir.display());
                TestDb { url, engine, name, _dir: Some(tempdir::Dir(dir)) }
            }
            Engine::Postgres => {
                let mut conn = pg_admin()
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL must be reachable at {}: {e}", pg_admin_url()));
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
                let url = format!("{}/{name}", pg_admin_url());
                TestDb { url, engine, name, _dir: None }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if self.engine == Engine::Postgres {
            let name = self.name.clone();
            // Drop may run inside or outside a runtime: use a thread with its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async move {
                    if let Ok(mut conn) = pg_admin().await {
                        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut conn)
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// The app running on a local port.
pub struct TestApp {
    pub addr: String,
    pub db: Db,
    pub client: reqwest::Client,
    pub test_db: TestDb,
    /// The app's clock, standing still until a test advances it.
    pub clock: Clock,
    /// The options its router was built with (for tests that build another).
    pub leptos_options: leptos::config::LeptosOptions,
}

impl TestApp {
    pub async fn spawn(engine: Engine) -> TestApp {
        TestApp::spawn_on(TestDb::new(engine).await).await
    }

    /// The app on `test_db` as it is (migrated first, like `linli serve`).
    pub async fn spawn_on(test_db: TestDb) -> TestApp {
        TestApp::spawn_on_with(test_db, app::ratelimit::Limits::relaxed()).await
    }

    /// The app with the rate limits production has (for the tests of those limits).
    pub async fn spawn_with_real_limits(engine: Engine) -> TestApp {
        TestApp::spawn_on_with(TestDb::new(engine).await, app::ratelimit::Limits::default()).await
    }

    async fn spawn_on_with(test_db: TestDb, limits: app::ratelimit::Limits) -> TestApp {
        linli_server::telemetry::init();
        let db = Db::connect(&test_db.url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let config = Config {
            database_url: test_db.url.clone(),
            addr,
            site_root: "target/site".into(),
            secure_cookies: false,
            limits,
            page_cache_ms: 0,
        };
        let clock = Clock::manual(1_800_000_000_000);
        // Most tests make many accounts and posts from one address on a clock that stands
        // still, so they run with relaxed limits; the rate-limit tests use the real ones.
        let state = AppState { clock: clock.clone(), limits, ..AppState::new(db.clone()) };
        let leptos_options = config.leptos_options();
        let app = router(state, leptos_options.clone());
        tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
                .await
                .unwrap();
        });
        // Accepts gzip and brotli as browsers do (and decompresses), so tests see what
        // compression does to answers.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestApp { addr: format!("http://{addr}"), db, client, test_db, clock, leptos_options }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.addr, path)
    }

    /// GET a page and return (status, body). A page that has not answered in 30 s fails the
    /// test rather than hanging the suite.
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
        let fetch = async {
            let mut req = self.client.get(self.url(path));
            for (k, v) in headers {
                req = req.header(*k, *v);
            }
            let resp = req.send().await.unwrap();
            let status = resp.status().as_u16();
            (status, resp.text().await.unwrap())
        };
        let limit = std::time::Duration::from_secs(30);
        tokio::time::timeout(limit, fetch).await.unwrap_or_else(|_| panic!("GET {path} did not answer in {limit:?}"))
    }
}

/// A server function's answer.
pub struct Answer {
    pub status: u16,
    pub body: String,
    /// The session token set by this answer, if any.
    pub session: Option<String>,
    pub headers: reqwest::header::HeaderMap,
}

impl TestApp {
    /// Calls a server function the way the hydrated app does (form-encoded, from our origin),
    /// as the holder of `session` (a token) if given.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)], session: Option<&str>) -> Answer {
        let mut req = self
            .client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", &self.addr)
            .body(serde_urlencoded(form));
        if let Some(token) = session {
            req = req.header("cookie", format!("linli_session={token}"));
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let session = headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix("linli_session="))
            .map(|c| c.split(';').next().unwrap_or("").to_string());
        Answer { status, body: resp.text().await.unwrap(), session, headers }
    }

    /// Registers an account and returns its session token.
    pub async fn register(&self, phone: &str, name: &str, password: &str) -> String {
        let a = self
            .call(
                "register",
                &[("phone", phone), ("display_name", name), ("password", password), ("password_confirm", password), ("consent", "on")],
                None,
            )
            .await;
        assert!(a.status < 400, "register {phone}: {} {}", a.status, a.body);
        a.session.expect("a session cookie after registering")
    }

    /// The display name of the session's user, or None when logged out.
    pub async fn whoami(&self, session: &str) -> Option<String> {
        let a = self.call("current_user", &[], Some(session)).await;
        assert_eq!(a.status, 200, "{}", a.body);
        let v: serde_json::Value = serde_json::from_str(&a.body).unwrap();
        v.get("display_name").and_then(|n| n.as_str()).map(str::to_string)
    }
}

/// Minimal form encoding (the values in tests are plain).
fn serde_urlencoded(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a form value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Runs an async test body once per engine: `both_engines!(name, |engine| async move { … })`.
/// The runtime's threads get 16 MiB stacks: server-side rendering of a deep page in a debug
/// build needs more than tokio's default 2 MiB (release builds need far less).
#[macro_export]
macro_rules! both_engines {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[test]
            fn sqlite() {
                common::runtime().block_on(($body)(common::Engine::Sqlite))
            }
            #[test]
            fn postgres() {
                common::runtime().block_on(($body)(common::Engine::Postgres))
            }
        }
    };
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .thread_stack_size(16 << 20)
        .enable_all()
        .build()
        .unwrap()
}

/// `n` verified residents of `community_id` (phones from `first_phone` on), made directly in
/// the database with one shared password hash (argon2 200 times would take minutes in a
/// debug build), each with a session; returns their session tokens. What the tests exercise
/// (supports, votes, comments) still goes through the HTTP API.
pub async fn verified_residents(app: &TestApp, community_id: i64, first_phone: u64, n: usize) -> Vec<String> {
    use sqlx::Row;
    let hash = app::accounts::password::hash("居民测试口令 2026".to_string()).await.unwrap();
    let now = app.clock.now_ms();
    let mut tx = app.db.begin_write().await.unwrap();
    let home = sqlx::query(
        "SELECT g.id AS grid, MIN(b.id) AS building FROM grid g JOIN building b ON b.grid_id = g.id
          WHERE g.community_id = $1 GROUP BY g.id ORDER BY g.id LIMIT 1",
    )
    .bind(community_id)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let (grid, building): (i64, i64) = (home.try_get("grid").unwrap(), home.try_get("building").unwrap());
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        let phone = app::accounts::Phone::parse(&(first_phone + i as u64).to_string()).unwrap();
        let name = app::accounts::DisplayName::parse(&format!("居民{i}")).unwrap();
        let id = app::accounts::store::insert(&mut tx, &phone, &name, &hash, now).await.unwrap().unwrap();
        sqlx::query("UPDATE account SET community_id = $1, grid_id = $2, building_id = $3, verified_at = $4 WHERE id = $5")
            .bind(community_id)
            .bind(grid)
            .bind(building)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await
            .unwrap();
        tokens.push(app::accounts::session::create(&mut tx, id, now).await.unwrap());
    }
    tx.commit().await.unwrap();
    tokens
}

/// Sends all `calls` (session, form body) to `endpoint` at once; returns their statuses.
pub async fn in_parallel(app: &TestApp, endpoint: &str, calls: Vec<(String, String)>) -> Vec<u16> {
    let tasks: Vec<_> = calls
        .into_iter()
        .map(|(token, body)| {
            let (url, origin, client) = (app.url(&format!("/api/{endpoint}")), app.addr.clone(), app.client.clone());
            tokio::spawn(async move {
                client
                    .post(url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("origin", origin)
                    .header("cookie", format!("linli_session={token}"))
                    .body(body)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// A volunteer made for a test: their session, account and phone.
pub struct Volunteer {
    pub session: String,
    pub account_id: i64,
    pub phone: String,
}

/// `n` volunteers: verified residents of `community_id` (made as `verified_residents` makes
/// them, phones from `first_phone` on) who then joined the volunteers through the API, all at
/// once. In phone order.
pub async fn volunteers(app: &TestApp, community_id: i64, first_phone: u64, n: usize) -> Vec<Volunteer> {
    use sqlx::Row;
    let sessions = verified_residents(app, community_id, first_phone, n).await;
    let joined = in_parallel(app, "join_volunteers", sessions.iter().map(|s| (s.clone(), String::new())).collect()).await;
    assert!(joined.iter().all(|s| *s < 400), "join_volunteers: {joined:?}");
    let mut out = Vec::with_capacity(n);
    for (i, session) in sessions.into_iter().enumerate() {
        let phone = (first_phone + i as u64).to_string();
        let account_id: i64 = sqlx::query("SELECT id FROM account WHERE phone = $1")
            .bind(&phone)
            .fetch_one(app.db.read())
            .await
            .unwrap()
            .try_get("id")
            .unwrap();
        out.push(Volunteer { session, account_id, phone });
    }
    out
}

/// The first column of the first row of `sql`, as an id.
pub async fn id(app: &TestApp, sql: &str) -> i64 {
    use sqlx::Row;
    sqlx::query(sql).fetch_one(app.db.read()).await.unwrap().try_get(0).unwrap()
}

/// A session for demo account `phone`.
pub async fn login(app: &TestApp, phone: &str) -> String {
    let a = app.call("login", &[("phone", phone), ("password", linli_server::seed::DEMO_PASSWORD)], None).await;
    a.session.unwrap_or_else(|| panic!("login {phone}: {} {}", a.status, a.body))
}

/// Asserts the call got through; returns its answer.
pub fn ok(a: Answer, what: &str) -> serde_json::Value {
    assert!(a.status < 400, "{what}: {} {}", a.status, a.body);
    serde_json::from_str(&a.body).unwrap_or(serde_json::Value::Null)
}

/// Asserts the call was refused with `status`, for the reason `code` (as the error names it).
pub fn refused(a: Answer, status: u16, code: &str, what: &str) {
    assert_eq!(a.status, status, "{what}: {}", a.body);
    assert!(a.body.contains(&format!("\"{code}\"")), "{what}: expected {code}, got {}", a.body);
}

/// Everything a refused call must leave as it was.
pub async fn snapshot(app: &TestApp) -> String {
    use sqlx::Row;
    let mut out = String::new();
    for sql in [
        "SELECT id, COALESCE(phone, ''), display_name, COALESCE(password_hash, ''), COALESCE(community_id, 0),
                COALESCE(building_id, 0), COALESCE(verified_at, 0), COALESCE(deleted_at, 0) FROM account ORDER BY id",
        "SELECT id, account_id, role, COALESCE(scope_kind, ''), COALESCE(scope_id, 0), 0, 0, 0 FROM role_grant ORDER BY id",
        "SELECT id, COALESCE(actor_id, 0), action, object_kind, COALESCE(object_id, 0), 0, 0, 0 FROM audit_log ORDER BY id",
        // The hall: proposals with their counters and state, and what the counters summarise.
        "SELECT id, state, title, body, category, support_count, COALESCE(locked_at, 0) + comment_count, 0 FROM proposal ORDER BY id",
        "SELECT proposal_id, votes_for, votes_against, votes_abstain, COALESCE(open_until, 0), 0, 0, 0 FROM proposal_tally ORDER BY proposal_id",
        "SELECT proposal_id, account_id, 0, 0, 0, 0, 0, 0 FROM support ORDER BY proposal_id, account_id",
        "SELECT proposal_id, account_id, choice, 0, 0, 0, 0, 0 FROM vote ORDER BY proposal_id, account_id",
        "SELECT id, body, COALESCE(hidden_at, 0), report_count, COALESCE(edited_at, 0), 0, 0, 0 FROM comment ORDER BY id",
        "SELECT proposal_id, account_id, 0, 0, 0, 0, 0, 0 FROM follow ORDER BY proposal_id, account_id",
        "SELECT id, venue, minutes, 0, 0, 0, 0, 0 FROM meeting ORDER BY id",
        "SELECT meeting_id, proposal_id, decision, ballots_for, 0, 0, 0, 0 FROM meeting_item ORDER BY meeting_id, proposal_id",
        "SELECT id, proposal_id, body, 0, 0, 0, 0, 0 FROM progress_update ORDER BY id",
        "SELECT id, proposal_id, to_state, 0, 0, 0, 0, 0 FROM proposal_event ORDER BY id",
        // Appeals: state and what steps set, their timeline, photos, counters, rules and keys.
        "SELECT id, state, category, urgency, COALESCE(route, ''), COALESCE(department_id, 0), COALESCE(deadline_at, 0),
                COALESCE(closed_at, 0) FROM appeal ORDER BY id",
        "SELECT id, appeal_id, step, to_state, 0, 0, 0, 0 FROM appeal_event ORDER BY id",
        "SELECT id, appeal_id, 0, 0, 0, 0, 0, 0 FROM appeal_photo ORDER BY id",
        "SELECT month, community_id, department_id, filed, callbacks, satisfied, closed, 0 FROM appeal_stat
          ORDER BY month, community_id, department_id",
        "SELECT code, limit_minutes, 0, 0, 0, 0, 0, 0 FROM urgency_rule ORDER BY code",
        "SELECT id, name, COALESCE(revoked_at, 0), 0, 0, 0, 0, 0 FROM api_key ORDER BY id",
        // 五社联动: organizations and what they publish, volunteers and teams, activities with
        // their sign-ups and counters, the hours ledger, the directory and charity.
        "SELECT id, name, status, COALESCE(reject_reason, ''), COALESCE(decided_by, 0), service_areas, contact_phone, created_by
           FROM organization ORDER BY id",
        "SELECT id, org_id, category, title, description, 0, 0, 0 FROM offering ORDER BY id",
        "SELECT account_id, volunteer_no, total_minutes, COALESCE(cadre_unit, ''), COALESCE(cadre_community_id, 0),
                COALESCE(cadre_confirmed_by, 0), 0, 0 FROM volunteer ORDER BY account_id",
        "SELECT account_id, skill, 0, 0, 0, 0, 0, 0 FROM volunteer_skill ORDER BY account_id, skill",
        "SELECT id, name, COALESCE(org_id, 0), community_id, leader_id, member_count, total_minutes, description FROM team ORDER BY id",
        "SELECT team_id, account_id, status, COALESCE(decided_by, 0), COALESCE(decided_at, 0), 0, 0, 0 FROM team_member
          ORDER BY team_id, account_id",
        "SELECT id, title, COALESCE(team_id, 0) + COALESCE(org_id, 0), starts_at, ends_at, slots, confirmed_count,
                COALESCE(reminded_at, 0) FROM activity ORDER BY id",
        "SELECT activity_id, skill, 0, 0, 0, 0, 0, 0 FROM activity_skill ORDER BY activity_id, skill",
        "SELECT activity_id, waiting, 0, 0, 0, 0, 0, 0 FROM activity_waitlist ORDER BY activity_id",
        "SELECT id, activity_id, account_id, status, COALESCE(checked_in_at, 0), COALESCE(checked_out_at, 0),
                COALESCE(attended_minutes, 0), COALESCE(attendance_confirmed_at, 0) FROM signup ORDER BY id",
        "SELECT id, account_id, minutes, source_kind, source_id, COALESCE(team_id, 0), community_id, confirmed_by
           FROM hours_credit ORDER BY id",
        "SELECT id, number, account_id, minutes, 0, 0, 0, 0 FROM certificate ORDER BY id",
        "SELECT id, name, level, COALESCE(org_id, 0), community_id, focus, updated_by, COALESCE(removed_at, 0)
           FROM social_worker ORDER BY id",
        "SELECT id, org_id, kind, title, quantity, remaining, 0, 0 FROM charity_resource ORDER BY id",
        "SELECT id, resource_id, quantity, purpose, COALESCE(community_id, 0), COALESCE(org_id, 0), claimed_by, 0
           FROM charity_claim ORDER BY id",
        // 你点我供: items, the weekly counters, orders with their steps, wishes and supports.
        "SELECT id, title, provider_kind, weekly_capacity, rating_count, rating_sum, completed_count, COALESCE(withdrawn_at, 0)
           FROM menu_item ORDER BY id",
        "SELECT item_id, week, capacity, taken, 0, 0, 0, 0 FROM menu_week ORDER BY item_id, week",
        "SELECT id, status, resident_id, COALESCE(entered_by, 0), COALESCE(assignee_id, 0), COALESCE(rating, 0),
                COALESCE(reject_reason, ''), COALESCE(escalated_at, 0) FROM service_order ORDER BY id",
        "SELECT id, title, support_count, COALESCE(item_id, 0), 0, 0, 0, 0 FROM wish ORDER BY id",
        "SELECT wish_id, account_id, 0, 0, 0, 0, 0, 0 FROM wish_support ORDER BY wish_id, account_id",
        "SELECT id, COALESCE(birth_year, 0), 0, 0, 0, 0, 0, 0 FROM account ORDER BY id",
    ] {
        for r in sqlx::query(sql).fetch_all(app.db.read()).await.unwrap() {
            for i in 0..8 {
                let v: Result<String, _> = r.try_get(i);
                out.push_str(&v.unwrap_or_else(|_| r.try_get::<i64, _>(i).unwrap().to_string()));
                out.push('|');
            }
            out.push('\n');
        }
    }
    out
}

/// Calls `endpoint` with owned values (ids and times are built in the tests).
pub async fn call(app: &TestApp, session: Option<&str>, endpoint: &str, form: &[(&str, String)]) -> Answer {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call(endpoint, &form, session).await
}

/// The demo district with 张书记 (staff of 观音井) logged in, and 观音井's id.
pub async fn district(engine: Engine) -> (TestApp, String, i64) {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let staff = login(&app, "13900000002").await;
    let here = id(&app, "SELECT id FROM community WHERE name = '观音井社区'").await;
    (app, staff, here)
}
