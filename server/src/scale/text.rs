//! The words of generated content: names, places and what residents write, in the style of the
//! study's district (most in Chinese; a few residents write in English).
use crate::rng::Lcg;

/// New communities, after the demo's ten: (name, in English).
pub const COMMUNITIES: [(&str, &str); 40] = [
    ("北门社区", "Beimen"), ("南门社区", "Nanmen"), ("西门社区", "Ximen"), ("东门社区", "Dongmen"),
    ("柳林社区", "Liulin"), ("槐树社区", "Huaishu"), ("望王山社区", "Wangwangshan"), ("龙泉社区", "Longquan"),
    ("金碧社区", "Jinbi"), ("玉堂社区", "Yutang"), ("书院社区", "Shuyuan"), ("文庙社区", "Wenmiao"),
    ("江滨社区", "Jiangbin"), ("白鹤社区", "Baihe"), ("凤凰社区", "Fenghuang"), ("桂花社区", "Guihua"),
    ("新华社区", "Xinhua"), ("人民路社区", "Renminlu"), ("建设路社区", "Jianshelu"), ("光明社区", "Guangming"),
    ("和平社区", "Heping"), ("民主社区", "Minzhu"), ("团结社区", "Tuanjie"), ("幸福社区", "Xingfu"),
    ("红星社区", "Hongxing"), ("兴隆社区", "Xinglong"), ("回龙社区", "Huilong"), ("石城社区", "Shicheng"),
    ("青龙社区", "Qinglong"), ("九龙社区", "Jiulong"), ("将军社区", "Jiangjun"), ("梓潼社区", "Zitong"),
    ("晏家社区", "Yanjia"), ("江南社区", "Jiangnan"), ("平梁社区", "Pingliang"), ("鼎山社区", "Dingshan"),
    ("化成社区", "Huacheng"), ("三江社区", "Sanjiang"), ("曾口社区", "Zengkou"), ("大茅坪社区", "Damaoping"),
];

/// Community types in turn (DOMAIN.md §1).
pub const KINDS: [&str; 5] = ["old_courtyard", "residential", "business", "work_unit", "urban_rural"];

/// Estates and courtyards, with their property-management kind in roughly the study's shares.
pub const ESTATES: [(&str, &str); 10] = [
    ("锦华苑", "brand"), ("御景湾", "developer"), ("滨江花园", "developer"), ("翠屏小区", "developer"),
    ("粮站院落", "owners_committee"), ("供销社院落", "none"), ("阳光水岸", "brand"), ("香樟苑", "developer"),
    ("电力宿舍", "owners_committee"), ("老街院落", "none"),
];

const SURNAMES: [&str; 48] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
    "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏",
    "蒋", "蔡", "魏", "叶", "余", "杜", "谭", "廖",
];
const GIVEN: [&str; 40] = [
    "秀英", "桂英", "秀兰", "玉兰", "建国", "建华", "国强", "志强", "丽", "敏", "静", "磊", "军", "勇", "杰", "娟", "涛",
    "明", "超", "秀珍", "华", "平", "刚", "桂兰", "红", "霞", "玉梅", "德明", "淑芬", "海燕", "文华", "晓东", "春梅",
    "永红", "光荣", "家宝", "子涵", "浩然", "欣怡", "雨桐",
];
const ENGLISH_NAMES: [&str; 8] = ["Anna", "David", "Maria", "Tom", "Lucy", "Mark", "Sofia", "Ivan"];

/// A resident's display name; one in fifty is a foreign resident's.
pub fn person(rng: &mut Lcg) -> String {
    if rng.chance(2) {
        return rng.pick(&ENGLISH_NAMES).to_string();
    }
    format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN))
}

const PLACES: [&str; 16] = [
    "红旗巷", "老粮站", "书院街", "北街", "南街", "滨江路", "人民路", "建设路", "光明巷", "文庙街", "供销社宿舍", "电力宿舍",
    "3栋", "5栋", "小区东门", "院坝",
];

