//! The PostgreSQL store, for many workers writing at once (the `postgres` crate: tokio-postgres
//! behind a blocking client, as the [`Store`] trait is synchronous and callers hold no runtime).
//!
//! Ingest is one transaction keyed by the article's content hash: the article row goes in first with
//! `ON CONFLICT DO NOTHING`, so a redelivered or concurrent copy waits for the first and then stores
//! nothing. Cross-article dedup takes advisory locks on the (type, source, target) keys it touches, in
//! sorted order, so two workers cannot both create the same real-world event.

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard};

use chrono::Utc;
use postgres::{Client, NoTls, Row, Statement, Transaction};
use tocsin_doc::{content_hash, Article, Event};

use crate::common::{
    actor_code as code, actor_key, dedup_window, filter, fold_series, page_bounds, period_of, reports, Dialect,
};
use crate::query::*;
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
];

/// Advisory lock id that serialises migrations between workers starting together.
const MIGRATION_LOCK: i64 = 0x7463_7369_6e00;

/// A connection with its prepared ingest statements (one round trip per statement instead of two).
struct Conn {
    client: Client,
    stmts: HashMap<&'static str, Statement>,
}

impl Deref for Conn {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut Client {
        &mut self.client
    }
}

impl Conn {
    /// The prepared form of a fixed query, prepared once per connection.
    fn stmt(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        if let Some(st) = self.stmts.get(sql) {
            return Ok(st.clone());
        }
        let st = self.client.prepare(sql)?;
        self.stmts.insert(sql, st.clone());
        Ok(st)
    }
}

/// Daily aggregates of one directed dyad (the escalation rules ask for it after every ingest).
const SERIES_SQL: &str =
    "SELECT date, event_type, quad_class, count(*)::int8, sum(num_mentions)::int8, sum(goldstein)::float8,
        coalesce(sum(dead), 0)::int8, coalesce(sum(injured), 0)::int8
     FROM events WHERE source_actor = $1 AND target_actor = $2 AND date IS NOT NULL
       AND ($3::text IS NULL OR date >= $3) AND ($4::text IS NULL OR date <= $4)
     GROUP BY date, event_type, quad_class ORDER BY date, event_type, quad_class";

/// A transaction that prepares each statement once per connection.
struct CachedTx<'a> {
    tx: Transaction<'a>,
    stmts: &'a mut HashMap<&'static str, Statement>,
}

type Params<'p> = [&'p (dyn postgres::types::ToSql + Sync)];

