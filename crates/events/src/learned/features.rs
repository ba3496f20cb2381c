//! Features of the learned coder: of a candidate trigger token (read before the parse, so the
//! parse stage can be limited to sentences with an event), and of an actor mention as the source or
//! target of an event (read after it).

use tocsin_doc::{Document, MentionKind, Pos};
use tocsin_nlp::perceptron::feature_id;

use super::lexical::Lexical;
use crate::lexicon::{Lexicon, TriggerMatch};
use crate::CameoTable;

const NEGATIONS: &[&str] = &["not", "n't", "never", "no", "without"];
const MODALS: &[&str] = &[
    "will", "'ll", "would", "shall", "could", "might", "may", "should", "must", "can", "cannot",
];
const BE: &[&str] = &["is", "are", "was", "were", "be", "been", "being", "'s"];

/// What one token means as far as the word knowledge tells: computed once per sentence.
#[derive(Debug, Clone, Default)]
pub struct WordInfo {
    /// The vocabulary word it stands for (its lemma with inflections undone), else its lemma.
    pub base: String,
    /// Cluster numbers (64, 1,024, vector row) as text, when the word is known.
    pub clusters: Option<[&'static str; 3]>,
    /// The 1,024-cluster's number.
    pub cluster: Option<u16>,
    /// WordNet sense of the first meaning (the verb sense first for verbs).
    pub sense: Option<&'static super::lexical::Sense>,
}

/// The decimal text of a small number, made once per process (cluster numbers as feature parts).
fn number(n: u16) -> &'static str {
    static TABLE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let t = TABLE.get_or_init(|| (0..=u16::MAX).map(|k| k.to_string()).collect());
    &t[n as usize]
}

impl WordInfo {
    fn of(lex: &'static Lexical, lemma: &str, norm: &str, verb: bool) -> WordInfo {
        let base = lex
            .base(lemma, norm)
            .map(|b| b.into_owned())
            .unwrap_or_else(|| lemma.to_string());
        let ids = lex.clusters(&base);
        let clusters = ids.map(|[a, b, c]| [number(a), number(b), number(c)]);
        let sense = lex.sense(&base, verb).or_else(|| lex.sense(&base, !verb));
        WordInfo {
            base,
            clusters,
            cluster: ids.map(|c| c[1]),
            sense,
        }
    }

    /// The lexicographer file of the word's sense.
    pub fn lexname(&self) -> Option<&'static str> {
        self.sense.map(|s| s.lexname.as_str())
    }
}

/// What the trigger features of one sentence share: its lexicon matches, the word knowledge of its
/// tokens, its actor mentions and coarse facts (computed once per sentence, not per candidate).
#[derive(Debug, Clone, Default)]
pub struct SentenceFacts {
    /// The sentence's token range.
    pub range: std::ops::Range<usize>,
    /// Lexicon matches of the sentence.
    pub matches: Vec<TriggerMatch>,
    /// The PLOVER type each match stands for (its flags' override, else its CAMEO code's row).
    pub types: Vec<Option<&'static str>>,
    /// Token positions of reporting verbs (lexicon `speech` entries).
    pub speech: Vec<usize>,
    /// A year other than the publication's (or a date months before it) appears: background.
    pub old_date: bool,
    /// Index of the sentence in its article.
    pub index: usize,
    /// Indices of the sentence's actor mentions.
    pub mentions: Vec<usize>,
    /// Per token of the sentence: inside an actor mention.
    pub in_mention: Vec<bool>,
    /// Per token of the sentence: its word knowledge.
    pub words: Vec<WordInfo>,
    /// The sentence's common nouns as features ("crush", "flooding" make a death no attack).
    pub nouns: Vec<u64>,
}

