//! Homes, verification, roles, export and deletion — and the authorization matrix over every
//! server function that changes data. On SQLite and on PostgreSQL.
use crate::common;
use common::{snapshot, TestApp};
use linli_server::seed::DEMO_PASSWORD;
use sqlx::Row;

const PASSWORD: &str = "老巷管家 每周三";

async fn id(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(app.db.read()).await.unwrap().try_get(0).unwrap()
}

/// Asserts a fixture was made; returns the answer's body (the new id, for most).
fn created(a: common::Answer, what: &str) -> String {
    assert!(a.status < 400, "{what}: {} {}", a.status, a.body);
    a.body
}

/// Calls `endpoint` as caller number `i` sends it: `{i}` in a value becomes `i`.
async fn call_as(app: &TestApp, endpoint: &str, form: &[(&str, &str)], i: usize, caller: Option<&str>) -> common::Answer {
    let values: Vec<String> = form.iter().map(|(_, v)| v.replace("{i}", &i.to_string())).collect();
    let form: Vec<(&str, &str)> = form.iter().zip(&values).map(|((k, _), v)| (*k, v.as_str())).collect();
    app.call(endpoint, &form, caller).await
}

async fn login(app: &TestApp, phone: &str, password: &str) -> String {
    let a = app.call("login", &[("phone", phone), ("password", password)], None).await;
    a.session.unwrap_or_else(|| panic!("login {phone}: {} {}", a.status, a.body))
}

