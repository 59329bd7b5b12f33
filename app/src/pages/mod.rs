//! One module per page.
pub mod account;
pub mod area;
pub mod auth;
pub mod home;
pub mod not_found;
pub mod privacy;
