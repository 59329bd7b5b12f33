//! `linli backup FILE` and `linli restore FILE`.
//!
//! SQLite: the backup is `VACUUM INTO`, a consistent copy taken in one read transaction while
//! the server keeps writing (WAL readers never block the writer), then checked with
//! `PRAGMA integrity_check`. Restoring checks the copy the same way, then replaces the database
//! file in one rename (and drops the old write-ahead log), so a failed restore leaves the old
//! database as it was. Stop the servers first: a running server keeps the old file open.
//!
//! PostgreSQL: the backup is `pg_dump --format=custom` (a consistent snapshot while the server
//! writes) and the restore `pg_restore --clean --if-exists --single-transaction` into the
//! configured database; both tools must be on PATH, of the server's major version.
use anyhow::{bail, ensure, Context};
use app::db::{Db, Engine};
use sqlx::{Connection, Row};
use std::path::{Path, PathBuf};
use std::process::Command;

pub async fn backup(db: &Db, url: &str, file: &Path) -> anyhow::Result<String> {
    ensure!(!file.exists(), "{} exists already: choose a new file", file.display());
    match db.engine() {
        Engine::Sqlite => {
            let target = file.to_str().context("the backup path must be valid UTF-8")?;
            // VACUUM cannot run in a transaction, and its target is a literal: quotes doubled.
            sqlx::query(&format!("VACUUM INTO '{}'", target.replace('\'', "''"))).execute(db.read()).await.context("VACUUM INTO")?;
            check_sqlite(file).await?;
            Ok(format!("backup written to {} ({} bytes)", file.display(), std::fs::metadata(file)?.len()))
        }
        Engine::Postgres => {
            let status = Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
                .arg(file)
                .arg(url)
                .status()
                .context("running pg_dump (install PostgreSQL's client tools)")?;
            ensure!(status.success(), "pg_dump failed ({status})");
            Ok(format!("backup written to {} with pg_dump ({} bytes)", file.display(), std::fs::metadata(file)?.len()))
        }
    }
}

pub async fn restore(engine: Engine, url: &str, file: &Path) -> anyhow::Result<String> {
    ensure!(file.is_file(), "{} is not a file", file.display());
    match engine {
        Engine::Sqlite => {
            check_sqlite(file).await?;
            let path = sqlite_path(url)?;
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            std::fs::create_dir_all(dir)?;
            // Copy beside the database, flush it to disk, then swap it in with one rename.
            let staging = dir.join(format!(".{}.restoring", path.file_name().and_then(|n| n.to_str()).unwrap_or("linli.db")));
            std::fs::copy(file, &staging).with_context(|| format!("copying to {}", staging.display()))?;
            std::fs::File::open(&staging)?.sync_all()?;
            for suffix in ["-wal", "-shm"] {
                let side = PathBuf::from(format!("{}{suffix}", path.display()));
                if side.exists() {
                    std::fs::remove_file(&side)?;
                }
            }
            std::fs::rename(&staging, &path)?;
            Ok(format!("restored {} from {}", path.display(), file.display()))
        }
        Engine::Postgres => {
            let status = Command::new("pg_restore")
                .args(["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--dbname"])
                .arg(url)
                .arg(file)
                .status()
                .context("running pg_restore (install PostgreSQL's client tools)")?;
            ensure!(status.success(), "pg_restore failed ({status}); the database is as it was");
            Ok(format!("restored the database from {}", file.display()))
        }
    }
}

/// The file of a `sqlite://` URL.
fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).context("not a sqlite URL")?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        bail!("an in-memory database cannot be restored into");
    }
    Ok(PathBuf::from(path))
}

/// A Linli SQLite database, whole: integrity checked and migrated by us.
async fn check_sqlite(file: &Path) -> anyhow::Result<()> {
    let url = format!("sqlite://{}?mode=ro", file.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.with_context(|| format!("opening {}", file.display()))?;
    let verdict: String = sqlx::query("PRAGMA integrity_check").fetch_one(&mut conn).await?.try_get(0)?;
    ensure!(verdict == "ok", "{} is damaged: {verdict}", file.display());
    let migrations: i64 = sqlx::query("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = 1")
        .fetch_one(&mut conn)
        .await
        .with_context(|| format!("{} is not a Linli database", file.display()))?
        .try_get(0)?;
    ensure!(migrations > 0, "{} is not a Linli database", file.display());
    conn.close().await?;
    Ok(())
}
