//! Authorization in one place. Every server function asks here who is calling and whether
//! they may do what they ask; no function checks roles on its own.
use crate::accounts::{Role, RoleGrant, Scope};
use crate::error::AppError;

/// Who is calling, with the roles they hold.
#[derive(Clone, Debug)]
pub struct Caller {
    pub account_id: i64,
    pub grants: Vec<RoleGrant>,
    /// The community of the caller's home, once staff verified it ("verified resident").
    pub verified_community: Option<i64>,
    /// The session token of this request (to keep it when ending the others).
    pub session_token: String,
}

impl Caller {
    pub fn has(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    pub fn has_scoped(&self, role: Role, scope: Scope) -> bool {
        self.grants.iter().any(|g| g.role == role && g.scope == Some(scope))
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::Admin)
    }
}

/// What a caller wants to do.
#[derive(Clone, Copy, Debug)]
pub enum Action {
    /// Their own account: read it, change its password, log out.
    OwnAccount,
    /// Read the audit log.
    ReadAuditLog,
    /// Edit or withdraw what one wrote (a proposal, a comment): its author.
    AuthorOf { author_id: i64 },
    /// Grant or revoke roles.
    ManageRoles,
    /// Create and edit streets, communities, grids, estates and buildings.
    ManagePlaces,
    /// Verify a resident of a community (community staff of it, or a grid worker of its grid).
    VerifyResident { community_id: i64, grid_id: Option<i64> },
    /// Propose, support, vote, comment and report in a community's hall: its verified residents.
    Participate { community_id: i64 },
    /// Move a community's proposals along, moderate its discussion, record its meetings and
    /// post progress: its community staff.
    ModerateHall { community_id: i64 },
    /// File an appeal on a resident's behalf or from a patrol: the community's staff, or a grid
    /// worker of the grid.
    FileOnBehalf { community_id: i64, grid_id: i64 },
    /// Classify, verify, reopen, and reply to appeals handled in the community: its staff.
    ClassifyAppeal { community_id: i64 },
    /// Dispatch appeals to departments and decide extensions: the street's officers.
    DispatchAppeal { street_id: i64 },
    /// Accept, return, ask for more time and reply: handlers of the department it went to.
    ResolveAppeal { department_id: i64 },
    /// The callback (回访): the reporter, or the community's staff on their behalf.
    CallBack { community_id: i64, reporter_id: Option<i64> },
    /// See an appeal in full (reporter, contact, building, photos): the reporter and whoever
    /// filed it, the community's staff and grid worker, the street, the department it is with,
    /// admins.
    ViewAppeal {
        community_id: i64,
        grid_id: i64,
        street_id: i64,
        department_id: Option<i64>,
        reporter_id: Option<i64>,
        filed_by: Option<i64>,
    },
    /// Edit the urgency time limits and issue Open311 API keys: admins.
    ManageAppealRules,
    /// Verify organizations, keep the social-worker directory, register 双报到 cadres, form
    /// the community's own teams and claim charity resources for it: the community's staff.
    RunCommunityMarket { community_id: i64 },
    /// See an organization's full contact and pending state: its admins and its community's staff.
    SeeOrg { org_id: i64, community_id: i64 },
    /// Publish for an organization (offerings, teams, activities, charity resources, claims):
    /// its admins, once community staff verified it.
    PublishAsOrg { org_id: i64, verified: bool },
    /// Sign up for activities, check in, apply to teams: volunteers.
    Volunteer,
    /// Approve or decline applications to a team: its leader.
    LeadTeam { leader_id: i64 },
    /// Post activities for a team: its leader, its community's staff, or the admins of its
    /// organization once verified.
    PostForTeam { leader_id: i64, community_id: i64, org_id: Option<i64>, org_verified: bool },
    /// Run an activity (see its check-in code and roster, confirm attendance): whoever posted
    /// it, its team's leader, its organization's admins, its community's staff.
    RunActivity { organiser_id: i64, leader_id: Option<i64>, org_id: Option<i64>, community_id: i64 },
    /// Order from a community's menu, make and support its wishes: its verified residents.
    OrderService { community_id: i64 },
    /// Order on a resident's behalf (assisted ordering, for elderly residents without a
    /// phone): the community's staff, or a grid worker of the resident's grid.
    OrderOnBehalf { community_id: i64, grid_id: Option<i64> },
    /// Run a community's menu (put organizations' offerings on it, turn wishes into items,
    /// see escalated orders and unmet demand): its staff.
    RunMenu { community_id: i64 },
    /// Manage a menu item and fulfil its orders (queue, accept, reject): its provider, i.e.
    /// the community's staff, its organization's admins once verified, its team's leader.
    ProvideService(ItemProvider),
    /// Start and complete an order: the person assigned to it, or its provider.
    WorkOnOrder(OrderParties),
    /// See an order: the resident, whoever entered it for them, the assignee, the provider.
    SeeOrder(OrderParties),
    /// See the address an order is for: only the resident, the assigned person and the
    /// community's staff.
    SeeOrderAddress(OrderParties),
    /// Cancel an order (before acceptance): the resident, or whoever entered it for them.
    CancelOrder(OrderParties),
    /// Confirm and rate an order: the resident who ordered it, nobody else.
    RateOrder(OrderParties),
}