impl SentenceFacts {
    /// Gathers the facts of sentence `s`.
    pub fn of(doc: &Document, s: usize, k: Knowledge<'_>) -> SentenceFacts {
        let (lexicon, cameo, lex) = (k.lexicon, k.cameo, k.lexical);
        let range = doc.sentences[s].tokens.clone();
        let matches = match doc.triggers.get(s) {
            Some(t) if doc.triggers.len() == doc.sentences.len() => t.clone(),
            _ => lexicon.find(doc, s),
        };
        let types = matches
            .iter()
            .map(|m| {
                let e = &lexicon.entries[m.entry];
                e.flags
                    .plover
                    .or_else(|| cameo.get(&e.cameo).map(|i| i.plover))
                    .map(|p| p.as_str())
            })
            .collect();
        let speech = matches.iter().filter(|t| t.speech).map(|t| t.start()).collect();
        let old_date = doc.article.published.is_some_and(|p| {
            crate::dates::find_dates(doc, s, p)
                .iter()
                .any(|d| (p - d.date).num_days() > 60)
        });
        let mentions: Vec<usize> = (0..doc.mentions.len())
            .filter(|&m| doc.mentions[m].sentence == s)
            .collect();
        let mut in_mention = vec![false; range.len()];
        for &m in &mentions {
            for t in doc.mentions[m].tokens.clone() {
                if let Some(x) = t.checked_sub(range.start).and_then(|k| in_mention.get_mut(k)) {
                    *x = true;
                }
            }
        }
        let words: Vec<WordInfo> = range
            .clone()
            .map(|t| {
                WordInfo::of(
                    lex,
                    &doc.tokens[t].lemma,
                    &doc.tokens[t].norm,
                    doc.tokens[t].pos == Pos::Verb,
                )
            })
            .collect();
        let mut nouns: Vec<u64> = Vec::new();
        for (k, t) in range.clone().enumerate() {
            if doc.tokens[t].pos != Pos::Noun || in_mention[k] {
                continue;
            }
            let w = &words[k];
            let mut add = |f: u64| {
                if !nouns.contains(&f) {
                    nouns.push(f);
                }
            };
            add(feature_id(&["sn", &w.base]));
            if let Some(lexname) = w.lexname() {
                add(feature_id(&["snwn", lexname]));
            }
            if let Some(c) = &w.clusters {
                add(feature_id(&["snc1k", c[1]]));
            }
        }
        SentenceFacts {
            range,
            matches,
            types,
            speech,
            old_date,
            index: s,
            mentions,
            in_mention,
            words,
            nouns,
        }
    }

    /// Whether token `i` (document index) lies inside an actor mention.
    pub fn in_mention(&self, i: usize) -> bool {
        i.checked_sub(self.range.start)
            .and_then(|k| self.in_mention.get(k))
            .copied()
            .unwrap_or(false)
    }

    /// The word knowledge of token `i` (a document index inside the sentence).
    pub fn word(&self, i: usize) -> &WordInfo {
        &self.words[i - self.range.start]
    }
}

/// Whether token `i` may be a trigger: the start of a lexicon match, or a verb or common noun (or an
/// untagged lower-case word) that the trigger inventory holds (when one is given) or the CAMEO verb
/// dictionary lists; never a token inside an actor mention.
pub fn is_candidate(
    doc: &Document,
    facts: &SentenceFacts,
    i: usize,
    lex: &Lexical,
    inventory: Option<&super::model::Inventory>,
) -> bool {
    let t = &doc.tokens[i];
    if facts.in_mention(i) {
        return false;
    }
    if facts.matches.iter().any(|m| m.start() == i) {
        return true;
    }
    let alpha = t.norm.len() >= 3 && t.norm.chars().all(|c| c.is_ascii_lowercase() || c == '-');
    if !(alpha && matches!(t.pos, Pos::Verb | Pos::Noun | Pos::X)) {
        return false;
    }
    let Some(inv) = inventory else { return true };
    let w = facts.word(i);
    inv.holds(&w.base, w.cluster) || lex.cameo_verb(&t.norm).is_some() || lex.cameo_verb(&w.base).is_some()
}

fn bucket(n: usize) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2 => "2",
        3 => "3",
        4..=6 => "4-6",
        7..=10 => "7-10",
        _ => "11+",
    }
}

