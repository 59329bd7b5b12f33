//! The store: one handle over either database engine.
//!
//! Design (see docs/architecture.md): sqlx's `Any` driver with SQL written once in the common
//! dialect (`$1` placeholders work on both engines), integer epoch timestamps and `BIGINT` ids so
//! every column decodes the same way on both, and one migration set per engine.
//!
//! SQLite allows one writer at a time. Instead of letting concurrent transactions race for the
//! write lock (and fail with "database is locked" when a deferred transaction tries to upgrade),
//! writes go through a pool of exactly one connection: they queue in-process, while reads use
//! connections of their own (`readers`) and, thanks to WAL, never wait for the writer. On
//! PostgreSQL too, reads take `Readers` and write transactions sqlx's pool.
use sqlx::{any::AnyPoolOptions, Any, AnyConnection, AnyPool, Executor, Transaction};
use std::time::Duration;

mod readers;
pub use readers::Readers;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn from_url(url: &str) -> Result<Engine, sqlx::Error> {
        if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Engine::Postgres)
        } else {
            Err(sqlx::Error::Configuration(
                "DATABASE_URL must start with sqlite:// or postgres://".into(),
            ))
        }
    }

    /// The engine behind an open connection.
    pub fn of(conn: &AnyConnection) -> Engine {
        // sqlx's `Database::NAME` of each driver.
        if conn.backend_name() == "PostgreSQL" { Engine::Postgres } else { Engine::Sqlite }
    }
}

