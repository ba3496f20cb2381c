//! Who did it, to whom, according to whom: source/target by clause position (v1, until the
//! parser lands), attribution regions ("according to Tanjug", ", the alliance announced"),
//! quotes and their speakers, and modality cues.

use tocsin_doc::{Document, Mention, MentionKind, Modality};

use crate::lexicon::{Lexicon, TriggerMatch};

const PREPOSITIONS: &[&str] = &[
    "of", "with", "between", "about", "against", "to", "for", "from", "in", "on", "at", "by", "into", "among",
    "toward", "towards", "under", "over",
];
const NEGATIONS: &[&str] = &["not", "n't", "never", "no"];
const FUTURE: &[&str] = &["will", "'ll", "shall", "would"];
const HYPOTHETICAL: &[&str] = &["if", "unless", "could", "might", "may"];
/// Verbs whose infinitive complement is still a real event ("continued to send arms").
const ASPECTUAL: &[&str] = &[
    "continue",
    "continued",
    "continues",
    "begin",
    "began",
    "begins",
    "start",
    "started",
    "starts",
    "try",
    "tried",
    "tries",
    "attempt",
    "attempted",
    "decide",
    "decided",
    "vote",
    "voted",
    "move",
    "moved",
    "resume",
    "resumed",
];
/// Verbs whose infinitive complement is a planned event.
const PLANNING: &[&str] = &[
    "plan", "plans", "planned", "intend", "intends", "intended", "prepare", "prepares", "prepared", "set", "going",
    "expected", "due", "aim", "aims", "vow", "vowed", "vows", "swear", "swore", "sworn", "about",
];

/// Mentions coordinated with mention `m` ("Gondor and Osgiliath", "Arnor, Osgiliath and Gondor",
/// "Hungarian and Romanian officials"), `m` included, in text order. Only lists joined by "and" count
/// (commas alone are appositions: "Kirby, the spokesman,"); `mentions` are the sentence's candidates.
pub fn conjuncts(doc: &Document, mentions: &[usize], m: usize) -> Vec<usize> {
    let mut sorted: Vec<usize> = mentions.to_vec();
    sorted.sort_by_key(|&i| doc.mentions[i].tokens.start);
    sorted.dedup();
    let Some(at) = sorted.iter().position(|&i| i == m) else {
        return vec![m];
    };
    // The gap between two neighbouring mentions: ",", "and", ", and" (or nothing else).
    let gap = |a: usize, b: usize| -> Option<bool> {
        let (end, start) = (doc.mentions[a].tokens.end, doc.mentions[b].tokens.start);
        let words: Vec<&str> = (end..start).map(|k| doc.tokens[k].norm.as_str()).collect();
        match words.as_slice() {
            ["and"] | [",", "and"] | ["and", "the"] | [",", "and", "the"] => Some(true),
            [","] | [",", "the"] => Some(false),
            _ => None,
        }
    };
    let (mut lo, mut hi) = (at, at);
    while lo > 0 && gap(sorted[lo - 1], sorted[lo]).is_some() {
        lo -= 1;
    }
    while hi + 1 < sorted.len() && gap(sorted[hi], sorted[hi + 1]).is_some() {
        hi += 1;
    }
    // Trim trailing comma-joined members after the last "and", and require an "and" at all.
    while hi > lo && gap(sorted[hi - 1], sorted[hi]) == Some(false) {
        hi -= 1;
    }
    let has_and = (lo..hi).any(|k| gap(sorted[k], sorted[k + 1]) == Some(true));
    if !has_and || at > hi {
        return vec![m];
    }
    sorted[lo..=hi].to_vec()
}

/// The reporting structure of a sentence.
#[derive(Debug, Clone, Default)]
pub struct Reporting {
    /// Tokens belonging to attribution phrases (not candidates for source/target).
    pub excluded: Vec<bool>,
    /// Who the sentence is attributed to.
    pub attribution: Option<String>,
    /// The speaker of a quotation in this sentence ("…,” Kirby said).
    pub speaker: Option<usize>,
    /// A claim verb governs the sentence ("He claimed that …").
    pub claimed: bool,
}

