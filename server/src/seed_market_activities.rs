//! The marketplace's demo activities (see `seed_market`): a year of past ones — monthly 党旗红
//! days, fortnightly phone classes, weekly 银发红盾 patrols, 老巷管家 haircuts, 中坝's wiring
//! checks and a few one-offs — whose attendance the organisers confirmed into the ledger, the
//! latest phone class still waiting for that; and the coming week's, one of them full with two
//! on its waitlist.
//!
//! Each sign-up takes a slot as `sign_up` does (else the waitlist), copies the activity's
//! window and is refused here, failing the seed, if the volunteer holds an overlapping one.
//! Each confirmed attendance credits the ledger once and moves the volunteer's and the team's
//! totals with it.
use crate::seed_market::{Ctx, Host, Orgs, Teams, Tx, Volunteers, DAY, HOUR, MINUTE};
use app::notifications::{notify, Event};
use sqlx::Row;

/// What an activity is, as an organiser posts it.
struct Spec<'a> {
    title: &'a str,
    description: &'a str,
    host: Host,
    place: &'a str,
    starts: i64,
    ends: i64,
    slots: i64,
    skills: &'a [&'a str],
}

/// A posted activity.
struct Act {
    id: i64,
    title: String,
    host: Host,
    starts: i64,
    ends: i64,
    created: i64,
}

