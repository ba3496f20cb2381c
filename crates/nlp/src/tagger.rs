//! A trained part-of-speech tagger (UPOS + XPOS, averaged perceptron, greedy left to right) and a
//! lemmatizer that learns the exceptions to the rule-based one from UD English EWT.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::conllu::ConlluSentence;
use crate::perceptron::{feature_id, Trainer, Weights};
use crate::util::{at, shape, suffix, XorShift};
use crate::Morphology;

/// Words seen at least this often with one tag this consistently are tagged by lookup.
const DICT_MIN_COUNT: usize = 20;
const DICT_MIN_SHARE: f64 = 0.97;

/// The trained tagger and lemmatizer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TaggerModel {
    /// Format version of the serialised model.
    pub version: u32,
    upos: Weights,
    xpos: Weights,
    dict: BTreeMap<String, (String, String)>,
    lemmas: BTreeMap<(String, String), String>,
}

/// Tags and lemma of one word.
#[derive(Debug, Clone, PartialEq)]
pub struct Tagged {
    /// Universal POS.
    pub upos: String,
    /// Penn Treebank tag.
    pub xpos: String,
    /// Lemma.
    pub lemma: String,
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainConfig {
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed of the sentence shuffle (training is deterministic for a seed).
    pub seed: u64,
    /// Averaged weights smaller than this are dropped.
    pub prune: f32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 6,
            seed: 1,
            prune: 0.05,
        }
    }
}

/// Accuracy figures on gold tokenization.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TagScores {
    /// Words scored.
    pub words: usize,
    /// UPOS accuracy.
    pub upos: f64,
    /// XPOS accuracy.
    pub xpos: f64,
    /// Lemma accuracy.
    pub lemma: f64,
}

/// Feature ids for word `i` given the previous two predicted tags.
fn features(words: &[String], lower: &[String], i: usize, p1: &str, p2: &str) -> Vec<u64> {
    let w = |k: isize| at(lower, i, k);
    let cur = lower[i].as_str();
    let first_upper = words[i].chars().next().is_some_and(char::is_uppercase);
    let mut f = vec![
        feature_id(&["bias"]),
        feature_id(&["w", cur]),
        feature_id(&["s1", suffix(cur, 1)]),
        feature_id(&["s2", suffix(cur, 2)]),
        feature_id(&["s3", suffix(cur, 3)]),
        feature_id(&["s4", suffix(cur, 4)]),
        feature_id(&["pre", &cur.chars().take(2).collect::<String>()]),
        feature_id(&["shape", &shape(&words[i], 6)]),
        feature_id(&[
            "cap0",
            if first_upper && i == 0 { "1" } else { "0" },
            if first_upper { "1" } else { "0" },
        ]),
        feature_id(&["w-1", w(-1)]),
        feature_id(&["w+1", w(1)]),
        feature_id(&["w-2", w(-2)]),
        feature_id(&["w+2", w(2)]),
        feature_id(&["t-1", p1]),
        feature_id(&["t-2t-1", p2, p1]),
        feature_id(&["t-1w", p1, cur]),
        feature_id(&["w-1w", w(-1), cur]),
        feature_id(&["ww+1", cur, w(1)]),
        feature_id(&["s3+1", suffix(w(1), 3)]),
        feature_id(&["s3-1", suffix(w(-1), 3)]),
    ];
    let raw = |k: isize| at(words, i, k);
    f.extend([
        feature_id(&["W", &words[i]]),
        feature_id(&["shape-1", &shape(raw(-1), 6)]),
        feature_id(&["shape+1", &shape(raw(1), 6)]),
        feature_id(&["pre3", &cur.chars().take(3).collect::<String>()]),
        feature_id(&["t-1s3", p1, suffix(cur, 3)]),
        feature_id(&["w-1t-1", w(-1), p1]),
    ]);
    if cur.contains('-') {
        f.push(feature_id(&["hyphen"]));
    }
    f
}

