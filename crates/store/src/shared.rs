//! The SQL and row mapping both back ends share: every statement is written once (with `?N`
//! placeholders, which the PostgreSQL executor turns into `$N`) and run through [`Exec`].
//!
//! What differs stays in the back ends: connections, migrations, full-text search (in
//! [`crate::common::filter`]) and PostgreSQL's advisory locks around cross-article dedup.

use chrono::Utc;
use tocsin_doc::{content_hash, Article, Event};

use crate::common::{
    actor_code as code, actor_key, dedup_window, filter, fold_series, page_bounds, period_of, reports, Dialect,
};
use crate::query::*;
use crate::value::Value;
use crate::{DedupRule, StoreError};

/// Runs shared statements on one back end's connection or transaction.
pub(crate) trait Exec {
    /// The placeholder and full-text flavour of this back end.
    fn dialect(&self) -> Dialect;
    /// Runs a statement; returns the number of rows it changed. `doing` names it in errors.
    fn execute(&mut self, doing: &'static str, sql: &str, params: &[Value]) -> Result<u64, StoreError>;
    /// Runs a query and hands each row to `row` until it returns false.
    fn each_row(
        &mut self,
        doing: &'static str,
        sql: &str,
        params: &[Value],
        row: &mut dyn FnMut(Vec<Value>) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError>;

    /// Runs a query and collects its rows.
    fn query(&mut self, doing: &'static str, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, StoreError> {
        let mut out = Vec::new();
        self.each_row(doing, sql, params, &mut |r| {
            out.push(r);
            Ok(true)
        })?;
        Ok(out)
    }

    /// Runs a query and returns its first row, if any.
    fn query_opt(
        &mut self,
        doing: &'static str,
        sql: &str,
        params: &[Value],
    ) -> Result<Option<Vec<Value>>, StoreError> {
        let mut out = None;
        self.each_row(doing, sql, params, &mut |r| {
            out = Some(r);
            Ok(false)
        })?;
        Ok(out)
    }
}

/// `?N` placeholders as PostgreSQL's `$N`.
pub(crate) fn to_postgres(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

fn missing(doing: &'static str, column: &'static str) -> StoreError {
    StoreError::Column { doing, column }
}

/// Column `i` of a row as text (error if absent or not text).
fn text(row: &[Value], i: usize, doing: &'static str, column: &'static str) -> Result<String, StoreError> {
    row.get(i).and_then(Value::text).ok_or_else(|| missing(doing, column))
}

/// Column `i` as an optional integer.
fn opt_int(row: &[Value], i: usize) -> Option<i64> {
    row.get(i).and_then(Value::int)
}

/// Column `i` as a count (negative or absent: 0).
fn count(row: &[Value], i: usize) -> u32 {
    opt_int(row, i).map_or(0, |n| n.clamp(0, i64::from(u32::MAX)) as u32)
}

fn to_u32(v: Option<i64>) -> Option<u32> {
    v.and_then(|v| u32::try_from(v).ok())
}

fn parse_record(doing: &'static str, record: &str) -> Result<Event, StoreError> {
    serde_json::from_str(record).map_err(|source| StoreError::Record { doing, source })
}

fn write_record(e: &Event) -> Result<String, StoreError> {
    serde_json::to_string(e).map_err(|source| StoreError::Record {
        doing: "serialising an event",
        source,
    })
}

/// Columns read by [`stored_event`]; casualties come from the row, as later reports may add them.
const STORED_COLUMNS: &str = "e.record, e.num_mentions, e.num_sources, e.num_articles, e.dead, e.injured";

/// A row of [`STORED_COLUMNS`] as a stored event.
fn stored_event(row: &[Value]) -> Result<StoredEvent, StoreError> {
    const DOING: &str = "reading an event";
    let mut event = parse_record(DOING, &text(row, 0, DOING, "record")?)?;
    event.dead = to_u32(opt_int(row, 4));
    event.injured = to_u32(opt_int(row, 5));
    Ok(StoredEvent {
        event,
        num_mentions: count(row, 1),
        num_sources: count(row, 2),
        num_articles: count(row, 3),
    })
}

const INSERT_ARTICLE: &str =
    "INSERT INTO articles (id, content_hash, title, source, url, language, published, text, ingested_at)
     VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9) ON CONFLICT DO NOTHING";

const INSERT_ACTOR: &str =
    "INSERT INTO actors (code, name, country, org, sector) VALUES (?1,?2,?3,?4,?5) ON CONFLICT DO NOTHING";

/// Finds a stored event from another article that reports the same happening. Dated events use
/// the (event_type, date) index with a range; a disjunction with `date IS NULL` would defeat it.
/// Same place: no place on either side, the same cell, or a country-level place in that country.
const DEDUP: &str = "SELECT id FROM events WHERE event_type = ?1 AND date BETWEEN ?4 AND ?5
     AND source_code IS NOT DISTINCT FROM ?2 AND target_code IS NOT DISTINCT FROM ?3
     AND (lat IS NULL OR CAST(?6 AS DOUBLE PRECISION) IS NULL OR (abs(lat - ?6) <= ?8 AND abs(lon - ?7) <= ?8)
          OR ((place_level = 'country' OR CAST(?10 AS TEXT) = 'country') AND place_country = CAST(?11 AS TEXT)))
     AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.event_id = events.id AND m.article_id = ?9)
     ORDER BY first_seen LIMIT 1";

/// The same for undated events (`?4`/`?5` are unused but keep the parameter list shared).
const DEDUP_UNDATED: &str = "SELECT id FROM events WHERE event_type = ?1 AND date IS NULL
     AND coalesce(CAST(?4 AS TEXT), CAST(?5 AS TEXT)) IS NULL
     AND source_code IS NOT DISTINCT FROM ?2 AND target_code IS NOT DISTINCT FROM ?3
     AND (lat IS NULL OR CAST(?6 AS DOUBLE PRECISION) IS NULL OR (abs(lat - ?6) <= ?8 AND abs(lon - ?7) <= ?8)
          OR ((place_level = 'country' OR CAST(?10 AS TEXT) = 'country') AND place_country = CAST(?11 AS TEXT)))
     AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.event_id = events.id AND m.article_id = ?9)
     ORDER BY first_seen LIMIT 1";

