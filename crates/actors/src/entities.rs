//! Named entities (PER / ORG / GPE / NORP, spaCy's OntoNotes labels) read off the actor mentions: what
//! tocsin's knowledge-base name layer and NER recognise as names, with the name's own extent
//! ("Serbian President Aleksandar Vucic" → PER "Aleksandar Vucic"; "Israeli troops" → NORP "Israeli").

use tocsin_doc::{Document, MentionKind, Pos, Span};

use crate::kb::{Entry, KnowledgeBase};
use crate::recognize::{pieces, Piece};

/// An entity label in spaCy's OntoNotes scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityLabel {
    /// People.
    Per,
    /// Organisations, armed groups, ministries, named armed forces.
    Org,
    /// Countries, cities, regions.
    Gpe,
    /// Nationalities, religious and political groups.
    Norp,
}

impl EntityLabel {
    /// The label as written in the gold file ("PER", "ORG", "GPE", "NORP").
    pub fn as_str(self) -> &'static str {
        match self {
            EntityLabel::Per => "PER",
            EntityLabel::Org => "ORG",
            EntityLabel::Gpe => "GPE",
            EntityLabel::Norp => "NORP",
        }
    }
}

/// One recognised name: byte span in the document and its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamedEntity {
    /// Byte range of the name.
    pub span: Span,
    /// Its label.
    pub label: EntityLabel,
}

/// Demonyms that the suffix rule of [`is_demonym`] misses.
const DEMONYMS: &[&str] = &[
    "thai",
    "kyrgyz",
    "swiss",
    "dutch",
    "french",
    "british",
    "irish",
    "welsh",
    "scottish",
    "english",
    "czech",
    "greek",
    "greeks",
    "filipino",
    "filipinos",
    "lao",
    "kazakh",
    "uzbek",
    "tajik",
    "turkmen",
    "malagasy",
    "serb",
    "serbs",
    "croat",
    "croats",
    "pole",
    "poles",
    "turk",
    "turks",
    "kurd",
    "kurds",
    "arab",
    "arabs",
    "dane",
    "danes",
    "swede",
    "swedes",
    "finn",
    "finns",
    "scot",
    "scots",
    "jew",
    "jews",
    "druze",
    "rohingya",
    "baloch",
    "houthi",
];

/// Whether a country word as written is a nationality (NORP: "Israeli", "Palestinians", "Thai") rather
/// than the place (GPE: "Israel", "Iran", "Afghanistan").
pub fn is_demonym(surface: &str, country_name: &str) -> bool {
    let w = surface.trim_end_matches(['\'', '’']).to_lowercase();
    if w == country_name.to_lowercase() || w.contains(' ') && !w.ends_with("ans") && !w.ends_with("an") {
        return false;
    }
    if DEMONYMS.contains(&w.as_str()) {
        return true;
    }
    let stem = w.strip_suffix('s').unwrap_or(&w);
    !stem.ends_with("stan")
        && ["an", "ian", "ese", "ish", "i", "ic", "ot", "ean", "ene"]
            .iter()
            .any(|s| stem.ends_with(s))
}