fn mention_label(doc: &Document, m: &Mention) -> String {
    match m.kind {
        MentionKind::Pronoun | MentionKind::Description => m.actor.name.clone(),
        _ => doc.slice(m.span).to_string(),
    }
}

/// Finds attribution phrases and quote speakers in sentence `s`.
pub fn reporting(
    doc: &Document,
    s: usize,
    lex: &Lexicon,
    triggers: &[TriggerMatch],
    previous: Option<&str>,
) -> Reporting {
    let range = doc.sentences[s].tokens.clone();
    let mut r = Reporting {
        excluded: vec![false; range.len()],
        ..Default::default()
    };
    let mentions: Vec<(usize, &Mention)> = doc
        .mentions
        .iter()
        .enumerate()
        .filter(|(_, m)| m.sentence == s)
        .collect();
    // "according to X[,]"
    for i in range.clone() {
        if doc.tokens[i].norm == "according" && doc.tokens.get(i + 1).is_some_and(|t| t.norm == "to") {
            let end = (i + 2..range.end)
                .find(|&k| matches!(doc.tokens[k].norm.as_str(), "," | "." | ";"))
                .unwrap_or(range.end);
            for k in i..end {
                r.excluded[k - range.start] = true;
            }
            let from = if doc.tokens.get(i + 2).is_some_and(|t| t.norm == "the") {
                i + 3
            } else {
                i + 2
            };
            if from < end {
                let span = tocsin_doc::Span {
                    start: doc.tokens[from].span.start,
                    end: doc.tokens[end - 1].span.end,
                };
                r.attribution = Some(doc.slice(span).to_string());
            }
        }
    }
    // Trailing ", X said/announced …" and closing-quote "…,” X said".
    for t in triggers
        .iter()
        .filter(|t| lex.entries[t.entry].flags.speech && !doc.tokens[t.start()].in_quote)
    {
        let v = t.start();
        let lead = (range.start..v)
            .rev()
            .take(8)
            .find(|&k| matches!(doc.tokens[k].norm.as_str(), "," | "\""));
        let Some(c) = lead else { continue };
        if c == range.start || (c + 1..v).any(|k| matches!(doc.tokens[k].norm.as_str(), "that")) {
            continue;
        }
        // A trailing report follows what it reports: "On Monday, X said Y will …" is a leading
        // adverbial, not "…, X said".
        let reports_before = triggers
            .iter()
            .any(|o| !lex.entries[o.entry].flags.speech && o.start() < c);
        if !reports_before && doc.tokens[c].norm != "\"" {
            continue;
        }
        let subject = mentions.iter().find(|(_, m)| m.tokens.start > c && m.tokens.end <= v);
        let pronoun_it = (c + 1..v).any(|k| matches!(doc.tokens[k].norm.as_str(), "it" | "they"));
        let quoted = doc.tokens[c].norm == "\""
            || (c > range.start && doc.tokens[c - 1].norm == "\"")
            || (range.start..c).any(|k| doc.tokens[k].in_quote);
        if subject.is_none() && !pronoun_it {
            continue;
        }
        for k in c..range.end {
            r.excluded[k - range.start] = true;
        }
        match subject {
            Some((idx, _)) if quoted => r.speaker = Some(*idx),
            Some((_, m)) => r.attribution = r.attribution.take().or_else(|| Some(mention_label(doc, m))),
            None => r.attribution = r.attribution.take().or_else(|| previous.map(str::to_string)),
        }
    }
    r.claimed = triggers.iter().any(|t| {
        let e = &lex.entries[t.entry];
        e.flags.speech && matches!(e.pattern.as_str(), "claim" | "allege")
    });
    r
}

