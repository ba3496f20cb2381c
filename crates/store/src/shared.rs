//! The SQL and row mapping both back ends share: every statement is written once (with `?N`
//! placeholders, which the PostgreSQL executor turns into `$N`) and run through [`Exec`].
//!
//! What differs stays in the back ends: connections, migrations, full-text search (in
//! [`crate::common::filter`]) and PostgreSQL's advisory locks around cross-article dedup.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use tocsin_doc::{content_hash, Article, Event};

use crate::common::{actor_code as code, actor_key, dedup_window, filter, page_bounds, reports, timing, Dialect};
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

pub(crate) fn missing(doing: &'static str, column: &'static str) -> StoreError {
    StoreError::Column { doing, column }
}

/// Column `i` of a row as text (error if absent or not text).
pub(crate) fn text(row: &[Value], i: usize, doing: &'static str, column: &'static str) -> Result<String, StoreError> {
    row.get(i).and_then(Value::text).ok_or_else(|| missing(doing, column))
}

/// Column `i` as an optional integer.
pub(crate) fn opt_int(row: &[Value], i: usize) -> Option<i64> {
    row.get(i).and_then(Value::int)
}

/// Column `i` as a count (negative or absent: 0).
pub(crate) fn count(row: &[Value], i: usize) -> u32 {
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
pub(crate) const STORED_COLUMNS: &str =
    "e.record, e.num_mentions, e.num_sources, e.num_articles, e.dead, e.injured, e.timing";

/// A row of [`STORED_COLUMNS`] as a stored event.
pub(crate) fn stored_event(row: &[Value]) -> Result<StoredEvent, StoreError> {
    const DOING: &str = "reading an event";
    let mut event = parse_record(DOING, &text(row, 0, DOING, "record")?)?;
    event.dead = to_u32(opt_int(row, 4));
    event.injured = to_u32(opt_int(row, 5));
    Ok(StoredEvent {
        event,
        num_mentions: count(row, 1),
        num_sources: count(row, 2),
        num_articles: count(row, 3),
        timing: row.get(6).and_then(Value::text),
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
     num_articles, first_seen, record, place_country, place_level, published, timing)
     VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,0,0,0,?18,?19,?20,?21,?22,?23)
     ON CONFLICT DO NOTHING";

const INSERT_MENTION: &str =
    "INSERT INTO mentions (event_id, article_id, outlet, sentence, trigger_start, trigger_end, evidence, record)
     VALUES (?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT DO NOTHING";

const UPDATE_COUNTS: &str = "UPDATE events SET num_mentions = (SELECT count(*) FROM mentions WHERE event_id = ?1),
     num_articles = (SELECT count(DISTINCT article_id) FROM mentions WHERE event_id = ?1),
     num_sources = (SELECT count(DISTINCT coalesce(outlet, article_id)) FROM mentions WHERE event_id = ?1),
     dead = CASE WHEN CAST(?2 AS BIGINT) IS NULL THEN dead WHEN dead IS NULL OR dead < ?2 THEN ?2 ELSE dead END,
     injured = CASE WHEN CAST(?3 AS BIGINT) IS NULL THEN injured WHEN injured IS NULL OR injured < ?3 THEN ?3
                    ELSE injured END
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
fn event_row(e: &Event, now: &str, published: Option<NaiveDate>) -> Result<Vec<Value>, StoreError> {
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
        published.map(|d| d.to_string()).into(),
        timing(e.date, published).into(),
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
    // One fact, one event: a second event of the same sentence (index and text: imported rows without
    // sentences each have their own), type, source and target (the rules coder makes them:
    // "attack … killed … injured") joins the first as a further mention.
    type Fact<'a> = (usize, &'a str, &'a str, Option<String>, Option<String>);
    let mut facts: HashMap<Fact<'_>, String> = HashMap::new();
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
        let fact = (
            e.sentence,
            e.evidence.as_str(),
            e.event_type.as_str(),
            code(&e.source),
            code(&e.target),
        );
        if let Some(id) = facts.get(&fact).cloned() {
            store_reports(x, &id, article, e)?;
            if !out.new_events.contains(&id) && !out.merged_events.contains(&id) {
                out.merged_events.push(id);
            }
            continue;
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
                let row = event_row(e, &now, article.published)?;
                if x.execute("storing an event", INSERT_EVENT, &row)? == 1 {
                    out.new_events.push(e.id.clone());
                }
                e.id.clone()
            }
        };
        store_reports(x, &event_id, article, e)?;
        facts.insert(fact, event_id);
    }
    Ok(out)
}

/// Stores the mention rows of `e` (its sentence and its further mentions) under `event_id` and
/// refreshes the event's counts and casualties.
fn store_reports(x: &mut dyn Exec, event_id: &str, article: &Article, e: &Event) -> Result<(), StoreError> {
    for (i, rep) in reports(e)?.into_iter().enumerate() {
        let r = &rep.event;
        // A report joining another event keeps its own record, so its spans highlight its sentence.
        let record = match rep.record {
            None if i == 0 && event_id != e.id => Some(write_record(e)?),
            other => other,
        };
        {
            let row = [
                event_id.into(),
                article.id.as_str().into(),
                article.source.clone().into(),
                (r.sentence as i64).into(),
                (r.trigger.start as i64).into(),
                (r.trigger.end as i64).into(),
                r.evidence.as_str().into(),
                record.into(),
            ];
            x.execute("storing a mention", INSERT_MENTION, &row)?;
        }
    }
    let row = [
        event_id.into(),
        e.dead.map(i64::from).into(),
        e.injured.map(i64::from).into(),
    ];
    x.execute("updating event counts", UPDATE_COUNTS, &row)?;
    Ok(())
}

/// Events matching a query, newest first, paged.
pub(crate) fn events(x: &mut dyn Exec, q: &EventQuery) -> Result<Page<StoredEvent>, StoreError> {
    check_text_query(x, q)?;
    let (wh, args) = filter(q, x.dialect());
    let params: Vec<Value> = args.into_iter().map(Value::Text).collect();
    let total = x
        .query_opt(
            "counting events",
            &format!("SELECT count(*) FROM events e WHERE {wh}"),
            &params,
        )?
        .map_or(0, |r| opt_int(&r, 0).unwrap_or(0).max(0) as u64);
    let (limit, offset) = page_bounds(q.limit, q.offset);
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

/// Refuses a full-text query SQLite cannot parse (`NEAR(`, `a OR`) as a bad `q` parameter, before
/// it reaches the listing; PostgreSQL's `websearch_to_tsquery` accepts any text.
pub(crate) fn check_text_query(x: &mut dyn Exec, q: &EventQuery) -> Result<(), StoreError> {
    let (Some(text), Dialect::Sqlite) = (&q.q, x.dialect()) else {
        return Ok(());
    };
    let probe = x.query_opt(
        "checking the full-text query",
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 LIMIT 1",
        &[text.as_str().into()],
    );
    match probe {
        Err(StoreError::Db { source, .. }) if source.sqlite_error_code() == Some(rusqlite::ErrorCode::Unknown) => {
            Err(StoreError::BadQuery {
                parameter: "q",
                message: format!(
                    "{text:?} is not a valid full-text query: quote phrases (\"…\"), and give AND, OR, NOT \
                     and NEAR(…) their operands"
                ),
            })
        }
        other => other.map(|_| ()),
    }
}

/// Every event matching a query (no paging; at most `max`), newest first, handed to `each` until it
/// returns false (the dashboard's CSV / JSON Lines export).
pub(crate) fn each_matching(
    x: &mut dyn Exec,
    q: &EventQuery,
    max: usize,
    each: &mut dyn FnMut(StoredEvent) -> bool,
) -> Result<(), StoreError> {
    check_text_query(x, q)?;
    let (wh, args) = filter(q, x.dialect());
    let params: Vec<Value> = args.into_iter().map(Value::Text).collect();
    let sql =
        format!("SELECT {STORED_COLUMNS} FROM events e WHERE {wh} ORDER BY e.date DESC NULLS LAST, e.id LIMIT {max}");
    x.each_row("exporting events", &sql, &params, &mut |row| {
        Ok(each(stored_event(&row)?))
    })
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
        "SELECT m.article_id, m.outlet, m.sentence, m.trigger_start, m.trigger_end, m.evidence, m.record,
                a.title, a.url, a.published
         FROM mentions m LEFT JOIN articles a ON a.id = m.article_id
         WHERE m.event_id = ?1 ORDER BY a.published, m.article_id, m.sentence",
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
            title: r.get(7).and_then(Value::text),
            url: r.get(8).and_then(Value::text),
            published: r.get(9).and_then(Value::text),
            record,
        });
    }
    Ok(Some(EventDetail { stored, reports }))
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