both_engines!(resident_declares_home_and_staff_verify_it, |engine| async move {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let resident = app.register("13700000001", "新居民", PASSWORD).await;
    let building = id(&app, "SELECT MIN(b.id) FROM building b JOIN grid g ON g.id = b.grid_id JOIN community c ON c.id = g.community_id WHERE c.name = '观音井社区'").await;
    let foreign_building = id(&app, "SELECT MIN(b.id) FROM building b JOIN grid g ON g.id = b.grid_id JOIN community c ON c.id = g.community_id WHERE c.name = '回风亭社区'").await;

    assert_eq!(app.call("set_home", &[("building_id", "999999")], Some(&resident)).await.status, 400);
    let a = app.call("set_home", &[("building_id", &building.to_string())], Some(&resident)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let home = app.call("my_home", &[], Some(&resident)).await;
    assert!(home.body.contains("\"verified\":false") && home.body.contains("观音井社区"), "{}", home.body);

    let account = id(&app, "SELECT id FROM account WHERE phone = '13700000001'").await;
    // Staff of 观音井 see the resident, with the full phone; the street officer does not.
    let staff = login(&app, "13900000002", DEMO_PASSWORD).await;
    let pending = app.call("pending_residents", &[], Some(&staff)).await;
    assert!(pending.body.contains("13700000001"), "{}", pending.body);
    let street = login(&app, "13900000004", DEMO_PASSWORD).await;
    assert_eq!(app.call("pending_residents", &[], Some(&street)).await.status, 403);

    // The grid worker of another grid cannot verify; the resident's grid worker can.
    let a = app.call("verify_resident", &[("account_id", &account.to_string())], Some(&staff)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let home = app.call("my_home", &[], Some(&resident)).await;
    assert!(home.body.contains("\"verified\":true"), "{}", home.body);
    assert_eq!(id(&app, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'verify_resident' AND object_id = {account}")).await, 1);
    // Verifying again changes nothing and logs nothing.
    app.call("verify_resident", &[("account_id", &account.to_string())], Some(&staff)).await;
    assert_eq!(id(&app, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'verify_resident' AND object_id = {account}")).await, 1);

    // Moving to another community needs a new verification — which 观音井's staff cannot give.
    app.call("set_home", &[("building_id", &foreign_building.to_string())], Some(&resident)).await;
    let home = app.call("my_home", &[], Some(&resident)).await;
    assert!(home.body.contains("\"verified\":false") && home.body.contains("回风亭社区"), "{}", home.body);
    let before = snapshot(&app).await;
    assert_eq!(app.call("verify_resident", &[("account_id", &account.to_string())], Some(&staff)).await.status, 403);
    assert_eq!(snapshot(&app).await, before);
});

both_engines!(admins_grant_and_revoke_roles, |engine| async move {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let admin = login(&app, "13900000001", DEMO_PASSWORD).await;
    let user = app.register("13700000002", "新网格员", PASSWORD).await;
    let account = id(&app, "SELECT id FROM account WHERE phone = '13700000002'").await;
    let grid = id(&app, "SELECT MAX(id) FROM grid").await;

    let found = app.call("find_account_roles", &[("phone", "13700000002")], Some(&admin)).await;
    assert!(found.body.contains("137****0002") && !found.body.contains("13700000002"), "masked: {}", found.body);

    // A scope that does not fit the role, or does not exist, is refused.
    for scope in ["community:1", "grid:999999", "", "grid:x"] {
        let a = app
            .call("grant_role", &[("account_id", &account.to_string()), ("role", "grid_worker"), ("scope", scope)], Some(&admin))
            .await;
        assert_eq!(a.status, 400, "{scope}: {}", a.body);
    }
    let a = app
        .call("grant_role", &[("account_id", &account.to_string()), ("role", "grid_worker"), ("scope", &format!("grid:{grid}"))], Some(&admin))
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let me = app.call("current_user", &[], Some(&user)).await;
    assert!(me.body.contains("grid_worker"), "{}", me.body);

    let grant = id(&app, &format!("SELECT id FROM role_grant WHERE account_id = {account} AND role = 'grid_worker'")).await;
    assert_eq!(app.call("revoke_role", &[("grant_id", &grant.to_string())], Some(&admin)).await.status, 200);
    assert_eq!(id(&app, "SELECT COUNT(*) FROM audit_log WHERE action IN ('grant_role', 'revoke_role')").await, 2);
    // An admin cannot remove their own admin role.
    let own = id(&app, "SELECT g.id FROM role_grant g JOIN account a ON a.id = g.account_id WHERE a.phone = '13900000001' AND g.role = 'admin'").await;
    assert_eq!(app.call("revoke_role", &[("grant_id", &own.to_string())], Some(&admin)).await.status, 403);
});

both_engines!(export_is_for_the_owner_only, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let s = app.register("13700000003", "导出者", PASSWORD).await;
    let get = |cookie: Option<String>| {
        let mut req = app.client.get(app.url("/account/export"));
        if let Some(c) = cookie {
            req = req.header("cookie", format!("linli_session={c}"));
        }
        req.send()
    };
    let resp = get(Some(s.clone())).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    assert!(resp.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let json: serde_json::Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(json["account"]["phone"], "13700000003");
    assert!(json["roles"].as_array().unwrap().iter().any(|r| r["role"] == "resident"));
    assert!(json.to_string().find("password").is_none(), "no password hash in the export");

    assert_eq!(get(None).await.unwrap().status(), 401);
    app.call("logout", &[], Some(&s)).await;
    assert_eq!(get(Some(s)).await.unwrap().status(), 401, "a used session cannot replay the export");
});

both_engines!(deleting_an_account_erases_personal_data, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let s = app.register("13700000004", "要注销的人", PASSWORD).await;
    assert_eq!(app.call("delete_account", &[("password", "wrong password")], Some(&s)).await.status, 401);
    let a = app.call("delete_account", &[("password", PASSWORD)], Some(&s)).await;
    assert!(a.status < 400, "{}", a.body);
    assert_eq!(app.whoami(&s).await, None);
    let row = sqlx::query("SELECT phone, display_name, password_hash, deleted_at FROM account")
        .fetch_one(app.db.read())
        .await
        .unwrap();
    assert_eq!(row.try_get::<Option<String>, _>("phone").unwrap(), None);
    assert_eq!(row.try_get::<String, _>("display_name").unwrap(), "");
    assert_eq!(row.try_get::<Option<String>, _>("password_hash").unwrap(), None);
    assert!(row.try_get::<Option<i64>, _>("deleted_at").unwrap().is_some());
    assert_eq!(app.call("login", &[("phone", "13700000004"), ("password", PASSWORD)], None).await.status, 401);
    // The number is free again.
    app.register("13700000004", "新人", PASSWORD).await;
});

// Every server function that changes data (and the staff/admin reads), called by each kind
// of caller: the refused ones get 401/403 and change nothing; the allowed ones get through.
both_engines!(authorization_matrix, |engine| async move {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let admin = login(&app, "13900000001", DEMO_PASSWORD).await;
    let staff_here = login(&app, "13900000002", DEMO_PASSWORD).await;
    let resident = login(&app, "13900000009", DEMO_PASSWORD).await;
    // Staff of another community (回风亭), made by the admin.
    let staff_there = app.register("13700000009", "回风亭干部", PASSWORD).await;
    let there = id(&app, "SELECT id FROM community WHERE name = '回风亭社区'").await;
    let other_id = id(&app, "SELECT id FROM account WHERE phone = '13700000009'").await;
    app.call("grant_role", &[("account_id", &other_id.to_string()), ("role", "community_staff"), ("scope", &format!("community:{there}"))], Some(&admin)).await;

    // An unverified resident of 观音井 to verify.
    let newcomer = app.register("13700000010", "待核实", PASSWORD).await;
    let building = id(&app, "SELECT MIN(b.id) FROM building b JOIN grid g ON g.id = b.grid_id JOIN community c ON c.id = g.community_id WHERE c.name = '观音井社区'").await;
    app.call("set_home", &[("building_id", &building.to_string())], Some(&newcomer)).await;
    let newcomer_id = id(&app, "SELECT id FROM account WHERE phone = '13700000010'").await;
    let resident_grant = id(&app, "SELECT g.id FROM role_grant g JOIN account a ON a.id = g.account_id WHERE a.phone = '13900000009'").await;

    let nc = newcomer_id.to_string();
    let rg = resident_grant.to_string();
    let b = building.to_string();
    let o = other_id.to_string();
    let there_s = there.to_string();
    // The hall: a proposal of 观音井 by its verified resident, a comment on it, a meeting.
    let here = id(&app, "SELECT id FROM community WHERE name = '观音井社区'").await;
    let here_s = here.to_string();
    let a = app.call("create_proposal", &[("community_id", &here_s), ("category", "safety"), ("title", "矩阵测试议题"), ("body", "内容")], Some(&resident)).await;
    assert!(a.status < 400, "{}", a.body);
    let proposal = id(&app, "SELECT MAX(id) FROM proposal").await.to_string();
    app.call("post_comment", &[("proposal_id", &proposal), ("body", "矩阵测试评论")], Some(&resident)).await;
    let comment = id(&app, "SELECT MAX(id) FROM comment").await.to_string();
    let a = app.call("record_meeting", &[("community_id", &here_s), ("held_at", "2026-11-20T19:00"), ("venue", "党群服务中心"), ("residents_present", "10"), ("deputies_present", "1"), ("elders_present", "2"), ("minutes", "纪要")], Some(&staff_here)).await;
    assert!(a.status < 400, "{}", a.body);
    let meeting = id(&app, "SELECT MAX(id) FROM meeting").await.to_string();
    // Appeals: one the resident files (waiting for 观音井's staff), and an Open311 key.
    let a = app.call("file_appeal", &[("building_id", &b), ("category", "noise"), ("urgency", "normal"), ("description", "矩阵测试诉求内容")], Some(&resident)).await;
    assert!(a.status < 400, "{}", a.body);
    let appeal = id(&app, "SELECT MAX(id) FROM appeal").await.to_string();
    let a = app.call("issue_api_key", &[("name", "矩阵测试应用")], Some(&admin)).await;
    assert!(a.status < 400, "{}", a.body);
    let api_key = id(&app, "SELECT MAX(id) FROM api_key").await.to_string();
    // 五社联动, all in 观音井: an organization still pending and one its staff verified, both
    // registered by a new account, which forms the verified one's team, posts its activity
    // and offers its resource; a team of the community led by 张书记; a volunteer signed up
    // for the activity and applying to that team; a social worker in the directory.
    let founder = app.register("13700000030", "矩阵机构负责人", PASSWORD).await;
    let org_form = |name: &'static str| {
        vec![("name", name), ("kind", "social_org"), ("community_id", here_s.as_str()), ("service_areas[]", "elder"),
             ("description", "矩阵测试机构"), ("contact_name", "矩阵联系人"), ("contact_phone", "13812340000")]
    };
    let pending_org = created(app.call("register_org", &org_form("矩阵待审机构"), Some(&founder)).await, "register_org");
    let verified_org = created(app.call("register_org", &org_form("矩阵已审机构"), Some(&founder)).await, "register_org");
    let a = app.call("decide_org", &[("id", &verified_org), ("decision", "verify"), ("reason", "")], Some(&staff_here)).await;
    assert!(a.status < 400, "{}", a.body);
    let org_team = created(
        app.call("create_team", &[("org_id", &verified_org), ("name", "矩阵机构服务队"), ("description", "x"), ("leader_phone", "")], Some(&founder)).await,
        "create_team",
    );
    let here_team = created(
        app.call("create_team", &[("community_id", &here_s), ("name", "矩阵社区服务队"), ("description", "x"), ("leader_phone", "")], Some(&staff_here)).await,
        "create_team",
    );
    let starts_at = app::time::format_input(app.clock.now_ms() + 3 * 86_400_000);
    let ends_at = app::time::format_input(app.clock.now_ms() + 3 * 86_400_000 + 7_200_000);
    let activity_tail = vec![("title", "矩阵测试活动"), ("description", "x"), ("place", "党群服务中心"), ("starts_at", starts_at.as_str()),
                             ("ends_at", ends_at.as_str()), ("slots", "5")];
    let for_team = [vec![("team_id", org_team.as_str())], activity_tail.clone()].concat();
    let for_org = [vec![("org_id", verified_org.as_str()), ("community_id", here_s.as_str())], activity_tail].concat();
    let activity = created(app.call("create_activity", &for_team, Some(&founder)).await, "create_activity");
    let resource = created(
        app.call("offer_resource", &[("org_id", &verified_org), ("kind", "goods"), ("title", "矩阵慈善物资"), ("unit", "份"), ("quantity", "10"), ("description", "x")], Some(&founder)).await,
        "offer_resource",
    );
    let volunteer = app.register("13700000031", "矩阵志愿者", PASSWORD).await;
    created(app.call("join_volunteers", &[], Some(&volunteer)).await, "join_volunteers");
    created(app.call("sign_up", &[("id", &activity)], Some(&volunteer)).await, "sign_up");
    created(app.call("apply_to_team", &[("id", &here_team)], Some(&volunteer)).await, "apply_to_team");
    let volunteer_id = id(&app, "SELECT id FROM account WHERE phone = '13700000031'").await.to_string();
    let signup = id(&app, &format!("SELECT id FROM signup WHERE activity_id = {activity}")).await.to_string();
    let social_worker = created(
        app.call("save_social_worker", &[("community_id", &here_s), ("name", "矩阵社工"), ("level", "assistant"), ("focus", "矩阵")], Some(&staff_here)).await,
        "save_social_worker",
    );
    // 你点我供, in 观音井: two items of the community's own (one to take off the menu), an
    // order of the first by the resident, and the resident's wish.
    let item_form = |title: &'static str| {
        vec![("community_id", here_s.as_str()), ("provider", "community"), ("category", "meals"), ("title", title), ("description", "x"),
             ("weekly_capacity", "10"), ("price_kind", "free"), ("service_minutes", "60")]
    };
    let item = created(app.call("create_menu_item", &item_form("矩阵助餐服务"), Some(&staff_here)).await, "create_menu_item");
    let item2 = created(app.call("create_menu_item", &item_form("矩阵维修服务"), Some(&staff_here)).await, "create_menu_item");
    let preferred = app::time::format_input(app.clock.now_ms() + 86_400_000);
    let order = created(app.call("order_service", &[("item_id", &item), ("preferred_at", &preferred)], Some(&resident)).await, "order_service");
    let wish = created(
        app.call("make_wish", &[("community_id", &here_s), ("category", "legal"), ("title", "矩阵法律咨询"), ("description", "x")], Some(&resident)).await,
        "make_wish",
    );
    let claim_here = format!("community:{here}");
    let claim_org = format!("org:{verified_org}");
    // (endpoint, form, callers allowed among: anonymous, resident, staff_there, staff_here, admin)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, [bool; 5]);
    let cases: Vec<Case> = vec![
        ("verify_resident", vec![("account_id", &nc)], [false, false, false, true, false]),
        ("grant_role", vec![("account_id", &o), ("role", "volunteer"), ("scope", "")], [false, false, false, false, true]),
        ("revoke_role", vec![("grant_id", &rg)], [false, false, false, false, true]),
        ("find_account_roles", vec![("phone", "13900000009")], [false, false, false, false, true]),
        ("scope_options", vec![], [false, false, false, false, true]),
        ("pending_residents", vec![], [false, false, true, true, false]),
        ("list_audit", vec![], [false, false, false, false, true]),
        ("create_street", vec![("name", "矩阵街道"), ("name_en", "Matrix")], [false, false, false, false, true]),
        ("create_grid", vec![("community_id", &there_s), ("name", "矩阵网格")], [false, false, false, false, true]),
        ("rename_place", vec![("level", "street"), ("id", "1"), ("name", "东城街道")], [false, false, false, false, true]),
        ("community_places", vec![("community_id", &there_s)], [false, false, false, false, true]),
        ("update_community", vec![("id", &there_s), ("name", "回风亭社区"), ("name_en", "Huifengting"), ("kind", "residential"), ("support_threshold", "12")], [false, false, false, false, true]),
        // The hall: residents of the community take part; its staff move things along.
        ("create_proposal", vec![("community_id", &here_s), ("category", "other"), ("title", "又一个矩阵议题"), ("body", "x")], [false, true, false, false, false]),
        ("update_proposal", vec![("id", &proposal), ("category", "other"), ("title", "矩阵测试议题改"), ("body", "y")], [false, true, false, false, false]),
        ("support_proposal", vec![("id", &proposal)], [false, true, false, false, false]),
        ("cast_vote", vec![("id", &proposal), ("choice", "for")], [false, true, false, false, false]),
        ("post_comment", vec![("proposal_id", &proposal), ("body", "再说一句")], [false, true, false, true, false]),
        ("edit_comment", vec![("id", &comment), ("body", "改一下")], [false, true, false, false, false]),
        ("report_comment", vec![("id", &comment), ("reason", "测试")], [false, true, false, false, false]),
        ("moderate_comment", vec![("id", &comment), ("action", "hide"), ("reason", "测试")], [false, false, false, true, false]),
        ("lock_discussion", vec![("proposal_id", &proposal), ("locked", "true"), ("reason", "")], [false, false, false, true, false]),
        ("advance_proposal", vec![("id", &proposal), ("step", "put_on_agenda"), ("note", "")], [false, false, false, true, false]),
        ("post_progress", vec![("id", &proposal), ("dated", "2026-11-27"), ("body", "进展")], [false, false, false, true, false]),
        ("record_meeting", vec![("community_id", &here_s), ("held_at", "2026-11-21T19:00"), ("venue", "x"), ("residents_present", "1"), ("deputies_present", "0"), ("elders_present", "0"), ("minutes", "x")], [false, false, false, true, false]),
        ("record_meeting_item", vec![("meeting_id", &meeting), ("proposal_id", &proposal), ("decision", "同意"), ("ballots_for", "1"), ("ballots_against", "0"), ("ballots_abstain", "0")], [false, false, false, true, false]),
        ("agenda_options", vec![("community_id", &here_s)], [false, false, false, true, false]),
        ("follow_proposal", vec![("id", &proposal), ("follow", "true")], [false, true, true, true, true]),
        ("withdraw_proposal", vec![("id", &proposal), ("note", "")], [false, true, false, false, false]),
        // Appeals: anyone logged in files; 观音井's staff file for others and move it along;
        // the street's and departments' steps are for none of these five; the reporter and
        // the staff call back; admins set the rules.
        ("file_appeal", vec![("building_id", &b), ("category", "noise"), ("urgency", "normal"), ("description", "又一件诉求内容")], [false, true, true, true, true]),
        ("file_appeal_for", vec![("building_id", &b), ("category", "repair"), ("urgency", "normal"), ("description", "代登记的诉求内容"), ("source", "visit")], [false, false, false, true, false]),
        ("classify_appeal", vec![("id", &appeal), ("category", "noise"), ("urgency", "normal"), ("route", "local"), ("note", "")], [false, false, false, true, false]),
        ("escalate_appeal", vec![("id", &appeal), ("note", "")], [false, false, false, true, false]),
        ("dispatch_appeal", vec![("id", &appeal), ("department_id", "1"), ("note", "")], [false, false, false, false, false]),
        ("accept_appeal", vec![("id", &appeal), ("note", "")], [false, false, false, true, false]),
        ("return_appeal", vec![("id", &appeal), ("reason", "不归我们")], [false, false, false, true, false]),
        ("request_extension", vec![("id", &appeal), ("days", "2"), ("reason", "协调中")], [false, false, false, true, false]),
        ("decide_extension", vec![("id", &appeal), ("approve", "yes"), ("note", "")], [false, false, false, false, false]),
        ("reply_appeal", vec![("id", &appeal), ("reply", "已处理")], [false, false, false, true, false]),
        ("verify_appeal", vec![("id", &appeal), ("note", "")], [false, false, false, true, false]),
        ("reopen_appeal", vec![("id", &appeal), ("reason", "未处理好")], [false, false, false, true, false]),
        ("call_back", vec![("id", &appeal), ("contacted", "yes"), ("solved", "yes"), ("satisfied", "yes"), ("note", "")], [false, true, false, true, false]),
        ("my_appeals", vec![], [false, true, true, true, true]),
        ("work_queue", vec![], [false, true, true, true, true]),
        ("overdue_appeals", vec![], [false, false, true, true, true]),
        ("set_urgency_limit", vec![("urgency", "normal"), ("hours", "168"), ("minutes", "0")], [false, false, false, false, true]),
        ("list_api_keys", vec![], [false, false, false, false, true]),
        ("take_new_api_key", vec![], [false, false, false, false, true]),
        ("issue_api_key", vec![("name", "再一个应用")], [false, false, false, false, true]),
        ("revoke_api_key", vec![("id", &api_key)], [false, false, false, false, true]),
        // 五社联动: anyone logged in registers an organization; 观音井's staff verify its
        // organizations, form its teams, run its activities, keep its directory and cadres and
        // claim for it; publishing is for a verified organization's admins and volunteering for
        // volunteers, neither of which these five are (until the last case). An organization's
        // name is unique: `{i}` in it becomes the caller's number.
        ("register_org", vec![("name", "矩阵新机构{i}"), ("kind", "social_org"), ("community_id", &here_s), ("service_areas[]", "elder"), ("description", "x"), ("contact_name", "矩阵联系人"), ("contact_phone", "13812340000")], [false, true, true, true, true]),
        ("staff_desk", vec![], [false, false, true, true, false]),
        // A pending organization is not found by those who may not see it (see HIDDEN).
        ("get_org", vec![("id", &pending_org)], [false, false, false, true, false]),
        ("decide_org", vec![("id", &pending_org), ("decision", "reject"), ("reason", "材料不全")], [false, false, false, true, false]),
        ("add_offering", vec![("org_id", &verified_org), ("category", "elder"), ("title", "矩阵服务项目"), ("description", "x")], [false; 5]),
        ("create_team", vec![("org_id", &verified_org), ("name", "矩阵机构二队"), ("description", "x"), ("leader_phone", "")], [false; 5]),
        ("create_team", vec![("community_id", &here_s), ("name", "矩阵社区二队"), ("description", "x"), ("leader_phone", "")], [false, false, false, true, false]),
        ("apply_to_team", vec![("id", &here_team)], [false; 5]),
        ("decide_member", vec![("team_id", &here_team), ("account_id", &volunteer_id), ("approve", "true")], [false, false, false, true, false]),
        ("create_activity", for_team.clone(), [false, false, false, true, false]),
        ("create_activity", for_org.clone(), [false; 5]),
        ("sign_up", vec![("id", &activity)], [false; 5]),
        ("cancel_signup", vec![("id", &activity)], [false; 5]),
        ("check_in", vec![("id", &activity), ("code", "000000")], [false; 5]),
        ("check_out", vec![("id", &activity), ("code", "000000")], [false; 5]),
        // Allowed for staff, then refused as a conflict: the activity has not begun.
        ("confirm_attendance", vec![("signup_id", &signup), ("hours", "1")], [false, false, false, true, false]),
        ("set_skills", vec![("skills[]", "first_aid")], [false; 5]),
        ("my_volunteering", vec![], [false, true, true, true, true]),
        ("issue_certificate", vec![], [false; 5]),
        ("register_cadre", vec![("community_id", &here_s), ("phone", "13700000031"), ("unit", "矩阵单位")], [false, false, false, true, false]),
        ("cadre_report", vec![("community_id", &here_s)], [false, false, false, true, false]),
        ("save_social_worker", vec![("community_id", &here_s), ("name", "矩阵社工二"), ("level", "senior"), ("focus", "x")], [false, false, false, true, false]),
        ("save_social_worker", vec![("id", &social_worker), ("community_id", &here_s), ("name", "矩阵社工改"), ("level", "senior"), ("focus", "x")], [false, false, false, true, false]),
        // Moving 观音井's entry to 回风亭 needs both communities' staff: neither alone may.
        ("save_social_worker", vec![("id", &social_worker), ("community_id", &there_s), ("name", "矩阵社工改"), ("level", "senior"), ("focus", "x")], [false; 5]),
        ("remove_social_worker", vec![("id", &social_worker)], [false, false, false, true, false]),
        ("offer_resource", vec![("org_id", &verified_org), ("kind", "goods"), ("title", "矩阵慈善物资二"), ("unit", "份"), ("quantity", "5"), ("description", "x")], [false; 5]),
        ("claim_resource", vec![("id", &resource), ("claimant", &claim_here), ("quantity", "1"), ("purpose", "x")], [false, false, false, true, false]),
        ("claim_resource", vec![("id", &resource), ("claimant", &claim_org), ("quantity", "1"), ("purpose", "x")], [false; 5]),
        // 你点我供: 观音井's staff put items on its menu, run its desk, order for its residents
        // and (as the provider of the community's own items) fulfil them; its verified
        // resident orders, cancels, rates, wishes and supports. The steps of the one order
        // are allowed in this order and then refused as conflicts.
        ("create_menu_item", item_form("矩阵新服务项目"), [false, false, false, true, false]),
        ("order_service", vec![("item_id", &item), ("preferred_at", &preferred)], [false, true, false, false, false]),
        ("order_service", vec![("item_id", &item), ("preferred_at", &preferred), ("on_behalf_phone", "13900000009")], [false, false, false, true, false]),
        ("get_order", vec![("id", &order)], [false, true, false, true, false]),
        ("accept_order", vec![("id", &order), ("assignee_id", "0")], [false, false, false, true, false]),
        ("reject_order", vec![("id", &order), ("reason", "矩阵")], [false, false, false, true, false]),
        ("start_order", vec![("id", &order)], [false, false, false, true, false]),
        ("complete_order", vec![("id", &order)], [false, false, false, true, false]),
        ("confirm_order", vec![("id", &order), ("rating", "5")], [false, true, false, false, false]),
        ("cancel_order", vec![("id", &order)], [false, true, false, false, false]),
        ("my_orders", vec![], [false, true, true, true, true]),
        ("provider_queue", vec![], [false, true, true, true, true]),
        ("menu_desk", vec![("community", &here_s)], [false, false, false, true, false]),
        ("make_wish", vec![("community_id", &here_s), ("category", "legal"), ("title", "矩阵又一心愿"), ("description", "x")], [false, true, false, false, false]),
        ("support_wish", vec![("id", &wish)], [false, true, false, false, false]),
        ("set_birth_year", vec![("birth_year", "1956")], [false, true, true, true, true]),
        ("withdraw_menu_item", vec![("id", &item2)], [false, false, false, true, false]),
        // Last of these: the callers become volunteers.
        ("join_volunteers", vec![], [false, true, true, true, true]),
        ("my_notifications", vec![], [false, true, true, true, true]),
        ("mark_read", vec![], [false, true, true, true, true]),
        ("set_home", vec![("building_id", &b)], [false, true, true, true, true]),
        ("change_password", vec![("current_password", "wrong password"), ("new_password", "银发红盾 守望相助"), ("password_confirm", "银发红盾 守望相助")], [false, true, true, true, true]),
        ("delete_account", vec![("password", "wrong password")], [false, true, true, true, true]),
        // Last: it ends the callers' sessions.
        ("logout", vec![], [false, true, true, true, true]),
    ];
    let callers = [None, Some(resident.as_str()), Some(staff_there.as_str()), Some(staff_here.as_str()), Some(admin.as_str())];
    // What refused callers of these get is "not found": they learn nothing, not even that it exists.
    const HIDDEN: [&str; 1] = ["get_org"];
    for (endpoint, form, allowed) in &cases {
        for (i, caller) in callers.iter().enumerate() {
            if allowed[i] {
                continue;
            }
            let before = snapshot(&app).await;
            let a = call_as(&app, endpoint, form, i, *caller).await;
            let hidden = a.status == 404 && HIDDEN.contains(endpoint);
            assert!(matches!(a.status, 401 | 403) || hidden, "{endpoint} as caller {i}: {} {}", a.status, a.body);
            assert_eq!(snapshot(&app).await, before, "{endpoint} as caller {i} changed data");
        }
    }
    // And the allowed callers get through the policy (wrong passwords still fail after it).
    for (endpoint, form, allowed) in &cases {
        for (i, caller) in callers.iter().enumerate() {
            if allowed[i] {
                let a = call_as(&app, endpoint, form, i, *caller).await;
                // A conflict (a step the proposal's state does not allow now) also means the
            // policy let the caller through.
            let ok = a.status < 400 || a.status == 409 || (a.status == 401 && a.body.contains("BadCredentials"));
                assert!(ok, "{endpoint} as caller {i}: {} {}", a.status, a.body);
            }
        }
    }
});

both_engines!(verification_and_grants_notify_and_are_audited, |engine| async move {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let admin = login(&app, "13900000001", DEMO_PASSWORD).await;
    let staff = login(&app, "13900000002", DEMO_PASSWORD).await;
    let resident = app.register("13700000020", "通知测试", PASSWORD).await;
    let other = app.register("13700000021", "旁人", PASSWORD).await;
    let building = id(&app, "SELECT MIN(b.id) FROM building b JOIN grid g ON g.id = b.grid_id JOIN community c ON c.id = g.community_id WHERE c.name = '观音井社区'").await;
    app.call("set_home", &[("building_id", &building.to_string())], Some(&resident)).await;
    let account = id(&app, "SELECT id FROM account WHERE phone = '13700000020'").await;
    assert_eq!(app.call("unread_count", &[], Some(&resident)).await.body, "0");

    app.call("verify_resident", &[("account_id", &account.to_string())], Some(&staff)).await;
    app.call("grant_role", &[("account_id", &account.to_string()), ("role", "volunteer"), ("scope", "")], Some(&admin)).await;
    assert_eq!(app.call("unread_count", &[], Some(&resident)).await.body, "2");
    let list = app.call("my_notifications", &[], Some(&resident)).await;
    assert!(list.body.contains("home_verified") && list.body.contains("\"role\":\"volunteer\""), "{}", list.body);
    assert_eq!(app.call("unread_count", &[], None).await.body, "0", "anonymous: nothing");

    // Marking someone else's notification read does nothing.
    let note = id(&app, &format!("SELECT MIN(id) FROM notification WHERE account_id = {account}")).await;
    app.call("mark_read", &[("id", &note.to_string())], Some(&other)).await;
    assert_eq!(app.call("unread_count", &[], Some(&resident)).await.body, "2");
    app.call("mark_read", &[("id", &note.to_string())], Some(&resident)).await;
    assert_eq!(app.call("unread_count", &[], Some(&resident)).await.body, "1");
    app.call("mark_read", &[], Some(&resident)).await;
    assert_eq!(app.call("unread_count", &[], Some(&resident)).await.body, "0");

    // The audit log lists both actions, newest first, filterable.
    let all = app.call("list_audit", &[], Some(&admin)).await;
    let v: serde_json::Value = serde_json::from_str(&all.body).unwrap();
    let actions: Vec<&str> = v.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    // Newest first; the demo data's two verifications by the grid worker come last.
    assert_eq!(actions, ["grant_role", "verify_resident", "verify_resident", "verify_resident"]);
    let only = app.call("list_audit", &[("action", "verify_resident")], Some(&admin)).await;
    let v: serde_json::Value = serde_json::from_str(&only.body).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert_eq!(v[0]["actor"], "张书记");
    assert_eq!(v[2]["actor"], "李网格员");
    // Keyset paging: after the second, only the oldest; nothing older than that.
    let second = v[1]["id"].as_i64().unwrap();
    let page = app.call("list_audit", &[("action", "verify_resident"), ("before", &second.to_string())], Some(&admin)).await;
    let p: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(p.as_array().unwrap().len(), 1);
    let oldest = v[2]["id"].as_i64().unwrap();
    let older = app.call("list_audit", &[("before", &oldest.to_string())], Some(&admin)).await;
    assert_eq!(older.body, "[]");
});

both_engines!(admins_create_and_edit_places, |engine| async move {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let admin = login(&app, "13900000001", DEMO_PASSWORD).await;
    let a = app.call("create_street", &[("name", "巴州新街道"), ("name_en", "New Subdistrict")], Some(&admin)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let street = a.body.parse::<i64>().unwrap();

    let community = |name: &'static str, kind: &'static str, th: &'static str| {
        let street = street.to_string();
        let admin = admin.clone();
        let app = &app;
        async move {
            app.call("create_community", &[("street_id", &street), ("name", name), ("name_en", "X"), ("kind", kind), ("support_threshold", th)], Some(&admin)).await
        }
    };
    assert!(community("坏类型社区", "castle", "10").await.body.contains("place_kind"));
    assert!(community("门槛社区", "residential", "0").await.body.contains("threshold"));
    let a = community("新华社区", "residential", "15").await;
    assert_eq!(a.status, 200, "{}", a.body);
    let c = a.body.parse::<i64>().unwrap();
    let dup = community("新华社区", "business", "10").await;
    assert_eq!(dup.status, 400);
    assert!(dup.body.contains("duplicate"), "{}", dup.body);

    // The hall's header and the rates page keep places in memory; an admin's change shows at once.
    let header = async |app: &TestApp| {
        let c = c.to_string();
        let hall = app.call("hall_community", &[("community_id", &c)], None).await;
        let rates = app.call("appeal_rates", &[("scope", "community"), ("id", &c)], None).await;
        assert_eq!((hall.status, rates.status), (200, 200), "{} {}", hall.body, rates.body);
        let hall: serde_json::Value = serde_json::from_str(&hall.body).unwrap();
        let rates: serde_json::Value = serde_json::from_str(&rates.body).unwrap();
        (hall["support_threshold"].as_i64().unwrap(), rates["name_en"].as_str().unwrap().to_string())
    };
    assert_eq!(header(&app).await, (15, "X".to_string()));
    let a = app
        .call("update_community", &[("id", &c.to_string()), ("name", "新华社区"), ("name_en", "Xinhua"), ("kind", "urban_rural"), ("support_threshold", "20")], Some(&admin))
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(id(&app, &format!("SELECT support_threshold FROM community WHERE id = {c} AND kind = 'urban_rural'")).await, 20);
    assert_eq!(header(&app).await, (20, "Xinhua".to_string()));
    // One made behind the app's back (another instance) is found too, not refused as unknown.
    let mut tx = app.db.begin_write().await.unwrap();
    sqlx::query("INSERT INTO community (street_id, name, name_en, kind, support_threshold) VALUES ($1, '后来社区', 'Later', 'residential', 9)")
        .bind(street)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let later = id(&app, "SELECT id FROM community WHERE name = '后来社区'").await.to_string();
    let hall = app.call("hall_community", &[("community_id", &later)], None).await;
    assert!(hall.status == 200 && hall.body.contains("\"support_threshold\":9"), "{}", hall.body);
    let rates = app.call("appeal_rates", &[("scope", "community"), ("id", &later)], None).await;
    assert!(rates.status == 200 && rates.body.contains("Later"), "{}", rates.body);

    let grid = app.call("create_grid", &[("community_id", &c.to_string()), ("name", "第一网格")], Some(&admin)).await.body.parse::<i64>().unwrap();
    let estate = app.call("create_estate", &[("community_id", &c.to_string()), ("name", "新华苑"), ("property_kind", "brand")], Some(&admin)).await.body.parse::<i64>().unwrap();
    let foreign_estate = id(&app, "SELECT MIN(id) FROM estate").await;
    let a = app.call("create_building", &[("grid_id", &grid.to_string()), ("estate_id", &estate.to_string()), ("name", "1栋")], Some(&admin)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    // A single building outside any estate, as the form sends it (an empty estate).
    let a = app.call("create_building", &[("grid_id", &grid.to_string()), ("estate_id", ""), ("name", "临街楼")], Some(&admin)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    // An estate of another community, or a grid that does not exist: refused, nothing added.
    let before = snapshot(&app).await;
    let a = app.call("create_building", &[("grid_id", &grid.to_string()), ("estate_id", &foreign_estate.to_string()), ("name", "2栋")], Some(&admin)).await;
    assert!(a.body.contains("parent"), "{}", a.body);
    let a = app.call("create_grid", &[("community_id", "999999"), ("name", "孤网格")], Some(&admin)).await;
    assert!(a.body.contains("parent"), "{}", a.body);
    let a = app.call("create_grid", &[("community_id", &c.to_string()), ("name", " ")], Some(&admin)).await;
    assert!(a.body.contains("place_name"), "{}", a.body);
    assert_eq!(snapshot(&app).await, before);

    // Renaming: the community's places are listed; a name clash or an unknown level is refused.
    let places = app.call("community_places", &[("community_id", &c.to_string())], Some(&admin)).await;
    assert!(places.body.contains("第一网格") && places.body.contains("新华苑") && places.body.contains("1栋"), "{}", places.body);
    let a = app.call("rename_place", &[("level", "grid"), ("id", &grid.to_string()), ("name", "一网格")], Some(&admin)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    app.call("create_grid", &[("community_id", &c.to_string()), ("name", "二网格")], Some(&admin)).await;
    let a = app.call("rename_place", &[("level", "grid"), ("id", &grid.to_string()), ("name", "二网格")], Some(&admin)).await;
    assert!(a.body.contains("duplicate"), "{}", a.body);
    let a = app.call("rename_place", &[("level", "account"), ("id", "1"), ("name", "x")], Some(&admin)).await;
    assert_eq!(a.status, 400);
    assert_eq!(app.call("rename_place", &[("level", "grid"), ("id", "999999"), ("name", "x")], Some(&admin)).await.status, 404);

    assert_eq!(id(&app, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'create_%' OR action IN ('update_community', 'rename_place')").await, 9);
});
