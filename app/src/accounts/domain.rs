//! Values checked once at the edge: a `Phone` or `Password` that exists is valid.
use crate::error::{AppError, Invalid};
use serde::{Deserialize, Serialize};

/// A mainland China mobile number, normalised to its 11 digits (1[3-9]xxxxxxxxx).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    /// Accepts spaces, dashes and a leading +86 or 86, as people write numbers.
    pub fn parse(input: &str) -> Result<Phone, AppError> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '\u{3000}')).collect();
        let digits = digits
            .strip_prefix("+86")
            .or_else(|| (digits.len() == 13).then(|| digits.strip_prefix("86")).flatten())
            .unwrap_or(&digits);
        let ok = digits.len() == 11
            && digits.bytes().all(|b| b.is_ascii_digit())
            && digits.as_bytes()[0] == b'1'
            && (b'3'..=b'9').contains(&digits.as_bytes()[1]);
        if ok { Ok(Phone(digits.to_string())) } else { Err(AppError::Invalid(Invalid::Phone)) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 138****1234: what everyone but the owner and their community's staff sees.
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

/// Masks the middle four digits of an 11-digit number.
pub fn mask_phone(phone: &str) -> String {
    if phone.len() == 11 && phone.is_ascii() {
        format!("{}****{}", &phone[..3], &phone[7..])
    } else {
        "****".to_string()
    }
}

/// The name neighbours see: 1–20 characters after trimming, no control or invisible
/// formatting characters (which could disguise one name as another).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARS: usize = 20;

    pub fn parse(input: &str) -> Result<DisplayName, AppError> {
        let name = input.trim();
        let count = name.chars().count();
        let clean = name.chars().all(|c| {
            !c.is_control() && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
        });
        if (1..=Self::MAX_CHARS).contains(&count) && clean {
            Ok(DisplayName(name.to_string()))
        } else {
            Err(AppError::Invalid(Invalid::DisplayName))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 8 to 128 characters, no composition rules (NIST SP 800-63B), and not one
/// of the commonly used passwords shipped in `common-passwords.txt`.
#[derive(Clone)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

const COMMON_PASSWORDS: &str = include_str!("../../common-passwords.txt");

impl NewPassword {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(input: &str) -> Result<NewPassword, AppError> {
        let count = input.chars().count();
        if count < Self::MIN_CHARS {
            return Err(AppError::Invalid(Invalid::PasswordTooShort));
        }
        if count > Self::MAX_CHARS {
            return Err(AppError::Invalid(Invalid::PasswordTooLong));
        }
        let lower = input.to_lowercase();
        if COMMON_PASSWORDS.lines().any(|common| common.trim() == lower) {
            return Err(AppError::Invalid(Invalid::PasswordCommon));
        }
        Ok(NewPassword(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The roles of DOMAIN.md §2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Resident,
    Volunteer,
    OrgAdmin,
    SocialWorker,
    GridWorker,
    CommunityStaff,
    StreetOfficer,
    DeptHandler,
    Admin,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Resident,
        Role::Volunteer,
        Role::OrgAdmin,
        Role::SocialWorker,
        Role::GridWorker,
        Role::CommunityStaff,
        Role::StreetOfficer,
        Role::DeptHandler,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Volunteer => "volunteer",
            Role::OrgAdmin => "org_admin",
            Role::SocialWorker => "social_worker",
            Role::GridWorker => "grid_worker",
            Role::CommunityStaff => "community_staff",
            Role::StreetOfficer => "street_officer",
            Role::DeptHandler => "dept_handler",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::*;
        match self {
            Role::Resident => td_string!(locale, role_resident),
            Role::Volunteer => td_string!(locale, role_volunteer),
            Role::OrgAdmin => td_string!(locale, role_org_admin),
            Role::SocialWorker => td_string!(locale, role_social_worker),
            Role::GridWorker => td_string!(locale, role_grid_worker),
            Role::CommunityStaff => td_string!(locale, role_community_staff),
            Role::StreetOfficer => td_string!(locale, role_street_officer),
            Role::DeptHandler => td_string!(locale, role_dept_handler),
            Role::Admin => td_string!(locale, role_admin),
        }
    }
}

/// What a role is scoped to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    Community(i64),
    Grid(i64),
    Street(i64),
    Department(i64),
    Organization(i64),
}

impl Scope {
    pub fn from_db(kind: Option<&str>, id: Option<i64>) -> Option<Scope> {
        Some(match (kind?, id?) {
            ("community", id) => Scope::Community(id),
            ("grid", id) => Scope::Grid(id),
            ("street", id) => Scope::Street(id),
            ("department", id) => Scope::Department(id),
            ("organization", id) => Scope::Organization(id),
            _ => return None,
        })
    }

    pub fn to_db(self) -> (&'static str, i64) {
        match self {
            Scope::Community(id) => ("community", id),
            Scope::Grid(id) => ("grid", id),
            Scope::Street(id) => ("street", id),
            Scope::Department(id) => ("department", id),
            Scope::Organization(id) => ("organization", id),
        }
    }
}

/// One role an account holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoleGrant {
    pub role: Role,
    pub scope: Option<Scope>,
}

impl RoleGrant {
    /// A `role_grant` row's columns; `None` for a role code this build does not know.
    pub fn from_db(role: &str, scope_kind: Option<&str>, scope_id: Option<i64>) -> Option<RoleGrant> {
        Role::from_code(role).map(|role| RoleGrant { role, scope: Scope::from_db(scope_kind, scope_id) })
    }
}

/// The logged-in user as the pages see them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub display_name: String,
    /// Shown in full: this is the owner looking at their own account.
    pub phone: String,
    pub roles: Vec<RoleGrant>,
}

impl CurrentUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|g| g.role == role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_normalised_and_checked() {
        for ok in ["13812341234", "138 1234 1234", "+86 138-1234-1234", "8613812341234"] {
            assert_eq!(Phone::parse(ok).unwrap().as_str(), "13812341234", "{ok}");
        }
        assert!(Phone::parse("19912345678").is_ok());
        for bad in ["", "1381234123", "138123412345", "12812341234", "23812341234", "1381234123a", "１３８１２３４１２３４"] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones_are_masked() {
        assert_eq!(Phone::parse("13812341234").unwrap().masked(), "138****1234");
        assert_eq!(mask_phone("x"), "****");
    }

    #[test]
    fn display_names() {
        assert_eq!(DisplayName::parse("  王阿姨 ").unwrap().as_str(), "王阿姨");
        assert!(DisplayName::parse("").is_err());
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"名".repeat(21)).is_err());
        assert!(DisplayName::parse(&"名".repeat(20)).is_ok());
        assert!(DisplayName::parse("a\u{202E}b").is_err());
        assert!(DisplayName::parse("a\nb").is_err());
    }

    #[test]
    fn passwords() {
        assert_eq!(NewPassword::parse("short").unwrap_err(), AppError::Invalid(Invalid::PasswordTooShort));
        assert_eq!(NewPassword::parse("12345678").unwrap_err(), AppError::Invalid(Invalid::PasswordCommon));
        assert_eq!(NewPassword::parse("PassWord1").unwrap_err(), AppError::Invalid(Invalid::PasswordCommon));
        assert_eq!(NewPassword::parse(&"x".repeat(129)).unwrap_err(), AppError::Invalid(Invalid::PasswordTooLong));
        assert!(NewPassword::parse(&"长".repeat(64)).is_ok());
        assert!(NewPassword::parse("老巷管家 每周三").is_ok());
        assert_eq!(format!("{:?}", NewPassword::parse("老巷管家 每周三").unwrap()), "NewPassword(***)");
    }

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
    }
}
