//! The foundation: pages in both languages, the health check, migrations, concurrent writes
//! and the demo data — on SQLite and on PostgreSQL.
use crate::common;
use common::{id, Engine, TestApp};
use sqlx::Row;

both_engines!(home_page_in_both_languages, |engine| async move {
    let app = TestApp::spawn(engine).await;

    // First visit: Accept-Language picks the language; Chinese is the default.
    let (status, zh) = app.get("/", &[("accept-language", "zh-CN,zh;q=0.9")]).await;
    assert_eq!(status, 200);
    assert!(zh.contains("欢迎来到邻里"), "{zh}");
    assert!(zh.contains(r#"lang="zh""#));
    let (_, default) = app.get("/", &[]).await;
    assert!(default.contains("欢迎来到邻里"));

    let (_, en) = app.get("/", &[("accept-language", "en-US,en;q=0.8")]).await;
    assert!(en.contains("Welcome to Linli"), "{en}");
    assert!(en.contains(r#"lang="en""#));

    // A chosen language (cookie) wins over the header.
    let (_, chosen) = app
        .get("/", &[("accept-language", "zh-CN"), ("cookie", "i18n_pref_locale=en")])
        .await;
    assert!(chosen.contains("Welcome to Linli"));
});

both_engines!(healthz_follows_the_database, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let (status, body) = app.get("/healthz", &[]).await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    app.db.close().await;
    let (status, _) = app.get("/healthz", &[]).await;
    assert_eq!(status, 503);
});

// The read connections are lent without sqlx's pings (app/src/db/readers.rs): a query cut off
// half-way or failing must not leave its connection answering the next borrower with the
// rest of the old answer, or not at all, and a connection the server closed is replaced.
// One connection, so every step reuses it.
both_engines!(read_connections_recover_from_cut_off_queries, |engine| async move {
    use app::db::{Engine as DbEngine, Readers};
    use futures_util::StreamExt;
    use std::{future::Future, task::Poll};
    let test_db = common::TestDb::new(engine).await;
    let db = app::db::Db::connect(&test_db.url).await.unwrap();
    db.migrate().await.unwrap();
    let url = match engine {
        Engine::Sqlite => format!("{}?mode=rw", test_db.url),
        Engine::Postgres => test_db.url.clone(),
    };
    let readers = Readers::new(&url, DbEngine::from_url(&url).unwrap(), 1).unwrap();
    let answer = || async {
        sqlx::query_scalar::<_, i64>("SELECT CAST(42 AS BIGINT)").fetch_one(&readers).await.unwrap()
    };
    const MANY: &str = "WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
                        SELECT i FROM n";
    assert_eq!(answer().await, 42);

    // A stream of rows dropped after three of them.
    let mut rows = sqlx::query_scalar::<_, i64>(MANY).fetch(&readers);
    for expected in 1..=3 {
        assert_eq!(rows.next().await.unwrap().unwrap(), expected);
    }
    drop(rows);
    assert_eq!(answer().await, 42, "after a stream cut off");

    // A query future polled once, then dropped (as when a client goes away mid-render).
    let mut cut = Box::pin(sqlx::query_scalar::<_, i64>(MANY).fetch_all(&readers));
    let pending = std::future::poll_fn(|cx| Poll::Ready(cut.as_mut().poll(cx).is_pending())).await;
    assert!(pending, "one poll does not finish the query");
    drop(cut);
    assert_eq!(answer().await, 42, "after a future cut off");

    // A failing query, then a good one.
    let failed = sqlx::query("SELECT * FROM no_such_table").fetch_all(&readers).await;
    assert!(failed.is_err());
    assert_eq!(answer().await, 42, "after an error");

    // The server ends the connection under a query: the next borrower gets a new one.
    if engine == Engine::Postgres {
        let killed = sqlx::query("SELECT pg_terminate_backend(pg_backend_pid())").execute(&readers).await;
        assert!(killed.is_err(), "{killed:?}");
        assert_eq!(answer().await, 42, "after the server closed the connection");
        // Every read connection, the replacement too, plans each statement once (readers.rs).
        let mode = sqlx::query_scalar::<_, String>("SHOW plan_cache_mode").fetch_one(&readers).await.unwrap();
        assert_eq!(mode, "force_generic_plan");
    }

    // Many borrowers at once share the one connection, each with its own answer.
    let tasks: Vec<_> = (0..20i64)
        .map(|i| {
            let readers = readers.clone();
            tokio::spawn(async move {
                sqlx::query_scalar::<_, i64>("SELECT CAST($1 AS BIGINT)").bind(i).fetch_one(&readers).await.unwrap()
            })
        })
        .collect();
    for (i, task) in tasks.into_iter().enumerate() {
        assert_eq!(task.await.unwrap(), i as i64);
    }
    readers.close();
    db.close().await;
});

both_engines!(unknown_path_is_a_404_page, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let (status, body) = app.get("/no/such/page", &[]).await;
    assert_eq!(status, 404);
    assert!(body.contains("页面不存在"), "{body}");
});

both_engines!(missing_objects_are_404_pages, |engine| async move {
    let app = TestApp::spawn(engine).await;
    // A page whose object does not exist says so in the reader's language, with status 404;
    // the page of an object that exists answers 200.
    for path in [
        "/hall/p/999999",
        "/hall/c/999999",
        "/market/orgs/999999",
        "/market/teams/999999",
        "/market/activities/999999",
        "/menu/items/999999",
    ] {
        let (status, body) = app.get(path, &[("accept-language", "zh-CN")]).await;
        assert_eq!(status, 404, "{path}");
        assert!(body.contains("您要找的内容不存在或已被移除。") && body.contains("返回首页"), "{path}: {body}");
        let (status, body) = app.get(path, &[("cookie", "i18n_pref_locale=en")]).await;
        assert_eq!(status, 404, "{path}");
        assert!(body.contains("What you are looking for does not exist or has been removed.") && body.contains("Back to home"), "{path}: {body}");
    }
    linli_server::seed::demo(&app.db).await.unwrap();
    for (table, page) in [("community", "/hall/c"), ("proposal", "/hall/p"), ("organization WHERE status = 'verified'", "/market/orgs")] {
        let id: i64 = sqlx::query_scalar(&format!("SELECT MIN(id) FROM {table}")).fetch_one(app.db.read()).await.unwrap();
        assert_eq!(app.get(&format!("{page}/{id}"), &[]).await.0, 200, "{page}/{id}");
    }
});

both_engines!(migrations_are_idempotent, |engine| async move {
    let app = TestApp::spawn(engine).await;
    // The server migrates at every start: starting again on the same database changes nothing.
    for _ in 0..2 {
        let db = app::db::Db::connect(&app.test_db.url).await.unwrap();
        db.migrate().await.expect("second migration run");
        db.close().await;
    }
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM _sqlx_migrations")
        .fetch_one(app.db.read())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    let expected = std::fs::read_dir(format!(
        "{}/../migrations/{}",
        env!("CARGO_MANIFEST_DIR"),
        if engine == Engine::Sqlite { "sqlite" } else { "postgres" }
    ))
    .unwrap()
    .count() as i64;
    assert_eq!(n, expected);
});

both_engines!(fifty_concurrent_write_transactions_all_succeed, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let district: i64 = sqlx::query("INSERT INTO district (name, name_en) VALUES ('测试区', 'Test') RETURNING id")
        .fetch_one(app.db.read())
        .await
        .unwrap()
        .try_get("id")
        .unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let db = app.db.clone();
            tokio::spawn(async move {
                // Read-then-write inside one transaction: the pattern that makes SQLite's
                // deferred transactions fail with "database is locked" when they race.
                let mut tx = db.begin_write().await?;
                let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM street WHERE district_id = $1")
                    .bind(district)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("n")?;
                sqlx::query("INSERT INTO street (district_id, name, name_en) VALUES ($1, $2, $3)")
                    .bind(district)
                    .bind(format!("街道{i}"))
                    .bind(format!("street {i} after {n}"))
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok::<_, sqlx::Error>(())
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().expect("write transaction");
    }
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM street WHERE district_id = $1")
        .bind(district)
        .fetch_one(app.db.read())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert_eq!(n, 50);
});

both_engines!(demo_data_loads_once_and_shows_on_home, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let first = linli_server::seed::demo(&app.db).await.unwrap();
    assert!(first.loaded);
    assert_eq!(first.streets, 6);
    let again = linli_server::seed::demo(&app.db).await.unwrap();
    assert!(!again.loaded, "seed-demo must not load twice");

    // All five community types are present.
    let kinds: i64 = sqlx::query("SELECT COUNT(DISTINCT kind) AS n FROM community")
        .fetch_one(app.db.read())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert_eq!(kinds, 5);

    let (_, zh) = app.get("/", &[]).await;
    assert!(zh.contains("观音井社区") && zh.contains("回风亭社区") && zh.contains("中坝社区"));
    assert!(zh.contains("老旧院落型"));
    let (_, en) = app.get("/", &[("cookie", "i18n_pref_locale=en")]).await;
    assert!(en.contains("Guanyinjing") && en.contains("Old courtyards"));
});

both_engines!(preferences_work_as_plain_forms, |engine| async move {
    let app = TestApp::spawn(engine).await;
    // A form post without JavaScript: the server sets the cookie and sends the browser back.
    let resp = app
        .client
        .post(app.url("/api/set_elder_mode"))
        .header("accept", "text/html")
        .header("referer", app.url("/hall"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("on=true")
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_redirection(), "{}", resp.status());
    let location = resp.headers()["location"].to_str().unwrap();
    assert!(location.starts_with(&app.url("/hall")), "{location}");
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("linli_elder=1;") && cookie.contains("Path=/"), "{cookie}");

    let (_, page) = app.get("/hall", &[("cookie", "linli_elder=1")]).await;
    assert!(page.contains(r#"class="elder""#), "elder class on <html>");

    let resp = app
        .client
        .post(app.url("/api/set_language"))
        .header("accept", "text/html")
        .header("referer", app.url("/"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("lang=en")
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_redirection());
    let cookie = resp.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("i18n_pref_locale=en;"), "{cookie}");
});

both_engines!(static_bundle_is_compressed_and_cached, |engine| async move {
    let app = TestApp::spawn(engine).await;
    // A file under pkg/ (the hashed bundle's folder) gets a year-long immutable cache.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site/pkg");
    std::fs::create_dir_all(&dir).unwrap();
    // Both engines' tests run at once in one process, so the name carries the engine too.
    let name = format!("probe-{}-{engine:?}.js", std::process::id());
    std::fs::write(dir.join(&name), "console.log('linli');".repeat(200)).unwrap();
    let site_root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site");
    // The test app serves target/site relative to the working directory (the crate dir under
    // cargo test), so point a second app at the absolute path.
    let mut options = app.leptos_options.clone();
    options.site_root = site_root.display().to_string().into();
    let router = linli_server::router(app::state::AppState::new(app.db.clone()), options);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    // A client that leaves the body compressed, to see the encoding.
    let raw = reqwest::Client::builder().no_gzip().no_brotli().build().unwrap();
    let resp = raw
        .get(format!("http://{addr}/pkg/{name}"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(resp.headers()["content-encoding"], "br");
    assert_eq!(resp.headers()["vary"], "accept-encoding");
    // A release build leaves brotli and gzip copies beside each file (`--precompress`): the
    // brotli one is sent as it is, not compressed again; the gzip one, larger than our own
    // gzip at level 4 (router.rs), is not used. (The copies' bytes are markers: the server
    // sends a copy without reading it, which is the point.)
    std::fs::write(dir.join(format!("{name}.br")), b"precompressed brotli").unwrap();
    std::fs::write(dir.join(format!("{name}.gz")), b"precompressed gzip").unwrap();
    for (accept, encoding, copy) in [("br, gzip", "br", true), ("gzip", "gzip", false)] {
        let resp = raw.get(format!("http://{addr}/pkg/{name}")).header("accept-encoding", accept).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{accept}");
        assert_eq!(resp.headers()["content-encoding"], encoding, "{accept}");
        assert_eq!(resp.headers()["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(resp.headers()["vary"], "accept-encoding", "{accept}");
        let body = resp.bytes().await.unwrap();
        assert_eq!(body == "precompressed brotli", copy, "{accept}");
        assert_ne!(body, "precompressed gzip", "{accept}");
    }
    // What the browser without brotli got is the file, compressed on the fly.
    let gzip = reqwest::Client::builder().no_brotli().build().unwrap();
    let text = gzip.get(format!("http://{addr}/pkg/{name}")).send().await.unwrap().text().await.unwrap();
    assert_eq!(text, "console.log('linli');".repeat(200));
    for suffix in ["", ".br", ".gz"] {
        std::fs::remove_file(dir.join(format!("{name}{suffix}"))).unwrap();
    }
    // Pages, server-function answers and the 404 page go out in gzip even to a browser that
    // takes brotli (as small at our pages' sizes, and cheaper: router.rs).
    linli_server::seed::demo(&app.db).await.unwrap();
    for (path, post, status) in [("/", false, 200), ("/api/list_streets", true, 200), ("/no-such-page", false, 404)] {
        let req = if post { raw.post(format!("http://{addr}{path}")).header("content-type", "application/x-www-form-urlencoded") } else { raw.get(format!("http://{addr}{path}")) };
        let resp = req.header("accept-encoding", "br, gzip").header("origin", format!("http://{addr}")).send().await.unwrap();
        assert_eq!(resp.status(), status, "{path}");
        assert_eq!(resp.headers().get("content-encoding").map(|v| v.to_str().unwrap()), Some("gzip"), "{path}");
    }
});

// Building a router lists the app's routes by running the app under a process-wide flag that
// leaves any resource first polled meanwhile, in any render, waiting forever
// (leptos-rs/leptos#4773). The list is made once per process, so building routers while
// another app serves pages leaves none of them waiting.
both_engines!(pages_answer_while_other_routers_are_built, |engine| async move {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let proposal = id(&app, "SELECT MIN(id) FROM proposal").await;
    let building = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let builder = tokio::task::spawn_blocking({
        let (building, db) = (building.clone(), app.db.clone());
        let options = app.leptos_options.clone();
        move || {
            let mut built = 0;
            while building.load(std::sync::atomic::Ordering::SeqCst) {
                drop(linli_server::router(app::state::AppState::new(db.clone()), options.clone()));
                built += 1;
            }
            built
        }
    });
    let mut hung = 0;
    for _ in 0..10 {
        let pages: Vec<_> = (0..20)
            .map(|_| {
                let (client, url) = (app.client.clone(), app.url(&format!("/hall/p/{proposal}")));
                tokio::spawn(async move {
                    let page = async { client.get(url).send().await.unwrap().status().as_u16() };
                    tokio::time::timeout(std::time::Duration::from_secs(5), page).await.ok()
                })
            })
            .collect();
        for page in pages {
            match page.await.unwrap() {
                Some(status) => assert_eq!(status, 200),
                None => hung += 1,
            }
        }
    }
    building.store(false, std::sync::atomic::Ordering::SeqCst);
    let built = builder.await.unwrap();
    assert!(built > 0, "routers were built meanwhile");
    assert_eq!(hung, 0, "pages left waiting while {built} routers were built");
});
