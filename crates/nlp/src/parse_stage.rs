//! The `parse` stage: dependency heads and relations from the trained tagger and parser, only for
//! sentences that hold an actor mention and pass the caller's filter (tocsin's: an event trigger in
//! the `triggers` layer), and named entities (the `entities` layer) where an unknown name appears.

use std::sync::Arc;

use tocsin_doc::{Document, Entity, Stage, StageError};

use crate::{NameLists, NerModel, ParserModel, TaggerModel};

/// Fills `Token::head` and `Token::dep` with the trained models; POS and lemmas stay as the `nlp`
/// stage set them (the coder's lexicon is tuned to those).
pub struct DependencyParser {
    tagger: Arc<TaggerModel>,
    parser: Arc<ParserModel>,
    filter: Option<SentenceFilter>,
    ner: Option<(Arc<NerModel>, Arc<NameLists>)>,
}

/// Decides whether sentence `s` of a document is worth parsing.
pub type SentenceFilter = Box<dyn Fn(&Document, usize) -> bool + Send + Sync>;

impl DependencyParser {
    /// Wraps loaded models (share them across threads with the `Arc`s).
    pub fn new(tagger: Arc<TaggerModel>, parser: Arc<ParserModel>) -> Self {
        DependencyParser {
            tagger,
            parser,
            filter: None,
            ner: None,
        }
    }

    /// Also runs the named-entity recogniser on the parsed sentences that hold two capitalised words
    /// in a row no actor covers, filling the `entities` layer (the actors crate's `UnknownPersons`
    /// stage turns the persons among them into mentions).
    pub fn with_ner(mut self, ner: Arc<NerModel>, names: Arc<NameLists>) -> Self {
        self.ner = Some((ner, names));
        self
    }

    /// Parses only the sentences (with an actor) that `filter` accepts, e.g. those with a trigger.
    pub fn with_filter(mut self, filter: SentenceFilter) -> Self {
        self.filter = Some(filter);
        self
    }
}

/// Sentences longer than this are left unparsed (the transition system is linear, but such
/// "sentences" are usually tables or run-on lists, where a parse says little).
const MAX_WORDS: usize = 120;

impl Stage for DependencyParser {
    fn name(&self) -> &'static str {
        "parse"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let mut with_actor = vec![false; doc.sentences.len()];
        for m in &doc.mentions {
            if let Some(w) = with_actor.get_mut(m.sentence) {
                *w = true;
            }
        }
        for (s, _) in with_actor.iter().enumerate().filter(|(_, w)| **w) {
            let range = doc.sentences[s].tokens.clone();
            if range.is_empty() || range.len() > MAX_WORDS || self.filter.as_ref().is_some_and(|f| !f(doc, s)) {
                continue;
            }
            let words: Vec<String> = range
                .clone()
                .map(|i| doc.slice(doc.tokens[i].span).to_string())
                .collect();
            let tagged = self.tagger.tag_upos(&words);
            let upos: Vec<&str> = tagged.iter().map(String::as_str).collect();
            for (k, (head, dep)) in self.parser.parse(&words, &upos).into_iter().enumerate() {
                let t = &mut doc.tokens[range.start + k];
                t.head = (head > 0).then(|| range.start + head - 1);
                t.dep = Some(dep);
            }
            // Only where two capitalised words in a row (after the first word) are no actor's: a full
            // name. Known names need no recogniser, and a lone surname refers back to a full one.
            let unknown = |i: usize| doc.capitalised(i) && !doc.mentions.iter().any(|m| m.tokens.contains(&i));
            let unknown_name = (range.start + 1..range.end.saturating_sub(1)).any(|i| unknown(i) && unknown(i + 1));
            if let (Some((ner, names)), true) = (&self.ner, unknown_name) {
                let labels = ner.label(&words, &tagged, names);
                doc.entities.extend(entities(s, range.start, &labels));
            }
        }
        Ok(())
    }
}

/// The entity spans of BIO `labels` for the tokens of sentence `s` from token `start`: a `B-X`
/// opens a span, an `I-X` extends the span of label X that ends right before it, anything else
/// (an `I-X` after another label, `O`) is outside.
fn entities(s: usize, start: usize, labels: &[String]) -> Vec<Entity> {
    let mut spans: Vec<Entity> = Vec::new();
    for (k, l) in labels.iter().enumerate() {
        if let Some(label) = l.strip_prefix("B-") {
            spans.push(Entity {
                tokens: start + k..start + k + 1,
                sentence: s,
                label: label.to_string(),
            });
        } else if let Some(label) = l.strip_prefix("I-") {
            if let Some(last) = spans
                .last_mut()
                .filter(|e| e.tokens.end == start + k && e.label == label)
            {
                last.tokens.end += 1;
            }
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bio_labels_become_spans() {
        let labels: Vec<String> = ["O", "B-PER", "I-PER", "I-LOC", "B-ORG", "I-PER", "I-PER", "B-LOC"]
            .iter()
            .map(|l| l.to_string())
            .collect();
        let got: Vec<(std::ops::Range<usize>, &str)> = entities(3, 10, &labels)
            .iter()
            .map(|e| {
                (
                    e.tokens.clone(),
                    if e.label == "PER" {
                        "PER"
                    } else if e.label == "ORG" {
                        "ORG"
                    } else {
                        "LOC"
                    },
                )
            })
            .collect();
        assert_eq!(got, vec![(11..13, "PER"), (14..15, "ORG"), (17..18, "LOC")]);
    }
}
