//! `linli`: serve the portal, apply migrations, or load demo data.
use anyhow::Context;
use app::{db::Db, state::AppState};
use clap::{Parser, Subcommand};
use linli_server::{router, seed, telemetry, Config};

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
}

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
    let db = Db::connect(&config.database_url)
        .await
        .with_context(|| format!("connecting to {}", redact(&config.database_url)))?;
    db.migrate().await.context("applying migrations")?;

    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => tracing::info!("migrations applied"),
        Command::SeedDemo => {
            let report = seed::demo(&db).await.context("loading demo data")?;
            println!("{report}");
        }
        Command::Serve => {
            let options = config.leptos_options();
            let state = AppState { secure_cookies: config.secure_cookies, ..AppState::new(db.clone()) };
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
