//! The menu's words (DOMAIN.md §5): who provides an item, its price, who may order it, the
//! order's states and the steps between them, and the parsers for what people type.
use crate::error::{AppError, Conflict, Invalid};
use crate::i18n::*;
use crate::market::domain::coded;
use serde::{Deserialize, Serialize};

coded!(
    /// Who provides an item: an organization, a team, or the community itself.
    ProviderKind, Provider {
        Org = "org" => menu_provider_org,
        Team = "team" => menu_provider_team,
        Community = "community" => menu_provider_community,
    }
);

coded!(
    /// What the resident pays: nothing, a subsidised amount, or the full price.
    PriceKind, Price {
        Free = "free" => menu_price_free,
        Subsidised = "subsidised" => menu_price_subsidised,
        Paid = "paid" => menu_price_paid,
    }
);

coded!(
    /// Where an order stands.
    OrderStatus, Step {
        Submitted = "submitted" => order_submitted,
        Accepted = "accepted" => order_accepted,
        InProgress = "in_progress" => order_in_progress,
        Completed = "completed" => order_completed,
        Confirmed = "confirmed" => order_confirmed,
        Rejected = "rejected" => order_rejected,
        Cancelled = "cancelled" => order_cancelled,
    }
);

impl OrderStatus {
    /// Rejected, cancelled or confirmed: nothing more happens to it.
    pub fn is_closed(self) -> bool {
        matches!(self, OrderStatus::Confirmed | OrderStatus::Rejected | OrderStatus::Cancelled)
    }
}

/// A step of an order: each leaves exactly one state for one other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderStep {
    /// The provider (or staff, dispatching) assigns a person.
    Accept,
    /// The provider declines, with a reason.
    Reject,
    /// The resident withdraws it before anyone accepted it.
    Cancel,
    /// The assigned person begins.
    Start,
    /// The work is done.
    Complete,
    /// The resident confirms and rates it.
    Confirm,
}

impl OrderStep {
    pub const ALL: [OrderStep; 6] =
        [OrderStep::Accept, OrderStep::Reject, OrderStep::Cancel, OrderStep::Start, OrderStep::Complete, OrderStep::Confirm];

    /// The state the step leaves and the one it reaches.
    pub fn transition(self) -> (OrderStatus, OrderStatus) {
        use OrderStatus::*;
        match self {
            OrderStep::Accept => (Submitted, Accepted),
            OrderStep::Reject => (Submitted, Rejected),
            OrderStep::Cancel => (Submitted, Cancelled),
            OrderStep::Start => (Accepted, InProgress),
            OrderStep::Complete => (InProgress, Completed),
            OrderStep::Confirm => (Completed, Confirmed),
        }
    }

    /// Where the step leads from `from`, or a conflict when it cannot be taken there.
    pub fn apply(self, from: OrderStatus) -> Result<OrderStatus, AppError> {
        let (leaves, reaches) = self.transition();
        if from == leaves { Ok(reaches) } else { Err(AppError::Conflict(Conflict::State)) }
    }

    /// Giving the week's place back: the order will not be served.
    pub fn frees_capacity(self) -> bool {
        matches!(self, OrderStep::Reject | OrderStep::Cancel)
    }
}

/// Who provides an item, as a form names it: `org:ID`, `team:ID` or `community`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Provider {
    Org(i64),
    Team(i64),
    Community,
}

impl Provider {
    pub fn parse(input: &str) -> Result<Provider, AppError> {
        let bad = AppError::Invalid(Invalid::Provider);
        let input = input.trim();
        if input == "community" {
            return Ok(Provider::Community);
        }
        let (kind, id) = input.split_once(':').ok_or(bad.clone())?;
        let id: i64 = id.parse().ok().filter(|&i| i > 0).ok_or(bad.clone())?;
        match ProviderKind::from_code(kind) {
            Some(ProviderKind::Org) => Ok(Provider::Org(id)),
            Some(ProviderKind::Team) => Ok(Provider::Team(id)),
            _ => Err(bad),
        }
    }