async fn post(tx: &mut Tx, ctx: &Ctx, s: &Spec<'_>) -> Result<Act, sqlx::Error> {
    // Posted a week ahead, and at least two days ago for the coming ones.
    let created = (s.starts - 7 * DAY).min(ctx.now - 2 * DAY);
    // Six digits that look random, fixed by the start.
    let code = format!("{:06}", (s.starts / MINUTE * 480_721 + 193_373) % 1_000_000);
    let id: i64 = sqlx::query(
        "INSERT INTO activity (title, description, team_id, org_id, community_id, place, starts_at, ends_at, slots,
                               checkin_code, organiser_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(s.title)
    .bind(s.description)
    .bind(s.host.team)
    .bind(s.host.org)
    .bind(s.host.community)
    .bind(s.place)
    .bind(s.starts)
    .bind(s.ends)
    .bind(s.slots)
    .bind(code)
    .bind(s.host.organiser)
    .bind(created)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    for skill in s.skills {
        sqlx::query("INSERT INTO activity_skill (activity_id, skill) VALUES ($1, $2)").bind(id).bind(*skill).execute(&mut **tx).await?;
    }
    Ok(Act { id, title: s.title.to_string(), host: s.host, starts: s.starts, ends: s.ends, created })
}

/// Signs `who` up: a slot while there is one, else the waitlist. Returns the sign-up's id and
/// whether it took a slot.
async fn sign_up(tx: &mut Tx, a: &Act, who: i64, at: i64) -> Result<(i64, bool), sqlx::Error> {
    let clash = sqlx::query("SELECT id FROM signup WHERE account_id = $1 AND starts_at < $2 AND ends_at > $3 LIMIT 1")
        .bind(who)
        .bind(a.ends)
        .bind(a.starts)
        .fetch_optional(&mut **tx)
        .await?;
    if clash.is_some() {
        return Err(sqlx::Error::Protocol(format!("demo: account {who} holds an activity overlapping “{}”", a.title)));
    }
    let took = sqlx::query("UPDATE activity SET confirmed_count = confirmed_count + 1 WHERE id = $1 AND confirmed_count < slots")
        .bind(a.id)
        .execute(&mut **tx)
        .await?
        .rows_affected()
        == 1;
    let id: i64 = sqlx::query(
        "INSERT INTO signup (activity_id, account_id, status, starts_at, ends_at, signed_up_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(a.id)
    .bind(who)
    .bind(if took { "confirmed" } else { "waitlisted" })
    .bind(a.starts)
    .bind(a.ends)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    if !took {
        app::market::store::waitlist_moved(tx, a.id, 1).await?;
    }
    Ok((id, took))
}

/// Posts an activity and signs `people` up, two hours apart, in that order.
async fn recruit(tx: &mut Tx, ctx: &Ctx, s: &Spec<'_>, people: &[i64]) -> Result<(Act, Vec<i64>), sqlx::Error> {
    let a = post(tx, ctx, s).await?;
    let mut signups = Vec::new();
    for (i, who) in people.iter().enumerate() {
        signups.push(sign_up(tx, &a, *who, a.created + (i as i64 + 1) * 2 * HOUR).await?.0);
    }
    Ok((a, signups))
}

/// A past activity: everyone signed up checked in and out with the code and, when `confirm`,
/// the organiser confirmed the whole window an hour after the end, crediting the ledger.
async fn held(tx: &mut Tx, ctx: &Ctx, s: &Spec<'_>, people: &[i64], confirm: bool) -> Result<(), sqlx::Error> {
    let (a, signups) = recruit(tx, ctx, s, people).await?;
    let minutes = (a.ends - a.starts) / MINUTE;
    let confirmed_at = a.ends + HOUR;
    for (signup, who) in signups.into_iter().zip(people) {
        sqlx::query(
            "UPDATE signup SET checked_in_at = $1, checked_out_at = $2, attended_minutes = $3, attendance_confirmed_at = $4
              WHERE id = $5",
        )
        .bind(a.starts - 10 * MINUTE)
        .bind(a.ends - 5 * MINUTE)
        .bind(confirm.then_some(minutes))
        .bind(confirm.then_some(confirmed_at))
        .bind(signup)
        .execute(&mut **tx)
        .await?;
        if confirm {
            credit(tx, ctx, &a, signup, *who, minutes, confirmed_at).await?;
        }
    }
    Ok(())
}

/// One line of the ledger for a confirmed sign-up, as `confirm_attendance` writes it; the
/// volunteer is told of the last fortnight's.
async fn credit(tx: &mut Tx, ctx: &Ctx, a: &Act, signup: i64, who: i64, minutes: i64, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO hours_credit (account_id, minutes, source_kind, source_id, title, team_id, org_id, community_id,
                                   confirmed_by, served_at, at)
         VALUES ($1, $2, 'activity', $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(who)
    .bind(minutes)
    .bind(signup)
    .bind(&a.title)
    .bind(a.host.team)
    .bind(a.host.org)
    .bind(a.host.community)
    .bind(a.host.organiser)
    .bind(a.starts)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE volunteer SET total_minutes = total_minutes + $1 WHERE account_id = $2")
        .bind(minutes)
        .bind(who)
        .execute(&mut **tx)
        .await?;
    if let Some(team) = a.host.team {
        sqlx::query("UPDATE team SET total_minutes = total_minutes + $1 WHERE id = $2").bind(minutes).bind(team).execute(&mut **tx).await?;
    }
    if at > ctx.now - 14 * DAY {
        notify(tx, who, &Event::HoursCredited { minutes, title: a.title.clone() }, Some("/market/me"), at).await?;
    }
    Ok(())
}

/// An activity of `host` from day `day` at `from` to `to` (hour, minute; `to` may be past
/// midnight, on the next day).
#[allow(clippy::too_many_arguments)]
fn spec<'a>(
    ctx: &Ctx,
    host: Host,
    title: &'a str,
    description: &'a str,
    place: &'a str,
    day: i64,
    from: (i64, i64),
    to: (i64, i64),
    slots: i64,
    skills: &'a [&'a str],
) -> Spec<'a> {
    let starts = ctx.at(day, from.0, from.1);
    let mut ends = ctx.at(day, to.0, to.1);
    if ends <= starts {
        ends += DAY;
    }
    Spec { title, description, host, place, starts, ends, slots, skills }
}

