//! The project's own gold corpus (`data/gold/*.jsonl`, built by `scripts/gold/build.py`): reading it and
//! scoring the coder against it (`tocsin eval gold`).
//!
//! A *unit* is what the annotators coded as a whole: a summary item, or one sentence of an article. Gold
//! and predicted events of a unit are paired one to one — first pairs that agree on type, source and
//! target, then pairs that agree on type, then (for the confusion table only) pairs whose triggers overlap.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Deserialize;
use tocsin_doc::{ActorRef, Article, Event};

use crate::Tocsin;

/// A span of the gold text (character offsets).
#[derive(Debug, Clone, Deserialize)]
pub struct GoldSpan {
    /// The text.
    pub text: String,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// A gold actor: its code and, unless implied, its span.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldActor {
    /// CAMEO-style code (ISO3 + sector, or an organisation code).
    pub code: String,
    /// The mention, null for an implied actor.
    pub text: Option<String>,
    /// First character of the mention.
    pub start: Option<usize>,
    /// One past its last character.
    pub end: Option<usize>,
}

/// One gold event.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldEvent {
    /// PLOVER type.
    #[serde(rename = "type")]
    pub kind: String,
    /// CAMEO code.
    pub cameo: String,
    /// PLOVER mode.
    pub mode: Option<String>,
    /// The trigger span.
    pub trigger: GoldSpan,
    /// Other words of the unit reporting the same act.
    #[serde(default)]
    pub also: Vec<GoldSpan>,
    /// Sources (several for compound actors; empty when unidentified).
    #[serde(default)]
    pub source: Vec<GoldActor>,
    /// Targets.
    #[serde(default)]
    pub target: Vec<GoldActor>,
    /// Two-sided act: either direction matches.
    #[serde(default)]
    pub both_ways: bool,
    /// The dating phrase.
    pub date: Option<GoldSpan>,
    /// The resolved date, when the annotator gave one.
    pub date_iso: Option<String>,
    /// The place phrase.
    pub place: Option<GoldSpan>,
    /// People killed.
    pub dead: Option<u64>,
    /// People injured.
    pub injured: Option<u64>,
    /// People arrested.
    pub arrested: Option<u64>,
}

/// A sentence of a gold article.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldSentence {
    /// `ARTICLE#N`.
    pub id: String,
    /// First character in the article text.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Its events.
    pub events: Vec<GoldEvent>,
}

/// One line of a gold file: a summary item (with `events`) or an article (with `sentences`).
#[derive(Debug, Clone, Deserialize)]
pub struct GoldDoc {
    /// Item or article id.
    pub id: String,
    /// `train`, `dev` or `test`.
    pub split: String,
    /// Publication date (YYYY-MM-DD).
    pub published: String,
    /// The text.
    pub text: String,
    /// Events of a summary item.
    pub events: Option<Vec<GoldEvent>>,
    /// Sentences of an article.
    pub sentences: Option<Vec<GoldSentence>>,
}

impl GoldDoc {
    /// The units: (id, character range, events).
    pub fn units(&self) -> Vec<(String, std::ops::Range<usize>, &[GoldEvent])> {
        match (&self.sentences, &self.events) {
            (Some(s), _) => s
                .iter()
                .map(|s| (s.id.clone(), s.start..s.end, s.events.as_slice()))
                .collect(),
            (None, Some(e)) => vec![(self.id.clone(), 0..usize::MAX, e.as_slice())],
            (None, None) => Vec::new(),
        }
    }

    /// The article to code.
    pub fn article(&self) -> Article {
        let mut a = Article::from_text(self.text.clone());
        a.id = self.id.clone();
        a.published = Article::parse_date(&self.published).ok();
        a
    }
}

/// Reads a gold JSON Lines file; errors name the line.
pub fn read_gold(text: &str) -> anyhow::Result<Vec<GoldDoc>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).map_err(|e| anyhow::anyhow!("line {}: {e}", n + 1)))
        .collect()
}

/// The entity an actor code stands for when comparing: its country, or the organisation.
pub fn entity_of_code(code: &str) -> Option<String> {
    let code = code.trim().to_ascii_uppercase();
    let head = code.get(..3)?;
    if matches!(head, "IGO" | "NGO" | "IMG") {
        let org = match code.as_str() {
            c if c.starts_with("IGOEUR") => "IGOEU".to_string(),
            c if c.starts_with("IGOAFU") => "IGOAU".to_string(),
            c => c.chars().take(6).collect(),
        };
        return Some(org);
    }
    (head.chars().all(|c| c.is_ascii_uppercase()) && !is_sector(head)).then(|| head.to_string())
}