/// A statement that locks the rows of `table` that `condition` matches until the write
/// transaction on `conn` ends, and returns their `columns` as they stand after any wait.
///
/// On PostgreSQL it is `SELECT … FOR NO KEY UPDATE`: the lock an UPDATE that changes no key
/// takes, so it waits for and holds off exactly what such an UPDATE would (not the key-share
/// locks that rows referring to this one take), and after a wait it reads the row's newest
/// version, as the UPDATE re-reads it. The no-op `UPDATE … SET c = c` used before wrote a new
/// version of the row every time, dead at once: a sign-up storm on a full activity left one on
/// the wide activity row and one on the volunteer's row per sign-up (`bench/lock-row.sh`).
///
/// On SQLite it stays that no-op UPDATE (of `unchanged`, a column the statement sets to itself):
/// the first write takes the database's write lock, where a SELECT as a transaction's first
/// statement takes a read snapshot that another process's write (the CLI) could make stale
/// before the transaction writes. SQLite rewrites the page either way and keeps no old versions.
pub fn lock_rows(conn: &AnyConnection, table: &str, columns: &str, condition: &str, unchanged: &str) -> String {
    match Engine::of(conn) {
        Engine::Postgres => format!("SELECT {columns} FROM {table} WHERE {condition} FOR NO KEY UPDATE"),
        Engine::Sqlite => format!("UPDATE {table} SET {unchanged} = {unchanged} WHERE {condition} RETURNING {columns}"),
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    engine: Engine,
    read: Readers,
    write: AnyPool,
}

/// Per-connection SQLite settings: WAL so readers never block the writer, foreign keys
/// enforced, a busy timeout for other processes (the CLI) holding the lock, and NORMAL
/// synchronous, which in WAL mode is durable across application crashes.
pub(crate) const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL;
PRAGMA foreign_keys = ON;
PRAGMA busy_timeout = 10000;
PRAGMA synchronous = NORMAL;";

impl Db {
    /// Connects to `url` (`sqlite://PATH` or `postgres://…`), creating a missing SQLite file
    /// and its directory.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let engine = Engine::from_url(url)?;
        match engine {
            Engine::Sqlite => {
                let url = sqlite_url_creating(url)?;
                let pool = |max: u32| {
                    AnyPoolOptions::new()
                        .max_connections(max)
                        // A connection to a local file does not go stale while it sits in
                        // the pool, so it is not pinged on the way out (sqlx still pings it
                        // on the way back): one hop to its thread less per query.
                        .test_before_acquire(false)
                        .acquire_timeout(Duration::from_secs(30))
                        .after_connect(|conn, _meta| {
                            Box::pin(async move {
                                conn.execute(SQLITE_PRAGMAS).await?;
                                Ok(())
                            })
                        })
                };
                let write = pool(1).connect(&url).await?;
                // Before the readers open and load the statistics.
                forget_stat4_samples(&write).await?;
                let read = Readers::new(&url, engine, sqlite_readers())?;
                Ok(Db { engine, read, write })
            }
            Engine::Postgres => {
                // Reads take most of the connections; writes, which hold theirs for a
                // transaction and queue on row locks anyway, half as many.
                let connections = postgres_connections();
                let write = AnyPoolOptions::new()
                    .max_connections((connections / 2).max(1))
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(url)
                    .await?;
                let read = Readers::new(url, engine, connections)?;
                Ok(Db { engine, read, write })
            }
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The connections for queries that only read (`Readers`: one round trip a query).
    pub fn read(&self) -> &Readers {
        &self.read
    }

    /// `select` as one text value, to stand as a column of another query: a JSON array holding
    /// an array of `columns` (expressions over `select`'s columns, comma-separated) per row of
    /// `select`, in no promised order; decode it with `Db::json_decode`. On SQLite each row of a
    /// result crosses from the connection's thread to the request's task by itself, a thread
    /// hand-off each: a list of 100 rows was 52 context switches and 1.8 times the CPU of one
    /// row carrying them all (the Open311 list, `bench/cpu.sh`). A page's several lists as
    /// columns of one query are one round trip rather than one each.
    pub fn json_list(&self, columns: &str, select: &str) -> String {
        match self.engine {
            Engine::Sqlite => format!("(SELECT json_group_array(json_array({columns})) FROM ({select}) AS r)"),
            Engine::Postgres => {
                format!("(SELECT COALESCE(json_agg(json_build_array({columns})), '[]')::text FROM ({select}) AS r)")
            }
        }
    }

    /// The rows `json_list` carried, each decoded from its array of columns (a struct deriving
    /// `Deserialize` whose fields are in the same order, or a tuple).
    pub fn json_decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<Vec<T>, sqlx::Error> {
        serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(e.into()))
    }

    /// The rows of `select` (its `$1`, `$2`… bound to `binds`) in one row, as `json_list`
    /// carries them. In no promised order: sort them where it matters.
    pub async fn fetch_json_rows<'c, T: serde::de::DeserializeOwned>(
        &self,
        executor: impl Executor<'c, Database = Any>,
        columns: &str,
        select: &str,
        binds: &[i64],
    ) -> Result<Vec<T>, sqlx::Error> {
        let sql = format!("SELECT {}", self.json_list(columns, select));
        let query = binds.iter().fold(sqlx::query_scalar::<_, String>(&sql), |q, b| q.bind(*b));
        Self::json_decode(&query.fetch_one(executor).await?)
    }

    /// Starts a write transaction. On SQLite it holds the only writer connection until it
    /// commits or is dropped, so keep it short and never await anything slow inside it.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        self.write.begin().await
    }

    /// Applies the migrations of this engine that have not been applied yet.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.engine {
            Engine::Sqlite => sqlx::migrate!("../migrations/sqlite").run(&self.write).await,
            Engine::Postgres => sqlx::migrate!("../migrations/postgres").run(&self.write).await,
        }
    }

    /// Refreshes the query planner's statistics after a bulk load (on PostgreSQL also the
    /// visibility map, see there). On SQLite it keeps the
    /// per-index summaries (`sqlite_stat1`) and drops the value samples (`sqlite_stat4`): the
    /// bundled SQLite is built with STAT4, and with samples present it re-prepares a
    /// statement every time a value bound against an indexed column changes, which is nearly
    /// every query a page makes. Re-preparing was a tenth of the CPU of a proposal page at the
    /// city preset (perf), and no page measured got slower without the samples
    /// (docs/architecture.md).
    pub async fn analyze(&self) -> Result<(), sqlx::Error> {
        match self.engine {
            Engine::Postgres => {
                // VACUUM too: after a bulk load no page is marked all-visible yet, so index-only
                // scans visit the heap and the first readers set every row's hint bits. The city
                // bench saw 607 proposal pages a second on a database just loaded; after a
                // VACUUM, about 1,040 (not an alternating A/B: the bench may have warmed it too).
                sqlx::query("VACUUM (ANALYZE)").execute(&self.write).await?;
            }
            Engine::Sqlite => {
                sqlx::query("ANALYZE").execute(&self.write).await?;
                forget_stat4_samples(&self.write).await?;
            }
        }
        Ok(())
    }

    /// True when the database answers a trivial query within two seconds.
    pub async fn ping(&self) -> bool {
        let probe = sqlx::query("SELECT 1").execute(&self.read);
        matches!(tokio::time::timeout(Duration::from_secs(2), probe).await, Ok(Ok(_)))
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close();
    }
}

