//! What both back ends share: query filters, the dedup window, mention rows and series folding.

use chrono::{Duration, NaiveDate};
use tocsin_doc::{ActorRef, Event};

use crate::query::{EventQuery, Granularity, SeriesPoint};
use crate::{DedupRule, StoreError};

/// The dyad key of an actor: its country, else its organisation, else its code.
pub fn actor_key(a: &Option<ActorRef>) -> Option<String> {
    a.as_ref()
        .map(|a| a.country.clone().or(a.org.clone()).unwrap_or(a.code.clone()))
}

/// The full actor code, if any.
pub(crate) fn actor_code(a: &Option<ActorRef>) -> Option<String> {
    a.as_ref().map(|a| a.code.clone())
}

/// SQL flavour of a filter: placeholders and full-text search differ.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Dialect {
    /// `?N` placeholders, FTS5.
    Sqlite,
    /// `$N::text` placeholders, tsvector.
    Postgres,
}

/// WHERE clause over `events e` and its text parameters, in placeholder order.
pub(crate) fn filter(q: &EventQuery, dialect: Dialect) -> (String, Vec<String>) {
    let mut clauses = vec!["1=1".to_string()];
    let mut args: Vec<String> = Vec::new();
    let mut push = |clause: &str, vals: Vec<String>| {
        let mut c = clause.to_string();
        for v in vals {
            args.push(v);
            let ph = match dialect {
                Dialect::Sqlite => format!("?{}", args.len()),
                Dialect::Postgres => format!("${}::text", args.len()),
            };
            c = c.replacen('#', &ph, 1);
        }
        clauses.push(c);
    };
    if let Some(v) = &q.from {
        push("e.date >= #", vec![v.clone()]);
    }
    if let Some(v) = &q.to {
        push("e.date <= #", vec![v.clone()]);
    }
    // Country keys and codes are stored upper-case, organisation names as written ("Islamic State"):
    // a filter matches the text as typed or upper-cased, so "isr" finds ISR.
    let v2 = |v: &String| vec![v.trim().to_string(), v.trim().to_uppercase()];
    if let Some(v) = &q.actor {
        push(
            "(e.source_actor IN (#, #) OR e.target_actor IN (#, #) OR e.source_code IN (#, #) OR e.target_code IN (#, #))",
            times(v2(v), 4),
        );
    }
    if let Some(v) = &q.country {
        push(
            "(e.source_actor IN (#, #) OR e.target_actor IN (#, #))",
            times(v2(v), 2),
        );
    }
    if let Some(v) = &q.source {
        push("e.source_actor IN (#, #)", v2(v));
    }
    if let Some(v) = &q.target {
        push("e.target_actor IN (#, #)", v2(v));
    }
    if let Some((a, b)) = q.dyad_pair() {
        let (a, b) = (v2(&a), v2(&b));
        push(
            "((e.source_actor IN (#, #) AND e.target_actor IN (#, #)) OR (e.source_actor IN (#, #) AND e.target_actor IN (#, #)))",
            [a.clone(), b.clone(), b, a].concat(),
        );
    }
    if !q.noncurrent.unwrap_or(false) {
        push("e.timing IS NULL", vec![]);
    }
    if let Some(v) = &q.event_type {
        push("e.event_type = #", vec![v.to_ascii_uppercase()]);
    }
    if let Some(v) = &q.q {
        let fts = match dialect {
            Dialect::Sqlite => "a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH #)",
            Dialect::Postgres => "a.tsv @@ websearch_to_tsquery('english', #)",
        };
        push(
            &format!("e.id IN (SELECT m.event_id FROM mentions m JOIN articles a ON a.id = m.article_id WHERE {fts})"),
            vec![v.clone()],
        );
    }
    (clauses.join(" AND "), args)
}

/// Page size and offset (50 by default, at most 1000).
pub(crate) fn page_bounds(limit: Option<usize>, offset: Option<usize>) -> (usize, usize) {
    (limit.unwrap_or(50).min(1000), offset.unwrap_or(0))
}

/// Days before its report after which a dated event is history, not news (the coder's own
/// background threshold).
pub const HISTORICAL_DAYS: i64 = 45;

