//! Training the event model from annotated documents (deterministic: documents in the given order,
//! epochs shuffled by a fixed-seed generator).

use tocsin_doc::{Document, PloverType};
use tocsin_nlp::logreg::{train_classifier, train_ranker as fit_ranker, LogRegConfig};

use super::features::{is_candidate, role_features, trigger_features, RoleFrame, SentenceFacts};
use super::model::{EventModel, FEATURE_VERSION, NONE};
use crate::assemble::SentenceContext;
use crate::{EventCoder, TriggerMatch};

/// One gold event, located on the document's tokens and mentions.
#[derive(Debug, Clone)]
pub struct GoldAct {
    /// Sentence of the trigger.
    pub sentence: usize,
    /// Tokens of the trigger (the first is its head).
    pub trigger: Vec<usize>,
    /// Tokens of other words reporting the same act.
    pub also: Vec<usize>,
    /// PLOVER type.
    pub kind: PloverType,
    /// CAMEO code.
    pub cameo: String,
    /// Mentions that are (part of) a gold source; empty with `source_given` = the source is unknown.
    pub sources: Vec<usize>,
    /// Whether gold names a source at all (with or without a span).
    pub source_given: bool,
    /// The sector of a source gold gives without a span (implied: "was arrested" → POL), "" for a
    /// bare country.
    pub implied_source: Option<String>,
    /// Mentions that are (part of) a gold target.
    pub targets: Vec<usize>,
    /// Whether gold names a target.
    pub target_given: bool,
}

/// A document analysed by the pipeline (with every sentence parsed) and its gold events.
pub struct TrainDoc {
    /// The analysed document.
    pub doc: Document,
    /// Its gold events.
    pub acts: Vec<GoldAct>,
    /// How many times its examples count (full articles and wire sentences weigh more than the
    /// summaries that dominate the corpus: their style is what the coder meets most in production).
    pub weight: usize,
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// Passes over the data.
    pub epochs: usize,
    /// Shuffling seed.
    pub seed: u64,
    /// L2 regularisation strength.
    pub l2: f32,
    /// Features seen in fewer examples are ignored.
    pub min_count: usize,
    /// Smaller weights are dropped from the model.
    pub min_weight: f32,
    /// Fixed decision settings (NONE bias, rule margin) instead of tuning them on dev: for a final
    /// model trained on train and dev together.
    pub fixed: Option<(f32, f32, Vec<f32>)>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        let lr = LogRegConfig::default();
        TrainConfig {
            epochs: 12,
            seed: 17,
            l2: 1e-2, // chosen on dev (the `train events` default)
            min_count: lr.min_count,
            min_weight: lr.min_abs,
            fixed: None,
        }
    }
}

impl TrainConfig {
    fn logreg(&self, salt: u64) -> LogRegConfig {
        LogRegConfig {
            epochs: self.epochs,
            seed: self.seed ^ salt,
            l2: self.l2,
            min_count: self.min_count,
            min_abs: self.min_weight,
            ..LogRegConfig::default()
        }
    }
}

/// Token-level figures of a trigger classifier on held-out candidates.
#[derive(Debug, Clone, Copy, Default)]
pub struct TriggerFigures {
    /// Candidates labelled with a type.
    pub gold: usize,
    /// Candidates predicted with a type.
    pub predicted: usize,
    /// Predicted with the right type.
    pub correct: usize,
}

impl TriggerFigures {
    /// F1 of typed candidates.
    pub fn f1(&self) -> f64 {
        tocsin_nlp::prf(self.correct, self.predicted, self.correct, self.gold).2
    }
}

struct RoleExample {
    candidates: Vec<Vec<u64>>,
    gold: Vec<usize>,
    /// The rule finders' choice (0 = nobody).
    rule: usize,
}

