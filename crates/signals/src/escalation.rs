//! The escalation index, the two kinds of rule evaluated against the store, and their explanations.

use chrono::{Duration, NaiveDate};
use tocsin_store::{
    Contribution, Dyad, EventQuery, Explanation, Granularity, NewAlert, SeriesPoint, Store, StoreError, StoredEvent,
};

use crate::{EscalationRule, EventRule};

/// Events shown in an alert's explanation.
const TOP_EVENTS: usize = 5;
/// Event ids kept on an alert.
const MAX_IDS: usize = 50;

/// The escalation value of one series point: distinct articles × max(0, −mean Goldstein).
pub fn conflict_value(p: &SeriesPoint) -> f64 {
    p.articles as f64 * (-p.goldstein_mean).max(0.0)
}

/// Escalation index per day of `points` (daily series, one-day window): (day, value, z-score).
pub fn escalation_index(points: &[SeriesPoint], baseline_days: i64) -> Vec<(String, f64, f64)> {
    windowed_index(points, 1, baseline_days)
        .into_iter()
        .map(|w| (w.day.to_string(), w.value, w.z))
        .collect()
}

/// One day of a windowed escalation index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexDay {
    /// The day.
    pub day: NaiveDate,
    /// Articles over the window ending that day × max(0, −mean Goldstein of the window's events).
    pub value: f64,
    /// Mean of the value over the baseline days before.
    pub mean: f64,
    /// Its standard deviation (before flooring at 1).
    pub std: f64,
    /// (value − mean) / max(std, 1).
    pub z: f64,
}

