//! The appeals' domain types, parsed once at the edge (DOMAIN.md §6), and the state machine:
//! which step leads where, and who takes it.
use crate::error::{AppError, Conflict, Invalid};
use crate::i18n::*;
use serde::{Deserialize, Serialize};

/// Where an appeal is in the loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealState {
    /// 受理: filed, waiting for the community.
    Submitted,
    /// 已分类: the community resolves it itself, or it waits for the street's dispatch.
    Classified,
    /// 已派单: sent to a department; its clock runs.
    Dispatched,
    /// 已签收
    Accepted,
    /// 已退回: the department sent it back to the street, with a reason.
    Returned,
    /// 已答复
    Replied,
    /// 已核实: the community checked the reply; waiting for the callback.
    Verified,
    /// 已办结
    Closed,
}

impl AppealState {
    pub const ALL: [AppealState; 8] = [
        Self::Submitted,
        Self::Classified,
        Self::Dispatched,
        Self::Accepted,
        Self::Returned,
        Self::Replied,
        Self::Verified,
        Self::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Classified => "classified",
            Self::Dispatched => "dispatched",
            Self::Accepted => "accepted",
            Self::Returned => "returned",
            Self::Replied => "replied",
            Self::Verified => "verified",
            Self::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::Submitted => td_string!(locale, appeal_state_submitted),
            Self::Classified => td_string!(locale, appeal_state_classified),
            Self::Dispatched => td_string!(locale, appeal_state_dispatched),
            Self::Accepted => td_string!(locale, appeal_state_accepted),
            Self::Returned => td_string!(locale, appeal_state_returned),
            Self::Replied => td_string!(locale, appeal_state_replied),
            Self::Verified => td_string!(locale, appeal_state_verified),
            Self::Closed => td_string!(locale, appeal_state_closed),
        }
    }

    /// Open311's two statuses.
    pub fn open311_status(self) -> &'static str {
        if self == Self::Closed { "closed" } else { "open" }
    }

    /// States in which a deadline runs (and an appeal can fall overdue).
    pub fn clock_runs(self) -> bool {
        matches!(self, Self::Classified | Self::Dispatched | Self::Accepted)
    }
}

/// How the community routes a classified appeal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// 社区自办: the community resolves it.
    Local,
    /// 上报街道: the street dispatches it to a department.
    Escalate,
}

impl Route {
    pub fn code(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Escalate => "escalate",
        }
    }

    pub fn parse(code: &str) -> Result<Self, AppError> {
        match code {
            "local" => Ok(Self::Local),
            "escalate" => Ok(Self::Escalate),
            _ => Err(AppError::Invalid(Invalid::Route)),
        }
    }
}

/// What an appeal is about (also Open311's service codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealCategory {
    /// 物业服务
    Property,
    /// 邻里纠纷
    NeighbourDispute,
    /// 噪音
    Noise,
    /// 漏水渗水
    Leak,
    /// 占用公共空间/私搭乱建
    Encroachment,
    /// 市容环境
    Environment,
    /// 设施维修
    Repair,
    /// 其他
    Other,
}

impl AppealCategory {
    pub const ALL: [AppealCategory; 8] = [
        Self::Property,
        Self::NeighbourDispute,
        Self::Noise,
        Self::Leak,
        Self::Encroachment,
        Self::Environment,
        Self::Repair,
        Self::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Property => "property",
            Self::NeighbourDispute => "neighbour_dispute",
            Self::Noise => "noise",
            Self::Leak => "leak",
            Self::Encroachment => "encroachment",
            Self::Environment => "environment",
            Self::Repair => "repair",
            Self::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Result<Self, AppError> {
        Self::ALL.into_iter().find(|c| c.code() == code).ok_or(AppError::Invalid(Invalid::Category))
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::Property => td_string!(locale, appeal_cat_property),
            Self::NeighbourDispute => td_string!(locale, appeal_cat_neighbour_dispute),
            Self::Noise => td_string!(locale, appeal_cat_noise),
            Self::Leak => td_string!(locale, appeal_cat_leak),
            Self::Encroachment => td_string!(locale, appeal_cat_encroachment),
            Self::Environment => td_string!(locale, appeal_cat_environment),
            Self::Repair => td_string!(locale, appeal_cat_repair),
            Self::Other => td_string!(locale, appeal_cat_other),
        }
    }