    pub fn code(self) -> String {
        match self {
            Provider::Org(id) => format!("org:{id}"),
            Provider::Team(id) => format!("team:{id}"),
            Provider::Community => "community".into(),
        }
    }

    pub fn kind(self) -> ProviderKind {
        match self {
            Provider::Org(_) => ProviderKind::Org,
            Provider::Team(_) => ProviderKind::Team,
            Provider::Community => ProviderKind::Community,
        }
    }
}

/// A price: free, or an amount in fen (分) to pay (after the subsidy when subsidised).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Price {
    pub kind: PriceKind,
    pub fen: Option<i64>,
}

impl Price {
    /// The kind's code and an amount in yuan as typed ("12", "12.5", "0.80"); the amount is
    /// ignored for free items and needed otherwise (at most ¥100,000).
    pub fn parse(kind: &str, yuan: &str) -> Result<Price, AppError> {
        let kind = PriceKind::parse(kind)?;
        if kind == PriceKind::Free {
            return Ok(Price { kind, fen: None });
        }
        Ok(Price { kind, fen: Some(parse_yuan(yuan)?) })
    }

    /// "免费", "补贴后 ¥8", "¥30".
    pub fn label(self, locale: Locale) -> String {
        match (self.kind, self.fen) {
            (PriceKind::Free, _) | (_, None) => td_string!(locale, menu_price_free).to_string(),
            (PriceKind::Subsidised, Some(f)) => td_string!(locale, menu_price_subsidised_amount, amount = yuan(f)).to_string(),
            (PriceKind::Paid, Some(f)) => td_string!(locale, menu_price_paid_amount, amount = yuan(f)).to_string(),
        }
    }
}

/// An amount in yuan with at most two decimals into fen: "12.5" → 1250.
pub fn parse_yuan(input: &str) -> Result<i64, AppError> {
    let bad = AppError::Invalid(Invalid::Price);
    let input = input.trim().trim_start_matches(['¥', '￥']);
    let (whole, frac) = input.split_once('.').unwrap_or((input, ""));
    if whole.is_empty() || whole.len() > 6 || frac.len() > 2 || (input.contains('.') && frac.is_empty()) {
        return Err(bad);
    }
    if !whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(bad);
    }
    let fen = whole.parse::<i64>().map_err(|_| bad.clone())? * 100 + format!("{frac:0<2}").parse::<i64>().map_err(|_| bad.clone())?;
    if fen <= 10_000_000 { Ok(fen) } else { Err(bad) }
}

/// Fen shown in yuan: 1250 → "12.50", 800 → "8".
pub fn yuan(fen: i64) -> String {
    if fen % 100 == 0 { format!("{}", fen / 100) } else { format!("{}.{:02}", fen / 100, fen % 100) }
}

/// Orders a week: 1–1000.
pub fn parse_capacity(n: i64) -> Result<i64, AppError> {
    if (1..=1000).contains(&n) { Ok(n) } else { Err(AppError::Invalid(Invalid::Capacity)) }
}

/// How long one order's service takes, in minutes: 1–720.
pub fn parse_service_minutes(n: i64) -> Result<i64, AppError> {
    if (1..=720).contains(&n) { Ok(n) } else { Err(AppError::Invalid(Invalid::Hours)) }
}

/// A minimum age (empty: none), 1–120.
pub fn parse_min_age(n: Option<i64>) -> Result<Option<i64>, AppError> {
    match n {
        None | Some(0) => Ok(None),
        Some(a) if (1..=120).contains(&a) => Ok(Some(a)),
        Some(_) => Err(AppError::Invalid(Invalid::Age)),
    }
}

/// A year of birth: someone 0 to 120 years old in `this_year`.
pub fn parse_birth_year(n: i64, this_year: i64) -> Result<i64, AppError> {
    if (this_year - 120..=this_year).contains(&n) { Ok(n) } else { Err(AppError::Invalid(Invalid::Age)) }
}

