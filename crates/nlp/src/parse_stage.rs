//! The `parse` stage: dependency heads and relations from the trained tagger and parser, only for
//! sentences that hold an actor mention and pass the caller's filter (the coder's: a trigger).

use std::sync::Arc;

use tocsin_doc::{Actor, Document, Mention, MentionKind, Span, Stage, StageError};

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

    /// Also runs the named-entity recogniser on the parsed sentences: a person it finds that the
    /// knowledge base does not know becomes a person mention without a code ("Dubem Oniya
    /// summoned …"), so that no other actor is taken for what that person did.
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
                unknown_persons(doc, s, &labels);
            }
        }
        doc.mentions.sort_by_key(|m| (m.tokens.start, m.tokens.end));
        Ok(())
    }
}

/// Adds a code-less person mention for every PER span of sentence `s` (BIO `labels`) that no
/// mention covers and that is capitalised.
fn unknown_persons(doc: &mut Document, s: usize, labels: &[String]) {
    let start = doc.sentences[s].tokens.start;
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (k, l) in labels.iter().enumerate() {
        match l.as_str() {
            "B-PER" => spans.push((k, k + 1)),
            "I-PER" if spans.last().is_some_and(|&(_, e)| e == k) => {
                if let Some(last) = spans.last_mut() {
                    last.1 = k + 1;
                }
            }
            _ => {}
        }
    }
    for (a, b) in spans {
        let (a, b) = (start + a, start + b);
        let covered = doc.mentions.iter().any(|m| m.tokens.start < b && a < m.tokens.end);
        let capitalised = (a..b).all(|i| doc.capitalised(i));
        if covered || !capitalised {
            continue;
        }
        let span = Span {
            start: doc.tokens[a].span.start,
            end: doc.tokens[b - 1].span.end,
        };
        // In apposition with a known actor, the person is that actor: "A member of the Syrian
        // parliament, Mohammed Mamoun," / "Mohammed Mamoun, a Syrian lawmaker,".
        let comma = |i: usize| doc.tokens.get(i).is_some_and(|t| t.norm == ",");
        let before = (a > start + 1 && comma(a - 1))
            .then(|| doc.mentions.iter().rfind(|m| m.tokens.end == a - 1 && !m.locative))
            .flatten();
        let after = || {
            let article = doc
                .tokens
                .get(b + 1)
                .is_some_and(|t| matches!(t.norm.as_str(), "a" | "an" | "the"));
            (comma(b) && article)
                .then(|| {
                    doc.mentions
                        .iter()
                        .find(|m| m.tokens.start > b + 1 && m.tokens.start <= b + 4 && !m.locative)
                })
                .flatten()
        };
        let actor = Actor {
            name: doc.slice(span).to_string(),
            ..before.or_else(after).map(|m| m.actor.clone()).unwrap_or_default()
        };
        doc.mentions.push(Mention {
            span,
            tokens: a..b,
            sentence: s,
            actor,
            kind: MentionKind::Name,
            person: true,
            locative: false,
        });
    }
}
