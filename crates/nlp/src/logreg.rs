//! Multinomial logistic regression over hashed binary features, trained with AdaGrad and L2
//! regularisation; the result is stored as [`Weights`], so a trained classifier scores exactly like a
//! perceptron. Also a listwise ranker (softmax over a candidate set, one weight vector).

use std::collections::HashMap;

use crate::perceptron::Weights;

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct LogRegConfig {
    /// Passes over the data.
    pub epochs: usize,
    /// AdaGrad base learning rate.
    pub rate: f32,
    /// L2 strength (per example, applied to the weights an example touches).
    pub l2: f32,
    /// Shuffle seed.
    pub seed: u64,
    /// Weights smaller than this are dropped from the model.
    pub min_abs: f32,
    /// Features seen in fewer training examples than this are ignored (they cannot generalise and
    /// only grow the model).
    pub min_count: usize,
}

impl Default for LogRegConfig {
    fn default() -> Self {
        LogRegConfig {
            epochs: 15,
            rate: 0.2,
            l2: 1e-3,
            seed: 11,
            min_abs: 0.1,
            min_count: 3,
        }
    }
}

/// A deterministic shuffler (xorshift64*).
#[derive(Debug, Clone)]
pub struct Shuffle(pub u64);

impl Shuffle {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A random permutation of `0..n`.
    pub fn order(&mut self, n: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
        v
    }
}

struct Param {
    w: Vec<f32>,
    g2: Vec<f32>,
}

fn softmax(scores: &mut [f32]) {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    for s in scores.iter_mut() {
        *s /= sum.max(f32::MIN_POSITIVE);
    }
}

fn finish(classes: Vec<String>, params: HashMap<u64, Param>, min_abs: f32) -> Weights {
    let mut entries: Vec<(u64, Vec<(u16, f32)>)> = params
        .into_iter()
        .filter_map(|(f, p)| {
            let cells: Vec<(u16, f32)> =
                p.w.iter()
                    .enumerate()
                    .filter(|(_, w)| w.abs() >= min_abs)
                    .map(|(c, w)| (c as u16, *w))
                    .collect();
            (!cells.is_empty()).then_some((f, cells))
        })
        .collect();
    entries.sort_by_key(|(f, _)| *f);
    Weights::from_entries(classes, entries)
}

/// The features seen in at least `min` examples.
fn frequent<'a>(examples: impl Iterator<Item = &'a Vec<u64>>, min: usize) -> std::collections::HashSet<u64> {
    let mut counts: HashMap<u64, usize> = HashMap::new();
    for fs in examples {
        for f in fs {
            *counts.entry(*f).or_default() += 1;
        }
    }
    counts.into_iter().filter(|(_, n)| *n >= min).map(|(f, _)| f).collect()
}

/// Trains a classifier on (features, class index) examples; `classes` names the classes.
pub fn train_classifier(classes: Vec<String>, examples: &[(Vec<u64>, usize)], cfg: LogRegConfig) -> Weights {
    let k = classes.len();
    let keep = frequent(examples.iter().map(|(f, _)| f), cfg.min_count);
    let examples: Vec<(Vec<u64>, usize)> = examples
        .iter()
        .map(|(f, c)| (f.iter().copied().filter(|x| keep.contains(x)).collect(), *c))
        .collect();
    let mut params: HashMap<u64, Param> = HashMap::new();
    let mut rng = Shuffle(cfg.seed);
    let mut scores = vec![0f32; k];
    for _ in 0..cfg.epochs {
        for i in rng.order(examples.len()) {
            let (features, truth) = &examples[i];
            scores.iter_mut().for_each(|s| *s = 0.0);
            for f in features {
                if let Some(p) = params.get(f) {
                    for (s, w) in scores.iter_mut().zip(&p.w) {
                        *s += w;
                    }
                }
            }
            softmax(&mut scores);
            for f in features {
                let p = params.entry(*f).or_insert_with(|| Param {
                    w: vec![0.0; k],
                    g2: vec![0.0; k],
                });
                for (c, ((w, g2), score)) in p.w.iter_mut().zip(p.g2.iter_mut()).zip(&scores).enumerate() {
                    let y = if c == *truth { 1.0 } else { 0.0 };
                    let g = score - y + cfg.l2 * *w;
                    if g == 0.0 {
                        continue;
                    }
                    *g2 += g * g;
                    *w -= cfg.rate * g / (g2.sqrt() + 1e-6);
                }
            }
        }
    }
    finish(classes, params, cfg.min_abs)
}

