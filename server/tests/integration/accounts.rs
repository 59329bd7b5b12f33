//! Accounts: register, log in, log out, change password, throttling, CSRF and headers —
//! on SQLite and on PostgreSQL.
use crate::common;
use common::TestApp;
use sqlx::Row;

const PASSWORD: &str = "老巷管家 每周三";

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(app.db.read()).await.unwrap().try_get(0).unwrap()
}

both_engines!(register_login_logout, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let s1 = app.register("138 0013 8000", "王阿姨", PASSWORD).await;
    assert_eq!(app.whoami(&s1).await.as_deref(), Some("王阿姨"));

    // The same phone cannot register twice; nothing changes.
    let again = app
        .call("register", &[("phone", "13800138000"), ("display_name", "x"), ("password", PASSWORD), ("password_confirm", PASSWORD), ("consent", "on")], None)
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM account").await, 1);

    // A second device logs in: a new, different session.
    let login = app.call("login", &[("phone", "13800138000"), ("password", PASSWORD)], None).await;
    assert!(login.status < 400, "{}", login.body);
    let s2 = login.session.unwrap();
    assert_ne!(s1, s2);
    assert_eq!(app.whoami(&s2).await.as_deref(), Some("王阿姨"));

    // Logout ends every session of the account.
    let out = app.call("logout", &[], Some(&s2)).await;
    assert!(out.status < 400, "{}", out.body);
    assert_eq!(app.whoami(&s1).await, None);
    assert_eq!(app.whoami(&s2).await, None);
    assert_eq!(app.call("logout", &[], Some(&s2)).await.status, 401);
});

both_engines!(registration_refuses_bad_input_and_changes_nothing, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let cases: [(&str, &str, &str, &str, Option<&str>, &str); 6] = [
        ("12345", "王阿姨", PASSWORD, PASSWORD, Some("on"), "Phone"),
        ("13800138000", "", PASSWORD, PASSWORD, Some("on"), "DisplayName"),
        ("13800138000", "王阿姨", "short", "short", Some("on"), "PasswordTooShort"),
        ("13800138000", "王阿姨", "password123", "password123", Some("on"), "PasswordCommon"),
        ("13800138000", "王阿姨", PASSWORD, "other one!", Some("on"), "PasswordMismatch"),
        ("13800138000", "王阿姨", PASSWORD, PASSWORD, None, "ConsentMissing"),
    ];
    for (phone, name, pw, confirm, consent, expected) in cases {
        let mut form = vec![("phone", phone), ("display_name", name), ("password", pw), ("password_confirm", confirm)];
        if let Some(c) = consent {
            form.push(("consent", c));
        }
        let a = app.call("register", &form, None).await;
        assert_eq!(a.status, 400, "{expected}: {}", a.body);
        assert!(a.body.contains(&format!("\"{}\"", to_snake(expected))), "{expected}: {}", a.body);
        assert!(a.session.is_none());
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM account").await, 0);
});

fn to_snake(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

both_engines!(password_change_ends_other_sessions, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let s1 = app.register("13800138001", "李大爷", PASSWORD).await;
    let s2 = app.call("login", &[("phone", "13800138001"), ("password", PASSWORD)], None).await.session.unwrap();

    let wrong = app
        .call("change_password", &[("current_password", "not it at all"), ("new_password", "银发红盾 守望相助"), ("password_confirm", "银发红盾 守望相助")], Some(&s1))
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(app.whoami(&s2).await.as_deref(), Some("李大爷"), "a refused change ends nothing");

    let ok = app
        .call("change_password", &[("current_password", PASSWORD), ("new_password", "银发红盾 守望相助"), ("password_confirm", "银发红盾 守望相助")], Some(&s1))
        .await;
    assert!(ok.status < 400, "{} {}", ok.status, ok.body);
    assert_eq!(app.whoami(&s1).await.as_deref(), Some("李大爷"), "this session stays");
    assert_eq!(app.whoami(&s2).await, None, "other sessions end");

    let old = app.call("login", &[("phone", "13800138001"), ("password", PASSWORD)], None).await;
    assert_eq!(old.status, 401);
    let new = app.call("login", &[("phone", "13800138001"), ("password", "银发红盾 守望相助")], None).await;
    assert!(new.status < 400);
});

both_engines!(sessions_time_out, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let s = app.register("13800138002", "周阿姨", PASSWORD).await;
    // Active use keeps the session alive past the idle timeout…
    for _ in 0..3 {
        app.clock.advance_ms(90 * 60 * 1000);
        assert!(app.whoami(&s).await.is_some());
    }
    // …an idle gap does not.
    app.clock.advance_ms(2 * 3600 * 1000 + 1);
    assert_eq!(app.whoami(&s).await, None);

    // The absolute timeout ends even an active session after 7 days.
    let s = app.call("login", &[("phone", "13800138002"), ("password", PASSWORD)], None).await.session.unwrap();
    for _ in 0..(7 * 24 + 1) {
        app.clock.advance_ms(3600 * 1000);
        if app.whoami(&s).await.is_none() {
            return;
        }
    }
    panic!("session outlived the absolute timeout");
});

