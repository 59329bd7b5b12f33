//! Demo content for 邻里议事厅 in 观音井社区 (an old-courtyard community, seed part 4.4):
//! neighbours, proposals at every stage, supports, votes, a discussion with a reply and a
//! hidden comment, an offline meeting with paper ballots, and progress on a passed proposal.
//! Written with the same invariants the server functions keep: counters equal their rows and
//! every state change is on the timeline.
use sqlx::{Any, Row, Transaction};

type Tx = Transaction<'static, Any>;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// Neighbours in 观音井, verified like the demo resident (phones 13900000101…).
const NEIGHBOURS: [&str; 12] =
    ["王大爷", "刘阿姨", "孙师傅", "周奶奶", "吴老师", "郑叔", "冯大姐", "何爷爷", "许阿姨", "黄师傅", "林老师", "马大妈"];

pub struct Ids {
    pub community: i64,
    pub grid: i64,
    pub building: i64,
    pub staff: i64,
    pub resident: i64,
    pub hash: String,
    pub now: i64,
}

pub async fn load(tx: &mut Tx, ids: &Ids) -> Result<(), sqlx::Error> {
    let now = ids.now;
    let mut people = vec![ids.resident];
    for (i, name) in NEIGHBOURS.iter().enumerate() {
        let id: i64 = sqlx::query(
            "INSERT INTO account (phone, display_name, password_hash, consented_at, created_at,
                                  community_id, grid_id, building_id, verified_at, verified_by)
             VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $4, $8) RETURNING id",
        )
        .bind(format!("139000001{:02}", i + 1))
        .bind(*name)
        .bind(&ids.hash)
        .bind(now - 60 * DAY)
        .bind(ids.community)
        .bind(ids.grid)
        .bind(ids.building)
        .bind(ids.staff)
        .fetch_one(&mut **tx)
        .await?
        .try_get("id")?;
        sqlx::query("INSERT INTO role_grant (account_id, role, granted_at) VALUES ($1, 'resident', $2)")
            .bind(id)
            .bind(now - 60 * DAY)
            .execute(&mut **tx)
            .await?;
        people.push(id);
    }
    let c = ids.community;
    let staff = ids.staff;

    // 1. In voting: a lift for the courtyard, closing in three days.
    let lift = proposal(tx, c, people[1], "facilities", "红旗巷院落加装电梯",
        "红旗巷院落三栋楼都是六层，住着不少七八十岁的老人，上下楼很吃力。\n建议申请老旧小区加装电梯补贴，按单元征求意见后统一加装。", now - 20 * DAY).await?;
    supports(tx, lift, &people[..12], now - 18 * DAY).await?;
    step(tx, lift, "collecting", "agenda", None, "", now - 15 * DAY).await?;
    open_vote(tx, lift, staff, "经 11 月议事会讨论，开启线上表决，请各单元住户投票。", now - 2 * DAY, now + 3 * DAY).await?;
    for (i, who) in people[..9].iter().enumerate() {
        vote(tx, lift, *who, ["for", "for", "for", "against", "for", "abstain", "for", "for", "against"][i], now - DAY).await?;
    }
    let first = comment(tx, lift, None, people[4], "我家在五楼，老伴腿脚不好，非常支持加装电梯。", now - 10 * DAY).await?;
    comment(tx, lift, Some(first), people[9], "一楼住户也请考虑一下采光和噪音的问题，希望方案里说明。", now - 9 * DAY).await?;
    comment(tx, lift, None, people[7], "费用怎么分摊？希望社区组织一次说明会。", now - 8 * DAY).await?;
    let spam = comment(tx, lift, None, people[11], "专业疏通管道，电话 138****0000", now - 7 * DAY).await?;
    sqlx::query("UPDATE comment SET hidden_at = $1, hidden_by = $2, hidden_reason = '含有广告信息' WHERE id = $3")
        .bind(now - 7 * DAY + HOUR)
        .bind(staff)
        .bind(spam)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO moderation_log (community_id, proposal_id, comment_id, action, actor_id, reason, at)
         VALUES ($1, $2, $3, 'hide', $4, '含有广告信息', $5)",
    )
    .bind(c)
    .bind(lift)
    .bind(spam)
    .bind(staff)
    .bind(now - 7 * DAY + HOUR)
    .execute(&mut **tx)
    .await?;

    // 2. Passed and being implemented: drains of the old granary courtyard.
    let drains = proposal(tx, c, people[3], "environment", "老粮站院落雨污管网改造",
        "每逢大雨，老粮站院落的化粪池和排水沟就往外冒水，院坝里积水能没过脚背。建议对雨污管网进行分流改造。", now - 60 * DAY).await?;
    supports(tx, drains, &people[..11], now - 58 * DAY).await?;
    step(tx, drains, "collecting", "agenda", None, "", now - 55 * DAY).await?;
    open_vote(tx, drains, staff, "", now - 50 * DAY, now - 43 * DAY).await?;
    for who in &people[..10] {
        vote(tx, drains, *who, "for", now - 48 * DAY).await?;
    }
    vote(tx, drains, people[10], "abstain", now - 47 * DAY).await?;
    step(tx, drains, "voting", "passed", None, "10 / 0 / 1", now - 43 * DAY).await?;
    step(tx, drains, "passed", "implementing", Some(staff), "", now - 30 * DAY).await?;
    progress(tx, drains, staff, "2026-10-28", "已委托设计单位完成现场勘测，雨污分流方案在公示栏张贴。", now - 30 * DAY).await?;
    progress(tx, drains, staff, "2026-11-20", "施工队进场，先改造东侧排水沟，预计 12 月中旬完工。施工期间请注意绕行。", now - 7 * DAY).await?;
    comment(tx, drains, None, people[2], "施工期间老人出入不便，能不能留一条通道？", now - 6 * DAY).await?;

    // 3. On the agenda: a meal point for older residents.
    let meals = proposal(tx, c, people[5], "elderly", "在社区设立老年助餐点",
        "院落里独居老人多，做饭不方便。建议利用社区活动室设立助餐点，中午提供平价午餐，行动不便的可以送餐上门。", now - 12 * DAY).await?;
    supports(tx, meals, &people[..10], now - 10 * DAY).await?;
    step(tx, meals, "collecting", "agenda", None, "", now - 9 * DAY).await?;

    // 4. Collecting: e-bike parking and charging.
    let ebikes = proposal(tx, c, people[6], "safety", "规范电动车停放与充电",
        "楼道里停电动车、飞线充电的情况很多，存在火灾隐患。建议在院坝空地建集中充电棚。", now - 5 * DAY).await?;
    supports(tx, ebikes, &people[..4], now - 4 * DAY).await?;
    let q = comment(tx, ebikes, None, people[8], "充电棚建在哪里？希望不要占用老人晒太阳的地方。", now - 3 * DAY).await?;
    comment(tx, ebikes, Some(q), people[6], "可以放在东门围墙边，那里原来是堆杂物的。", now - 3 * DAY + 2 * HOUR).await?;

    // 5. Collecting: the activity room for children at weekends.
    let room = proposal(tx, c, people[10], "children", "周末向孩子们开放社区活动室",
        "周末孩子们没有地方写作业、看书。建议周六周日白天开放活动室，请志愿者轮流值守。", now - 2 * DAY).await?;
    supports(tx, room, &people[..2], now - DAY).await?;

    // 6. Done: small advertisements in the stairwells.
    let ads = proposal(tx, c, people[2], "environment", "清理楼道小广告",
        "楼道墙上贴满了开锁、疏通的小广告，很不美观。", now - 90 * DAY).await?;
    supports(tx, ads, &people[..10], now - 88 * DAY).await?;
    step(tx, ads, "collecting", "agenda", None, "", now - 88 * DAY).await?;
    open_vote(tx, ads, staff, "", now - 85 * DAY, now - 80 * DAY).await?;
    for who in &people[..8] {
        vote(tx, ads, *who, "for", now - 83 * DAY).await?;
    }
    step(tx, ads, "voting", "passed", None, "8 / 0 / 0", now - 80 * DAY).await?;
    step(tx, ads, "passed", "implementing", Some(staff), "", now - 78 * DAY).await?;
    progress(tx, ads, staff, "2026-09-05", "志愿者“老巷管家”队伍分两次清理了全部 12 个楼道。", now - 75 * DAY).await?;
    step(tx, ads, "implementing", "done", Some(staff), "已清理完毕，物业每月巡查。", now - 70 * DAY).await?;

    // 7. Withdrawn by its author.
    let lockers = proposal(tx, c, people[12], "facilities", "小区门口增设快递柜",
        "快递经常放在门卫室，丢件时有发生。", now - 40 * DAY).await?;
    supports(tx, lockers, &people[..3], now - 39 * DAY).await?;
    step(tx, lockers, "collecting", "withdrawn", Some(people[12]), "物业已在北门安装快递柜，撤回。", now - 30 * DAY).await?;

    // The November offline meeting, with paper ballots beside the online vote.
    let meeting: i64 = sqlx::query(
        "INSERT INTO meeting (community_id, held_at, venue, residents_present, deputies_present, elders_present,
                              minutes, recorded_by, created_at)
         VALUES ($1, $2, '观音井社区党群服务中心', 36, 2, 5, $3, $4, $5) RETURNING id",
    )
    .bind(c)
    .bind(now - 3 * DAY)
    .bind("张书记主持。区人大代表、政协委员各一名列席，五老代表五人参加。\n一、加装电梯：多数住户赞成，一楼住户关注采光，请设计单位补充说明。\n二、老年助餐点：同意利用活动室，先试运行三个月。\n三、雨污管网改造：通报施工进度。")
    .bind(staff)
    .bind(now - 3 * DAY)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    for (proposal, decision, ballots) in [
        (lift, "赞成加装，补充一楼采光说明后继续线上表决", (28, 5, 3)),
        (meals, "同意试运行三个月，由夕阳红服务社承办", (33, 0, 3)),
    ] {
        sqlx::query(
            "INSERT INTO meeting_item (meeting_id, proposal_id, decision, ballots_for, ballots_against, ballots_abstain)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(meeting)
        .bind(proposal)
        .bind(decision)
        .bind(ballots.0)
        .bind(ballots.1)
        .bind(ballots.2)
        .execute(&mut **tx)
        .await?;
    }
    other_communities(tx, ids).await?;
    Ok(())
}

