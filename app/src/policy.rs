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
}

/// Allows or refuses `action` for `caller` (anonymous when `None`).
pub fn authorize(caller: Option<&Caller>, action: Action) -> Result<&Caller, AppError> {
    let caller = caller.ok_or(AppError::Unauthenticated)?;
    let allowed = match action {
        Action::OwnAccount => true,
        Action::ReadAuditLog | Action::ManageRoles | Action::ManagePlaces => caller.is_admin(),
        Action::VerifyResident { community_id, grid_id } => {
            caller.has_scoped(Role::CommunityStaff, Scope::Community(community_id))
                || grid_id.is_some_and(|g| caller.has_scoped(Role::GridWorker, Scope::Grid(g)))
        }
        Action::Participate { community_id } => caller.verified_community == Some(community_id),
        Action::ModerateHall { community_id } => {
            caller.has_scoped(Role::CommunityStaff, Scope::Community(community_id))
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
    fn only_admins_manage_roles() {
        let admin = caller(&[(Role::Admin, None)]);
        let staff = caller(&[(Role::CommunityStaff, Some(Scope::Community(7)))]);
        assert!(authorize(Some(&admin), Action::ManageRoles).is_ok());
        assert_eq!(authorize(Some(&staff), Action::ManageRoles).unwrap_err(), AppError::Forbidden);
    }
}
