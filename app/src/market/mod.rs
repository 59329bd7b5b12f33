//! 五社联动, the five-party marketplace (DOMAIN.md §4): organizations and their offerings,
//! volunteer teams, activities (招募) with sign-ups, a waitlist and on-site check-in, the
//! service-hours ledger with stars and certificates, the social-worker directory, charity
//! resources, and 双报到 cadres.
//!
//! Server functions, one concern each: `orgs` (register, verify, profile, offerings),
//! `teams` (create, apply, decide), `activities` (create, list, sign up, cancel),
//! `attendance` (check in and out, confirm hours), `volunteers` (profile, skills, ledger,
//! certificates, 双报到), `directory` (social workers), `charity` (resources and claims).
//! Pages live in `pages/`.
mod activities;
mod attendance;
mod charity;
mod directory;
pub mod domain;
mod orgs;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
mod teams;
mod volunteers;

pub use activities::*;
pub use attendance::*;
pub use charity::*;
pub use directory::*;
pub use domain::*;
pub use orgs::*;
pub use teams::*;
pub use volunteers::*;

use serde::{Deserialize, Serialize};

/// A community as the marketplace's forms offer it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommunityRef {
    pub id: i64,
    pub name: String,
    pub name_en: String,
}

/// An organization in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgSummary {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub status: OrgStatus,
    pub community: CommunityRef,
    pub service_areas: Vec<ServiceCategory>,
}

/// An organization's page: public, with the contact masked except for its admins and the
/// community's staff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgProfile {
    pub summary: OrgSummary,
    pub description: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub reject_reason: Option<String>,
    pub offerings: Vec<Offering>,
    pub teams: Vec<TeamSummary>,
    pub activities: Vec<ActivitySummary>,
    pub resources: Vec<ResourceView>,
    /// Its services on community menus (你点我供), with their ratings and counts.
    pub menu_items: Vec<crate::menu::ItemSummary>,
    /// The viewer administers it (may publish once verified).
    pub is_admin: bool,
    /// The viewer is staff of its community (verifies it).
    pub is_staff: bool,
}

/// 服务项目: a service an organization offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Offering {
    pub id: i64,
    pub category: ServiceCategory,
    pub title: String,
    pub description: String,
}

/// A team in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamSummary {
    pub id: i64,
    pub name: String,
    pub org: Option<String>,
    pub community: CommunityRef,
    pub member_count: i64,
    pub total_minutes: i64,
    pub leader: Option<String>,
}

/// A team's page, shaped for the viewer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamPage {
    pub summary: TeamSummary,
    pub description: String,
    pub org_id: Option<i64>,
    /// Members' display names only.
    pub members: Vec<String>,
    pub activities: Vec<ActivitySummary>,
    /// Its services on the community's menu (你点我供), with their ratings and counts.
    pub menu_items: Vec<crate::menu::ItemSummary>,
    pub my_status: Option<MemberStatus>,
    pub logged_in: bool,
    pub is_volunteer: bool,
    pub is_leader: bool,
    /// Leader, community staff or the organization's admins: may post activities.
    pub can_post: bool,
    /// Applications waiting for the leader (empty for everyone else).
    pub pending: Vec<Applicant>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Applicant {
    pub account_id: i64,
    pub name: String,
    pub skills: Vec<Skill>,
    pub applied_at: i64,
}

/// An activity in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivitySummary {
    pub id: i64,
    pub title: String,
    /// The team's or the organization's name.
    pub host: String,
    pub community: CommunityRef,
    pub place: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub slots: i64,
    pub confirmed: i64,
    pub waitlisted: i64,
    pub skills: Vec<Skill>,
}