fn pos_name(p: Pos) -> &'static str {
    match p {
        Pos::X => "X",
        Pos::Noun => "NOUN",
        Pos::Propn => "PROPN",
        Pos::Verb => "VERB",
        Pos::Aux => "AUX",
        Pos::Adj => "ADJ",
        Pos::Adv => "ADV",
        Pos::Adp => "ADP",
        Pos::Det => "DET",
        Pos::Pron => "PRON",
        Pos::Num => "NUM",
        Pos::Cconj => "CCONJ",
        Pos::Sconj => "SCONJ",
        Pos::Part => "PART",
        Pos::Punct => "PUNCT",
    }
}

/// Features of a word's meaning: its vocabulary word, clusters and WordNet sense.
fn word_features(w: &WordInfo, prefix: &str, out: &mut Vec<u64>) {
    out.push(feature_id(&[prefix, "l", &w.base]));
    if let Some([a, b, c]) = w.clusters {
        out.push(feature_id(&[prefix, "c64", a]));
        out.push(feature_id(&[prefix, "c1k", b]));
        out.push(feature_id(&[prefix, "row", c]));
    }
    if let Some(sense) = w.sense {
        out.push(feature_id(&[prefix, "wn", &sense.lexname]));
        for h in sense.hypernyms.iter().rev().take(4) {
            out.push(feature_id(&[prefix, "wnh", h]));
        }
    }
}

/// What the trigger features read besides the document: the rule lexicon, the CAMEO table and the
/// word knowledge.
#[derive(Clone, Copy)]
pub struct Knowledge<'a> {
    /// The trigger lexicon.
    pub lexicon: &'a Lexicon,
    /// The CAMEO→PLOVER table.
    pub cameo: &'a CameoTable,
    /// Clusters, WordNet, CAMEO verbs (built in: loaded once per process).
    pub lexical: &'static Lexical,
}