fn is_sector(s: &str) -> bool {
    matches!(
        s,
        "GOV"
            | "MIL"
            | "POL"
            | "SPY"
            | "JUD"
            | "LEG"
            | "PTY"
            | "OPP"
            | "REB"
            | "CVL"
            | "BUS"
            | "MED"
            | "REL"
            | "CRM"
            | "REF"
            | "EDU"
            | "LAB"
            | "HLH"
            | "ENV"
            | "AGR"
            | "UAF"
            | "INS"
            | "ELI"
    )
}

fn entity(a: &Option<ActorRef>) -> Option<String> {
    let a = a.as_ref()?;
    match &a.country {
        Some(c) => Some(c.clone()),
        None => entity_of_code(&a.code),
    }
}

fn side_matches(gold: &[GoldActor], predicted: &Option<ActorRef>) -> bool {
    let p = entity(predicted);
    if gold.is_empty() {
        return p.is_none();
    }
    p.is_some_and(|p| {
        gold.iter()
            .any(|g| entity_of_code(&g.code).as_deref() == Some(p.as_str()))
    })
}

fn triple_matches(g: &GoldEvent, p: &Event) -> bool {
    g.kind == p.event_type.as_str()
        && ((side_matches(&g.source, &p.source) && side_matches(&g.target, &p.target))
            || (g.both_ways && side_matches(&g.source, &p.target) && side_matches(&g.target, &p.source)))
}

/// A predicted event as an instance in one unit (the event, or one of its mentions in an article).
struct Instance<'a> {
    event: &'a Event,
    start: usize,
    end: usize,
}

/// Counts per type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    /// Gold events.
    pub gold: usize,
    /// Predicted events.
    pub predicted: usize,
    /// Pairs agreeing on type.
    pub matched: usize,
}

