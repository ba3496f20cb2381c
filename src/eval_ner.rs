//! `tocsin eval ner-actors`: entity recognition scored on the gold corpus's actor spans
//! (`data/gold/ner_spans.jsonl`, made by `scripts/gold/ner_spans.py`).
//!
//! Scoring is restricted to the gold actor spans. Recall: the share of gold entities (the name that
//! identifies an actor) found by a prediction with the same label that matches it. Precision: of the
//! predictions that overlap a gold entity or an actor span without any name ("police", "he"), the share
//! with the right label that match a gold entity. Predictions elsewhere (and inside actor spans whose
//! names are not the actor's, "a court in Guyana") are not scored. Two boundary modes: `exact` (same
//! characters once a leading "the" and a trailing possessive are dropped) and `overlap`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::Tocsin;

/// One line of `ner_spans.jsonl`.
#[derive(Debug, Clone, Deserialize)]
pub struct NerSpan {
    /// Item (or article) id.
    pub id: String,
    /// `dev` or `test`.
    pub split: String,
    /// Gold file stem (`summaries`, `articles`, `gigaword`).
    pub file: String,
    /// First character of the actor span.
    pub start: usize,
    /// One past its last character.
    pub end: usize,
    /// `PER`, `ORG`, `GPE`, `NORP`, or none for an excluded span.
    pub label: Option<String>,
    /// The name inside the span that identifies the actor.
    pub entity: Option<CharSpan>,
    /// Why the span holds no entity (`common-noun`, `pronoun`, `name-not-head`, `other-entity`).
    pub excluded: Option<String>,
}

/// A character range with its text.
#[derive(Debug, Clone, Deserialize)]
pub struct CharSpan {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// A labelled character range (a gold entity or a prediction).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// `PER`, `ORG`, `GPE` or `NORP`.
    pub label: String,
}

/// Counts for one label and boundary mode.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Counts {
    /// Gold entities.
    pub gold: usize,
    /// Gold entities found.
    pub found: usize,
    /// Scored predictions.
    pub predicted: usize,
    /// Scored predictions that were right.
    pub correct: usize,
}

impl Counts {
    /// Precision, recall and F1.
    pub fn prf(&self) -> (f64, f64, f64) {
        tocsin_nlp::prf(self.correct, self.predicted, self.found, self.gold)
    }

    fn add(&mut self, o: &Counts) {
        self.gold += o.gold;
        self.found += o.found;
        self.predicted += o.predicted;
        self.correct += o.correct;
    }
}

/// Scores of one run: per boundary mode (`exact`, `overlap`), per label and `ALL`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NerActorScores {
    /// Items scored.
    pub items: usize,
    /// mode → label → counts.
    pub modes: BTreeMap<String, BTreeMap<String, Counts>>,
    /// Gold entities without an overlapping prediction of their label, with what was predicted there
    /// (dev only: the test split is only scored).
    #[serde(skip)]
    pub misses: Vec<String>,
}

/// The item's text with a leading article and a trailing possessive dropped from `[s, e)`.
fn trimmed(chars: &[char], mut s: usize, mut e: usize) -> (usize, usize) {
    let lower = |a: usize, b: usize| chars[a..b].iter().collect::<String>().to_lowercase();
    if e > s + 4 && lower(s, s + 4) == "the " {
        s += 4;
    }
    if e > s + 2 && matches!(lower(e - 2, e).as_str(), "'s" | "’s") {
        e -= 2;
    }
    while e > s && matches!(chars[e - 1], '\'' | '’' | '.' | ',' | ')' | '(') {
        e -= 1;
    }
    (s, e)
}

