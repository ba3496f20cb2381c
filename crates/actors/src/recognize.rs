//! Phrase matching and merging of adjacent pieces into one mention per noun phrase.

use tocsin_doc::{Actor, Document, Mention, MentionKind, Pos, Span};

use crate::kb::{Entry, KnowledgeBase};

/// One matched phrase: token range and what it denotes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Piece {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) entry: Entry,
}

const LOCATIVE: &[&str] = &["in", "at", "near", "outside", "inside", "across", "throughout", "into"];
const TITLES: &[&str] = &[
    "president",
    "minister",
    "prime minister",
    "foreign minister",
    "secretary of state",
    "chancellor",
    "premier",
    "king",
    "emir",
    "leader",
    "spokesman",
    "spokeswoman",
    "ambassador",
    "envoy",
    "communications director",
    "national security advisor",
    "national security adviser",
    "official",
    "commander",
    "general",
];

/// Token-aligned phrase matches in one sentence, longest first, non-overlapping.
pub(crate) fn pieces(kb: &KnowledgeBase, doc: &Document, s: usize) -> Vec<Piece> {
    let range = doc.sentences[s].tokens.clone();
    let mut hay = String::new();
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    for i in range.clone() {
        if !hay.is_empty() {
            hay.push(' ');
        }
        starts.push(hay.len());
        hay.push_str(&doc.tokens[i].norm);
        ends.push(hay.len());
    }
    let mut found: Vec<Piece> = Vec::new();
    for (bs, be, k) in kb.find(&hay) {
        let (Ok(ts), Ok(te)) = (starts.binary_search(&bs), ends.binary_search(&be)) else {
            continue;
        };
        let (ts, te) = (range.start + ts, range.start + te + 1);
        let surface = doc.slice(Span {
            start: doc.tokens[ts].span.start,
            end: doc.tokens[te - 1].span.end,
        });
        if let Some(entry) = kb.entry_for(k, surface, doc.article.published) {
            found.push(Piece {
                start: ts,
                end: te,
                entry,
            });
        }
    }
    found.sort_by_key(|p| (p.start, std::cmp::Reverse(p.end)));
    let mut out: Vec<Piece> = Vec::new();
    for p in found {
        if out.last().is_none_or(|l| p.start >= l.end) {
            out.push(p);
        }
    }
    // Blocked phrases won the overlap to hide the names inside them; they name no actor.
    out.retain(|p| p.entry != Entry::Blocked);
    out
}

fn is_country(e: Entry) -> bool {
    matches!(e, Entry::Country(_) | Entry::Capital(_))
}

/// Whether the noun phrase starting at token `start` has a possessive pronoun ("its troops"),
/// up to two modifiers before it.
fn possessed(doc: &Document, start: usize) -> bool {
    (start.saturating_sub(3)..start)
        .rev()
        .take_while(|&k| !matches!(doc.tokens[k].norm.as_str(), "," | "." | ";"))
        .any(|k| matches!(doc.tokens[k].norm.as_str(), "its" | "their" | "his" | "her" | "our"))
}

/// Whether piece `b` continues the noun phrase that `group` started, given the tokens between.
fn joins(doc: &Document, group: &[Piece], b: &Piece) -> bool {
    let a = group[group.len() - 1];
    let gap: Vec<&str> = (a.end..b.start).map(|i| doc.tokens[i].norm.as_str()).collect();
    let has_country = group.iter().any(|p| is_country(p.entry));
    let has_person = group.iter().any(|p| matches!(p.entry, Entry::Person(_)));
    match (a.entry, b.entry) {
        (_, Entry::Person(_)) if has_person => false,
        (Entry::Country(_) | Entry::Capital(_), Entry::Country(_) | Entry::Capital(_)) => false,
        _ if gap.is_empty() || gap == ["'s"] => true,
        // "officials of Serbia", "soldiers from Gondor", "activists in Arnor", "the government of NATO".
        // Not after a possessive: "its troops from Chad" are not Chad's.
        (Entry::Sector(_), Entry::Country(_) | Entry::Capital(_) | Entry::Org(_) | Entry::Group(_))
            if !has_country
                && !group.iter().any(|p| matches!(p.entry, Entry::Org(_) | Entry::Group(_)))
                && !possessed(doc, group[0].start) =>
        {
            matches!(
                gap.as_slice(),
                ["of"] | ["of", "the"] | ["in"] | ["in", "the"] | ["from"] | ["of", "northern"]
            )
        }
        (Entry::Sector(_), Entry::Person(_)) => gap == [","] && !has_country,
        // "Serbian top officials", "Taiwan's Vice Foreign Minister", "British Defence Secretary Tom
        // King": modifiers, a possessive and capitalised title or name words.
        (Entry::Country(_) | Entry::Capital(_), Entry::Sector(_)) if has_country => {
            gap.len() <= 3
                && (a.end..b.start).all(|i| {
                    let t = &doc.tokens[i];
                    let word = t.norm.chars().all(|c| c.is_alphabetic() || c == '-');
                    let capitalised = doc.capitalised(i);
                    (i == a.end && t.norm == "'s")
                        || (word && (matches!(t.pos, Pos::X | Pos::Adj | Pos::Adv) || capitalised))
                })
        }
        _ => false,
    }
}

