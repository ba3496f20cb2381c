//! Named entities (PER / ORG / GPE / NORP, spaCy's OntoNotes labels) read off the actor mentions: what
//! tocsin's knowledge-base name layer and NER recognise as names, with the name's own extent
//! ("Serbian President Aleksandar Vucic" → PER "Aleksandar Vucic"; "Israeli troops" → NORP "Israeli").

use tocsin_doc::{Document, MentionKind, Span};

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

fn is_article(doc: &Document, i: usize) -> bool {
    matches!(doc.tokens[i].norm.as_str(), "the" | "a" | "an")
}