/// A few proposals collecting support in three other demo communities, each with its own
/// verified neighbours (phones 13900000201…), so every kind of community has a hall to show.
async fn other_communities(tx: &mut Tx, ids: &Ids) -> Result<(), sqlx::Error> {
    const OTHERS: [(&str, [(&str, &str, &str); 2]); 3] = [
        ("莲花池社区", [
            ("safety", "莲花池院落消防通道清障", "院落里堆放的杂物和废旧家具堵住了消防通道，建议组织一次集中清理。"),
            ("elderly", "为独居老人安装紧急呼叫器", "院落独居老人有二十多位，建议为他们安装一键呼叫器，由网格员和邻居轮流回应。"),
        ]),
        ("中坝社区", [
            ("parking", "小区外道路划定临时停车位", "晚上车辆乱停，消防车进不来。建议与交警协调，在外侧道路划定夜间临时停车位。"),
            ("children", "增设儿童游乐设施", "小区里只有一个滑梯，已经生锈。建议更新儿童游乐设施并铺设软垫。"),
        ]),
        ("兴文社区", [
            ("environment", "村道沿线垃圾收集点改造", "城乡结合部垃圾收集点少，沿河倾倒的情况时有发生，建议增加收集点并定时清运。"),
            ("culture", "修缮院坝的坝坝舞场地", "晚上跳坝坝舞的居民多，场地坑洼，希望平整地面、加装路灯。"),
        ]),
    ];
    let now = ids.now;
    for (n, (community, proposals)) in OTHERS.iter().enumerate() {
        let home = sqlx::query(
            "SELECT c.id AS community, g.id AS grid, (SELECT MIN(b.id) FROM building b WHERE b.grid_id = g.id) AS building
               FROM community c JOIN grid g ON g.community_id = c.id WHERE c.name = $1 ORDER BY g.id LIMIT 1",
        )
        .bind(*community)
        .fetch_one(&mut **tx)
        .await?;
        let (c, grid, building): (i64, i64, i64) = (home.try_get("community")?, home.try_get("grid")?, home.try_get("building")?);
        let mut people = Vec::new();
        for (i, name) in ["罗大姐", "唐师傅", "蒋爷爷", "韩老师"].iter().enumerate() {
            let id: i64 = sqlx::query(
                "INSERT INTO account (phone, display_name, password_hash, consented_at, created_at,
                                      community_id, grid_id, building_id, verified_at)
                 VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $4) RETURNING id",
            )
            .bind(format!("139000002{:02}", n * 4 + i))
            .bind(*name)
            .bind(&ids.hash)
            .bind(now - 30 * DAY)
            .bind(c)
            .bind(grid)
            .bind(building)
            .fetch_one(&mut **tx)
            .await?
            .try_get("id")?;
            sqlx::query("INSERT INTO role_grant (account_id, role, granted_at) VALUES ($1, 'resident', $2)")
                .bind(id)
                .bind(now - 30 * DAY)
                .execute(&mut **tx)
                .await?;
            people.push(id);
        }
        for (k, (category, title, body)) in proposals.iter().enumerate() {
            let id = proposal(tx, c, people[k], category, title, body, now - (6 - k as i64) * DAY).await?;
            supports(tx, id, &people[..3 - k], now - (5 - k as i64) * DAY).await?;
        }
    }
    Ok(())
}