/// Deletes the STAT4 samples an `ANALYZE` (ours, an operator's, `PRAGMA optimize`) left in a
/// SQLite database, keeping `sqlite_stat1`; see `Db::analyze` for why. Connections that loaded
/// the statistics before keep what they loaded, so `Db::connect` runs it before opening the
/// read connections.
async fn forget_stat4_samples(write: &AnyPool) -> Result<(), sqlx::Error> {
    let table = sqlx::query("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat4'");
    if table.fetch_optional(write).await?.is_none() {
        return Ok(());
    }
    if sqlx::query("SELECT 1 FROM sqlite_stat4 LIMIT 1").fetch_optional(write).await?.is_some() {
        let mut conn = write.acquire().await?;
        sqlx::query("DELETE FROM sqlite_stat4").execute(&mut *conn).await?;
        // Reloads this connection's statistics as they now stand.
        sqlx::query("ANALYZE sqlite_schema").execute(&mut *conn).await?;
    }
    Ok(())
}

/// How many SQLite read connections: `LINLI_SQLITE_READERS`, else one more than the CPUs
/// (2 to 8). Each connection is a thread of its own; more of them than cores only interleave
/// short reads and cool the caches: on 2 cores at the city preset, 3 readers served the
/// proposal list about 15% faster than 8, in less memory (runs alternating 8 and 3 with
/// `LINLI_SQLITE_READERS`; other pages within the machine's run-to-run noise).
fn sqlite_readers() -> u32 {
    let cores = std::thread::available_parallelism().map(|n| n.get() as u32).unwrap_or(2);
    std::env::var("LINLI_SQLITE_READERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| (1..=64).contains(n))
        .unwrap_or((cores + 1).clamp(2, 8))
}

/// How many PostgreSQL read connections this instance keeps (and half as many for writes):
/// `LINLI_PG_CONNECTIONS`, else 16.
/// Instances sharing one database split its `max_connections` (100 by default) between them.
fn postgres_connections() -> u32 {
    std::env::var("LINLI_PG_CONNECTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| (1..=1000).contains(n))
        .unwrap_or(16)
}

/// Adds `mode=rwc` (create when missing) to a SQLite URL and creates its directory.
fn sqlite_url_creating(url: &str) -> Result<String, sqlx::Error> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" {
        if let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| sqlx::Error::Configuration(e.into()))?;
        }
    }
    if query.split('&').any(|kv| kv.starts_with("mode=")) {
        Ok(url.to_string())
    } else if query.is_empty() {
        Ok(format!("sqlite://{path}?mode=rwc"))
    } else {
        Ok(format!("sqlite://{path}?{query}&mode=rwc"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_chosen_by_url_scheme() {
        assert_eq!(Engine::from_url("sqlite://data/linli.db").unwrap(), Engine::Sqlite);
        assert_eq!(Engine::from_url("postgres://u@h/db").unwrap(), Engine::Postgres);
        assert!(Engine::from_url("mysql://u@h/db").is_err());
    }

    #[test]
    fn sqlite_url_gets_create_mode() {
        let dir = std::env::temp_dir().join("linli-url-test");
        let url = format!("sqlite://{}/x.db", dir.display());
        assert_eq!(sqlite_url_creating(&url).unwrap(), format!("{url}?mode=rwc"));
        assert!(dir.is_dir());
        let with_mode = format!("sqlite://{}/x.db?mode=ro", dir.display());
        assert_eq!(sqlite_url_creating(&with_mode).unwrap(), with_mode);
    }
}
