//! A multi-class averaged perceptron over hashed features (Collins 2002), with lazy averaging.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// Hashes a feature string (FNV-1a, 64 bit): stable across runs and platforms.
pub fn feature_id(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in p.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Index of the highest score (the first on ties).
pub fn argmax(scores: &[f32]) -> usize {
    scores
        .iter()
        .enumerate()
        .fold(0, |best, (i, s)| if *s > scores[best] { i } else { best })
}

/// Trained weights: feature → (class, weight) pairs. Serialised as a sorted list (byte-identical
/// models for identical training runs); the hash index is rebuilt on load.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Weights {
    /// Class names, indexed by class id.
    pub classes: Vec<String>,
    entries: Vec<(u64, Vec<(u16, f32)>)>,
    /// Feature → entry. Feature ids are already FNV hashes, so a cheap hasher suffices (SipHash
    /// was 7% of coding time with the parse).
    #[serde(skip)]
    index: HashMap<u64, usize, rustc_hash::FxBuildHasher>,
}

impl PartialEq for Weights {
    fn eq(&self, other: &Self) -> bool {
        self.classes == other.classes && self.entries == other.entries
    }
}

impl Weights {
    fn new(classes: Vec<String>, mut entries: Vec<(u64, Vec<(u16, f32)>)>) -> Self {
        entries.sort_by_key(|(f, _)| *f);
        for (_, cells) in &mut entries {
            cells.sort_by_key(|(c, _)| *c);
        }
        let mut w = Weights {
            classes,
            entries,
            index: HashMap::default(),
        };
        w.reindex();
        w
    }

    /// Rebuilds the lookup index (after deserialisation).
    pub fn reindex(&mut self) {
        self.index = self.entries.iter().enumerate().map(|(i, (f, _))| (*f, i)).collect();
    }

    /// Scores of every class for a feature set.
    pub fn scores(&self, features: &[u64]) -> Vec<f32> {
        let mut scores = vec![0f32; self.classes.len()];
        for f in features {
            if let Some(&i) = self.index.get(f) {
                for &(c, w) in &self.entries[i].1 {
                    scores[c as usize] += w;
                }
            }
        }
        scores
    }

    /// The best class for a feature set.
    pub fn predict(&self, features: &[u64]) -> usize {
        argmax(&self.scores(features))
    }

    /// Number of stored (feature, class) weights.
    pub fn len(&self) -> usize {
        self.entries.iter().map(|(_, c)| c.len()).sum()
    }

    /// True when nothing was learned.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[derive(Debug, Clone, Copy)]
struct Cell {
    class: u16,
    w: f32,
    total: f32,
    last: u64,
}

/// A perceptron being trained: per feature, the classes it has weights for.
#[derive(Debug, Default)]
pub struct Trainer {
    classes: Vec<String>,
    index: HashMap<String, usize>,
    w: HashMap<u64, Vec<Cell>>,
    step: u64,
}

impl Trainer {
    /// The id of a class, adding it if new.
    pub fn class(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.classes.push(name.to_string());
        self.index.insert(name.to_string(), self.classes.len() - 1);
        self.classes.len() - 1
    }

    /// Class names so far.
    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    /// Current (non-averaged) scores of every class.
    pub fn scores(&self, features: &[u64]) -> Vec<f32> {
        let mut scores = vec![0f32; self.classes.len().max(1)];
        for f in features {
            for cell in self.w.get(f).map_or(&[][..], Vec::as_slice) {
                scores[cell.class as usize] += cell.w;
            }
        }
        scores
    }

    /// Current (non-averaged) prediction.
    pub fn predict(&self, features: &[u64]) -> usize {
        argmax(&self.scores(features))
    }

    /// One training step: if `guess` is wrong, move weights towards `truth`.
    pub fn update(&mut self, features: &[u64], truth: usize, guess: usize) {
        self.step += 1;
        if truth == guess {
            return;
        }
        let step = self.step;
        for f in features {
            let cells = self.w.entry(*f).or_default();
            for (c, delta) in [(truth, 1.0f32), (guess, -1.0f32)] {
                let i = match cells.iter().position(|x| x.class as usize == c) {
                    Some(i) => i,
                    None => {
                        cells.push(Cell {
                            class: c as u16,
                            w: 0.0,
                            total: 0.0,
                            last: step,
                        });
                        cells.len() - 1
                    }
                };
                let e = &mut cells[i];
                e.total += (step - e.last) as f32 * e.w;
                e.last = step;
                e.w += delta;
            }
        }
    }

    /// Averaged weights, dropping those below `min_abs` (keeps the model small).
    pub fn finish(self, min_abs: f32) -> Weights {
        let step = self.step.max(1);
        let mut weights: Vec<(u64, Vec<(u16, f32)>)> = Vec::new();
        for (f, cells) in self.w {
            let kept: Vec<(u16, f32)> = cells
                .into_iter()
                .map(|e| (e.class, (e.total + (step - e.last) as f32 * e.w) / step as f32))
                .filter(|(_, avg)| avg.abs() >= min_abs)
                .collect();
            if !kept.is_empty() {
                weights.push((f, kept));
            }
        }
        Weights::new(self.classes, weights)
    }
}
