//! Demo content for 五社联动 (DOMAIN.md §4, seed part 4.3): organizations (夕阳红服务社 first, so
//! that it is organization 1 as the demo account 13900000006 expects) with offerings, and a
//! property company waiting for 张书记's verification; volunteers with skills, four of them
//! 双报到 cadres; the 党旗红, 老巷管家 and 银发红盾 teams of 观音井 and a power-company team in
//! 中坝; a year of activities with confirmed hours (周志愿者 has passed the first star) and the
//! coming week's, one of them full with a waitlist; a certificate 周志愿者 printed last month;
//! the social-worker directory; charity resources with claims. Activities are in
//! `seed_market_activities`.
//!
//! Written with the invariants the server functions keep: counters equal their rows, the
//! volunteers' and teams' totals equal the ledger, a resource's remainder is its quantity less
//! its claims, and no volunteer holds two activities at overlapping times. Like the hall's demo
//! content it leaves the audit log alone (tests pin what the demo puts there).
use crate::seed_hall::Ids;
use app::accounts::{store, DisplayName, Phone, Role, RoleGrant, Scope};
use app::notifications::{notify, Event};
use sqlx::{Any, Row, Transaction};

pub(crate) type Tx = Transaction<'static, Any>;

pub(crate) const MINUTE: i64 = 60_000;
pub(crate) const HOUR: i64 = 60 * MINUTE;
pub(crate) const DAY: i64 = 24 * HOUR;

/// The communities with staff, and the local calendar.
pub(crate) struct Ctx {
    pub now: i64,
    /// Today's midnight in China Standard Time.
    midnight: i64,
    pub guanyinjing: i64,
    pub zhongba: i64,
    /// 张书记, staff of 观音井.
    pub staff: i64,
    /// 杨书记, staff of 中坝.
    pub zhongba_staff: i64,
}

impl Ctx {
    /// `day` days from today (negative: in the past) at `hour:min`, local time.
    pub fn at(&self, day: i64, hour: i64, min: i64) -> i64 {
        self.midnight + day * DAY + hour * HOUR + min * MINUTE
    }
}

/// The organizations, with the admins who act for them.
pub(crate) struct Orgs {
    pub xiyanghong: (i64, i64),
    pub yilin: (i64, i64),
    pub charity: (i64, i64),
    pub power: (i64, i64),
}

/// The volunteers by name: 观音井's (the demo volunteer and hall neighbours) and two in 中坝.
pub(crate) struct Volunteers {
    pub zhou: i64,
    pub wang: i64,
    pub liu: i64,
    pub sun: i64,
    pub wu: i64,
    pub zheng: i64,
    pub feng: i64,
    pub he: i64,
    pub xu: i64,
    pub huang: i64,
    pub lin: i64,
    pub ma: i64,
    pub tang: i64,
    pub han: i64,
}

/// Who runs what: a team (or an organization alone), its community and the organiser of its
/// activities.
#[derive(Clone, Copy)]
pub(crate) struct Host {
    pub team: Option<i64>,
    pub org: Option<i64>,
    pub community: i64,
    pub organiser: i64,
}

pub(crate) struct Teams {
    pub dangqihong: Host,
    pub laoxiang: Host,
    pub yinfa: Host,
    pub power: Host,
}

pub async fn load(tx: &mut Tx, ids: &Ids) -> Result<(), sqlx::Error> {
    let zhongba: i64 = sqlx::query("SELECT id FROM community WHERE name = '中坝社区'").fetch_one(&mut **tx).await?.try_get("id")?;
    let zhongba_staff = new_account(tx, ids, "13900000300", "杨书记", ids.now - 420 * DAY).await?;
    let grant = RoleGrant { role: Role::CommunityStaff, scope: Some(Scope::Community(zhongba)) };
    store::grant(tx, zhongba_staff, grant, None, ids.now - 420 * DAY).await?;
    let local = ids.now + 8 * HOUR;
    let ctx = Ctx {
        now: ids.now,
        midnight: local - local.rem_euclid(DAY) - 8 * HOUR,
        guanyinjing: ids.community,
        zhongba,
        staff: ids.staff,
        zhongba_staff,
    };
    let orgs = organizations(tx, &ctx, ids).await?;
    let v = volunteers(tx, &ctx).await?;
    let teams = teams(tx, &ctx, &orgs, &v).await?;
    crate::seed_market_activities::past(tx, &ctx, &orgs, &teams, &v).await?;
    crate::seed_market_activities::upcoming(tx, &ctx, &orgs, &teams, &v).await?;
    certificate(tx, v.zhou, ctx.now - 30 * DAY).await?;
    social_workers(tx, &ctx, &orgs).await?;
    charity(tx, &ctx, &orgs).await?;
    application(tx, &ctx, &teams, &v).await
}