/// How often the rankers and the rule finders pick a right candidate, given the gold trigger.
#[derive(Debug, Clone, Copy, Default)]
pub struct RoleFigures {
    /// Source examples.
    pub sources: usize,
    /// Right sources, learned.
    pub source_learned: usize,
    /// Right sources, rules.
    pub source_rules: usize,
    /// Target examples.
    pub targets: usize,
    /// Right targets, learned.
    pub target_learned: usize,
    /// Right targets, rules.
    pub target_rules: usize,
    /// Sources where the ranker chose nobody and the rules someone: how many, and how often the rules
    /// were right there (the case for letting the rules fill an empty role).
    pub source_filled: (usize, usize),
    /// The same for targets.
    pub target_filled: (usize, usize),
}

/// Role accuracy of `model` against the rule finders on documents (gold triggers).
pub fn role_figures(coder: &EventCoder, model: &EventModel, docs: &[TrainDoc]) -> RoleFigures {
    let (_, src, tgt) = act_examples(coder, docs);
    let mut f = RoleFigures::default();
    for e in &src {
        f.sources += 1;
        let best = super::model::best(&model.source, &e.candidates);
        f.source_learned += usize::from(e.gold.contains(&best));
        f.source_rules += usize::from(e.gold.contains(&e.rule));
        if best == 0 && e.rule != 0 {
            f.source_filled.0 += 1;
            f.source_filled.1 += usize::from(e.gold.contains(&e.rule));
        }
    }
    for e in &tgt {
        f.targets += 1;
        let best = super::model::best(&model.target, &e.candidates);
        f.target_learned += usize::from(e.gold.contains(&best));
        f.target_rules += usize::from(e.gold.contains(&e.rule));
        if best == 0 && e.rule != 0 {
            f.target_filled.0 += 1;
            f.target_filled.1 += usize::from(e.gold.contains(&e.rule));
        }
    }
    f
}

/// The trigger inventory of training documents: the vocabulary words of every gold trigger word and
/// their 1,024-clusters.
pub fn inventory(coder: &EventCoder, docs: &[TrainDoc]) -> super::model::Inventory {
    let mut words = std::collections::BTreeSet::new();
    let mut clusters = std::collections::BTreeSet::new();
    for td in docs {
        for a in &td.acts {
            let facts = SentenceFacts::of(&td.doc, a.sentence, coder.knowledge());
            for &t in a.trigger.iter().chain(&a.also) {
                if !facts.range.contains(&t) {
                    continue;
                }
                let w = facts.word(t);
                words.insert(w.base.clone());
                if let Some(c) = w.cluster {
                    clusters.insert(c);
                }
            }
        }
    }
    super::model::Inventory {
        words: words.into_iter().collect(),
        clusters: clusters.into_iter().collect(),
    }
}

/// The trigger examples of documents: (features, class name).
fn trigger_examples(
    coder: &EventCoder,
    docs: &[TrainDoc],
    inventory: &super::model::Inventory,
) -> Vec<(Vec<u64>, String)> {
    let mut out = Vec::new();
    for td in docs {
        let doc = &td.doc;
        for s in 0..doc.sentences.len() {
            let facts = SentenceFacts::of(doc, s, coder.knowledge());
            for i in doc.sentences[s].tokens.clone() {
                if !is_candidate(doc, &facts, i, coder.knowledge().lexical, Some(inventory)) {
                    continue;
                }
                // A casualty word in a sentence with an assault reports that assault ("… are killed
                // in rebel attacks"): annotators list it under `also` or not at all.
                let casualty = facts
                    .matches
                    .iter()
                    .any(|m| m.start() == i && coder.lexicon.entries[m.entry].flags.casualty);
                let label = td
                    .acts
                    .iter()
                    .find(|a| a.trigger.contains(&i) || a.also.contains(&i))
                    .or_else(|| {
                        td.acts
                            .iter()
                            .find(|a| casualty && a.sentence == s && a.kind == PloverType::Assault)
                    })
                    .map_or(NONE.to_string(), |a| a.kind.as_str().to_string());
                let mut f = Vec::new();
                trigger_features(doc, i, &facts, coder.knowledge(), &mut f);
                for _ in 1..td.weight.max(1) {
                    out.push((f.clone(), label.clone()));
                }
                out.push((f, label));
            }
        }
    }
    out
}