pub(crate) async fn past(tx: &mut Tx, ctx: &Ctx, orgs: &Orgs, t: &Teams, v: &Volunteers) -> Result<(), sqlx::Error> {
    const HALL: &str = "观音井社区党群服务中心";
    let xiyanghong = Host { team: None, org: Some(orgs.xiyanghong.0), community: ctx.guanyinjing, organiser: orgs.xiyanghong.1 };
    let yilin = Host { team: None, org: Some(orgs.yilin.0), community: ctx.guanyinjing, organiser: orgs.yilin.1 };

    // 党旗红's monthly 主题党日; 周志愿者 leads every one, the others come three times in four.
    const PARTY_DAYS: [(&str, &str); 3] = [
        ("主题党日·院落环境整治", "党员志愿者分组清理红旗巷、老粮站院落的卫生死角和楼道杂物，劝导规范停放电动车。"),
        ("主题党日·走访独居老人", "两人一组走访辖区独居、空巢老人，检查燃气和用电安全，记录老人的实际需求。"),
        ("主题党日·政策宣讲进院落", "在院坝里宣讲养老保险、医保和老旧小区改造政策，现场解答居民疑问。"),
    ];
    for k in 0..12 {
        let (title, description) = PARTY_DAYS[k as usize % 3];
        let others = [v.wu, v.zheng, v.xu, v.huang];
        let mut people = vec![v.zhou];
        people.extend(others.iter().enumerate().filter(|(j, _)| (k + *j as i64 + 1) % 4 != 0).map(|(_, w)| *w));
        let s = spec(ctx, t.dangqihong, title, description, "观音井社区各院落", -(10 + 30 * k), (8, 30), (11, 30), 10, &[]);
        held(tx, ctx, &s, &people, true).await?;
    }
    // 夕阳红服务社's fortnightly phone class: the latest one waits for the organiser to confirm.
    for k in 0..20 {
        let s = spec(ctx, xiyanghong, "老年人智能手机课堂",
            "一对一教老人用微信视频通话、扫码支付、网上挂号和医保查询，每期讲一个防诈骗案例。",
            "观音井社区党群服务中心二楼活动室", -(3 + 14 * k), (14, 30), (16, 30), 3, &["phone_teaching"]);
        held(tx, ctx, &s, &[v.zhou, if k % 2 == 0 { v.wu } else { v.lin }], k > 0).await?;
    }
    // 银发红盾 on patrol every week.
    for k in 0..16 {
        let (title, description) = if k % 2 == 0 {
            ("夜间平安巡防", "沿院落巡查门禁、路灯和消防通道，提醒居民关好门窗，发现可疑情况报告网格员。")
        } else {
            ("电动车充电安全巡查", "查看楼道有无停放电动车和飞线充电，劝导居民到集中充电点充电。")
        };
        let people: Vec<i64> = if k % 5 == 4 { vec![v.wang, v.he] } else { vec![v.wang, v.he, v.ma] };
        let s = spec(ctx, t.yinfa, title, description, "红旗巷、老粮站院落", -(5 + 7 * k), (19, 0), (21, 0), 8, &[]);
        held(tx, ctx, &s, &people, true).await?;
    }
    // 老巷管家's haircuts in the courtyards, monthly.
    for k in 0..10 {
        let s = spec(ctx, t.laoxiang, "义剪进院落", "为院落里的老人和行动不便的居民免费理发，卧床老人上门服务。",
            "红旗巷院落坝子", -(12 + 30 * k), (9, 0), (11, 30), 4, &["haircut"]);
        held(tx, ctx, &s, &[v.sun, v.feng, v.liu], true).await?;
    }
    // 中坝: the power company's monthly wiring checks.
    for k in 0..6 {
        let people: Vec<i64> = if k % 2 == 0 { vec![v.tang, v.han] } else { vec![v.tang] };
        let s = spec(ctx, t.power, "老旧院落线路义务检修", "检查老旧院落楼道线路和老人家中的插座、电表箱，更换老化的开关和灯泡。",
            "中坝社区老旧院落", -(8 + 30 * k), (9, 0), (12, 0), 4, &["repair"]);
        held(tx, ctx, &s, &people, true).await?;
    }

    // One-offs: two nights on flood watch by the river, the stairwell advertisements the
    // hall's proposal asked to clear (in two rounds), traffic duty, a concert and a clinic.
    let flood = "汛期夜间沿河巡查水位，提醒低洼院落住户做好转移准备，遇险情立即报告。";
    for (day, people) in [(-140, vec![v.zhou, v.zheng, v.huang]), (-139, vec![v.zhou, v.xu])] {
        let s = spec(ctx, t.dangqihong, "巴河汛期应急值守（夜班）", flood, "巴河观音井段防汛值守点", day, (20, 0), (8, 0), 6, &["first_aid"]);
        held(tx, ctx, &s, &people, true).await?;
    }
    for (day, title) in [(-77, "清理楼道小广告（第一批）"), (-76, "清理楼道小广告（第二批）")] {
        let s = spec(ctx, t.laoxiang, title, "铲除楼道墙面的开锁、疏通小广告，重新粉刷受损墙面。", "红旗巷、老粮站院落楼道",
            day, (9, 0), (12, 0), 8, &["cleaning"]);
        held(tx, ctx, &s, &[v.liu, v.feng, v.sun, v.huang, v.zhou], true).await?;
    }
    for day in [-50, -20] {
        let s = spec(ctx, t.dangqihong, "文明城市创建·路口交通劝导",
            "早高峰在观音井路口劝导行人和电动车遵守信号灯、不闯红灯、佩戴头盔。", "观音井路口", day, (7, 30), (11, 30), 8, &[]);
        held(tx, ctx, &s, &[v.zhou, v.wu, v.zheng], true).await?;
    }
    let s = spec(ctx, xiyanghong, "敬老文艺汇演", "为辖区老人表演川剧清唱、合唱和快板，给 80 岁以上老人送上慰问品。",
        HALL, -58, (14, 0), (17, 0), 10, &["culture"]);
    held(tx, ctx, &s, &[v.zhou, v.ma, v.lin, v.wu], true).await?;
    let s = spec(ctx, yilin, "独居老人健康义诊", "联合区人民医院的医生为独居老人量血压、测血糖，讲解慢病防护，建立健康档案。",
        HALL, -35, (8, 30), (11, 30), 6, &["medical"]);
    held(tx, ctx, &s, &[v.xu, v.zhou, v.wang], true).await
}