/// A rating: 1 to 5 stars.
pub fn parse_rating(n: i64) -> Result<i64, AppError> {
    if (1..=5).contains(&n) { Ok(n) } else { Err(AppError::Invalid(Invalid::Rating)) }
}

/// The local (China Standard Time) year at `epoch_ms`.
pub fn local_year(epoch_ms: i64) -> i64 {
    crate::time::format_local(epoch_ms)[..4].parse().unwrap_or(1970)
}

const WEEK_MS: i64 = 7 * 86_400_000;
/// 1970-01-05 00:00 China Standard Time (a Monday), in epoch milliseconds.
const FIRST_MONDAY_MS: i64 = 4 * 86_400_000 - 8 * 3_600_000;

/// The capacity week (Monday to Sunday, local time) of `epoch_ms`.
pub fn week_of(epoch_ms: i64) -> i64 {
    (epoch_ms - FIRST_MONDAY_MS).div_euclid(WEEK_MS)
}

/// When capacity week `week` begins (Monday 00:00 local time).
pub fn week_start(week: i64) -> i64 {
    FIRST_MONDAY_MS + week * WEEK_MS
}

/// A preferred time is from now to four weeks ahead.
pub const PREFERRED_WITHIN_MS: i64 = 28 * 86_400_000;

/// Orders nobody accepted within this long go to the community's staff.
pub const ESCALATE_AFTER_MS: i64 = 24 * 3_600_000;

/// Who may order an item: a minimum age and/or some buildings of the community.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    pub min_age: Option<i64>,
    /// Empty: every building of the community.
    pub buildings: Vec<i64>,
}

/// Why a resident may not order an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// The item has an age limit and the resident gave no year of birth.
    NoBirthYear,
    TooYoung,
    OtherBuilding,
}

impl Eligibility {
    /// Whether a resident born in `birth_year` living in `building` may order, in `this_year`
    /// (their age is the years since their birth year).
    pub fn admits(&self, birth_year: Option<i64>, building: Option<i64>, this_year: i64) -> Result<(), Refusal> {
        if let Some(min) = self.min_age {
            let year = birth_year.ok_or(Refusal::NoBirthYear)?;
            if this_year - year < min {
                return Err(Refusal::TooYoung);
            }
        }
        if !self.buildings.is_empty() && !building.is_some_and(|b| self.buildings.contains(&b)) {
            return Err(Refusal::OtherBuilding);
        }
        Ok(())
    }
}

impl Refusal {
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Refusal::NoBirthYear => td_string!(locale, menu_refusal_birth_year),
            Refusal::TooYoung => td_string!(locale, menu_refusal_age),
            Refusal::OtherBuilding => td_string!(locale, menu_refusal_building),
        }
    }
}