/// Examples for the implied-source classifier: gold events whose source is no mention.
fn implied_examples(coder: &EventCoder, docs: &[TrainDoc]) -> Vec<(Vec<u64>, String)> {
    let mut out = Vec::new();
    for td in docs {
        for a in td.acts.iter().filter(|a| a.sources.is_empty()) {
            let Some(&head) = a.trigger.first() else { continue };
            let facts = SentenceFacts::of(&td.doc, a.sentence, coder.knowledge());
            let mut f = Vec::new();
            let core = trigger_features(&td.doc, head, &facts, coder.knowledge(), &mut f);
            f.truncate(core);
            super::features::implied_features(a.kind.as_str(), &mut f);
            let label = match (&a.implied_source, a.source_given) {
                (Some(s), true) => s.clone(),
                _ => NONE.to_string(),
            };
            out.push((f, label));
        }
    }
    out
}

/// The trigger of a gold act as the coder would see it: a lexicon match at its head, else the head.
fn act_trigger(coder: &EventCoder, ctx: &SentenceContext, doc: &Document, head: usize) -> TriggerMatch {
    ctx.matches
        .iter()
        .find(|m| m.start() == head && !coder.lexicon.entries[m.entry].flags.speech)
        .cloned()
        .unwrap_or(TriggerMatch {
            entry: usize::MAX,
            tokens: vec![head],
            nominal: doc.tokens[head].pos == tocsin_doc::Pos::Noun,
            speech: false,
        })
}

/// CAMEO examples (features of the trigger head, code) and role examples (source, target).
/// A CAMEO example: trigger features, gold code, gold type.
type CameoExample = (Vec<u64>, String, PloverType);

fn act_examples(coder: &EventCoder, docs: &[TrainDoc]) -> (Vec<CameoExample>, Vec<RoleExample>, Vec<RoleExample>) {
    let (mut cameo, mut sources, mut targets) = (Vec::new(), Vec::new(), Vec::new());
    for td in docs {
        let doc = &td.doc;
        for a in &td.acts {
            let Some(&head) = a.trigger.first() else { continue };
            let s = a.sentence;
            let facts = SentenceFacts::of(doc, s, coder.knowledge());
            let mut f = Vec::new();
            let core = trigger_features(doc, head, &facts, coder.knowledge(), &mut f);
            f.truncate(core);
            cameo.push((f, a.cameo.clone(), a.kind));
            let ctx = SentenceContext::new(coder, doc, s, None);
            let t = act_trigger(coder, &ctx, doc, head);
            let (rule_source, rule_target) = coder.rule_roles(doc, &ctx, &t);
            let speech: Vec<usize> = facts.speech.clone();
            let frame = RoleFrame {
                doc,
                s,
                trigger: &t.tokens,
                kind: a.kind.as_str(),
                rule_source,
                rule_target,
                speech: &speech,
            };
            let cands: Vec<Option<usize>> = std::iter::once(None)
                .chain(
                    ctx.mentions
                        .iter()
                        .copied()
                        .filter(|&m| !t.tokens.iter().any(|k| doc.mentions[m].tokens.contains(k)))
                        .map(Some),
                )
                .collect();
            let gold_set = |given: bool, set: &[usize]| -> Option<Vec<usize>> {
                if !given {
                    return Some(vec![0]);
                }
                let idx: Vec<usize> = cands
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.is_some_and(|m| set.contains(&m)))
                    .map(|(i, _)| i)
                    .collect();
                (!idx.is_empty()).then_some(idx)
            };
            let src_gold = gold_set(a.source_given, &a.sources);
            if let Some(gold) = &src_gold {
                let candidates = cands
                    .iter()
                    .map(|&m| {
                        let mut f = Vec::new();
                        role_features(&frame, m, None, &mut f);
                        f
                    })
                    .collect();
                let rule = cands.iter().position(|&c| c == rule_source).unwrap_or(0);
                sources.push(RoleExample {
                    candidates,
                    gold: gold.clone(),
                    rule,
                });
            }
            // Targets are scored given the (gold) source, as at coding time given the chosen one.
            let source = src_gold.and_then(|g| cands[g[0]]);
            let tcands: Vec<Option<usize>> = cands.iter().copied().filter(|&m| m.is_none() || m != source).collect();
            let idx: Vec<usize> = if !a.target_given {
                vec![0]
            } else {
                tcands
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.is_some_and(|m| a.targets.contains(&m)))
                    .map(|(i, _)| i)
                    .collect()
            };
            if !idx.is_empty() {
                let candidates = tcands
                    .iter()
                    .map(|&m| {
                        let mut f = Vec::new();
                        role_features(&frame, m, source, &mut f);
                        f
                    })
                    .collect();
                let rule = tcands.iter().position(|&c| c == rule_target).unwrap_or(0);
                targets.push(RoleExample {
                    candidates,
                    gold: idx,
                    rule,
                });
            }
        }
    }
    (cameo, sources, targets)
}

