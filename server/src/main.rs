//! `linli`: serve the portal, apply migrations, or load demo data.
use anyhow::Context;
use app::{db::Db, state::AppState};
use clap::{Parser, Subcommand};
use linli_server::{backup, router, seed, telemetry, Config};

#[derive(Parser)]
#[command(name = "linli", version, about = "Linli (邻里): a civic participation portal")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default). Applies pending migrations first.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the demo district and accounts into an empty database (does nothing otherwise).
    SeedDemo,
    /// Fill the database with a district at scale, on top of the demo (for benchmarks):
    /// `--preset city` is the study's whole district with ten years of activity, `small` a
    /// hundredth of it. Deterministic for a preset and seed.
    SeedScale {
        #[arg(long, default_value = "city", value_parser = ["city", "small"])]
        preset: String,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Write a consistent copy of the database to FILE while the server runs (SQLite:
    /// `VACUUM INTO`; PostgreSQL: `pg_dump --format=custom`).
    Backup { file: std::path::PathBuf },
    /// Replace the database with a copy `backup` made (stop the servers first).
    Restore { file: std::path::PathBuf },
}

/// mimalloc: rendering pages allocates many small strings on every worker thread; glibc's
/// allocator spent a fifth of the server's time on them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    // Larger stacks than tokio's 2 MiB default: rendering a deep page on the server is
    // recursive, and an overflow would abort the whole process.
    tokio::runtime::Builder::new_multi_thread()
        .thread_stack_size(8 << 20)
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    telemetry::init();
    let cli = Cli::parse();
    let config = Config::from_env()?;
    // Backup and restore touch the database as it is: no migrations first.
    match &cli.command {
        Some(Command::Restore { file }) => {
            let engine = app::db::Engine::from_url(&config.database_url)?;
            println!("{}", backup::restore(engine, &config.database_url, file).await?);
            return Ok(());
        }
        Some(Command::Backup { file }) => {
            let db = Db::connect(&config.database_url).await.with_context(|| format!("connecting to {}", redact(&config.database_url)))?;
            println!("{}", backup::backup(&db, &config.database_url, file).await?);
            db.close().await;
            return Ok(());
        }
        _ => {}
    }
    let db = Db::connect(&config.database_url)
        .await
        .with_context(|| format!("connecting to {}", redact(&config.database_url)))?;
    db.migrate().await.context("applying migrations")?;

    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => tracing::info!("migrations applied"),
        Command::Backup { .. } | Command::Restore { .. } => unreachable!("handled before connecting"),
        Command::SeedDemo => {
            let report = seed::demo(&db).await.context("loading demo data")?;
            println!("{report}");
        }
        Command::SeedScale { preset, seed } => {
            let preset = linli_server::scale::Preset::by_name(&preset).context("unknown preset")?;
            let progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
            let report = linli_server::scale::run(&db, preset, seed, progress).await.context("generating the district")?;
            println!("{report}");
        }
        Command::Serve => {
            let options = config.leptos_options();
            let state = AppState {
                secure_cookies: config.secure_cookies,
                limits: config.limits,
                page_cache_ms: config.page_cache_ms,
                ..AppState::new(db.clone())
            };
            if config.limits != app::ratelimit::Limits::default() {
                tracing::warn!("rate limits relaxed (LINLI_RATE_LIMITS): for load tests only");
            }
            linli_server::sweep::spawn(state.clone());
            let app = router(state, options);
            let listener = tokio::net::TcpListener::bind(config.addr)
                .await
                .with_context(|| format!("binding {}", config.addr))?;
            tracing::info!(addr = %config.addr, engine = ?db.engine(), "linli listening on http://{}", config.addr);
            axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
                .with_graceful_shutdown(shutdown_signal())
                .await?;
        }
    }
    db.close().await;
    Ok(())
}

/// Hides the password of a database URL in messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
            None => url.to_string(),
        },
        _ => url.to_string(),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
