//! A labelled dependency parser: arc-hybrid transitions, averaged perceptron, and the dynamic
//! oracle of Goldberg & Nivre (2013) with exploration after the first epoch.

use serde::{Deserialize, Serialize};

use crate::conllu::ConlluSentence;
use crate::perceptron::{feature_id, Trainer, Weights};
use crate::util::XorShift;

/// Shift, or an arc with a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Move {
    Shift,
    Left,
    Right,
}

/// A trained parser.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ParserModel {
    /// Format version.
    pub version: u32,
    weights: Weights,
}

/// Parser training settings.
#[derive(Debug, Clone, Copy)]
pub struct ParserConfig {
    /// Passes over the data.
    pub epochs: usize,
    /// Shuffle and exploration seed.
    pub seed: u64,
    /// Probability of following the model's own (possibly wrong) move after epoch 1.
    pub explore: f64,
}

impl Default for ParserConfig {
    fn default() -> Self {
        ParserConfig {
            epochs: 10,
            seed: 1,
            explore: 0.5,
        }
    }
}

/// Attachment scores.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ParseScores {
    /// Words scored (punctuation included).
    pub words: usize,
    /// Unlabelled attachment score.
    pub uas: f64,
    /// Labelled attachment score.
    pub las: f64,
}

/// Words of a sentence with their (predicted or gold) UPOS, index 0 = ROOT.
struct Sent<'a> {
    forms: Vec<String>,
    tags: Vec<&'a str>,
}

struct State {
    stack: Vec<usize>,
    buffer: usize,
    n: usize,
    heads: Vec<usize>,
    labels: Vec<String>,
    lefts: Vec<Vec<usize>>,
    rights: Vec<Vec<usize>>,
}

impl State {
    fn new(n: usize) -> Self {
        State {
            stack: vec![0],
            buffer: 1,
            n,
            heads: vec![usize::MAX; n],
            labels: vec![String::new(); n],
            lefts: vec![Vec::new(); n],
            rights: vec![Vec::new(); n],
        }
    }
    fn done(&self) -> bool {
        self.buffer >= self.n && self.stack.len() == 1
    }
    fn valid(&self, m: Move) -> bool {
        match m {
            Move::Shift => self.buffer < self.n,
            Move::Left => self.buffer < self.n && self.stack.len() > 1,
            Move::Right => self.stack.len() > 1 && (self.stack.len() > 2 || self.buffer >= self.n),
        }
    }
    fn apply(&mut self, m: Move, label: &str) {
        match m {
            Move::Shift => {
                self.stack.push(self.buffer);
                self.buffer += 1;
            }
            Move::Left | Move::Right => {
                let s0 = self.stack.pop().unwrap_or(0);
                let head = if m == Move::Left {
                    self.buffer
                } else {
                    *self.stack.last().unwrap_or(&0)
                };
                self.heads[s0] = head;
                self.labels[s0] = label.to_string();
                if s0 < head {
                    self.lefts[head].push(s0);
                } else {
                    self.rights[head].push(s0);
                }
            }
        }
    }
    /// Dynamic-oracle cost of a move against gold heads (arc-hybrid, projective gold).
    fn cost(&self, m: Move, gold: &[usize]) -> usize {
        let s0 = *self.stack.last().unwrap_or(&0);
        let deps_in_buffer = |x: usize| (self.buffer..self.n).filter(|&d| gold[d] == x).count();
        match m {
            Move::Left => {
                let s1 = self.stack.len().checked_sub(2).map(|i| self.stack[i]);
                deps_in_buffer(s0) + usize::from(Some(gold[s0]) == s1 || (gold[s0] > self.buffer && gold[s0] < self.n))
            }
            Move::Right => deps_in_buffer(s0) + usize::from(gold[s0] >= self.buffer && gold[s0] < self.n),
            Move::Shift => {
                let b = self.buffer;
                let below = &self.stack[..self.stack.len().saturating_sub(1)];
                self.stack.iter().filter(|&&d| gold[d] == b).count() + usize::from(below.contains(&gold[b]))
            }
        }
    }
}

