//! The marketplace's words (DOMAIN.md §4), each a closed set with a code for the database and
//! URLs and a label in the reader's language; and the parsers for what people type.
use crate::error::{AppError, Invalid};
use crate::i18n::*;
use serde::{Deserialize, Serialize};

/// An enum of codes: `ALL`, `code`, `from_code`, `parse` (refusing with `$invalid`) and
/// `label` from the catalogue.
macro_rules! coded {
    ($(#[$m:meta])* $name:ident, $invalid:ident { $($variant:ident = $code:literal => $key:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
            pub fn parse(code: &str) -> Result<$name, AppError> {
                Self::from_code(code.trim()).ok_or(AppError::Invalid(Invalid::$invalid))
            }
            pub fn label(self, locale: Locale) -> &'static str {
                match self { $($name::$variant => td_string!(locale, $key)),+ }
            }
        }
    };
}
pub(crate) use coded;

coded!(
    /// What kind of organization: 社会组织, 物业企业, 驻区单位/企业, 慈善组织.
    OrgKind, OrgKind {
        SocialOrg = "social_org" => org_kind_social_org,
        Property = "property" => org_kind_property,
        Unit = "unit" => org_kind_unit,
        Charity = "charity" => org_kind_charity,
    }
);

coded!(
    /// Where an organization stands with the community's staff.
    OrgStatus, OrgKind {
        Pending = "pending" => org_status_pending,
        Verified = "verified" => org_status_verified,
        Rejected = "rejected" => org_status_rejected,
    }
);

coded!(
    /// The service menu's categories (DOMAIN.md §5); an organization's service areas and its
    /// offerings use them too.
    ServiceCategory, Category {
        Elder = "elder" => svc_elder,
        Meals = "meals" => svc_meals,
        Health = "health" => svc_health,
        Cleaning = "cleaning" => svc_cleaning,
        Repair = "repair" => svc_repair,
        Legal = "legal" => svc_legal,
        Childcare = "childcare" => svc_childcare,
        Phone = "phone" => svc_phone,
    }
);

coded!(
    /// What a volunteer can do, and what an activity needs.
    Skill, Skill {
        FirstAid = "first_aid" => skill_first_aid,
        Medical = "medical" => skill_medical,
        Legal = "legal" => skill_legal,
        Repair = "repair" => skill_repair,
        PhoneTeaching = "phone_teaching" => skill_phone_teaching,
        Cooking = "cooking" => skill_cooking,
        Tutoring = "tutoring" => skill_tutoring,
        Counselling = "counselling" => skill_counselling,
        ElderCare = "elder_care" => skill_elder_care,
        Haircut = "haircut" => skill_haircut,
        Cleaning = "cleaning" => skill_cleaning,
        Culture = "culture" => skill_culture,
    }
);

coded!(
    /// A social worker's certification (社会工作者职业水平): 助理社会工作师, 社会工作师, 高级社会工作师.
    SocialWorkerLevel, Level {
        Assistant = "assistant" => sw_level_assistant,
        Intermediate = "intermediate" => sw_level_intermediate,
        Senior = "senior" => sw_level_senior,
    }
);

coded!(
    /// What a charity resource is: goods, funds or a venue.
    ResourceKind, Kind {
        Goods = "goods" => resource_goods,
        Funds = "funds" => resource_funds,
        Venue = "venue" => resource_venue,
    }
);

coded!(
    /// A volunteer's place on an activity.
    SignupStatus, Step {
        Confirmed = "confirmed" => signup_confirmed,
        Waitlisted = "waitlisted" => signup_waitlisted,
    }
);

coded!(
    /// A volunteer's standing with a team.
    MemberStatus, Step {
        Pending = "pending" => member_pending,
        Member = "member" => member_member,
        Declined = "declined" => member_declined,
    }
);

