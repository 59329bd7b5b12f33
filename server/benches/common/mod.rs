//! What the benchmarks share: a throwaway database per engine, and timing a page.
#![allow(dead_code)]
use std::future::Future;
use std::time::{Duration, Instant};

/// A fresh database for `engine`; the guard removes it.
pub async fn database(engine: &str) -> (String, Guard) {
    let name = format!("linli_bench_{}", std::process::id());
    match engine {
        "sqlite" => {
            let dir = std::env::temp_dir().join(&name);
            std::fs::create_dir_all(&dir).unwrap();
            (format!("sqlite://{}/bench.db", dir.display()), Guard::Dir(dir))
        }
        "postgres" => {
            use sqlx::Connection;
            let admin = std::env::var("LINLI_BENCH_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
            let mut conn = sqlx::PgConnection::connect(&format!("{admin}/postgres")).await.expect("PostgreSQL");
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&mut conn).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
            (format!("{admin}/{name}"), Guard::Pg(admin, name))
        }
        other => panic!("unknown engine {other}"),
    }
}

pub enum Guard {
    Dir(std::path::PathBuf),
    Pg(String, String),
}

impl Drop for Guard {
    fn drop(&mut self) {
        match self {
            Guard::Dir(d) => {
                let _ = std::fs::remove_dir_all(d);
            }
            Guard::Pg(admin, name) => {
                let (admin, name) = (admin.clone(), name.clone());
                let _ = std::thread::spawn(move || {
                    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async move {
                        use sqlx::Connection;
                        if let Ok(mut c) = sqlx::PgConnection::connect(&format!("{admin}/postgres")).await {
                            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut c).await;
                        }
                    });
                })
                .join();
            }
        }
    }
}


/// Requests `path` `n` times after ten uncounted warm-up requests (with `cookie` if given) and
/// prints a table row: p50, p99 and max latency, and the response size.
pub async fn measure(client: &reqwest::Client, base: &str, engine: &str, name: &str, path: &str, cookie: Option<&str>, n: usize) {
    let mut times = Vec::with_capacity(n);
    let mut bytes = 0;
    for i in 0..n + 10 {
        let t = Instant::now();
        let mut req = client.get(format!("{base}{path}"));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        bytes = resp.bytes().await.unwrap().len();
        if i >= 10 {
            times.push(t.elapsed());
        }
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |q: f64| ms(times[((times.len() as f64 * q) as usize).min(times.len() - 1)]);
    println!("| {engine} | {name} | {:.1} | {:.1} | {:.1} | {bytes} |", p(0.50), p(0.99), ms(*times.last().unwrap()));
}

/// How many times each page is requested (`LINLI_BENCH_REQUESTS`, default 300).
pub fn requests() -> usize {
    std::env::var("LINLI_BENCH_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(300)
}

/// Runs `run` once per engine in `LINLI_BENCH_ENGINES` (default both) under the table's header.
pub fn each_engine<F: Future<Output = ()>>(run: impl Fn(&'static str) -> F) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_stack_size(8 << 20).enable_all().build().unwrap();
    let engines = std::env::var("LINLI_BENCH_ENGINES").unwrap_or_else(|_| "sqlite,postgres".into());
    println!("| engine | page | p50 ms | p99 ms | max ms | bytes |");
    println!("|---|---|---:|---:|---:|---:|");
    for engine in engines.split(',') {
        let engine: &'static str = match engine.trim() {
            "sqlite" => "sqlite",
            "postgres" => "postgres",
            other => panic!("unknown engine {other}"),
        };
        rt.block_on(run(engine));
    }
}

/// Serves the real router on `db` on a local port; returns its base URL.
pub async fn serve(db: &app::db::Db, url: &str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let config = linli_server::Config { database_url: url.to_string(), addr, site_root: "target/site".into(), secure_cookies: false, limits: Default::default(), page_cache_ms: 0 };
    let app = linli_server::router(app::state::AppState::new(db.clone()), config.leptos_options());
    tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap();
    });
    format!("http://{addr}")
}
