//! Signals stage: the escalation index per dyad-day and alert rules from a TOML file.
//!
//! Index: for a directed dyad and day, `C = mentions × max(0, −mean Goldstein)`; the alert
//! score is the z-score of `C` against the previous `baseline_days` days (zero-event days count
//! as 0, standard deviation floored at 1).

mod webhook;

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use tocsin_doc::Event;
use tocsin_store::{Alert, Granularity, NewAlert, SeriesPoint, Store, StoreError};

pub use webhook::{deliver, Webhook};

/// One alert rule.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum Rule {
    /// The dyad's escalation index z-score reaches `z`.
    Escalation {
        /// Rule name.
        name: String,
        /// z-score threshold.
        z: f64,
        /// Trailing window in days.
        #[serde(default = "default_baseline")]
        baseline_days: i64,
        /// Minimum events on the day.
        #[serde(default)]
        min_events: u32,
    },
    /// A single event matches.
    Event {
        /// Rule name.
        name: String,
        /// PLOVER types (empty = any).
        #[serde(default)]
        types: Vec<String>,
        /// At least this many dead.
        min_dead: Option<u32>,
        /// Goldstein at most this.
        max_goldstein: Option<f32>,
        /// Source or target country (empty = any).
        #[serde(default)]
        countries: Vec<String>,
    },
}

fn default_baseline() -> i64 {
    28
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<Rule>,
}

/// A rules file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("alert rules: {0}")]
pub struct RulesError(String);

/// The loaded rules.
#[derive(Debug, Clone)]
pub struct Signals {
    /// Rules in file order.
    pub rules: Vec<Rule>,
}

/// The escalation value of one series point.
pub fn conflict_value(p: &SeriesPoint) -> f64 {
    p.mentions as f64 * (-p.goldstein_mean).max(0.0)
}

/// Escalation index per day of `points` (daily series): (day, value, z-score).
pub fn escalation_index(points: &[SeriesPoint], baseline_days: i64) -> Vec<(String, f64, f64)> {
    let days: Vec<(NaiveDate, f64)> = points
        .iter()
        .filter_map(|p| {
            NaiveDate::parse_from_str(&p.period, "%Y-%m-%d")
                .ok()
                .map(|d| (d, conflict_value(p)))
        })
        .collect();
    days.iter()
        .map(|&(d, v)| {
            let window: Vec<f64> = (1..=baseline_days)
                .map(|k| {
                    let day = d - Duration::days(k);
                    days.iter().find(|(x, _)| *x == day).map_or(0.0, |(_, v)| *v)
                })
                .collect();
            let n = window.len().max(1) as f64;
            let mean = window.iter().sum::<f64>() / n;
            let var = window.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
            (d.to_string(), v, (v - mean) / var.sqrt().max(1.0))
        })
        .collect()
}

impl Signals {
    /// The rules shipped in `data/signals/rules.toml`.
    pub fn builtin() -> Self {
        Self::parse(include_str!("../../../data/signals/rules.toml")).unwrap_or(Signals { rules: Vec::new() })
    }

    /// Parses a rules file.
    pub fn parse(toml_text: &str) -> Result<Self, RulesError> {
        let f: RuleFile = toml::from_str(toml_text).map_err(|e| RulesError(e.to_string()))?;
        Ok(Signals { rules: f.rule })
    }

    /// Evaluates the rules for freshly ingested events and stores the alerts that fire.
    pub fn after_ingest(&self, store: &dyn Store, events: &[Event]) -> Result<Vec<Alert>, StoreError> {
        let mut raised = Vec::new();
        let key = |a: &Option<tocsin_doc::ActorRef>| {
            a.as_ref()
                .map(|a| a.country.clone().or(a.org.clone()).unwrap_or(a.code.clone()))
        };
        let mut dyad_days = BTreeSet::new();
        for e in events {
            let (Some(src), Some(tgt), Some(date)) = (key(&e.source), key(&e.target), e.date.map(|d| d.to_string()))
            else {
                continue;
            };
            dyad_days.insert((src.clone(), tgt.clone(), date.clone()));
            for rule in &self.rules {
                let Rule::Event {
                    name,
                    types,
                    min_dead,
                    max_goldstein,
                    countries,
                } = rule
                else {
                    continue;
                };
                let type_ok = types.is_empty() || types.iter().any(|t| t.eq_ignore_ascii_case(e.event_type.as_str()));
                let dead_ok = min_dead.is_none_or(|m| e.dead.unwrap_or(0) >= m);
                let gold_ok = max_goldstein.is_none_or(|g| e.goldstein <= g);
                let country_ok = countries.is_empty()
                    || countries.iter().any(|c| {
                        Some(c) == e.source.as_ref().and_then(|a| a.country.as_ref())
                            || Some(c) == e.target.as_ref().and_then(|a| a.country.as_ref())
                    });
                if type_ok && dead_ok && gold_ok && country_ok {
                    let dead = e.dead.map(|d| format!(", {d} dead")).unwrap_or_default();
                    let alert = NewAlert {
                        rule: name.clone(),
                        source: src.clone(),
                        target: tgt.clone(),
                        date: date.clone(),
                        score: e.dead.map_or(f64::from(-e.goldstein), f64::from),
                        message: format!("{} {src} → {tgt} on {date}{dead}: {}", e.event_type, e.evidence),
                        event_ids: vec![e.id.clone()],
                    };
                    raised.extend(store.save_alert(&alert)?);
                }
            }
        }
        for (src, tgt, date) in dyad_days {
            for rule in &self.rules {
                let Rule::Escalation {
                    name,
                    z,
                    baseline_days,
                    min_events,
                } = rule
                else {
                    continue;
                };
                let Ok(day) = NaiveDate::parse_from_str(&date, "%Y-%m-%d") else {
                    continue;
                };
                let from = (day - Duration::days(*baseline_days)).to_string();
                let series = store.series(&src, &tgt, Some(&from), Some(&date), Granularity::Day)?;
                let Some(today) = series.iter().find(|p| p.period == date) else {
                    continue;
                };
                let index = escalation_index(&series, *baseline_days);
                let Some((_, value, score)) = index.iter().find(|(d, _, _)| *d == date) else {
                    continue;
                };
                if *score >= *z && today.events >= *min_events {
                    let ids = events
                        .iter()
                        .filter(|e| {
                            e.date.map(|d| d.to_string()).as_deref() == Some(date.as_str())
                                && key(&e.source).as_deref() == Some(src.as_str())
                                && key(&e.target).as_deref() == Some(tgt.as_str())
                        })
                        .map(|e| e.id.clone())
                        .collect();
                    let alert = NewAlert {
                        rule: name.clone(),
                        source: src.clone(),
                        target: tgt.clone(),
                        date: date.clone(),
                        score: *score,
                        message: format!("escalation {src} → {tgt} on {date}: index {value:.1}, z = {score:.1}"),
                        event_ids: ids,
                    };
                    raised.extend(store.save_alert(&alert)?);
                }
            }
        }
        Ok(raised)
    }
}

#[cfg(test)]
mod tests;