/// Builds the merged mentions of sentence `s`.
pub(crate) fn sentence_mentions(kb: &KnowledgeBase, doc: &Document, s: usize) -> Vec<Mention> {
    let ps = pieces(kb, doc, s);
    let sentence_end = doc.sentences[s].tokens.end;
    let mut groups: Vec<Vec<Piece>> = Vec::new();
    for p in ps {
        match groups.last_mut() {
            Some(g) if joins(doc, g, &p) => g.push(p),
            _ => groups.push(vec![p]),
        }
    }
    let mut mentions: Vec<Mention> = groups
        .into_iter()
        .map(|g| {
            let start = g[0].start;
            let mut end = g[g.len() - 1].end;
            let mut person = g.iter().any(|p| matches!(p.entry, Entry::Person(_)));
            // A title followed by an unknown capitalised name: "Minister Tran Xuan Gia".
            if let Entry::Sector(i) = g[g.len() - 1].entry {
                if !person && TITLES.contains(&kb.sectors[i].0.to_lowercase().as_str()) {
                    let name_end = (end..sentence_end.min(end + 4))
                        .take_while(|&t| doc.tokens[t].pos == Pos::Propn)
                        .last();
                    if let Some(last) = name_end {
                        end = last + 1;
                        person = true;
                    }
                }
            }
            let actor = dated(kb, &g, doc.article.published, resolve_group(kb, &g));
            let capital_only = g.len() == 1 && matches!(g[0].entry, Entry::Capital(_));
            let country_only = g.iter().all(|p| is_country(p.entry));
            let locative = country_only && preceded_by_locative(doc, start, doc.sentences[s].tokens.start);
            let span = Span {
                start: doc.tokens[start].span.start,
                end: doc.tokens[end - 1].span.end,
            };
            Mention {
                span,
                tokens: start..end,
                sentence: s,
                actor,
                kind: if capital_only {
                    MentionKind::Capital
                } else {
                    MentionKind::Name
                },
                person,
                locative,
            }
        })
        .collect();
    chain_locatives(doc, &mut mentions);
    place_multi_country_groups(kb, &mut mentions);
    mentions
}

/// A country name joined by a comma or dash to a place just named is that place too: "in Balochistan,
/// Pakistan, …", "near the Iran–Pakistan border".
fn chain_locatives(doc: &Document, mentions: &mut [Mention]) {
    for k in 1..mentions.len() {
        let (before, rest) = mentions.split_at_mut(k);
        let (prev, m) = (&before[k - 1], &mut rest[0]);
        let joined = m.tokens.start == prev.tokens.end + 1
            && matches!(doc.tokens[prev.tokens.end].norm.as_str(), "," | "-" | "–" | "/");
        let country_only = m.actor.org.is_none() && m.actor.sector.is_none() && m.actor.country.is_some();
        if prev.locative && joined && country_only {
            m.locative = true;
        }
    }
}

/// A group that fights in several countries takes the one its sentence places the act in ("JNIM
/// attacked a post in Burkina Faso" → BFAREB); without such a place it keeps no country.
fn place_multi_country_groups(kb: &KnowledgeBase, mentions: &mut [Mention]) {
    let places: Vec<String> = mentions
        .iter()
        .filter(|m| m.locative)
        .filter_map(|m| m.actor.country.clone())
        .collect();
    for m in mentions.iter_mut().filter(|m| m.actor.country.is_none()) {
        let Some(g) = m
            .actor
            .org
            .as_deref()
            .and_then(|o| kb.groups.iter().find(|g| g.name == o))
        else {
            continue;
        };
        let mut fitting = places.iter().filter(|p| g.countries.contains(p));
        if let (Some(c), None) = (fitting.next(), fitting.next()) {
            m.actor.country = Some(c.clone());
            m.actor.code = Actor::compose_code(Some(c), m.actor.sector.as_deref());
        }
    }
}