async fn proposal(tx: &mut Tx, community: i64, author: i64, category: &str, title: &str, body: &str, at: i64) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query(
        "INSERT INTO proposal (community_id, author_id, category, title, body, search_text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(community)
    .bind(author)
    .bind(category)
    .bind(title)
    .bind(body)
    .bind(app::hall::search_text(title, body))
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    event(tx, id, None, "collecting", Some(author), "", at).await?;
    follow(tx, id, author).await?;
    Ok(id)
}

async fn step(tx: &mut Tx, id: i64, from: &str, to: &str, actor: Option<i64>, note: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE proposal SET state = $1, updated_at = $2 WHERE id = $3").bind(to).bind(at).bind(id).execute(&mut **tx).await?;
    if from == "voting" {
        sqlx::query("UPDATE proposal_tally SET open_until = NULL WHERE proposal_id = $1").bind(id).execute(&mut **tx).await?;
    }
    event(tx, id, Some(from), to, actor, note, at).await
}

/// Staff open the vote (agenda → voting) at `opens`, closing at `closes`.
async fn open_vote(tx: &mut Tx, id: i64, staff: i64, note: &str, opens: i64, closes: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE proposal SET voting_opens_at = $1, voting_closes_at = $2 WHERE id = $3")
        .bind(opens)
        .bind(closes)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO proposal_tally (proposal_id, open_until) VALUES ($1, $2)").bind(id).bind(closes).execute(&mut **tx).await?;
    step(tx, id, "agenda", "voting", Some(staff), note, opens).await
}