/// An activity's page, shaped for the viewer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityPage {
    pub summary: ActivitySummary,
    pub description: String,
    pub team_id: Option<i64>,
    pub org_id: Option<i64>,
    pub now: i64,
    pub logged_in: bool,
    pub is_volunteer: bool,
    pub mine: Option<MySignup>,
    /// For whoever runs it: the check-in code and the roster.
    pub organiser: Option<OrganiserView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MySignup {
    pub status: SignupStatus,
    /// 1-based place on the waitlist.
    pub position: Option<i64>,
    pub checked_in_at: Option<i64>,
    pub checked_out_at: Option<i64>,
    pub attended_minutes: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganiserView {
    pub checkin_code: String,
    pub roster: Vec<RosterEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RosterEntry {
    pub signup_id: i64,
    pub name: String,
    pub status: SignupStatus,
    pub checked_in_at: Option<i64>,
    pub checked_out_at: Option<i64>,
    pub attended_minutes: Option<i64>,
    /// Check-in to check-out within the activity's window (its whole length without them).
    pub suggested_minutes: i64,
}

/// The volunteer's own record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VolunteerProfile {
    pub name: String,
    pub volunteer_no: String,
    pub total_minutes: i64,
    pub skills: Vec<Skill>,
    /// 双报到: the work unit, once the community's staff registered it.
    pub cadre_unit: Option<String>,
    pub ledger: Vec<Credit>,
    pub signups: Vec<(ActivitySummary, SignupStatus)>,
    pub teams: Vec<(TeamSummary, MemberStatus)>,
    pub certificates: Vec<CertificateRef>,
}

/// One line of the service-hours ledger.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Credit {
    pub id: i64,
    pub minutes: i64,
    pub title: String,
    /// `activity` or `order`.
    pub source_kind: String,
    pub source_id: i64,
    pub served_at: i64,
    pub team: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CertificateRef {
    pub number: String,
    pub minutes: i64,
    pub issued_at: i64,
}

/// A service-hours certificate as issued (the public page checks a number).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub number: String,
    pub name: String,
    pub volunteer_no: String,
    pub minutes: i64,
    pub issued_at: i64,
    /// The issuer: the district's volunteer service record (its names in both languages).
    pub district: String,
    pub district_en: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SocialWorkerEntry {
    pub id: i64,
    pub name: String,
    pub level: SocialWorkerLevel,
    pub org_id: Option<i64>,
    pub org: Option<String>,
    pub community: CommunityRef,
    pub focus: String,
}

/// The directory with what the viewer may maintain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Directory {
    pub entries: Vec<SocialWorkerEntry>,
    /// Communities whose entries the viewer keeps (their staff).
    pub editable: Vec<CommunityRef>,
    pub orgs: Vec<(i64, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceView {
    pub id: i64,
    pub org_id: i64,
    pub org: String,
    pub kind: ResourceKind,
    pub title: String,
    pub unit: String,
    pub quantity: i64,
    pub remaining: i64,
    pub description: String,
    pub claims: Vec<ClaimView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimView {
    pub quantity: i64,
    pub purpose: String,
    pub claimant: String,
    pub at: i64,
}

/// Charity resources with what the viewer may do: offer (for their verified orgs) and claim
/// (for their communities as staff, or their verified orgs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CharityView {
    pub resources: Vec<ResourceView>,
    pub offer_as: Vec<(i64, String)>,
    /// `community:ID` or `org:ID`, with a name.
    pub claim_as: Vec<(String, String)>,
}

/// A 双报到 cadre's participation in a community over a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CadreRow {
    pub name: String,
    pub unit: String,
    pub volunteer_no: String,
    pub activities: i64,
    pub minutes: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CadreSummary {
    pub community: CommunityRef,
    pub from: String,
    pub to: String,
    pub rows: Vec<CadreRow>,
    pub total_minutes: i64,
}

/// What the marketplace's front page shows, with the viewer's part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarketFront {
    pub activities: Vec<ActivitySummary>,
    pub orgs: Vec<OrgSummary>,
    pub teams: Vec<TeamSummary>,
    pub communities: Vec<CommunityRef>,
    pub logged_in: bool,
    pub is_volunteer: bool,
    /// The viewer's organizations (as their admin), with their status.
    pub my_orgs: Vec<(i64, String, OrgStatus)>,
    /// Communities where the viewer is staff.
    pub staff_of: Vec<CommunityRef>,
    /// Hours per community, from the ledger.
    pub community_hours: Vec<(CommunityRef, i64)>,
}

/// The staff desk: organizations waiting for verification in the viewer's communities.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgQueue {
    pub communities: Vec<CommunityRef>,
    pub pending: Vec<PendingOrg>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingOrg {
    pub summary: OrgSummary,
    pub description: String,
    /// In full: staff verify who they are.
    pub contact_name: String,
    pub contact_phone: String,
    pub applied_at: i64,
}
