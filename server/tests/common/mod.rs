//! Black-box test harness: the real router on a fresh database, served on a random local port.
#![allow(dead_code)]
use app::{clock::Clock, db::Db, state::AppState};
use linli_server::{router, Config};
use std::sync::atomic::{AtomicUsize, Ordering};

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
                use sqlx::Connection;
                let admin = format!("{}/postgres", pg_admin_url());
                let mut conn = sqlx::PgConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL must be reachable at {admin}: {e}"));
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
                    use sqlx::Connection;
                    if let Ok(mut conn) =
                        sqlx::PgConnection::connect(&format!("{}/postgres", pg_admin_url())).await
                    {
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
}

impl TestApp {
    pub async fn spawn(engine: Engine) -> TestApp {
        linli_server::telemetry::init();
        let test_db = TestDb::new(engine).await;
        let db = Db::connect(&test_db.url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let config = Config {
            database_url: test_db.url.clone(),
            addr,
            site_root: "target/site".into(),
            secure_cookies: false,
        };
        let clock = Clock::manual(1_800_000_000_000);
        let state = AppState { clock: clock.clone(), ..AppState::new(db.clone()) };
        let app = router(state, config.leptos_options());
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
        TestApp { addr: format!("http://{addr}"), db, client, test_db, clock }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.addr, path)
    }

    /// GET a page and return (status, body).
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
        let mut req = self.client.get(self.url(path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.text().await.unwrap())
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
#[macro_export]
macro_rules! both_engines {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                ($body)(common::Engine::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                ($body)(common::Engine::Postgres).await
            }
        }
    };
}
