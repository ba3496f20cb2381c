//! The PostgreSQL store, for many workers writing at once (the `postgres` crate: tokio-postgres
//! behind a blocking client, as the [`Store`] trait is synchronous and callers hold no runtime).
//!
//! Ingest is one transaction keyed by the article's content hash: the article row goes in first with
//! `ON CONFLICT DO NOTHING`, so a redelivered or concurrent copy waits for the first and then stores
//! nothing. Cross-article dedup takes advisory locks on the (type, source, target) keys it touches, in
//! sorted order, so two workers cannot both create the same real-world event.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, GenericClient, NoTls, Statement};
use tocsin_doc::{Article, Event};

use crate::common::Dialect;
use crate::query::*;
use crate::shared::{self, to_postgres, Exec};
use crate::value::Value;
use crate::views::{self, Dyad};
use crate::{DedupRule, Store, StoreError};

/// Schema migrations; index + 1 = the version (kept in `tocsin_schema`).
const PG_MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    title TEXT, source TEXT, url TEXT, language TEXT, published TEXT,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED
);
CREATE INDEX articles_tsv ON articles USING gin (tsv);
CREATE TABLE actors (code TEXT PRIMARY KEY, name TEXT, country TEXT, org TEXT, sector TEXT);
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    event_type TEXT NOT NULL, mode TEXT, cameo TEXT NOT NULL, goldstein REAL NOT NULL, quad_class INTEGER NOT NULL,
    source_code TEXT, source_actor TEXT, target_code TEXT, target_actor TEXT,
    date TEXT, lat DOUBLE PRECISION, lon DOUBLE PRECISION, location_name TEXT,
    dead BIGINT, injured BIGINT, size BIGINT,
    num_mentions INTEGER NOT NULL, num_sources INTEGER NOT NULL, num_articles INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_dyad ON events(source_actor, target_actor, date);
CREATE INDEX events_type ON events(event_type, date);
CREATE INDEX events_dedup ON events(event_type, source_code, target_code, date);
CREATE TABLE mentions (
    event_id TEXT NOT NULL REFERENCES events(id),
    article_id TEXT NOT NULL REFERENCES articles(id),
    outlet TEXT,
    sentence BIGINT NOT NULL,
    trigger_start BIGINT NOT NULL,
    trigger_end BIGINT NOT NULL,
    evidence TEXT NOT NULL,
    record TEXT,
    PRIMARY KEY (event_id, article_id, sentence, trigger_start)
);
CREATE INDEX mentions_article ON mentions(article_id);
CREATE TABLE alerts (
    id BIGSERIAL PRIMARY KEY,
    rule TEXT NOT NULL, source_actor TEXT NOT NULL, target_actor TEXT NOT NULL, date TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL, message TEXT NOT NULL, event_ids TEXT NOT NULL, created_at TEXT NOT NULL,
    UNIQUE (rule, source_actor, target_actor, date)
);
CREATE TABLE dead_letters (
    id BIGSERIAL PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    article_id TEXT,
    error TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"#,
    r#"
ALTER TABLE events ADD COLUMN place_country TEXT;
ALTER TABLE events ADD COLUMN place_level TEXT;
"#,
    r#"
ALTER TABLE events ADD COLUMN published TEXT;
ALTER TABLE events ADD COLUMN timing TEXT;
UPDATE events SET published = (SELECT min(a.published) FROM mentions m JOIN articles a ON a.id = m.article_id
                               WHERE m.event_id = events.id);
UPDATE events SET timing = CASE
    WHEN date IS NULL OR published IS NULL THEN NULL
    WHEN date > to_char(published::date + 1, 'YYYY-MM-DD') THEN 'after_report'
    WHEN date < to_char(published::date - 45, 'YYYY-MM-DD') THEN 'historical' END;
ALTER TABLE alerts ADD COLUMN explanation TEXT;
CREATE INDEX alerts_date ON alerts(date);
CREATE INDEX articles_published ON articles(published);
"#,
];

/// Advisory lock id that serialises migrations between workers starting together.
const MIGRATION_LOCK: i64 = 0x7463_7369_6e00;

/// A connection with the statements prepared on it, keyed by their shared (`?N`) text.
struct Conn {
    client: Client,
    stmts: HashMap<String, Statement>,
}

/// The shared statements on a PostgreSQL client or transaction, prepared once per connection.
struct PgExec<'a, C: GenericClient> {
    client: &'a mut C,
    stmts: &'a mut HashMap<String, Statement>,
}