/// Scores one item's predictions against its gold spans, adding into `by` (mode → label → counts).
pub fn score_item(
    text: &str,
    gold: &[NerSpan],
    predicted: &[Labelled],
    by: &mut BTreeMap<String, BTreeMap<String, Counts>>,
) {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let norm = |s: usize, e: usize| trimmed(&chars, s.min(n), e.min(n));
    let entities: Vec<Labelled> = gold
        .iter()
        .filter_map(|g| {
            let (e, l) = (g.entity.as_ref()?, g.label.as_ref()?);
            Some(Labelled {
                start: e.start,
                end: e.end,
                label: l.clone(),
            })
        })
        .collect();
    let nameless: Vec<(usize, usize)> = gold
        .iter()
        .filter(|g| matches!(g.excluded.as_deref(), Some("common-noun" | "pronoun")))
        .map(|g| (g.start, g.end))
        .collect();
    let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
    for mode in ["exact", "overlap"] {
        let matches = |p: &Labelled, g: &Labelled| {
            p.label == g.label
                && if mode == "exact" {
                    norm(p.start, p.end) == norm(g.start, g.end)
                } else {
                    overlaps((p.start, p.end), (g.start, g.end))
                }
        };
        let table = by.entry(mode.to_string()).or_default();
        for g in &entities {
            for key in [g.label.as_str(), "ALL"] {
                let c = table.entry(key.to_string()).or_default();
                c.gold += 1;
                c.found += usize::from(predicted.iter().any(|p| matches(p, g)));
            }
        }
        for p in predicted {
            let span = (p.start, p.end);
            let scored = entities.iter().any(|g| overlaps(span, (g.start, g.end)))
                || nameless.iter().any(|&x| overlaps(span, x));
            if !scored {
                continue;
            }
            let right = entities.iter().any(|g| matches(p, g));
            for key in [p.label.as_str(), "ALL"] {
                let c = table.entry(key.to_string()).or_default();
                c.predicted += 1;
                c.correct += usize::from(right);
            }
        }
    }
}

/// tocsin's entities for one text: the named entities of the analysed document, in characters.
pub fn tocsin_entities(tocsin: &Tocsin, article: crate::doc::Article) -> anyhow::Result<Vec<Labelled>> {
    let doc = tocsin.analyze(article)?;
    Ok(tocsin_actors::named_entities(tocsin.kb(), &doc)
        .into_iter()
        .map(|e| Labelled {
            start: doc.char_offset(e.span.start),
            end: doc.char_offset(e.span.end),
            label: e.label.as_str().to_string(),
        })
        .collect())
}

/// Runs tocsin on every item of `split` named in the labels file and scores it. The items' texts are
/// read from the gold files beside it (`summaries.jsonl`, …).
pub fn evaluate(tocsin: &Tocsin, labels: &Path, split: &str) -> anyhow::Result<NerActorScores> {
    let text = std::fs::read_to_string(labels).with_context(|| format!("cannot read {}", labels.display()))?;
    let mut by_item: BTreeMap<(String, String), Vec<NerSpan>> = BTreeMap::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let row: NerSpan =
            serde_json::from_str(line).with_context(|| format!("{}:{}: not a label line", labels.display(), n + 1))?;
        if row.split == split {
            by_item.entry((row.file.clone(), row.id.clone())).or_default().push(row);
        }
    }
    let dir = labels.parent().unwrap_or(Path::new("."));
    let mut docs: HashMap<(String, String), crate::gold::GoldDoc> = HashMap::new();
    for file in by_item
        .keys()
        .map(|(f, _)| f.clone())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let path = dir.join(format!("{file}.jsonl"));
        let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        for d in crate::gold::read_gold(&text).with_context(|| path.display().to_string())? {
            docs.insert((file.clone(), d.id.clone()), d);
        }
    }
    let mut scores = NerActorScores::default();
    for (key, gold) in &by_item {
        let doc = docs
            .get(key)
            .with_context(|| format!("item {} is not in {}.jsonl", key.1, key.0))?;
        let predicted = tocsin_entities(tocsin, doc.article())?;
        score_item(&doc.text, gold, &predicted, &mut scores.modes);
        scores.items += 1;
        if split != "test" {
            scores.misses.extend(misses(&doc.text, gold, &predicted));
        }
    }
    Ok(scores)
}

/// One line per gold entity no prediction of its label overlaps: label, entity, what was predicted there.
fn misses(text: &str, gold: &[NerSpan], predicted: &[Labelled]) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let slice = |s: usize, e: usize| chars[s.min(chars.len())..e.min(chars.len())].iter().collect::<String>();
    gold.iter()
        .filter_map(|g| {
            let (e, l) = (g.entity.as_ref()?, g.label.as_ref()?);
            let near: Vec<String> = predicted
                .iter()
                .filter(|p| p.start < g.end && g.start < p.end)
                .map(|p| format!("{} {}", p.label, slice(p.start, p.end)))
                .collect();
            let hit = predicted
                .iter()
                .any(|p| &p.label == l && p.start < e.end && e.start < p.end);
            (!hit).then(|| {
                format!(
                    "{}\t{l}\t{}\t[{}]\t{}",
                    g.id,
                    slice(e.start, e.end),
                    near.join("; "),
                    slice(g.start, g.end)
                )
            })
        })
        .collect()
}

