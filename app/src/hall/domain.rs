//! The hall's domain types, parsed once at the edge (DOMAIN.md §3).
use crate::error::{AppError, Conflict, Invalid};
use crate::i18n::*;
use serde::{Deserialize, Serialize};

/// Where a proposal is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalState {
    /// 征集: gathering supports.
    Collecting,
    /// 已上会: reached the support threshold or put on the agenda by staff.
    Agenda,
    /// 表决中
    Voting,
    Passed,
    Rejected,
    /// 实施中
    Implementing,
    Done,
    Withdrawn,
    Merged,
}

impl ProposalState {
    pub const ALL: [ProposalState; 9] = [
        Self::Collecting,
        Self::Agenda,
        Self::Voting,
        Self::Passed,
        Self::Rejected,
        Self::Implementing,
        Self::Done,
        Self::Withdrawn,
        Self::Merged,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Collecting => "collecting",
            Self::Agenda => "agenda",
            Self::Voting => "voting",
            Self::Passed => "passed",
            Self::Rejected => "rejected",
            Self::Implementing => "implementing",
            Self::Done => "done",
            Self::Withdrawn => "withdrawn",
            Self::Merged => "merged",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::Collecting => td_string!(locale, state_collecting),
            Self::Agenda => td_string!(locale, state_agenda),
            Self::Voting => td_string!(locale, state_voting),
            Self::Passed => td_string!(locale, state_passed),
            Self::Rejected => td_string!(locale, state_rejected),
            Self::Implementing => td_string!(locale, state_implementing),
            Self::Done => td_string!(locale, state_done),
            Self::Withdrawn => td_string!(locale, state_withdrawn),
            Self::Merged => td_string!(locale, state_merged),
        }
    }

    /// Whether the author may still edit the text.
    pub fn editable(self) -> bool {
        self == Self::Collecting
    }

    /// Whether residents may still add their support.
    pub fn supportable(self) -> bool {
        matches!(self, Self::Collecting | Self::Agenda)
    }
}

/// A step staff take (the system closes votes; authors withdraw).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffStep {
    /// collecting → agenda, before the threshold is reached.
    PutOnAgenda,
    /// agenda → voting, with a closing time.
    OpenVoting,
    /// passed → implementing.
    StartImplementing,
    /// implementing → done.
    Complete,
    /// collecting/agenda → merged into another proposal of the community.
    Merge,
}

impl StaffStep {
    pub const ALL: [StaffStep; 5] =
        [Self::PutOnAgenda, Self::OpenVoting, Self::StartImplementing, Self::Complete, Self::Merge];

    pub fn code(self) -> &'static str {
        match self {
            Self::PutOnAgenda => "put_on_agenda",
            Self::OpenVoting => "open_voting",
            Self::StartImplementing => "start_implementing",
            Self::Complete => "complete",
            Self::Merge => "merge",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, AppError> {
        Self::ALL.into_iter().find(|s| s.code() == code).ok_or(AppError::Conflict(Conflict::State))
    }

    /// The state this step leads to from `from`, or a conflict when it is not allowed there.
    pub fn apply(self, from: ProposalState) -> Result<ProposalState, AppError> {
        use ProposalState::*;
        let to = match (self, from) {
            (Self::PutOnAgenda, Collecting) => Agenda,
            (Self::OpenVoting, Agenda) => Voting,
            (Self::StartImplementing, Passed) => Implementing,
            (Self::Complete, Implementing) => Done,
            (Self::Merge, Collecting | Agenda) => Merged,
            _ => return Err(AppError::Conflict(Conflict::State)),
        };
        Ok(to)
    }

    /// The steps staff may take from `state` (for the staff panel).
    pub fn available(state: ProposalState) -> Vec<StaffStep> {
        Self::ALL.into_iter().filter(|s| s.apply(state).is_ok()).collect()
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::PutOnAgenda => td_string!(locale, step_put_on_agenda),
            Self::OpenVoting => td_string!(locale, step_open_voting),
            Self::StartImplementing => td_string!(locale, step_start_implementing),
            Self::Complete => td_string!(locale, step_complete),
            Self::Merge => td_string!(locale, step_merge),
        }
    }
}

/// The outcome of a closed vote: passed when more residents voted for than against.
/// Abstentions count towards turnout, not towards either side.
pub fn outcome(votes_for: i64, votes_against: i64) -> ProposalState {
    if votes_for > votes_against { ProposalState::Passed } else { ProposalState::Rejected }
}