impl CachedTx<'_> {
    fn stmt(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        if let Some(st) = self.stmts.get(sql) {
            return Ok(st.clone());
        }
        let st = self.tx.prepare(sql)?;
        self.stmts.insert(sql, st.clone());
        Ok(st)
    }

    fn execute(&mut self, sql: &'static str, params: &Params<'_>) -> Result<u64, postgres::Error> {
        let st = self.stmt(sql)?;
        self.tx.execute(&st, params)
    }

    fn query_opt(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Option<Row>, postgres::Error> {
        let st = self.stmt(sql)?;
        self.tx.query_opt(&st, params)
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

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn u32_of(v: Option<i64>) -> Option<u32> {
    v.and_then(|v| u32::try_from(v).ok())
}

fn stored_row(r: &Row) -> Result<StoredEvent, StoreError> {
    let record: String = r.get(0);
    let mut event: Event = serde_json::from_str(&record).map_err(corrupt)?;
    event.dead = u32_of(r.get(4));
    event.injured = u32_of(r.get(5));
    let n = |i: usize| r.get::<_, i32>(i).max(0) as u32;
    Ok(StoredEvent {
        event,
        num_mentions: n(1),
        num_sources: n(2),
        num_articles: n(3),
    })
}

/// Columns read by [`stored_row`].
const STORED_COLUMNS: &str = "e.record, e.num_mentions, e.num_sources, e.num_articles, e.dead, e.injured";

const DEDUP_SQL: &str = "SELECT id FROM events WHERE event_type = $1 AND date BETWEEN $4 AND $5
     AND source_code IS NOT DISTINCT FROM $2 AND target_code IS NOT DISTINCT FROM $3
     AND (lat IS NULL OR $6::float8 IS NULL OR (abs(lat - $6) <= $8 AND abs(lon - $7) <= $8)
          OR ((place_level = 'country' OR $10::text = 'country') AND place_country = $11::text))
     AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.event_id = events.id AND m.article_id = $9)
     ORDER BY first_seen LIMIT 1";

const DEDUP_UNDATED_SQL: &str = "SELECT id FROM events WHERE event_type = $1 AND date IS NULL
     AND coalesce($4::text, $5::text) IS NULL
     AND source_code IS NOT DISTINCT FROM $2 AND target_code IS NOT DISTINCT FROM $3
     AND (lat IS NULL OR $6::float8 IS NULL OR (abs(lat - $6) <= $8 AND abs(lon - $7) <= $8)
          OR ((place_level = 'country' OR $10::text = 'country') AND place_country = $11::text))
     AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.event_id = events.id AND m.article_id = $9)
     ORDER BY first_seen LIMIT 1";

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
            return Err(StoreError::Corrupt(format!("invalid database name {name:?}")));
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
            if guard.as_ref().is_none_or(|c| c.is_closed()) {
                *guard = Some(Conn {
                    client: Client::connect(&self.url, NoTls).map_err(pg("connecting to PostgreSQL"))?,
                    stmts: HashMap::new(),
                });
                retried = true;
            }
            let client = guard
                .as_mut()
                .ok_or_else(|| StoreError::Corrupt("no PostgreSQL connection".into()))?;
            let out = f(client);
            if out.is_err() && client.is_closed() {
                *guard = None;
                if !retried {
                    retried = true;
                    continue;
                }
            }
            return out;
        }
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
    let mut tx = c.transaction().map_err(pg("starting a migration"))?;
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

/// Text parameters of a filter, as the postgres crate wants them.
fn text_params(args: &[String]) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
    args.iter().map(|a| a as &(dyn postgres::types::ToSql + Sync)).collect()
}

