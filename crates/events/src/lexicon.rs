//! The event lexicon: trigger patterns over token forms, mapped to CAMEO codes and role flags.

use std::collections::HashMap;
use std::str::FromStr;

use tocsin_doc::{Document, PloverType, Pos};
use tocsin_nlp::Morphology;

/// How many tokens a `*` may skip.
pub const MAX_GAP: usize = 6;

/// Role and interpretation flags of a lexicon entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flags {
    /// Nominal trigger: the source must be attached to it.
    pub noun: bool,
    /// The source follows the trigger.
    pub src_after: bool,
    /// The target must directly follow.
    pub tgt_adjacent: bool,
    /// Swallows later triggers of the same clause.
    pub absorb: bool,
    /// A denial (REJECT, modality denied).
    pub deny: bool,
    /// A reporting verb, not an event.
    pub speech: bool,
    /// Reports casualties.
    pub casualty: bool,
    /// An obligation in reported speech ("X said Y must …"): the speaker demands it of the
    /// actor right before the trigger.
    pub oblige: bool,
    /// PLOVER type override.
    pub plover: Option<PloverType>,
    /// PLOVER mode override.
    pub mode: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Elem {
    Word(Vec<String>),
    Gap,
}

/// One lexicon line.
#[derive(Debug, Clone, PartialEq)]
pub struct LexEntry {
    /// The pattern as written.
    pub pattern: String,
    elems: Vec<Elem>,
    /// CAMEO code.
    pub cameo: String,
    /// Flags.
    pub flags: Flags,
}

impl LexEntry {
    /// Number of words (not gaps) in the pattern; longer patterns win.
    pub fn words(&self) -> usize {
        self.elems.iter().filter(|e| matches!(e, Elem::Word(_))).count()
    }
}

/// A lexicon line that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("events.tsv:{line}: {message}")]
pub struct LexiconError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// A matched trigger in one sentence (the document's `triggers` layer).
pub type TriggerMatch = tocsin_doc::Trigger;

/// The loaded lexicon with an index from first-word forms to entries.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Entries in file order.
    pub entries: Vec<LexEntry>,
    index: HashMap<String, Vec<usize>>,
}

const FUNCTION_WORDS: &[&str] = &[
    "on", "to", "for", "with", "by", "of", "in", "as", "at", "into", "upon", "about", "out", "off", "up", "down",
    "over", "the", "a",
];
const DETERMINERS: &[&str] = &["the", "a", "an", "its", "their", "his", "her", "this", "that", "'s"];

/// The text of the lexicon shipped in `data/lexicon/events.tsv`.
pub const BUILTIN_LEXICON: &str = include_str!("../../../data/lexicon/events.tsv");

impl Lexicon {
    /// The lexicon shipped in `data/lexicon/events.tsv`.
    pub fn builtin() -> Result<Self, LexiconError> {
        Self::parse(BUILTIN_LEXICON, &Morphology::builtin())
    }

    /// A lexicon from a PETRARCH/TABARI verb dictionary, keeping the built-in reporting verbs
    /// (`say`, `announce`: attribution, not events).
    pub fn from_verb_dictionary(verbs: &[tocsin_dictionaries::VerbEntry]) -> Result<Self, LexiconError> {
        let speech: String = BUILTIN_LEXICON
            .lines()
            .filter(|l| {
                l.split('\t')
                    .nth(2)
                    .is_some_and(|f| f.split(',').any(|f| f.trim() == "speech"))
            })
            .map(|l| format!("{l}\n"))
            .collect();
        Self::parse(
            &(speech + &crate::dictionary::lexicon_lines(verbs)),
            &Morphology::builtin(),
        )
    }