fn train_ranker(examples: &[RoleExample], cfg: &TrainConfig, salt: u64) -> tocsin_nlp::perceptron::Weights {
    let ex: Vec<(Vec<Vec<u64>>, Vec<usize>)> = examples
        .iter()
        .map(|e| (e.candidates.clone(), e.gold.clone()))
        .collect();
    fit_ranker(&ex, cfg.logreg(salt))
}

/// Token-level trigger figures of `model` on documents (for tuning the NONE bias and reporting).
pub fn trigger_figures(coder: &EventCoder, model: &EventModel, docs: &[TrainDoc]) -> TriggerFigures {
    figures(model, &trigger_examples(coder, docs, &model.inventory))
}

fn figures(model: &EventModel, examples: &[(Vec<u64>, String)]) -> TriggerFigures {
    let mut fig = TriggerFigures::default();
    for (f, label) in examples {
        let d = model.decide(f);
        let guess = d.kind.map_or(NONE, |k| k.as_str());
        fig.gold += usize::from(label != NONE);
        fig.predicted += usize::from(guess != NONE);
        fig.correct += usize::from(guess != NONE && guess == label.as_str());
    }
    fig
}

/// Trains the four parts on `train`, and tunes the NONE bias for trigger F1 on `dev` (when given).
pub fn train(coder: &EventCoder, train: &[TrainDoc], dev: &[TrainDoc], cfg: TrainConfig) -> EventModel {
    // Triggers.
    let inventory = inventory(coder, train);
    let examples = trigger_examples(coder, train, &inventory);
    let mut classes: Vec<String> = vec![NONE.to_string()];
    classes.extend(PloverType::ALL.iter().map(|k| k.as_str().to_string()));
    let indexed: Vec<(Vec<u64>, usize)> = examples
        .into_iter()
        .map(|(f, label)| {
            let c = classes.iter().position(|c| *c == label).unwrap_or(0);
            (f, c)
        })
        .collect();
    let trigger = train_classifier(classes, &indexed, cfg.logreg(0));
    // CAMEO codes: one classifier per type, over the codes gold used for it.
    let (cameo_ex, src_ex, tgt_ex) = act_examples(coder, train);
    let mut cameo = Vec::new();
    for kind in PloverType::ALL {
        let mine: Vec<&CameoExample> = cameo_ex.iter().filter(|(_, _, k)| *k == kind).collect();
        let mut codes: Vec<String> = mine.iter().map(|(_, c, _)| c.clone()).collect();
        codes.sort();
        codes.dedup();
        if codes.is_empty() {
            continue;
        }
        let indexed: Vec<(Vec<u64>, usize)> = mine
            .iter()
            .map(|(f, code, _)| (f.clone(), codes.iter().position(|c| c == code).unwrap_or(0)))
            .collect();
        cameo.push((
            kind.as_str().to_string(),
            train_classifier(codes, &indexed, cfg.logreg(0xC0DE)),
        ));
    }
    // Implied sources: for gold events whose source is no mention, the sector of the state (or the
    // people) gold names without a span, or nobody.
    let implied_ex = implied_examples(coder, train);
    let mut sectors: Vec<String> = vec![NONE.to_string()];
    for (_, s) in &implied_ex {
        if !sectors.contains(s) {
            sectors.push(s.clone());
        }
    }
    let indexed: Vec<(Vec<u64>, usize)> = implied_ex
        .iter()
        .map(|(f, s)| (f.clone(), sectors.iter().position(|x| x == s).unwrap_or(0)))
        .collect();
    let implied = train_classifier(sectors, &indexed, cfg.logreg(0x1A1D));
    let mut model = EventModel {
        version: FEATURE_VERSION,
        inventory,
        trigger,
        cameo,
        source: train_ranker(&src_ex, &cfg, 0x5005),
        target: train_ranker(&tgt_ex, &cfg, 0x7A76),
        implied,
        none_bias: 0.0,
        class_bias: Vec::new(),
        rule_margin: 0.0,
    };
    if let Some((bias, margin, classes)) = cfg.fixed.clone() {
        model.none_bias = bias;
        model.rule_margin = margin;
        model.class_bias = classes;
    } else if !dev.is_empty() {
        let mut best = (f64::MIN, 0.0f32);
        for step in -8..=12 {
            model.none_bias = step as f32 * 0.25;
            let f1 = event_f1(coder, &model, dev);
            if f1 > best.0 + 1e-9 {
                best = (f1, model.none_bias);
            }
        }
        model.none_bias = best.1;
        let mut best = (event_f1(coder, &model, dev), 0.0f32);
        for step in 1..=12 {
            model.rule_margin = step as f32 * 0.5;
            let f1 = event_f1(coder, &model, dev);
            if f1 > best.0 + 1e-9 {
                best = (f1, model.rule_margin);
            }
        }
        model.rule_margin = best.1;
        // Per-type offsets, one pass of coordinate ascent: some types are worth more recall than the
        // shared bias gives them, others less.
        model.class_bias = vec![0.0; model.trigger.classes.len()];
        let mut best = event_f1(coder, &model, dev);
        for c in 0..model.trigger.classes.len() {
            if model.trigger.classes[c] == NONE {
                continue;
            }
            for step in [-1.0f32, -0.5, 0.5, 1.0, 1.5] {
                let keep = model.class_bias[c];
                model.class_bias[c] = step;
                let f1 = event_f1(coder, &model, dev);
                if f1 > best + 1e-4 {
                    best = f1;
                } else {
                    model.class_bias[c] = keep;
                }
            }
        }
    }
    model
}

/// Event-level type F1 of the whole learned coder on analysed documents (types matched per
/// document): what the NONE bias is tuned for.
pub fn event_f1(coder: &EventCoder, model: &EventModel, docs: &[TrainDoc]) -> f64 {
    let (mut gold, mut coded, mut right) = (0usize, 0usize, 0usize);
    for td in docs {
        let mut doc = td.doc.clone();
        doc.detections = (0..doc.sentences.len())
            .map(|s| super::detect(&doc, s, model, coder.knowledge()))
            .collect();
        let events = coder.code_learned(&doc, model);
        let mut want: Vec<PloverType> = td.acts.iter().map(|a| a.kind).collect();
        gold += want.len();
        coded += events.len();
        for e in &events {
            if let Some(k) = want.iter().position(|t| *t == e.event_type) {
                want.swap_remove(k);
                right += 1;
            }
        }
    }
    tocsin_nlp::prf(right, coded, right, gold).2
}
