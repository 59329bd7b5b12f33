//! 邻里议事厅, the neighbourhood discussion hall (DOMAIN.md §3): residents propose, support,
//! discuss and vote; staff move proposals along, moderate, record offline meetings and post
//! progress until done.
//!
//! Server functions, one concern each: `proposals` (create, edit, withdraw, list, read),
//! `decide` (support, vote, staff steps, progress, follow), `discussion` (comments and
//! moderation), `meetings` (线下议事会). Pages live in `pages/`.
mod decide;
mod discussion;
pub mod domain;
mod meetings;
pub mod pages;
mod proposals;
#[cfg(feature = "ssr")]
pub mod store;

pub use decide::*;
pub use discussion::*;
pub use domain::*;
pub use meetings::*;
pub use proposals::*;

use serde::{Deserialize, Serialize};

/// A community's hall as its pages show it, with what the viewer may do there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommunityHall {
    pub id: i64,
    pub name: String,
    pub name_en: String,
    pub support_threshold: i64,
    /// A verified resident of this community: may propose, support and vote.
    pub can_participate: bool,
    /// Community staff of it: moves proposals along and moderates.
    pub is_staff: bool,
}

/// A community in the hall's index, with how many proposals are open there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HallIndexEntry {
    pub id: i64,
    pub name: String,
    pub name_en: String,
    pub street: String,
    pub open_proposals: i64,
    /// The viewer's own (verified) community, listed first.
    pub mine: bool,
}

/// The public tally of a vote. Who voted how never leaves the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Tally {
    pub votes_for: i64,
    pub against: i64,
    pub abstain: i64,
}

impl Tally {
    pub fn total(&self) -> i64 {
        self.votes_for + self.against + self.abstain
    }
}

/// A proposal in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalSummary {
    pub id: i64,
    pub title: String,
    pub category: Category,
    pub state: ProposalState,
    pub support_count: i64,
    pub tally: Tally,
    pub comment_count: i64,
    pub voting_closes_at: Option<i64>,
    pub created_at: i64,
    /// None for a deleted account.
    pub author: Option<String>,
}

/// One page of a community's proposals and the cursor of the next.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalList {
    pub items: Vec<ProposalSummary>,
    pub next: Option<String>,
}

/// A step on a proposal's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub from: Option<ProposalState>,
    pub to: ProposalState,
    /// None when the system made the change (the support threshold, a vote closing).
    pub actor: Option<String>,
    pub note: String,
    pub at: i64,
}

/// An offline meeting's decision on a proposal, with its paper-ballot count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingDecision {
    pub meeting_id: i64,
    pub held_at: i64,
    pub venue: String,
    pub decision: String,
    pub ballots: Tally,
}

/// An implementation progress update.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgressEntry {
    pub dated: String,
    pub body: String,
    pub author: Option<String>,
}

/// Everything the proposal page shows, shaped for the viewer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalPage {
    pub summary: ProposalSummary,
    pub body: String,
    pub community: CommunityHall,
    pub voting_opens_at: Option<i64>,
    pub merged_into: Option<i64>,
    pub locked: bool,
    pub timeline: Vec<TimelineEntry>,
    pub meetings: Vec<MeetingDecision>,
    pub progress: Vec<ProgressEntry>,
    /// The viewer's own part (false/None when logged out).
    pub is_author: bool,
    pub supported: bool,
    /// The viewer's own vote, shown only to them.
    pub my_vote: Option<Choice>,
    pub following: bool,
    pub logged_in: bool,
    /// Steps staff may take now (empty for everyone else).
    pub staff_steps: Vec<StaffStep>,
}

/// The proposal page's data: the proposal and the page of its discussion it shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalWithThread {
    pub proposal: ProposalPage,
    pub thread: CommentPage,
}

/// Why a comment is not shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Hidden {
    /// Hidden by staff, with their reason.
    ByStaff(String),
    /// Reported by three residents; staff will review it.
    PendingReview,
}

/// A comment with its replies (one level).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: i64,
    pub author: Option<String>,
    /// None when hidden, except for staff of the community, who review it.
    pub body: Option<String>,
    pub hidden: Option<Hidden>,
    pub created_at: i64,
    pub edited: bool,
    /// The viewer wrote it and is still within the edit window.
    pub can_edit: bool,
    pub replies: Vec<CommentView>,
}

/// One page of a proposal's discussion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentPage {
    pub items: Vec<CommentView>,
    /// The id to continue after, when there are more top-level comments.
    pub next: Option<i64>,
    pub total: i64,
    pub locked: bool,
    /// The viewer may comment, report, and (staff) moderate.
    pub can_comment: bool,
    pub can_report: bool,
    pub is_staff: bool,
}

/// An entry of a community's public moderation log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModerationEntry {
    pub id: i64,
    pub proposal_id: i64,
    pub proposal_title: String,
    pub comment_id: Option<i64>,
    pub action: String,
    pub actor: Option<String>,
    pub reason: String,
    pub at: i64,
}

/// An offline meeting (线下议事会) with its agenda and decisions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: i64,
    pub held_at: i64,
    pub venue: String,
    pub residents_present: i64,
    pub deputies_present: i64,
    pub elders_present: i64,
    pub minutes: String,
    pub items: Vec<MeetingItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingItem {
    pub proposal_id: i64,
    pub proposal_title: String,
    pub decision: String,
    pub ballots: Tally,
}

/// A proposal that can be put on a meeting's agenda.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgendaOption {
    pub id: i64,
    pub title: String,
}