fn features(st: &State, s: &Sent) -> Vec<u64> {
    let n = st.n;
    let w = |i: Option<usize>| i.map_or("<none>", |i| if i == 0 { "<root>" } else { s.forms[i].as_str() });
    let t = |i: Option<usize>| i.map_or("<none>", |i| s.tags[i]);
    let lab = |i: Option<usize>| {
        i.map_or("<none>", |i| {
            if st.labels[i].is_empty() {
                "<nolab>"
            } else {
                st.labels[i].as_str()
            }
        })
    };
    let s0 = st.stack.last().copied();
    let s1 = st.stack.len().checked_sub(2).map(|i| st.stack[i]);
    let s2 = st.stack.len().checked_sub(3).map(|i| st.stack[i]);
    let b0 = (st.buffer < n).then_some(st.buffer);
    let b1 = (st.buffer + 1 < n).then_some(st.buffer + 1);
    let b2 = (st.buffer + 2 < n).then_some(st.buffer + 2);
    let lc = |i: Option<usize>| i.and_then(|i| st.lefts[i].first().copied());
    let rc = |i: Option<usize>| i.and_then(|i| st.rights[i].last().copied());
    let dist = match (s0, b0) {
        (Some(a), Some(b)) => (b - a).min(5).to_string(),
        _ => "-".into(),
    };
    let val = |i: Option<usize>, left: bool| {
        i.map_or("-".to_string(), |i| {
            if left { st.lefts[i].len() } else { st.rights[i].len() }
                .min(3)
                .to_string()
        })
    };
    vec![
        feature_id(&["bias"]),
        feature_id(&["s0w", w(s0)]),
        feature_id(&["s0t", t(s0)]),
        feature_id(&["s0wt", w(s0), t(s0)]),
        feature_id(&["s1w", w(s1)]),
        feature_id(&["s1t", t(s1)]),
        feature_id(&["s2t", t(s2)]),
        feature_id(&["b0w", w(b0)]),
        feature_id(&["b0t", t(b0)]),
        feature_id(&["b0wt", w(b0), t(b0)]),
        feature_id(&["b1w", w(b1)]),
        feature_id(&["b1t", t(b1)]),
        feature_id(&["b2t", t(b2)]),
        feature_id(&["s0w b0w", w(s0), w(b0)]),
        feature_id(&["s0t b0t", t(s0), t(b0)]),
        feature_id(&["s0wt b0t", w(s0), t(s0), t(b0)]),
        feature_id(&["s0t b0wt", t(s0), w(b0), t(b0)]),
        feature_id(&["s1t s0t", t(s1), t(s0)]),
        feature_id(&["s1t s0t b0t", t(s1), t(s0), t(b0)]),
        feature_id(&["s0t b0t b1t", t(s0), t(b0), t(b1)]),
        feature_id(&["b0t b1t b2t", t(b0), t(b1), t(b2)]),
        feature_id(&["s2t s1t s0t", t(s2), t(s1), t(s0)]),
        feature_id(&["s0 lc", t(lc(s0)), lab(lc(s0)), t(s0)]),
        feature_id(&["s0 rc", t(rc(s0)), lab(rc(s0)), t(s0)]),
        feature_id(&["b0 lc", t(lc(b0)), lab(lc(b0)), t(b0)]),
        feature_id(&["s1 rc", t(rc(s1)), lab(rc(s1)), t(s1)]),
        feature_id(&["dist", &dist, t(s0), t(b0)]),
        feature_id(&["dist w", &dist, w(s0), w(b0)]),
        feature_id(&["val", &val(s0, true), &val(s0, false), t(s0)]),
        feature_id(&["valb", &val(b0, true), t(b0)]),
        feature_id(&["s1w s0w", w(s1), w(s0)]),
        feature_id(&["s0w b1t", w(s0), t(b1)]),
        feature_id(&["s0wt b0wt", w(s0), t(s0), w(b0), t(b0)]),
        feature_id(&["s0w b0wt", w(s0), w(b0), t(b0)]),
        feature_id(&["s0wt b0w", w(s0), t(s0), w(b0)]),
        feature_id(&["s1wt s0wt", w(s1), t(s1), t(s0)]),
        feature_id(&["b0w b1t", w(b0), t(b1)]),
        feature_id(&["b0 lc2", t(i2(&st.lefts, b0)), lab(i2(&st.lefts, b0)), t(b0)]),
        feature_id(&["s0 rc2", t(r2(&st.rights, s0)), lab(r2(&st.rights, s0)), t(s0)]),
        feature_id(&["s0 labels", &labels_of(st, s0, true), &labels_of(st, s0, false)]),
        feature_id(&["b0 labels", &labels_of(st, b0, true)]),
    ]
}

