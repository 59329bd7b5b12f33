//! Components shared by every page.
pub mod auth;
pub mod layout;
pub mod loaded;