fn ingest_tx(c: &mut Conn, rule: &DedupRule, article: &Article, events: &[Event]) -> Result<IngestOutcome, StoreError> {
    let Conn { client, stmts } = c;
    let mut tx = CachedTx {
        tx: client.transaction().map_err(pg("starting an ingest"))?,
        stmts,
    };
    let hash = content_hash(&article.text);
    let now = Utc::now().to_rfc3339();
    // The idempotency key: a copy of an article already stored (or being stored by another worker,
    // whose transaction this insert waits for) inserts nothing.
    let inserted = tx
        .execute(
            "INSERT INTO articles (id, content_hash, title, source, url, language, published, text, ingested_at)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT DO NOTHING",
            &[
                &article.id,
                &hash,
                &article.title,
                &article.source,
                &article.url,
                &article.language,
                &article.published.map(|d| d.to_string()),
                &article.text,
                &now,
            ],
        )
        .map_err(pg("storing the article"))?;
    let mut out = IngestOutcome {
        new_article: inserted == 1,
        new_events: Vec::new(),
        merged_events: Vec::new(),
    };
    if inserted == 0 {
        return Ok(out);
    }
    let mut keys: Vec<String> = events
        .iter()
        .map(|e| format!("{}|{:?}|{:?}", e.event_type.as_str(), code(&e.source), code(&e.target)))
        .collect();
    keys.sort();
    keys.dedup();
    for k in &keys {
        tx.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", &[k])
            .map_err(pg("locking a dedup key"))?;
    }
    for e in events {
        for a in [&e.source, &e.target].into_iter().flatten() {
            tx.execute(
                "INSERT INTO actors (code, name, country, org, sector) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING",
                &[&a.code, &a.name, &a.country, &a.org, &a.sector],
            )
            .map_err(pg("storing actors"))?;
        }
        let (lo, hi) = dedup_window(e, rule).unzip();
        let (lat, lon) = e.location.as_ref().map_or((None, None), |l| (Some(l.lat), Some(l.lon)));
        let (sc, tc) = (code(&e.source), code(&e.target));
        let existing = tx
            .query_opt(
                if lo.is_some() { DEDUP_SQL } else { DEDUP_UNDATED_SQL },
                &[
                    &e.event_type.as_str(),
                    &sc,
                    &tc,
                    &lo,
                    &hi,
                    &lat,
                    &lon,
                    &rule.cell_degrees,
                    &article.id,
                    &e.location.as_ref().map(|l| l.precision.as_str()),
                    &e.location.as_ref().and_then(|l| l.country.clone()),
                ],
            )
            .map_err(pg("looking for the same event"))?
            .map(|r| r.get::<_, String>(0));
        let event_id = match existing {
            Some(id) => {
                out.merged_events.push(id.clone());
                id
            }
            None => {
                let record = serde_json::to_string(e).map_err(corrupt)?;
                let n = tx.execute("INSERT INTO events (id, event_type, mode, cameo, goldstein, quad_class, source_code, source_actor, target_code, target_actor, date, lat, lon, location_name, dead, injured, size, num_mentions, num_sources, num_articles, first_seen, record, place_country, place_level)
                         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,0,0,0,$18,$19,$20,$21) ON CONFLICT DO NOTHING",
                        &[
                            &e.id,
                            &e.event_type.as_str(),
                            &e.mode,
                            &e.cameo,
                            &e.goldstein,
                            &(e.quad_class as i32),
                            &sc,
                            &actor_key(&e.source),
                            &tc,
                            &actor_key(&e.target),
                            &e.date,
                            &lat,
                            &lon,
                            &e.location.as_ref().map(|l| l.name.clone()),
                            &e.dead.map(i64::from),
                            &e.injured.map(i64::from),
                            &e.size.map(i64::from),
                            &now,
                            &record,
                            &e.location.as_ref().and_then(|l| l.country.clone()),
                            &e.location.as_ref().map(|l| l.precision.as_str()),
                        ],
                    )
                    .map_err(pg("storing an event"))?;
                if n == 1 {
                    out.new_events.push(e.id.clone());
                }
                e.id.clone()
            }
        };
        for rep in reports(e)? {
            let r = &rep.event;
            tx.execute("INSERT INTO mentions (event_id, article_id, outlet, sentence, trigger_start, trigger_end, evidence, record)
                 VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING",
                &[
                    &event_id,
                    &article.id,
                    &article.source,
                    &(r.sentence as i64),
                    &(r.trigger.start as i64),
                    &(r.trigger.end as i64),
                    &r.evidence,
                    &rep.record,
                ],
            )
            .map_err(pg("storing a mention"))?;
        }
        tx.execute(
            "UPDATE events SET num_mentions = (SELECT count(*) FROM mentions WHERE event_id = $1),
                num_articles = (SELECT count(DISTINCT article_id) FROM mentions WHERE event_id = $1),
                num_sources = (SELECT count(DISTINCT coalesce(outlet, article_id)) FROM mentions WHERE event_id = $1),
                dead = coalesce(dead, $2), injured = coalesce(injured, $3)
             WHERE id = $1",
            &[&event_id, &e.dead.map(i64::from), &e.injured.map(i64::from)],
        )
        .map_err(pg("updating event counts"))?;
    }
    tx.tx.commit().map_err(pg("committing the ingest"))?;
    Ok(out)
}

impl Store for PgStore {
    fn ingest(&self, article: &Article, events: &[Event]) -> Result<IngestOutcome, StoreError> {
        self.with(|c| ingest_tx(c, &self.dedup, article, events))
    }