impl<C: GenericClient> PgExec<'_, C> {
    fn stmt(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(st) = self.stmts.get(sql) {
            return Ok(st.clone());
        }
        let st = self.client.prepare(&to_postgres(sql))?;
        self.stmts.insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

impl<C: GenericClient> Exec for PgExec<'_, C> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&mut self, doing: &'static str, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let st = self.stmt(sql).map_err(pg(doing))?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params.iter().map(|v| v as _).collect();
        self.client.execute(&st, &refs).map_err(pg(doing))
    }

    fn each_row(
        &mut self,
        doing: &'static str,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(Vec<Value>) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        let st = self.stmt(sql).map_err(pg(doing))?;
        let mut rows = self.client.query_raw(&st, params.iter()).map_err(pg(doing))?;
        while let Some(row) = rows.next().map_err(pg(doing))? {
            let values = (0..row.len())
                .map(|i| Value::from_postgres(&row, i))
                .collect::<Result<Vec<_>, _>>()
                .map_err(pg(doing))?;
            if !each(values)? {
                break;
            }
        }
        Ok(())
    }
}

/// PostgreSQL-backed [`Store`]; one connection, re-opened after the server went away.
pub struct PgStore {
    url: String,
    client: Mutex<Option<Conn>>,
    dedup: DedupRule,
}

fn pg(doing: &'static str) -> impl FnOnce(postgres::Error) -> StoreError {
    move |source| StoreError::Pg { doing, source }
}

impl PgStore {
    /// Connects (e.g. `postgres://user@host/db`) and migrates the schema to the latest version.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let store = PgStore {
            url: url.to_string(),
            client: Mutex::new(None),
            dedup: DedupRule::default(),
        };
        store.with(migrate)?;
        Ok(store)
    }

    /// Uses a non-default dedup rule.
    pub fn with_dedup(mut self, rule: DedupRule) -> Self {
        self.dedup = rule;
        self
    }

    /// Creates database `name` (at most 63 letters, digits, `_`) on the server of URL `url` unless it exists, and
    /// returns the URL of the new database.
    pub fn create_database(url: &str, name: &str) -> Result<String, StoreError> {
        if name.is_empty() || name.len() > 63 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(StoreError::InvalidName(name.to_string()));
        }
        let mut c = Client::connect(url, NoTls).map_err(pg("connecting to PostgreSQL"))?;
        let exists = c
            .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
            .map_err(pg("looking up a database"))?
            .is_some();
        if !exists {
            c.batch_execute(&format!("CREATE DATABASE {name}"))
                .map_err(pg("creating a database"))?;
        }
        let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
        let scheme_end = base.find("://").map_or(0, |i| i + 3);
        let host_part = match base[scheme_end..].find('/') {
            Some(i) => &base[..scheme_end + i],
            None => base,
        };
        Ok(match query {
            Some(q) => format!("{host_part}/{name}?{q}"),
            None => format!("{host_part}/{name}"),
        })
    }

    /// Schema version of the database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.with(|c| {
            let row = c
                .client
                .query_one("SELECT max(version)::int8 FROM tocsin_schema", &[])
                .map_err(pg("reading the schema version"))?;
            Ok(row.get::<_, Option<i64>>(0).unwrap_or(0))
        })
    }

    fn lock(&self) -> MutexGuard<'_, Option<Conn>> {
        self.client.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on a live connection, connecting first if needed. A connection found broken (the
    /// server restarted since the last call) is replaced and `f` runs once more: every operation of
    /// this store is idempotent, so a retry after an unknown outcome is safe. Other failures are
    /// returned and the caller decides (workers retry transient ones with backoff).
    fn with<T>(&self, mut f: impl FnMut(&mut Conn) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut guard = self.lock();
        let mut retried = false;
        loop {
            let client = match guard.take() {
                Some(c) if !c.client.is_closed() => c,
                _ => {
                    retried = true;
                    Conn {
                        client: Client::connect(&self.url, NoTls).map_err(pg("connecting to PostgreSQL"))?,
                        stmts: HashMap::new(),
                    }
                }
            };
            let client = guard.insert(client);
            let out = f(client);
            if out.is_err() && client.client.is_closed() {
                *guard = None;
                if !retried {
                    retried = true;
                    continue;
                }
            }
            return out;
        }
    }

    /// Runs `f` with the shared statements on the connection (no transaction: reads and single writes).
    fn run<T>(&self, mut f: impl FnMut(&mut dyn Exec) -> Result<T, StoreError>) -> Result<T, StoreError> {
        self.with(|c| {
            f(&mut PgExec {
                client: &mut c.client,
                stmts: &mut c.stmts,
            })
        })
    }
}