pub(crate) fn usable(doc: &Document, r: &Reporting, s: usize, m: &Mention) -> bool {
    let start = doc.sentences[s].tokens.start;
    !r.excluded[m.tokens.start - start]
}

fn prep_before<'a>(doc: &'a Document, s: usize, m: &Mention) -> Option<&'a str> {
    let start = doc.sentences[s].tokens.start;
    (m.tokens.start > start)
        .then(|| doc.tokens[m.tokens.start - 1].norm.as_str())
        .filter(|p| PREPOSITIONS.contains(p))
}

/// Verbs that carry no event of their own but lend their subject to the event noun they take.
const SUPPORT_VERBS: &[&str] = &[
    "start",
    "launch",
    "stage",
    "hold",
    "begin",
    "mount",
    "organize",
    "organise",
    "conduct",
    "open",
    "resume",
    "lodge",
    "file",
    "carry",
    "make",
    "issue",
    "wage",
    "step",
    "continue",
    "intensify",
    "escalate",
    "renew",
    "speed",
    "accelerate",
    "complete",
];

/// The support verb ("launched", "staged a", "carried out its") governing the event noun at
/// `noun`: at most four tokens before it, with only determiners, adjectives, possessives,
/// numbers and particles between.
fn support_verb(doc: &Document, s: usize, noun: usize) -> Option<usize> {
    let start = doc.sentences[s].tokens.start;
    let mut k = noun;
    while k > start && noun - k < 5 {
        k -= 1;
        let t = &doc.tokens[k];
        if SUPPORT_VERBS.contains(&t.lemma.as_str()) && matches!(t.pos, tocsin_doc::Pos::Verb | tocsin_doc::Pos::X) {
            return Some(k);
        }
        // A noun right before the event noun modifies it ("opened fraud investigations").
        let filler = matches!(
            t.pos,
            tocsin_doc::Pos::Det | tocsin_doc::Pos::Adj | tocsin_doc::Pos::Num | tocsin_doc::Pos::Pron
        ) || (k + 1 == noun
            && matches!(t.pos, tocsin_doc::Pos::Noun | tocsin_doc::Pos::X)
            && t.norm.chars().all(char::is_alphabetic))
            || matches!(
                t.norm.as_str(),
                "'s" | "out" | "up" | "a" | "an" | "the" | "its" | "their" | "his" | "her"
            );
        if !filler {
            return None;
        }
    }
    None
}

/// A verbal trigger right after a form of "be" ("were attacked"): its subject is the target. Not a
/// progressive ("is attacking"), an adjective ("is willing to") or a participle taking "to" ("is
/// committed to"): those keep their subject as the source.
pub(crate) fn is_passive(doc: &Document, t: &TriggerMatch) -> bool {
    let start = t.start();
    let word = &doc.tokens[start];
    !t.nominal
        && start > 0
        && matches!(
            doc.tokens[start - 1].norm.as_str(),
            "was" | "were" | "been" | "is" | "are" | "be"
        )
        && !word.norm.ends_with("ing")
        && word.pos != tocsin_doc::Pos::Adj
        && doc.tokens.get(start + 1).is_none_or(|n| n.norm != "to")
}

