//! The `parse` stage: dependency heads and relations from the trained tagger and parser, only for
//! sentences that hold an actor mention and pass the caller's filter (the coder's: a trigger).

use std::sync::Arc;

use tocsin_doc::{Document, Stage, StageError};

use crate::{ParserModel, TaggerModel};

/// Fills `Token::head` and `Token::dep` with the trained models; POS and lemmas stay as the `nlp`
/// stage set them (the coder's lexicon is tuned to those).
pub struct DependencyParser {
    tagger: Arc<TaggerModel>,
    parser: Arc<ParserModel>,
    filter: Option<SentenceFilter>,
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
        }
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
        }
        Ok(())
    }
}
