//! Demo content for 诉求: live appeals in 观音井 at every step of the loop, taken through the
//! same functions the server runs (so timelines, deadlines, counters and inboxes are real),
//! and a year of closed appeals across the district so the rates have something to show.
//! `history` is also the generator the benchmark uses for ten years of appeals.
use app::appeals::{self, AppealCategory, Detail, NewAppeal, Route, Source, Step, Urgency};
use app::clock::Clock;
use app::db::{Db, Engine};
use app::error::AppError;
use app::policy::Caller;
use app::state::AppState;
use sqlx::Row;
use std::collections::HashMap;
use crate::rng::Lcg;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// The departments the streets dispatch to. The demo's department handler works for the first.
pub const DEPARTMENTS: [(&str, &str); 7] = [
    ("区住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    ("区综合行政执法局（城管）", "Urban Management and Law Enforcement Bureau"),
    ("巴州供排水公司", "Bazhou Water Supply and Drainage Company"),
    ("国网巴州供电公司", "Bazhou Power Supply Company"),
    ("区生态环境局", "Ecology and Environment Bureau"),
    ("区市场监督管理局", "Market Regulation Bureau"),
    ("巴州公安分局", "Bazhou Public Security Sub-bureau"),
];

/// What residents write, by category (the seed's old courtyards, missing property
/// management, shared spaces).
const DESCRIPTIONS: [(&str, &[&str]); 8] = [
    ("property", &["小区物业长期不打扫楼道，垃圾堆积。", "物业费收了但门卫晚上无人值守。", "电梯故障一周无人维修，老人上下楼困难。"]),
    ("neighbour_dispute", &["楼上住户装修占用楼道堆放建材，协商未果。", "邻居在公共区域养鸡，气味和噪音影响休息。"]),
    ("noise", &["夜间广场舞音响声音过大，影响休息。", "临街烧烤店深夜喧哗，持续到凌晨两点。"]),
    ("leak", &["楼道顶棚渗水，墙皮脱落。", "楼上卫生间漏水到我家厨房。", "院内供水管道破裂，路面积水。"]),
    ("encroachment", &["院落内私搭乱建彩钢棚，占用消防通道。", "商户占道经营，行人无法通行。"]),
    ("environment", &["化粪池堵塞外溢，气味难闻。", "垃圾清运不及时，桶满外溢。", "小区绿化带被改成菜地。"]),
    ("repair", &["小区门口路灯不亮，夜间出行不安全。", "单元门禁损坏，夜间无法关闭。", "电动车充电桩损坏，无法充电。"]),
    ("other", &["希望增设老年人休息座椅。", "公交站台顶棚破损，雨天无法避雨。"]),
];

fn description(category: &str, n: usize) -> &'static str {
    let list = DESCRIPTIONS.iter().find(|(c, _)| *c == category).map(|(_, l)| *l).unwrap_or(&["其他问题。"]);
    list[n % list.len()]
}

/// Inserts the departments (in the demo's main transaction, so ids start at 1).
pub async fn departments(tx: &mut sqlx::Transaction<'static, sqlx::Any>) -> Result<(), sqlx::Error> {
    for (name, name_en) in DEPARTMENTS {
        sqlx::query("INSERT INTO department (name, name_en) VALUES ($1, $2)").bind(name).bind(name_en).execute(&mut **tx).await?;
    }
    Ok(())
}

async fn caller(db: &Db, phone: &str) -> Result<Caller, AppError> {
    let id: i64 = sqlx::query("SELECT id FROM account WHERE phone = $1").bind(phone).fetch_one(db.read()).await?.try_get("id")?;
    Ok(Caller {
        account_id: id,
        grants: app::accounts::store::roles(db.read(), id).await?,
        verified_community: app::accounts::store::verified_community(db.read(), id).await?,
        session_token: String::new(),
    })
}

