//! Configuration from environment variables, with defaults that work from the repository root.
use anyhow::Context;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;

/// The default database: a SQLite file under `./data/`, created when missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/linli.db";
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";

#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://PATH` or `postgres://…`.
    pub database_url: String,
    /// `LINLI_ADDR`: the listen address.
    pub addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: the folder holding the built site (`pkg/` and public assets).
    pub site_root: String,
    /// `LINLI_SECURE_COOKIES=1` when served over https (behind a TLS proxy): session cookies
    /// get `Secure` and the `__Host-` prefix.
    pub secure_cookies: bool,
    /// `LINLI_RATE_LIMITS=relaxed` widens the rate limits a thousandfold, for load tests from
    /// one address (the soak). Never in production.
    pub limits: app::ratelimit::Limits,
    /// `LINLI_PAGE_CACHE_MS`: how long a page rendered for anonymous visitors is served again
    /// (default 1000; 0 turns the cache off).
    pub page_cache_ms: u64,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Config> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let addr = var("LINLI_ADDR").unwrap_or_else(|| DEFAULT_ADDR.to_string());
        Ok(Config {
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            addr: addr
                .parse()
                .with_context(|| format!("LINLI_ADDR={addr:?} is not an address like 127.0.0.1:3000"))?,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_string()),
            secure_cookies: var("LINLI_SECURE_COOKIES").is_some_and(|v| v == "1" || v == "true"),
            limits: match var("LINLI_RATE_LIMITS").as_deref() {
                None | Some("default") => app::ratelimit::Limits::default(),
                Some("relaxed") => app::ratelimit::Limits::relaxed(),
                Some(other) => anyhow::bail!("LINLI_RATE_LIMITS={other:?}: use default or relaxed"),
            },
            page_cache_ms: match var("LINLI_PAGE_CACHE_MS") {
                None => 1000,
                Some(v) => v.parse().with_context(|| format!("LINLI_PAGE_CACHE_MS={v:?} is not a number of milliseconds"))?,
            },
        })
    }

    /// Leptos's options, built here rather than read from Cargo.toml so the release binary
    /// runs on its own. cargo-leptos bakes whether file names are hashed in at compile time.
    pub fn leptos_options(&self) -> LeptosOptions {
        let hash_files = std::env::var("LEPTOS_HASH_FILES")
            .ok()
            .or(option_env!("LEPTOS_HASH_FILES").map(str::to_string))
            .is_some_and(|v| v == "true");
        LeptosOptions::builder()
            .output_name("linli")
            .site_root(self.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(self.addr)
            .hash_files(hash_files)
            .env(leptos::config::Env::PROD)
            .build()
    }
}
