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
/// models for identical training runs); in memory, every feature's cells lie in one flat array behind
/// an FxHash index (feature ids are already FNV hashes), which keeps a lookup to two cache lines:
/// SipHash and a heap vector per feature cost ~25% of coding time with the parse.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "WeightsRepr", into = "WeightsRepr")]
pub struct Weights {
    /// Class names, indexed by class id.
    pub classes: Vec<String>,
    cells: Vec<(u16, f32)>,
    /// Feature → (first cell, number of cells).
    index: HashMap<u64, (u32, u32), rustc_hash::FxBuildHasher>,
}

/// The serialised form of [`Weights`].
#[derive(Debug, Clone, Serialize, Deserialize)]
struct WeightsRepr {
    classes: Vec<String>,
    entries: Vec<(u64, Vec<(u16, f32)>)>,
}

impl From<WeightsRepr> for Weights {
    fn from(r: WeightsRepr) -> Self {
        Weights::new(r.classes, r.entries)
    }
}

impl From<Weights> for WeightsRepr {
    fn from(w: Weights) -> Self {
        let entries = w.entries();
        WeightsRepr {
            classes: w.classes,
            entries,
        }
    }
}

impl PartialEq for Weights {
    fn eq(&self, other: &Self) -> bool {
        self.classes == other.classes && self.entries() == other.entries()
    }
}

impl Weights {
    fn new(classes: Vec<String>, mut entries: Vec<(u64, Vec<(u16, f32)>)>) -> Self {
        entries.sort_by_key(|(f, _)| *f);
        let mut cells = Vec::with_capacity(entries.iter().map(|(_, c)| c.len()).sum());
        let mut index = HashMap::with_capacity_and_hasher(entries.len(), rustc_hash::FxBuildHasher);
        for (f, mut c) in entries {
            c.sort_by_key(|(class, _)| *class);
            // A model beyond 4 billion cells could not be loaded anyway (it would not fit in memory).
            index.insert(f, (cells.len() as u32, c.len() as u32));
            cells.extend(c);
        }
        Weights { classes, cells, index }
    }

    /// Weights from (feature, [(class, weight)]) entries, e.g. of another learner.
    pub fn from_entries(classes: Vec<String>, entries: Vec<(u64, Vec<(u16, f32)>)>) -> Self {
        Weights::new(classes, entries)
    }

    /// The (feature, cells) list, sorted by feature: the serialised form.
    fn entries(&self) -> Vec<(u64, Vec<(u16, f32)>)> {
        let mut entries: Vec<(u64, Vec<(u16, f32)>)> = self
            .index
            .iter()
            .map(|(&f, &(start, len))| (f, self.cells[start as usize..(start + len) as usize].to_vec()))
            .collect();
        entries.sort_by_key(|(f, _)| *f);
        entries
    }

    /// Scores of every class for a feature set.
    pub fn scores(&self, features: &[u64]) -> Vec<f32> {
        let mut scores = vec![0f32; self.classes.len()];
        for f in features {
            if let Some(&(start, len)) = self.index.get(f) {
                for &(c, w) in &self.cells[start as usize..(start + len) as usize] {
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
        self.cells.len()
    }

    /// True when nothing was learned.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
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

    /// One ranking step (a single-class model scoring candidates): if the best-scoring candidate
    /// `guess` is not the right one, move the weights towards `truth`'s features and away from
    /// `guess`'s.
    pub fn update_rank(&mut self, truth: &[u64], guess: &[u64]) {
        self.step += 1;
        if truth == guess {
            return;
        }
        if self.classes.is_empty() {
            self.class("score");
        }
        let step = self.step;
        for (features, delta) in [(truth, 1.0f32), (guess, -1.0f32)] {
            for f in features {
                let cells = self.w.entry(*f).or_default();
                if cells.is_empty() {
                    cells.push(Cell {
                        class: 0,
                        w: 0.0,
                        total: 0.0,
                        last: step,
                    });
                }
                let e = &mut cells[0];
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