/// Trains a listwise ranker: each example is a candidate set (features of each) and the indices of
/// the right candidates (any of them is right). One class, "score".
pub fn train_ranker(examples: &[(Vec<Vec<u64>>, Vec<usize>)], cfg: LogRegConfig) -> Weights {
    let keep = frequent(examples.iter().flat_map(|(c, _)| c.iter()), cfg.min_count);
    let examples: Vec<(Vec<Vec<u64>>, Vec<usize>)> = examples
        .iter()
        .map(|(c, g)| {
            let c = c
                .iter()
                .map(|f| f.iter().copied().filter(|x| keep.contains(x)).collect())
                .collect();
            (c, g.clone())
        })
        .collect();
    let examples = &examples[..];
    let mut params: HashMap<u64, Param> = HashMap::new();
    let mut rng = Shuffle(cfg.seed);
    for _ in 0..cfg.epochs {
        for i in rng.order(examples.len()) {
            let (cands, gold) = &examples[i];
            if cands.is_empty() || gold.is_empty() {
                continue;
            }
            let mut scores: Vec<f32> = cands
                .iter()
                .map(|fs| fs.iter().filter_map(|f| params.get(f)).map(|p| p.w[0]).sum())
                .collect();
            softmax(&mut scores);
            // The target distribution spreads over the right candidates in proportion to the model.
            let right: f32 = gold.iter().map(|&g| scores[g]).sum::<f32>().max(f32::MIN_POSITIVE);
            let mut grad: HashMap<u64, f32> = HashMap::new();
            for (j, fs) in cands.iter().enumerate() {
                let y = if gold.contains(&j) { scores[j] / right } else { 0.0 };
                let g = scores[j] - y;
                if g == 0.0 {
                    continue;
                }
                for f in fs {
                    *grad.entry(*f).or_default() += g;
                }
            }
            let mut keys: Vec<u64> = grad.keys().copied().collect();
            keys.sort_unstable();
            for f in keys {
                let p = params.entry(f).or_insert_with(|| Param {
                    w: vec![0.0],
                    g2: vec![0.0],
                });
                let g = grad[&f] + cfg.l2 * p.w[0];
                p.g2[0] += g * g;
                p.w[0] -= cfg.rate * g / (p.g2[0].sqrt() + 1e-6);
            }
        }
    }
    finish(vec!["score".to_string()], params, cfg.min_abs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_problem_and_ranks() {
        // Class 0 when feature 1 is on, class 1 when feature 2 is on; feature 3 is noise.
        let ex: Vec<(Vec<u64>, usize)> = (0..50)
            .map(|i| if i % 2 == 0 { (vec![1, 3], 0) } else { (vec![2, 3], 1) })
            .collect();
        let w = train_classifier(vec!["a".into(), "b".into()], &ex, LogRegConfig::default());
        assert_eq!(w.predict(&[1, 3]), 0);
        assert_eq!(w.predict(&[2, 3]), 1);
        // The candidate with feature 7 is always the right one.
        let rank: Vec<(Vec<Vec<u64>>, Vec<usize>)> =
            (0..40).map(|_| (vec![vec![5], vec![7, 5], vec![6]], vec![1])).collect();
        let r = train_ranker(&rank, LogRegConfig::default());
        let s: Vec<f32> = [vec![5u64], vec![7, 5], vec![6]]
            .iter()
            .map(|f| r.scores(f)[0])
            .collect();
        assert!(s[1] > s[0] && s[1] > s[2], "{s:?}");
    }
}