const INSERT_EVENT: &str =
    "INSERT INTO events (id, event_type, mode, cameo, goldstein, quad_class, source_code, source_actor,
     target_code, target_actor, date, lat, lon, location_name, dead, injured, size, num_mentions, num_sources,
     num_articles, first_seen, record, place_country, place_level)
     VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,0,0,0,?18,?19,?20,?21) ON CONFLICT DO NOTHING";

const INSERT_MENTION: &str =
    "INSERT INTO mentions (event_id, article_id, outlet, sentence, trigger_start, trigger_end, evidence, record)
     VALUES (?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT DO NOTHING";

const UPDATE_COUNTS: &str = "UPDATE events SET num_mentions = (SELECT count(*) FROM mentions WHERE event_id = ?1),
     num_articles = (SELECT count(DISTINCT article_id) FROM mentions WHERE event_id = ?1),
     num_sources = (SELECT count(DISTINCT coalesce(outlet, article_id)) FROM mentions WHERE event_id = ?1),
     dead = coalesce(dead, ?2), injured = coalesce(injured, ?3)
     WHERE id = ?1";

/// The article's row values, in [`INSERT_ARTICLE`] order.
fn article_row(a: &Article, hash: &str, now: &str) -> Vec<Value> {
    vec![
        a.id.as_str().into(),
        hash.into(),
        a.title.clone().into(),
        a.source.clone().into(),
        a.url.clone().into(),
        a.language.clone().into(),
        a.published.map(|d| d.to_string()).into(),
        a.text.as_str().into(),
        now.into(),
    ]
}

/// The event's row values, in [`INSERT_EVENT`] order.
fn event_row(e: &Event, now: &str) -> Result<Vec<Value>, StoreError> {
    let loc = e.location.as_ref();
    Ok(vec![
        e.id.as_str().into(),
        e.event_type.as_str().into(),
        e.mode.clone().into(),
        e.cameo.as_str().into(),
        f64::from(e.goldstein).into(),
        i64::from(e.quad_class).into(),
        code(&e.source).into(),
        actor_key(&e.source).into(),
        code(&e.target).into(),
        actor_key(&e.target).into(),
        e.date.map(|d| d.to_string()).into(),
        loc.map(|l| l.lat).into(),
        loc.map(|l| l.lon).into(),
        loc.map(|l| l.name.clone()).into(),
        e.dead.map(i64::from).into(),
        e.injured.map(i64::from).into(),
        e.size.map(i64::from).into(),
        now.into(),
        write_record(e)?.into(),
        loc.and_then(|l| l.country.clone()).into(),
        loc.map(|l| l.precision.as_str()).into(),
    ])
}

/// The (type, source, target) keys of an article's events, sorted and distinct: what PostgreSQL
/// locks before deduplicating, so two workers cannot both create the same real-world event.
pub(crate) fn dedup_keys(events: &[Event]) -> Vec<String> {
    let mut keys: Vec<String> = events
        .iter()
        .map(|e| format!("{}|{:?}|{:?}", e.event_type.as_str(), code(&e.source), code(&e.target)))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Stores an article and its events in the caller's transaction. The article row goes in first;
/// if it is already there (same id or content hash) nothing else is written. `before_dedup` runs
/// after the article is in and before any event is matched (PostgreSQL takes its locks there).
pub(crate) fn ingest(
    x: &mut dyn Exec,
    rule: &DedupRule,
    article: &Article,
    events: &[Event],
    before_dedup: &mut dyn FnMut(&mut dyn Exec) -> Result<(), StoreError>,
) -> Result<IngestOutcome, StoreError> {
    let hash = content_hash(&article.text);
    let now = Utc::now().to_rfc3339();
    let inserted = x.execute(
        "storing the article",
        INSERT_ARTICLE,
        &article_row(article, &hash, &now),
    )?;
    let mut out = IngestOutcome {
        new_article: inserted == 1,
        new_events: Vec::new(),
        merged_events: Vec::new(),
    };
    if inserted == 0 {
        return Ok(out);
    }
    before_dedup(x)?;
    for e in events {
        for a in [&e.source, &e.target].into_iter().flatten() {
            let row = [
                a.code.as_str().into(),
                a.name.as_str().into(),
                a.country.clone().into(),
                a.org.clone().into(),
                a.sector.clone().into(),
            ];
            x.execute("storing actors", INSERT_ACTOR, &row)?;
        }
        let (lo, hi) = dedup_window(e, rule).unzip();
        let loc = e.location.as_ref();
        let dedup = if lo.is_some() { DEDUP } else { DEDUP_UNDATED };
        let params = [
            e.event_type.as_str().into(),
            code(&e.source).into(),
            code(&e.target).into(),
            lo.into(),
            hi.into(),
            loc.map(|l| l.lat).into(),
            loc.map(|l| l.lon).into(),
            rule.cell_degrees.into(),
            article.id.as_str().into(),
            loc.map(|l| l.precision.as_str()).into(),
            loc.and_then(|l| l.country.clone()).into(),
        ];
        let existing = x
            .query_opt("looking for the same event", dedup, &params)?
            .map(|r| text(&r, 0, "looking for the same event", "id"))
            .transpose()?;
        let event_id = match existing {
            Some(id) => {
                out.merged_events.push(id.clone());
                id
            }
            None => {
                if x.execute("storing an event", INSERT_EVENT, &event_row(e, &now)?)? == 1 {
                    out.new_events.push(e.id.clone());
                }
                e.id.clone()
            }
        };
        for rep in reports(e)? {
            let r = &rep.event;
            let row = [
                event_id.as_str().into(),
                article.id.as_str().into(),
                article.source.clone().into(),
                (r.sentence as i64).into(),
                (r.trigger.start as i64).into(),
                (r.trigger.end as i64).into(),
                r.evidence.as_str().into(),
                rep.record.into(),
            ];
            x.execute("storing a mention", INSERT_MENTION, &row)?;
        }
        let row = [
            event_id.as_str().into(),
            e.dead.map(i64::from).into(),
            e.injured.map(i64::from).into(),
        ];
        x.execute("updating event counts", UPDATE_COUNTS, &row)?;
    }
    Ok(out)
}

/// Events matching a query, newest first, paged.
pub(crate) fn events(x: &mut dyn Exec, q: &EventQuery) -> Result<Page<StoredEvent>, StoreError> {
    let (wh, args) = filter(q, x.dialect());
    let params: Vec<Value> = args.into_iter().map(Value::Text).collect();
    let total = x
        .query_opt(
            "counting events",
            &format!("SELECT count(*) FROM events e WHERE {wh}"),
            &params,
        )?
        .map_or(0, |r| opt_int(&r, 0).unwrap_or(0).max(0) as u64);
    let (limit, offset) = page_bounds(q);
    let sql = format!(
        "SELECT {STORED_COLUMNS} FROM events e WHERE {wh} ORDER BY e.date DESC NULLS LAST, e.id LIMIT {limit} OFFSET {offset}"
    );
    let items = x
        .query("listing events", &sql, &params)?
        .iter()
        .map(|r| stored_event(r))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page { total, items })
}

/// Every event dated between `from` and `to` (inclusive; both absent: every event, undated too),
/// oldest first, streamed to `each` until it returns false.
pub(crate) fn each_event(
    x: &mut dyn Exec,
    from: Option<&str>,
    to: Option<&str>,
    each: &mut dyn FnMut(StoredEvent) -> bool,
) -> Result<(), StoreError> {
    let sql = format!(
        "SELECT {STORED_COLUMNS} FROM events e WHERE (CAST(?1 AS TEXT) IS NULL OR e.date >= ?1)
         AND (CAST(?2 AS TEXT) IS NULL OR e.date <= ?2) ORDER BY e.date NULLS FIRST, e.id"
    );
    x.each_row("listing events", &sql, &[from.into(), to.into()], &mut |row| {
        Ok(each(stored_event(&row)?))
    })
}

/// One event with every report of it.
pub(crate) fn event(x: &mut dyn Exec, id: &str) -> Result<Option<EventDetail>, StoreError> {
    let sql = format!("SELECT {STORED_COLUMNS} FROM events e WHERE e.id = ?1");
    let Some(row) = x.query_opt("reading an event", &sql, &[id.into()])? else {
        return Ok(None);
    };
    let stored = stored_event(&row)?;
    const DOING: &str = "reading mentions";
    let rows = x.query(
        DOING,
        "SELECT article_id, outlet, sentence, trigger_start, trigger_end, evidence, record FROM mentions
         WHERE event_id = ?1 ORDER BY article_id, sentence",
        &[id.into()],
    )?;
    let mut reports = Vec::new();
    for r in rows {
        let index = |i: usize| opt_int(&r, i).unwrap_or(0).max(0) as usize;
        let record = match r.get(6).and_then(Value::text) {
            Some(rec) => parse_record(DOING, &rec)?,
            None => stored.event.clone(),
        };
        reports.push(MentionRow {
            article_id: text(&r, 0, DOING, "article_id")?,
            outlet: r.get(1).and_then(Value::text),
            sentence: index(2),
            trigger_start: index(3),
            trigger_end: index(4),
            evidence: text(&r, 5, DOING, "evidence")?,
            record,
        });
    }
    Ok(Some(EventDetail { stored, reports }))
}

/// Per-period aggregates of a directed dyad: daily rows from SQL, folded into weeks or months here.
pub(crate) fn series(
    x: &mut dyn Exec,
    source: &str,
    target: &str,
    from: Option<&str>,
    to: Option<&str>,
    g: Granularity,
) -> Result<Vec<SeriesPoint>, StoreError> {
    const DOING: &str = "aggregating a dyad";
    let rows = x.query(
        DOING,
        "SELECT date, event_type, quad_class, count(*), CAST(sum(num_mentions) AS BIGINT),
            CAST(sum(goldstein) AS DOUBLE PRECISION), CAST(coalesce(sum(dead), 0) AS BIGINT),
            CAST(coalesce(sum(injured), 0) AS BIGINT)
         FROM events WHERE source_actor = ?1 AND target_actor = ?2 AND date IS NOT NULL
           AND (CAST(?3 AS TEXT) IS NULL OR date >= ?3) AND (CAST(?4 AS TEXT) IS NULL OR date <= ?4)
         GROUP BY date, event_type, quad_class ORDER BY date, event_type, quad_class",
        &[source.into(), target.into(), from.into(), to.into()],
    )?;
    let mut folded = Vec::with_capacity(rows.len());
    for r in rows {
        folded.push((
            period_of(&text(&r, 0, DOING, "date")?, g),
            text(&r, 1, DOING, "event_type")?,
            count(&r, 2).min(255) as u8,
            count(&r, 3),
            count(&r, 4),
            r.get(5).and_then(Value::real).unwrap_or(0.0),
            count(&r, 6),
            count(&r, 7),
        ));
    }
    Ok(fold_series(folded))
}

/// The strongest directed dyads of the events a query matches.
pub(crate) fn dyads(x: &mut dyn Exec, q: &EventQuery, limit: usize) -> Result<Vec<DyadEdge>, StoreError> {
    const DOING: &str = "building the actor network";
    let (wh, args) = filter(q, x.dialect());
    let params: Vec<Value> = args.into_iter().map(Value::Text).collect();
    let sql = format!(
        "SELECT e.source_actor, e.target_actor, count(*), CAST(sum(e.goldstein) AS DOUBLE PRECISION) FROM events e
         WHERE {wh} AND e.source_actor IS NOT NULL AND e.target_actor IS NOT NULL
         GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT {}",
        limit.min(500)
    );
    x.query(DOING, &sql, &params)?
        .iter()
        .map(|r| {
            Ok(DyadEdge {
                source: text(r, 0, DOING, "source_actor")?,
                target: text(r, 1, DOING, "target_actor")?,
                events: count(r, 2),
                goldstein_sum: r.get(3).and_then(Value::real).unwrap_or(0.0),
            })
        })
        .collect()
}

/// Stores an alert unless the same rule already fired for that dyad and date.
pub(crate) fn save_alert(x: &mut dyn Exec, a: &NewAlert) -> Result<Option<Alert>, StoreError> {
    const DOING: &str = "storing an alert";
    let now = Utc::now().to_rfc3339();
    let ids = serde_json::to_string(&a.event_ids).map_err(|source| StoreError::Record { doing: DOING, source })?;
    let row = x.query_opt(
        DOING,
        "INSERT INTO alerts (rule, source_actor, target_actor, date, score, message, event_ids, created_at)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT DO NOTHING RETURNING id",
        &[
            a.rule.as_str().into(),
            a.source.as_str().into(),
            a.target.as_str().into(),
            a.date.as_str().into(),
            a.score.into(),
            a.message.as_str().into(),
            ids.into(),
            now.as_str().into(),
        ],
    )?;
    row.map(|r| {
        Ok(Alert {
            id: opt_int(&r, 0).ok_or_else(|| missing(DOING, "id"))?,
            alert: a.clone(),
            created_at: now.clone(),
        })
    })
    .transpose()
}

/// The latest alerts first.
pub(crate) fn alerts(x: &mut dyn Exec, limit: usize) -> Result<Vec<Alert>, StoreError> {
    const DOING: &str = "listing alerts";
    x.query(
        DOING,
        "SELECT id, rule, source_actor, target_actor, date, score, message, event_ids, created_at FROM alerts
         ORDER BY date DESC, id DESC LIMIT ?1",
        &[(limit.min(1000) as i64).into()],
    )?
    .iter()
    .map(|r| {
        Ok(Alert {
            id: opt_int(r, 0).ok_or_else(|| missing(DOING, "id"))?,
            alert: NewAlert {
                rule: text(r, 1, DOING, "rule")?,
                source: text(r, 2, DOING, "source_actor")?,
                target: text(r, 3, DOING, "target_actor")?,
                date: text(r, 4, DOING, "date")?,
                score: r.get(5).and_then(Value::real).unwrap_or(0.0),
                message: text(r, 6, DOING, "message")?,
                event_ids: serde_json::from_str(&text(r, 7, DOING, "event_ids")?)
                    .map_err(|source| StoreError::Record { doing: DOING, source })?,
            },
            created_at: text(r, 8, DOING, "created_at")?,
        })
    })
    .collect()
}

/// Counts of articles, events and mentions.
pub(crate) fn counts(x: &mut dyn Exec) -> Result<(u64, u64, u64), StoreError> {
    let r = x
        .query_opt(
            "counting rows",
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events), (SELECT count(*) FROM mentions)",
            &[],
        )?
        .unwrap_or_default();
    let n = |i: usize| opt_int(&r, i).unwrap_or(0).max(0) as u64;
    Ok((n(0), n(1), n(2)))
}