pub(crate) async fn upcoming(tx: &mut Tx, ctx: &Ctx, orgs: &Orgs, t: &Teams, v: &Volunteers) -> Result<(), sqlx::Error> {
    const HALL: &str = "观音井社区党群服务中心";
    let xiyanghong = Host { team: None, org: Some(orgs.xiyanghong.0), community: ctx.guanyinjing, organiser: orgs.xiyanghong.1 };
    let yilin = Host { team: None, org: Some(orgs.yilin.0), community: ctx.guanyinjing, organiser: orgs.yilin.1 };
    let coming = [
        (spec(ctx, t.laoxiang, "红旗巷义剪", "孙师傅和冯大姐带队为红旗巷院落的老人免费理发；行动不便的老人请提前告诉网格员，上门服务。",
            "红旗巷院落坝子", 1, (9, 0), (11, 30), 4, &["haircut"]), vec![v.sun, v.feng]),
        (spec(ctx, t.dangqihong, "文明城市创建·路口交通劝导", "早高峰在观音井路口劝导行人和电动车遵守信号灯、佩戴头盔。",
            "观音井路口", 2, (7, 30), (9, 30), 8, &[]), vec![v.zhou, v.zheng, v.wu]),
        (spec(ctx, xiyanghong, "老年人智能手机课堂·防范电信诈骗专场", "结合近期冒充医保、快递客服的诈骗案例，教老人识别陷阱、开启来电拦截。",
            "观音井社区党群服务中心二楼活动室", 3, (14, 30), (16, 30), 3, &["phone_teaching"]), vec![v.zhou, v.wu]),
        (spec(ctx, t.power, "冬季用电安全进院落", "入户检查取暖器、电热毯的用电安全，讲解冬季防火常识，现场更换老化插座。",
            "中坝社区各院落", 4, (9, 0), (11, 30), 6, &["repair"]), vec![v.tang, v.han]),
        // Full: four places taken, two on the waitlist in the order they signed up.
        (spec(ctx, yilin, "冬季独居老人健康义诊", "联合区人民医院为独居老人量血压、测血糖，讲解冬季心脑血管疾病的预防，需要医护和急救志愿者。",
            HALL, 5, (8, 30), (11, 30), 4, &["first_aid", "medical"]), vec![v.xu, v.zhou, v.zheng, v.huang, v.feng, v.lin]),
        (spec(ctx, t.yinfa, "消防安全巡查", "检查院落消防通道、灭火器和楼道堆物，教独居老人使用灭火器和呼救。",
            "红旗巷、老粮站院落", 7, (19, 0), (21, 0), 6, &["first_aid"]), vec![v.wang, v.he, v.ma]),
        (spec(ctx, t.laoxiang, "老年助餐点试运行·送餐志愿者", "议事会同意试运行老年助餐点，招募志愿者分餐、为行动不便的老人送餐上门。",
            HALL, 10, (10, 30), (13, 0), 6, &["cooking", "elder_care"]), vec![v.liu, v.feng]),
    ];
    for (s, people) in &coming {
        recruit(tx, ctx, s, people).await?;
    }
    Ok(())
}