/// (category, [title templates with {} for a place], body)
const PROPOSALS: [(&str, [&str; 3], &str); 9] = [
    ("environment", ["{}垃圾分类亭改造", "{}绿化带补种", "清理{}楼顶杂物"], "现状影响居民出行和卫生，建议社区协调物业和环卫，限期整改，居民愿意出工出力。"),
    ("safety", ["{}增设消防通道标识", "{}加装监控探头", "{}电动车禁止上楼宣传"], "存在安全隐患，老人孩子多，建议尽快处理，并请网格员定期巡查。"),
    ("facilities", ["{}加装电梯", "{}路灯维修", "{}增设休息座椅"], "楼里老人多，上下楼和夜间出行不便，建议按程序征求意见后实施，费用按政策分摊。"),
    ("parking", ["{}电动车集中充电棚", "规范{}停车秩序", "{}划定临时停车位"], "车辆乱停占用通道，建议统一规划，收费标准由居民议事会商定。"),
    ("elderly", ["{}设立老年助餐点", "{}楼道增设扶手", "{}开设老年人智能手机课堂"], "独居和高龄老人较多，希望社区和社会组织联动，提供就近的助老服务。"),
    ("children", ["{}儿童游乐设施更新", "{}开办四点半课堂", "{}暑期托管班"], "双职工家庭多，孩子放学后无人照看，建议利用社区活动室开展服务。"),
    ("culture", ["{}建设邻里文化墙", "{}举办邻里节", "{}设立共享书屋"], "增进邻里交流，弘扬睦邻文化，建议由志愿服务队牵头组织。"),
    ("property", ["{}选聘物业公司", "{}成立业主委员会", "公开{}维修资金使用情况"], "院落长期缺乏物业管理，建议按程序召开业主大会，议事结果向居民公开。"),
    ("other", ["{}开设便民服务日", "{}设置快递集中收发点", "{}增设公交站台遮雨棚"], "方便居民日常生活，建议社区与相关单位协调解决。"),
];

const ENGLISH_PROPOSALS: [(&str, &str); 3] = [
    ("Bike racks near {}", "Many of us cycle to work; a covered rack would keep bikes off the stairwell."),
    ("English corner at {}", "A weekly meeting for neighbours who want to practise English or Chinese."),
    ("Better lighting at {}", "The path is dark after 7 pm; older neighbours are afraid of falling."),
];

/// A proposal: (category, title, body).
pub fn proposal(rng: &mut Lcg) -> (&'static str, String, String) {
    let place = *rng.pick(&PLACES);
    if rng.chance(3) {
        let (title, body) = rng.pick(&ENGLISH_PROPOSALS);
        return ("other", title.replace("{}", place), body.to_string());
    }
    let (category, titles, body) = rng.pick(&PROPOSALS);
    (category, rng.pick(titles).replace("{}", place), body.to_string())
}

const COMMENTS: [&str; 16] = [
    "同意，建议尽快实施。",
    "支持！我们楼的老人盼了很久了。",
    "费用怎么分摊？希望先公示方案。",
    "一楼住户的意见也要听一听。",
    "我愿意当志愿者帮忙。",
    "上次议事会已经讨论过，期待落实。",
    "建议分期实施，先解决最急的。",
    "物业的意见是什么？",
    "这个问题网格员也反映过。",
    "希望施工时间避开午休。",
    "赞成，附议。",
    "能不能请专业的社会组织来做？",
    "我家老人腿脚不便，这个很需要。",
    "先做个问卷摸清大家的需求。",
    "同意楼上的说法。",
    "谢谢社区，辛苦了！",
];

const ENGLISH_COMMENTS: [&str; 3] = ["Agreed, thank you for raising this.", "Count me in as a volunteer.", "Could the plan be posted in the courtyard first?"];

