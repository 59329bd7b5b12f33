//! Batched multi-row INSERTs for the generators: rows are buffered and written many to a
//! statement (bound, never spliced into the SQL), and the write transaction is committed every
//! few hundred thousand rows so SQLite's write-ahead log stays small.
use app::db::Db;
use indicatif::ProgressBar;
use sqlx::{Any, Transaction};

/// A value of a generated row. NULLs carry their column's type: PostgreSQL checks the type of
/// every bound parameter, even a NULL one.
#[derive(Clone, Debug)]
pub enum V {
    I(i64),
    T(String),
    S(&'static str),
    /// NULL in an integer column.
    NoInt,
    /// NULL in a text column.
    NoText,
}

impl From<i64> for V {
    fn from(v: i64) -> V {
        V::I(v)
    }
}

impl From<Option<i64>> for V {
    fn from(v: Option<i64>) -> V {
        v.map_or(V::NoInt, V::I)
    }
}

impl From<String> for V {
    fn from(v: String) -> V {
        V::T(v)
    }
}

impl From<&'static str> for V {
    fn from(v: &'static str) -> V {
        V::S(v)
    }
}

/// Parameters per statement. Both engines take far more (SQLite 32,766, PostgreSQL 65,535),
/// but sqlx's SQLite driver looks each `$N` up among all of a statement's parameters, so the
/// cost of binding grows with the square of their number: a thousand keeps it negligible.
const MAX_PARAMS: usize = 1_000;
const MAX_ROWS: usize = 1_000;
/// Rows per transaction.
const COMMIT_EVERY: u64 = 200_000;

/// The open write transaction and the progress shown to whoever runs the command.
pub struct Sink<'a> {
    db: &'a Db,
    tx: Option<Transaction<'static, Any>>,
    since_commit: u64,
    pub bar: ProgressBar,
}

impl<'a> Sink<'a> {
    pub fn new(db: &'a Db, bar: ProgressBar) -> Sink<'a> {
        Sink { db, tx: None, since_commit: 0, bar }
    }

    pub fn db(&self) -> &'a Db {
        self.db
    }

    /// The current transaction (begun when needed).
    pub async fn tx(&mut self) -> Result<&mut Transaction<'static, Any>, sqlx::Error> {
        if self.tx.is_none() {
            self.tx = Some(self.db.begin_write().await?);
        }
        Ok(self.tx.as_mut().expect("just begun"))
    }

    /// Runs one statement in the current transaction.
    pub async fn execute(&mut self, sql: &str) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(sql).execute(&mut **self.tx().await?).await?.rows_affected())
    }

    async fn wrote(&mut self, rows: u64) -> Result<(), sqlx::Error> {
        self.bar.inc(rows);
        self.since_commit += rows;
        if self.since_commit >= COMMIT_EVERY {
            self.commit().await?;
        }
        Ok(())
    }

    pub async fn commit(&mut self) -> Result<(), sqlx::Error> {
        if let Some(tx) = self.tx.take() {
            tx.commit().await?;
        }
        self.since_commit = 0;
        Ok(())
    }
}

/// Rows for one table, written in batches.
pub struct Rows {
    /// `INSERT INTO table (a, b, c) VALUES`
    head: String,
    cols: usize,
    per_statement: usize,
    buf: Vec<V>,
    pub written: u64,
}

impl Rows {
    /// `target` is `table (col, col, …)`.
    pub fn new(target: &str) -> Rows {
        let cols = target.matches(',').count() + 1;
        Rows {
            head: format!("INSERT INTO {target} VALUES "),
            cols,
            per_statement: (MAX_PARAMS / cols).min(MAX_ROWS),
            buf: Vec::new(),
            written: 0,
        }
    }

    pub async fn push<const N: usize>(&mut self, sink: &mut Sink<'_>, row: [V; N]) -> Result<(), sqlx::Error> {
        debug_assert_eq!(N, self.cols, "{}", self.head);
        self.buf.extend(row);
        if self.buf.len() >= self.per_statement * self.cols {
            self.flush(sink).await?;
        }
        Ok(())
    }

    /// Writes what is buffered.
    pub async fn flush(&mut self, sink: &mut Sink<'_>) -> Result<(), sqlx::Error> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let rows = self.buf.len() / self.cols;
        let mut sql = String::with_capacity(self.head.len() + rows * self.cols * 6);
        sql.push_str(&self.head);
        let mut n = 0;
        for r in 0..rows {
            sql.push_str(if r == 0 { "(" } else { ",(" });
            for c in 0..self.cols {
                n += 1;
                if c > 0 {
                    sql.push(',');
                }
                sql.push('$');
                sql.push_str(&n.to_string());
            }
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for v in self.buf.drain(..) {
            q = match v {
                V::I(i) => q.bind(i),
                V::T(t) => q.bind(t),
                V::S(s) => q.bind(s),
                V::NoInt => q.bind(None::<i64>),
                V::NoText => q.bind(None::<String>),
            };
        }
        q.execute(&mut **sink.tx().await?).await?;
        self.written += rows as u64;
        sink.wrote(rows as u64).await
    }
}