fn preceded_by_locative(doc: &Document, start: usize, sentence_start: usize) -> bool {
    let mut i = start;
    while i > sentence_start {
        i -= 1;
        let n = doc.tokens[i].norm.as_str();
        if LOCATIVE.contains(&n) {
            return true;
        }
        if !matches!(
            n,
            "the" | "northern" | "southern" | "eastern" | "western" | "central" | "neighboring" | "neighbouring"
        ) {
            return false;
        }
    }
    false
}

/// A dictionary actor's code on the article's date (`GOLLUM` was HOB before 1995-06-01, HOBREB after);
/// the country and sector follow the code.
fn dated(kb: &KnowledgeBase, g: &[Piece], day: Option<chrono::NaiveDate>, mut actor: Actor) -> Actor {
    let Some(day) = day else {
        return actor;
    };
    let Some(code) = g
        .iter()
        .find_map(|p| kb.dated.get(&p.entry))
        .and_then(|codes| codes.iter().find(|c| c.applies(Some(day))))
    else {
        return actor;
    };
    let country = code.code.get(..3).filter(|c| kb.country(c).is_some());
    if let Some(c) = country {
        actor.country = Some(c.to_string());
        actor.sector = code.code.get(3..6).map(str::to_string);
    } else {
        actor.sector = None;
    }
    // The dictionary's code for that day replaces the composed one.
    actor.code = kb.current_code(&code.code);
    actor
}

/// Resolves a group of pieces to one actor: a person decides, then an armed group ("Sudan's Rapid Support
/// Forces", "Iran-backed Houthi rebels" → the group's own code); else country + org + head sector.
fn resolve_group(kb: &KnowledgeBase, g: &[Piece]) -> Actor {
    if let Some(p) = g.iter().find_map(|p| match p.entry {
        Entry::Person(i) => Some(&kb.people[i]),
        _ => None,
    }) {
        let code = match (&p.country, &p.org) {
            _ if p.code.is_some() => p.code.clone().unwrap_or_default(),
            (None, Some(org)) => kb
                .orgs
                .iter()
                .find(|o| &o.org == org)
                .map(|o| o.code.clone())
                .unwrap_or_default(),
            _ => Actor::compose_code(p.country.as_deref(), p.sector.as_deref()),
        };
        return Actor {
            name: p.name.clone(),
            country: p.country.clone(),
            org: p.org.clone(),
            sector: p.sector.clone(),
            code,
        };
    }
    if let Some(a) = g.iter().find_map(|p| match p.entry {
        Entry::Group(i) => kb.groups.get(i),
        _ => None,
    }) {
        let country = a.country().map(str::to_string);
        // The org field names the group, so that no neighbouring country is lent to it later.
        return Actor {
            name: a.name.clone(),
            code: a.code.clone(),
            country,
            org: Some(a.name.clone()),
            sector: Some(a.sector.clone()),
        };
    }
    let country = g.iter().find_map(|p| match p.entry {
        Entry::Country(i) | Entry::Capital(i) => Some(&kb.countries[i]),
        _ => None,
    });
    let org = g.iter().find_map(|p| match p.entry {
        Entry::Org(i) => Some(&kb.orgs[i]),
        _ => None,
    });
    let sector = g.iter().rev().find_map(|p| match p.entry {
        Entry::Sector(i) => Some(kb.sectors[i].1.clone()),
        _ => None,
    });
    let capital_only = g.len() == 1 && matches!(g[0].entry, Entry::Capital(_));
    let sector = if capital_only { Some("GOV".to_string()) } else { sector };
    match (country, org) {
        (None, Some(o)) => {
            let code = match &sector {
                Some(s) if !o.code.ends_with(s.as_str()) => format!("{}{}", o.code, s),
                _ => o.code.clone(),
            };
            Actor {
                name: o.org.clone(),
                country: None,
                org: Some(o.org.clone()),
                sector: sector.or(Some(o.sector.clone())),
                code,
            }
        }
        (Some(c), o) => Actor {
            name: c.name.clone(),
            country: Some(c.iso3.clone()),
            org: o.map(|o| o.org.clone()),
            code: Actor::compose_code(Some(&c.iso3), sector.as_deref()),
            sector,
        },
        (None, None) => Actor {
            name: g
                .iter()
                .rev()
                .find_map(|p| match p.entry {
                    Entry::Sector(i) => Some(kb.sectors[i].0.clone()),
                    _ => None,
                })
                .unwrap_or_default(),
            country: None,
            org: None,
            code: sector.clone().unwrap_or_default(),
            sector,
        },
    }
}