async fn account(tx: &mut Tx, phone: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT id FROM account WHERE phone = $1").bind(phone).fetch_one(&mut **tx).await?.try_get("id")
}

/// A new demo account (a resident, as registration makes it), created at `at`.
async fn new_account(tx: &mut Tx, ids: &Ids, phone: &str, name: &str, at: i64) -> Result<i64, sqlx::Error> {
    let (phone, name) = (Phone::parse(phone).expect("demo phone"), DisplayName::parse(name).expect("demo name"));
    store::insert(tx, &phone, &name, &ids.hash, at)
        .await?
        .ok_or_else(|| sqlx::Error::Protocol(format!("demo phone {} is taken", phone.as_str())))
}

/// (name, kind, service areas, description, contact, contact's phone)
type OrgText = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str);

/// Registers an organization as `admin` (who gets the scoped role) and, when `verifier` is
/// given, has the community's staff verify it two days later.
async fn organization(tx: &mut Tx, text: OrgText, community: i64, admin: i64, verifier: Option<i64>, at: i64) -> Result<i64, sqlx::Error> {
    let (name, kind, areas, description, contact, phone) = text;
    let decided_at = verifier.map(|_| at + 2 * DAY);
    let id: i64 = sqlx::query(
        "INSERT INTO organization (name, kind, community_id, service_areas, description, contact_name, contact_phone,
                                   status, created_by, created_at, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(name)
    .bind(kind)
    .bind(community)
    .bind(areas)
    .bind(description)
    .bind(contact)
    .bind(phone)
    .bind(if verifier.is_some() { "verified" } else { "pending" })
    .bind(admin)
    .bind(at)
    .bind(verifier)
    .bind(decided_at)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    store::grant(tx, admin, RoleGrant { role: Role::OrgAdmin, scope: Some(Scope::Organization(id)) }, None, at).await?;
    Ok(id)
}

async fn offering(tx: &mut Tx, org: i64, category: &str, title: &str, description: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO offering (org_id, category, title, description, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(org)
        .bind(category)
        .bind(title)
        .bind(description)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn organizations(tx: &mut Tx, ctx: &Ctx, ids: &Ids) -> Result<Orgs, sqlx::Error> {
    let (c, now) = (ctx.guanyinjing, ctx.now);
    let xiyanghong_admin = account(tx, "13900000006").await?;
    let xiyanghong = organization(tx, ("夕阳红服务社", "social_org", "elder,meals,phone",
        "扎根观音井社区的为老服务社会组织，由退休教师和社区志愿者发起。组建“老巷管家”志愿服务队，提供上门理发、智能手机教学、探访独居老人等服务；经社区议事会同意，承办老年助餐点试运行。",
        "刘桂芳", "13800000101"), c, xiyanghong_admin, Some(ctx.staff), now - 420 * DAY).await?;
    if xiyanghong != 1 {
        return Err(sqlx::Error::Protocol("demo: 夕阳红服务社 must be organization 1".into()));
    }
    offering(tx, xiyanghong, "meals", "老年助餐配送",
        "在观音井社区党群服务中心试运行老年助餐点，中午供应两荤一素，80 岁以上和行动不便的老人由志愿者送餐上门。", now - 3 * DAY).await?;
    offering(tx, xiyanghong, "elder", "上门理发",
        "每月一次“义剪进院落”，卧床和行动不便的老人可预约上门理发。", now - 400 * DAY).await?;
    offering(tx, xiyanghong, "phone", "智能手机培训",
        "每两周一期，一对一教老人用微信视频、扫码支付、网上挂号和医保查询，每期讲一个防诈骗案例。", now - 300 * DAY).await?;

    let yilin_admin = new_account(tx, ids, "13900000301", "益邻社工中心", now - 411 * DAY).await?;
    let yilin = organization(tx, ("巴州区益邻社会工作服务中心", "social_org", "elder,health,legal,childcare",
        "在区民政局登记的专业社会工作服务机构，有持证社工 12 名，承接观音井、中坝等社区的社工站项目，开展老年人个案服务、青少年成长支持和社区矛盾调解。",
        "何静", "13800000102"), c, yilin_admin, Some(ctx.staff), now - 410 * DAY).await?;
    offering(tx, yilin, "elder", "独居老人个案探访",
        "社工每月上门探访独居、失独老人，评估需求，链接助餐、助医和慈善资源。", now - 400 * DAY).await?;
    offering(tx, yilin, "legal", "社区法律咨询",
        "每月第一个周六上午，律师志愿者在党群服务中心免费坐班，解答婚姻家庭、房屋租赁、劳动报酬等问题。", now - 390 * DAY).await?;
    offering(tx, yilin, "childcare", "四点半课堂",
        "放学后为双职工家庭和留守儿童提供作业辅导和安全看护，社工和大学生志愿者轮流值守。", now - 200 * DAY).await?;

    let charity_admin = new_account(tx, ids, "13900000302", "巴州区慈善会", now - 406 * DAY).await?;
    let charity = organization(tx, ("巴州区慈善会", "charity", "elder,childcare,health",
        "巴州区依法登记的慈善组织，募集社会捐赠开展助学、助老、助困项目，通过“五社联动”把物资和资金对接到社区。",
        "王建平", "13800000103"), c, charity_admin, Some(ctx.staff), now - 405 * DAY).await?;

    let power_admin = new_account(tx, ids, "13900000303", "国网巴州供电", now - 201 * DAY).await?;
    let power = organization(tx, ("国网巴州供电公司", "unit", "repair,elder",
        "驻区国有企业。公司党委组建“电力红马甲”志愿服务队，为老旧院落义务检修线路、宣传安全用电，并向社区开放职工之家活动室。",
        "李国强", "13800000104"), ctx.zhongba, power_admin, Some(ctx.zhongba_staff), now - 200 * DAY).await?;
    offering(tx, power, "repair", "老旧院落线路义务检修",
        "每月一次，检查楼道线路和老人家中的插座、电表箱，免费更换老化的开关和灯泡。", now - 190 * DAY).await?;

    // Registered two days ago: on 张书记's desk (/market/staff).
    let property_admin = new_account(tx, ids, "13900000304", "锦绣物业", now - 2 * DAY - HOUR).await?;
    organization(tx, ("锦绣物业服务有限公司", "property", "repair,cleaning",
        "滨江华府小区的前期物业服务企业，已成立物业党支部，申请加入观音井社区物业党建联建，提供公共区域保洁和水电维修服务。",
        "蒋丽", "13800000105"), c, property_admin, None, now - 2 * DAY).await?;
    Ok(Orgs {
        xiyanghong: (xiyanghong, xiyanghong_admin),
        yilin: (yilin, yilin_admin),
        charity: (charity, charity_admin),
        power: (power, power_admin),
    })
}

/// Registers a volunteer as `join_volunteers` does (number, role), with skills.
async fn volunteer(tx: &mut Tx, id: i64, joined: i64, skills: &[&str]) -> Result<(), sqlx::Error> {
    let number = format!("BZ{}{id:07}", &app::time::format_local(joined)[..4]);
    sqlx::query("INSERT INTO volunteer (account_id, volunteer_no, joined_at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(number)
        .bind(joined)
        .execute(&mut **tx)
        .await?;
    store::grant(tx, id, RoleGrant { role: Role::Volunteer, scope: None }, None, joined).await?;
    for skill in skills {
        sqlx::query("INSERT INTO volunteer_skill (account_id, skill) VALUES ($1, $2)").bind(id).bind(*skill).execute(&mut **tx).await?;
    }
    Ok(())
}

/// 双报到: 观音井's staff register the volunteer as a cadre from `unit`, as `register_cadre` does.
async fn cadre(tx: &mut Tx, ctx: &Ctx, id: i64, unit: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE volunteer SET cadre_unit = $1, cadre_community_id = $2, cadre_confirmed_by = $3, cadre_confirmed_at = $4
          WHERE account_id = $5",
    )
    .bind(unit)
    .bind(ctx.guanyinjing)
    .bind(ctx.staff)
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn volunteers(tx: &mut Tx, ctx: &Ctx) -> Result<Volunteers, sqlx::Error> {
    // (phone, days since joining, skills)
    const WHO: [(&str, i64, &[&str]); 14] = [
        ("13900000008", 400, &["elder_care", "first_aid", "phone_teaching"]), // 周志愿者
        ("13900000101", 380, &["elder_care", "first_aid"]),                   // 王大爷
        ("13900000102", 390, &["cleaning", "cooking", "elder_care"]),         // 刘阿姨
        ("13900000103", 380, &["haircut", "repair"]),                         // 孙师傅
        ("13900000105", 370, &["culture", "phone_teaching", "tutoring"]),     // 吴老师
        ("13900000106", 370, &["counselling", "legal"]),                      // 郑叔
        ("13900000107", 360, &["cleaning", "cooking", "haircut"]),            // 冯大姐
        ("13900000108", 200, &["culture"]),                                   // 何爷爷
        ("13900000109", 365, &["first_aid", "medical"]),                      // 许阿姨
        ("13900000110", 370, &["first_aid", "repair"]),                       // 黄师傅
        ("13900000111", 300, &["phone_teaching", "tutoring"]),                // 林老师
        ("13900000112", 200, &["culture", "elder_care"]),                     // 马大妈
        ("13900000205", 200, &["first_aid", "repair"]),                       // 唐师傅, 中坝
        ("13900000207", 190, &["culture", "tutoring"]),                       // 韩老师, 中坝
    ];
    let mut ids = Vec::new();
    for (phone, days, skills) in WHO {
        let id = account(tx, phone).await?;
        volunteer(tx, id, ctx.now - days * DAY, skills).await?;
        ids.push(id);
    }
    let v = Volunteers {
        zhou: ids[0], wang: ids[1], liu: ids[2], sun: ids[3], wu: ids[4], zheng: ids[5], feng: ids[6],
        he: ids[7], xu: ids[8], huang: ids[9], lin: ids[10], ma: ids[11], tang: ids[12], han: ids[13],
    };
    for (id, unit) in [(v.zhou, "区财政局"), (v.wu, "区教育科技局"), (v.xu, "区卫生健康局"), (v.zheng, "区司法局")] {
        cadre(tx, ctx, id, unit, ctx.now - 330 * DAY).await?;
    }
    Ok(v)
}

/// Forms a team as `create_team` does, with `leader` its first member; `members` then join
/// a day apart, approved by the leader.
#[allow(clippy::too_many_arguments)]
async fn team(
    tx: &mut Tx,
    name: &str,
    description: &str,
    org: Option<i64>,
    community: i64,
    leader: i64,
    created_by: i64,
    members: &[i64],
    at: i64,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query(
        "INSERT INTO team (name, org_id, community_id, leader_id, description, member_count, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(name)
    .bind(org)
    .bind(community)
    .bind(leader)
    .bind(description)
    .bind(1 + members.len() as i64)
    .bind(created_by)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    for (i, who) in std::iter::once(&leader).chain(members).enumerate() {
        let applied = at + i as i64 * DAY;
        sqlx::query(
            "INSERT INTO team_member (team_id, account_id, status, applied_at, decided_by, decided_at)
             VALUES ($1, $2, 'member', $3, $4, $5)",
        )
        .bind(id)
        .bind(*who)
        .bind(applied)
        .bind(if i == 0 { created_by } else { leader })
        .bind(if i == 0 { applied } else { applied + 2 * HOUR })
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

async fn teams(tx: &mut Tx, ctx: &Ctx, orgs: &Orgs, v: &Volunteers) -> Result<Teams, sqlx::Error> {
    let (c, now) = (ctx.guanyinjing, ctx.now);
    let dangqihong = team(tx, "党旗红志愿服务队",
        "由观音井社区党员和“双报到”在职党员组成，开展主题党日志愿服务、政策宣讲、汛期值守和困难群众帮扶。",
        None, c, v.zhou, ctx.staff, &[v.wu, v.zheng, v.xu, v.huang], now - 380 * DAY).await?;
    let laoxiang = team(tx, "老巷管家",
        "服务红旗巷、老粮站等老旧院落：清理楼道、义剪理发、小修小补、助餐送餐，做院落里的“管家”。",
        Some(orgs.xiyanghong.0), c, v.liu, orgs.xiyanghong.1, &[v.feng, v.sun, v.huang, v.zhou], now - 385 * DAY).await?;
    let yinfa = team(tx, "银发红盾",
        "社区低龄老人组成的平安巡防队，早晚巡查院落的消防通道、电动车充电和独居老人安全，发现问题及时报告网格员。",
        None, c, v.wang, ctx.staff, &[v.he, v.ma], now - 150 * DAY).await?;
    let power = team(tx, "电力红马甲志愿服务队",
        "国网巴州供电公司的党员职工和中坝社区的志愿者，为老旧院落检修线路、宣传冬季安全用电。",
        Some(orgs.power.0), ctx.zhongba, v.tang, orgs.power.1, &[v.han], now - 180 * DAY).await?;

    let host = |team, org, community, organiser| Host { team: Some(team), org, community, organiser };
    Ok(Teams {
        dangqihong: host(dangqihong, None, c, v.zhou),
        laoxiang: host(laoxiang, Some(orgs.xiyanghong.0), c, v.liu),
        yinfa: host(yinfa, None, c, v.wang),
        power: host(power, Some(orgs.power.0), ctx.zhongba, v.tang),
    })
}

/// 林老师 asked to join 党旗红 yesterday: waiting for its leader 周志愿者, who was told (last,
/// so that it tops the inbox).
async fn application(tx: &mut Tx, ctx: &Ctx, teams: &Teams, v: &Volunteers) -> Result<(), sqlx::Error> {
    let (team, applied) = (teams.dangqihong.team.expect("a team"), ctx.now - DAY);
    sqlx::query("INSERT INTO team_member (team_id, account_id, status, applied_at) VALUES ($1, $2, 'pending', $3)")
        .bind(team)
        .bind(v.lin)
        .bind(applied)
        .execute(&mut **tx)
        .await?;
    let event = Event::TeamApplication { team_id: team, team: "党旗红志愿服务队".into() };
    notify(tx, v.zhou, &event, Some(&format!("/market/teams/{team}")), applied).await
}

/// A service-hours certificate as `issue_certificate` makes it, for the hours in the ledger at `at`.
async fn certificate(tx: &mut Tx, id: i64, at: i64) -> Result<(), sqlx::Error> {
    let r = sqlx::query(
        "SELECT v.volunteer_no, CAST(COALESCE(SUM(h.minutes), 0) AS BIGINT) AS minutes FROM volunteer v
           LEFT JOIN hours_credit h ON h.account_id = v.account_id AND h.at <= $2
          WHERE v.account_id = $1 GROUP BY v.volunteer_no",
    )
    .bind(id)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("INSERT INTO certificate (number, account_id, minutes, issued_at) VALUES ($1, $2, $3, $4)")
        .bind(format!("{}-001", r.try_get::<String, _>("volunteer_no")?))
        .bind(id)
        .bind(r.try_get::<i64, _>("minutes")?)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// 持证社工 of 观音井 and 中坝, entered by each community's staff.
async fn social_workers(tx: &mut Tx, ctx: &Ctx, orgs: &Orgs) -> Result<(), sqlx::Error> {
    let yilin = Some(orgs.yilin.0);
    let (c, z) = ((ctx.guanyinjing, ctx.staff), (ctx.zhongba, ctx.zhongba_staff));
    let entries = [
        ("何静", "senior", yilin, c, "老年人个案服务与家庭支持"),
        ("赵晓燕", "intermediate", yilin, c, "社区矛盾调解与邻里关系营造"),
        ("王雨桐", "assistant", None, c, "青少年成长与四点半课堂"),
        ("李明", "intermediate", yilin, z, "困难群众帮扶与社会救助"),
        ("陈雪", "intermediate", None, z, "物业纠纷调解与业委会建设"),
        ("苟丽", "assistant", None, z, "残疾人康复与就业支持"),
    ];
    for (i, (name, level, org, (community, staff), focus)) in entries.into_iter().enumerate() {
        let at = ctx.now - (200 - 20 * i as i64) * DAY;
        sqlx::query(
            "INSERT INTO social_worker (name, level, org_id, community_id, focus, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(name)
        .bind(level)
        .bind(org)
        .bind(community)
        .bind(focus)
        .bind(staff)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A claim on a resource: (community or organization, who claimed, quantity, purpose, days ago).
type Claim = ((Option<i64>, Option<i64>), i64, i64, &'static str, i64);

/// Offers a resource and records its claims; `remaining` is the quantity less the claims.
#[allow(clippy::too_many_arguments)]
async fn resource(
    tx: &mut Tx,
    ctx: &Ctx,
    (org, admin): (i64, i64),
    kind: &str,
    title: &str,
    unit: &str,
    quantity: i64,
    description: &str,
    days_ago: i64,
    claims: &[Claim],
) -> Result<(), sqlx::Error> {
    let claimed: i64 = claims.iter().map(|c| c.2).sum();
    let id: i64 = sqlx::query(
        "INSERT INTO charity_resource (org_id, kind, title, unit, quantity, remaining, description, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(org)
    .bind(kind)
    .bind(title)
    .bind(unit)
    .bind(quantity)
    .bind(quantity - claimed)
    .bind(description)
    .bind(admin)
    .bind(ctx.now - days_ago * DAY)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    for ((community, org), by, quantity, purpose, days_ago) in claims {
        sqlx::query(
            "INSERT INTO charity_claim (resource_id, quantity, purpose, community_id, org_id, claimed_by, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(*quantity)
        .bind(*purpose)
        .bind(*community)
        .bind(*org)
        .bind(*by)
        .bind(ctx.now - days_ago * DAY)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn charity(tx: &mut Tx, ctx: &Ctx, orgs: &Orgs) -> Result<(), sqlx::Error> {
    let guanyinjing = ((Some(ctx.guanyinjing), None), ctx.staff);
    let zhongba = ((Some(ctx.zhongba), None), ctx.zhongba_staff);
    let xiyanghong = ((None, Some(orgs.xiyanghong.0)), orgs.xiyanghong.1);
    resource(tx, ctx, orgs.charity, "funds", "困难家庭助学金", "元", 50_000,
        "资助辖区低保、特困家庭的在读高中生和大学新生，每人每年 2000 元，由社区初审、慈善会复核后发放。", 120,
        &[(guanyinjing.0, guanyinjing.1, 8_000, "资助辖区 4 名困难家庭大学新生", 90)]).await?;
    resource(tx, ctx, orgs.power, "venue", "职工之家多功能活动室", "场次", 20,
        "可容纳 80 人，有音响和投影，周末和工作日晚上向社区和社会组织开放，请提前三天预约。", 100,
        &[
            (xiyanghong.0, xiyanghong.1, 2, "智能手机课堂结业展示和老年合唱团排练", 65),
            (zhongba.0, zhongba.1, 3, "社区居民议事会和冬季消防安全培训", 20),
        ]).await?;
    resource(tx, ctx, orgs.charity, "goods", "米面油爱心包", "份", 200,
        "每份含大米 10 斤、挂面 5 斤、菜籽油 5 升，由爱心企业捐赠，用于慰问低保、特困和困难老人家庭。", 40,
        &[
            (guanyinjing.0, guanyinjing.1, 60, "入冬走访慰问辖区低保户、特困老人和残疾人家庭", 30),
            (zhongba.0, zhongba.1, 40, "慰问中坝社区困难家庭和失独老人", 25),
        ]).await?;
    resource(tx, ctx, orgs.power, "goods", "爱心棉被", "床", 80,
        "公司职工捐赠的冬季棉被，优先发放给独居老人和困难家庭。", 10,
        &[(zhongba.0, zhongba.1, 20, "发放给中坝社区独居老人", 5)]).await
}
