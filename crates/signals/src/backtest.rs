//! `tocsin backtest`: replays the alert rules over a store and scores them against a file of known
//! crisis onsets (recall within a window before/at each onset, median lead time, precision).
//!
//! The onsets file (data/signals/onsets_2025.tsv documents it) has tab-separated rows
//! `kind side_a side_b start end items note`; `onset` rows count for recall, and every row's span
//! (`start`..`end`) marks its dyad as in crisis for precision (`war` rows only for precision).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use tocsin_store::{NewAlert, Store, StoreError};

use crate::Signals;

/// Whether a row is an onset to detect or only a war in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EpisodeKind {
    /// A crisis onset: recall counts it.
    Onset,
    /// A dyad at war over the span: precision only.
    War,
}

/// One row of an onsets file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Episode {
    /// Onset or war.
    pub kind: EpisodeKind,
    /// One side (actor key).
    pub a: String,
    /// The other side (the same key for a civil war).
    pub b: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// News item ids that date it.
    pub items: Vec<String>,
    /// What happened.
    pub note: String,
}

impl Episode {
    /// True when the alert's pair is this episode's, in either order.
    fn same_pair(&self, a: &str, b: &str) -> bool {
        (self.a == a && self.b == b) || (self.a == b && self.b == a)
    }
}

/// A line of an onsets file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: field `{field}`: {message}")]
pub struct OnsetError {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// The column.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

/// Reads an onsets file (`#` comments and the `kind …` header line skipped).
pub fn parse_onsets(file: &str, text: &str) -> Result<Vec<Episode>, OnsetError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let err = |field, message: String| OnsetError {
            file: file.to_string(),
            line: i + 1,
            field,
            message,
        };
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') || line.starts_with("kind\t") {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 6 {
            return Err(err(
                "items",
                format!("expected 7 tab-separated columns, found {}", cols.len()),
            ));
        }
        let kind = match cols[0] {
            "onset" => EpisodeKind::Onset,
            "war" => EpisodeKind::War,
            other => return Err(err("kind", format!("{other:?} is neither `onset` nor `war`"))),
        };
        let date = |field, s: &str| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| err(field, format!("{s:?} is not a date: {e}")))
        };
        let (start, end) = (date("start", cols[3])?, date("end", cols[4])?);
        if end < start {
            return Err(err("end", format!("{end} is before the start {start}")));
        }
        for (field, side) in [("side_a", cols[1]), ("side_b", cols[2])] {
            if side.trim().is_empty() {
                return Err(err(field, "empty actor key".into()));
            }
        }
        let items: Vec<String> = cols[5]
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if items.is_empty() {
            return Err(err("items", "no news item dates this row".into()));
        }
        out.push(Episode {
            kind,
            a: cols[1].trim().to_string(),
            b: cols[2].trim().to_string(),
            start,
            end,
            items,
            note: cols.get(6).unwrap_or(&"").to_string(),
        });
    }
    Ok(out)
}

/// The scoring windows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Windows {
    /// An onset is detected by an alert at most this many days before it…
    pub before: i64,
    /// …or this many days after it.
    pub after: i64,
    /// An alert is right when it lies within this many days of an episode of its pair.
    pub near: i64,
}

impl Default for Windows {
    /// [onset − 14, onset + 1] for recall, ±3 days around an episode for precision.
    fn default() -> Self {
        Windows {
            before: 14,
            after: 1,
            near: 3,
        }
    }
}

/// How one rule did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleScore {
    /// The rule.
    pub rule: String,
    /// Onsets in the file.
    pub onsets: usize,
    /// Onsets with an alert of this rule on their pair within the recall window.
    pub detected: usize,
    /// detected / onsets.
    pub recall: f64,
    /// Median of (onset − first alert in the window), in days, over detected onsets.
    pub median_lead_days: Option<f64>,
    /// Alerts of this rule in the scored period.
    pub alerts: usize,
    /// Those within `near` days of an episode (onset or war) of their pair.
    pub right: usize,
    /// right / alerts (None without alerts).
    pub precision: Option<f64>,
    /// Onsets without an alert: (pair, start).
    pub missed: Vec<String>,
    /// Alerts far from every episode: (pair, date).
    pub wrong: Vec<String>,
    /// Alerts resting on a single article.
    pub single_article: usize,
}

