//! The document and its layers: paragraphs, sentences, tokens, actor mentions and events.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::{Article, Event, PloverType};

/// A byte range into the article text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Coarse part of speech (UD UPOS subset); the heuristic analyser fills what it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Pos {
    /// Not yet tagged.
    #[default]
    X,
    /// Noun.
    Noun,
    /// Proper noun.
    Propn,
    /// Verb.
    Verb,
    /// Auxiliary verb.
    Aux,
    /// Adjective.
    Adj,
    /// Adverb.
    Adv,
    /// Adposition.
    Adp,
    /// Determiner.
    Det,
    /// Pronoun.
    Pron,
    /// Numeral.
    Num,
    /// Coordinating conjunction.
    Cconj,
    /// Subordinating conjunction.
    Sconj,
    /// Particle ("to", "not").
    Part,
    /// Punctuation.
    Punct,
}

/// One token with its offsets and the annotations later stages add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    /// Byte range in the article text.
    pub span: Span,
    /// Lower-cased surface form with typographic quotes and dashes normalised.
    pub norm: String,
    /// Dictionary form (filled by the nlp stage).
    pub lemma: String,
    /// Part of speech (filled by the nlp stage).
    pub pos: Pos,
    /// Syntactic head (index into `Document::tokens`), if a parser ran.
    pub head: Option<usize>,
    /// Dependency relation to the head, if a parser ran.
    pub dep: Option<String>,
    /// Clause number within the sentence (filled by the nlp stage).
    pub clause: u16,
    /// True when the token lies inside a direct quotation.
    pub in_quote: bool,
}

/// A sentence: a byte range and the tokens it covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    /// Byte range in the article text.
    pub span: Span,
    /// Index of the paragraph the sentence belongs to.
    pub paragraph: usize,
    /// Indices into `Document::tokens`.
    pub tokens: Range<usize>,
}

/// A resolved political actor: country, organisation and sector.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Actor {
    /// Canonical name ("Serbia", "Antony Blinken", "NATO").
    pub name: String,
    /// ISO 3166-1 alpha-3 country (Kosovo = XKX); None for international organisations.
    pub country: Option<String>,
    /// Organisation acronym (NATO, EU, UN, KFOR…).
    pub org: Option<String>,
    /// Sector code: GOV, MIL, POL, PTY, REB, IGO, NGO, MED, CVL, BUS…
    pub sector: Option<String>,
    /// CAMEO-style actor code (USAGOV, SRBMIL, IGONAT).
    pub code: String,
}

impl Actor {
    /// Composes a CAMEO-style code from country and sector (SRB + MIL → SRBMIL).
    pub fn compose_code(country: Option<&str>, sector: Option<&str>) -> String {
        format!("{}{}", country.unwrap_or(""), sector.unwrap_or(""))
    }
}

/// How an actor mention was expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MentionKind {
    /// A name or noun phrase found in the knowledge base.
    Name,
    /// A capital used for its government ("Washington").
    Capital,
    /// A pronoun resolved to an earlier mention ("he").
    Pronoun,
    /// A definite description resolved to an earlier mention ("the small Balkan country").
    Description,
}

/// An actor mention in the text, resolved against the knowledge base.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// Byte range of the mention.
    pub span: Span,
    /// Token indices covered.
    pub tokens: Range<usize>,
    /// Sentence index.
    pub sentence: usize,
    /// The resolved actor.
    pub actor: Actor,
    /// How it was expressed.
    pub kind: MentionKind,
    /// True when the mention names a person (for pronoun resolution).
    pub person: bool,
    /// True when the mention is only a place ("in Serbia"): a location, not an agent.
    pub locative: bool,
}

/// A trigger the trained event model takes for an event (the `triggers` stage, with a model):
/// what the `parse` stage parses and the `events` stage codes.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// The trigger's words: a lexicon match starting there, else the one token.
    pub trigger: Trigger,
    /// The event type the model decided.
    pub kind: PloverType,
    /// The model's margin over its runner-up (a confidence proxy).
    pub margin: f32,
    /// The next most likely event type (for when the roles rule the first out).
    pub runner_up: Option<PloverType>,
    /// The trigger's word and lexicon features (hashed), which the coder's later steps read.
    pub features: Vec<u64>,
}

/// An event trigger: lexicon words matched in one sentence (the `triggers` layer).
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    /// Index of the lexicon entry.
    pub entry: usize,
    /// Matched token indices (gaps excluded), ascending and never empty.
    pub tokens: Vec<usize>,
    /// Treated as a nominal trigger (lexicon flag, or a verb entry after a determiner).
    pub nominal: bool,
    /// A reporting verb ("said"): attribution, not an event.
    pub speech: bool,
}

impl Trigger {
    /// First matched token.
    pub fn start(&self) -> usize {
        self.tokens.first().copied().unwrap_or(0)
    }

    /// One past the first contiguous run of matched tokens (the trigger text).
    pub fn head_end(&self) -> usize {
        let mut end = self.start() + 1;
        for &t in self.tokens.iter().skip(1) {
            if t == end {
                end += 1;
            } else {
                break;
            }
        }
        end
    }