/// A rating average in tenths shown with one decimal: 46 → "4.6".
pub fn rating_label(sum: i64, count: i64) -> Option<String> {
    (count > 0).then(|| {
        let tenths = (sum * 10 + count / 2) / count;
        format!("{}.{}", tenths / 10, tenths % 10)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_leaves_one_state_and_refuses_the_others() {
        for step in OrderStep::ALL {
            let (from, to) = step.transition();
            assert_eq!(step.apply(from).unwrap(), to);
            for other in OrderStatus::ALL.iter().copied().filter(|s| *s != from) {
                assert_eq!(step.apply(other).unwrap_err(), AppError::Conflict(Conflict::State), "{step:?} from {other:?}");
            }
        }
        // The happy path, and that nothing leaves a closed state.
        let mut s = OrderStatus::Submitted;
        for step in [OrderStep::Accept, OrderStep::Start, OrderStep::Complete, OrderStep::Confirm] {
            s = step.apply(s).unwrap();
        }
        assert_eq!(s, OrderStatus::Confirmed);
        for closed in OrderStatus::ALL.iter().filter(|s| s.is_closed()) {
            assert!(OrderStep::ALL.iter().all(|st| st.apply(*closed).is_err()));
        }
        assert!(OrderStep::Cancel.frees_capacity() && OrderStep::Reject.frees_capacity() && !OrderStep::Accept.frees_capacity());
    }

    #[test]
    fn providers_and_prices_are_parsed() {
        assert_eq!(Provider::parse("org:3").unwrap(), Provider::Org(3));
        assert_eq!(Provider::parse(" team:12 ").unwrap(), Provider::Team(12));
        assert_eq!(Provider::parse("community").unwrap(), Provider::Community);
        for bad in ["", "org:", "org:0", "org:-1", "team:x", "dept:1", "community:1"] {
            assert!(Provider::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Provider::Team(5).code(), "team:5");
        assert_eq!(Price::parse("free", "abc").unwrap(), Price { kind: PriceKind::Free, fen: None });
        assert_eq!(Price::parse("subsidised", "8").unwrap().fen, Some(800));
        assert_eq!(Price::parse("paid", "¥12.5").unwrap().fen, Some(1250));
        assert_eq!(parse_yuan("0.05").unwrap(), 5);
        for bad in ["", "1.", ".5", "1.234", "-1", "1e3", "100001", "abc"] {
            assert!(parse_yuan(bad).is_err(), "{bad}");
        }
        assert!(Price::parse("paid", "").is_err());
        assert!(Price::parse("gift", "1").is_err());
        assert_eq!(yuan(1250), "12.50");
        assert_eq!(yuan(800), "8");
    }

    #[test]
    fn eligibility_by_age_and_building() {
        let sixty = Eligibility { min_age: Some(60), buildings: vec![] };
        assert_eq!(sixty.admits(Some(1966), None, 2026), Ok(()));
        assert_eq!(sixty.admits(Some(1967), None, 2026), Err(Refusal::TooYoung));
        assert_eq!(sixty.admits(None, Some(1), 2026), Err(Refusal::NoBirthYear));
        let buildings = Eligibility { min_age: None, buildings: vec![4, 5] };
        assert_eq!(buildings.admits(None, Some(5), 2026), Ok(()));
        assert_eq!(buildings.admits(None, Some(6), 2026), Err(Refusal::OtherBuilding));
        assert_eq!(buildings.admits(None, None, 2026), Err(Refusal::OtherBuilding));
        assert_eq!(Eligibility::default().admits(None, None, 2026), Ok(()));
    }

    #[test]
    fn weeks_start_on_monday_local_time() {
        let monday = crate::time::parse_local("2026-11-30T00:00").unwrap();
        let sunday_night = crate::time::parse_local("2026-12-06T23:59").unwrap();
        let next_monday = crate::time::parse_local("2026-12-07T00:00").unwrap();
        assert_eq!(week_of(monday), week_of(sunday_night));
        assert_eq!(week_of(next_monday), week_of(monday) + 1);
        assert_eq!(week_of(monday - 60_000), week_of(monday) - 1);
        assert_eq!(local_year(crate::time::parse_local("2026-12-31T23:30").unwrap()), 2026);
    }

    #[test]
    fn small_numbers_are_bounded() {
        assert!(parse_capacity(0).is_err() && parse_capacity(1001).is_err() && parse_capacity(20).is_ok());
        assert!(parse_rating(0).is_err() && parse_rating(6).is_err() && parse_rating(5).is_ok());
        assert_eq!(parse_min_age(Some(0)).unwrap(), None);
        assert!(parse_min_age(Some(121)).is_err());
        assert!(parse_birth_year(1950, 2026).is_ok() && parse_birth_year(1890, 2026).is_err() && parse_birth_year(2027, 2026).is_err());
        assert_eq!(rating_label(23, 5).as_deref(), Some("4.6"));
        assert_eq!(rating_label(0, 0), None);
    }
}