/// Features of token `i` as a trigger in the sentence `facts` describes. Returns how many of them (the first ones)
/// describe the word itself and the lexicon's reading of it — the features the CAMEO code model uses.
pub fn trigger_features(
    doc: &Document,
    i: usize,
    facts: &SentenceFacts,
    k: Knowledge<'_>,
    out: &mut Vec<u64>,
) -> usize {
    let (lexicon, cameo, lex) = (k.lexicon, k.cameo, k.lexical);
    out.clear();
    let range = facts.range.clone();
    let t = &doc.tokens[i];
    out.push(feature_id(&["bias"]));
    out.push(feature_id(&["w", &t.norm]));
    out.push(feature_id(&["p", pos_name(t.pos)]));
    out.push(feature_id(&["lp", &t.lemma, pos_name(t.pos)]));
    let suffix: String = t.norm.chars().rev().take(3).collect();
    out.push(feature_id(&["suf", &suffix]));
    out.push(feature_id(&["inflected", if t.norm != t.lemma { "1" } else { "0" }]));
    word_features(facts.word(i), "t", out);
    if let Some(code) = lex.cameo_verb(&t.norm).or_else(|| lex.cameo_verb(&t.lemma)) {
        out.push(feature_id(&["cv", code]));
        out.push(feature_id(&["cvroot", code.get(..2).unwrap_or(code)]));
        if let Some(info) = cameo.get(code) {
            out.push(feature_id(&["cvtype", info.plover.as_str()]));
        }
    }
    // The rule lexicon: what it says a match starting (or lying) here means.
    for (m, kind) in facts
        .matches
        .iter()
        .zip(&facts.types)
        .filter(|(m, _)| m.tokens.contains(&i))
    {
        let e = &lexicon.entries[m.entry];
        let at = if m.start() == i { "head" } else { "inside" };
        out.push(feature_id(&["lexany", at]));
        if let Some(k) = kind {
            out.push(feature_id(&["lexplover", at, k]));
        }
        out.push(feature_id(&["lex", at, &e.cameo]));
        out.push(feature_id(&["lexroot", at, e.cameo.get(..2).unwrap_or("")]));
        if let Some(p) = e.flags.plover {
            out.push(feature_id(&["lextype", at, p.as_str()]));
        }
        for (flag, on) in [
            ("noun", e.flags.noun || m.nominal),
            ("speech", e.flags.speech),
            ("deny", e.flags.deny),
            ("casualty", e.flags.casualty),
            ("absorb", e.flags.absorb),
            ("oblige", e.flags.oblige),
        ] {
            if on {
                out.push(feature_id(&["lexflag", at, flag]));
            }
        }
        out.push(feature_id(&["lexlen", bucket(m.tokens.len())]));
        // A multi-word pattern ("expressed concern", "fought with") is more specific than its first word.
        if let (Some(k), true) = (kind, m.tokens.len() > 1) {
            out.push(feature_id(&["lexplover-multi", at, k]));
        }
    }
    let core = out.len();
    // Context words.
    for (d, name) in [(-2i64, "-2"), (-1, "-1"), (1, "1"), (2, "2")] {
        let k = i as i64 + d;
        if k < range.start as i64 || k >= range.end as i64 {
            out.push(feature_id(&["ctx", name, "<edge>"]));
            continue;
        }
        let w = &doc.tokens[k as usize];
        out.push(feature_id(&["ctx", name, &w.lemma]));
        out.push(feature_id(&["ctxp", name, pos_name(w.pos)]));
    }
    let left = range.start.max(i.saturating_sub(4))..i;
    let right = (i + 1)..range.end.min(i + 5);
    for k in left.clone() {
        out.push(feature_id(&["bl", &doc.tokens[k].lemma]));
    }
    for k in right.clone() {
        out.push(feature_id(&["br", &doc.tokens[k].lemma]));
    }
    // The nearest common noun on each side (subject-like and object-like words: "earthquake kills").
    let noun_at = |k: usize| matches!(doc.tokens[k].pos, Pos::Noun) && !facts.in_mention(k);
    if let Some(k) = (range.start..i).rev().find(|&k| noun_at(k)) {
        word_features(facts.word(k), "nl", out);
    }
    if let Some(k) = (i + 1..range.end).find(|&k| noun_at(k)) {
        word_features(facts.word(k), "nr", out);
    }
    // What the sentence is about: its common nouns' senses and clusters.
    out.extend_from_slice(&facts.nouns);
    // Modality cues in the three words before.
    let before: Vec<&str> = (range.start.max(i.saturating_sub(3))..i)
        .map(|k| doc.tokens[k].norm.as_str())
        .collect();
    if before.iter().any(|w| NEGATIONS.contains(w)) {
        out.push(feature_id(&["neg"]));
    }
    for w in before.iter().filter(|w| MODALS.contains(w)) {
        out.push(feature_id(&["modal", w]));
    }
    if i > range.start && doc.tokens[i - 1].norm == "to" {
        let gov = (range.start..i - 1)
            .rev()
            .find(|&g| matches!(doc.tokens[g].pos, Pos::Verb | Pos::Noun | Pos::Adj));
        out.push(feature_id(&["inf", gov.map_or("-", |g| doc.tokens[g].lemma.as_str())]));
        if let Some(g) = gov {
            word_features(facts.word(g), "infgov", out);
        }
    }
    if i > range.start && BE.contains(&doc.tokens[i - 1].norm.as_str()) && !t.norm.ends_with("ing") {
        out.push(feature_id(&["after-be"]));
    }
    if i > range.start && matches!(doc.tokens[i - 1].pos, Pos::Det) {
        out.push(feature_id(&["after-det"]));
    }
    if t.in_quote {
        out.push(feature_id(&["quote"]));
    }
    // Reported speech around it.
    if facts.speech.iter().any(|&v| v < i) {
        out.push(feature_id(&["after-speech"]));
    }
    if facts.speech.iter().any(|&v| v > i) {
        out.push(feature_id(&["before-speech"]));
    }
    if facts.speech.contains(&i) {
        out.push(feature_id(&["is-speech"]));
    }
    if facts.old_date {
        out.push(feature_id(&["old-date"]));
    }
    // Actors around it.
    let in_sentence: Vec<&tocsin_doc::Mention> = facts.mentions.iter().map(|&m| &doc.mentions[m]).collect();
    out.push(feature_id(&["actors", bucket(in_sentence.len())]));
    let nearest_left = in_sentence
        .iter()
        .filter(|m| m.tokens.end <= i)
        .max_by_key(|m| m.tokens.end);
    let nearest_right = in_sentence
        .iter()
        .filter(|m| m.tokens.start > i)
        .min_by_key(|m| m.tokens.start);
    // Who acts shapes what the act is: a clash of an armed group is no protest.
    if let Some(m) = nearest_left {
        let sector = m.actor.sector.as_deref().unwrap_or("-");
        if let Some(c) = &facts.word(i).clusters {
            out.push(feature_id(&["actL×c64", sector, c[0]]));
        }
        for (mm, kind) in facts.matches.iter().zip(&facts.types) {
            if let (true, Some(k)) = (mm.start() == i, kind) {
                out.push(feature_id(&["actL×lexplover", sector, k]));
            }
        }
    }
    for (side, m, dist) in [
        ("L", nearest_left, nearest_left.map(|m| i - m.tokens.end)),
        ("R", nearest_right, nearest_right.map(|m| m.tokens.start - i - 1)),
    ] {
        match m {
            None => out.push(feature_id(&["act", side, "none"])),
            Some(m) => {
                out.push(feature_id(&["act", side, "dist", bucket(dist.unwrap_or(0))]));
                out.push(feature_id(&[
                    "act",
                    side,
                    "sector",
                    m.actor.sector.as_deref().unwrap_or("-"),
                ]));
                out.push(feature_id(&["act", side, "kind", kind_name(m.kind)]));
                if m.locative {
                    out.push(feature_id(&["act", side, "locative"]));
                }
                if m.actor.country.is_none() && m.actor.org.is_none() {
                    out.push(feature_id(&["act", side, "nocountry"]));
                }
            }
        }
    }
    // What a reporting verb reports: the types the lexicon reads in its complement and the meaning of
    // the complement's words ("says Israel has targeted three hospitals" is an accusation).
    if facts.speech.contains(&i) || facts.matches.iter().any(|m| m.start() == i && m.speech) {
        let mut seen: Vec<u64> = Vec::new();
        for (m, kind) in facts
            .matches
            .iter()
            .zip(&facts.types)
            .filter(|(m, _)| m.start() > i && !m.speech)
        {
            if let Some(k) = kind {
                seen.push(feature_id(&["compl-type", k]));
            }
            let _ = m;
        }
        for k in (i + 1)..range.end.min(i + 16) {
            if facts.in_mention(k) {
                seen.push(feature_id(&["compl-actor"]));
            } else if let Some(lexname) = facts.word(k).lexname() {
                seen.push(feature_id(&["compl-wn", lexname]));
            }
            if let Some(c) = &facts.word(k).clusters {
                seen.push(feature_id(&["compl-c64", c[0]]));
            }
        }
        seen.sort_unstable();
        seen.dedup();
        out.extend(seen);
    }
    // The word in its frame: its meaning joined with the cues that change what it reports (negated,
    // hedged, passive, quoted, reported, which kind of actor stands before and after it, what the
    // nearest noun before it is).
    let w = facts.word(i);
    let mut tags: Vec<String> = Vec::new();
    let before3 = range.start.max(i.saturating_sub(3))..i;
    if before3
        .clone()
        .any(|k| NEGATIONS.contains(&doc.tokens[k].norm.as_str()))
    {
        tags.push("neg".into());
    }
    if before3.clone().any(|k| MODALS.contains(&doc.tokens[k].norm.as_str())) {
        tags.push("modal".into());
    }
    if i > range.start && BE.contains(&doc.tokens[i - 1].norm.as_str()) && !t.norm.ends_with("ing") {
        tags.push("passive".into());
    }
    if t.in_quote {
        tags.push("quote".into());
    }
    if facts.speech.iter().any(|&v| v < i) {
        tags.push("reported".into());
    }
    tags.push(format!(
        "L:{}",
        nearest_left.map_or("none", |m| m.actor.sector.as_deref().unwrap_or("-"))
    ));
    tags.push(format!(
        "R:{}",
        nearest_right.map_or("none", |m| m.actor.sector.as_deref().unwrap_or("-"))
    ));
    if let Some(k) = (range.start..i).rev().find(|&k| noun_at(k)) {
        if let Some(lexname) = facts.word(k).lexname() {
            tags.push(format!("nl:{lexname}"));
        }
    }
    let cluster = w.clusters.map_or("-", |c| c[1]);
    for tag in &tags {
        out.push(feature_id(&["x", &w.base, tag]));
        out.push(feature_id(&["xc", cluster, tag]));
    }
    core
}

