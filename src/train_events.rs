//! `tocsin train events`: the gold corpus located on analysed documents, and the event model trained
//! from its train split (the dev split tunes the decision threshold).

use rayon::prelude::*;
use tocsin_doc::{Document, PloverType};
use tocsin_events::learned::train::{GoldAct, TrainDoc};

use crate::gold::{GoldActor, GoldDoc, GoldEvent};
use crate::Tocsin;

/// Character ranges of every token.
fn token_chars(doc: &Document) -> Vec<(usize, usize)> {
    doc.tokens
        .iter()
        .map(|t| (doc.char_offset(t.span.start), doc.char_offset(t.span.end)))
        .collect()
}

fn overlapping(chars: &[(usize, usize)], start: usize, end: usize) -> Vec<usize> {
    chars
        .iter()
        .enumerate()
        .filter(|(_, &(a, b))| a < end && start < b)
        .map(|(i, _)| i)
        .collect()
}

fn mentions_of(doc: &Document, chars: &[(usize, usize)], actors: &[GoldActor]) -> Vec<usize> {
    let spans: Vec<(usize, usize)> = actors.iter().filter_map(|a| Some((a.start?, a.end?))).collect();
    (0..doc.mentions.len())
        .filter(|&m| {
            let r = &doc.mentions[m].tokens;
            r.clone()
                .any(|k| spans.iter().any(|&(a, b)| chars[k].0 < b && a < chars[k].1))
        })
        .collect()
}

/// Gold events located on an analysed document's tokens and mentions (events whose trigger falls on
/// no token are left out).
pub fn locate(doc: &Document, events: &[&GoldEvent]) -> Vec<GoldAct> {
    let chars = token_chars(doc);
    events
        .iter()
        .filter_map(|g| {
            let kind = g.kind.parse::<PloverType>().ok()?;
            let trigger = overlapping(&chars, g.trigger.start, g.trigger.end);
            let head = *trigger.first()?;
            let sentence = doc.sentences.iter().position(|s| s.tokens.contains(&head))?;
            let also = g
                .also
                .iter()
                .flat_map(|a| overlapping(&chars, a.start, a.end))
                .collect();
            Some(GoldAct {
                sentence,
                trigger,
                also,
                kind,
                cameo: g.cameo.clone(),
                sources: mentions_of(doc, &chars, &g.source),
                source_given: !g.source.is_empty(),
                implied_source: g
                    .source
                    .iter()
                    .find(|a| a.text.is_none())
                    .map(|a| a.code.get(3..).unwrap_or("").to_string()),
                targets: mentions_of(doc, &chars, &g.target),
                target_given: !g.target.is_empty(),
            })
        })
        .collect()
}

/// Analyses the documents of the given splits (every sentence with an actor parsed) and locates
/// their gold events; documents the pipeline fails on are skipped with a warning.
pub fn training_docs(tocsin: &Tocsin, docs: &[GoldDoc], splits: &[&str]) -> Vec<TrainDoc> {
    docs.par_iter()
        .filter(|d| splits.contains(&d.split.as_str()))
        .filter_map(|d| {
            let analysed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| tocsin.analyze(d.article())));
            let doc = match analysed {
                Ok(Ok(doc)) => doc,
                _ => {
                    tracing::warn!("{}: cannot be analysed, left out of training", d.id);
                    return None;
                }
            };
            let events: Vec<&GoldEvent> = d.units().into_iter().flat_map(|(_, _, e)| e.iter()).collect();
            let acts = locate(&doc, &events);
            // Summaries are one to three sentences; whole articles and wire sentences count three times.
            let weight = if d.sentences.is_some() || !d.id.starts_with("ce-") {
                3
            } else {
                1
            };
            Some(TrainDoc { doc, acts, weight })
        })
        .collect()
}
