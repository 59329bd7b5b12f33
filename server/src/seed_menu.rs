//! Demo content for 你点我供 (DOMAIN.md §5, seed part 4.4): 观音井's service menu — 老年助餐
//! by 夕阳红服务社 for residents over 60, 上门理发 by the 党旗红 team, 学用智能手机 and 社区法律
//! 咨询 from organizations' offerings, 水电小修 by 老巷管家 for the old courtyards' buildings,
//! and the community's own 居家保洁 for residents over 70; orders at every state (one entered by
//! the grid worker for 马大妈 and escalated, waiting on 张书记's desk), ratings, and wishes
//! (one already on the menu). Two offerings stay off the menu for the staff's desk.
//!
//! Written with the invariants the server functions keep: each week's `taken` counts the
//! item's orders of that week that are not rejected or cancelled, ratings and completion
//! counts equal their orders, supports their rows, and volunteers' hours for completed orders
//! go through the ledger (`credit_hours`, once per order).
use crate::seed_hall::Ids;
use crate::seed_market::{Tx, DAY, HOUR, MINUTE};
use app::menu::week_of;
use sqlx::Row;

async fn account(tx: &mut Tx, phone: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT id FROM account WHERE phone = $1").bind(phone).fetch_one(&mut **tx).await?.try_get("id")
}

async fn lookup(tx: &mut Tx, sql: &str, name: &str) -> Result<i64, sqlx::Error> {
    sqlx::query(sql).bind(name).fetch_one(&mut **tx).await?.try_get(0)
}