/// The name of a mention kind, for features.
pub fn kind_name(k: MentionKind) -> &'static str {
    match k {
        MentionKind::Name => "name",
        MentionKind::Capital => "capital",
        MentionKind::Pronoun => "pronoun",
        MentionKind::Description => "description",
    }
}

/// Adds the event type, alone and with each core feature's presence summarised, to a trigger's core
/// features: the input of the implied-source classifier.
pub fn implied_features(kind: &str, out: &mut Vec<u64>) {
    let conj: Vec<u64> = out.iter().map(|f| f ^ feature_id(&["implied-kind", kind])).collect();
    out.push(feature_id(&["implied-kind", kind]));
    out.extend(conj);
}

/// What the role features of one (trigger, type) share.
pub struct RoleFrame<'a> {
    /// The document.
    pub doc: &'a Document,
    /// Sentence index.
    pub s: usize,
    /// The trigger's tokens (first = head).
    pub trigger: &'a [usize],
    /// The event type, conjoined with the main features.
    pub kind: &'a str,
    /// The rule finders' source and target for this trigger (clause positions and parse rules).
    pub rule_source: Option<usize>,
    /// See `rule_source`.
    pub rule_target: Option<usize>,
    /// Token positions of reporting verbs in the sentence.
    pub speech: &'a [usize],
}

