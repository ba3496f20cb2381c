//! Named-entity recognition (PER, ORG, LOC): a BIO tagger on the averaged perceptron with
//! knowledge-base gazetteer features (GeoNames places, countries, people, organisations).

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::perceptron::{feature_id, Trainer, Weights};
use crate::util::{at, shape, XorShift};

/// One IOB2 sentence: tokens and BIO labels.
pub type IobSentence = Vec<(String, String)>;

/// Parses IOB2 (UniversalNER: id, token, label, … per line; `#` comments; blank-line separated).
pub fn parse_iob2(text: &str) -> Result<Vec<IobSentence>, crate::CorpusError> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 {
            return Err(crate::CorpusError {
                line: n + 1,
                message: "expected id, token and label columns".into(),
            });
        }
        cur.push((cols[1].to_string(), cols[2].to_string()));
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Lower-cased names by entity type, for gazetteer features.
#[derive(Debug, Clone, Default)]
pub struct NameLists {
    lists: [(&'static str, HashSet<String>); 3],
}

impl NameLists {
    /// Names from the shipped data: GeoNames cities and countries (LOC), KB people (PER), organisations (ORG).
    pub fn builtin() -> Self {
        let mut loc = HashSet::new();
        for line in include_str!("../../../data/gazetteer/cities.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
        {
            let c: Vec<&str> = line.split('\t').collect();
            if c.get(4).and_then(|p| p.parse::<u64>().ok()).unwrap_or(0) >= 50_000 {
                loc.insert(c[0].to_lowercase());
            }
        }
        for line in include_str!("../../../data/kb/countries.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
        {
            let c: Vec<&str> = line.split('\t').collect();
            for name in [c.get(2), c.get(3)].into_iter().flatten() {
                loc.insert(name.to_lowercase());
            }
        }
        let mut per = HashSet::new();
        for line in include_str!("../../../data/kb/people.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
        {
            let c: Vec<&str> = line.split('\t').collect();
            per.insert(c[0].to_lowercase());
            for a in c.get(1).unwrap_or(&"").split('|').filter(|a| !a.is_empty()) {
                per.insert(a.to_lowercase());
            }
        }
        let mut org = HashSet::new();
        for line in include_str!("../../../data/kb/orgs.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
        {
            let c: Vec<&str> = line.split('\t').collect();
            for name in [c.first(), c.get(3)].into_iter().flatten() {
                org.insert(name.to_lowercase());
            }
        }
        NameLists {
            lists: [("LOC", loc), ("PER", per), ("ORG", org)],
        }
    }

    /// Per token, the gazetteer features ("gLOC-B", "gPER-I"…) from spans of up to three tokens.
    fn marks(&self, lower: &[String]) -> Vec<Vec<String>> {
        let mut marks = vec![Vec::new(); lower.len()];
        for i in 0..lower.len() {
            for len in 1..=3.min(lower.len() - i) {
                let phrase = lower[i..i + len].join(" ");
                for (label, set) in &self.lists {
                    if set.contains(&phrase) {
                        marks[i].push(format!("g{label}-B{len}"));
                        for m in &mut marks[i + 1..i + len] {
                            m.push(format!("g{label}-I"));
                        }
                    }
                }
            }
        }
        marks
    }
}

/// The trained recogniser.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NerModel {
    /// Format version.
    pub version: u32,
    weights: Weights,
}

/// Exact-span precision, recall and F1, per label and overall.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NerScores {
    /// label → (precision, recall, F1, gold count).
    pub per_label: BTreeMap<String, (f64, f64, f64, usize)>,
    /// Micro-averaged (precision, recall, F1).
    pub overall: (f64, f64, f64),
}

fn features(
    words: &[String],
    lower: &[String],
    tags: &[String],
    marks: &[Vec<String>],
    i: usize,
    prev: &str,
) -> Vec<u64> {
    let lw = |k: isize| at(lower, i, k);
    let rw = |k: isize| at(words, i, k);
    let cur = lower[i].as_str();
    let tail = |n: usize| cur.chars().rev().take(n).collect::<String>();
    let mut f = vec![
        feature_id(&["bias"]),
        feature_id(&["w", cur]),
        feature_id(&["W", &words[i]]),
        feature_id(&["shape", &shape(&words[i], 5)]),
        feature_id(&["suf3", &tail(3)]),
        feature_id(&["suf2", &tail(2)]),
        feature_id(&["pre3", &cur.chars().take(3).collect::<String>()]),
        feature_id(&["w-1", lw(-1)]),
        feature_id(&["w+1", lw(1)]),
        feature_id(&["w-2", lw(-2)]),
        feature_id(&["w+2", lw(2)]),
        feature_id(&["shape-1", &shape(rw(-1), 5)]),
        feature_id(&["shape+1", &shape(rw(1), 5)]),
        feature_id(&["prev", prev]),
        feature_id(&["prev shape", prev, &shape(&words[i], 5)]),
        feature_id(&["prev w", prev, cur]),
        feature_id(&["first", if i == 0 { "1" } else { "0" }, &shape(&words[i], 5)]),
    ];
    let tag = |k: isize| -> &str {
        let j = i as isize + k;
        if j < 0 {
            "<s>"
        } else {
            tags.get(j as usize).map_or("</s>", String::as_str)
        }
    };
    f.extend([
        feature_id(&["t", tag(0)]),
        feature_id(&["t-1 t", tag(-1), tag(0)]),
        feature_id(&["t t+1", tag(0), tag(1)]),
        feature_id(&["t shape", tag(0), &shape(&words[i], 5)]),
        feature_id(&["prev t", prev, tag(0)]),
    ]);
    for m in &marks[i] {
        f.push(feature_id(&["gaz", m]));
        f.push(feature_id(&["gaz shape", m, &shape(&words[i], 5)]));
    }
    for m in marks.get(i + 1).into_iter().flatten() {
        f.push(feature_id(&["gaz+1", m]));
    }
    f
}

/// BIO validity: I-X only continues B-X or I-X.
fn allowed(prev: &str, label: &str) -> bool {
    match label.strip_prefix("I-") {
        Some(t) => prev.strip_prefix("B-").or_else(|| prev.strip_prefix("I-")) == Some(t),
        None => true,
    }
}

fn spans(labels: &[String]) -> HashSet<(usize, usize, String)> {
    let mut out = HashSet::new();
    let mut start: Option<(usize, String)> = None;
    for (i, l) in labels.iter().chain(std::iter::once(&"O".to_string())).enumerate() {
        let continues = l
            .strip_prefix("I-")
            .is_some_and(|t| start.as_ref().is_some_and(|(_, s)| s == t));
        if !continues {
            if let Some((s, t)) = start.take() {
                out.insert((s, i, t));
            }
            if let Some(t) = l.strip_prefix("B-").or_else(|| l.strip_prefix("I-")) {
                start = Some((i, t.to_string()));
            }
        }
    }
    out
}

impl NerModel {
    /// Trains on IOB2 sentences; `tag` gives UPOS tags for a sentence's words (the trained tagger).
    pub fn train(
        sentences: &[IobSentence],
        names: &NameLists,
        tag: &dyn Fn(&[String]) -> Vec<String>,
        epochs: usize,
        seed: u64,
    ) -> Self {
        let mut tr = Trainer::default();
        for l in ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"] {
            tr.class(l);
        }
        let mut order: Vec<usize> = (0..sentences.len()).collect();
        let mut rng = XorShift::new(seed);
        for _ in 0..epochs {
            rng.shuffle(&mut order);
            for &si in &order {
                let s = &sentences[si];
                let words: Vec<String> = s.iter().map(|(w, _)| w.clone()).collect();
                let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
                let marks = names.marks(&lower);
                let tags = tag(&words);
                let mut prev = "<s>".to_string();
                for (i, (_, gold)) in s.iter().enumerate() {
                    let f = features(&words, &lower, &tags, &marks, i, &prev);
                    let truth = tr.class(gold);
                    let scores = tr.scores(&f);
                    let classes = tr.classes().to_vec();
                    let guess = (0..classes.len())
                        .filter(|&c| allowed(&prev, &classes[c]))
                        .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)))
                        .unwrap_or(0);
                    tr.update(&f, truth, guess);
                    prev = gold.clone();
                }
            }
        }
        NerModel {
            version: 1,
            weights: tr.finish(0.01),
        }
    }

