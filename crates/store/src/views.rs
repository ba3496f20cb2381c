//! Aggregate views both back ends share: dyad series, the actor network, map cells, alerts and the
//! summary. Only current events count (`timing IS NULL`): an event dated after its report or long
//! before it is kept out of every aggregate.

use chrono::Utc;
use tocsin_doc::PloverType;

use crate::common::{add_reach, filter, fold_series, page_bounds, period_of, times};
use crate::query::*;
use crate::shared::{check_text_query, count, missing, opt_int, text, Exec};
use crate::value::Value;
use crate::StoreError;

/// A dyad: a directed pair, or both directions of it, optionally only some event types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dyad<'a> {
    /// Source actor key.
    pub source: &'a str,
    /// Target actor key.
    pub target: &'a str,
    /// Count target → source too.
    pub both_directions: bool,
    /// Only these event types (empty: all).
    pub types: &'a [PloverType],
}

impl<'a> Dyad<'a> {
    /// The directed dyad source → target.
    pub fn directed(source: &'a str, target: &'a str) -> Self {
        Dyad {
            source,
            target,
            both_directions: false,
            types: &[],
        }
    }

    /// Both directions between two actors.
    pub fn pair(a: &'a str, b: &'a str) -> Self {
        Dyad {
            source: a,
            target: b,
            both_directions: true,
            types: &[],
        }
    }

    /// The same dyad, counting only events of these types.
    pub fn only(self, types: &'a [PloverType]) -> Self {
        Dyad { types, ..self }
    }

    /// The WHERE clause (see [`DYAD_WHERE`]) with the type restriction as literals (PLOVER names
    /// come from the enum, never from input text).
    fn where_clause(&self) -> String {
        if self.types.is_empty() {
            return DYAD_WHERE.to_string();
        }
        let names: Vec<String> = self.types.iter().map(|t| format!("'{}'", t.as_str())).collect();
        format!("{DYAD_WHERE} AND event_type IN ({})", names.join(", "))
    }
}

/// WHERE clause of a dyad over `events`: ?1/?6 the source as given and upper-cased, ?2/?7 the
/// target, ?3/?4 the date range, ?5 both directions (1/0).
const DYAD_WHERE: &str = "((source_actor IN (?1, ?6) AND target_actor IN (?2, ?7))
      OR (CAST(?5 AS BIGINT) = 1 AND source_actor IN (?2, ?7) AND target_actor IN (?1, ?6)))
     AND date IS NOT NULL AND timing IS NULL
     AND (CAST(?3 AS TEXT) IS NULL OR date >= ?3) AND (CAST(?4 AS TEXT) IS NULL OR date <= ?4)";