/// The named entities of a document after the actors stage (and, when they ran, `parse` and `persons`):
/// one per actor mention that holds a name, plus the NER's organisations and places no mention covers.
pub fn named_entities(kb: &KnowledgeBase, doc: &Document) -> Vec<NamedEntity> {
    let mut out = Vec::new();
    let mut by_sentence: Vec<Option<Vec<Piece>>> = vec![None; doc.sentences.len()];
    for m in &doc.mentions {
        if matches!(m.kind, MentionKind::Pronoun | MentionKind::Description) {
            continue;
        }
        let Some(slot) = by_sentence.get_mut(m.sentence) else {
            continue;
        };
        let ps = slot.get_or_insert_with(|| pieces(kb, doc, m.sentence));
        let inside: Vec<Piece> = ps
            .iter()
            .filter(|p| p.start >= m.tokens.start && p.end <= m.tokens.end)
            .copied()
            .collect();
        if let Some((tokens, label)) = mention_entity(kb, doc, &m.tokens, m.person, &inside) {
            out.push(NamedEntity {
                span: Span {
                    start: doc.tokens[tokens.start].span.start,
                    end: doc.tokens[tokens.end - 1].span.end,
                },
                label,
            });
        }
    }
    for e in &doc.entities {
        let covered = doc
            .mentions
            .iter()
            .any(|m| m.tokens.start < e.tokens.end && e.tokens.start < m.tokens.end);
        let label = match e.label.as_str() {
            "ORG" => EntityLabel::Org,
            "LOC" => EntityLabel::Gpe,
            _ => continue,
        };
        if !covered && e.tokens.end <= doc.tokens.len() && !e.tokens.is_empty() {
            out.push(NamedEntity {
                span: Span {
                    start: doc.tokens[e.tokens.start].span.start,
                    end: doc.tokens[e.tokens.end - 1].span.end,
                },
                label,
            });
        }
    }
    // Two or three proper nouns in a row that nothing above covers: a person's name ("Bryan Kohberger").
    for sent in &doc.sentences {
        let r = sent.tokens.clone();
        let mut i = r.start;
        while i < r.end {
            let name = |k: usize| {
                doc.tokens[k].pos == Pos::Propn
                    && doc.capitalised(k)
                    && doc.slice(doc.tokens[k].span).chars().all(char::is_alphabetic)
            };
            let run = (i..r.end).take_while(|&k| name(k)).count();
            if (2..=3).contains(&run) {
                let span = Span {
                    start: doc.tokens[i].span.start,
                    end: doc.tokens[i + run - 1].span.end,
                };
                let free = !out.iter().any(|e| e.span.start < span.end && span.start < e.span.end)
                    && !doc
                        .mentions
                        .iter()
                        .any(|m| m.tokens.start < i + run && i < m.tokens.end)
                    && !org_like(doc, i..i + run);
                if free {
                    out.push(NamedEntity {
                        span,
                        label: EntityLabel::Per,
                    });
                }
            }
            i += run.max(1);
        }
    }
    // Organisation names win over the country words and titles inside them.
    for r in org_phrases(doc) {
        let span = Span {
            start: doc.tokens[r.start].span.start,
            end: doc.tokens[r.end - 1].span.end,
        };
        out.retain(|e| {
            !(e.span.start >= span.start && e.span.end <= span.end) || e.label == EntityLabel::Org && e.span == span
        });
        if !out.iter().any(|e| e.span.start < span.end && span.start < e.span.end) {
            out.push(NamedEntity {
                span,
                label: EntityLabel::Org,
            });
        }
    }
    out.sort_by_key(|e| (e.span.start, e.span.end));
    out.dedup();
    out
}

/// The name inside one mention (token range) and its label.
fn mention_entity(
    kb: &KnowledgeBase,
    doc: &Document,
    tokens: &std::ops::Range<usize>,
    person: bool,
    inside: &[Piece],
) -> Option<(std::ops::Range<usize>, EntityLabel)> {
    let cap = |i: usize| doc.capitalised(i);
    if let Some(p) = inside.iter().find(|p| matches!(p.entry, Entry::Person(_))) {
        // Actor dictionaries list organisations among their "people" ("ISRAEL DEFENSE FORCES", "MI5").
        let dictionary = matches!(p.entry, Entry::Person(i) if kb.people[i].role.is_empty());
        if dictionary && org_like(doc, p.start..p.end) {
            let start = (tokens.start..p.start)
                .rev()
                .take_while(|&i| cap(i) && !is_article(doc, i))
                .last();
            return Some((start.unwrap_or(p.start)..p.end, EntityLabel::Org));
        }
        return Some((p.start..p.end, EntityLabel::Per));
    }
    if person {
        // A title and a name the knowledge base does not know ("Minister Tran Xuan Gia"), or an NER person:
        // the capitalised words after the last title or country word.
        let after = inside
            .iter()
            .filter(|p| matches!(p.entry, Entry::Sector(_) | Entry::Country(_) | Entry::Capital(_)))
            .map(|p| p.end)
            .max()
            .unwrap_or(tokens.start);
        let start = (after..tokens.end).find(|&i| cap(i))?;
        return Some((start..tokens.end, EntityLabel::Per));
    }
    if let Some(p) = inside.iter().find(|p| matches!(p.entry, Entry::Group(_))) {
        return Some((p.start..p.end, EntityLabel::Org));
    }
    if let Some(p) = inside.iter().find(|p| matches!(p.entry, Entry::Org(_))) {
        return Some((p.start..p.end, EntityLabel::Org));
    }
    let country = inside
        .iter()
        .find(|p| matches!(p.entry, Entry::Country(_) | Entry::Capital(_)))?;
    // A country word with capitalised sector words right after it is an organisation's name ("Israel
    // Defense Forces", "Royal Thai Air Force", "the Somali National Army"), unless a possessive divides them.
    let last = inside.last().map_or(country.end, |p| p.end);
    let head_sector = inside
        .iter()
        .any(|p| p.start >= country.end && matches!(p.entry, Entry::Sector(_)));
    let possessive = (country.end..last).any(|i| matches!(doc.tokens[i].norm.as_str(), "'s" | "’s" | "'"));
    if head_sector && !possessive && (country.start..last).all(cap) {
        let start = (tokens.start..country.start)
            .rev()
            .take_while(|&i| cap(i) && !is_article(doc, i))
            .last();
        return Some((start.unwrap_or(country.start)..last, EntityLabel::Org));
    }
    let surface = doc.slice(Span {
        start: doc.tokens[country.start].span.start,
        end: doc.tokens[country.end - 1].span.end,
    });
    let label = match country.entry {
        Entry::Country(i) if is_demonym(surface, &kb.countries[i].name) => EntityLabel::Norp,
        _ => EntityLabel::Gpe,
    };
    Some((country.start..country.end, label))
}