both_engines!(failed_logins_are_throttled, |engine| async move {
    let app = TestApp::spawn(engine).await;
    app.register("13800138003", "吴叔叔", PASSWORD).await;
    for _ in 0..5 {
        let a = app.call("login", &[("phone", "13800138003"), ("password", "wrong password")], None).await;
        assert_eq!(a.status, 401, "{} {:?}", a.body, a.headers);
    }
    // Locked: even the right password is refused, with a clear delay.
    let a = app.call("login", &[("phone", "13800138003"), ("password", PASSWORD)], None).await;
    assert_eq!(a.status, 429, "{}", a.body);
    assert_eq!(a.headers["retry-after"], "30");
    assert!(a.session.is_none());

    // After the delay the right password works, and the account starts afresh.
    app.clock.advance_ms(30_000);
    let a = app.call("login", &[("phone", "13800138003"), ("password", PASSWORD)], None).await;
    assert!(a.status < 400, "{}", a.body);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM login_throttle WHERE key = 'account:13800138003'").await, 0);

    // The delay grows with further failures.
    for _ in 0..5 {
        app.call("login", &[("phone", "13800138003"), ("password", "wrong password")], None).await;
    }
    app.clock.advance_ms(30_000);
    app.call("login", &[("phone", "13800138003"), ("password", "wrong password")], None).await;
    let a = app.call("login", &[("phone", "13800138003"), ("password", PASSWORD)], None).await;
    assert_eq!(a.status, 429);
    assert_eq!(a.headers["retry-after"], "60");
});

both_engines!(twenty_parallel_wrong_passwords_check_only_five, |engine| async move {
    let app = std::sync::Arc::new(TestApp::spawn(engine).await);
    app.register("13800138004", "郑阿姨", PASSWORD).await;
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                app.call("login", &[("phone", "13800138004"), ("password", "wrong password")], None).await.status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    statuses.sort();
    assert_eq!(statuses.iter().filter(|&&s| s == 401).count(), 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|&&s| s == 429).count(), 15, "{statuses:?}");
    let a = app.call("login", &[("phone", "13800138004"), ("password", PASSWORD)], None).await;
    assert_eq!(a.status, 429);
});

both_engines!(cross_origin_posts_are_refused, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let form = "phone=13800138005&display_name=x&password=a+long+password&password_confirm=a+long+password&consent=on";
    for (name, value) in [("origin", "http://evil.example"), ("sec-fetch-site", "cross-site"), ("origin", "null")] {
        let resp = app
            .client
            .post(app.url("/api/register"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header(name, value)
            .body(form)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 403, "{name}: {value}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM account").await, 0);
});

both_engines!(security_headers_and_cookie_flags, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let resp = app.client.get(app.url("/")).send().await.unwrap();
    let h = resp.headers().clone();
    let body = resp.text().await.unwrap();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["cache-control"], "no-store");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"));
    // The nonce in the header is the one on the page's inline script.
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(body.contains(&format!("<script type=\"module\" nonce=\"{nonce}\">")), "{body}");

    let a = app
        .call("register", &[("phone", "13800138006"), ("display_name", "x"), ("password", PASSWORD), ("password_confirm", PASSWORD), ("consent", "on")], None)
        .await;
    let cookie = a.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    assert_eq!(
        app::accounts::session::set_cookie(true, Some("t")),
        "__Host-linli_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=604800; Secure"
    );
});

both_engines!(login_redirects_only_to_local_paths, |engine| async move {
    let app = TestApp::spawn(engine).await;
    app.register("13800138007", "孙阿姨", PASSWORD).await;
    let resp = app
        .client
        .post(app.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("origin", &app.addr)
        .body(format!("phone=13800138007&password={}&next=%2F%2Fevil.example", common::enc(PASSWORD)))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_redirection());
    assert_eq!(resp.headers()["location"], "/account");
});

both_engines!(demo_accounts_log_in_with_their_roles, |engine| async move {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let a = app
        .call("login", &[("phone", "13900000002"), ("password", linli_server::seed::DEMO_PASSWORD)], None)
        .await;
    let s = a.session.expect("staff logs in");
    let me = app.call("current_user", &[], Some(&s)).await;
    assert!(me.body.contains("\"community_staff\""), "{}", me.body);
    assert_eq!(count(&app, "SELECT COUNT(DISTINCT role) FROM role_grant").await, 9);
});

both_engines!(internal_errors_show_only_the_request_id, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let s = app.register("13800138008", "冯阿姨", PASSWORD).await;
    app.db.close().await;
    let a = app.call("current_user", &[], Some(&s)).await;
    assert_eq!(a.status, 500);
    let id = a.headers["x-request-id"].to_str().unwrap();
    assert_eq!(a.body, format!(r#"{{"Internal":{{"request_id":"{id}"}}}}"#));
});