    /// One past the last matched token.
    pub fn end(&self) -> usize {
        self.tokens.last().map_or(0, |t| t + 1)
    }
}

/// A named entity the recogniser found (the `entities` layer): `PER`, `ORG` or `LOC`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Token indices covered.
    pub tokens: Range<usize>,
    /// Sentence index.
    pub sentence: usize,
    /// The label without its BIO prefix.
    pub label: String,
}

/// Where a document lies in its article: the first character and sentence of a segment (an article
/// over the segment limit is coded in parts; the whole article is one segment at 0, 0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Segment {
    /// Characters of the article before this segment.
    pub chars: usize,
    /// Sentences of the article before this segment.
    pub sentences: usize,
}

/// The document flowing through the pipeline.
#[derive(Debug, Clone)]
pub struct Document {
    /// The input article (for a segment, its part of the text).
    pub article: Article,
    /// Where this document lies in the whole article.
    pub segment: Segment,
    /// Paragraph byte ranges.
    pub paragraphs: Vec<Span>,
    /// Sentences, in order.
    pub sentences: Vec<Sentence>,
    /// Tokens, in order.
    pub tokens: Vec<Token>,
    /// Actor mentions, in text order.
    pub mentions: Vec<Mention>,
    /// Event triggers per sentence (`triggers[s]`), filled by the `triggers` stage.
    pub triggers: Vec<Vec<Trigger>>,
    /// Triggers the trained model takes for events, per sentence; empty without a model.
    pub detections: Vec<Vec<Detection>>,
    /// Named entities of the parsed sentences, filled by the `parse` stage.
    pub entities: Vec<Entity>,
    /// Coded events.
    pub events: Vec<Event>,
    chars: CharIndex,
}

impl Document {
    /// A fresh document with no layers yet.
    pub fn new(article: Article) -> Self {
        Self::in_segment(article, Segment::default())
    }

    /// A fresh document for one segment of a longer article.
    pub fn in_segment(article: Article, segment: Segment) -> Self {
        let chars = CharIndex::new(&article.text);
        Document {
            article,
            segment,
            paragraphs: Vec::new(),
            sentences: Vec::new(),
            tokens: Vec::new(),
            mentions: Vec::new(),
            triggers: Vec::new(),
            detections: Vec::new(),
            entities: Vec::new(),
            events: Vec::new(),
            chars,
        }
    }

    /// The text under a byte span.
    pub fn slice(&self, span: Span) -> &str {
        self.article.text.get(span.start..span.end).unwrap_or("")
    }

    /// Whether token `i` is written with a capital first letter.
    pub fn capitalised(&self, i: usize) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|t| self.slice(t.span).starts_with(char::is_uppercase))
    }

    /// Converts a byte offset of this document into a character offset in the whole article.
    pub fn char_offset(&self, byte: usize) -> usize {
        self.segment.chars + self.chars.char_offset(&self.article.text, byte)
    }

    /// The number in the whole article of this document's sentence `s`.
    pub fn sentence_number(&self, s: usize) -> usize {
        self.segment.sentences + s
    }

    /// Tokens of one sentence.
    pub fn sentence_tokens(&self, sentence: usize) -> &[Token] {
        self.sentences
            .get(sentence)
            .map(|s| &self.tokens[s.tokens.clone()])
            .unwrap_or(&[])
    }
}

/// Byte → character offset conversion with checkpoints every 512 bytes (bounded memory on huge texts).
#[derive(Debug, Clone, Default)]
pub struct CharIndex {
    checkpoints: Vec<(usize, usize)>,
}

const CHECKPOINT: usize = 512;

impl CharIndex {
    /// Indexes a text.
    pub fn new(text: &str) -> Self {
        let mut checkpoints = vec![(0, 0)];
        let mut next = CHECKPOINT;
        for (chars, (b, _)) in text.char_indices().enumerate() {
            if b >= next {
                checkpoints.push((b, chars));
                next = b + CHECKPOINT;
            }
        }
        CharIndex { checkpoints }
    }

    /// Character offset of a byte offset (rounded down to a char boundary).
    pub fn char_offset(&self, text: &str, byte: usize) -> usize {
        let byte = byte.min(text.len());
        let i = self.checkpoints.partition_point(|&(b, _)| b <= byte);
        let (b0, c0) = self.checkpoints.get(i.saturating_sub(1)).copied().unwrap_or((0, 0));
        c0 + text
            .get(b0..)
            .unwrap_or("")
            .char_indices()
            .take_while(|&(b, _)| b0 + b < byte)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_unicode_scalars() {
        let text = "Council’s director — “quoted”".repeat(500);
        let idx = CharIndex::new(&text);
        for (b, _) in text.char_indices().step_by(97) {
            assert_eq!(idx.char_offset(&text, b), text[..b].chars().count());
        }
        assert_eq!(idx.char_offset(&text, text.len()), text.chars().count());
    }

    #[test]
    fn actor_codes_follow_cameo_style() {
        assert_eq!(Actor::compose_code(Some("SRB"), Some("MIL")), "SRBMIL");
        assert_eq!(Actor::compose_code(Some("XKX"), None), "XKX");
        assert_eq!(Actor::compose_code(None, Some("POL")), "POL");
    }
}