/// Who provides a menu item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemProvider {
    pub community_id: i64,
    /// The item's organization, or its team's.
    pub org_id: Option<i64>,
    pub org_verified: bool,
    /// The leader of the item's team.
    pub leader_id: Option<i64>,
}

/// The people an order concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderParties {
    pub resident_id: i64,
    pub entered_by: Option<i64>,
    pub assignee_id: Option<i64>,
    pub provider: ItemProvider,
}

fn provides(caller: &Caller, p: ItemProvider) -> bool {
    caller.has_scoped(Role::CommunityStaff, Scope::Community(p.community_id))
        || (p.org_verified && p.org_id.is_some_and(|o| caller.has_scoped(Role::OrgAdmin, Scope::Organization(o))))
        || p.leader_id == Some(caller.account_id)
}

/// Allows or refuses `action` for `caller` (anonymous when `None`).
pub fn authorize(caller: Option<&Caller>, action: Action) -> Result<&Caller, AppError> {
    let caller = caller.ok_or(AppError::Unauthenticated)?;
    let allowed = match action {
        Action::OwnAccount => true,
        Action::AuthorOf { author_id } => caller.account_id == author_id,
        Action::ReadAuditLog | Action::ManageRoles | Action::ManagePlaces | Action::ManageAppealRules => {
            caller.is_admin()
        }
        Action::VerifyResident { community_id, grid_id } => {
            caller.has_scoped(Role::CommunityStaff, Scope::Community(community_id))
                || grid_id.is_some_and(|g| caller.has_scoped(Role::GridWorker, Scope::Grid(g)))
        }
        Action::Participate { community_id } => caller.verified_community == Some(community_id),
        Action::ModerateHall { community_id } | Action::ClassifyAppeal { community_id } => {
            caller.has_scoped(Role::CommunityStaff, Scope::Community(community_id))
        }
        Action::FileOnBehalf { community_id, grid_id } => {
            caller.has_scoped(Role::CommunityStaff, Scope::Community(community_id))
                || caller.has_scoped(Role::GridWorker, Scope::Grid(grid_id))
        }
        Action::DispatchAppeal { street_id } => caller.has_scoped(Role::StreetOfficer, Scope::Street(street_id)),
        Action::ResolveAppeal { department_id } => {
            caller.has_scoped(Role::DeptHandler, Scope::Department(department_id))
        }
        Action::CallBack { community_id, reporter_id } => {
            reporter_id == Some(caller.account_id)
                || caller.has_scoped(Role::CommunityStaff, Scope::Community(community_id))
        }
        Action::RunCommunityMarket { community_id } => {
            caller.has_scoped(Role::CommunityStaff, Scope::Community(community_id))
        }
        Action::SeeOrg { org_id, community_id } => {
            caller.has_scoped(Role::OrgAdmin, Scope::Organization(org_id))
                || caller.has_scoped(Role::CommunityStaff, Scope::Community(community_id))
        }
        Action::PublishAsOrg { org_id, verified } => {
            verified && caller.has_scoped(Role::OrgAdmin, Scope::Organization(org_id))
        }
        Action::Volunteer => caller.has(Role::Volunteer),
        Action::LeadTeam { leader_id } => caller.account_id == leader_id,
        Action::PostForTeam { leader_id, community_id, org_id, org_verified } => {
            caller.account_id == leader_id
                || caller.has_scoped(Role::CommunityStaff, Scope::Community(community_id))
                || (org_verified && org_id.is_some_and(|o| caller.has_scoped(Role::OrgAdmin, Scope::Organization(o))))
        }
        Action::RunActivity { organiser_id, leader_id, org_id, community_id } => {
            caller.account_id == organiser_id
                || leader_id == Some(caller.account_id)
                || org_id.is_some_and(|o| caller.has_scoped(Role::OrgAdmin, Scope::Organization(o)))
                || caller.has_scoped(Role::CommunityStaff, Scope::Community(community_id))
        }
        Action::OrderService { community_id } => caller.verified_community == Some(community_id),
        Action::OrderOnBehalf { community_id, grid_id } => {
            caller.has_scoped(Role::CommunityStaff, Scope::Community(community_id))
                || grid_id.is_some_and(|g| caller.has_scoped(Role::GridWorker, Scope::Grid(g)))
        }
        Action::RunMenu { community_id } => caller.has_scoped(Role::CommunityStaff, Scope::Community(community_id)),
        Action::ProvideService(p) => provides(caller, p),
        Action::WorkOnOrder(o) => o.assignee_id == Some(caller.account_id) || provides(caller, o.provider),
        Action::SeeOrder(o) => {
            o.resident_id == caller.account_id
                || o.entered_by == Some(caller.account_id)
                || o.assignee_id == Some(caller.account_id)
                || provides(caller, o.provider)
        }
        Action::SeeOrderAddress(o) => {
            o.resident_id == caller.account_id
                || o.assignee_id == Some(caller.account_id)
                || caller.has_scoped(Role::CommunityStaff, Scope::Community(o.provider.community_id))
        }
        Action::CancelOrder(o) => o.resident_id == caller.account_id || o.entered_by == Some(caller.account_id),
        Action::RateOrder(o) => o.resident_id == caller.account_id,
        Action::ViewAppeal { community_id, grid_id, street_id, department_id, reporter_id, filed_by } => {
            caller.is_admin()
                || reporter_id == Some(caller.account_id)
                || filed_by == Some(caller.account_id)
                || caller.has_scoped(Role::CommunityStaff, Scope::Community(community_id))
                || caller.has_scoped(Role::GridWorker, Scope::Grid(grid_id))
                || caller.has_scoped(Role::StreetOfficer, Scope::Street(street_id))
                || department_id.is_some_and(|d| caller.has_scoped(Role::DeptHandler, Scope::Department(d)))
        }
    };
    if allowed { Ok(caller) } else { Err(AppError::Forbidden) }
}