impl Drop for PgStore {
    /// Closing a client blocks on its own runtime, which panics inside an async context; there the
    /// client is closed on a plain thread instead.
    fn drop(&mut self) {
        let client = self.client.get_mut().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(client) = client {
            if tokio::runtime::Handle::try_current().is_ok() {
                let _ = std::thread::spawn(move || drop(client)).join();
            }
        }
    }
}

fn migrate(c: &mut Conn) -> Result<(), StoreError> {
    let mut tx = c.client.transaction().map_err(pg("starting a migration"))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(pg("locking for migration"))?;
    tx.batch_execute(
        "SET LOCAL client_min_messages = warning; CREATE TABLE IF NOT EXISTS tocsin_schema (version INTEGER NOT NULL)",
    )
    .map_err(pg("creating the schema table"))?;
    let version: i64 = tx
        .query_one("SELECT coalesce(max(version), 0)::int8 FROM tocsin_schema", &[])
        .map_err(pg("reading the schema version"))?
        .get(0);
    let known = PG_MIGRATIONS.len() as i64;
    if version > known {
        return Err(StoreError::TooNew { found: version, known });
    }
    for (i, sql) in PG_MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.batch_execute(sql).map_err(pg("migrating the schema"))?;
        tx.execute("INSERT INTO tocsin_schema (version) VALUES ($1)", &[&(i as i32 + 1)])
            .map_err(pg("recording the schema version"))?;
    }
    tx.commit().map_err(pg("committing a migration"))
}

/// One article in one transaction: the article row first (the idempotency key: a copy already stored,
/// or being stored by another worker whose transaction this insert waits for, inserts nothing), then
/// advisory locks on the dedup keys, then the events.
fn ingest_tx(c: &mut Conn, rule: &DedupRule, article: &Article, events: &[Event]) -> Result<IngestOutcome, StoreError> {
    let mut tx = c.client.transaction().map_err(pg("starting an ingest"))?;
    let out = shared::ingest(
        &mut PgExec {
            client: &mut tx,
            stmts: &mut c.stmts,
        },
        rule,
        article,
        events,
        &mut |x| {
            for k in shared::dedup_keys(events) {
                x.execute(
                    "locking a dedup key",
                    "SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))",
                    &[k.into()],
                )?;
            }
            Ok(())
        },
    )?;
    tx.commit().map_err(pg("committing the ingest"))?;
    Ok(out)
}

impl Store for PgStore {
    fn ingest(&self, article: &Article, events: &[Event]) -> Result<IngestOutcome, StoreError> {
        self.with(|c| ingest_tx(c, &self.dedup, article, events))
    }

    fn events(&self, q: &EventQuery) -> Result<Page<StoredEvent>, StoreError> {
        self.run(|x| shared::events(x, q))
    }

    fn each_event(
        &self,
        from: Option<&str>,
        to: Option<&str>,
        each: &mut dyn FnMut(StoredEvent) -> bool,
    ) -> Result<(), StoreError> {
        self.run(|x| shared::each_event(x, from, to, each))
    }

    fn event(&self, id: &str) -> Result<Option<EventDetail>, StoreError> {
        self.run(|x| shared::event(x, id))
    }

    fn each_matching(
        &self,
        q: &EventQuery,
        max: usize,
        each: &mut dyn FnMut(StoredEvent) -> bool,
    ) -> Result<(), StoreError> {
        self.run(|x| shared::each_matching(x, q, max, each))
    }

    fn series(
        &self,
        dyad: Dyad<'_>,
        from: Option<&str>,
        to: Option<&str>,
        g: Granularity,
    ) -> Result<Vec<SeriesPoint>, StoreError> {
        self.run(|x| views::series(x, dyad, from, to, g))
    }

    fn dyads(&self, q: &EventQuery, limit: usize) -> Result<Vec<DyadEdge>, StoreError> {
        self.run(|x| views::dyads(x, q, limit))
    }

    fn places(&self, q: &EventQuery, limit: usize) -> Result<Vec<PlaceCell>, StoreError> {
        self.run(|x| views::places(x, q, limit))
    }

    fn save_alert(&self, alert: &NewAlert) -> Result<Option<Alert>, StoreError> {
        self.run(|x| views::save_alert(x, alert))
    }

    fn alerts(&self, q: &AlertQuery) -> Result<Page<Alert>, StoreError> {
        self.run(|x| views::alerts(x, q))
    }

    fn counts(&self) -> Result<(u64, u64, u64), StoreError> {
        self.run(views::counts)
    }

    fn summary(&self) -> Result<Summary, StoreError> {
        self.run(views::summary)
    }

    fn save_dead_letter(&self, letter: &NewDeadLetter) -> Result<(), StoreError> {
        self.run(|x| shared::save_dead_letter(x, letter))
    }

    fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        self.run(|x| shared::dead_letters(x, limit))
    }
}