impl Counts {
    /// Precision, recall, F1.
    pub fn prf(&self) -> (f64, f64, f64) {
        tocsin_nlp::prf(self.matched, self.predicted, self.matched, self.gold)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores of one evaluation run.
#[derive(Debug, Clone, Default)]
pub struct GoldScores {
    /// Documents (items or articles) scored.
    pub docs: usize,
    /// Units (items or sentences) scored.
    pub units: usize,
    /// Units without a gold event.
    pub empty_units: usize,
    /// Of those, units where something was predicted.
    pub false_event_units: usize,
    /// Counts per PLOVER type (and "ALL").
    pub per_type: BTreeMap<String, Counts>,
    /// Gold events with a pair agreeing on type, source and target.
    pub triple: usize,
    /// Type-agreeing pairs whose CAMEO root (first two digits) agrees / whose whole code agrees.
    pub cameo_root: usize,
    /// Type-agreeing pairs whose whole CAMEO code agrees.
    pub cameo_code: usize,
    /// Type-agreeing pairs where gold has a mode, and those whose mode agrees.
    pub mode_total: usize,
    /// Type-agreeing pairs whose mode agrees.
    pub mode_hit: usize,
    /// Type-agreeing pairs with a gold source, and those whose full source code agrees.
    pub source_total: usize,
    /// See `source_total`.
    pub source_exact: usize,
    /// Type-agreeing pairs with a gold target, and those whose full target code agrees.
    pub target_total: usize,
    /// See `target_total`.
    pub target_exact: usize,
    /// Type-agreeing pairs whose prediction has a source country / and that country is right.
    pub source_country_total: usize,
    /// See `source_country_total`.
    pub source_country_right: usize,
    /// gold type (or NONE) → predicted type (or NONE) → count, pairing by overlapping triggers.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    /// Units where gold and prediction differ, as printable lines.
    pub misses: Vec<String>,
    /// Documents the coder failed on ("id: error").
    pub errors: Vec<String>,
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn full_code_matches(gold: &[GoldActor], p: &Option<ActorRef>) -> bool {
    let norm = |c: &str| {
        let c = c.to_ascii_uppercase();
        c.replace("IGOEUR", "IGOEU").replace("IGOAFU", "IGOAU")
    };
    p.as_ref()
        .is_some_and(|p| gold.iter().any(|g| norm(&g.code) == norm(&p.code)))
}

fn describe_gold(g: &GoldEvent) -> String {
    let side = |v: &[GoldActor]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.iter().map(|a| a.code.as_str()).collect::<Vec<_>>().join("+")
        }
    };
    format!(
        "{} {} '{}' {}→{}{}",
        g.kind,
        g.cameo,
        g.trigger.text,
        side(&g.source),
        side(&g.target),
        if g.both_ways { " (both ways)" } else { "" }
    )
}

fn describe_event(e: &Event) -> String {
    let side = |a: &Option<ActorRef>| a.as_ref().map_or("-".to_string(), |a| a.code.clone());
    format!(
        "{} {} '{}' {}→{}",
        e.event_type,
        e.cameo,
        e.trigger.text,
        side(&e.source),
        side(&e.target)
    )
}

/// Scores one unit into `s`.
fn score_unit(s: &mut GoldScores, id: &str, text: &str, gold: &[GoldEvent], predicted: &[Instance<'_>]) {
    s.units += 1;
    if gold.is_empty() {
        s.empty_units += 1;
        if !predicted.is_empty() {
            s.false_event_units += 1;
        }
    }
    let mut gold_used = vec![false; gold.len()];
    let mut pred_used = vec![false; predicted.len()];
    let mut pairs: Vec<(usize, usize, bool)> = Vec::new();
    for strict in [true, false] {
        for (gi, g) in gold.iter().enumerate() {
            if gold_used[gi] {
                continue;
            }
            let found = predicted.iter().enumerate().find(|(pi, p)| {
                !pred_used[*pi]
                    && if strict {
                        triple_matches(g, p.event)
                    } else {
                        g.kind == p.event.event_type.as_str()
                    }
            });
            if let Some((pi, _)) = found {
                gold_used[gi] = true;
                pred_used[pi] = true;
                pairs.push((gi, pi, strict));
            }
        }
    }
    for g in gold {
        s.per_type.entry(g.kind.clone()).or_default().gold += 1;
    }
    for p in predicted {
        s.per_type
            .entry(p.event.event_type.as_str().to_string())
            .or_default()
            .predicted += 1;
    }
    for &(gi, pi, strict) in &pairs {
        let (g, p) = (&gold[gi], predicted[pi].event);
        s.per_type.entry(g.kind.clone()).or_default().matched += 1;
        s.triple += usize::from(strict);
        s.cameo_root += usize::from(g.cameo.get(..2) == Some(p.cameo.root()));
        s.cameo_code += usize::from(g.cameo == p.cameo.as_str());
        if let Some(m) = &g.mode {
            s.mode_total += 1;
            s.mode_hit += usize::from(p.mode.as_ref() == Some(m));
        }
        if !g.source.is_empty() {
            s.source_total += 1;
            s.source_exact += usize::from(full_code_matches(&g.source, &p.source));
        }
        if !g.target.is_empty() {
            s.target_total += 1;
            s.target_exact += usize::from(full_code_matches(&g.target, &p.target));
        }
        if let Some(c) = entity(&p.source) {
            s.source_country_total += 1;
            let right = g
                .source
                .iter()
                .any(|a| entity_of_code(&a.code).as_deref() == Some(c.as_str()))
                || (g.both_ways
                    && g.target
                        .iter()
                        .any(|a| entity_of_code(&a.code).as_deref() == Some(c.as_str())));
            s.source_country_right += usize::from(right);
        }
    }
    // Confusion: each gold event against the predicted instance whose trigger overlaps its words.
    let mut seen = vec![false; predicted.len()];
    for g in gold {
        let words: Vec<(usize, usize)> = std::iter::once(&g.trigger)
            .chain(&g.also)
            .map(|w| (w.start, w.end))
            .collect();
        let hit = predicted
            .iter()
            .enumerate()
            .find(|(_, p)| words.iter().any(|&w| overlaps(w, (p.start, p.end))));
        let col = match hit {
            Some((pi, p)) => {
                seen[pi] = true;
                p.event.event_type.as_str().to_string()
            }
            None => "NONE".to_string(),
        };
        *s.confusion.entry(g.kind.clone()).or_default().entry(col).or_default() += 1;
    }
    for (pi, p) in predicted.iter().enumerate() {
        if !seen[pi] {
            *s.confusion
                .entry("NONE".to_string())
                .or_default()
                .entry(p.event.event_type.as_str().to_string())
                .or_default() += 1;
        }
    }
    let all_triple = pairs.iter().filter(|p| p.2).count() == gold.len() && predicted.len() == gold.len();
    if !all_triple {
        let g: Vec<String> = gold.iter().map(describe_gold).collect();
        let p: Vec<String> = predicted.iter().map(|p| describe_event(p.event)).collect();
        s.misses.push(format!(
            "{id}: {}\n    gold: {}\n    coded: {}",
            text.replace('\n', " "),
            if g.is_empty() { "nothing".into() } else { g.join(" | ") },
            if p.is_empty() { "nothing".into() } else { p.join(" | ") }
        ));
    }
}

impl GoldScores {
    fn merge(mut self, o: GoldScores) -> GoldScores {
        self.docs += o.docs;
        self.units += o.units;
        self.empty_units += o.empty_units;
        self.false_event_units += o.false_event_units;
        for (k, c) in o.per_type {
            let e = self.per_type.entry(k).or_default();
            e.gold += c.gold;
            e.predicted += c.predicted;
            e.matched += c.matched;
        }
        self.triple += o.triple;
        self.cameo_root += o.cameo_root;
        self.cameo_code += o.cameo_code;
        self.mode_total += o.mode_total;
        self.mode_hit += o.mode_hit;
        self.source_total += o.source_total;
        self.source_exact += o.source_exact;
        self.target_total += o.target_total;
        self.target_exact += o.target_exact;
        self.source_country_total += o.source_country_total;
        self.source_country_right += o.source_country_right;
        for (g, row) in o.confusion {
            let r = self.confusion.entry(g).or_default();
            for (p, n) in row {
                *r.entry(p).or_default() += n;
            }
        }
        self.misses.extend(o.misses);
        self.errors.extend(o.errors);
        self
    }

    /// Micro-averaged counts over all types.
    pub fn total(&self) -> Counts {
        self.per_type.values().fold(Counts::default(), |a, c| Counts {
            gold: a.gold + c.gold,
            predicted: a.predicted + c.predicted,
            matched: a.matched + c.matched,
        })
    }

    /// Share of gold events with a type + source + target match.
    pub fn triple_recall(&self) -> f64 {
        ratio(self.triple, self.total().gold)
    }

    /// Share of predicted events that are a type + source + target match.
    pub fn triple_precision(&self) -> f64 {
        ratio(self.triple, self.total().predicted)
    }

    /// Share of event-free units where something was coded.
    pub fn false_event_rate(&self) -> f64 {
        ratio(self.false_event_units, self.empty_units)
    }

    /// Of type-agreeing pairs whose prediction has a source country, the share whose country is right.
    pub fn source_country_precision(&self) -> f64 {
        ratio(self.source_country_right, self.source_country_total)
    }
}

/// Codes every document of `docs` whose split is in `splits` and scores the result.
pub fn evaluate(coder: &Tocsin, docs: &[GoldDoc], splits: &[&str]) -> GoldScores {
    docs.par_iter()
        .filter(|d| splits.contains(&d.split.as_str()))
        .map(|d| {
            let mut s = GoldScores {
                docs: 1,
                ..Default::default()
            };
            // A panic while coding one document is that document's error, not the run's.
            let coded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| coder.code(d.article())));
            let events = match coded {
                Ok(Ok(e)) => e,
                Ok(Err(e)) => {
                    s.errors.push(format!("{}: {e}", d.id));
                    Vec::new()
                }
                Err(_) => {
                    s.errors.push(format!("{}: the coder panicked", d.id));
                    Vec::new()
                }
            };
            let article = d.sentences.is_some();
            for (id, range, gold) in d.units() {
                let mut inst: Vec<Instance<'_>> = Vec::new();
                for e in &events {
                    if range.contains(&e.trigger.start) {
                        inst.push(Instance {
                            event: e,
                            start: e.trigger.start,
                            end: e.trigger.end,
                        });
                    }
                    if article {
                        for m in e.mentions.iter().filter(|m| range.contains(&m.trigger.start)) {
                            inst.push(Instance {
                                event: e,
                                start: m.trigger.start,
                                end: m.trigger.end,
                            });
                        }
                    }
                }
                let text: String = d
                    .text
                    .chars()
                    .skip(range.start)
                    .take(range.end.saturating_sub(range.start))
                    .collect();
                score_unit(&mut s, &id, &text, gold, &inst);
            }
            s
        })
        .reduce(GoldScores::default, GoldScores::merge)
}

