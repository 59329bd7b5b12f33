//! The attacks real civic platforms suffered (published advisories against Decidim and
//! Discourse), one named test each, on SQLite and on PostgreSQL.
use crate::common;
use common::endpoints::{form, learn, post, FORM};
use common::{id, in_parallel, login, snapshot, verified_residents, TestApp};
use serde_json::Value;

/// The demo district and 观音井's id.
async fn district(engine: common::Engine) -> (TestApp, i64) {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    // Votes the demo left open close at the test clock's first read: close them now, so no
    // read below changes anything of itself.
    app::hall::store::close_due(&app.db, app.clock.now_ms()).await.unwrap();
    let here = id(&app, "SELECT id FROM community WHERE name = '观音井社区'").await;
    (app, here)
}

async fn proposal(app: &TestApp, session: &str, here: i64, title: &str) -> i64 {
    let a = app.call("create_proposal", &[("community_id", &here.to_string()), ("category", "safety"), ("title", title), ("body", "正文内容")], Some(session)).await;
    assert!(a.status < 400, "{}", a.body);
    id(app, "SELECT MAX(id) FROM proposal").await
}

// Decidim CVE-2023-47634: endorsements raced in parallel were counted more than once.
both_engines!(cve_2023_47634_parallel_endorsements_count_once, |engine| async move {
    let (app, here) = district(engine).await;
    let residents = verified_residents(&app, here, 13_470_000_000, 30).await;
    let p = proposal(&app, &residents[0], here, "并行附议测试议题").await;
    // Thirty residents at once, and one of them ten times at once.
    let mut calls: Vec<(String, String)> = residents.iter().map(|s| (s.clone(), format!("id={p}"))).collect();
    calls.extend((0..10).map(|_| (residents[1].clone(), format!("id={p}"))));
    let statuses = in_parallel(&app, "support_proposal", calls).await;
    assert!(statuses.iter().all(|s| *s < 500), "{statuses:?}");
    assert_eq!(id(&app, &format!("SELECT COUNT(*) FROM support WHERE proposal_id = {p}")).await, 30);
    assert_eq!(id(&app, &format!("SELECT support_count FROM proposal WHERE id = {p}")).await, 30);
    // The threshold (10) was crossed once: one move to the agenda.
    assert_eq!(id(&app, &format!("SELECT COUNT(*) FROM proposal_event WHERE proposal_id = {p} AND to_state = 'agenda'")).await, 1);
});

/// What anyone may read or do without logging in (answering 2xx to an anonymous caller).
const PUBLIC: &[&str] = &[
    "list_streets", "list_buildings", "hall_index", "hall_community", "list_proposals", "get_proposal", "get_proposal_with_thread",
    "list_comments", "moderation_log", "list_meetings", "unread_count", "list_wishes", "menu_home", "get_menu_item",
    "community_appeals", "appeal_rates", "get_appeal", "list_departments", "urgency_rules", "market_home", "get_team",
    "get_activity", "get_org", "charity_board", "social_workers", "get_certificate", "current_user", "set_language",
    "set_elder_mode", "register", "login",
];

/// What only a district admin may do.
const ADMIN: &[&str] = &[
    "create_street", "create_community", "update_community", "create_grid", "create_estate", "create_building",
    "community_places", "rename_place", "list_audit", "find_account_roles", "grant_role", "revoke_role", "scope_options",
    "set_urgency_limit", "list_api_keys", "issue_api_key", "revoke_api_key", "take_new_api_key",
];