/// A building of 观音井 (its `n`th).
async fn building(db: &Db, n: i64) -> Result<i64, AppError> {
    Ok(sqlx::query(
        "SELECT b.id FROM building b JOIN grid g ON g.id = b.grid_id JOIN community c ON c.id = g.community_id
          WHERE c.name = '观音井社区' ORDER BY b.id LIMIT 1 OFFSET $1",
    )
    .bind(n)
    .fetch_one(db.read())
    .await?
    .try_get("id")?)
}

/// The live appeals of 观音井, one at each step, told through the server's own functions at
/// times in the recent past, then a year of history across the district.
pub async fn load(db: &Db, now: i64) -> Result<(), AppError> {
    let resident = caller(db, "13900000009").await?;
    let neighbour = caller(db, "13900000101").await?;
    let staff = caller(db, "13900000002").await?;
    let grid = caller(db, "13900000003").await?;
    let street = caller(db, "13900000004").await?;
    let dept = caller(db, "13900000005").await?;
    let home = building(db, 0).await?;
    let courtyard = building(db, 5).await?;

    struct Live<'a> {
        by: &'a Caller,
        source: Source,
        building: i64,
        category: AppealCategory,
        urgency: Urgency,
        text: &'a str,
        /// Hours ago it was filed, and the steps after it: (step, detail, note, hours later).
        ago: i64,
        steps: Vec<(Step, &'a Caller, Detail, &'a str, i64)>,
    }
    use AppealCategory as C;
    let classify = |c: AppealCategory, u: Urgency, r: Route| Detail::Classify { category: c, urgency: u, route: r };
    let to = |department_id: i64| Detail::Dispatch { department_id };
    let yes = Detail::Callback { contacted: true, solved: true, satisfied: true };
    let live = vec![
        // Waiting for the community to classify it.
        Live { by: &neighbour, source: Source::Online, building: home, category: C::Noise, urgency: Urgency::Normal,
            text: "每晚八点到十点，院坝广场舞音响声音过大，家里老人孩子无法休息，希望协调降低音量。", ago: 5, steps: vec![] },
        // Escalated, waiting for the street's dispatch.
        Live { by: &grid, source: Source::GridPatrol, building: courtyard, category: C::Environment, urgency: Urgency::Urgent,
            text: "老粮站院落化粪池堵塞外溢，污水流到院坝，网格巡查发现。", ago: 20, steps: vec![
                (Step::Classify, &staff, classify(C::Environment, Urgency::Urgent, Route::Escalate), "需市政清掏", 2)] },
        // With 住建局, accepted, its reply due in a few hours.
        Live { by: &resident, source: Source::Online, building: home, category: C::Leak, urgency: Urgency::Urgent,
            text: "1栋2单元楼道顶棚渗水，墙皮大块脱落，下雨时更严重，担心砸到人。", ago: 18, steps: vec![
                (Step::Classify, &staff, classify(C::Leak, Urgency::Urgent, Route::Escalate), "楼顶防水层老化", 1),
                (Step::Dispatch, &street, to(1), "请住建局勘查维修", 1),
                (Step::Accept, &dept, Detail::None, "已安排人员明天上午勘查", 2)] },
        // Dispatched to 城管 and past its deadline: on the 督办 list.
        Live { by: &grid, source: Source::GridPatrol, building: courtyard, category: C::Encroachment, urgency: Urgency::Urgent,
            text: "红旗巷院落内有住户私搭彩钢棚，占用消防通道。", ago: 60, steps: vec![
                (Step::Classify, &staff, classify(C::Encroachment, Urgency::Urgent, Route::Escalate), "涉及违法建设", 2),
                (Step::Dispatch, &street, to(2), "请执法局依法处置", 2)] },
        // Sent back by 市场监管局, waiting to be dispatched again.
        Live { by: &neighbour, source: Source::Online, building: home, category: C::Other, urgency: Urgency::Normal,
            text: "楼顶新装了一个信号发射装置，居民担心辐射，希望有关部门说明情况。", ago: 40, steps: vec![
                (Step::Classify, &staff, classify(C::Other, Urgency::Normal, Route::Escalate), "", 3),
                (Step::Dispatch, &street, to(1), "", 4),
                (Step::Return, &dept, Detail::None, "通信基站不属住建部门职责，建议转经信部门协调运营商说明", 6)] },
        // Replied by 住建局, waiting for the community's verification.
        Live { by: &resident, source: Source::Online, building: home, category: C::Repair, urgency: Urgency::Normal,
            text: "院内电动车充电桩有两个损坏，无法充电，大家只好把车推进楼道，有安全隐患。", ago: 96, steps: vec![
                (Step::Classify, &staff, classify(C::Repair, Urgency::Normal, Route::Escalate), "", 2),
                (Step::Dispatch, &street, to(1), "", 3),
                (Step::Accept, &dept, Detail::None, "", 5),
                (Step::Reply, &dept, Detail::None, "已联系充电桩运营公司更换两个损坏的充电模块，现可正常使用。", 40)] },
        // Verified, waiting for 陈阿姨's callback.
        Live { by: &grid, source: Source::Visit, building: home, category: C::Repair, urgency: Urgency::Normal,
            text: "3栋单元门禁损坏，夜间无法关闭，陌生人随意进出。", ago: 120, steps: vec![
                (Step::Classify, &staff, classify(C::Repair, Urgency::Normal, Route::Local), "物业负责维修", 1),
                (Step::Reply, &staff, Detail::None, "物业已更换门禁锁和闭门器。", 30),
                (Step::Verify, &staff, Detail::None, "网格员现场查看已修好", 20)] },
        // Closed: handled in the community, called back, satisfied.
        Live { by: &resident, source: Source::Online, building: home, category: C::Repair, urgency: Urgency::Normal,
            text: "小区门口路灯不亮，晚上老人出门看不清台阶。", ago: 300, steps: vec![
                (Step::Classify, &staff, classify(C::Repair, Urgency::Normal, Route::Local), "", 2),
                (Step::Reply, &staff, Detail::None, "已请供电所更换灯具，并在台阶处加装了反光条。", 48),
                (Step::Verify, &staff, Detail::None, "", 4),
                (Step::Callback, &resident, yes, "修得很快，谢谢！", 10)] },
    ];
    let clock = Clock::manual(now);
    let state = AppState { clock: clock.clone(), ..AppState::new(db.clone()) };
    for l in live {
        let at = now - l.ago * HOUR;
        clock.advance_ms(at - clock.now_ms());
        let id = appeals::insert(
            &state,
            NewAppeal {
                building_id: l.building,
                category: l.category,
                urgency: l.urgency,
                description: l.text.to_string(),
                source: l.source,
                // Told in person by 陈阿姨, whose number is an account: she follows it herself.
                reporter_id: match l.source {
                    Source::Online => Some(l.by.account_id),
                    Source::Visit => Some(resident.account_id),
                    _ => None,
                },
                filed_by: Some(l.by.account_id),
                contact_name: (l.source == Source::Visit).then(|| "陈阿姨".to_string()),
                contact_phone: (l.source == Source::Visit).then(|| "13900000009".to_string()),
                api_key_id: None,
            },
        )
        .await?;
        for (step, who, detail, note, hours) in l.steps {
            clock.advance_ms(hours * HOUR);
            appeals::take(&state, Some(who), id, step, detail, note).await?;
        }
    }
    clock.advance_ms(now - clock.now_ms());
    appeals::store::mark_overdue(db, now).await?;
    history(db, 600, now - 365 * DAY, now - 3 * DAY, 0x5eed).await?;
    Ok(())
}