/// The communities (as community staff) and grids (as grid worker) whose residents the caller
/// may verify; refused when there are none.
pub fn verification_scopes(caller: Option<&Caller>) -> Result<(Vec<i64>, Vec<i64>), AppError> {
    let caller = caller.ok_or(AppError::Unauthenticated)?;
    let mut communities = Vec::new();
    let mut grids = Vec::new();
    for g in &caller.grants {
        match (g.role, g.scope) {
            (Role::CommunityStaff, Some(Scope::Community(id))) => communities.push(id),
            (Role::GridWorker, Some(Scope::Grid(id))) => grids.push(id),
            _ => {}
        }
    }
    if communities.is_empty() && grids.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok((communities, grids))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(grants: &[(Role, Option<Scope>)]) -> Caller {
        Caller {
            account_id: 1,
            grants: grants.iter().map(|&(role, scope)| RoleGrant { role, scope }).collect(),
            verified_community: None,
            session_token: String::new(),
        }
    }

    #[test]
    fn anonymous_callers_must_log_in() {
        assert_eq!(authorize(None, Action::OwnAccount).unwrap_err(), AppError::Unauthenticated);
    }

    #[test]
    fn staff_verify_only_in_their_own_community_or_grid() {
        let staff = caller(&[(Role::CommunityStaff, Some(Scope::Community(7)))]);
        let grid = caller(&[(Role::GridWorker, Some(Scope::Grid(70)))]);
        let resident = caller(&[(Role::Resident, None)]);
        let here = Action::VerifyResident { community_id: 7, grid_id: Some(70) };
        let elsewhere = Action::VerifyResident { community_id: 8, grid_id: Some(80) };
        assert!(authorize(Some(&staff), here).is_ok());
        assert!(authorize(Some(&grid), here).is_ok());
        assert_eq!(authorize(Some(&staff), elsewhere).unwrap_err(), AppError::Forbidden);
        assert_eq!(authorize(Some(&grid), elsewhere).unwrap_err(), AppError::Forbidden);
        assert_eq!(authorize(Some(&resident), here).unwrap_err(), AppError::Forbidden);
    }

    #[test]
    fn only_verified_residents_of_the_community_participate() {
        let here = Caller { verified_community: Some(7), ..caller(&[(Role::Resident, None)]) };
        let unverified = caller(&[(Role::Resident, None)]);
        let staff = caller(&[(Role::CommunityStaff, Some(Scope::Community(7)))]);
        assert!(authorize(Some(&here), Action::Participate { community_id: 7 }).is_ok());
        assert_eq!(authorize(Some(&here), Action::Participate { community_id: 8 }).unwrap_err(), AppError::Forbidden);
        assert_eq!(authorize(Some(&unverified), Action::Participate { community_id: 7 }).unwrap_err(), AppError::Forbidden);
        // Staff moderate; they do not vote unless they live there.
        assert_eq!(authorize(Some(&staff), Action::Participate { community_id: 7 }).unwrap_err(), AppError::Forbidden);
        assert!(authorize(Some(&staff), Action::ModerateHall { community_id: 7 }).is_ok());
        assert_eq!(authorize(Some(&staff), Action::ModerateHall { community_id: 8 }).unwrap_err(), AppError::Forbidden);
        assert_eq!(authorize(Some(&here), Action::ModerateHall { community_id: 7 }).unwrap_err(), AppError::Forbidden);
    }

    #[test]
    fn appeal_roles_act_only_within_their_own_scope() {
        let dept = caller(&[(Role::DeptHandler, Some(Scope::Department(3)))]);
        let street = caller(&[(Role::StreetOfficer, Some(Scope::Street(2)))]);
        assert!(authorize(Some(&dept), Action::ResolveAppeal { department_id: 3 }).is_ok());
        assert_eq!(authorize(Some(&dept), Action::ResolveAppeal { department_id: 4 }).unwrap_err(), AppError::Forbidden);
        assert!(authorize(Some(&street), Action::DispatchAppeal { street_id: 2 }).is_ok());
        assert_eq!(authorize(Some(&street), Action::DispatchAppeal { street_id: 5 }).unwrap_err(), AppError::Forbidden);
        let view = |department_id| Action::ViewAppeal {
            community_id: 7,
            grid_id: 70,
            street_id: 9,
            department_id,
            reporter_id: Some(42),
            filed_by: None,
        };
        assert!(authorize(Some(&dept), view(Some(3))).is_ok());
        assert_eq!(authorize(Some(&dept), view(Some(4))).unwrap_err(), AppError::Forbidden);
        assert_eq!(authorize(Some(&dept), view(None)).unwrap_err(), AppError::Forbidden);
        let reporter = Caller { account_id: 42, ..caller(&[(Role::Resident, None)]) };
        assert!(authorize(Some(&reporter), view(None)).is_ok());
        assert!(authorize(Some(&reporter), Action::CallBack { community_id: 7, reporter_id: Some(42) }).is_ok());
        assert_eq!(
            authorize(Some(&caller(&[(Role::Resident, None)])), Action::CallBack { community_id: 7, reporter_id: Some(42) })
                .unwrap_err(),
            AppError::Forbidden
        );
    }

    #[test]
    fn marketplace_roles_act_only_for_their_own_team_org_or_community() {
        let leader = Caller { account_id: 5, ..caller(&[(Role::Volunteer, None)]) };
        assert!(authorize(Some(&leader), Action::LeadTeam { leader_id: 5 }).is_ok());
        assert_eq!(authorize(Some(&leader), Action::LeadTeam { leader_id: 6 }).unwrap_err(), AppError::Forbidden);
        let org = caller(&[(Role::OrgAdmin, Some(Scope::Organization(3)))]);
        assert!(authorize(Some(&org), Action::PublishAsOrg { org_id: 3, verified: true }).is_ok());
        assert_eq!(authorize(Some(&org), Action::PublishAsOrg { org_id: 3, verified: false }).unwrap_err(), AppError::Forbidden);
        assert_eq!(authorize(Some(&org), Action::PublishAsOrg { org_id: 4, verified: true }).unwrap_err(), AppError::Forbidden);
        let team = |org_verified| Action::PostForTeam { leader_id: 9, community_id: 7, org_id: Some(3), org_verified };
        assert!(authorize(Some(&org), team(true)).is_ok());
        assert_eq!(authorize(Some(&org), team(false)).unwrap_err(), AppError::Forbidden);
        let resident = caller(&[(Role::Resident, None)]);
        assert_eq!(authorize(Some(&resident), Action::Volunteer).unwrap_err(), AppError::Forbidden);
        assert!(authorize(Some(&leader), Action::Volunteer).is_ok());
    }

    #[test]
    fn menu_roles_act_only_for_their_own_items_and_orders() {
        let item = ItemProvider { community_id: 7, org_id: Some(3), org_verified: true, leader_id: Some(9) };
        let staff = caller(&[(Role::CommunityStaff, Some(Scope::Community(7)))]);
        let staff_there = caller(&[(Role::CommunityStaff, Some(Scope::Community(8)))]);
        let org = caller(&[(Role::OrgAdmin, Some(Scope::Organization(3)))]);
        let leader = Caller { account_id: 9, ..caller(&[(Role::Volunteer, None)]) };
        let resident = Caller { account_id: 42, verified_community: Some(7), ..caller(&[(Role::Resident, None)]) };
        let worker = Caller { account_id: 50, ..caller(&[(Role::Volunteer, None)]) };
        for who in [&staff, &org, &leader] {
            assert!(authorize(Some(who), Action::ProvideService(item)).is_ok());
        }
        for who in [&staff_there, &resident, &worker] {
            assert_eq!(authorize(Some(who), Action::ProvideService(item)).unwrap_err(), AppError::Forbidden);
        }
        let unverified = ItemProvider { org_verified: false, leader_id: None, ..item };
        assert_eq!(authorize(Some(&org), Action::ProvideService(unverified)).unwrap_err(), AppError::Forbidden);
        let order = OrderParties { resident_id: 42, entered_by: Some(60), assignee_id: Some(50), provider: item };
        // The address: the resident, the assignee and the community's staff only.
        for who in [&resident, &worker, &staff] {
            assert!(authorize(Some(who), Action::SeeOrderAddress(order)).is_ok());
        }
        for who in [&org, &leader, &staff_there] {
            assert_eq!(authorize(Some(who), Action::SeeOrderAddress(order)).unwrap_err(), AppError::Forbidden);
            assert_eq!(authorize(Some(who), Action::RateOrder(order)).unwrap_err(), AppError::Forbidden);
        }
        assert!(authorize(Some(&org), Action::SeeOrder(order)).is_ok());
        assert!(authorize(Some(&worker), Action::WorkOnOrder(order)).is_ok());
        assert_eq!(authorize(Some(&resident), Action::WorkOnOrder(order)).unwrap_err(), AppError::Forbidden);
        assert!(authorize(Some(&resident), Action::RateOrder(order)).is_ok());
        let clerk = Caller { account_id: 60, ..caller(&[(Role::GridWorker, Some(Scope::Grid(70)))]) };
        assert!(authorize(Some(&clerk), Action::CancelOrder(order)).is_ok());
        assert_eq!(authorize(Some(&clerk), Action::RateOrder(order)).unwrap_err(), AppError::Forbidden);
        assert!(authorize(Some(&clerk), Action::OrderOnBehalf { community_id: 7, grid_id: Some(70) }).is_ok());
        assert_eq!(authorize(Some(&clerk), Action::OrderOnBehalf { community_id: 7, grid_id: Some(71) }).unwrap_err(), AppError::Forbidden);
        assert!(authorize(Some(&resident), Action::OrderService { community_id: 7 }).is_ok());
        assert_eq!(authorize(Some(&resident), Action::OrderService { community_id: 8 }).unwrap_err(), AppError::Forbidden);
        assert!(authorize(Some(&staff), Action::RunMenu { community_id: 7 }).is_ok());
        assert_eq!(authorize(Some(&org), Action::RunMenu { community_id: 7 }).unwrap_err(), AppError::Forbidden);
    }

    #[test]
    fn only_admins_manage_roles() {
        let admin = caller(&[(Role::Admin, None)]);
        let staff = caller(&[(Role::CommunityStaff, Some(Scope::Community(7)))]);
        assert!(authorize(Some(&admin), Action::ManageRoles).is_ok());
        assert_eq!(authorize(Some(&staff), Action::ManageRoles).unwrap_err(), AppError::Forbidden);
    }
}
