//! Anti-abuse (issue 9), with the limits production has, on SQLite and on PostgreSQL:
//! registration per address, comments and appeals per account (and address), Open311 POST per
//! key and address. Each refusal is a 429 with `Retry-After`, says why in the user's language,
//! changes nothing, and the limit opens again when its window has passed.
use crate::common;
use common::{id, login, verified_residents, TestApp};
use sqlx::Row;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;

/// Asserts a refusal by the rate limit; returns its Retry-After in seconds.
fn throttled(a: &common::Answer, what: &str) -> i64 {
    assert_eq!(a.status, 429, "{what}: {}", a.body);
    assert!(a.body.contains("Throttled"), "{what}: {}", a.body);
    a.headers["retry-after"].to_str().unwrap().parse().unwrap()
}

both_engines!(comments_and_appeals_are_limited_per_account, |engine| async move {
    let app = TestApp::spawn_with_real_limits(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let limits = app::ratelimit::Limits::default();
    let here = id(&app, "SELECT id FROM community WHERE name = '观音井社区'").await;
    let proposal = id(&app, &format!("SELECT MIN(id) FROM proposal WHERE community_id = {here} AND locked_at IS NULL")).await.to_string();
    let residents = verified_residents(&app, here, 13_450_000_000, 2).await;
    let comments = || async { id(&app, "SELECT COUNT(*) FROM comment").await };
    let before = comments().await;
    for k in 0..limits.comment_per_account.max {
        let a = app.call("post_comment", &[("proposal_id", &proposal), ("body", &format!("第{k}条"))], Some(&residents[0])).await;
        assert_eq!(a.status, 200, "{}", a.body);
    }
    let a = app.call("post_comment", &[("proposal_id", &proposal), ("body", "刷屏")], Some(&residents[0])).await;
    let wait = throttled(&a, "the seventh comment in a minute");
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(comments().await, before + limits.comment_per_account.max);
    // Another resident is not held back by the first one's limit.
    assert_eq!(app.call("post_comment", &[("proposal_id", &proposal), ("body", "我也说两句")], Some(&residents[1])).await.status, 200);
    // A minute later the first may comment again.
    app.clock.advance_ms(MINUTE);
    assert_eq!(app.call("post_comment", &[("proposal_id", &proposal), ("body", "一分钟后")], Some(&residents[0])).await.status, 200);

    let building = id(&app, &format!("SELECT MIN(b.id) FROM building b JOIN grid g ON g.id = b.grid_id WHERE g.community_id = {here}")).await.to_string();
    let file = |n: i64| {
        let (app, building, session) = (&app, building.clone(), residents[1].clone());
        async move {
            let description = format!("楼道灯坏了第{n}次，晚上看不见路");
            app.call("file_appeal", &[("building_id", &building), ("category", "repair"), ("urgency", "normal"), ("description", &description)], Some(&session)).await
        }
    };
    let appeals = id(&app, "SELECT COUNT(*) FROM appeal").await;
    for n in 0..limits.appeal_per_account.max {
        assert_eq!(file(n).await.status, 200);
    }
    let wait = throttled(&file(99).await, "an eleventh appeal in an hour");
    assert!(wait <= 3600);
    assert_eq!(id(&app, "SELECT COUNT(*) FROM appeal").await, appeals + limits.appeal_per_account.max);
    app.clock.advance_ms(HOUR);
    assert_eq!(file(100).await.status, 200);

    // Without JavaScript the refusal comes back to the form's page, in the reader's language.
    for (lang, words) in [("zh-CN", "尝试次数过多"), ("en", "Too many attempts")] {
        for k in 0..=limits.comment_per_account.max {
            let resp = app
                .client
                .post(app.url("/api/post_comment"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "text/html")
                .header("origin", &app.addr)
                .header("referer", app.url(&format!("/hall/p/{proposal}")))
                .header("cookie", format!("linli_session={}", residents[0]))
                .body(format!("proposal_id={proposal}&body=%E7%AC%AC{k}"))
                .send()
                .await
                .unwrap();
            if k < limits.comment_per_account.max {
                continue;
            }
            assert!(resp.status().is_redirection(), "{}", resp.status());
            let location = resp.headers()["location"].to_str().unwrap().to_string();
            let path = location.trim_start_matches(&app.addr);
            let (_, page) = app.get(path, &[("accept-language", lang), ("cookie", &format!("linli_session={}", residents[0]))]).await;
            assert!(page.contains(words), "{lang}: {path}");
        }
        app.clock.advance_ms(MINUTE);
    }
});

both_engines!(registration_is_limited_per_address, |engine| async move {
    let app = TestApp::spawn_with_real_limits(engine).await;
    let limit = app::ratelimit::Limits::default().register_per_address;
    let register = |n: i64| {
        let app = &app;
        async move {
            let phone = (13_460_000_000 + n).to_string();
            let form = [("phone", phone.as_str()), ("display_name", "新居民"), ("password", "注册测试口令 2026"), ("password_confirm", "注册测试口令 2026"), ("consent", "on")];
            app.call("register", &form, None).await
        }
    };
    for n in 0..limit.max {
        assert_eq!(register(n).await.status, 200);
    }
    let wait = throttled(&register(99).await, "registration over the limit");
    assert!(wait <= 3600);
    assert_eq!(id(&app, "SELECT COUNT(*) FROM account").await, limit.max);
    app.clock.advance_ms(HOUR);
    assert_eq!(register(100).await.status, 200);
});

both_engines!(open311_posts_are_limited_per_address, |engine| async move {
    let app = TestApp::spawn_with_real_limits(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let admin = login(&app, "13900000001").await;
    let key = app.call("issue_api_key", &[("name", "限流测试应用")], Some(&admin)).await;
    let key: String = serde_json::from_str(&key.body).unwrap();
    let building = id(&app, "SELECT MIN(id) FROM building").await;
    let post = |n: i64| {
        let (app, key) = (&app, key.clone());
        async move {
            app.client
                .post(app.url("/open311/v2/requests.json"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("api_key={key}&service_code=noise&address_id={building}&description=%E5%99%AA%E9%9F%B3{n}%E6%89%B0%E6%B0%91%E4%B8%A5%E9%87%8D"))
                .send()
                .await
                .unwrap()
        }
    };
    let limit = app::ratelimit::Limits::default().open311_per_address;
    for n in 0..limit.max {
        assert_eq!(post(n).await.status(), 200);
    }
    let resp = post(999).await;
    assert_eq!(resp.status(), 429);
    assert!(resp.headers()["retry-after"].to_str().unwrap().parse::<i64>().unwrap() <= 60);
    let body: serde_json::Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(body[0]["code"], 429);
    let open311 = sqlx::query("SELECT COUNT(*) FROM appeal WHERE source = 'open311'").fetch_one(app.db.read()).await.unwrap().try_get::<i64, _>(0).unwrap();
    assert_eq!(open311, limit.max);
});