/// A small deterministic generator (so the demo and the benchmark are the same every run).
#[derive(Default)]
struct Counts {
    street: i64,
    filed: i64,
    callbacks: i64,
    contacted: i64,
    solved: i64,
    satisfied: i64,
    closed: i64,
    on_time: i64,
}

/// `count` appeals filed between `from` and `to` across every community (a few busy ones
/// more than the rest). Those older than a month are closed after a full loop with its
/// timeline and callback, 83% of them solved (the study's 化解率 83.34%); of the last month's,
/// half are still open (with the community or a department). The monthly counters are
/// written from the same numbers. Rows are inserted in batches inside one transaction per batch.
pub async fn history(db: &Db, count: i64, from: i64, to: i64, seed: u64) -> Result<(), AppError> {
    let places: Vec<(i64, i64, i64, i64)> = sqlx::query(
        "SELECT c.street_id, c.id AS community, g.id AS grid, b.id AS building FROM building b
           JOIN grid g ON g.id = b.grid_id JOIN community c ON c.id = g.community_id ORDER BY b.id",
    )
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| Ok((r.try_get("street_id")?, r.try_get("community")?, r.try_get("grid")?, r.try_get("building")?)))
    .collect::<Result<_, sqlx::Error>>()?;
    let departments: i64 = sqlx::query("SELECT COUNT(*) AS n FROM department").fetch_one(db.read()).await?.try_get("n")?;
    let limits: HashMap<String, i64> = sqlx::query("SELECT code, limit_minutes FROM urgency_rule")
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("code")?, r.try_get::<i64, _>("limit_minutes")? * 60_000)))
        .collect::<Result<_, sqlx::Error>>()?;
    let next_id = |table: &'static str| async move {
        let r = sqlx::query(&format!("SELECT COALESCE(MAX(id), 0) + 1 AS id FROM {table}")).fetch_one(db.read()).await?;
        Ok::<i64, AppError>(r.try_get("id")?)
    };
    let (mut appeal_id, mut event_id) = (next_id("appeal").await?, next_id("appeal_event").await?);
    let mut rng = Lcg(seed);
    let mut stats: HashMap<(String, i64, i64), Counts> = HashMap::new();
    let categories = AppealCategory::ALL;
    let urgencies = [("urgent", 25), ("normal", 60), ("complex", 10), ("emergency", 5)];
    let batch = 500;
    let mut done = 0;
    while done < count {
        let n = batch.min(count - done);
        let (mut appeals, mut events) = (Vec::with_capacity(n as usize), Vec::with_capacity(n as usize * 7));
        for _ in 0..n {
            let i = appeal_id;
            // Skew: half the appeals come from a tenth of the buildings.
            let place = if rng.chance(50) { rng.below(places.len() as u64 / 10 + 1) } else { rng.below(places.len() as u64) };
            let (street, community, grid, building) = places[place as usize];
            let category = categories[rng.below(8) as usize].code();
            let mut roll = rng.below(100);
            let urgency = urgencies.iter().find(|(_, p)| if roll < *p { true } else { roll -= *p; false }).map_or("normal", |u| u.0);
            let limit = limits.get(urgency).copied().unwrap_or(7 * DAY);
            let created = from + (rng.below(((to - from) / 60_000).max(1) as u64) as i64) * 60_000;
            let closed = created < to - 30 * DAY || rng.chance(50);
            let local = rng.chance(30);
            let department = if local { None } else { Some(1 + rng.below(departments.max(1) as u64) as i64) };
            let classified = created + (1 + rng.below(6) as i64) * HOUR;
            let dispatched = classified + (1 + rng.below(4) as i64) * HOUR;
            let clock_start = if local { classified } else { dispatched };
            let deadline = clock_start + limit;
            // Nine in ten replies are on time.
            let replied = if rng.chance(90) { clock_start + limit * (20 + rng.below(70) as i64) / 100 } else { deadline + limit / 3 + HOUR };
            let verified = replied + (2 + rng.below(20) as i64) * HOUR;
            let callback = verified + (2 + rng.below(48) as i64) * HOUR;
            let (contacted, solved) = (rng.chance(96), rng.chance(83));
            let satisfied = solved && rng.chance(92) || !solved && rng.chance(20);
            let text = description(category, rng.below(5) as usize);
            let e = |step: &str, from: Option<&str>, to_state: &str, role: &str, at: i64, id: &mut i64| {
                let from = from.map_or("NULL".to_string(), |f| format!("'{f}'"));
                let row = format!("({id}, {i}, '{step}', {from}, '{to_state}', '{role}', {at})");
                *id += 1;
                row
            };
            events.push(e("file", None, "submitted", "resident", created, &mut event_id));
            events.push(e("classify", Some("submitted"), "classified", "community", classified, &mut event_id));
            let month = |at: i64| appeals::month_of(at);
            stats.entry((month(created), community, 0)).or_insert_with(|| Counts { street, ..Counts::default() }).filed += 1;
            let (state, dept_sql, deadline_sql, route) = if closed {
                if !local {
                    events.push(e("dispatch", Some("classified"), "dispatched", "street", dispatched, &mut event_id));
                    events.push(e("accept", Some("dispatched"), "accepted", "department", dispatched + HOUR, &mut event_id));
                }
                let handler = if local { "community" } else { "department" };
                let before = if local { "classified" } else { "accepted" };
                events.push(e("reply", Some(before), "replied", handler, replied, &mut event_id));
                events.push(e("verify", Some("replied"), "verified", "community", verified, &mut event_id));
                events.push(e("callback", Some("verified"), "closed", "resident", callback, &mut event_id));
                let c = stats.entry((month(callback), community, department.unwrap_or(0))).or_insert_with(|| Counts { street, ..Counts::default() });
                c.callbacks += 1;
                c.contacted += i64::from(contacted);
                c.solved += i64::from(solved);
                c.satisfied += i64::from(satisfied);
                c.closed += 1;
                c.on_time += i64::from(replied <= deadline);
                ("closed", department, Some(deadline), if local { "local" } else { "escalate" })
            } else if local {
                ("classified", None, Some(deadline), "local")
            } else {
                events.push(e("dispatch", Some("classified"), "dispatched", "street", dispatched, &mut event_id));
                ("dispatched", department, Some(deadline), "escalate")
            };
            let sql_opt = |v: Option<i64>| v.map_or("NULL".to_string(), |v| v.to_string());
            let closed_cols = if closed {
                format!("'已办理完毕。', {replied}, {}, {}, {}, {callback}", i64::from(contacted), i64::from(solved), i64::from(satisfied))
            } else {
                "NULL, NULL, NULL, NULL, NULL, NULL".to_string()
            };
            let updated = if closed { callback } else { dispatched };
            appeals.push(format!(
                "({i}, {street}, {community}, {grid}, {building}, '{category}', '{urgency}', '{text}', 'online', '{state}', '{route}',
                  {}, {}, {}, {closed_cols}, {created}, {updated})",
                sql_opt(dept_sql),
                sql_opt(deadline_sql),
                if local { "NULL".to_string() } else { dispatched.to_string() },
            ));
            appeal_id += 1;
        }
        let mut tx = db.begin_write().await?;
        sqlx::query(&format!(
            "INSERT INTO appeal (id, street_id, community_id, grid_id, building_id, category, urgency, description, source, state, route,
                                 department_id, deadline_at, dispatched_at, reply, replied_at, contacted, solved, satisfied, closed_at,
                                 created_at, updated_at) VALUES {}",
            appeals.join(",")
        ))
        .execute(&mut *tx)
        .await?;
        for chunk in events.chunks(1000) {
            sqlx::query(&format!(
                "INSERT INTO appeal_event (id, appeal_id, step, from_state, to_state, actor_role, at) VALUES {}",
                chunk.join(",")
            ))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        done += n;
    }
    // The counters, added to whatever the live appeals already counted.
    let mut tx = db.begin_write().await?;
    for ((month, community, department), c) in &stats {
        let counts = [
            ("filed", c.filed),
            ("callbacks", c.callbacks),
            ("contacted", c.contacted),
            ("solved", c.solved),
            ("satisfied", c.satisfied),
            ("closed", c.closed),
            ("closed_on_time", c.on_time),
        ];
        appeals::store::bump(&mut tx, month, *community, *department, c.street, &counts).await?;
    }
    tx.commit().await?;
    if db.engine() == Engine::Postgres {
        for table in ["appeal", "appeal_event"] {
            sqlx::query(&format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
                .execute(db.read())
                .await?;
        }
    }
    Ok(())
}