pub fn comment(rng: &mut Lcg) -> &'static str {
    if rng.chance(3) { *rng.pick(&ENGLISH_COMMENTS) } else { *rng.pick(&COMMENTS) }
}

/// Activities of volunteer teams: (title, skill, place).
pub const ACTIVITIES: [(&str, &str, &str); 10] = [
    ("主题党日·院落清洁", "cleaning", "社区党群服务中心"),
    ("义剪进院落", "haircut", "院坝"),
    ("老年人智能手机课堂", "tech", "社区活动室"),
    ("独居老人探访", "elder_care", "社区"),
    ("汛期值守巡查", "patrol", "滨江路"),
    ("政策宣讲进小区", "legal", "小区广场"),
    ("儿童四点半课堂", "tutoring", "社区活动室"),
    ("义诊量血压", "medical", "社区卫生服务站"),
    ("垃圾分类宣传", "cleaning", "小区东门"),
    ("水电小修", "repair", "院落"),
];

/// Volunteer teams a community may have (its name is put in front).
pub const TEAMS: [(&str, &str); 6] = [
    ("党旗红志愿服务队", "党员和“双报到”在职党员组成，开展主题党日志愿服务和困难群众帮扶。"),
    ("老巷管家", "服务老旧院落：清理楼道、小修小补、助餐送餐。"),
    ("银发红盾", "低龄老人组成的平安巡防队，早晚巡查院落。"),
    ("巾帼志愿服务队", "关爱留守儿童和独居老人，组织邻里文化活动。"),
    ("青年突击队", "社区青年志愿者，承担应急值守和大型活动保障。"),
    ("邻里互助队", "楼栋长带领的互助小组，及时发现和反映居民需求。"),
];

/// Menu items a community offers, one per category: (category, title, minutes, minimum age, price kind, fen).
pub const MENU: [(&str, &str, i64, Option<i64>, &str, Option<i64>); 8] = [
    ("meals", "老年助餐配送", 30, Some(60), "subsidised", Some(800)),
    ("elder", "上门探访陪护", 60, Some(70), "free", None),
    ("health", "上门量血压测血糖", 30, Some(60), "free", None),
    ("cleaning", "居家保洁", 120, Some(70), "subsidised", Some(2000)),
    ("repair", "水电小修", 60, None, "paid", Some(3000)),
    ("legal", "社区法律咨询", 45, None, "free", None),
    ("childcare", "四点半课堂托管", 90, None, "subsidised", Some(1000)),
    ("phone", "学用智能手机", 60, Some(55), "free", None),
];

const ORDER_NOTES: [&str; 8] = ["", "", "请先打电话", "不吃辣", "下午三点以后在家", "家里有老人行动不便", "门铃坏了请敲门", "少油少盐"];

pub fn order_note(rng: &mut Lcg) -> &'static str {
    *rng.pick(&ORDER_NOTES)
}

const RATING_COMMENTS: [&str; 6] = ["", "准时周到，谢谢！", "服务很好", "饭菜还是热的", "师傅手艺好", "下次还点"];

pub fn rating_comment(rng: &mut Lcg) -> Option<&'static str> {
    Some(*rng.pick(&RATING_COMMENTS)).filter(|c| !c.is_empty())
}

/// Wishes residents put on the list: (category, title, description).
pub const WISHES: [(&str, &str, &str); 5] = [
    ("health", "上门康复理疗", "家里老人中风后需要康复训练，希望有专业人员上门指导。"),
    ("childcare", "周末托管", "周末加班时孩子无人照看，希望社区提供托管。"),
    ("legal", "遗嘱公证咨询", "老人想立遗嘱，不知道去哪里咨询。"),
    ("repair", "旧房防水维修", "顶楼漏水，希望有靠谱的维修队伍。"),
    ("elder", "陪同就医", "子女不在身边，去医院看病需要有人陪同。"),
];