// Discourse CVE-2026-40869: server functions without a check of who calls them.
both_engines!(cve_2026_40869_every_function_checks_its_caller, |engine| async move {
    let (app, _) = district(engine).await;
    let resident = login(&app, "13900000009").await;
    let before = snapshot(&app).await;
    let mut failures = Vec::new();
    for path in common::endpoints::all() {
        let name = path.trim_start_matches("/api/");
        let fields = learn(&app, &path, &mut failures).await;
        // Plausible values: ids of the demo's first rows, a word for the rest.
        let values: Vec<(String, String)> = fields.iter().map(|(f, typed)| (f.clone(), if *typed { "1".into() } else { "13900000009".into() })).collect();
        let (status, body) = post(&app, &path, FORM, form(&values), None).await;
        if (200..300).contains(&status) && !PUBLIC.contains(&name) {
            failures.push(format!("{name} answered an anonymous caller {status}: {}", &body[..body.len().min(120)]));
        }
        if ADMIN.contains(&name) {
            let (status, _) = post(&app, &path, FORM, form(&values), Some(&resident)).await;
            if !matches!(status, 401 | 403) {
                failures.push(format!("{name}, an admin function, answered a resident {status}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(snapshot(&app).await, before, "anonymous and resident calls changed data");
});

// Decidim CVE-2023-36465: parts of the admin area were open to ordinary users.
both_engines!(cve_2023_36465_admin_pages_are_closed_to_users, |engine| async move {
    let (app, _) = district(engine).await;
    let resident = login(&app, "13900000009").await;
    let admin = login(&app, "13900000001").await;
    let cookie = |s: &str| format!("linli_session={s}");
    for (page, admin_only) in [
        ("/admin/roles", "action=\"/admin/roles\""),
        ("/admin/places", "data-testid=\"places\""),
        ("/admin/audit", "action=\"/admin/audit\""),
        ("/admin/appeals", "data-testid=\"issue-key\""),
    ] {
        let (_, as_admin) = app.get(page, &[("cookie", &cookie(&admin)), ("accept-language", "zh-CN")]).await;
        assert!(as_admin.contains(admin_only), "{page} shows admins its tools ({admin_only})");
        let (status, html) = app.get(page, &[("cookie", &cookie(&resident)), ("accept-language", "zh-CN")]).await;
        assert_eq!(status, 200, "{page}");
        assert!(!html.contains(admin_only), "{page} shows a resident admin tools");
        assert!(html.contains("您没有权限进行此操作"), "{page} says the resident may not");
        let (_, anonymous) = app.get(page, &[("accept-language", "zh-CN")]).await;
        assert!(!anonymous.contains(admin_only) && anonymous.contains("请先登录"), "{page} anonymous");
    }
});

// Decidim CVE-2026-40870: a listing API returned other people's objects.
both_engines!(cve_2026_40870_listing_apis_show_only_the_callers_own, |engine| async move {
    let (app, here) = district(engine).await;
    let residents = verified_residents(&app, here, 13_480_000_000, 2).await;
    let (a, b) = (&residents[0], &residents[1]);
    let item = id(&app, &format!("SELECT MIN(id) FROM menu_item WHERE community_id = {here} AND min_age IS NULL AND withdrawn_at IS NULL")).await;
    let when = app::time::format_input(app.clock.now_ms() + 86_400_000);
    let order = app.call("order_service", &[("item_id", &item.to_string()), ("preferred_at", &when), ("note", "甲的私人备注")], Some(a)).await;
    let order: i64 = order.body.parse().unwrap_or_else(|_| panic!("{}", order.body));
    let building = id(&app, &format!("SELECT MIN(b.id) FROM building b JOIN grid g ON g.id = b.grid_id WHERE g.community_id = {here}")).await.to_string();
    let filed = app.call("file_appeal", &[("building_id", &building), ("category", "noise"), ("urgency", "normal"), ("description", "甲反映：楼上夜里装修噪音")], Some(a)).await;
    let appeal: i64 = filed.body.parse().unwrap();
    for (endpoint, form) in [("my_orders", vec![]), ("my_appeals", vec![]), ("provider_queue", vec![]), ("my_notifications", vec![])] {
        let seen = app.call(endpoint, &form, Some(b)).await;
        assert!(seen.status < 400, "{endpoint}: {}", seen.body);
        assert!(!seen.body.contains("甲的私人备注") && !seen.body.contains(&format!("\"id\":{order},")), "{endpoint} lists A's order to B");
        assert!(!seen.body.contains(&format!("\"id\":{appeal},")) || endpoint != "my_appeals", "{endpoint} lists A's appeal to B");
    }
    assert_eq!(app.call("get_order", &[("id", &order.to_string())], Some(b)).await.status, 403);
    let public: Value = serde_json::from_str(&app.call("get_appeal", &[("id", &appeal.to_string())], Some(b)).await.body).unwrap();
    assert!(public["reporter"].is_null() && public["building"].is_null(), "B sees the public view only: {public}");
    // Walking the ids finds nothing of anyone's.
    for other in (order - 3)..(order + 3) {
        let a = app.call("get_order", &[("id", &other.to_string())], Some(b)).await;
        assert!(matches!(a.status, 403 | 404), "get_order {other}: {}", a.status);
    }
});

// Decidim CVE-2023-34090: filtering a list on private fields revealed their values.
both_engines!(cve_2023_34090_filters_on_private_fields_find_nothing, |engine| async move {
    let (app, here) = district(engine).await;
    let author = verified_residents(&app, here, 13_490_000_000, 1).await.pop().unwrap();
    let p = proposal(&app, &author, here, "私密字段过滤测试").await;
    let list = |q: &'static str| {
        let app = &app;
        async move { app.call("list_proposals", &[("community_id", &here.to_string()), ("q", q)], None).await.body }
    };
    assert!(list("私密字段").await.contains(&format!("\"id\":{p},")), "the title is searchable");
    for private in ["13490000000", "1349000", "居民测试口令", "居民0"] {
        assert!(!list(private).await.contains(&format!("\"id\":{p},")), "a search for {private} found the proposal");
    }
    // Open311 ignores filters on private fields: the same answer, with no private field in it.
    let get = |path: &'static str| {
        let app = &app;
        async move { app.client.get(app.url(path)).send().await.unwrap().text().await.unwrap() }
    };
    let all = get("/open311/v2/requests.json").await;
    for path in [
        "/open311/v2/requests.json?phone=13900000009",
        "/open311/v2/requests.json?reporter_id=9",
        "/open311/v2/requests.json?contact_phone=139",
        "/open311/v2/requests.json?first_name=%E9%99%88",
    ] {
        assert_eq!(get(path).await, all, "{path}");
    }
    for field in ["\"phone\"", "\"reporter", "\"contact", "\"first_name\"", "\"email\"", "1390000000"] {
        assert!(!all.contains(field), "Open311 leaks {field}");
    }
});

// Discourse CVE-2026-23891: a display name stored markup that pages then ran.
both_engines!(cve_2026_23891_a_display_name_is_text_not_markup, |engine| async move {
    let (app, here) = district(engine).await;
    let evil = "<script>x()</script>";
    let s = app.register("13700000077", evil, "名字注入测试口令 2026").await;
    let account = id(&app, "SELECT id FROM account WHERE phone = '13700000077'").await;
    let building = id(&app, &format!("SELECT MIN(b.id) FROM building b JOIN grid g ON g.id = b.grid_id WHERE g.community_id = {here}")).await;
    {
        let mut tx = app.db.begin_write().await.unwrap();
        sqlx::query("UPDATE account SET community_id = $1, building_id = $2, verified_at = $3 WHERE id = $4")
            .bind(here).bind(building).bind(app.clock.now_ms()).bind(account)
            .execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
    }
    let p = proposal(&app, &s, here, "显示名称转义测试").await;
    app.call("post_comment", &[("proposal_id", &p.to_string()), ("body", "我也来说一句")], Some(&s)).await;
    for page in [format!("/hall/p/{p}"), format!("/hall/c/{here}"), "/account".to_string()] {
        let (_, html) = app.get(&page, &[("cookie", &format!("linli_session={s}"))]).await;
        assert!(html.contains("&lt;script&gt;x()&lt;/script&gt;"), "{page} shows the name as text");
        assert!(!html.contains(evil), "{page} has the name as markup");
    }
});

// Decidim CVE-2023-32693: a crafted redirect after login sent people off-site.
both_engines!(cve_2023_32693_login_redirects_only_within_the_site, |engine| async move {
    let app = TestApp::spawn(engine).await;
    app.register("13700000078", "重定向测试", "重定向测试口令 2026").await;
    for (next, expected) in [
        ("/hall?x=1", "/hall?x=1"),
        ("//evil.example", "/account"),
        ("https://evil.example/", "/account"),
        ("/\\evil.example", "/account"),
        ("/%5Cevil.example", "/%5Cevil.example"),
        ("javascript:alert(1)", "/account"),
        ("\t//evil.example", "/account"),
        (" /\t/evil.example", "/account"),
    ] {
        let resp = app
            .client
            .post(app.url("/api/login"))
            .header("content-type", FORM)
            .header("accept", "text/html")
            .header("origin", &app.addr)
            .body(format!("phone=13700000078&password={}&next={}", common::enc("重定向测试口令 2026"), common::enc(next)))
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_redirection(), "{next}: {}", resp.status());
        assert_eq!(resp.headers()["location"], expected, "{next}");
    }
});

// Decidim CVE-2023-47635: a request from another site acted as the logged-in user.
both_engines!(cve_2023_47635_cross_site_requests_are_refused, |engine| async move {
    let (app, here) = district(engine).await;
    let s = verified_residents(&app, here, 13_491_000_000, 1).await.pop().unwrap();
    let p = proposal(&app, &s, here, "跨站请求测试议题").await;
    let before = snapshot(&app).await;
    for (header, value) in [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site"), ("origin", "null"), ("sec-fetch-site", "same-site")] {
        let resp = app
            .client
            .post(app.url("/api/support_proposal"))
            .header("content-type", FORM)
            .header("cookie", format!("linli_session={s}"))
            .header(header, value)
            .body(format!("id={p}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 403, "{header}: {value}");
    }
    assert_eq!(snapshot(&app).await, before);
    // From our own pages it works.
    assert_eq!(app.call("support_proposal", &[("id", &p.to_string())], Some(&s)).await.status, 200);
});

// Decidim CVE-2026-45377: a data-export link could be replayed by someone else.
both_engines!(cve_2026_45377_exports_are_for_the_logged_in_owner_and_expire, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let a = app.register("13700000079", "导出甲", "导出测试口令 2026").await;
    let b = app.register("13700000080", "导出乙", "导出测试口令 2026").await;
    let export = |cookie: Option<&str>, query: &str| {
        let mut req = app.client.get(app.url(&format!("/account/export{query}")));
        if let Some(c) = cookie {
            req = req.header("cookie", format!("linli_session={c}"));
        }
        req.send()
    };
    let mine = export(Some(&a), "").await.unwrap();
    assert_eq!(mine.status(), 200);
    assert_eq!(mine.headers()["cache-control"], "no-store");
    let text = mine.text().await.unwrap();
    assert!(text.contains("13700000079") && !text.contains("13700000080"), "A's export has A's data only");
    // No link carries the right to it: a token in the URL is nothing.
    assert_eq!(export(None, &format!("?token={a}")).await.unwrap().status(), 401);
    assert_eq!(export(None, &format!("?session={a}")).await.unwrap().status(), 401);
    let theirs = export(Some(&b), &format!("?account=13700000079&token={a}")).await.unwrap().text().await.unwrap();
    assert!(!theirs.contains("13700000079"), "B gets B's data whatever the URL says");
    // It expires with the session: two idle hours, or a logout.
    app.clock.advance_ms(2 * 3_600_000 + 60_000);
    assert_eq!(export(Some(&a), "").await.unwrap().status(), 401);
    app.call("logout", &[], Some(&b)).await;
    assert_eq!(export(Some(&b), "").await.unwrap().status(), 401);
});

// Discourse CVE-2026-27021 (compare): who voted how leaked to staff. Only the tally leaves the
// server, and a resident's own choice to them alone.
both_engines!(vote_secrecy_no_endpoint_reveals_who_voted_how, |engine| async move {
    let (app, here) = district(engine).await;
    let voters = verified_residents(&app, here, 13_492_000_000, 3).await;
    let p = proposal(&app, &voters[2], here, "投票保密测试议题").await;
    let now = app.clock.now_ms();
    {
        let mut tx = app.db.begin_write().await.unwrap();
        sqlx::query("UPDATE proposal SET state = 'voting', voting_opens_at = $1, voting_closes_at = $2 WHERE id = $3")
            .bind(now).bind(now + 86_400_000).bind(p)
            .execute(&mut *tx).await.unwrap();
        sqlx::query("INSERT INTO proposal_tally (proposal_id, open_until) VALUES ($1, $2)")
            .bind(p).bind(now + 86_400_000)
            .execute(&mut *tx).await.unwrap();
        sqlx::query("UPDATE account SET display_name = '秘密投票人甲' WHERE phone = '13492000000'").execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(app.call("cast_vote", &[("id", &p.to_string()), ("choice", "against")], Some(&voters[0])).await.status, 200);
    assert_eq!(app.call("cast_vote", &[("id", &p.to_string()), ("choice", "for")], Some(&voters[1])).await.status, 200);
    let voter_a = id(&app, "SELECT id FROM account WHERE phone = '13492000000'").await;
    let staff = login(&app, "13900000002").await;
    let admin = login(&app, "13900000001").await;
    for (who, session) in [("staff", &staff), ("admin", &admin), ("another voter", &voters[1])] {
        for (endpoint, form) in [
            ("get_proposal", vec![("id", p.to_string())]),
            ("get_proposal_with_thread", vec![("id", p.to_string())]),
            ("list_proposals", vec![("community_id", here.to_string())]),
            ("list_audit", vec![]),
            ("moderation_log", vec![("community_id", here.to_string())]),
            ("my_notifications", vec![]),
            ("list_comments", vec![("proposal_id", p.to_string())]),
        ] {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let a = app.call(endpoint, &form, Some(session)).await;
            assert!(!a.body.contains("秘密投票人甲"), "{endpoint} names the voter to {who}");
            assert!(!a.body.contains(&format!("\"account_id\":{voter_a}")), "{endpoint} gives {who} the voter's id");
        }
        let (_, html) = app.get(&format!("/hall/p/{p}"), &[("cookie", &format!("linli_session={session}"))]).await;
        assert!(!html.contains("秘密投票人甲"), "the page names the voter to {who}");
    }
    // The tally is public; each voter sees their own choice, nobody else's.
    let as_b: Value = serde_json::from_str(&app.call("get_proposal", &[("id", &p.to_string())], Some(&voters[1])).await.body).unwrap();
    assert_eq!(as_b["my_vote"], "for");
    let as_staff: Value = serde_json::from_str(&app.call("get_proposal", &[("id", &p.to_string())], Some(&staff)).await.body).unwrap();
    assert!(as_staff["my_vote"].is_null());
    let as_a: Value = serde_json::from_str(&app.call("get_proposal", &[("id", &p.to_string())], Some(&voters[0])).await.body).unwrap();
    assert_eq!(as_a["my_vote"], "against");
    // B's export carries B's vote only.
    let b_export = app.client.get(app.url("/account/export")).header("cookie", format!("linli_session={}", voters[1])).send().await.unwrap().text().await.unwrap();
    assert!(!b_export.contains("against"), "B's export: {b_export}");
});
