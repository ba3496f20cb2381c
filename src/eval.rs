//! Scoring against PLOVER gold-standard records (PLOVER_GSR format).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;
use tocsin_doc::{Article, Event, PloverType};

use crate::Tocsin;

/// One gold record: sentence, gold type and actor country codes.
#[derive(Debug, Clone)]
pub struct GoldRecord {
    /// Record id.
    pub id: String,
    /// The sentence.
    pub text: String,
    /// Gold type (2021 names mapped to the 16).
    pub event: PloverType,
    /// Gold PLOVER mode.
    pub mode: Option<String>,
    /// Three-letter country (or IGO) codes of the gold sources.
    pub sources: Vec<String>,
    /// Three-letter codes of the gold targets.
    pub targets: Vec<String>,
    /// Record date (the anchor for relative dates).
    pub date: Option<chrono::NaiveDate>,
}

fn codes(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.get("code").and_then(Value::as_str))
            .map(|c| c.chars().take(3).collect())
            .collect(),
        _ => Vec::new(),
    }
}

/// Parses a PLOVER GSR JSON file; records whose type is not one of the 16 (DOCUMENT) are skipped.
pub fn read_gold(json: &str) -> anyhow::Result<Vec<GoldRecord>> {
    let all: Vec<Value> = serde_json::from_str(json)?;
    Ok(all
        .iter()
        .filter_map(|r| {
            let event = r.get("event")?.as_str()?.parse::<PloverType>().ok()?;
            Some(GoldRecord {
                id: r.get("id")?.as_str()?.to_string(),
                text: r.get("text")?.as_str()?.to_string(),
                event,
                mode: r
                    .get("mode")
                    .and_then(Value::as_str)
                    .filter(|m| !m.is_empty())
                    .map(str::to_string),
                sources: codes(r.get("source")),
                targets: codes(r.get("target")),
                date: r
                    .get("date")
                    .and_then(Value::as_str)
                    .and_then(|d| Article::parse_date(d).ok()),
            })
        })
        .collect())
}

/// The scores of one evaluation run.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    /// Gold records scored.
    pub records: usize,
    /// Events predicted over all records.
    pub predicted: usize,
    /// Fraction of records with a predicted event of the gold type.
    pub type_recall: f64,
    /// Fraction of predicted events whose type is their record's gold type.
    pub type_precision: f64,
    /// Fraction of records with an event matching type, source country and target country.
    pub triple_accuracy: f64,
    /// Fraction of type-correct records whose mode also matches (where gold has a mode).
    pub mode_accuracy: f64,
    /// gold type → predicted type (first event, or NONE) → count.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    /// Records without a type-and-actors match: "id: gold TYPE src→tgt | predicted …".
    pub misses: Vec<String>,
}

fn triple_text(kind: &str, src: &[String], tgt: &[String]) -> String {
    let side = |v: &[String]| if v.is_empty() { "-".to_string() } else { v.join("+") };
    format!("{kind} {}→{}", side(src), side(tgt))
}

fn actor_code(a: &Option<tocsin_doc::ActorRef>) -> Option<String> {
    a.as_ref().map(|a| {
        a.country.clone().unwrap_or_else(|| {
            if a.code.starts_with("IGO") || a.code.starts_with("NGO") {
                a.code[..3].to_string()
            } else {
                a.code.chars().take(3).collect()
            }
        })
    })
}

fn matches_actors(gold: &[String], predicted: Option<String>) -> bool {
    gold.is_empty() || predicted.is_some_and(|p| gold.contains(&p))
}

/// Codes every record's sentence and scores the result.
pub fn evaluate(coder: &Tocsin, gold: &[GoldRecord]) -> anyhow::Result<Scores> {
    let mut s = Scores {
        records: gold.len(),
        ..Default::default()
    };
    let (mut hit, mut correct_pred, mut triple, mut mode_hit, mut mode_total) = (0, 0, 0, 0, 0);
    for g in gold {
        let mut a = Article::from_text(g.text.clone());
        a.published = g.date;
        let events: Vec<Event> = coder.code(a)?;
        s.predicted += events.len();
        correct_pred += events.iter().filter(|e| e.event_type == g.event).count();
        let typed: Vec<&Event> = events.iter().filter(|e| e.event_type == g.event).collect();
        if !typed.is_empty() {
            hit += 1;
            if let Some(m) = &g.mode {
                mode_total += 1;
                if typed.iter().any(|e| e.mode.as_ref() == Some(m)) {
                    mode_hit += 1;
                }
            }
        }
        if typed.iter().any(|e| {
            matches_actors(&g.sources, actor_code(&e.source)) && matches_actors(&g.targets, actor_code(&e.target))
        }) {
            triple += 1;
        } else {
            let predicted: Vec<String> = events
                .iter()
                .map(|e| {
                    let one = |a: Option<String>| a.into_iter().collect::<Vec<_>>();
                    triple_text(
                        e.event_type.as_str(),
                        &one(actor_code(&e.source)),
                        &one(actor_code(&e.target)),
                    )
                })
                .collect();
            s.misses.push(format!(
                "{}: gold {} | predicted {}",
                g.id,
                triple_text(g.event.as_str(), &g.sources, &g.targets),
                if predicted.is_empty() {
                    "nothing".to_string()
                } else {
                    predicted.join(", ")
                }
            ));
        }
        let predicted = events.first().map_or("NONE".to_string(), |e| e.event_type.to_string());
        *s.confusion
            .entry(g.event.to_string())
            .or_default()
            .entry(predicted)
            .or_default() += 1;
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    s.type_recall = ratio(hit, gold.len());
    s.type_precision = ratio(correct_pred, s.predicted);
    s.triple_accuracy = ratio(triple, gold.len());
    s.mode_accuracy = ratio(mode_hit, mode_total);
    Ok(s)
}

impl Scores {
    /// A printable report with the confusion table (and the missed records, if `misses`).
    pub fn report(&self, misses: bool) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "records {}  predicted events {}", self.records, self.predicted);
        let _ = writeln!(
            out,
            "type recall {:.3}  type precision {:.3}  triple accuracy {:.3}  mode accuracy {:.3}",
            self.type_recall, self.type_precision, self.triple_accuracy, self.mode_accuracy
        );
        let _ = writeln!(out, "\ngold type    -> first predicted type (count)");
        for (gold, row) in &self.confusion {
            let cells: Vec<String> = row.iter().map(|(p, n)| format!("{p}:{n}")).collect();
            let _ = writeln!(out, "{gold:<12} {}", cells.join("  "));
        }
        if misses {
            let _ = writeln!(
                out,
                "\nrecords without a type + source + target match ({})",
                self.misses.len()
            );
            for m in &self.misses {
                let _ = writeln!(out, "{m}");
            }
        }
        out
    }
}