/// Second-leftmost child.
fn i2(children: &[Vec<usize>], i: Option<usize>) -> Option<usize> {
    i.and_then(|i| children[i].get(1).copied())
}

/// Second-rightmost child.
fn r2(children: &[Vec<usize>], i: Option<usize>) -> Option<usize> {
    i.and_then(|i| children[i].len().checked_sub(2).map(|k| children[i][k]))
}

/// The labels of a token's left or right children, joined.
fn labels_of(st: &State, i: Option<usize>, left: bool) -> String {
    i.map_or(String::new(), |i| {
        let kids = if left { &st.lefts[i] } else { &st.rights[i] };
        let mut ls: Vec<&str> = kids.iter().map(|&k| st.labels[k].as_str()).collect();
        ls.sort_unstable();
        ls.dedup();
        ls.join(",")
    })
}

fn decode(class: &str) -> (Move, &str) {
    match class.split_once(':') {
        Some(("L", l)) => (Move::Left, l),
        Some(("R", l)) => (Move::Right, l),
        _ => (Move::Shift, ""),
    }
}

fn projective(heads: &[usize]) -> bool {
    for d in 1..heads.len() {
        let (a, b) = (d.min(heads[d]), d.max(heads[d]));
        for k in a + 1..b {
            let mut h = heads[k];
            let mut steps = 0;
            while h != 0 && (h > a && h < b) && steps < heads.len() {
                h = heads[h];
                steps += 1;
            }
            if h != a && h != b && !(h > a && h < b) {
                return false;
            }
        }
    }
    true
}