    fn events(&self, q: &EventQuery) -> Result<Page<StoredEvent>, StoreError> {
        let (wh, args) = filter(q, Dialect::Postgres);
        let (limit, offset) = page_bounds(q);
        self.with(|c| {
            let params = text_params(&args);
            let total: i64 = c
                .query_one(&format!("SELECT count(*) FROM events e WHERE {wh}"), &params)
                .map_err(pg("counting events"))?
                .get(0);
            let sql = format!(
                "SELECT {STORED_COLUMNS} FROM events e WHERE {wh} ORDER BY e.date DESC NULLS LAST, e.id LIMIT {limit} OFFSET {offset}"
            );
            let rows = c.query(&sql, &params).map_err(pg("listing events"))?;
            let items = rows.iter().map(stored_row).collect::<Result<Vec<_>, _>>()?;
            Ok(Page {
                total: total.max(0) as u64,
                items,
            })
        })
    }

    fn event(&self, id: &str) -> Result<Option<EventDetail>, StoreError> {
        self.with(|c| {
            let Some(row) = c
                .query_opt(&format!("SELECT {STORED_COLUMNS} FROM events e WHERE id = $1"), &[&id])
                .map_err(pg("reading an event"))?
            else {
                return Ok(None);
            };
            let stored = stored_row(&row)?;
            let rows = c
                .query("SELECT article_id, outlet, sentence, trigger_start, trigger_end, evidence, record FROM mentions WHERE event_id = $1 ORDER BY article_id, sentence", &[&id])
                .map_err(pg("reading mentions"))?;
            let mut reports = Vec::new();
            for r in rows {
                let rec: Option<String> = r.get(6);
                let record = match rec {
                    Some(rec) => serde_json::from_str(&rec).map_err(corrupt)?,
                    None => stored.event.clone(),
                };
                reports.push(MentionRow {
                    article_id: r.get(0),
                    outlet: r.get(1),
                    sentence: r.get::<_, i64>(2).max(0) as usize,
                    trigger_start: r.get::<_, i64>(3).max(0) as usize,
                    trigger_end: r.get::<_, i64>(4).max(0) as usize,
                    evidence: r.get(5),
                    record,
                });
            }
            Ok(Some(EventDetail { stored, reports }))
        })
    }

    fn series(
        &self,
        source: &str,
        target: &str,
        from: Option<&str>,
        to: Option<&str>,
        g: Granularity,
    ) -> Result<Vec<SeriesPoint>, StoreError> {
        self.with(|c| {
            let st = c.stmt(SERIES_SQL).map_err(pg("aggregating a dyad"))?;
            let rows = c
                .query(&st, &[&source, &target, &from, &to])
                .map_err(pg("aggregating a dyad"))?;
            let n = |v: i64| v.clamp(0, u32::MAX as i64) as u32;
            Ok(fold_series(rows.iter().map(|r| {
                (
                    period_of(&r.get::<_, String>(0), g),
                    r.get(1),
                    r.get::<_, i32>(2).clamp(0, 255) as u8,
                    n(r.get(3)),
                    n(r.get(4)),
                    r.get(5),
                    n(r.get(6)),
                    n(r.get(7)),
                )
            })))
        })
    }

    fn dyads(&self, q: &EventQuery, limit: usize) -> Result<Vec<DyadEdge>, StoreError> {
        let (wh, args) = filter(q, Dialect::Postgres);
        self.with(|c| {
            let sql = format!("SELECT e.source_actor, e.target_actor, count(*)::int8, sum(e.goldstein)::float8 FROM events e WHERE {wh} AND e.source_actor IS NOT NULL AND e.target_actor IS NOT NULL GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT {}", limit.min(500));
            let rows = c.query(&sql, &text_params(&args)).map_err(pg("building the actor network"))?;
            Ok(rows
                .iter()
                .map(|r| DyadEdge {
                    source: r.get(0),
                    target: r.get(1),
                    events: r.get::<_, i64>(2).clamp(0, u32::MAX as i64) as u32,
                    goldstein_sum: r.get(3),
                })
                .collect())
        })
    }