/// Head nouns of organisation names.
const ORG_HEADS: &[&str] = &[
    "court",
    "courts",
    "forces",
    "force",
    "army",
    "navy",
    "guard",
    "police",
    "ministry",
    "department",
    "council",
    "commission",
    "party",
    "movement",
    "union",
    "nations",
    "organization",
    "organisation",
    "service",
    "bureau",
    "agency",
    "parliament",
    "congress",
    "assembly",
    "senate",
    "front",
    "brigades",
    "brigade",
    "committee",
    "office",
    "authority",
    "bank",
    "corporation",
    "corp",
    "company",
    "university",
    "institute",
    "foundation",
    "fund",
    "programme",
    "program",
    "administration",
    "cabinet",
    "church",
    "alliance",
    "federation",
    "league",
    "coalition",
    "tribunal",
    "directorate",
    "corps",
    "militia",
    "watch",
    "association",
    "board",
    "house",
    "knesset",
    "pentagon",
    "rada",
    "duma",
    "cartel",
];

/// Whether tokens name an organisation: an organisation head noun, or an acronym ("FBI", "MI5").
fn org_like(doc: &Document, tokens: std::ops::Range<usize>) -> bool {
    tokens.clone().any(|i| ORG_HEADS.contains(&doc.tokens[i].norm.as_str()))
        || (tokens.len() == 1 && {
            let w = doc.slice(doc.tokens[tokens.start].span);
            w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

/// Capitalised phrases that end in an organisation head noun ("the Securities and Investments
/// Commission", "Philippine Commission on Elections", "Spain's Supreme Court"), with an "of" + name tail
/// ("Supreme Court of Argentina"): organisation names, whether or not the knowledge base knows them.
fn org_phrases(doc: &Document) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for sent in &doc.sentences {
        let r = sent.tokens.clone();
        let mut i = r.start;
        while i < r.end {
            if !doc.capitalised(i) || is_article(doc, i) {
                i += 1;
                continue;
            }
            let start = i;
            let mut last_head = None;
            let mut j = i;
            while j < r.end {
                let n = doc.tokens[j].norm.as_str();
                if doc.capitalised(j) && !matches!(n, "'s" | "’s") {
                    if ORG_HEADS.contains(&n) {
                        last_head = Some(j);
                    }
                    j += 1;
                } else if matches!(n, "of" | "on" | "and" | "for" | "the" | "de")
                    && j + 1 < r.end
                    && doc.capitalised(j + 1)
                {
                    j += 1;
                } else {
                    break;
                }
            }
            if let Some(h) = last_head {
                // Through the head and an "of X" tail made of capitalised words.
                let mut end = h + 1;
                if end + 1 < j && doc.tokens[end].norm == "of" {
                    end = j;
                }
                while end > h + 1 && !doc.capitalised(end - 1) {
                    end -= 1;
                }
                out.push(start..end);
            }
            i = j.max(i + 1);
        }
    }
    out
}

fn is_article(doc: &Document, i: usize) -> bool {
    matches!(doc.tokens[i].norm.as_str(), "the" | "a" | "an")
}