    /// The urgency a resident's filing suggests before the community classifies it: water,
    /// power and gas problems are urgent by the 12345 standard.
    pub fn default_urgency(self) -> Urgency {
        if self == Self::Leak { Urgency::Urgent } else { Urgency::Normal }
    }
}

/// How fast an appeal must be handled; the time limits are rows of `urgency_rule`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// 紧急: 2 hours by default.
    Emergency,
    /// 加急 (water, power, gas, heating): 24 hours.
    Urgent,
    /// 一般: 7 days.
    Normal,
    /// 复杂: 15 days.
    Complex,
}

impl Urgency {
    pub const ALL: [Urgency; 4] = [Self::Emergency, Self::Urgent, Self::Normal, Self::Complex];

    pub fn code(self) -> &'static str {
        match self {
            Self::Emergency => "emergency",
            Self::Urgent => "urgent",
            Self::Normal => "normal",
            Self::Complex => "complex",
        }
    }

    pub fn parse(code: &str) -> Result<Self, AppError> {
        Self::ALL.into_iter().find(|u| u.code() == code).ok_or(AppError::Invalid(Invalid::Urgency))
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::Emergency => td_string!(locale, urgency_emergency),
            Self::Urgent => td_string!(locale, urgency_urgent),
            Self::Normal => td_string!(locale, urgency_normal),
            Self::Complex => td_string!(locale, urgency_complex),
        }
    }
}

/// How an appeal reached us.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Filed by the resident on the portal.
    Online,
    /// 网格排查: found by a grid worker on patrol.
    GridPatrol,
    /// Phoned in; typed in by staff or a grid worker.
    Hotline,
    /// 上门/来访: told in person; typed in on the resident's behalf.
    Visit,
    /// Filed by an Open311 client app.
    Open311,
}

impl Source {
    pub const ALL: [Source; 5] = [Self::Online, Self::GridPatrol, Self::Hotline, Self::Visit, Self::Open311];
    /// What staff may choose when they file on someone's behalf.
    pub const ASSISTED: [Source; 3] = [Self::GridPatrol, Self::Hotline, Self::Visit];

    pub fn code(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::GridPatrol => "grid_patrol",
            Self::Hotline => "hotline",
            Self::Visit => "visit",
            Self::Open311 => "open311",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::Online => td_string!(locale, source_online),
            Self::GridPatrol => td_string!(locale, source_grid_patrol),
            Self::Hotline => td_string!(locale, source_hotline),
            Self::Visit => td_string!(locale, source_visit),
            Self::Open311 => td_string!(locale, source_open311),
        }
    }
}

/// Who acts on an appeal at a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The community's staff.
    Community,
    /// The street's officers.
    Street,
    /// The handlers of the department it is dispatched to.
    Department,
    /// The reporter, or community staff calling back on their behalf.
    Reporter,
}

/// A step along the loop (filing and the overdue mark are not steps anyone chooses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Classify,
    /// A locally handled appeal goes to the street after all.
    Escalate,
    Dispatch,
    Accept,
    Return,
    RequestExtension,
    ApproveExtension,
    RefuseExtension,
    Reply,
    Verify,
    /// The community finds the reply wanting and sends it back to whoever replied.
    Reopen,
    Callback,
}

