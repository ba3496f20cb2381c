//! NLP stage v1: lemmas, coarse parts of speech and clause numbers from rules and word lists.
//!
//! Entry point: [`HeuristicAnalyzer`], registered under the stage name `"nlp"` so a trained
//! tagger/parser can replace it with [`Pipeline::replace`](tocsin_doc::Pipeline::replace).

pub mod conllu;
mod lemma;
pub mod logreg;
pub mod ner;
mod parse_stage;
mod parser;
pub mod perceptron;
mod tagger;
mod util;

pub use lemma::{inflections, Morphology};

/// Precision, recall and F1 from counts: `right_predicted` of `predicted` predictions are right and
/// `right_gold` of `gold` gold items are found (the two differ where matching is not one to one).
pub fn prf(right_predicted: usize, predicted: usize, right_gold: usize, gold: usize) -> (f64, f64, f64) {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (p, r) = (ratio(right_predicted, predicted), ratio(right_gold, gold));
    (p, r, if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) })
}

/// Why a model could not be written or read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// The bytes are not a model of this kind (or of this tocsin).
    #[error("not a tocsin {kind} model: {message}")]
    Decode {
        /// `tagger`, `parser` or `NER`.
        kind: &'static str,
        /// The decoder's message.
        message: String,
    },
    /// A model format this tocsin does not read.
    #[error("{kind} model version {version} is not supported")]
    Version {
        /// The model kind.
        kind: &'static str,
        /// The version found.
        version: u32,
    },
    /// The model could not be serialised.
    #[error("cannot serialise the model: {0}")]
    Encode(String),
    /// The model file could not be written.
    #[error("{path}: {message}")]
    Write {
        /// The file.
        path: String,
        /// The system's message.
        message: String,
    },
}

/// A line of an annotated corpus that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CorpusError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}
pub use ner::{NameLists, NerModel, NerScores};
pub use parse_stage::{DependencyParser, SentenceFilter};
pub use parser::{ParseScores, ParserConfig, ParserModel};
pub use tagger::{TagScores, Tagged, TaggerModel, TrainConfig};

use tocsin_doc::{Document, Pos, Stage, StageError};

/// Rule-based analyser: fills `lemma`, `pos` and `clause` on every token.
pub struct HeuristicAnalyzer {
    morph: Morphology,
}

impl Default for HeuristicAnalyzer {
    fn default() -> Self {
        HeuristicAnalyzer {
            morph: Morphology::builtin(),
        }
    }
}

const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our", "my", "your", "any",
    "some", "no", "every", "each", "all", "both",
];
const ADPOSITIONS: &[&str] = &[
    "in",
    "on",
    "at",
    "of",
    "to",
    "for",
    "with",
    "by",
    "from",
    "about",
    "against",
    "into",
    "over",
    "under",
    "between",
    "near",
    "after",
    "before",
    "during",
    "since",
    "through",
    "across",
    "within",
    "without",
    "toward",
    "towards",
    "amid",
    "among",
    "despite",
    "via",
    "per",
    "along",
    "around",
    "upon",
    "following",
];
const PRONOUNS: &[&str] = &[
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "him",
    "them",
    "us",
    "me",
    "who",
    "whom",
    "which",
    "himself",
    "herself",
    "itself",
    "themselves",
];
const AUXILIARIES: &[&str] = &[
    "be", "have", "do", "will", "would", "shall", "should", "can", "could", "may", "might", "must",
];
const CONJUNCTIONS: &[&str] = &["and", "or", "but", "nor"];
const SUBORDINATORS: &[&str] = &[
    "that", "because", "although", "though", "while", "whereas", "if", "unless", "whether", "when", "where", "as",
];

