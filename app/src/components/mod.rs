//! Components shared by every page.
pub mod auth;
pub mod bundle;
pub mod layout;
pub mod loaded;
