//! The read connections: a pool that lends them out and takes them back without a round trip.
//!
//! sqlx's pool pings every connection as it comes back (sqlx-core 0.8, `return_to_pool`, in a
//! task it spawns) and, unless told not to, again as it goes out: on SQLite each ping is a hop
//! to the connection's thread and back, on PostgreSQL a round trip to the server and a wake-up
//! of its backend, for every query a page makes. The pings are there for a query cut off
//! half-way (a request dropped mid-render), which may leave the connection mid-conversation.
//! Here a connection is checked only then: a query marks its connection `interrupted` before
//! it starts and clears the mark when it finishes, so the next borrower pings (and, if that
//! fails, replaces) only a connection whose last query never finished or failed. A PostgreSQL
//! connection idle for a while is pinged too: the server or a proxy may have closed it.
use super::{Engine, SQLITE_PRAGMAS};
use deadpool::managed::{self, Metrics, Object, PoolError, RecycleError, RecycleResult};
use futures_util::{future::BoxFuture, stream::BoxStream, StreamExt};
use sqlx::{
    any::{AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo},
    Any, AnyConnection, Connection, Describe, Either, Execute, Executor,
};
use std::time::Duration;

/// Per-connection PostgreSQL settings of the read connections: plan each prepared statement
/// once. By default PostgreSQL plans a statement afresh on every execution unless its generic
/// plan looks as cheap as the plans made for the values at hand, and it guesses a bound `LIMIT`
/// at a tenth of the table and a range over `created_at` wide, so the proposal list and the
/// Open311 list were re-planned on every request: planning was half of PostgreSQL's CPU for a
/// proposal list page (465–515 µs a page with re-planning, 258–268 µs without; Open311
/// 1,800–1,940 µs and 1,077 µs; other bench pages unchanged; `bench/cpu.sh`, runs alternating
/// the database's `plan_cache_mode`). The page queries are keyed lookups and index walks whose
/// best plan does not depend on the values. Writes keep the default.
const POSTGRES_READER_SETTINGS: &str = "SET plan_cache_mode = force_generic_plan";

/// A PostgreSQL connection unused this long is pinged before it is lent again.
const IDLE_CHECK: Duration = Duration::from_secs(30);

/// How long a borrower waits for a connection (as sqlx's pool did).
const WAIT: Duration = Duration::from_secs(30);

/// One read connection and whether its last query was cut off or failed.
pub struct Reader {
    conn: AnyConnection,
    interrupted: bool,
}

/// Opens read connections with the engine's settings and decides when one needs a ping.
pub struct Connector {
    url: String,
    engine: Engine,
}

impl managed::Manager for Connector {
    type Type = Reader;
    type Error = sqlx::Error;

    async fn create(&self) -> Result<Reader, sqlx::Error> {
        let mut conn = AnyConnection::connect(&self.url).await?;
        match self.engine {
            Engine::Sqlite => conn.execute(SQLITE_PRAGMAS).await?,
            Engine::Postgres => conn.execute(POSTGRES_READER_SETTINGS).await?,
        };
        Ok(Reader { conn, interrupted: false })
    }

    async fn recycle(&self, reader: &mut Reader, metrics: &Metrics) -> RecycleResult<sqlx::Error> {
        let stale = self.engine == Engine::Postgres && metrics.last_used() > IDLE_CHECK;
        if reader.interrupted || stale {
            // A ping finishes what a cut-off query left (each driver completes its previous
            // command first); an error drops the connection and the pool opens another.
            reader.conn.ping().await.map_err(RecycleError::Backend)?;
            reader.interrupted = false;
        }
        Ok(())
    }
}

/// The pool of read connections; `&Readers` runs queries like `&AnyPool` does.
#[derive(Clone)]
pub struct Readers(managed::Pool<Connector>);

impl std::fmt::Debug for Readers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Readers").field(&self.0.status()).finish()
    }
}

impl Readers {
    /// A pool of at most `max` connections to `url`, opened as they are first needed.
    pub fn new(url: &str, engine: Engine, max: u32) -> Result<Readers, sqlx::Error> {
        managed::Pool::builder(Connector { url: url.to_string(), engine })
            .max_size(max as usize)
            .wait_timeout(Some(WAIT))
            .create_timeout(Some(WAIT))
            .runtime(deadpool::Runtime::Tokio1)
            .build()
            .map(Readers)
            .map_err(|e| sqlx::Error::Configuration(e.into()))
    }

    async fn lend(&self) -> Result<Object<Connector>, sqlx::Error> {
        self.0.get().await.map_err(|e| match e {
            PoolError::Backend(e) => e,
            PoolError::Timeout(_) => sqlx::Error::PoolTimedOut,
            PoolError::Closed => sqlx::Error::PoolClosed,
            other => sqlx::Error::Configuration(other.to_string().into()),
        })
    }

    pub fn close(&self) {
        self.0.close();
    }
}

impl<'p> Executor<'p> for &'_ Readers {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(self, query: E) -> BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, sqlx::Error>>
    where
        E: 'q + Execute<'q, Any>,
    {
        let readers = self.clone();
        Box::pin(async_stream::stream! {
            let mut reader = match readers.lend().await {
                Ok(reader) => reader,
                Err(e) => {
                    yield Err(e);
                    return;
                }
            };
            reader.interrupted = true;
            let mut failed = false;
            {
                let mut steps = reader.conn.fetch_many(query);
                while let Some(step) = steps.next().await {
                    failed = step.is_err();
                    yield step;
                    if failed {
                        break;
                    }
                }
            }
            reader.interrupted = failed;
        })
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<Option<AnyRow>, sqlx::Error>>
    where
        E: 'q + Execute<'q, Any>,
    {
        let readers = self.clone();
        Box::pin(async move {
            let mut reader = readers.lend().await?;
            reader.interrupted = true;
            let row = reader.conn.fetch_optional(query).await;
            reader.interrupted = row.is_err();
            row
        })
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, Result<AnyStatement<'q>, sqlx::Error>> {
        let readers = self.clone();
        Box::pin(async move {
            let mut reader = readers.lend().await?;
            reader.interrupted = true;
            let statement = reader.conn.prepare_with(sql, parameters).await;
            reader.interrupted = statement.is_err();
            statement
        })
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, Result<Describe<Any>, sqlx::Error>> {
        let readers = self.clone();
        Box::pin(async move {
            let mut reader = readers.lend().await?;
            reader.interrupted = true;
            let described = reader.conn.describe(sql).await;
            reader.interrupted = described.is_err();
            described
        })
    }
}