impl HeuristicAnalyzer {
    fn pos(&self, norm: &str, lemma: &str, surface: &str, sentence_initial: bool) -> Pos {
        let first = surface.chars().next().unwrap_or(' ');
        if !first.is_alphanumeric() {
            return Pos::Punct;
        }
        if first.is_ascii_digit() {
            return Pos::Num;
        }
        if norm == "to" || norm == "not" || norm == "n't" || norm == "'s" {
            return Pos::Part;
        }
        if DETERMINERS.contains(&norm) {
            return Pos::Det;
        }
        if PRONOUNS.contains(&norm) {
            return Pos::Pron;
        }
        if ADPOSITIONS.contains(&norm) {
            return Pos::Adp;
        }
        if CONJUNCTIONS.contains(&norm) {
            return Pos::Cconj;
        }
        if SUBORDINATORS.contains(&norm) {
            return Pos::Sconj;
        }
        if AUXILIARIES.contains(&lemma) {
            return Pos::Aux;
        }
        if first.is_uppercase() && !sentence_initial {
            return Pos::Propn;
        }
        if norm.ends_with("ly") && norm.len() > 4 {
            return Pos::Adv;
        }
        if self.morph.is_verb_form(norm) {
            return Pos::Verb;
        }
        Pos::X
    }
}

impl Stage for HeuristicAnalyzer {
    fn name(&self) -> &'static str {
        "nlp"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let text = &doc.article.text;
        for s in &doc.sentences {
            let mut clause: u16 = 0;
            for i in s.tokens.clone() {
                let surface = text.get(doc.tokens[i].span.start..doc.tokens[i].span.end).unwrap_or("");
                let norm = doc.tokens[i].norm.clone();
                let lemma = self.morph.lemma(&norm);
                let pos = self.pos(&norm, &lemma, surface, i == s.tokens.start);
                // Clause breaks: ; : dashes, ", who/which/where/but", and quote edges.
                let prev = i
                    .checked_sub(1)
                    .filter(|&p| p >= s.tokens.start)
                    .map(|p| &doc.tokens[p]);
                let boundary = matches!(norm.as_str(), ";" | ":" | "-" | "--")
                    || (matches!(norm.as_str(), "who" | "which" | "where" | "but" | "while" | "whereas")
                        && prev.is_some_and(|p| p.norm == ","))
                    || prev.is_some_and(|p| p.in_quote != doc.tokens[i].in_quote);
                if boundary {
                    clause = clause.saturating_add(1);
                }
                let t = &mut doc.tokens[i];
                t.lemma = lemma;
                t.pos = pos;
                t.clause = clause;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;

/// The `nlp` stage with the trained tagger: clauses from the rules, POS and lemmas from the model.
pub struct TaggedAnalyzer {
    rules: HeuristicAnalyzer,
    model: std::sync::Arc<TaggerModel>,
}

impl TaggedAnalyzer {
    /// Wraps a loaded model (share it across threads with the `Arc`).
    pub fn new(model: std::sync::Arc<TaggerModel>) -> Self {
        TaggedAnalyzer {
            rules: HeuristicAnalyzer::default(),
            model,
        }
    }
}

/// Maps a UPOS tag onto the document's coarse POS.
pub fn pos_of_upos(upos: &str) -> Pos {
    match upos {
        "NOUN" => Pos::Noun,
        "PROPN" => Pos::Propn,
        "VERB" => Pos::Verb,
        "AUX" => Pos::Aux,
        "ADJ" => Pos::Adj,
        "ADV" => Pos::Adv,
        "ADP" => Pos::Adp,
        "DET" => Pos::Det,
        "PRON" => Pos::Pron,
        "NUM" => Pos::Num,
        "CCONJ" => Pos::Cconj,
        "SCONJ" => Pos::Sconj,
        "PART" => Pos::Part,
        "PUNCT" | "SYM" => Pos::Punct,
        _ => Pos::X,
    }
}

impl Stage for TaggedAnalyzer {
    fn name(&self) -> &'static str {
        "nlp"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        self.rules.process(doc)?;
        for s in 0..doc.sentences.len() {
            let range = doc.sentences[s].tokens.clone();
            let words: Vec<String> = range
                .clone()
                .map(|i| doc.slice(doc.tokens[i].span).to_string())
                .collect();
            let tags = self.model.tag(&words, &self.rules.morph);
            for (i, t) in range.zip(tags) {
                doc.tokens[i].pos = pos_of_upos(&t.upos);
                doc.tokens[i].lemma = t.lemma;
            }
        }
        Ok(())
    }
}
