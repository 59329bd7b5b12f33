//! The black-box tests, one binary: the real router or the `linli` binary against fresh SQLite
//! and PostgreSQL databases. One binary, not one per file: each would link the whole app (over
//! a gigabyte apiece in a debug build) for no gain. Run one area with `cargo test -p linli
//! --test integration -- menu::`; the process-based checks (crash, soak) are `--ignored`.
#[macro_use]
mod common;

mod accounts;
mod advisories;
mod appeals;
mod backup;
mod bad_input;
mod crash;
mod foundation;
mod hall;
mod market;
mod menu;
mod ratelimits;
mod residents_roles;
mod scale;
mod soak;