impl Step {
    pub const ALL: [Step; 12] = [
        Self::Classify,
        Self::Escalate,
        Self::Dispatch,
        Self::Accept,
        Self::Return,
        Self::RequestExtension,
        Self::ApproveExtension,
        Self::RefuseExtension,
        Self::Reply,
        Self::Verify,
        Self::Reopen,
        Self::Callback,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Classify => "classify",
            Self::Escalate => "escalate",
            Self::Dispatch => "dispatch",
            Self::Accept => "accept",
            Self::Return => "return",
            Self::RequestExtension => "request_extension",
            Self::ApproveExtension => "approve_extension",
            Self::RefuseExtension => "refuse_extension",
            Self::Reply => "reply",
            Self::Verify => "verify",
            Self::Reopen => "reopen",
            Self::Callback => "callback",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::Classify => td_string!(locale, step_classify),
            Self::Escalate => td_string!(locale, step_escalate),
            Self::Dispatch => td_string!(locale, step_dispatch),
            Self::Accept => td_string!(locale, step_accept),
            Self::Return => td_string!(locale, step_return),
            Self::RequestExtension => td_string!(locale, step_request_extension),
            Self::ApproveExtension => td_string!(locale, step_approve_extension),
            Self::RefuseExtension => td_string!(locale, step_refuse_extension),
            Self::Reply => td_string!(locale, step_reply),
            Self::Verify => td_string!(locale, step_verify),
            Self::Reopen => td_string!(locale, step_reopen),
            Self::Callback => td_string!(locale, step_callback),
        }
    }

    /// Whether this step moves the appeal forward (reply, dispatch…) rather than aside
    /// (send back, ask for time, reopen): forward steps are offered first.
    pub fn forward(self) -> bool {
        !matches!(self, Self::Escalate | Self::Return | Self::RequestExtension | Self::RefuseExtension | Self::Reopen)
    }

    /// Who takes this step, whatever the state (a reply comes from the department the appeal
    /// is with, or from the community when it handles the appeal itself).
    pub fn actor(self) -> Actor {
        match self {
            Self::Classify | Self::Escalate | Self::Verify | Self::Reopen => Actor::Community,
            Self::Dispatch | Self::ApproveExtension | Self::RefuseExtension => Actor::Street,
            Self::Accept | Self::Return | Self::RequestExtension | Self::Reply => Actor::Department,
            Self::Callback => Actor::Reporter,
        }
    }

    /// Where this step leads from `at`, and who may take it there; a conflict when the step
    /// is not allowed in that state. `route` is the classification, `extension_pending`
    /// whether a request waits for the street.
    pub fn apply(self, at: AppealState, route: Option<Route>, extension_pending: bool) -> Result<(AppealState, Actor), AppError> {
        use AppealState::*;
        let local = route == Some(Route::Local);
        let next = match (self, at) {
            (Self::Classify, Submitted) => (Classified, Actor::Community),
            (Self::Escalate, Classified) if local => (Classified, Actor::Community),
            (Self::Dispatch, Classified) if route == Some(Route::Escalate) => (Dispatched, Actor::Street),
            (Self::Dispatch, Returned) => (Dispatched, Actor::Street),
            (Self::Accept, Dispatched) => (Accepted, Actor::Department),
            (Self::Return, Dispatched) => (Returned, Actor::Department),
            (Self::RequestExtension, Accepted) if !extension_pending => (Accepted, Actor::Department),
            (Self::ApproveExtension | Self::RefuseExtension, Accepted) if extension_pending => (Accepted, Actor::Street),
            (Self::Reply, Accepted) => (Replied, Actor::Department),
            (Self::Reply, Classified) if local => (Replied, Actor::Community),
            (Self::Verify, Replied) => (Verified, Actor::Community),
            (Self::Reopen, Replied) => (if local { Classified } else { Accepted }, Actor::Community),
            (Self::Callback, Verified) => (Closed, Actor::Reporter),
            _ => return Err(AppError::Conflict(Conflict::State)),
        };
        Ok(next)
    }
}

/// A department may send an appeal back only within two working days of its dispatch.
pub const RETURN_WORKING_DAYS: i64 = 2;

/// An extension asks for 1–30 more days.
pub fn parse_extension_days(days: i64) -> Result<i64, AppError> {
    if (1..=30).contains(&days) { Ok(days) } else { Err(AppError::Invalid(Invalid::Count)) }
}

/// The description of an appeal: 5–2000 characters.
pub fn parse_description(input: &str) -> Result<String, AppError> {
    let text = crate::hall::parse_body(input).map_err(|_| AppError::Invalid(Invalid::Text))?;
    let n = text.chars().count();
    if (5..=2000).contains(&n) { Ok(text) } else { Err(AppError::Invalid(Invalid::Text)) }
}

/// A limit in minutes, as admins may set it: 10 minutes to a year.
pub fn parse_limit_minutes(minutes: i64) -> Result<i64, AppError> {
    if (10..=525_600).contains(&minutes) { Ok(minutes) } else { Err(AppError::Invalid(Invalid::Count)) }
}