    /// Parses `pattern<TAB>cameo<TAB>flags` lines.
    pub fn parse(text: &str, morph: &Morphology) -> Result<Self, LexiconError> {
        let mut lex = Lexicon::default();
        for (n, line) in text.lines().enumerate() {
            let line_no = n + 1;
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let err = |message: String| LexiconError { line: line_no, message };
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            let (Some(pattern), Some(cameo)) = (cols.first(), cols.get(1)) else {
                return Err(err("expected pattern <TAB> cameo code".into()));
            };
            if cameo.len() < 3 || tocsin_doc::CameoCode::new(*cameo).is_err() {
                return Err(err(format!(
                    "field `cameo`: {cameo:?} is not a CAMEO code (three or four digits)"
                )));
            }
            let mut flags = Flags::default();
            for f in cols
                .get(2)
                .unwrap_or(&"")
                .split(',')
                .map(str::trim)
                .filter(|f| !f.is_empty())
            {
                match f {
                    "noun" => flags.noun = true,
                    "src=after" => flags.src_after = true,
                    "tgt=adj" => flags.tgt_adjacent = true,
                    "absorb" => flags.absorb = true,
                    "deny" => flags.deny = true,
                    "speech" => flags.speech = true,
                    "casualty" => flags.casualty = true,
                    "oblige" => flags.oblige = true,
                    _ if f.starts_with("type=") => {
                        flags.plover = Some(PloverType::from_str(&f[5..]).map_err(|e| err(e.to_string()))?);
                    }
                    _ if f.starts_with("mode=") => flags.mode = Some(f[5..].to_string()),
                    _ => return Err(err(format!("field `flags`: unknown flag {f:?}"))),
                }
            }
            let elems: Vec<Elem> = pattern
                .split_whitespace()
                .map(|w| match w {
                    "*" => Elem::Gap,
                    _ if w.starts_with('=') => Elem::Word(vec![w[1..].to_lowercase()]),
                    _ if flags.noun || FUNCTION_WORDS.contains(&w) => {
                        let mut forms = vec![w.to_lowercase()];
                        if flags.noun && w.len() > 3 {
                            forms.push(format!("{}s", w.to_lowercase()));
                        }
                        Elem::Word(forms)
                    }
                    _ => Elem::Word(morph.forms(&w.to_lowercase())),
                })
                .collect();
            let Some(Elem::Word(first)) = elems.first() else {
                return Err(err("pattern must start with a word".into()));
            };
            let id = lex.entries.len();
            for f in first {
                lex.index.entry(f.clone()).or_default().push(id);
            }
            lex.entries.push(LexEntry {
                pattern: pattern.to_string(),
                elems,
                cameo: cameo.to_string(),
                flags,
            });
        }
        Ok(lex)
    }

    fn match_at(&self, doc: &Document, entry: usize, i: usize, end: usize) -> Option<Vec<usize>> {
        let mut tokens = vec![i];
        let mut pos = i + 1;
        let mut gap = 0;
        for e in &self.entries[entry].elems[1..] {
            match e {
                Elem::Gap => gap = MAX_GAP,
                Elem::Word(forms) => {
                    // Quote marks do not count towards the gap ("as “untruths”").
                    let mut budget = gap + 1;
                    let mut j = pos;
                    let j = loop {
                        if j >= end || budget == 0 || matches!(doc.tokens[j].norm.as_str(), "." | ";" | "?" | "!") {
                            return None;
                        }
                        if forms.contains(&doc.tokens[j].norm) {
                            break j;
                        }
                        if doc.tokens[j].norm != "\"" {
                            budget -= 1;
                        }
                        j += 1;
                    };
                    tokens.push(j);
                    pos = j + 1;
                    gap = 0;
                }
            }
        }
        Some(tokens)
    }

    /// All triggers of sentence `s`, non-overlapping, longer patterns first.
    pub fn find(&self, doc: &Document, s: usize) -> Vec<TriggerMatch> {
        let range = doc.sentences[s].tokens.clone();
        let mut found: Vec<TriggerMatch> = Vec::new();
        for i in range.clone() {
            let Some(ids) = self.index.get(&doc.tokens[i].norm) else {
                continue;
            };
            let after_det = i > range.start && {
                let prev = &doc.tokens[i - 1];
                DETERMINERS.contains(&prev.norm.as_str()) || matches!(prev.pos, Pos::Num | Pos::Adj)
            };
            // "the museum shooting", "a mortar bomb": after a determiner and a modifying noun, a
            // gerund or uninflected form is a noun.
            let word = doc.tokens[i].norm.as_str();
            let gerund_noun = i >= range.start + 2
                && (word.ends_with("ing") || !(word.ends_with("ed") || word.ends_with('s')))
                && DETERMINERS.contains(&doc.tokens[i - 2].norm.as_str())
                && doc.tokens[i - 2].norm != "'s"
                && matches!(doc.tokens[i - 1].pos, Pos::Noun | Pos::Propn | Pos::X)
                && doc.tokens[i - 1].norm.chars().all(char::is_alphabetic)
                // Not a participle taking a complement: "a declaration demanding that …".
                && doc.tokens.get(i + 1).is_none_or(|n| {
                    !matches!(n.norm.as_str(), "that" | "the" | "a" | "an" | "to" | "its" | "their")
                        && n.pos != Pos::Propn
                });
            let after_det = after_det || gerund_noun;
            for &id in ids {
                if let Some(tokens) = self.match_at(doc, id, i, range.end) {
                    let flags = &self.entries[id].flags;
                    found.push(TriggerMatch {
                        entry: id,
                        tokens,
                        nominal: flags.noun || (after_det && !flags.speech),
                        speech: flags.speech,
                    });
                }
            }
        }
        // Longest pattern first; for the same words prefer the entry whose noun/verb flag fits.
        found.sort_by_key(|m| {
            let e = &self.entries[m.entry];
            let fits = e.flags.noun == m.nominal;
            (std::cmp::Reverse(e.words()), !fits, m.start(), m.entry)
        });
        let mut taken = vec![false; range.end - range.start];
        let mut out = Vec::new();
        for m in found {
            if m.tokens.iter().any(|&t| taken[t - range.start]) {
                continue;
            }
            for &t in &m.tokens {
                taken[t - range.start] = true;
            }
            out.push(m);
        }
        out.sort_by_key(|m| m.start());
        out
    }
}