/// Source by clause position: the nearest usable, non-locative, non-prepositional mention
/// before the trigger; a quote's speaker for quoted triggers; "by X" for passives.
pub fn find_source(doc: &Document, s: usize, t: &TriggerMatch, r: &Reporting, mentions: &[usize]) -> Option<usize> {
    let start = t.start();
    let after_by = mentions.iter().copied().find(|&i| {
        let m = &doc.mentions[i];
        m.tokens.start == t.head_end() + 1 && doc.tokens[t.head_end()].norm == "by"
    });
    if t.nominal {
        // Attached: "Serbian attack", "Russia's attack", "attack by X".
        let attached = mentions
            .iter()
            .copied()
            .find(|&i| {
                let m = &doc.mentions[i];
                m.tokens.end <= start
                    && (m.tokens.end..start).all(|k| {
                        matches!(doc.tokens[k].pos, tocsin_doc::Pos::Adj | tocsin_doc::Pos::X)
                            || doc.tokens[k].norm == "'s"
                    })
                    && start - m.tokens.end <= 2
            })
            .or(after_by);
        // A support verb lends the noun its subject: "X launched a mediation effort", "X staged a
        // hunger strike", "X lodged an official protest".
        return attached.or_else(|| {
            let verb = support_verb(doc, s, start)?;
            mentions.iter().rev().copied().find(|&i| {
                let m = &doc.mentions[i];
                m.tokens.end <= verb && usable(doc, r, s, m) && !m.locative && prep_before(doc, s, m).is_none()
            })
        });
    }
    if is_passive(doc, t) {
        return after_by;
    }
    let left = mentions.iter().rev().copied().find(|&i| {
        let m = &doc.mentions[i];
        m.tokens.end <= start
            && usable(doc, r, s, m)
            && !m.locative
            && prep_before(doc, s, m).is_none()
            && !in_apposition(doc, s, mentions, m)
    });
    left.or_else(|| doc.tokens[start].in_quote.then_some(r.speaker).flatten())
}

/// Whether mention `m` stands inside an apposition set off by commas after another mention:
/// "Pakistan, a key U.S. ally in the war, has refused …" (U.S. describes Pakistan; it acts in nothing).
pub(crate) fn in_apposition(doc: &Document, s: usize, mentions: &[usize], m: &Mention) -> bool {
    let range = doc.sentences[s].tokens.clone();
    let Some(open) = (range.start..m.tokens.start).rev().find(|&k| doc.tokens[k].norm == ",") else {
        return false;
    };
    let described = mentions.iter().any(|&o| doc.mentions[o].tokens.end == open);
    let article = doc
        .tokens
        .get(open + 1)
        .is_some_and(|t| matches!(t.norm.as_str(), "a" | "an" | "the" | "one"));
    let closed = (m.tokens.end..range.end.min(m.tokens.end + 8)).any(|k| doc.tokens[k].norm == ",");
    described && article && closed && open + 1 < m.tokens.start
}

/// Target: the first usable mention after the trigger head (non-locative preferred).
pub fn find_target(
    doc: &Document,
    s: usize,
    r: &Reporting,
    mentions: &[usize],
    source: Option<usize>,
    from: usize,
) -> Option<usize> {
    let candidates: Vec<usize> = mentions
        .iter()
        .copied()
        .filter(|&i| {
            let m = &doc.mentions[i];
            m.tokens.start >= from
                && usable(doc, r, s, m)
                && Some(i) != source
                && source.is_none_or(|src| {
                    doc.mentions[src].actor.code != m.actor.code || doc.mentions[src].actor.code.is_empty()
                })
        })
        .collect();
    // Prefer actors with a country or organisation over bare sector nouns ("additional forces").
    let named = |i: &usize| {
        doc.mentions[*i].actor.country.is_some() || doc.mentions[*i].actor.org.is_some() || doc.mentions[*i].person
    };
    candidates
        .iter()
        .copied()
        .find(|i| !doc.mentions[*i].locative && named(i))
        .or_else(|| candidates.iter().copied().find(named))
        .or(candidates.first().copied())
}

/// Whether the trigger is negated ("will not accept") or the complement of "fail to", "refuse to",
/// "decline to" ("failed to reach agreement").
pub(crate) fn refused(doc: &Document, s: usize, t: &TriggerMatch) -> bool {
    let sstart = doc.sentences[s].tokens.start;
    let start = t.start();
    let failed = start >= sstart + 2
        && doc.tokens[start - 1].norm == "to"
        && matches!(doc.tokens[start - 2].lemma.as_str(), "fail" | "refuse" | "decline");
    negated(doc, s, t) || failed
}

