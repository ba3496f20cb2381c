//! Signals stage: the escalation index per dyad-day and alert rules from a TOML file.
//!
//! Index of a dyad on day `d`: `C = articles × max(0, −mean Goldstein)` over the `window_days` ending
//! on `d` (articles, not mentions: one article counts once however often it repeats an event); the
//! alert score is the z-score of `C` against the `baseline_days` before (days without events count
//! as 0, standard deviation floored at 1). An escalation alert needs reports from `min_articles`
//! distinct articles (default 2) and `min_sources` outlets, and carries its explanation.

pub mod backtest;
mod escalation;
mod webhook;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Deserialize;
use tocsin_doc::{Event, PloverType};
use tocsin_store::{Alert, NewAlert, Store, StoreError};

pub use escalation::{conflict_value, escalation_index, windowed_index};
pub use webhook::{deliver, DeliveryError, Webhook, WebhookFailure};

/// One alert rule.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum Rule {
    /// The dyad's escalation index z-score reaches `z`, with corroboration.
    Escalation(EscalationRule),
    /// A single event matches.
    Event(EventRule),
}

impl Rule {
    /// The rule's name.
    pub fn name(&self) -> &str {
        match self {
            Rule::Escalation(r) => &r.name,
            Rule::Event(r) => &r.name,
        }
    }
}

/// An escalation rule (see the crate documentation).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EscalationRule {
    /// Rule name.
    pub name: String,
    /// z-score threshold.
    pub z: f64,
    /// Trailing baseline in days.
    #[serde(default = "default_baseline")]
    pub baseline_days: i64,
    /// Days (ending on the alert's day) whose reports are counted together.
    #[serde(default = "one")]
    pub window_days: i64,
    /// Minimum events in the window.
    #[serde(default)]
    pub min_events: u32,
    /// Minimum distinct articles reporting the window's events.
    #[serde(default = "two")]
    pub min_articles: u32,
    /// Minimum distinct outlets (an article without an outlet counts as its own).
    #[serde(default = "one_u32")]
    pub min_sources: u32,
    /// Count only the source → target direction (default: both directions of the pair).
    #[serde(default)]
    pub directed: bool,
    /// Count only these PLOVER types (empty: all).
    #[serde(default)]
    pub types: Vec<PloverType>,
}

/// An event rule: any one stored event that matches.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventRule {
    /// Rule name.
    pub name: String,
    /// PLOVER types (empty = any).
    #[serde(default)]
    pub types: Vec<String>,
    /// At least this many dead.
    pub min_dead: Option<u32>,
    /// Goldstein at most this.
    pub max_goldstein: Option<f32>,
    /// Source or target country (empty = any).
    #[serde(default)]
    pub countries: Vec<String>,
    /// Reported by at least this many articles (default 1).
    #[serde(default = "one_u32")]
    pub min_articles: u32,
}

fn default_baseline() -> i64 {
    28
}

fn one() -> i64 {
    1
}

fn one_u32() -> u32 {
    1
}

fn two() -> u32 {
    2
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

/// The dyad key of an actor: its country, else its organisation, else its code.
fn key(a: &Option<tocsin_doc::ActorRef>) -> Option<String> {
    tocsin_store::actor_key(a)
}

impl Signals {
    /// The rules shipped in `data/signals/rules.toml`.
    pub fn builtin() -> Self {
        Self::parse(include_str!("../../../data/signals/rules.toml")).unwrap_or(Signals { rules: Vec::new() })
    }

    /// Parses a rules file; rule names must be unique and windows positive.
    pub fn parse(toml_text: &str) -> Result<Self, RulesError> {
        let f: RuleFile = toml::from_str(toml_text).map_err(|e| RulesError(e.to_string()))?;
        let mut names = BTreeSet::new();
        for r in &f.rule {
            if !names.insert(r.name().to_string()) {
                return Err(RulesError(format!("two rules are named {:?}", r.name())));
            }
            if let Rule::Escalation(e) = r {
                if e.window_days < 1 || e.baseline_days < 1 {
                    return Err(RulesError(format!(
                        "rule {:?}: window_days and baseline_days must be at least 1",
                        e.name
                    )));
                }
            }
        }
        Ok(Signals { rules: f.rule })
    }

    /// Evaluates the rules for freshly ingested events (the dyad-days they touch, as the store now
    /// holds them: merged reports count) and stores the alerts that fire.
    pub fn after_ingest(&self, store: &dyn Store, events: &[Event]) -> Result<Vec<Alert>, StoreError> {
        let dyad_days: BTreeSet<(String, String, NaiveDate)> = events
            .iter()
            .filter_map(|e| Some((key(&e.source)?, key(&e.target)?, e.date?)))
            .collect();
        let mut raised = Vec::new();
        for (src, tgt, day) in dyad_days {
            for alert in self.evaluate(store, &src, &tgt, day)? {
                raised.extend(store.save_alert(&alert)?);
            }
        }
        Ok(raised)
    }

    /// The alerts every rule would raise for the dyad `src → tgt` on `day`, given what the store
    /// holds up to that day (the ingest path and `tocsin backtest` share this). Nothing is stored.
    pub fn evaluate(
        &self,
        store: &dyn Store,
        src: &str,
        tgt: &str,
        day: NaiveDate,
    ) -> Result<Vec<NewAlert>, StoreError> {
        let mut out = Vec::new();
        for rule in &self.rules {
            let alert = match rule {
                Rule::Escalation(r) => escalation::evaluate(r, store, src, tgt, day)?,
                Rule::Event(r) => escalation::evaluate_event_rule(r, store, src, tgt, day)?,
            };
            out.extend(alert);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod backtest_tests;
#[cfg(test)]
mod tests;