async fn event(tx: &mut Tx, id: i64, from: Option<&str>, to: &str, actor: Option<i64>, note: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO proposal_event (proposal_id, from_state, to_state, actor_id, note, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id)
        .bind(from)
        .bind(to)
        .bind(actor)
        .bind(note)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn follow(tx: &mut Tx, id: i64, who: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO follow (proposal_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(id)
        .bind(who)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn supports(tx: &mut Tx, id: i64, who: &[i64], at: i64) -> Result<(), sqlx::Error> {
    for (i, w) in who.iter().enumerate() {
        sqlx::query("INSERT INTO support (proposal_id, account_id, at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(*w)
            .bind(at + i as i64 * HOUR)
            .execute(&mut **tx)
            .await?;
        follow(tx, id, *w).await?;
    }
    sqlx::query("UPDATE proposal SET support_count = support_count + $1 WHERE id = $2")
        .bind(who.len() as i64)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn vote(tx: &mut Tx, id: i64, who: i64, choice: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO vote (proposal_id, account_id, choice, at) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(who)
        .bind(choice)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    let column = match choice {
        "for" => "votes_for",
        "against" => "votes_against",
        _ => "votes_abstain",
    };
    sqlx::query(&format!("UPDATE proposal_tally SET {column} = {column} + 1 WHERE proposal_id = $1")).bind(id).execute(&mut **tx).await?;
    Ok(())
}

async fn comment(tx: &mut Tx, id: i64, parent: Option<i64>, who: i64, body: &str, at: i64) -> Result<i64, sqlx::Error> {
    let cid: i64 = sqlx::query(
        "INSERT INTO comment (proposal_id, parent_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(id)
    .bind(parent)
    .bind(who)
    .bind(body)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    sqlx::query("UPDATE proposal SET comment_count = comment_count + 1 WHERE id = $1").bind(id).execute(&mut **tx).await?;
    follow(tx, id, who).await?;
    Ok(cid)
}

async fn progress(tx: &mut Tx, id: i64, staff: i64, dated: &str, body: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO progress_update (proposal_id, author_id, dated, body, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(staff)
        .bind(dated)
        .bind(body)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