/// A negation among the three tokens before the trigger, in its clause ("did not attack").
fn negated(doc: &Document, s: usize, t: &TriggerMatch) -> bool {
    let start = t.start();
    let clause = doc.tokens[start].clause;
    (start.saturating_sub(3).max(doc.sentences[s].tokens.start)..start)
        .filter(|&k| doc.tokens[k].clause == clause)
        .any(|k| NEGATIONS.contains(&doc.tokens[k].norm.as_str()))
}

/// What the words before the trigger say about it: None = drop (negated, or an infinitive
/// complement of a non-event verb), else the modality.
/// `expressive` marks protests and complaints: done by doing something else, so a purpose clause
/// ("rallied in Lagos to protest the law", "summoned the ambassador to complain") asserts them.
pub fn modality(
    doc: &Document,
    s: usize,
    t: &TriggerMatch,
    deny: bool,
    claimed: bool,
    expressive: bool,
) -> Option<Modality> {
    if deny {
        return Some(Modality::Denied);
    }
    if negated(doc, s, t) {
        return None;
    }
    let sstart = doc.sentences[s].tokens.start;
    let start = t.start();
    let clause = doc.tokens[start].clause;
    let before: Vec<&str> = (start.saturating_sub(3).max(sstart)..start)
        .filter(|&k| doc.tokens[k].clause == clause)
        .map(|k| doc.tokens[k].norm.as_str())
        .collect();
    // Infinitive complement: "... requires Serbia to recognize ..."
    let mut k = start;
    while k > sstart && doc.tokens[k - 1].norm.ends_with("ly") {
        k -= 1;
    }
    if k > sstart && doc.tokens[k - 1].norm == "to" {
        let gov = (sstart..k - 1).rev().find(|&g| {
            !matches!(
                doc.tokens[g].pos,
                tocsin_doc::Pos::Propn | tocsin_doc::Pos::Det | tocsin_doc::Pos::Adj
            ) && doc.mentions.iter().all(|m| !m.tokens.contains(&g))
        });
        let gov = gov.map(|g| doc.tokens[g].norm.as_str()).unwrap_or("");
        if ASPECTUAL.contains(&gov) {
            return Some(Modality::Asserted);
        }
        if PLANNING.contains(&gov) || gov == "to" {
            return Some(Modality::Future);
        }
        // A purpose clause (an adverbial clause in the parse), not a verb's complement.
        if expressive && doc.tokens[start].dep.as_deref() == Some("advcl") {
            return Some(if claimed { Modality::Claimed } else { Modality::Asserted });
        }
        return None;
    }
    let clause_before: Vec<&str> = (sstart..start)
        .filter(|&k| doc.tokens[k].clause == clause)
        .map(|k| doc.tokens[k].norm.as_str())
        .collect();
    if before.iter().any(|w| FUTURE.contains(w)) {
        return Some(Modality::Future);
    }
    if clause_before.iter().any(|w| HYPOTHETICAL.contains(w)) {
        return Some(Modality::Hypothetical);
    }
    if claimed {
        return Some(Modality::Claimed);
    }
    Some(Modality::Asserted)
}

/// The direct quotation around token `i`, if it is inside one.
pub fn quote_around(doc: &Document, s: usize, i: usize) -> Option<String> {
    if !doc.tokens[i].in_quote {
        return None;
    }
    let range = doc.sentences[s].tokens.clone();
    let mut a = i;
    while a > range.start && doc.tokens[a - 1].in_quote {
        a -= 1;
    }
    let mut b = i + 1;
    while b < range.end && doc.tokens[b].in_quote {
        b += 1;
    }
    let span = tocsin_doc::Span {
        start: doc.tokens[a].span.start,
        end: doc.tokens[b - 1].span.end,
    };
    Some(doc.slice(span).trim_end_matches(',').to_string())
}
