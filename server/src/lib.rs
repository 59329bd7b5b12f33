//! The `linli` server: configuration, the HTTP router and the command-line tasks.
pub mod config;
pub mod router;
pub mod security;
pub mod seed;
pub mod seed_hall;
pub mod sweep;
pub mod telemetry;

pub use config::Config;
pub use router::router;