impl GoldScores {
    /// The headline figures as JSON (for scripts and tests).
    pub fn summary_json(&self) -> serde_json::Value {
        let (p, r, f) = self.total().prf();
        let pairs = self.total().matched;
        serde_json::json!({
            "docs": self.docs,
            "units": self.units,
            "gold_events": self.total().gold,
            "predicted_events": self.total().predicted,
            "type_precision": p,
            "type_recall": r,
            "type_f1": f,
            "triple_recall": self.triple_recall(),
            "triple_precision": self.triple_precision(),
            "cameo_root_accuracy": ratio(self.cameo_root, pairs),
            "cameo_code_accuracy": ratio(self.cameo_code, pairs),
            "mode_accuracy": ratio(self.mode_hit, self.mode_total),
            "source_code_exact": ratio(self.source_exact, self.source_total),
            "target_code_exact": ratio(self.target_exact, self.target_total),
            "source_country_precision": self.source_country_precision(),
            "false_event_rate": self.false_event_rate(),
            "errors": self.errors.len(),
        })
    }

    /// A printable report: per-type P/R/F1, the headline figures, the confusion table, and the misses
    /// when asked.
    pub fn report(&self, label: &str, misses: bool) -> String {
        let mut out = String::new();
        let t = self.total();
        let _ = writeln!(
            out,
            "{label}: {} documents, {} units ({} without an event); {} gold events, {} coded",
            self.docs, self.units, self.empty_units, t.gold, t.predicted
        );
        let _ = writeln!(
            out,
            "\n{:<10} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
            "type", "P", "R", "F1", "gold", "coded", "match"
        );
        let mut rows: Vec<(&String, &Counts)> = self.per_type.iter().collect();
        rows.sort_by_key(|(_, c)| std::cmp::Reverse(c.gold));
        for (k, c) in rows.into_iter().chain(std::iter::once((&"ALL".to_string(), &t))) {
            let (p, r, f) = c.prf();
            let _ = writeln!(
                out,
                "{k:<10} {p:>6.3} {r:>6.3} {f:>6.3} {:>6} {:>6} {:>6}",
                c.gold, c.predicted, c.matched
            );
        }
        let pairs = t.matched;
        let _ = writeln!(
            out,
            "\ntriple (type + source + target): recall {:.3}, precision {:.3}",
            self.triple_recall(),
            self.triple_precision()
        );
        let _ = writeln!(
            out,
            "CAMEO root {:.3}, code {:.3}, mode {:.3} (of {} type matches; mode of {})",
            ratio(self.cameo_root, pairs),
            ratio(self.cameo_code, pairs),
            ratio(self.mode_hit, self.mode_total),
            pairs,
            self.mode_total
        );
        let _ = writeln!(
            out,
            "actor code exact: source {:.3} (of {}), target {:.3} (of {}); source-country precision {:.3} (of {})",
            ratio(self.source_exact, self.source_total),
            self.source_total,
            ratio(self.target_exact, self.target_total),
            self.target_total,
            self.source_country_precision(),
            self.source_country_total
        );
        let _ = writeln!(
            out,
            "false events on units without an event: {:.3} ({} of {})",
            self.false_event_rate(),
            self.false_event_units,
            self.empty_units
        );
        let _ = writeln!(out, "\nconfusion (gold → coded, by overlapping trigger)");
        for (g, row) in &self.confusion {
            let cells: Vec<String> = row.iter().map(|(p, n)| format!("{p}:{n}")).collect();
            let _ = writeln!(out, "{g:<10} {}", cells.join("  "));
        }
        for e in &self.errors {
            let _ = writeln!(out, "error: {e}");
        }
        if misses {
            let _ = writeln!(out, "\nunits where the coding differs ({})", self.misses.len());
            let mut m = self.misses.clone();
            m.sort();
            for line in m {
                let _ = writeln!(out, "{line}");
            }
        }
        out
    }
}