fn dep_of(doc: &Document, i: usize) -> &str {
    doc.tokens[i].dep.as_deref().unwrap_or("-")
}

/// The token of a mention whose head lies outside it (its syntactic head), else its last token.
fn mention_head(doc: &Document, m: &tocsin_doc::Mention) -> usize {
    m.tokens
        .clone()
        .find(|&k| doc.tokens[k].head.is_none_or(|h| !m.tokens.contains(&h)))
        .unwrap_or(m.tokens.end.saturating_sub(1))
}

/// Ancestors of token `i` (itself first), at most `n`.
fn ancestors(doc: &Document, i: usize, n: usize) -> Vec<usize> {
    let mut out = vec![i];
    let mut cur = i;
    while let Some(h) = doc.tokens[cur].head {
        if out.len() >= n || out.contains(&h) {
            break;
        }
        out.push(h);
        cur = h;
    }
    out
}

/// The dependency path between a mention head and the trigger: relations up from the mention to the
/// lowest common ancestor, then up from the trigger ("nsubj|" = subject of the trigger).
fn dep_path(doc: &Document, from: usize, trigger: usize) -> Option<String> {
    let a = ancestors(doc, from, 5);
    let b = ancestors(doc, trigger, 5);
    let (ia, ib) = a
        .iter()
        .enumerate()
        .find_map(|(ia, x)| b.iter().position(|y| y == x).map(|ib| (ia, ib)))?;
    let up: Vec<&str> = a[..ia].iter().map(|&k| dep_of(doc, k)).collect();
    let down: Vec<&str> = b[..ib].iter().map(|&k| dep_of(doc, k)).collect();
    Some(format!("{}|{}", up.join(">"), down.join(">")))
}