const DAY_MS: i64 = 86_400_000;
const CST_MS: i64 = 8 * 3_600_000;

/// `at` plus `n` working days (Monday to Friday, in local time): a weekend does not count.
pub fn add_working_days(at: i64, n: i64) -> i64 {
    let mut t = at;
    let mut left = n;
    while left > 0 {
        t += DAY_MS;
        // 1970-01-01 was a Thursday: day 0 → weekday 3 (Monday = 0).
        let weekday = ((t + CST_MS).div_euclid(DAY_MS) + 3).rem_euclid(7);
        if weekday < 5 {
            left -= 1;
        }
    }
    t
}

/// The local month (`YYYY-MM`) an instant falls in: the key of the monthly statistics.
pub fn month_of(at: i64) -> String {
    crate::time::format_local(at)[..7].to_string()
}

/// Parses a `YYYY-MM` month.
pub fn parse_month(input: &str) -> Option<String> {
    let input = input.trim();
    (input.len() == 7 && crate::time::parse_date(&format!("{input}-01")).is_some()).then(|| input.to_string())
}

/// Time left until `deadline` (negative when overdue), as "3 天 4 小时" / "3 d 4 h".
pub fn remaining(locale: Locale, now: i64, deadline: i64) -> String {
    let left = deadline - now;
    let mins = left.abs() / 60_000;
    let (d, h, m) = (mins / 1440, mins / 60 % 24, mins % 60);
    let span = match (d, h) {
        (0, 0) => td_string!(locale, span_minutes, m = m).to_string(),
        (0, _) => td_string!(locale, span_hours, h = h, m = m).to_string(),
        _ => td_string!(locale, span_days, d = d, h = h).to_string(),
    };
    if left >= 0 {
        td_string!(locale, time_left, span = span).to_string()
    } else {
        td_string!(locale, time_overdue, span = span).to_string()
    }
}

/// A rate in per cent with one decimal, or "—" when there is nothing to divide.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// `v` with one decimal, as `format!("{v:.1}")` writes it, by integer arithmetic: the float
/// formatter's exact-decimal path was two fifths of the rates chart's render (callgrind), which
/// writes a few hundred such numbers. Equal to `{:.1}` for the rates `percent` gives (whole
/// tenths); elsewhere (chart coordinates) it may round a last digit the other way on a tie.
pub fn push_tenths(out: &mut String, v: f64) {
    let t = (v * 10.0).round() as i64;
    if t < 0 {
        out.push('-');
    }
    let t = t.unsigned_abs();
    // Integers take the formatter's short path; only floats take the long one.
    let _ = std::fmt::Write::write_fmt(out, format_args!("{}.", t / 10));
    out.push(char::from(b'0' + (t % 10) as u8));
}