/// What a proposal is about (filters the list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Environment,
    Safety,
    Facilities,
    Parking,
    Elderly,
    Children,
    Culture,
    Property,
    Other,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Self::Environment,
        Self::Safety,
        Self::Facilities,
        Self::Parking,
        Self::Elderly,
        Self::Children,
        Self::Culture,
        Self::Property,
        Self::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Environment => "environment",
            Self::Safety => "safety",
            Self::Facilities => "facilities",
            Self::Parking => "parking",
            Self::Elderly => "elderly",
            Self::Children => "children",
            Self::Culture => "culture",
            Self::Property => "property",
            Self::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Result<Self, AppError> {
        Self::ALL.into_iter().find(|c| c.code() == code).ok_or(AppError::Invalid(Invalid::Category))
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::Environment => td_string!(locale, cat_environment),
            Self::Safety => td_string!(locale, cat_safety),
            Self::Facilities => td_string!(locale, cat_facilities),
            Self::Parking => td_string!(locale, cat_parking),
            Self::Elderly => td_string!(locale, cat_elderly),
            Self::Children => td_string!(locale, cat_children),
            Self::Culture => td_string!(locale, cat_culture),
            Self::Property => td_string!(locale, cat_property),
            Self::Other => td_string!(locale, cat_other),
        }
    }
}

/// A vote's choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    For,
    Against,
    Abstain,
}

impl Choice {
    pub const ALL: [Choice; 3] = [Self::For, Self::Against, Self::Abstain];

    pub fn code(self) -> &'static str {
        match self {
            Self::For => "for",
            Self::Against => "against",
            Self::Abstain => "abstain",
        }
    }

    pub fn parse(code: &str) -> Result<Self, AppError> {
        Self::ALL.into_iter().find(|c| c.code() == code).ok_or(AppError::Invalid(Invalid::Choice))
    }

    /// The counter column on `proposal` this choice adds to.
    pub fn column(self) -> &'static str {
        match self {
            Self::For => "votes_for",
            Self::Against => "votes_against",
            Self::Abstain => "votes_abstain",
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::For => td_string!(locale, vote_for),
            Self::Against => td_string!(locale, vote_against),
            Self::Abstain => td_string!(locale, vote_abstain),
        }
    }
}

/// Text a user typed: trimmed, `min..=max` characters, no control characters except line
/// breaks and tabs, and nothing that makes text read otherwise than it is stored: no
/// bidirectional overrides or isolates, no invisible characters (multi-line text keeps the
/// zero-width joiner and non-joiner that emoji and some scripts need).
/// Markup is kept as typed: pages render it as text, never as HTML.
pub fn parse_text(input: &str, min: usize, max: usize, multiline: bool, err: Invalid) -> Result<String, AppError> {
    let text = input.trim().replace("\r\n", "\n");
    let n = text.chars().count();
    let bad_char = text.chars().any(|c| {
        (c.is_control() && !(multiline && (c == '\n' || c == '\t')))
            || is_bidi_control(c)
            || (is_invisible(c) && !(multiline && matches!(c, '\u{200C}' | '\u{200D}')))
    });
    if (min..=max).contains(&n) && !bad_char { Ok(text) } else { Err(AppError::Invalid(err)) }
}

/// Characters that reorder the text around them (the "Trojan Source" trick).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no space: two names that differ only by them look the same.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// A proposal's title: 4–80 characters on one line.
pub fn parse_title(input: &str) -> Result<String, AppError> {
    parse_text(input, 4, 80, false, Invalid::Title)
}

/// A proposal's body, a comment, minutes or a progress update: 1–5000 characters.
pub fn parse_body(input: &str) -> Result<String, AppError> {
    parse_text(input, 1, 5000, true, Invalid::Text)
}

/// A reason or a public note: 1–500 characters (a note may be empty where it is optional).
pub fn parse_reason(input: &str) -> Result<String, AppError> {
    parse_text(input, 1, 500, true, Invalid::Reason)
}

pub fn parse_note(input: &str) -> Result<String, AppError> {
    parse_text(input, 0, 500, true, Invalid::Reason)
}

/// A short line such as a venue: 1–100 characters.
pub fn parse_line(input: &str) -> Result<String, AppError> {
    parse_text(input, 1, 100, false, Invalid::Text)
}

/// A head count or a ballot count: 0–100000.
pub fn parse_count(input: i64) -> Result<i64, AppError> {
    if (0..=100_000).contains(&input) { Ok(input) } else { Err(AppError::Invalid(Invalid::Count)) }
}