impl TaggerModel {
    /// Trains on CoNLL-U sentences.
    pub fn train(sentences: &[ConlluSentence], cfg: TrainConfig) -> Self {
        let morph = Morphology::builtin();
        // Tag dictionary of frequent unambiguous words.
        let mut counts: HashMap<String, HashMap<(String, String), usize>> = HashMap::new();
        for s in sentences {
            for w in &s.words {
                *counts
                    .entry(w.form.to_lowercase())
                    .or_default()
                    .entry((w.upos.clone(), w.xpos.clone()))
                    .or_default() += 1;
            }
        }
        let dict: BTreeMap<String, (String, String)> = counts
            .iter()
            .filter_map(|(word, tags)| {
                let total: usize = tags.values().sum();
                let (best, n) = tags.iter().max_by_key(|(t, n)| (**n, (*t).clone()))?;
                (total >= DICT_MIN_COUNT && *n as f64 / total as f64 >= DICT_MIN_SHARE)
                    .then(|| (word.clone(), best.clone()))
            })
            .collect();
        // Lemma exceptions: where the rules would be wrong.
        let mut lemma_counts: HashMap<(String, String), HashMap<String, usize>> = HashMap::new();
        for s in sentences {
            for w in &s.words {
                *lemma_counts
                    .entry((w.form.to_lowercase(), w.upos.clone()))
                    .or_default()
                    .entry(w.lemma.clone())
                    .or_default() += 1;
            }
        }
        let lemmas: BTreeMap<(String, String), String> = lemma_counts
            .into_iter()
            .filter_map(|(key, options)| {
                let (best, _) = options
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))?;
                (best != rule_lemma(&morph, &key.0, &key.1)).then_some((key, best))
            })
            .collect();

        let mut order: Vec<usize> = (0..sentences.len()).collect();
        let (mut up, mut xp) = (Trainer::default(), Trainer::default());
        for epoch in 0..cfg.epochs {
            XorShift::new(cfg.seed.wrapping_add(epoch as u64 * 7919)).shuffle(&mut order);
            for &si in &order {
                let s = &sentences[si];
                let words: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
                let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
                let (mut p1, mut p2) = ("<s>".to_string(), "<s>".to_string());
                for (i, gold) in s.words.iter().enumerate() {
                    let u = match dict.get(&lower[i]) {
                        Some((u, _)) => u.clone(),
                        None => {
                            let f = features(&words, &lower, i, &p1, &p2);
                            let truth = up.class(&gold.upos);
                            let guess = up.predict(&f);
                            up.update(&f, truth, guess);
                            let mut fx = f.clone();
                            let u = up.classes()[guess].clone();
                            fx.push(feature_id(&["upos", &u]));
                            let xt = xp.class(&gold.xpos);
                            let xg = xp.predict(&fx);
                            xp.update(&fx, xt, xg);
                            u
                        }
                    };
                    p2 = std::mem::replace(&mut p1, u);
                }
            }
        }
        TaggerModel {
            version: 1,
            upos: up.finish(cfg.prune),
            xpos: xp.finish(cfg.prune),
            dict,
            lemmas,
        }
    }

    /// Universal POS only (no XPOS, no lemmas): what the parser needs, at about half the cost.
    pub fn tag_upos(&self, words: &[String]) -> Vec<String> {
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let (mut p1, mut p2) = ("<s>".to_string(), "<s>".to_string());
        let mut out = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            let u = match self.dict.get(&lower[i]) {
                Some(t) => t.0.clone(),
                None => {
                    let f = features(words, &lower, i, &p1, &p2);
                    self.upos
                        .classes
                        .get(self.upos.predict(&f))
                        .cloned()
                        .unwrap_or_else(|| "X".into())
                }
            };
            p2 = std::mem::replace(&mut p1, u.clone());
            out.push(u);
        }
        out
    }

    /// Tags a sentence of words.
    pub fn tag(&self, words: &[String], morph: &Morphology) -> Vec<Tagged> {
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let (mut p1, mut p2) = ("<s>".to_string(), "<s>".to_string());
        let mut out = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            let (u, x) = match self.dict.get(&lower[i]) {
                Some(t) => t.clone(),
                None => {
                    let mut f = features(words, &lower, i, &p1, &p2);
                    let u = self
                        .upos
                        .classes
                        .get(self.upos.predict(&f))
                        .cloned()
                        .unwrap_or_else(|| "X".into());
                    f.push(feature_id(&["upos", &u]));
                    let x = self
                        .xpos
                        .classes
                        .get(self.xpos.predict(&f))
                        .cloned()
                        .unwrap_or_default();
                    (u, x)
                }
            };
            let lemma = self
                .lemmas
                .get(&(lower[i].clone(), u.clone()))
                .cloned()
                .unwrap_or_else(|| {
                    if u == "PROPN" {
                        words[i].clone()
                    } else {
                        rule_lemma(morph, &lower[i], &u)
                    }
                });
            p2 = std::mem::replace(&mut p1, u.clone());
            out.push(Tagged {
                upos: u,
                xpos: x,
                lemma,
            });
        }
        out
    }

    /// Accuracy on gold-tokenized sentences.
    pub fn evaluate(&self, sentences: &[ConlluSentence]) -> TagScores {
        let morph = Morphology::builtin();
        let (mut n, mut u, mut x, mut l) = (0usize, 0usize, 0usize, 0usize);
        for s in sentences {
            let words: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
            for (t, g) in self.tag(&words, &morph).iter().zip(&s.words) {
                n += 1;
                u += usize::from(t.upos == g.upos);
                x += usize::from(t.xpos == g.xpos);
                l += usize::from(t.lemma == g.lemma);
            }
        }
        let r = |k: usize| if n == 0 { 0.0 } else { k as f64 / n as f64 };
        TagScores {
            words: n,
            upos: r(u),
            xpos: r(x),
            lemma: r(l),
        }
    }

    /// Serialises the model (bincode).
    pub fn to_bytes(&self) -> Result<Vec<u8>, crate::ModelError> {
        bincode::serialize(self).map_err(|e| crate::ModelError::Encode(e.to_string()))
    }

    /// Reads a serialised model.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, crate::ModelError> {
        let m: TaggerModel = bincode::deserialize(bytes).map_err(|e| crate::ModelError::Decode {
            kind: "tagger",
            message: e.to_string(),
        })?;
        if m.version != 1 {
            return Err(crate::ModelError::Version {
                kind: "tagger",
                version: m.version,
            });
        }
        Ok(m)
    }

    /// Writes the model to a file.
    pub fn save(&self, path: &Path) -> Result<(), crate::ModelError> {
        std::fs::write(path, self.to_bytes()?).map_err(|e| crate::ModelError::Write {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }

    /// Number of stored weights (UPOS + XPOS).
    pub fn weights(&self) -> usize {
        self.upos.len() + self.xpos.len()
    }
}

/// The rule-based lemma for a word with a known UPOS.
fn rule_lemma(morph: &Morphology, lower: &str, upos: &str) -> String {
    match upos {
        "VERB" | "AUX" | "NOUN" => morph.lemma(lower),
        _ => lower.to_string(),
    }
}