/// The windowed index for every day of `points` that has events (daily series; days without a
/// point count as zero). Articles are summed over the window's days.
pub fn windowed_index(points: &[SeriesPoint], window: i64, baseline_days: i64) -> Vec<IndexDay> {
    use std::collections::BTreeMap;
    let days: BTreeMap<NaiveDate, &SeriesPoint> = points
        .iter()
        .filter_map(|p| NaiveDate::parse_from_str(&p.period, "%Y-%m-%d").ok().map(|d| (d, p)))
        .collect();
    let value_at = |d: NaiveDate| {
        let (mut articles, mut events, mut gold) = (0u32, 0u32, 0.0f64);
        for k in 0..window.max(1) {
            if let Some(p) = days.get(&(d - Duration::days(k))) {
                articles += p.articles;
                events += p.events;
                gold += p.goldstein_sum;
            }
        }
        if events == 0 {
            0.0
        } else {
            f64::from(articles) * (-gold / f64::from(events)).max(0.0)
        }
    };
    days.keys()
        .map(|&d| {
            let base: Vec<f64> = (1..=baseline_days.max(1))
                .map(|k| value_at(d - Duration::days(k)))
                .collect();
            let n = base.len() as f64;
            let mean = base.iter().sum::<f64>() / n;
            let std = (base.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
            let value = value_at(d);
            IndexDay {
                day: d,
                value,
                mean,
                std,
                z: (value - mean) / std.max(1.0),
            }
        })
        .collect()
}

/// An event's weight in an alert: articles × max(0, −Goldstein), then dead.
fn weight(e: &StoredEvent) -> (f64, u32) {
    (
        f64::from(e.num_articles) * f64::from(-e.event.goldstein).max(0.0),
        e.event.dead.unwrap_or(0),
    )
}

fn contribution(e: &StoredEvent) -> Contribution {
    Contribution {
        id: e.event.id.clone(),
        event_type: e.event.event_type.to_string(),
        source: e.event.source.as_ref().map(|a| a.code.clone()),
        target: e.event.target.as_ref().map(|a| a.code.clone()),
        goldstein: e.event.goldstein,
        dead: e.event.dead,
        num_articles: e.num_articles,
        evidence: e.event.evidence.clone(),
        article_id: e.event.article_id.clone(),
    }
}

/// Current events of a dyad over `from..=to`, strongest first (at most 1000).
fn dyad_events(
    store: &dyn Store,
    dyad: Dyad<'_>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<StoredEvent>, StoreError> {
    let mut q = EventQuery {
        from: Some(from.to_string()),
        to: Some(to.to_string()),
        limit: Some(1000),
        ..Default::default()
    };
    if dyad.both_directions {
        q.dyad = Some(format!("{},{}", dyad.source, dyad.target));
    } else {
        q.source = Some(dyad.source.to_string());
        q.target = Some(dyad.target.to_string());
    }
    let mut events: Vec<StoredEvent> = store
        .events(&q)?
        .items
        .into_iter()
        .filter(|e| dyad.types.is_empty() || dyad.types.contains(&e.event.event_type))
        .collect();
    events.sort_by(|a, b| weight(b).partial_cmp(&weight(a)).unwrap_or(std::cmp::Ordering::Equal));
    Ok(events)
}

/// An escalation rule on a dyad-day: fires when the windowed index's z-score reaches the threshold
/// and the window's events are reported by enough distinct articles and outlets.
pub(crate) fn evaluate(
    r: &EscalationRule,
    store: &dyn Store,
    src: &str,
    tgt: &str,
    day: NaiveDate,
) -> Result<Option<NewAlert>, StoreError> {
    // Undirected rules name the pair in a fixed order, so both directions give one alert a day.
    let (a, b) = if r.directed || src <= tgt {
        (src, tgt)
    } else {
        (tgt, src)
    };
    let dyad = if r.directed {
        Dyad::directed(a, b)
    } else {
        Dyad::pair(a, b)
    }
    .only(&r.types);
    let first = day - Duration::days(r.baseline_days + r.window_days);
    let daily = store.series(dyad, Some(&first.to_string()), Some(&day.to_string()), Granularity::Day)?;
    if !daily.iter().any(|p| p.period == day.to_string()) {
        return Ok(None);
    }
    let Some(today) = windowed_index(&daily, r.window_days, r.baseline_days)
        .into_iter()
        .find(|d| d.day == day)
    else {
        return Ok(None);
    };
    if today.z < r.z || today.value <= 0.0 {
        return Ok(None);
    }
    let start = day - Duration::days(r.window_days - 1);
    let whole = store.series(dyad, Some(&start.to_string()), Some(&day.to_string()), Granularity::All)?;
    let Some(w) = whole.first() else { return Ok(None) };
    if w.articles < r.min_articles || w.sources < r.min_sources || w.events < r.min_events {
        return Ok(None);
    }
    let events = dyad_events(store, dyad, start, day)?;
    let sep = if r.directed { "→" } else { "–" };
    let days = if r.window_days == 1 {
        "that day".to_string()
    } else {
        format!("over {} days", r.window_days)
    };
    Ok(Some(NewAlert {
        rule: r.name.clone(),
        source: a.to_string(),
        target: b.to_string(),
        date: day.to_string(),
        score: today.z,
        message: format!(
            "escalation {a} {sep} {b} on {day}: {} events in {} articles ({} outlets) {days}, index {:.1} against a \
             {}-day baseline of {:.1} ± {:.1} (z = {:.1})",
            w.events, w.articles, w.sources, today.value, r.baseline_days, today.mean, today.std, today.z
        ),
        event_ids: events.iter().take(MAX_IDS).map(|e| e.event.id.clone()).collect(),
        explanation: Some(Explanation {
            value: today.value,
            baseline_mean: Some(today.mean),
            baseline_std: Some(today.std),
            baseline_days: Some(r.baseline_days),
            articles: w.articles,
            sources: w.sources,
            events: w.events,
            goldstein_mean: w.goldstein_mean,
            undirected: !r.directed,
            top_events: events.iter().take(TOP_EVENTS).map(contribution).collect(),
        }),
    }))
}

/// An event rule on a dyad-day: fires on the stored events of the directed dyad that match it.
pub(crate) fn evaluate_event_rule(
    r: &EventRule,
    store: &dyn Store,
    src: &str,
    tgt: &str,
    day: NaiveDate,
) -> Result<Option<NewAlert>, StoreError> {
    let events: Vec<StoredEvent> = dyad_events(store, Dyad::directed(src, tgt), day, day)?
        .into_iter()
        .filter(|s| {
            let e = &s.event;
            let country = |c: &String| {
                [&e.source, &e.target]
                    .into_iter()
                    .any(|a| a.as_ref().and_then(|a| a.country.as_ref()) == Some(c))
            };
            (r.types.is_empty() || r.types.iter().any(|t| t.eq_ignore_ascii_case(e.event_type.as_str())))
                && r.min_dead.is_none_or(|m| e.dead.unwrap_or(0) >= m)
                && r.max_goldstein.is_none_or(|g| e.goldstein <= g)
                && (r.countries.is_empty() || r.countries.iter().any(country))
                && s.num_articles >= r.min_articles
        })
        .collect();
    let Some(top) = events
        .iter()
        .max_by_key(|s| (s.event.dead.unwrap_or(0), s.num_articles))
    else {
        return Ok(None);
    };
    let e = &top.event;
    let dead = e.dead.map(|d| format!(", {d} dead")).unwrap_or_default();
    let articles: u32 = events.iter().map(|s| s.num_articles).max().unwrap_or(0);
    let sources: u32 = events.iter().map(|s| s.num_sources).max().unwrap_or(0);
    let goldstein_mean = events.iter().map(|s| f64::from(s.event.goldstein)).sum::<f64>() / events.len() as f64;
    let value = e.dead.map_or(f64::from(-e.goldstein), f64::from);
    Ok(Some(NewAlert {
        rule: r.name.clone(),
        source: src.to_string(),
        target: tgt.to_string(),
        date: day.to_string(),
        score: value,
        message: format!("{} {src} → {tgt} on {day}{dead}: {}", e.event_type, e.evidence),
        event_ids: events.iter().take(MAX_IDS).map(|s| s.event.id.clone()).collect(),
        explanation: Some(Explanation {
            value,
            baseline_mean: None,
            baseline_std: None,
            baseline_days: None,
            articles,
            sources,
            events: events.len() as u32,
            goldstein_mean,
            undirected: false,
            top_events: events.iter().take(TOP_EVENTS).map(contribution).collect(),
        }),
    }))
}