    fn save_alert(&self, a: &NewAlert) -> Result<Option<Alert>, StoreError> {
        let now = Utc::now().to_rfc3339();
        let ids = serde_json::to_string(&a.event_ids).map_err(corrupt)?;
        self.with(|c| {
            let row = c
                .query_opt(
                    "INSERT INTO alerts (rule, source_actor, target_actor, date, score, message, event_ids, created_at)
                     VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING RETURNING id",
                    &[&a.rule, &a.source, &a.target, &a.date, &a.score, &a.message, &ids, &now],
                )
                .map_err(pg("storing an alert"))?;
            Ok(row.map(|r| Alert {
                id: r.get(0),
                alert: a.clone(),
                created_at: now.clone(),
            }))
        })
    }

    fn alerts(&self, limit: usize) -> Result<Vec<Alert>, StoreError> {
        self.with(|c| {
            let rows = c
                .query("SELECT id, rule, source_actor, target_actor, date, score, message, event_ids, created_at FROM alerts ORDER BY date DESC, id DESC LIMIT $1", &[&(limit.min(1000) as i64)])
                .map_err(pg("listing alerts"))?;
            Ok(rows
                .iter()
                .map(|r| Alert {
                    id: r.get(0),
                    alert: NewAlert {
                        rule: r.get(1),
                        source: r.get(2),
                        target: r.get(3),
                        date: r.get(4),
                        score: r.get(5),
                        message: r.get(6),
                        event_ids: serde_json::from_str(r.get(7)).unwrap_or_default(),
                    },
                    created_at: r.get(8),
                })
                .collect())
        })
    }

    fn counts(&self) -> Result<(u64, u64, u64), StoreError> {
        self.with(|c| {
            let r = c
                .query_one(
                    "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events), (SELECT count(*) FROM mentions)",
                    &[],
                )
                .map_err(pg("counting rows"))?;
            let n = |i: usize| r.get::<_, i64>(i).max(0) as u64;
            Ok((n(0), n(1), n(2)))
        })
    }

    fn date_range(&self) -> Result<(Option<String>, Option<String>), StoreError> {
        self.with(|c| {
            let r = c
                .query_one("SELECT min(date), max(date) FROM events", &[])
                .map_err(pg("reading the date range"))?;
            Ok((r.get(0), r.get(1)))
        })
    }

    fn save_dead_letter(&self, d: &NewDeadLetter) -> Result<(), StoreError> {
        let now = Utc::now().to_rfc3339();
        self.with(|c| {
            c.execute(
                "INSERT INTO dead_letters (message_id, article_id, error, attempts, payload, created_at)
                 VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING",
                &[
                    &d.message_id,
                    &d.article_id,
                    &d.error,
                    &i64::from(d.attempts),
                    &d.payload,
                    &now,
                ],
            )
            .map_err(pg("storing a dead letter"))?;
            Ok(())
        })
    }

    fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        self.with(|c| {
            let rows = c
                .query("SELECT id, message_id, article_id, error, attempts, payload, created_at FROM dead_letters ORDER BY id DESC LIMIT $1", &[&(limit.min(1000) as i64)])
                .map_err(pg("listing dead letters"))?;
            Ok(rows
                .iter()
                .map(|r| DeadLetter {
                    id: r.get(0),
                    letter: NewDeadLetter {
                        message_id: r.get(1),
                        article_id: r.get(2),
                        error: r.get(3),
                        attempts: r.get::<_, i64>(4).clamp(0, u32::MAX as i64) as u32,
                        payload: r.get(5),
                    },
                    created_at: r.get(6),
                })
                .collect())
        })
    }
}