/// Scores alerts against the episodes, one row per rule name (in the order given).
pub fn score(rules: &[String], episodes: &[Episode], alerts: &[NewAlert], w: Windows) -> Vec<RuleScore> {
    let onsets: Vec<&Episode> = episodes.iter().filter(|e| e.kind == EpisodeKind::Onset).collect();
    rules
        .iter()
        .map(|rule| {
            let mine: Vec<(&NewAlert, NaiveDate)> = alerts
                .iter()
                .filter(|a| &a.rule == rule)
                .filter_map(|a| Some((a, NaiveDate::parse_from_str(&a.date, "%Y-%m-%d").ok()?)))
                .collect();
            let mut leads = Vec::new();
            let mut missed = Vec::new();
            for o in &onsets {
                let lo = o.start - Duration::days(w.before);
                let hi = o.start + Duration::days(w.after);
                let first = mine
                    .iter()
                    .filter(|(a, d)| o.same_pair(&a.source, &a.target) && *d >= lo && *d <= hi)
                    .map(|(_, d)| *d)
                    .min();
                match first {
                    Some(d) => leads.push((o.start - d).num_days() as f64),
                    None => missed.push(format!("{}–{} {}", o.a, o.b, o.start)),
                }
            }
            let mut wrong = Vec::new();
            let mut right = 0;
            for (a, d) in &mine {
                let near = episodes.iter().any(|e| {
                    e.same_pair(&a.source, &a.target)
                        && *d >= e.start - Duration::days(w.near)
                        && *d <= e.end + Duration::days(w.near)
                });
                if near {
                    right += 1;
                } else {
                    wrong.push(format!("{}–{} {}", a.source, a.target, a.date));
                }
            }
            let single_article = mine
                .iter()
                .filter(|(a, _)| a.explanation.as_ref().is_some_and(|x| x.articles < 2))
                .count();
            leads.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
            let median = match leads.len() {
                0 => None,
                n if n % 2 == 1 => Some(leads[n / 2]),
                n => Some((leads[n / 2 - 1] + leads[n / 2]) / 2.0),
            };
            RuleScore {
                rule: rule.clone(),
                onsets: onsets.len(),
                detected: leads.len(),
                recall: if onsets.is_empty() {
                    0.0
                } else {
                    leads.len() as f64 / onsets.len() as f64
                },
                median_lead_days: median,
                alerts: mine.len(),
                right,
                precision: (!mine.is_empty()).then(|| right as f64 / mine.len() as f64),
                missed,
                wrong,
                single_article,
            }
        })
        .collect()
}

/// The period a file of episodes covers: from the first start less `before` days to the last end.
pub fn period(episodes: &[Episode], w: Windows) -> Option<(NaiveDate, NaiveDate)> {
    let from = episodes.iter().map(|e| e.start).min()? - Duration::days(w.before);
    let to = episodes.iter().map(|e| e.end).max()?;
    Some((from, to))
}

/// Every alert the rules would raise on the store's current events dated `from..=to`, each dyad-day
/// evaluated with what the store holds (the same evaluation as at ingest, so the result does not
/// depend on the order articles arrived in).
pub fn replay(
    signals: &Signals,
    store: &dyn Store,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<NewAlert>, StoreError> {
    let mut dyad_days = BTreeSet::new();
    store.each_event(Some(&from.to_string()), Some(&to.to_string()), &mut |e| {
        if e.timing.is_none() {
            if let (Some(s), Some(t), Some(d)) = (
                tocsin_store::actor_key(&e.event.source),
                tocsin_store::actor_key(&e.event.target),
                e.event.date,
            ) {
                dyad_days.insert((d, s, t));
            }
        }
        true
    })?;
    // One alert per rule, pair and day (undirected rules see each pair from both directions).
    let mut out: BTreeMap<(String, String, String, String), NewAlert> = BTreeMap::new();
    for (d, s, t) in dyad_days {
        for a in signals.evaluate(store, &s, &t, d)? {
            out.entry((a.rule.clone(), a.source.clone(), a.target.clone(), a.date.clone()))
                .or_insert(a);
        }
    }
    Ok(out.into_values().collect())
}

/// The report as a table (one row per rule) with the missed onsets and wrong alerts below.
pub fn report(scores: &[RuleScore], w: Windows, details: bool) -> String {
    let mut s = format!(
        "rule                  recall (window [onset−{}, onset+{}])   median lead   precision (±{} days of an episode)   alerts   single-article\n",
        w.before, w.after, w.near
    );
    for r in scores {
        s.push_str(&format!(
            "{:<21} {:>5.3} ({}/{}){:>21}   {:>11}   {:>34}   {:>6}   {:>14}\n",
            r.rule,
            r.recall,
            r.detected,
            r.onsets,
            "",
            r.median_lead_days.map_or("–".to_string(), |m| format!("{m:.1} d")),
            r.precision
                .map_or("–".to_string(), |p| format!("{p:.3} ({}/{})", r.right, r.alerts)),
            r.alerts,
            r.single_article
        ));
    }
    if details {
        for r in scores {
            s.push_str(&format!("\n{}: missed onsets: {}\n", r.rule, r.missed.join(", ")));
            s.push_str(&format!(
                "{}: alerts far from any episode: {}\n",
                r.rule,
                r.wrong.join(", ")
            ));
        }
    }
    s
}