impl ParserModel {
    /// Trains on CoNLL-U sentences (non-projective trees are skipped), using their UPOS tags.
    pub fn train(sentences: &[ConlluSentence], cfg: ParserConfig) -> Self {
        let mut trainer = Trainer::default();
        trainer.class("SH");
        let mut labels: Vec<String> = sentences
            .iter()
            .flat_map(|s| s.words.iter().map(|w| w.deprel.clone()))
            .collect();
        labels.sort();
        labels.dedup();
        for l in &labels {
            trainer.class(&format!("L:{l}"));
            trainer.class(&format!("R:{l}"));
        }
        let classes: Vec<String> = trainer.classes().to_vec();
        let data: Vec<(Sent, Vec<usize>, Vec<&str>)> = sentences
            .iter()
            .filter_map(|s| {
                let mut heads = vec![0];
                heads.extend(s.words.iter().map(|w| w.head));
                if heads.iter().any(|&h| h >= heads.len()) || !projective(&heads) {
                    return None;
                }
                let mut forms = vec!["<root>".to_string()];
                forms.extend(s.words.iter().map(|w| w.form.to_lowercase()));
                let mut tags = vec!["ROOT"];
                tags.extend(s.words.iter().map(|w| w.upos.as_str()));
                let mut gold_labels = vec![""];
                gold_labels.extend(s.words.iter().map(|w| w.deprel.as_str()));
                Some((Sent { forms, tags }, heads, gold_labels))
            })
            .collect();
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut rng = XorShift::new(cfg.seed);
        for epoch in 0..cfg.epochs {
            rng.shuffle(&mut order);
            for &di in &order {
                let (sent, gold, gold_labels) = &data[di];
                let mut st = State::new(sent.forms.len());
                let mut steps = 0;
                while !st.done() && steps < 4 * st.n {
                    steps += 1;
                    let f = features(&st, sent);
                    let scores = trainer.scores(&f);
                    let s0 = st.stack.last().copied().unwrap_or(0);
                    let zero_cost = |c: usize| -> bool {
                        let (m, l) = decode(&classes[c]);
                        if !st.valid(m) || st.cost(m, gold) > 0 {
                            return false;
                        }
                        // The arc's label must be gold when the arc is.
                        let head = match m {
                            Move::Left => st.buffer,
                            Move::Right => st.stack.len().checked_sub(2).map_or(0, |i| st.stack[i]),
                            Move::Shift => return true,
                        };
                        gold[s0] != head || l == gold_labels[s0]
                    };
                    let valid = |c: usize| st.valid(decode(&classes[c]).0);
                    let best_valid = (0..classes.len())
                        .filter(|&c| valid(c))
                        .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)));
                    let best_gold = (0..classes.len())
                        .filter(|&c| zero_cost(c))
                        .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)));
                    let (Some(pred), Some(oracle)) = (best_valid, best_gold) else {
                        break;
                    };
                    trainer.update(&f, oracle, pred);
                    let explore = epoch > 0 && (rng.next() % 1000) as f64 / 1000.0 < cfg.explore;
                    let chosen = if pred == oracle || !explore { oracle } else { pred };
                    let (m, l) = decode(&classes[chosen]);
                    st.apply(m, l);
                }
            }
        }
        ParserModel {
            version: 1,
            weights: trainer.finish(0.05),
        }
    }

    /// Parses words with their UPOS tags: (head, label) per word (heads 1-based, 0 = root).
    pub fn parse(&self, words: &[String], tags: &[&str]) -> Vec<(usize, String)> {
        let mut forms = vec!["<root>".to_string()];
        forms.extend(words.iter().map(|w| w.to_lowercase()));
        let mut t = vec!["ROOT"];
        t.extend(tags.iter().copied());
        let sent = Sent { forms, tags: t };
        let mut st = State::new(sent.forms.len());
        let classes = &self.weights.classes;
        let mut steps = 0;
        while !st.done() && steps < 4 * st.n + 4 {
            steps += 1;
            let scores = self.weights.scores(&features(&st, &sent));
            let best = (0..classes.len())
                .filter(|&c| st.valid(decode(&classes[c]).0))
                .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)));
            let Some(c) = best else { break };
            let (m, l) = decode(&classes[c]);
            st.apply(m, l);
        }
        (1..st.n)
            .map(|i| {
                (
                    if st.heads[i] == usize::MAX { 0 } else { st.heads[i] },
                    if st.labels[i].is_empty() {
                        "dep".to_string()
                    } else {
                        st.labels[i].clone()
                    },
                )
            })
            .collect()
    }

    /// UAS/LAS against gold trees, with the given tags for each sentence's words.
    pub fn evaluate(&self, sentences: &[ConlluSentence], tags: &[Vec<String>]) -> ParseScores {
        let (mut n, mut u, mut l) = (0, 0, 0);
        for (s, tg) in sentences.iter().zip(tags) {
            let words: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
            let tag_refs: Vec<&str> = tg.iter().map(String::as_str).collect();
            for ((h, lab), g) in self.parse(&words, &tag_refs).iter().zip(&s.words) {
                n += 1;
                if *h == g.head {
                    u += 1;
                    l += usize::from(*lab == g.deprel);
                }
            }
        }
        let r = |k: usize| if n == 0 { 0.0 } else { k as f64 / n as f64 };
        ParseScores {
            words: n,
            uas: r(u),
            las: r(l),
        }
    }

    /// Serialises the model (bincode).
    pub fn to_bytes(&self) -> Result<Vec<u8>, crate::ModelError> {
        bincode::serialize(self).map_err(|e| crate::ModelError::Encode(e.to_string()))
    }

    /// Reads a serialised model.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, crate::ModelError> {
        bincode::deserialize(bytes).map_err(|e| crate::ModelError::Decode {
            kind: "parser",
            message: e.to_string(),
        })
    }
}