    /// BIO labels for a sentence, given its UPOS tags.
    pub fn label(&self, words: &[String], tags: &[String], names: &NameLists) -> Vec<String> {
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let marks = names.marks(&lower);
        let classes = &self.weights.classes;
        let mut prev = "<s>".to_string();
        let mut out = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            let scores = self.weights.scores(&features(words, &lower, tags, &marks, i, &prev));
            let best = (0..classes.len())
                .filter(|&c| allowed(&prev, &classes[c]))
                .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)));
            let l = best.map_or_else(|| "O".to_string(), |c| classes[c].clone());
            prev = l.clone();
            out.push(l);
        }
        out
    }

    /// Exact-span scores against gold IOB2 sentences.
    pub fn evaluate(
        &self,
        gold: &[IobSentence],
        names: &NameLists,
        tag: &dyn Fn(&[String]) -> Vec<String>,
    ) -> NerScores {
        let mut counts: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
        for s in gold {
            let words: Vec<String> = s.iter().map(|(w, _)| w.clone()).collect();
            let g = spans(&s.iter().map(|(_, l)| l.clone()).collect::<Vec<_>>());
            let p = spans(&self.label(&words, &tag(&words), names));
            for sp in &p {
                let e = counts.entry(sp.2.clone()).or_default();
                e.1 += 1;
                if g.contains(sp) {
                    e.0 += 1;
                }
            }
            for sp in &g {
                counts.entry(sp.2.clone()).or_default().2 += 1;
            }
        }
        let prf = |tp: usize, pred: usize, gold: usize| crate::prf(tp, pred, tp, gold);
        let mut scores = NerScores::default();
        let (mut tp, mut pr, mut gd) = (0, 0, 0);
        for (label, (t, p, g)) in counts {
            let (a, b, c) = prf(t, p, g);
            scores.per_label.insert(label, (a, b, c, g));
            tp += t;
            pr += p;
            gd += g;
        }
        scores.overall = prf(tp, pr, gd);
        scores
    }

    /// Serialises the model.
    pub fn to_bytes(&self) -> Result<Vec<u8>, crate::ModelError> {
        bincode::serialize(self).map_err(|e| crate::ModelError::Encode(e.to_string()))
    }

    /// Reads a serialised model.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, crate::ModelError> {
        bincode::deserialize(bytes).map_err(|e| crate::ModelError::Decode {
            kind: "NER",
            message: e.to_string(),
        })
    }
}
