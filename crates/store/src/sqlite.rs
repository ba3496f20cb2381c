//! The embedded SQLite store.

use std::path::Path;
use std::sync::Mutex;

use chrono::Utc;
use rusqlite::{params, Connection, OptionalExtension, ToSql};
use tocsin_doc::{content_hash, Article, Event};

use crate::common::{actor_code as code, actor_key, dedup_window, filter, fold_series, page_bounds, reports, Dialect};
use crate::migrations::MIGRATIONS;
use crate::query::*;
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

    /// Every stored event between two dates (inclusive), oldest first (exports).
    pub fn all_events(&self, from: Option<&str>, to: Option<&str>) -> Result<Vec<StoredEvent>, StoreError> {
        let conn = self.lock();
        let mut st = conn
            .prepare(&format!("SELECT {STORED_COLUMNS} FROM events e WHERE (?1 IS NULL OR date >= ?1) AND (?2 IS NULL OR date <= ?2) ORDER BY date, id"))
            .map_err(db("listing events"))?;
        let rows = st
            .query_map(params![from, to], stored_row)
            .map_err(db("listing events"))?;
        rows.map(|r| r.map_err(db("reading events")).and_then(|r| r)).collect()
    }
}

type Row3 = Result<StoredEvent, StoreError>;

/// Columns read by [`stored_row`]; casualties come from the row, as later reports may add them.
const STORED_COLUMNS: &str = "e.record, e.num_mentions, e.num_sources, e.num_articles, e.dead, e.injured";

fn stored_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row3> {
    let record: String = r.get(0)?;
    let (m, s, a): (u32, u32, u32) = (r.get(1)?, r.get(2)?, r.get(3)?);
    let (dead, injured): (Option<u32>, Option<u32>) = (r.get(4)?, r.get(5)?);
    Ok(serde_json::from_str::<Event>(&record)
        .map(|mut event| {
            event.dead = dead;
            event.injured = injured;
            StoredEvent {
                event,
                num_mentions: m,
                num_sources: s,
                num_articles: a,
            }
        })
        .map_err(|e| StoreError::Corrupt(e.to_string())))
}

/// Runs a statement through the connection's statement cache.
fn exec(tx: &rusqlite::Transaction<'_>, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<usize> {
    tx.prepare_cached(sql)?.execute(p)
}

/// Finds a stored event from another article that reports the same happening. Dated events use
/// the (event_type, date) index with a range; a disjunction with `date IS NULL` would defeat it.
/// Same place: no place on either side, the same cell, or a country-level place in that country.
const DEDUP_SQL: &str = "SELECT id FROM events WHERE event_type = ?1 AND date BETWEEN ?4 AND ?5
     AND source_code IS ?2 AND target_code IS ?3
     AND (lat IS NULL OR ?6 IS NULL OR (abs(lat - ?6) <= ?8 AND abs(lon - ?7) <= ?8)
          OR ((place_level = 'country' OR ?10 = 'country') AND place_country = ?11))
     AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.event_id = events.id AND m.article_id = ?9)
     ORDER BY first_seen LIMIT 1";

/// The same for undated events (`?4`/`?5` are unused but keep the parameter list shared).
const DEDUP_UNDATED_SQL: &str =
    "SELECT id FROM events WHERE event_type = ?1 AND date IS NULL AND coalesce(?4, ?5) IS NULL
     AND source_code IS ?2 AND target_code IS ?3
     AND (lat IS NULL OR ?6 IS NULL OR (abs(lat - ?6) <= ?8 AND abs(lon - ?7) <= ?8)
          OR ((place_level = 'country' OR ?10 = 'country') AND place_country = ?11))
     AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.event_id = events.id AND m.article_id = ?9)
     ORDER BY first_seen LIMIT 1";

