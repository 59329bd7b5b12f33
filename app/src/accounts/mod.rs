//! Accounts and roles (DOMAIN.md §2): parse-don't-validate types for what users type, the
//! roles an account holds, and the server functions to register, log in and out.
mod api;
mod domain;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod throttle;

pub use api::*;
pub use domain::*;