impl NerActorScores {
    /// A plain-text table: per mode and label, gold count, P, R, F1.
    pub fn report(&self) -> String {
        let mut out = format!("{} items\n", self.items);
        for (mode, table) in &self.modes {
            out.push_str(&format!("{mode:<8} label  gold   P      R      F1\n"));
            let mut all = Counts::default();
            for (label, c) in table.iter().filter(|(l, _)| l.as_str() != "ALL") {
                let (p, r, f) = c.prf();
                out.push_str(&format!("         {label:<5} {:>5}  {p:.3}  {r:.3}  {f:.3}\n", c.gold));
                all.add(c);
            }
            if let Some(c) = table.get("ALL") {
                let (p, r, f) = c.prf();
                out.push_str(&format!("         ALL   {:>5}  {p:.3}  {r:.3}  {f:.3}\n", c.gold));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(start: usize, end: usize, label: Option<&str>, entity: Option<(usize, usize)>) -> NerSpan {
        NerSpan {
            id: "x".into(),
            split: "dev".into(),
            file: "summaries".into(),
            start,
            end,
            label: label.map(str::to_string),
            entity: entity.map(|(start, end)| CharSpan { start, end }),
            excluded: label.is_none().then(|| "common-noun".to_string()),
        }
    }

    #[test]
    fn scores_tocsin_on_a_real_sentence() -> anyhow::Result<()> {
        let text = "Serbian President Aleksandar Vucic says Israeli troops and police in Belgrade detained 40 people.";
        let find = |s: &str| text.find(s).map(|i| (i, i + s.len())).unwrap_or((0, 0));
        let vucic = find("Aleksandar Vucic");
        let israeli = find("Israeli");
        let police = find("police");
        let golds = vec![
            gold(0, vucic.1, Some("PER"), Some(vucic)),
            gold(israeli.0, find("Israeli troops").1, Some("NORP"), Some(israeli)),
            gold(police.0, police.1, None, None),
        ];
        let tocsin = Tocsin::builtin()?;
        let mut article = crate::doc::Article::from_text(text.to_string());
        article.published = crate::doc::Article::parse_date("2025-03-01").ok();
        let predicted = tocsin_entities(&tocsin, article)?;
        let mut by = BTreeMap::new();
        score_item(text, &golds, &predicted, &mut by);
        let exact = by["exact"]["ALL"];
        assert_eq!((exact.gold, exact.found), (2, 2), "{predicted:?}");
        // "Belgrade" is a prediction outside every gold span: not scored; "Serbian" lies outside the
        // person's name, so it is not scored either.
        assert_eq!(exact.predicted, 2, "{predicted:?}");
        assert_eq!(by["exact"]["PER"].found, 1);
        Ok(())
    }

    #[test]
    fn a_wrong_label_and_a_name_on_a_common_noun_count_against_precision() {
        let text = "The Houthis and Police clashed.";
        let golds = vec![gold(0, 11, Some("ORG"), Some((4, 11))), gold(16, 22, None, None)];
        let predicted = vec![
            Labelled {
                start: 0,
                end: 11,
                label: "NORP".into(),
            },
            Labelled {
                start: 16,
                end: 22,
                label: "ORG".into(),
            },
        ];
        let mut by = BTreeMap::new();
        score_item(text, &golds, &predicted, &mut by);
        let c = by["overlap"]["ALL"];
        assert_eq!((c.gold, c.found, c.predicted, c.correct), (1, 0, 2, 0));
        let right = vec![Labelled {
            start: 0,
            end: 11,
            label: "ORG".into(),
        }];
        let mut by = BTreeMap::new();
        score_item(text, &golds, &right, &mut by);
        // "The Houthis" and "Houthis" are the same name once the article is dropped.
        assert_eq!(by["exact"]["ALL"].correct, 1);
    }
}