/// First and last event dates.
pub(crate) fn date_range(x: &mut dyn Exec) -> Result<(Option<String>, Option<String>), StoreError> {
    let r = x
        .query_opt("reading the date range", "SELECT min(date), max(date) FROM events", &[])?
        .unwrap_or_default();
    Ok((r.first().and_then(Value::text), r.get(1).and_then(Value::text)))
}

/// Records an article a worker gave up on (once per message).
pub(crate) fn save_dead_letter(x: &mut dyn Exec, d: &NewDeadLetter) -> Result<(), StoreError> {
    x.execute(
        "storing a dead letter",
        "INSERT INTO dead_letters (message_id, article_id, error, attempts, payload, created_at)
         VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT DO NOTHING",
        &[
            d.message_id.as_str().into(),
            d.article_id.clone().into(),
            d.error.as_str().into(),
            i64::from(d.attempts).into(),
            d.payload.as_str().into(),
            Utc::now().to_rfc3339().into(),
        ],
    )?;
    Ok(())
}

/// The latest dead letters first.
pub(crate) fn dead_letters(x: &mut dyn Exec, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
    const DOING: &str = "listing dead letters";
    x.query(
        DOING,
        "SELECT id, message_id, article_id, error, attempts, payload, created_at FROM dead_letters
         ORDER BY id DESC LIMIT ?1",
        &[(limit.min(1000) as i64).into()],
    )?
    .iter()
    .map(|r| {
        Ok(DeadLetter {
            id: opt_int(r, 0).ok_or_else(|| missing(DOING, "id"))?,
            letter: NewDeadLetter {
                message_id: text(r, 1, DOING, "message_id")?,
                article_id: r.get(2).and_then(Value::text),
                error: text(r, 3, DOING, "error")?,
                attempts: count(r, 4),
                payload: text(r, 5, DOING, "payload")?,
            },
            created_at: text(r, 6, DOING, "created_at")?,
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dollar_numbers_for_postgres() {
        assert_eq!(
            to_postgres("SELECT ?1, ?12 WHERE a IS NOT DISTINCT FROM ?2 AND b = '?'"),
            "SELECT $1, $12 WHERE a IS NOT DISTINCT FROM $2 AND b = '?'"
        );
    }
}