/// Features of mention `m` (None: nobody) for a role of the event in `f`; `source` is the chosen
/// source when scoring targets.
pub fn role_features(f: &RoleFrame<'_>, m: Option<usize>, source: Option<usize>, out: &mut Vec<u64>) {
    out.clear();
    let doc = f.doc;
    let t0 = f.trigger[0];
    let range = doc.sentences[f.s].tokens.clone();
    let passive =
        t0 > range.start && BE.contains(&doc.tokens[t0 - 1].norm.as_str()) && !doc.tokens[t0].norm.ends_with("ing");
    let nominal = doc.tokens[t0].pos == Pos::Noun;
    let k = f.kind;
    let Some(mi) = m else {
        let n = doc.mentions.iter().filter(|x| x.sentence == f.s).count();
        for feats in [
            &["null"][..],
            &["null", k],
            &["null", "nominal", if nominal { "1" } else { "0" }, k],
            &["null", "passive", if passive { "1" } else { "0" }, k],
            &["null", "mentions", bucket(n)],
            &[
                "null",
                "rule",
                if f.rule_source.is_some() { "src" } else { "-" },
                if f.rule_target.is_some() { "tgt" } else { "-" },
            ],
            &["null", "hassrc", if source.is_some() { "1" } else { "0" }, k],
        ] {
            out.push(feature_id(feats));
        }
        return;
    };
    let men = &doc.mentions[mi];
    let left = men.tokens.end <= t0;
    let dir = if left { "L" } else { "R" };
    let dist = if left {
        t0 - men.tokens.end
    } else {
        men.tokens
            .start
            .saturating_sub(f.trigger.last().copied().unwrap_or(t0) + 1)
    };
    let between = if left {
        men.tokens.end..t0
    } else {
        (t0 + 1)..men.tokens.start
    };
    let verbs = between.clone().filter(|&x| doc.tokens[x].pos == Pos::Verb).count();
    let comma = between.clone().any(|x| doc.tokens[x].norm == ",");
    let and = between.clone().any(|x| doc.tokens[x].norm == "and");
    let other = doc
        .mentions
        .iter()
        .any(|o| o.sentence == f.s && between.contains(&o.tokens.start) && !std::ptr::eq(o, men));
    let sector = men.actor.sector.as_deref().unwrap_or("-");
    let kind = kind_name(men.kind);
    // The preposition that introduces the mention's noun phrase ("with the Kosovar police"), looking
    // back over its determiners and modifiers.
    let prep = (range.start..men.tokens.start)
        .rev()
        .take(4)
        .find(|&k| !matches!(doc.tokens[k].pos, Pos::Det | Pos::Adj | Pos::Num) && doc.tokens[k].norm != "'s")
        .filter(|&k| matches!(doc.tokens[k].pos, Pos::Adp) || matches!(doc.tokens[k].norm.as_str(), "by" | "to"))
        .map_or("-", |k| doc.tokens[k].norm.as_str());
    let after = doc
        .tokens
        .get(men.tokens.end)
        .filter(|_| men.tokens.end < range.end)
        .map_or("<end>", |w| w.norm.as_str());
    let adjacent = left
        && (men.tokens.end..t0).all(|x| matches!(doc.tokens[x].pos, Pos::Adj | Pos::X) || doc.tokens[x].norm == "'s");
    let same_clause = doc.tokens[men.tokens.start].clause == doc.tokens[t0].clause;
    let pairs: Vec<Vec<&str>> = vec![
        vec!["dir", dir],
        vec!["dir", dir, k],
        vec!["dist", dir, bucket(dist)],
        vec!["dist", dir, bucket(dist), k],
        vec!["verbs", dir, bucket(verbs)],
        vec!["comma", dir, if comma { "1" } else { "0" }],
        vec!["and", dir, if and { "1" } else { "0" }],
        vec!["other", dir, if other { "1" } else { "0" }],
        vec!["clause", if same_clause { "same" } else { "other" }, dir],
        vec!["sector", sector],
        vec!["sector", sector, k],
        vec!["kind", kind],
        vec!["kind", kind, dir],
        vec!["prep", prep],
        vec!["prep", prep, k],
        vec!["prep", prep, dir],
        vec!["after", after, dir],
        vec![
            "adjacent",
            if adjacent { "1" } else { "0" },
            if nominal { "n" } else { "v" },
            k,
        ],
        vec!["passive", if passive { "1" } else { "0" }, dir, k],
        vec!["nominal", if nominal { "1" } else { "0" }, dir],
        vec!["locative", if men.locative { "1" } else { "0" }, dir],
        vec!["person", if men.person { "1" } else { "0" }],
        vec![
            "country",
            if men.actor.country.is_some() {
                "1"
            } else if men.actor.org.is_some() {
                "org"
            } else {
                "0"
            },
        ],
        vec!["coded", if men.actor.code.is_empty() { "0" } else { "1" }],
        vec!["rule-src", if f.rule_source == Some(mi) { "1" } else { "0" }, k],
        vec!["rule-tgt", if f.rule_target == Some(mi) { "1" } else { "0" }, k],
        vec![
            "quote",
            if doc.tokens[men.tokens.start].in_quote == doc.tokens[t0].in_quote {
                "same"
            } else {
                "diff"
            },
        ],
    ];
    for p in &pairs {
        out.push(feature_id(p));
    }
    if let Some(src) = source {
        let same = src == mi;
        let same_country = men.actor.country.is_some() && doc.mentions[src].actor.country == men.actor.country;
        out.push(feature_id(&["is-src", if same { "1" } else { "0" }]));
        out.push(feature_id(&["src-country", if same_country { "1" } else { "0" }, k]));
        let src_left = doc.mentions[src].tokens.end <= men.tokens.start;
        out.push(feature_id(&["src-before", if src_left { "1" } else { "0" }, dir]));
    } else {
        out.push(feature_id(&["no-src", dir]));
    }
    // Rank among the mentions on the same side (0 = nearest).
    let rank = doc
        .mentions
        .iter()
        .filter(|o| o.sentence == f.s && !std::ptr::eq(*o, men))
        .filter(|o| {
            if left {
                o.tokens.end <= t0 && o.tokens.end > men.tokens.end
            } else {
                o.tokens.start > t0 && o.tokens.start < men.tokens.start
            }
        })
        .count();
    out.push(feature_id(&["rank", dir, bucket(rank)]));
    out.push(feature_id(&["rank", dir, bucket(rank), k]));
    // The parse, when the sentence has one.
    if doc.tokens[t0].dep.is_some() {
        let h = mention_head(doc, men);
        out.push(feature_id(&["dep", dep_of(doc, h)]));
        out.push(feature_id(&["dep", dep_of(doc, h), k]));
        if doc.tokens[h].head == Some(t0) {
            out.push(feature_id(&["dep-trig", dep_of(doc, h)]));
            out.push(feature_id(&["dep-trig", dep_of(doc, h), k]));
        }
        match dep_path(doc, h, t0) {
            Some(p) => {
                out.push(feature_id(&["path", &p]));
                out.push(feature_id(&["path", &p, k]));
            }
            None => out.push(feature_id(&["path", "none"])),
        }
        // The subject of a reporting verb is its speaker: the source of the saying only.
        let speaker = f
            .speech
            .iter()
            .any(|&v| doc.tokens[h].head == Some(v) && dep_of(doc, h).starts_with("nsubj"));
        out.push(feature_id(&["speaker", if speaker { "1" } else { "0" }, k]));
    } else {
        out.push(feature_id(&["unparsed", dir]));
        let speaker = f.speech.iter().any(|&v| men.tokens.end <= v && v <= men.tokens.end + 2);
        out.push(feature_id(&["speaker-pos", if speaker { "1" } else { "0" }, k]));
    }
}