/// The lower-cased text substring search looks in.
pub fn search_text(title: &str, body: &str) -> String {
    format!("{}\n{}", title.to_lowercase(), body.to_lowercase())
}

/// A search query as a LIKE pattern (`\` escapes `%`, `_` and itself), or None when empty.
pub fn like_pattern(query: &str) -> Option<String> {
    let q: String = query.trim().chars().filter(|c| !c.is_control()).take(40).collect();
    if q.is_empty() {
        return None;
    }
    let mut p = String::from("%");
    for c in q.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    Some(p)
}

/// How the list is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Newest,
    MostSupported,
    /// Proposals in voting, closing first first.
    ClosingSoon,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Self::Newest, Self::MostSupported, Self::ClosingSoon];

    pub fn code(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::MostSupported => "supported",
            Self::ClosingSoon => "closing",
        }
    }

    pub fn from_code(code: &str) -> Self {
        Self::ALL.into_iter().find(|s| s.code() == code).unwrap_or_default()
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::Newest => td_string!(locale, sort_newest),
            Self::MostSupported => td_string!(locale, sort_supported),
            Self::ClosingSoon => td_string!(locale, sort_closing),
        }
    }
}

/// Where the next page starts: the sort key and id of the last proposal shown, as `key.id`
/// in the URL (keyset pagination: page 100 costs what page 1 costs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub key: i64,
    pub id: i64,
}

impl Cursor {
    pub fn parse(s: &str) -> Option<Cursor> {
        let (key, id) = s.split_once('.')?;
        Some(Cursor { key: key.parse().ok()?, id: id.parse().ok()? })
    }

    pub fn encode(self) -> String {
        format!("{}.{}", self.key, self.id)
    }
}

/// Comments may be edited for this long after posting.
pub const EDIT_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Reports by this many different residents hide a comment pending review.
pub const REPORTS_TO_HIDE: i64 = 3;
/// Proposals per list page.
pub const PAGE_SIZE: i64 = 20;
/// Top-level comments per page of a discussion, each with all its replies. Twenty, which a
/// phone scrolls comfortably (Consul Democracy shows ten); at fifty, a page of the city
/// preset's 2,000-comment thread held about 170 comments and rendered at a third of the home
/// page's rate (bench/RESULTS.md).
pub const COMMENTS_PAGE: i64 = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_steps_follow_the_lifecycle() {
        use ProposalState::*;
        assert_eq!(StaffStep::OpenVoting.apply(Agenda).unwrap(), Voting);
        assert!(StaffStep::OpenVoting.apply(Collecting).is_err());
        assert!(StaffStep::Complete.apply(Passed).is_err());
        assert!(StaffStep::Merge.apply(Voting).is_err());
        for s in [Done, Withdrawn, Merged, Rejected] {
            assert!(StaffStep::available(s).is_empty(), "{s:?}");
        }
        assert_eq!(StaffStep::available(Passed), vec![StaffStep::StartImplementing]);
    }

    #[test]
    fn ties_reject() {
        assert_eq!(outcome(5, 5), ProposalState::Rejected);
        assert_eq!(outcome(6, 5), ProposalState::Passed);
    }

    #[test]
    fn text_is_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(parse_title("  加装电梯的议题 ").unwrap(), "加装电梯的议题");
        assert!(parse_title("短").is_err());
        assert!(parse_title("标题\n换行").is_err());
        assert!(parse_title(&"长".repeat(81)).is_err());
        assert_eq!(parse_body("第一行\r\n第二行").unwrap(), "第一行\n第二行");
        assert!(parse_body("nul\0").is_err());
        assert!(parse_body("   ").is_err());
        // Markup is text: kept as typed, escaped when rendered.
        assert_eq!(parse_body("<script>x</script>").unwrap(), "<script>x</script>");
    }

    #[test]
    fn search_patterns_escape_wildcards() {
        assert_eq!(like_pattern("电梯").as_deref(), Some("%电梯%"));
        assert_eq!(like_pattern("100%_").as_deref(), Some("%100\\%\\_%"));
        assert_eq!(like_pattern("  "), None);
        assert_eq!(like_pattern("ABC").as_deref(), Some("%abc%"));
    }

    #[test]
    fn cursors_round_trip() {
        let c = Cursor { key: 12, id: 345 };
        assert_eq!(Cursor::parse(&c.encode()), Some(c));
        assert_eq!(Cursor::parse("x.1"), None);
        assert_eq!(Cursor::parse("1"), None);
    }
}