/// Whether an event is current news given its article's publication date: `after_report` when it
/// is dated more than a day after the report (a deadline, a target year, a bad import),
/// `historical` when more than [`HISTORICAL_DAYS`] before it; None otherwise or when either date is unknown.
pub fn timing(date: Option<NaiveDate>, published: Option<NaiveDate>) -> Option<&'static str> {
    let (d, p) = (date?, published?);
    if d > p + Duration::days(1) {
        Some("after_report")
    } else if d < p - Duration::days(HISTORICAL_DAYS) {
        Some("historical")
    } else {
        None
    }
}

/// The date range an event's duplicates may fall in, or `None` for an undated event.
pub(crate) fn dedup_window(e: &Event, rule: &DedupRule) -> Option<(String, String)> {
    let d = e.date?;
    Some((
        (d - Duration::days(rule.window_days)).to_string(),
        (d + Duration::days(rule.window_days)).to_string(),
    ))
}

/// One mention row to store: the report and, for all but the first, its own serialized record.
pub(crate) struct Report {
    /// The event as seen in this sentence.
    pub event: Event,
    /// JSON record (None for the first report, which is the event record itself).
    pub record: Option<String>,
}

/// One row per sentence reporting the event, each with its own evidence and trigger.
pub(crate) fn reports(e: &Event) -> Result<Vec<Report>, StoreError> {
    let mut out = vec![Report {
        event: e.clone(),
        record: None,
    }];
    for m in &e.mentions {
        let mut r = e.clone();
        r.sentence = m.sentence;
        r.trigger = m.trigger.clone();
        r.evidence = m.evidence.clone();
        r.mentions.clear();
        let record = Some(serde_json::to_string(&r).map_err(|source| StoreError::Record {
            doing: "serialising a mention",
            source,
        })?);
        out.push(Report { event: r, record });
    }
    Ok(out)
}

/// Folds (day, article, outlet) rows into distinct article and outlet counts per period.
pub(crate) fn add_reach(points: &mut [SeriesPoint], rows: &[(String, String, Option<String>)], g: Granularity) {
    use std::collections::{BTreeMap, BTreeSet};
    let mut per: BTreeMap<String, (BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
    for (day, article, outlet) in rows {
        let e = per.entry(period_of(day, g)).or_default();
        e.0.insert(article);
        e.1.insert(outlet.as_deref().unwrap_or(article));
    }
    for p in points {
        if let Some((a, s)) = per.get(&p.period) {
            p.articles = a.len() as u32;
            p.sources = s.len() as u32;
        }
    }
}

/// One aggregated row: (period, type, quad, events, mentions, goldstein sum, dead, injured).
pub(crate) type SeriesRow = (String, String, u8, u32, u32, f64, u32, u32);

/// Folds rows ordered by period into series points with means.
pub(crate) fn fold_series(rows: impl IntoIterator<Item = SeriesRow>) -> Vec<SeriesPoint> {
    let mut out: Vec<SeriesPoint> = Vec::new();
    for (p, t, quad, n, m, g, dead, injured) in rows {
        if out.last().is_none_or(|l| l.period != p) {
            out.push(SeriesPoint {
                period: p,
                ..Default::default()
            });
        }
        if let Some(sp) = out.last_mut() {
            sp.events += n;
            sp.mentions += m;
            *sp.by_type.entry(t).or_default() += n;
            *sp.by_quad.entry(quad).or_default() += n;
            sp.goldstein_sum += g;
            sp.dead += dead;
            sp.injured += injured;
        }
    }
    for sp in &mut out {
        sp.goldstein_mean = if sp.events > 0 {
            sp.goldstein_sum / sp.events as f64
        } else {
            0.0
        };
    }
    out
}

/// The period label of a day (weeks as `YYYY-Www`, Monday first, as SQLite's `%W`).
pub(crate) fn period_of(date: &str, g: Granularity) -> String {
    match (g, NaiveDate::parse_from_str(date, "%Y-%m-%d")) {
        (Granularity::All, _) => "all".to_string(),
        (Granularity::Day, _) | (_, Err(_)) => date.to_string(),
        (Granularity::Week, Ok(d)) => d.format("%Y-W%W").to_string(),
        (Granularity::Month, Ok(d)) => d.format("%Y-%m").to_string(),
    }
}

/// `v` repeated `n` times (one parameter list per placeholder group).
pub(crate) fn times(v: Vec<String>, n: usize) -> Vec<String> {
    (0..n).flat_map(|_| v.clone()).collect()
}
