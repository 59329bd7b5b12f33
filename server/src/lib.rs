//! The `linli` server: configuration, the HTTP router and the command-line tasks.
pub mod appeals_http;
pub mod backup;
#[cfg(feature = "bench")]
pub mod ceiling;
pub mod config;
pub mod open311;
pub mod page_cache;
pub mod rng;
pub mod router;
pub mod run_to_end;
pub mod scale;
pub mod security;
pub mod seed;
pub mod seed_appeals;
pub mod seed_hall;
pub mod seed_market;
mod seed_menu;
mod seed_market_activities;
pub mod sweep;
pub mod telemetry;

pub use config::Config;
pub use router::router;