/// `push_tenths` into a new string.
pub fn tenths(v: f64) -> String {
    let mut out = String::with_capacity(8);
    push_tenths(&mut out, v);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use AppealState::*;

    #[test]
    fn tenths_write_what_the_formatter_writes() {
        for k in -20_000..=20_000 {
            let v = k as f64 / 10.0;
            assert_eq!(tenths(v), format!("{v:.1}"), "{k}");
        }
        for (part, whole) in [(1, 3), (2, 3), (1921, 2000), (0, 7), (7, 7), (123_456, 123_457)] {
            let v = percent(part, whole).unwrap();
            assert_eq!(tenths(v), format!("{v:.1}"));
        }
        assert_eq!(tenths(44.0), "44.0");
        assert_eq!(tenths(0.04), "0.0");
        assert_eq!(tenths(-0.5), "-0.5");
    }

    #[test]
    fn the_loop_goes_only_forward_by_the_allowed_steps() {
        let esc = Some(Route::Escalate);
        assert_eq!(Step::Classify.apply(Submitted, None, false).unwrap(), (Classified, Actor::Community));
        assert_eq!(Step::Dispatch.apply(Classified, esc, false).unwrap(), (Dispatched, Actor::Street));
        assert_eq!(Step::Return.apply(Dispatched, esc, false).unwrap(), (Returned, Actor::Department));
        assert_eq!(Step::Dispatch.apply(Returned, esc, false).unwrap(), (Dispatched, Actor::Street));
        assert_eq!(Step::Accept.apply(Dispatched, esc, false).unwrap(), (Accepted, Actor::Department));
        assert_eq!(Step::RequestExtension.apply(Accepted, esc, false).unwrap(), (Accepted, Actor::Department));
        assert_eq!(Step::ApproveExtension.apply(Accepted, esc, true).unwrap(), (Accepted, Actor::Street));
        assert_eq!(Step::Reply.apply(Accepted, esc, false).unwrap(), (Replied, Actor::Department));
        assert_eq!(Step::Reopen.apply(Replied, esc, false).unwrap(), (Accepted, Actor::Community));
        assert_eq!(Step::Verify.apply(Replied, esc, false).unwrap(), (Verified, Actor::Community));
        assert_eq!(Step::Callback.apply(Verified, esc, false).unwrap(), (Closed, Actor::Reporter));
        // Local handling: the community replies itself; no dispatch.
        let local = Some(Route::Local);
        assert_eq!(Step::Reply.apply(Classified, local, false).unwrap(), (Replied, Actor::Community));
        assert_eq!(Step::Reopen.apply(Replied, local, false).unwrap(), (Classified, Actor::Community));
        assert!(Step::Dispatch.apply(Classified, local, false).is_err());
        assert_eq!(Step::Escalate.apply(Classified, local, false).unwrap(), (Classified, Actor::Community));
    }

    #[test]
    fn each_step_has_one_actor_in_every_state() {
        for step in Step::ALL {
            for state in AppealState::ALL {
                for route in [None, Some(Route::Local), Some(Route::Escalate)] {
                    if let Ok((_, actor)) = step.apply(state, route, step == Step::ApproveExtension || step == Step::RefuseExtension) {
                        // A local reply is the community's, which `may_act` maps from Department.
                        let local_reply = step == Step::Reply && actor == Actor::Community;
                        assert!(actor == step.actor() || local_reply, "{step:?} at {state:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_other_pair_is_refused() {
        let allowed = [
            (Step::Classify, Submitted),
            (Step::Escalate, Classified),
            (Step::Dispatch, Classified),
            (Step::Dispatch, Returned),
            (Step::Accept, Dispatched),
            (Step::Return, Dispatched),
            (Step::RequestExtension, Accepted),
            (Step::ApproveExtension, Accepted),
            (Step::RefuseExtension, Accepted),
            (Step::Reply, Accepted),
            (Step::Reply, Classified),
            (Step::Verify, Replied),
            (Step::Reopen, Replied),
            (Step::Callback, Verified),
        ];
        for step in Step::ALL {
            for state in AppealState::ALL {
                for route in [None, Some(Route::Local), Some(Route::Escalate)] {
                    for pending in [false, true] {
                        if !allowed.contains(&(step, state)) {
                            assert_eq!(
                                step.apply(state, route, pending).unwrap_err(),
                                AppError::Conflict(Conflict::State),
                                "{step:?} at {state:?}"
                            );
                        }
                    }
                }
            }
        }
        // A second extension request waits for the first to be decided; no decision without one.
        assert!(Step::RequestExtension.apply(Accepted, Some(Route::Escalate), true).is_err());
        assert!(Step::ApproveExtension.apply(Accepted, Some(Route::Escalate), false).is_err());
    }

    #[test]
    fn working_days_skip_the_weekend() {
        // Friday 2026-11-27 10:00 local → Tuesday 2026-12-01 10:00.
        let friday = crate::time::parse_local("2026-11-27T10:00").unwrap();
        let tuesday = crate::time::parse_local("2026-12-01T10:00").unwrap();
        assert_eq!(add_working_days(friday, 2), tuesday);
        let monday = crate::time::parse_local("2026-11-23T10:00").unwrap();
        assert_eq!(add_working_days(monday, 2), crate::time::parse_local("2026-11-25T10:00").unwrap());
    }

    #[test]
    fn months_and_rates() {
        // 2026-11-30 20:00 UTC is already December in Beijing.
        assert_eq!(month_of(crate::time::parse_local("2026-12-01T04:00").unwrap()), "2026-12");
        assert_eq!(parse_month("2026-02").as_deref(), Some("2026-02"));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(0, 0), None);
    }
}
