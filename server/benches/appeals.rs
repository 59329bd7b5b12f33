//! Appeals benchmark (`cargo bench -p linli --bench appeals`, or `bash bench/appeals.sh`):
//! ten years of appeals at the study's rate (12,672 a year: about 127,000) on top of the demo
//! district, then the request latency of the district's rates page, a community's work queue
//! (as its staff), the community's public list and an Open311 `requests.json` page, on SQLite
//! and PostgreSQL (`LINLI_BENCH_ENGINES`, `LINLI_BENCH_APPEALS`, `LINLI_BENCH_REQUESTS`).
mod common;

use app::db::Db;
use common::database;
use sqlx::Row;
use std::time::Instant;

const YEAR_MS: i64 = 365 * 86_400_000;

fn main() {
    common::each_engine(run);
}

async fn run(engine: &str) {
    let (url, _guard) = database(engine).await;
    let db = Db::connect(&url).await.expect("connect");
    db.migrate().await.expect("migrate");
    linli_server::seed::demo(&db).await.expect("demo data");
    let count: i64 = std::env::var("LINLI_BENCH_APPEALS").ok().and_then(|v| v.parse().ok()).unwrap_or(127_000);
    let now = app::clock::Clock::system().now_ms();
    let started = Instant::now();
    linli_server::seed_appeals::history(&db, count, now - 10 * YEAR_MS, now, 42).await.expect("appeals");
    db.analyze().await.unwrap();
    let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM appeal").fetch_one(db.read()).await.unwrap().try_get("n").unwrap();
    eprintln!("[{engine}] {total} appeals in {:.1} s", started.elapsed().as_secs_f64());

    let base = common::serve(&db, &url).await;
    let client = reqwest::Client::new();
    // 张书记, staff of 观音井, for the work queue.
    let login = client
        .post(format!("{base}/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("phone=13900000002&password={}", linli_server::seed::DEMO_PASSWORD))
        .send()
        .await
        .unwrap();
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("linli_session="))
        .map(|c| c.split(';').next().unwrap().to_string())
        .expect("a session");
    let community: i64 = sqlx::query("SELECT id FROM community WHERE name = '观音井社区'").fetch_one(db.read()).await.unwrap().try_get("id").unwrap();
    let queued: i64 = sqlx::query("SELECT COUNT(*) AS n FROM appeal WHERE community_id = $1 AND state IN ('submitted', 'classified', 'replied', 'verified')")
        .bind(community)
        .fetch_one(db.read())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    eprintln!("[{engine}] 观音井: {queued} appeals waiting for its staff");
    let n = common::requests();
    let district = format!("/appeals/rates?from={}&to={}", app::appeals::month_of(now - 10 * YEAR_MS), app::appeals::month_of(now));
    common::measure(&client, &base, engine, "rates, district, 10 years", &district, None, n).await;
    common::measure(&client, &base, engine, "rates, district, 12 months", "/appeals/rates", None, n).await;
    common::measure(&client, &base, engine, "work queue, 观音井 staff", "/appeals/queue", Some(&cookie), n).await;
    common::measure(&client, &base, engine, "community list, 观音井", &format!("/appeals/c/{community}"), None, n).await;
    common::measure(&client, &base, engine, "open311 requests.json (90 days)", "/open311/v2/requests.json", None, n).await;
    db.close().await;
}
