//! The embedded SQLite store.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params_from_iter, Connection};
use tocsin_doc::{Article, Event};

use crate::common::Dialect;
use crate::migrations::MIGRATIONS;
use crate::query::*;
use crate::shared::{self, Exec};
use crate::value::Value;
use crate::views::{self, Dyad};
use crate::{DedupRule, Store, StoreError};

/// SQLite-backed [`Store`]; one connection behind a mutex (WAL lets readers of other processes in).
pub struct SqliteStore {
    conn: Mutex<Connection>,
    dedup: DedupRule,
}

fn db(doing: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| StoreError::Db { doing, source }
}

impl SqliteStore {
    /// Opens (creating if needed) a store file and migrates it to the latest schema.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::init(Connection::open(path).map_err(db("opening the store"))?)
    }

    /// A private in-memory store (tests, benchmarks).
    pub fn in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory().map_err(db("opening the store"))?)
    }

    /// Uses a non-default dedup rule.
    pub fn with_dedup(mut self, rule: DedupRule) -> Self {
        self.dedup = rule;
        self
    }

    fn init(mut conn: Connection) -> Result<Self, StoreError> {
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(db("enabling WAL"))?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(db("enabling foreign keys"))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(db("setting the busy timeout"))?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(db("reading the schema version"))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew { found: version, known });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.transaction().map_err(db("starting a migration"))?;
            tx.execute_batch(sql).map_err(db("migrating the schema"))?;
            tx.pragma_update(None, "user_version", i as i64 + 1)
                .map_err(db("recording the schema version"))?;
            tx.commit().map_err(db("committing a migration"))?;
        }
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            dedup: DedupRule::default(),
        })
    }

    /// Schema version of the open store.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.lock()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(db("reading the schema version"))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The shared statements on a SQLite connection (or a transaction, which derefs to one).
struct Lite<'a>(&'a Connection);

impl Exec for Lite<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&mut self, doing: &'static str, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let mut st = self.0.prepare_cached(sql).map_err(db(doing))?;
        Ok(st.execute(params_from_iter(params)).map_err(db(doing))? as u64)
    }

    fn each_row(
        &mut self,
        doing: &'static str,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(Vec<Value>) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        let mut st = self.0.prepare_cached(sql).map_err(db(doing))?;
        let n = st.column_count();
        let mut rows = st.query(params_from_iter(params)).map_err(db(doing))?;
        while let Some(row) = rows.next().map_err(db(doing))? {
            let values = (0..n)
                .map(|i| Value::from_sqlite(row, i))
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(db(doing))?;
            if !each(values)? {
                break;
            }
        }
        Ok(())
    }
}

impl SqliteStore {
    /// Runs `f` on the connection (no transaction: reads).
    fn read<T>(&self, f: impl FnOnce(&mut dyn Exec) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let conn = self.lock();
        f(&mut Lite(&conn))
    }
}

impl Store for SqliteStore {
    fn ingest(&self, article: &Article, events: &[Event]) -> Result<IngestOutcome, StoreError> {
        self.ingest_batch(&[(article, events)])?
            .pop()
            .unwrap_or_else(|| Ok(IngestOutcome::default()))
    }

    /// One transaction for the whole batch, each article under its own savepoint: an article the
    /// database refuses is rolled back alone and the others are committed.
    fn ingest_batch(
        &self,
        batch: &[(&Article, &[Event])],
    ) -> Result<Vec<Result<IngestOutcome, StoreError>>, StoreError> {
        let mut conn = self.lock();
        let mut tx = conn.transaction().map_err(db("starting an ingest"))?;
        let mut out = Vec::with_capacity(batch.len());
        for (article, events) in batch {
            let mut one = || {
                let sp = tx.savepoint().map_err(db("starting an ingest"))?;
                let r = shared::ingest(&mut Lite(&sp), &self.dedup, article, events, &mut |_| Ok(()))?;
                sp.commit().map_err(db("committing the ingest"))?;
                Ok(r)
            };
            out.push(one());
        }
        tx.commit().map_err(db("committing the ingest"))?;
        Ok(out)
    }

    fn events(&self, q: &EventQuery) -> Result<Page<StoredEvent>, StoreError> {
        self.read(|x| shared::events(x, q))
    }

    fn each_event(
        &self,
        from: Option<&str>,
        to: Option<&str>,
        each: &mut dyn FnMut(StoredEvent) -> bool,
    ) -> Result<(), StoreError> {
        self.read(|x| shared::each_event(x, from, to, each))
    }

    fn event(&self, id: &str) -> Result<Option<EventDetail>, StoreError> {
        self.read(|x| shared::event(x, id))
    }

    fn each_matching(
        &self,
        q: &EventQuery,
        max: usize,
        each: &mut dyn FnMut(StoredEvent) -> bool,
    ) -> Result<(), StoreError> {
        self.read(|x| shared::each_matching(x, q, max, each))
    }

    fn series(
        &self,
        dyad: Dyad<'_>,
        from: Option<&str>,
        to: Option<&str>,
        g: Granularity,
    ) -> Result<Vec<SeriesPoint>, StoreError> {
        self.read(|x| views::series(x, dyad, from, to, g))
    }

    fn dyads(&self, q: &EventQuery, limit: usize) -> Result<Vec<DyadEdge>, StoreError> {
        self.read(|x| views::dyads(x, q, limit))
    }

    fn places(&self, q: &EventQuery, limit: usize) -> Result<Vec<PlaceCell>, StoreError> {
        self.read(|x| views::places(x, q, limit))
    }

    fn save_alert(&self, alert: &NewAlert) -> Result<Option<Alert>, StoreError> {
        self.read(|x| views::save_alert(x, alert))
    }

    fn alerts(&self, q: &AlertQuery) -> Result<Page<Alert>, StoreError> {
        self.read(|x| views::alerts(x, q))
    }

    fn counts(&self) -> Result<(u64, u64, u64), StoreError> {
        self.read(views::counts)
    }

    fn summary(&self) -> Result<Summary, StoreError> {
        self.read(views::summary)
    }

    fn save_dead_letter(&self, letter: &NewDeadLetter) -> Result<(), StoreError> {
        self.read(|x| shared::save_dead_letter(x, letter))
    }

    fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        self.read(|x| shared::dead_letters(x, limit))
    }
}
