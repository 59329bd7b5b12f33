//! The in-app inbox: what concerns the user (their home verified, a role granted; later their
//! proposals, orders, appeals). Stored as a kind with parameters, shown in the reader's language.
mod api;
pub mod page;
pub use api::*;

use crate::accounts::Role;
use crate::i18n::*;
use serde::{Deserialize, Serialize};

/// What happened, with what the message needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    HomeVerified,
    RoleGranted { role: Role },
}

impl Event {
    pub fn kind(&self) -> &'static str {
        match self {
            Event::HomeVerified => "home_verified",
            Event::RoleGranted { .. } => "role_granted",
        }
    }

    pub fn text(&self, locale: Locale) -> String {
        match self {
            Event::HomeVerified => td_string!(locale, note_home_verified).to_string(),
            Event::RoleGranted { role } => {
                td_string!(locale, note_role_granted, role = role.label(locale)).to_string()
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub event: Event,
    pub link: Option<String>,
    pub created_at: i64,
    pub read: bool,
}
