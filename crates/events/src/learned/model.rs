//! The trained event model: a trigger classifier (no event, or one of the 16 PLOVER types), a CAMEO
//! code classifier, and source and target rankers over the sentence's actor mentions — averaged
//! perceptrons over hashed features (`tocsin train events`, weights in `models/events.bin`).

use serde::{Deserialize, Serialize};
use tocsin_doc::PloverType;
use tocsin_nlp::perceptron::Weights;

/// Version of the feature set: a model trained on other features is refused.
pub const FEATURE_VERSION: u32 = 5;

/// The class of "no event".
pub const NONE: &str = "NONE";

/// The words a trigger can be: every word gold used as a trigger in training, the words of the
/// 1,024-cluster of each (their nearest neighbours by vector), and — checked apart — lexicon matches and
/// the CAMEO verb dictionary's forms. A word outside it is no candidate ("everything", "facto").
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Inventory {
    /// Vocabulary words (sorted).
    pub words: Vec<String>,
    /// 1,024-clusters (sorted).
    pub clusters: Vec<u16>,
}

impl Inventory {
    /// Whether a word (its vocabulary form and cluster) is in the inventory.
    pub fn holds(&self, base: &str, cluster: Option<u16>) -> bool {
        self.words.binary_search_by(|w| w.as_str().cmp(base)).is_ok()
            || cluster.is_some_and(|c| self.clusters.binary_search(&c).is_ok())
    }
}

/// The four trained parts and their decision settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EventModel {
    /// [`FEATURE_VERSION`] at training time.
    pub version: u32,
    /// The words that can be triggers.
    pub inventory: Inventory,
    /// Trigger classes: [`NONE`] and the PLOVER type names.
    pub trigger: Weights,
    /// Per PLOVER type, a classifier over the CAMEO codes the training data used for it.
    pub cameo: Vec<(String, Weights)>,
    /// Source ranker (one class: the score).
    pub source: Weights,
    /// Target ranker.
    pub target: Weights,
    /// The sector of an implied source ("was arrested" → POL), or NONE; for events whose source is
    /// no mention.
    pub implied: Weights,
    /// Added to the NONE score: higher trades recall for precision (tuned on dev).
    pub none_bias: f32,
    /// Per-class offsets added to the trigger scores (by class index; empty = none), tuned on dev.
    #[serde(default)]
    pub class_bias: Vec<f32>,
    /// How far below "no event" the score of the lexicon's type may fall and the lexicon still win
    /// (rules as overrides in close calls; tuned on dev, 0 = never).
    pub rule_margin: f32,
}

/// A trigger decision: the type (None = no event) and the margin of the winner over the runner-up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// The event type, if any.
    pub kind: Option<PloverType>,
    /// Best minus second-best score (a confidence proxy).
    pub margin: f32,
}

impl EventModel {
    /// Reads a serialised model, refusing other feature versions (retrain it with `tocsin train
    /// events`).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, tocsin_nlp::ModelError> {
        let m: EventModel = bincode::deserialize(bytes).map_err(|e| tocsin_nlp::ModelError::Decode {
            kind: "event",
            message: e.to_string(),
        })?;
        if m.version != FEATURE_VERSION {
            return Err(tocsin_nlp::ModelError::Version {
                kind: "event",
                version: m.version,
            });
        }
        Ok(m)
    }

    /// Serialises the model.
    pub fn to_bytes(&self) -> Vec<u8> {
        bincode::serialize(self).unwrap_or_default()
    }

    /// The trigger scores with the decision settings added (the NONE bias, the per-class offsets).
    pub fn biased_scores(&self, features: &[u64]) -> Vec<f32> {
        let mut scores = self.trigger.scores(features);
        if let Some(n) = self.trigger.classes.iter().position(|c| c == NONE) {
            scores[n] += self.none_bias;
        }
        for (s, b) in scores.iter_mut().zip(&self.class_bias) {
            *s += b;
        }
        scores
    }

    /// The trigger decision for a candidate's features.
    pub fn decide(&self, features: &[u64]) -> Decision {
        self.decide_scored(&self.biased_scores(features), None)
    }

    /// The decision with the rule lexicon's reading of the token (`rule`, the type its match stands
    /// for) as a tie-breaker: when the model scores the rule's type within `rule_margin` of its own
    /// choice (no event, or another type), the rule's type wins.
    pub fn decide_with_rule(&self, features: &[u64], rule: Option<PloverType>) -> Decision {
        self.decide_scored(&self.biased_scores(features), rule)
    }

    /// [`EventModel::decide_with_rule`] on scores already computed by [`EventModel::biased_scores`].
    pub fn decide_scored(&self, scores: &[f32], rule: Option<PloverType>) -> Decision {
        let best = tocsin_nlp::perceptron::argmax(scores);
        let second = scores
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != best)
            .map(|(_, s)| *s)
            .fold(f32::NEG_INFINITY, f32::max);
        let kind = self
            .trigger
            .classes
            .get(best)
            .and_then(|c| c.parse::<PloverType>().ok());
        let d = Decision {
            kind,
            margin: scores[best] - second,
        };
        let Some(rule) = rule else { return d };
        if self.rule_margin <= 0.0 || d.kind == Some(rule) {
            return d;
        }
        let Some(r) = self.trigger.classes.iter().position(|c| c == rule.as_str()) else {
            return d;
        };
        if scores[r] + self.rule_margin >= scores[best] {
            Decision {
                kind: Some(rule),
                margin: 0.0,
            }
        } else {
            d
        }
    }

    /// The best CAMEO code for an event of type `kind`, among the codes training used for that type.
    pub fn cameo_code(&self, features: &[u64], kind: PloverType) -> Option<String> {
        let (_, w) = self.cameo.iter().find(|(k, _)| k == kind.as_str())?;
        let best = w.predict(features);
        w.classes.get(best).cloned()
    }

    /// The sector of the implied source of an event of type `kind` (None: nobody), from the
    /// trigger's core features.
    pub fn implied_sector(&self, core: &[u64], kind: PloverType) -> Option<String> {
        let mut f = core.to_vec();
        super::features::implied_features(kind.as_str(), &mut f);
        let best = self.implied.predict(&f);
        self.implied.classes.get(best).filter(|c| *c != NONE).cloned()
    }

    /// Number of CAMEO weights over all types.
    pub fn cameo_len(&self) -> usize {
        self.cameo.iter().map(|(_, w)| w.len()).sum()
    }
}

/// Index of the best-scoring candidate under a ranker (the first on ties).
pub fn best(ranker: &Weights, candidates: &[Vec<u64>]) -> usize {
    let scores: Vec<f32> = candidates
        .iter()
        .map(|f| ranker.scores(f).first().copied().unwrap_or(0.0))
        .collect();
    tocsin_nlp::perceptron::argmax(&scores)
}