impl Store for SqliteStore {
    fn ingest(&self, article: &Article, events: &[Event]) -> Result<IngestOutcome, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(db("starting an ingest"))?;
        let hash = content_hash(&article.text);
        let exists: Option<String> = tx
            .query_row(
                "SELECT id FROM articles WHERE content_hash = ?1 OR id = ?2",
                params![hash, article.id],
                |r| r.get(0),
            )
            .optional()
            .map_err(db("checking for the article"))?;
        let mut out = IngestOutcome {
            new_article: exists.is_none(),
            new_events: Vec::new(),
            merged_events: Vec::new(),
        };
        if exists.is_some() {
            return Ok(out);
        }
        let now = Utc::now().to_rfc3339();
        exec(&tx, "INSERT INTO articles (id, content_hash, title, source, url, language, published, text, ingested_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)", params![article.id, hash, article.title, article.source, article.url, article.language, article.published.map(|d| d.to_string()), article.text, now]).map_err(db("storing the article"))?;
        for e in events {
            for a in [&e.source, &e.target].into_iter().flatten() {
                exec(
                    &tx,
                    "INSERT OR IGNORE INTO actors (code, name, country, org, sector) VALUES (?1,?2,?3,?4,?5)",
                    params![a.code, a.name, a.country, a.org, a.sector],
                )
                .map_err(db("storing actors"))?;
            }
            let (src, tgt) = (actor_key(&e.source), actor_key(&e.target));
            let (lo, hi) = dedup_window(e, &self.dedup).unzip();
            let (lat, lon) = e.location.as_ref().map_or((None, None), |l| (Some(l.lat), Some(l.lon)));
            let existing: Option<String> = tx
                .prepare_cached(if lo.is_some() { DEDUP_SQL } else { DEDUP_UNDATED_SQL })
                .and_then(|mut st| {
                    st.query_row(
                        params![
                            e.event_type.as_str(),
                            code(&e.source),
                            code(&e.target),
                            lo,
                            hi,
                            lat,
                            lon,
                            self.dedup.cell_degrees,
                            article.id,
                            e.location.as_ref().map(|l| l.precision.as_str()),
                            e.location.as_ref().and_then(|l| l.country.clone()),
                        ],
                        |r| r.get(0),
                    )
                    .optional()
                })
                .map_err(db("looking for the same event"))?;
            let event_id = match existing {
                Some(id) => {
                    out.merged_events.push(id.clone());
                    id
                }
                None => {
                    let record = serde_json::to_string(e).map_err(|x| StoreError::Corrupt(x.to_string()))?;
                    exec(&tx, "INSERT OR IGNORE INTO events (id, event_type, mode, cameo, goldstein, quad_class, source_code, source_actor, target_code, target_actor, date, lat, lon, location_name, dead, injured, size, num_mentions, num_sources, num_articles, first_seen, record, place_country, place_level)
                         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,0,0,0,?18,?19,?20,?21)", params![e.id, e.event_type.as_str(), e.mode, e.cameo, e.goldstein, e.quad_class, code(&e.source), src, code(&e.target), tgt, e.date, lat, lon, e.location.as_ref().map(|l| l.name.clone()), e.dead, e.injured, e.size, now, record, e.location.as_ref().and_then(|l| l.country.clone()), e.location.as_ref().map(|l| l.precision.as_str())]).map_err(db("storing an event"))?;
                    out.new_events.push(e.id.clone());
                    e.id.clone()
                }
            };
            let outlet = article.source.clone();
            for rep in reports(e)? {
                let (r, rec) = (&rep.event, rep.record);
                exec(&tx, "INSERT OR IGNORE INTO mentions (event_id, article_id, outlet, sentence, trigger_start, trigger_end, evidence, record) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)", params![event_id, article.id, outlet, r.sentence, r.trigger.start, r.trigger.end, r.evidence, rec]).map_err(db("storing a mention"))?;
            }
            exec(&tx, "UPDATE events SET num_mentions = (SELECT count(*) FROM mentions WHERE event_id = ?1),
                    num_articles = (SELECT count(DISTINCT article_id) FROM mentions WHERE event_id = ?1),
                    num_sources = (SELECT count(DISTINCT coalesce(outlet, article_id)) FROM mentions WHERE event_id = ?1),
                    dead = coalesce(dead, ?2), injured = coalesce(injured, ?3)
                 WHERE id = ?1", params![event_id, e.dead, e.injured]).map_err(db("updating event counts"))?;
        }
        tx.commit().map_err(db("committing the ingest"))?;
        Ok(out)
    }

