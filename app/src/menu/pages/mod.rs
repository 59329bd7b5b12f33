//! The menu's pages.