/// Per-period aggregates of a dyad: daily rows from SQL, folded into weeks or months here; articles
/// and outlets are counted once per period however many events or sentences they report.
pub(crate) fn series(
    x: &mut dyn Exec,
    dyad: Dyad<'_>,
    from: Option<&str>,
    to: Option<&str>,
    g: Granularity,
) -> Result<Vec<SeriesPoint>, StoreError> {
    const DOING: &str = "aggregating a dyad";
    let wh = dyad.where_clause();
    let params: [Value; 7] = [
        dyad.source.trim().into(),
        dyad.target.trim().into(),
        from.into(),
        to.into(),
        i64::from(dyad.both_directions).into(),
        dyad.source.trim().to_uppercase().into(),
        dyad.target.trim().to_uppercase().into(),
    ];
    let rows = x.query(
        DOING,
        &format!(
            "SELECT date, event_type, quad_class, count(*), CAST(sum(num_mentions) AS BIGINT),
                CAST(sum(goldstein) AS DOUBLE PRECISION), CAST(coalesce(sum(dead), 0) AS BIGINT),
                CAST(coalesce(sum(injured), 0) AS BIGINT)
             FROM events WHERE {wh}
             GROUP BY date, event_type, quad_class ORDER BY date, event_type, quad_class"
        ),
        &params,
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
    let mut points = fold_series(folded);
    let reach = x.query(
        DOING,
        &format!(
            "SELECT DISTINCT e.date, m.article_id, m.outlet FROM mentions m
             JOIN (SELECT id, date FROM events WHERE {wh}) e ON e.id = m.event_id"
        ),
        &params,
    )?;
    let reach = reach
        .iter()
        .map(|r| {
            Ok((
                text(r, 0, DOING, "date")?,
                text(r, 1, DOING, "article_id")?,
                r.get(2).and_then(Value::text),
            ))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    add_reach(&mut points, &reach, g);
    Ok(points)
}

/// The strongest directed dyads (self-loops included) of the events a query matches.
pub(crate) fn dyads(x: &mut dyn Exec, q: &EventQuery, limit: usize) -> Result<Vec<DyadEdge>, StoreError> {
    const DOING: &str = "building the actor network";
    check_text_query(x, q)?;
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

/// The placed events a query matches, grouped into cells of about half a degree (most events first).
pub(crate) fn places(x: &mut dyn Exec, q: &EventQuery, limit: usize) -> Result<Vec<PlaceCell>, StoreError> {
    const DOING: &str = "grouping events by place";
    check_text_query(x, q)?;
    let (wh, args) = filter(q, x.dialect());
    let params: Vec<Value> = args.into_iter().map(Value::Text).collect();
    let sql = format!(
        "SELECT CAST((e.lat + 90) * 2 AS INTEGER), CAST((e.lon + 180) * 2 AS INTEGER),
            CAST(avg(e.lat) AS DOUBLE PRECISION), CAST(avg(e.lon) AS DOUBLE PRECISION), max(e.location_name),
            count(*), CAST(sum(CASE WHEN e.quad_class >= 3 THEN 1 ELSE 0 END) AS BIGINT),
            CAST(coalesce(sum(e.dead), 0) AS BIGINT)
         FROM events e WHERE {wh} AND e.lat IS NOT NULL AND e.lon IS NOT NULL
         GROUP BY 1, 2 ORDER BY 6 DESC, 1, 2 LIMIT {}",
        limit.min(5000)
    );
    x.query(DOING, &sql, &params)?
        .iter()
        .map(|r| {
            Ok(PlaceCell {
                lat: r.get(2).and_then(Value::real).unwrap_or(0.0),
                lon: r.get(3).and_then(Value::real).unwrap_or(0.0),
                name: r.get(4).and_then(Value::text).unwrap_or_default(),
                events: count(r, 5),
                conflict: count(r, 6),
                dead: count(r, 7),
            })
        })
        .collect()
}

/// Stores an alert unless the same rule already fired for that dyad and date.
pub(crate) fn save_alert(x: &mut dyn Exec, a: &NewAlert) -> Result<Option<Alert>, StoreError> {
    const DOING: &str = "storing an alert";
    let now = Utc::now().to_rfc3339();
    let json = |v: Result<String, serde_json::Error>| v.map_err(|source| StoreError::Record { doing: DOING, source });
    let ids = json(serde_json::to_string(&a.event_ids))?;
    let explanation = a.explanation.as_ref().map(serde_json::to_string).transpose();
    let explanation = explanation.map_err(|source| StoreError::Record { doing: DOING, source })?;
    let row = x.query_opt(
        DOING,
        "INSERT INTO alerts (rule, source_actor, target_actor, date, score, message, event_ids, created_at, explanation)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9) ON CONFLICT DO NOTHING RETURNING id",
        &[
            a.rule.as_str().into(),
            a.source.as_str().into(),
            a.target.as_str().into(),
            a.date.as_str().into(),
            a.score.into(),
            a.message.as_str().into(),
            ids.into(),
            now.as_str().into(),
            explanation.into(),
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

/// Alerts matching a query, latest first, paged.
pub(crate) fn alerts(x: &mut dyn Exec, q: &AlertQuery) -> Result<Page<Alert>, StoreError> {
    const DOING: &str = "listing alerts";
    let mut clauses = vec!["1=1".to_string()];
    let mut params: Vec<Value> = Vec::new();
    let mut push = |clause: &str, vals: Vec<String>| {
        let mut c = clause.to_string();
        for v in vals {
            params.push(v.into());
            c = c.replacen('#', &format!("?{}", params.len()), 1);
        }
        clauses.push(c);
    };
    if let Some(v) = &q.from {
        push("date >= #", vec![v.clone()]);
    }
    if let Some(v) = &q.to {
        push("date <= #", vec![v.clone()]);
    }
    let v2 = |v: &str| vec![v.trim().to_string(), v.trim().to_uppercase()];
    if let Some(v) = &q.country {
        push("(source_actor IN (#, #) OR target_actor IN (#, #))", times(v2(v), 2));
    }
    if let Some((a, b)) = q.dyad.as_deref().and_then(split_dyad) {
        let (a, b) = (v2(&a), v2(&b));
        push(
            "((source_actor IN (#, #) AND target_actor IN (#, #)) OR (source_actor IN (#, #) AND target_actor IN (#, #)))",
            [a.clone(), b.clone(), b, a].concat(),
        );
    }
    if let Some(v) = &q.rule {
        push("rule = #", vec![v.trim().to_string()]);
    }
    let wh = clauses.join(" AND ");
    let total = x
        .query_opt(DOING, &format!("SELECT count(*) FROM alerts WHERE {wh}"), &params)?
        .map_or(0, |r| opt_int(&r, 0).unwrap_or(0).max(0) as u64);
    let (limit, offset) = page_bounds(q.limit, q.offset);
    let sql = format!(
        "SELECT id, rule, source_actor, target_actor, date, score, message, event_ids, created_at, explanation
         FROM alerts WHERE {wh} ORDER BY date DESC, id DESC LIMIT {limit} OFFSET {offset}"
    );
    let items = x
        .query(DOING, &sql, &params)?
        .iter()
        .map(|r| {
            let explanation = match r.get(9).and_then(Value::text) {
                Some(t) => {
                    Some(serde_json::from_str(&t).map_err(|source| StoreError::Record { doing: DOING, source })?)
                }
                None => None,
            };
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
                    explanation,
                },
                created_at: text(r, 8, DOING, "created_at")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Page { total, items })
}

/// Counts, the date range of current events and the publication range of the articles.
pub(crate) fn summary(x: &mut dyn Exec) -> Result<Summary, StoreError> {
    let r = x
        .query_opt(
            "summarising the store",
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events), (SELECT count(*) FROM mentions),
                (SELECT count(*) FROM events WHERE timing IS NOT NULL),
                (SELECT min(date) FROM events WHERE timing IS NULL), (SELECT max(date) FROM events WHERE timing IS NULL),
                (SELECT min(published) FROM articles), (SELECT max(published) FROM articles)",
            &[],
        )?
        .unwrap_or_default();
    let n = |i: usize| opt_int(&r, i).unwrap_or(0).max(0) as u64;
    let t = |i: usize| r.get(i).and_then(Value::text);
    Ok(Summary {
        articles: n(0),
        events: n(1),
        mentions: n(2),
        noncurrent_events: n(3),
        first_date: t(4),
        last_date: t(5),
        first_published: t(6),
        last_published: t(7),
    })
}

/// Counts of articles, events and mentions.
pub(crate) fn counts(x: &mut dyn Exec) -> Result<(u64, u64, u64), StoreError> {
    let s = summary(x)?;
    Ok((s.articles, s.events, s.mentions))
}