/// Parses a list of codes (checkboxes or a comma-separated field), dropping repeats.
pub fn parse_codes<T: Copy + PartialEq>(
    codes: &[String],
    parse: impl Fn(&str) -> Result<T, AppError>,
) -> Result<Vec<T>, AppError> {
    let mut out = Vec::new();
    for code in codes.iter().flat_map(|c| c.split(',')).map(str::trim).filter(|c| !c.is_empty()) {
        let v = parse(code)?;
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(out)
}

/// Star levels of the service-hours record: 1★ at 100 hours, then 300, 600, 1000 and 1500.
pub const STAR_HOURS: [i64; 5] = [100, 300, 600, 1000, 1500];

/// The stars earned by `minutes` of service (0–5).
pub fn stars(minutes: i64) -> usize {
    STAR_HOURS.iter().filter(|&&h| minutes >= h * 60).count()
}

/// The hours still to serve for the next star, if there is one.
pub fn hours_to_next_star(minutes: i64) -> Option<i64> {
    STAR_HOURS.iter().find(|&&h| minutes < h * 60).map(|h| (h * 60 - minutes + 59) / 60)
}

/// Minutes shown as hours with one decimal: 150 → "2.5".
pub fn hours(minutes: i64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    if tenths % 10 == 0 { format!("{}", tenths / 10) } else { format!("{}.{}", tenths / 10, tenths % 10) }
}

/// Hours as typed by an organiser ("2", "2.5", "1.25") into whole minutes: more than 0 and at
/// most `max_minutes`.
pub fn parse_hours(input: &str, max_minutes: i64) -> Result<i64, AppError> {
    let bad = AppError::Invalid(Invalid::Hours);
    let input = input.trim();
    // "2." and ".5" are typos, not hours: a point needs digits on both sides.
    let (whole, frac, has_point) = match input.split_once('.') {
        Some((w, f)) => (w, f, true),
        None => (input, "", false),
    };
    if whole.is_empty()
        || whole.len() > 3
        || (has_point && frac.is_empty())
        || frac.len() > 2
        || !(whole.bytes().chain(frac.bytes())).all(|b| b.is_ascii_digit())
    {
        return Err(bad);
    }
    let whole: i64 = whole.parse().map_err(|_| bad.clone())?;
    let frac_min = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse::<i64>().map_err(|_| bad.clone())? * 60 / 100 };
    let minutes = whole * 60 + frac_min;
    if minutes > 0 && minutes <= max_minutes { Ok(minutes) } else { Err(bad) }
}

/// A name (organization, team, resource, a social worker): 2–40 characters on one line.
pub fn parse_name(input: &str) -> Result<String, AppError> {
    crate::hall::parse_text(input, 2, 40, false, Invalid::PlaceName)
}

/// A description: 1–2000 characters.
pub fn parse_description(input: &str) -> Result<String, AppError> {
    crate::hall::parse_text(input, 1, 2000, true, Invalid::Text)
}

/// A contact person's name, masked for the public: 张** (the family name only).
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().clamp(1, 2))),
        None => String::new(),
    }
}

/// A check-in code: six digits.
pub fn parse_checkin_code(input: &str) -> Result<String, AppError> {
    let code: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(AppError::Invalid(Invalid::CheckinCode))
    }
}

/// The longest activity: twelve hours.
pub const MAX_ACTIVITY_MS: i64 = 12 * 3_600_000;

/// The check-in code works from an hour before the start until the end.
pub const CHECKIN_OPENS_BEFORE_MS: i64 = 3_600_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_at_the_thresholds() {
        assert_eq!(stars(0), 0);
        assert_eq!(stars(100 * 60 - 1), 0);
        assert_eq!(stars(100 * 60), 1);
        assert_eq!(stars(300 * 60), 2);
        assert_eq!(stars(600 * 60), 3);
        assert_eq!(stars(1000 * 60), 4);
        assert_eq!(stars(1500 * 60), 5);
        assert_eq!(stars(9999 * 60), 5);
        assert_eq!(hours_to_next_star(0), Some(100));
        assert_eq!(hours_to_next_star(99 * 60 + 1), Some(1));
        assert_eq!(hours_to_next_star(1500 * 60), None);
    }

    #[test]
    fn hours_are_parsed_and_shown() {
        assert_eq!(parse_hours("2", 600).unwrap(), 120);
        assert_eq!(parse_hours(" 2.5 ", 600).unwrap(), 150);
        assert_eq!(parse_hours("0.25", 600).unwrap(), 15);
        for bad in ["", "0", "-1", "1e3", "2.", ".5", "abc", "2.555", "11", "１"] {
            assert!(parse_hours(bad, 600).is_err(), "{bad}");
        }
        assert_eq!(hours(150), "2.5");
        assert_eq!(hours(120), "2");
        assert_eq!(hours(0), "0");
    }

    #[test]
    fn codes_and_lists() {
        for s in Skill::ALL {
            assert_eq!(Skill::from_code(s.code()), Some(*s));
        }
        let v = parse_codes(&["first_aid,repair".into(), "repair".into(), "".into()], Skill::parse).unwrap();
        assert_eq!(v, vec![Skill::FirstAid, Skill::Repair]);
        assert!(parse_codes(&["hacking".into()], Skill::parse).is_err());
    }

    #[test]
    fn masking_and_codes() {
        assert_eq!(mask_name("张丽华"), "张**");
        assert_eq!(mask_name("李"), "李*");
        assert_eq!(parse_checkin_code(" 123 456 ").unwrap(), "123456");
        assert!(parse_checkin_code("12345").is_err());
        assert!(parse_checkin_code("12345a").is_err());
    }
}