    fn events(&self, q: &EventQuery) -> Result<Page<StoredEvent>, StoreError> {
        let conn = self.lock();
        let (wh, args) = filter(q, Dialect::Sqlite);
        let refs: Vec<&dyn ToSql> = args.iter().map(|a| a as &dyn ToSql).collect();
        let total: u64 = conn
            .query_row(
                &format!("SELECT count(*) FROM events e WHERE {wh}"),
                refs.as_slice(),
                |r| r.get(0),
            )
            .map_err(db("counting events"))?;
        let (limit, offset) = page_bounds(q);
        let sql = format!(
            "SELECT {STORED_COLUMNS} FROM events e WHERE {wh} ORDER BY e.date DESC, e.id LIMIT {limit} OFFSET {offset}"
        );
        let mut st = conn.prepare(&sql).map_err(db("listing events"))?;
        let rows = st
            .query_map(refs.as_slice(), stored_row)
            .map_err(db("listing events"))?;
        let items = rows
            .map(|r| r.map_err(db("reading events")).and_then(|r| r))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page { total, items })
    }

    fn event(&self, id: &str) -> Result<Option<EventDetail>, StoreError> {
        let conn = self.lock();
        let stored = conn
            .query_row(
                &format!("SELECT {STORED_COLUMNS} FROM events e WHERE id = ?1"),
                [id],
                stored_row,
            )
            .optional()
            .map_err(db("reading an event"))?
            .transpose()?;
        let Some(stored) = stored else {
            return Ok(None);
        };
        let mut st = conn.prepare("SELECT article_id, outlet, sentence, trigger_start, trigger_end, evidence, record FROM mentions WHERE event_id = ?1 ORDER BY article_id, sentence").map_err(db("reading mentions"))?;
        let rows = st
            .query_map([id], |r| {
                let rec: Option<String> = r.get(6)?;
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, usize>(2)?,
                    r.get::<_, usize>(3)?,
                    r.get::<_, usize>(4)?,
                    r.get::<_, String>(5)?,
                    rec,
                ))
            })
            .map_err(db("reading mentions"))?;
        let mut reports = Vec::new();
        for row in rows {
            let (article_id, outlet, sentence, trigger_start, trigger_end, evidence, rec) =
                row.map_err(db("reading mentions"))?;
            let record: Event = match rec {
                Some(rec) => serde_json::from_str(&rec).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                None => stored.event.clone(),
            };
            reports.push(MentionRow {
                article_id,
                outlet,
                sentence,
                trigger_start,
                trigger_end,
                evidence,
                record,
            });
        }
        Ok(Some(EventDetail { stored, reports }))
    }

    fn series(
        &self,
        source: &str,
        target: &str,
        from: Option<&str>,
        to: Option<&str>,
        g: Granularity,
    ) -> Result<Vec<SeriesPoint>, StoreError> {
        let period = match g {
            Granularity::Day => "date",
            Granularity::Week => "strftime('%Y-W%W', date)",
            Granularity::Month => "substr(date, 1, 7)",
        };
        let conn = self.lock();
        let sql = format!(
            "SELECT {period} AS p, event_type, quad_class, count(*), sum(num_mentions), sum(goldstein), coalesce(sum(dead),0), coalesce(sum(injured),0)
             FROM events WHERE source_actor = ?1 AND target_actor = ?2 AND date IS NOT NULL AND (?3 IS NULL OR date >= ?3) AND (?4 IS NULL OR date <= ?4)
             GROUP BY p, event_type, quad_class ORDER BY p"
        );
        let mut st = conn.prepare(&sql).map_err(db("aggregating a dyad"))?;
        let rows = st
            .query_map(params![source, target, from, to], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u8>(2)?,
                    r.get::<_, u32>(3)?,
                    r.get::<_, u32>(4)?,
                    r.get::<_, f64>(5)?,
                    r.get::<_, u32>(6)?,
                    r.get::<_, u32>(7)?,
                ))
            })
            .map_err(db("aggregating a dyad"))?;
        let rows = rows
            .map(|r| r.map_err(db("aggregating a dyad")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(fold_series(rows))
    }

    fn dyads(&self, q: &EventQuery, limit: usize) -> Result<Vec<DyadEdge>, StoreError> {
        let conn = self.lock();
        let (wh, args) = filter(q, Dialect::Sqlite);
        let refs: Vec<&dyn ToSql> = args.iter().map(|a| a as &dyn ToSql).collect();
        let sql = format!("SELECT e.source_actor, e.target_actor, count(*), sum(e.goldstein) FROM events e WHERE {wh} AND e.source_actor IS NOT NULL AND e.target_actor IS NOT NULL GROUP BY 1, 2 ORDER BY 3 DESC LIMIT {}", limit.min(500));
        let mut st = conn.prepare(&sql).map_err(db("building the actor network"))?;
        let rows = st
            .query_map(refs.as_slice(), |r| {
                Ok(DyadEdge {
                    source: r.get(0)?,
                    target: r.get(1)?,
                    events: r.get(2)?,
                    goldstein_sum: r.get(3)?,
                })
            })
            .map_err(db("building the actor network"))?;
        rows.map(|r| r.map_err(db("building the actor network"))).collect()
    }

    fn save_alert(&self, a: &NewAlert) -> Result<Option<Alert>, StoreError> {
        let conn = self.lock();
        let now = Utc::now().to_rfc3339();
        let ids = serde_json::to_string(&a.event_ids).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let n = conn
            .execute(
                "INSERT OR IGNORE INTO alerts (rule, source_actor, target_actor, date, score, message, event_ids, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
                params![a.rule, a.source, a.target, a.date, a.score, a.message, ids, now],
            )
            .map_err(db("storing an alert"))?;
        Ok((n == 1).then(|| Alert {
            id: conn.last_insert_rowid(),
            alert: a.clone(),
            created_at: now,
        }))
    }

    fn alerts(&self, limit: usize) -> Result<Vec<Alert>, StoreError> {
        let conn = self.lock();
        let mut st = conn.prepare("SELECT id, rule, source_actor, target_actor, date, score, message, event_ids, created_at FROM alerts ORDER BY date DESC, id DESC LIMIT ?1").map_err(db("listing alerts"))?;
        let rows = st
            .query_map([limit.min(1000) as i64], |r| {
                let ids: String = r.get(7)?;
                Ok(Alert {
                    id: r.get(0)?,
                    alert: NewAlert {
                        rule: r.get(1)?,
                        source: r.get(2)?,
                        target: r.get(3)?,
                        date: r.get(4)?,
                        score: r.get(5)?,
                        message: r.get(6)?,
                        event_ids: serde_json::from_str(&ids).unwrap_or_default(),
                    },
                    created_at: r.get(8)?,
                })
            })
            .map_err(db("listing alerts"))?;
        rows.map(|r| r.map_err(db("listing alerts"))).collect()
    }

    fn date_range(&self) -> Result<(Option<String>, Option<String>), StoreError> {
        self.lock()
            .query_row("SELECT min(date), max(date) FROM events", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(db("reading the date range"))
    }

    fn counts(&self) -> Result<(u64, u64, u64), StoreError> {
        let conn = self.lock();
        let one = |sql: &str| {
            conn.query_row(sql, [], |r| r.get::<_, u64>(0))
                .map_err(db("counting rows"))
        };
        Ok((
            one("SELECT count(*) FROM articles")?,
            one("SELECT count(*) FROM events")?,
            one("SELECT count(*) FROM mentions")?,
        ))
    }

    fn save_dead_letter(&self, d: &NewDeadLetter) -> Result<(), StoreError> {
        self.lock()
            .execute(
                "INSERT OR IGNORE INTO dead_letters (message_id, article_id, error, attempts, payload, created_at) VALUES (?1,?2,?3,?4,?5,?6)",
                params![d.message_id, d.article_id, d.error, d.attempts, d.payload, Utc::now().to_rfc3339()],
            )
            .map_err(db("storing a dead letter"))?;
        Ok(())
    }

    fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        let conn = self.lock();
        let mut st = conn
            .prepare("SELECT id, message_id, article_id, error, attempts, payload, created_at FROM dead_letters ORDER BY id DESC LIMIT ?1")
            .map_err(db("listing dead letters"))?;
        let rows = st
            .query_map([limit.min(1000) as i64], |r| {
                Ok(DeadLetter {
                    id: r.get(0)?,
                    letter: NewDeadLetter {
                        message_id: r.get(1)?,
                        article_id: r.get(2)?,
                        error: r.get(3)?,
                        attempts: r.get(4)?,
                        payload: r.get(5)?,
                    },
                    created_at: r.get(6)?,
                })
            })
            .map_err(db("listing dead letters"))?;
        rows.map(|r| r.map_err(db("listing dead letters"))).collect()
    }
}