/// An item of the menu.
struct Item<'a> {
    category: &'a str,
    title: &'a str,
    description: &'a str,
    /// ("org", id) or ("team", id) or ("community", 0).
    provider: (&'a str, i64),
    offering: Option<i64>,
    min_age: Option<i64>,
    capacity: i64,
    /// ("free" | "subsidised" | "paid", fen).
    price: (&'a str, Option<i64>),
    minutes: i64,
}

async fn item(tx: &mut Tx, ids: &Ids, it: Item<'_>, at: i64) -> Result<i64, sqlx::Error> {
    let (org, team) = match it.provider {
        ("org", id) => (Some(id), None),
        ("team", id) => (None, Some(id)),
        _ => (None, None),
    };
    sqlx::query(
        "INSERT INTO menu_item (community_id, category, title, description, provider_kind, org_id, team_id, offering_id,
                                min_age, weekly_capacity, price_kind, price_fen, service_minutes, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(ids.community)
    .bind(it.category)
    .bind(it.title)
    .bind(it.description)
    .bind(it.provider.0)
    .bind(org)
    .bind(team)
    .bind(it.offering)
    .bind(it.min_age)
    .bind(it.capacity)
    .bind(it.price.0)
    .bind(it.price.1)
    .bind(it.minutes)
    .bind(ids.staff)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")
}

/// An order and where it got to.
struct Order<'a> {
    item: i64,
    resident: i64,
    status: &'a str,
    preferred: i64,
    note: &'a str,
    submitted: i64,
    assignee: Option<i64>,
    entered_by: Option<i64>,
    reason: Option<&'a str>,
    rating: Option<(i64, &'a str)>,
}

impl Default for Order<'_> {
    fn default() -> Self {
        Order { item: 0, resident: 0, status: "submitted", preferred: 0, note: "", submitted: 0, assignee: None, entered_by: None, reason: None, rating: None }
    }
}

async fn order(tx: &mut Tx, ids: &Ids, o: Order<'_>) -> Result<i64, sqlx::Error> {
    let r = sqlx::query(
        "SELECT title, weekly_capacity, service_minutes, team_id, org_id, community_id FROM menu_item WHERE id = $1",
    )
    .bind(o.item)
    .fetch_one(&mut **tx)
    .await?;
    let (title, capacity, minutes): (String, i64, i64) = (r.try_get("title")?, r.try_get("weekly_capacity")?, r.try_get("service_minutes")?);
    let (team, org, community): (Option<i64>, Option<i64>, i64) = (r.try_get("team_id")?, r.try_get("org_id")?, r.try_get("community_id")?);
    let reached = |s: &[&str]| s.contains(&o.status);
    let accepted = reached(&["accepted", "in_progress", "completed", "confirmed"]).then_some(o.submitted + 2 * HOUR);
    let started = reached(&["in_progress", "completed", "confirmed"]).then_some(o.preferred);
    let completed = reached(&["completed", "confirmed"]).then_some(o.preferred + minutes * MINUTE);
    let confirmed = completed.filter(|_| o.status == "confirmed").map(|t| t + 3 * HOUR);
    let closed = reached(&["rejected", "cancelled"]).then_some(o.submitted + HOUR);
    // Unaccepted for more than a day: the sweep sent it to the staff.
    let escalated = (o.status == "submitted" && ids.now - o.submitted > DAY).then_some(o.submitted + DAY + MINUTE);
    let week = week_of(o.preferred);
    let id: i64 = sqlx::query(
        "INSERT INTO service_order (item_id, community_id, resident_id, entered_by, status, preferred_at, week, note, submitted_at,
                                    assignee_id, accepted_by, accepted_at, started_at, completed_at, confirmed_at, closed_at,
                                    reject_reason, escalated_at, rating, rating_comment)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id",
    )
    .bind(o.item)
    .bind(community)
    .bind(o.resident)
    .bind(o.entered_by)
    .bind(o.status)
    .bind(o.preferred)
    .bind(week)
    .bind(o.note)
    .bind(o.submitted)
    .bind(o.assignee)
    .bind(accepted.map(|_| ids.staff))
    .bind(accepted)
    .bind(started)
    .bind(completed)
    .bind(confirmed)
    .bind(closed)
    .bind(o.reason)
    .bind(escalated)
    .bind(o.rating.map(|r| r.0))
    .bind(o.rating.map(|r| r.1))
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    if closed.is_none() {
        sqlx::query("INSERT INTO menu_week (item_id, week, capacity, taken) VALUES ($1, $2, $3, 0) ON CONFLICT (item_id, week) DO NOTHING")
            .bind(o.item)
            .bind(week)
            .bind(capacity)
            .execute(&mut **tx)
            .await?;
        sqlx::query("UPDATE menu_week SET taken = taken + 1 WHERE item_id = $1 AND week = $2").bind(o.item).bind(week).execute(&mut **tx).await?;
    }
    if let Some(done) = completed {
        sqlx::query("UPDATE menu_item SET completed_count = completed_count + 1 WHERE id = $1").bind(o.item).execute(&mut **tx).await?;
        if let Some(worker) = o.assignee {
            let volunteer = sqlx::query("SELECT account_id FROM volunteer WHERE account_id = $1").bind(worker).fetch_optional(&mut **tx).await?;
            if volunteer.is_some() {
                app::market::store::credit_hours(tx, worker, minutes, ("order", id), &title, team, org, community, ids.staff, done, done).await?;
            }
        }
    }
    if let Some((stars, _)) = o.rating {
        sqlx::query("UPDATE menu_item SET rating_count = rating_count + 1, rating_sum = rating_sum + $1 WHERE id = $2")
            .bind(stars)
            .bind(o.item)
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}

async fn wish(tx: &mut Tx, ids: &Ids, w: (&str, &str, &str), supporters: &[i64], item: Option<i64>, at: i64) -> Result<(), sqlx::Error> {
    let id: i64 = sqlx::query(
        "INSERT INTO wish (community_id, category, title, description, author_id, support_count, item_id, fulfilled_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(ids.community)
    .bind(w.0)
    .bind(w.1)
    .bind(w.2)
    .bind(supporters[0])
    .bind(supporters.len() as i64)
    .bind(item)
    .bind(item.map(|_| at + 20 * DAY))
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    for (i, s) in supporters.iter().enumerate() {
        sqlx::query("INSERT INTO wish_support (wish_id, account_id, at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(*s)
            .bind(at + i as i64 * HOUR)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub async fn load(tx: &mut Tx, ids: &Ids) -> Result<(), sqlx::Error> {
    let now = ids.now;
    let local = now + 8 * HOUR;
    let midnight = local - local.rem_euclid(DAY) - 8 * HOUR;
    let at = |day: i64, hour: i64| midnight + day * DAY + hour * HOUR;
    let offering = "SELECT id FROM offering WHERE title = $1";
    let xiyanghong = lookup(tx, "SELECT id FROM organization WHERE name = $1", "夕阳红服务社").await?;
    let yilin = lookup(tx, "SELECT id FROM organization WHERE name = $1", "巴州区益邻社会工作服务中心").await?;
    let dangqihong = lookup(tx, "SELECT id FROM team WHERE name = $1", "党旗红志愿服务队").await?;
    let laoxiang = lookup(tx, "SELECT id FROM team WHERE name = $1", "老巷管家").await?;
    let meals_offering = lookup(tx, offering, "老年助餐配送").await?;
    let phone_offering = lookup(tx, offering, "智能手机培训").await?;
    let legal_offering = lookup(tx, offering, "社区法律咨询").await?;
    let meals = item(tx, ids, Item {
        category: "meals", title: "老年助餐配送",
        description: "夕阳红服务社在观音井社区党群服务中心的老年助餐点，中午供应两荤一素一汤，少油少盐、软烂好嚼。60 岁以上老人补贴后每餐 8 元；行动不便的由志愿者送餐上门，请在备注里写明忌口。",
        provider: ("org", xiyanghong), offering: Some(meals_offering), min_age: Some(60),
        capacity: 30, price: ("subsidised", Some(800)), minutes: 30,
    }, now - 60 * DAY).await?;
    // 党旗红's party members carry the meal point's lunch to residents who can't come down
    // the stairs: the meal service a volunteer team fulfils (and earns hours for).
    item(tx, ids, Item {
        category: "meals", title: "党员送餐上门",
        description: "党旗红志愿服务队的党员志愿者每天 11 点半从社区助餐点取餐，送到行动不便的老人家中，顺便看看老人身体怎么样。免费送，餐费按助餐点价格另付。",
        provider: ("team", dangqihong), offering: None, min_age: Some(60), capacity: 12, price: ("free", None), minutes: 30,
    }, now - 20 * DAY).await?;
    let haircut = item(tx, ids, Item {
        category: "elder", title: "上门理发",
        description: "党旗红志愿服务队的理发志愿者带工具上门，卧床和行动不便的老人优先。每次约 45 分钟，免费。",
        provider: ("team", dangqihong), offering: None, min_age: None, capacity: 8, price: ("free", None), minutes: 45,
    }, now - 90 * DAY).await?;
    let phone = item(tx, ids, Item {
        category: "phone", title: "学用智能手机",
        description: "一对一教您用微信视频、扫码支付、网上挂号和医保查询，每次讲一个防诈骗案例。可以在党群服务中心学，也可以请老师上门。",
        provider: ("org", xiyanghong), offering: Some(phone_offering), min_age: None,
        capacity: 10, price: ("free", None), minutes: 60,
    }, now - 45 * DAY).await?;
    let legal = item(tx, ids, Item {
        category: "legal", title: "社区法律咨询",
        description: "益邻社工中心的律师志愿者解答婚姻家庭、房屋租赁、劳动报酬等问题，每月第一个周六上午坐班，也可预约电话咨询。",
        provider: ("org", yilin), offering: Some(legal_offering), min_age: None,
        capacity: 6, price: ("free", None), minutes: 60,
    }, now - 120 * DAY).await?;
    let repair = item(tx, ids, Item {
        category: "repair", title: "水电小修",
        description: "老巷管家的师傅上门换水龙头、修灯、通下水，工时费每次 20 元，材料按实价另算。只面向老旧院落的楼栋。",
        provider: ("team", laoxiang), offering: None, min_age: None, capacity: 6, price: ("paid", Some(2000)), minutes: 60,
    }, now - 100 * DAY).await?;
    sqlx::query("INSERT INTO menu_item_building (item_id, building_id) SELECT $1, id FROM building WHERE grid_id = $2")
        .bind(repair)
        .bind(ids.grid)
        .execute(&mut **tx)
        .await?;
    let cleaning = item(tx, ids, Item {
        category: "cleaning", title: "居家保洁",
        description: "社区为 70 岁以上独居老人安排的居家保洁，每次两小时：擦窗、拖地、整理厨房。补贴后每次 15 元。",
        provider: ("community", 0), offering: None, min_age: Some(70), capacity: 5, price: ("subsidised", Some(1500)), minutes: 120,
    }, now - 30 * DAY).await?;

    // Residents: 陈阿姨 and the hall's neighbours, with the years of birth the age limits need.
    let chen = ids.resident;
    let n = |i: u8| format!("139000001{i:02}");
    let (wang, liu, sun, zhou_nn, wu) = (account(tx, &n(1)).await?, account(tx, &n(2)).await?, account(tx, &n(3)).await?, account(tx, &n(4)).await?, account(tx, &n(5)).await?);
    let (zheng, feng, he, xu, ma) = (account(tx, &n(6)).await?, account(tx, &n(7)).await?, account(tx, &n(8)).await?, account(tx, &n(9)).await?, account(tx, &n(12)).await?);
    let zhou = account(tx, "13900000008").await?;
    let social_worker = account(tx, "13900000007").await?;
    let grid_worker = account(tx, "13900000003").await?;
    for (who, year) in [(chen, 1956_i64), (wang, 1948), (zhou_nn, 1941), (he, 1945), (liu, 1962), (ma, 1953), (xu, 1970)] {
        sqlx::query("UPDATE account SET birth_year = $1 WHERE id = $2").bind(year).bind(who).execute(&mut **tx).await?;
    }

    let o = |item, resident, status| Order { item, resident, status, ..Order::default() };
    // Done and rated.
    order(tx, ids, Order { preferred: at(-9, 11), submitted: at(-10, 9), assignee: Some(liu), note: "少放盐，不吃辣",
        rating: Some((5, "饭菜软烂，送到门口还是热的，谢谢刘阿姨！")), ..o(meals, chen, "confirmed") }).await?;
    order(tx, ids, Order { preferred: at(-6, 15), submitted: at(-8, 10), assignee: Some(zhou),
        rating: Some((4, "剪得很精神，就是等了一会儿")), ..o(haircut, xu, "confirmed") }).await?;
    order(tx, ids, Order { preferred: at(-5, 9), submitted: at(-7, 16), assignee: Some(wu),
        rating: Some((5, "吴老师很耐心，我终于会在手机上挂号了")), ..o(phone, he, "confirmed") }).await?;
    // Done, waiting for the resident's rating.
    order(tx, ids, Order { preferred: at(-1, 15), submitted: at(-3, 10), assignee: Some(zhou), note: "腿脚不便，请上门",
        ..o(haircut, wang, "completed") }).await?;
    // Under way, accepted, waiting.
    order(tx, ids, Order { preferred: at(0, 11), submitted: at(-1, 8), assignee: Some(feng), note: "送到家门口，敲门声大一点",
        ..o(meals, zhou_nn, "in_progress") }).await?;
    order(tx, ids, Order { preferred: at(2, 9), submitted: at(0, 8), assignee: Some(social_worker),
        ..o(legal, liu, "accepted") }).await?;
    order(tx, ids, Order { preferred: at(1, 10), submitted: now - 3 * HOUR, note: "厨房水龙头一直滴水", ..o(repair, wang, "submitted") }).await?;
    order(tx, ids, Order { preferred: at(1, 11), submitted: now - HOUR, ..o(meals, chen, "submitted") }).await?;
    // Entered by the grid worker for 马大妈, who has no smartphone; nobody took it within a day.
    order(tx, ids, Order { preferred: at(2, 14), submitted: now - 30 * HOUR, entered_by: Some(grid_worker),
        note: "老人独居，没有智能手机，请先打电话给网格员李网格员", ..o(cleaning, ma, "submitted") }).await?;
    // Declined and cancelled.
    order(tx, ids, Order { preferred: at(-2, 10), submitted: at(-4, 9), reason: Some("这周配件还没到，请下周再约，给您添麻烦了"),
        ..o(repair, zheng, "rejected") }).await?;
    order(tx, ids, Order { preferred: at(-3, 9), submitted: at(-5, 20), ..o(phone, sun, "cancelled") }).await?;

    // Wishes: two gathering support, one that became 学用智能手机.
    wish(tx, ids, ("health", "周末陪诊", "子女在外地，想请志愿者周末陪我们去区医院看病、取药、排队缴费。"),
        &[zhou_nn, he, wang, chen], None, now - 12 * DAY).await?;
    wish(tx, ids, ("cleaning", "老年人助浴", "冬天在家洗澡怕滑倒，希望有人上门协助洗澡，或者在服务中心设一个助浴间。"),
        &[ma, feng], None, now - 5 * DAY).await?;
    wish(tx, ids, ("phone", "教老人用手机挂号", "每次去医院都要排长队，希望有人教我们在手机上预约挂号。"),
        &[he, chen, xu], Some(phone), now - 70 * DAY).await?;
    Ok(())
}
