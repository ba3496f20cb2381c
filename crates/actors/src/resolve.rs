//! Reference resolution within an article: pronouns ("he") and definite descriptions
//! ("the small Balkan country", "the alliance") point back to earlier mentions.

use tocsin_doc::{Document, Mention, MentionKind, Pos, Span};

use crate::kb::{DescriptionKind, KnowledgeBase};

const PERSONAL: &[&str] = &["he", "she", "him", "his", "her"];
/// Pronouns for a country or organisation ("Syria says it will …", "NATO and its allies").
const NEUTER: &[&str] = &["it", "its"];
/// Pronouns for a group ("the rebels said they would …").
const PLURAL: &[&str] = &["they", "them", "their"];

/// True when token `i` sits inside a parenthetical relative clause (", who … ,").
pub(crate) fn in_parenthetical(doc: &Document, sentence: usize, i: usize) -> bool {
    let start = doc.sentences.get(sentence).map_or(0, |s| s.tokens.start);
    let mut k = i;
    while k > start {
        k -= 1;
        let n = doc.tokens[k].norm.as_str();
        if matches!(n, "who" | "which" | "where") && k > start && doc.tokens[k - 1].norm == "," {
            return true;
        }
        if n == "," {
            return false;
        }
    }
    false
}

/// A one-token reference at token `i` of sentence `s` (a pronoun, or a surname as a name) standing
/// for `antecedent`.
fn reference(doc: &Document, i: usize, s: usize, antecedent: &Mention, kind: MentionKind) -> Mention {
    Mention {
        span: doc.tokens[i].span,
        tokens: i..i + 1,
        sentence: s,
        actor: antecedent.actor.clone(),
        kind,
        person: antecedent.person,
        locative: false,
    }
}

/// Adds pronoun and description mentions, resolved to the nearest suitable antecedent.
pub(crate) fn resolve_references(kb: &KnowledgeBase, doc: &mut Document) {
    let mut added: Vec<Mention> = Vec::new();
    let mut covered = vec![false; doc.tokens.len()];
    for m in &doc.mentions {
        for i in m.tokens.clone() {
            covered[i] = true;
        }
    }
    // Unknown capitalised names ("Milan Radoicic") block pronouns from older antecedents.
    let mut unknown_person_at: Vec<usize> = Vec::new();
    for s in &doc.sentences {
        for i in s.tokens.clone().skip(1) {
            let t = &doc.tokens[i];
            if t.pos == Pos::Propn
                && !covered[i]
                && doc
                    .tokens
                    .get(i + 1)
                    .is_some_and(|n| n.pos == Pos::Propn && !covered[i + 1])
            {
                unknown_person_at.push(i);
            }
        }
    }
    // A person named in full is later called by the surname alone: "Milan Radoicic … Radoicic acted".
    let mut surnames: Vec<(&str, usize)> = Vec::new();
    for (k, m) in doc.mentions.iter().enumerate() {
        let last = m.tokens.end - 1;
        if m.person && m.kind == MentionKind::Name && m.tokens.len() >= 2 && doc.capitalised(last) {
            surnames.push((doc.tokens[last].norm.as_str(), k));
        }
    }
    for (s, sentence) in doc.sentences.iter().enumerate() {
        for i in sentence.tokens.clone() {
            if covered[i] || !doc.capitalised(i) {
                continue;
            }
            let norm = doc.tokens[i].norm.as_str();
            let named = surnames
                .iter()
                .rfind(|(n, k)| *n == norm && doc.mentions[*k].tokens.end <= i);
            if let Some(&(_, k)) = named {
                added.push(reference(doc, i, s, &doc.mentions[k], MentionKind::Name));
            }
        }
    }
    // Mentions are in text order; antecedents come from the last three sentences only.
    let mut window_start = 0;
    for (s, sentence) in doc.sentences.iter().enumerate() {
        while window_start < doc.mentions.len() && s.saturating_sub(doc.mentions[window_start].sentence) > 3 {
            window_start += 1;
        }
        let window_end = doc.mentions[window_start..].partition_point(|m| m.sentence <= s) + window_start;
        let window = &doc.mentions[window_start..window_end];
        for i in sentence.tokens.clone() {
            if covered[i] {
                continue;
            }
            let norm = doc.tokens[i].norm.as_str();
            let before = |m: &&Mention| m.tokens.end <= i;
            if PERSONAL.contains(&norm) && !doc.tokens[i].in_quote {
                let last_person = window.iter().filter(|m| m.person).rfind(before);
                let blocked = last_person.is_none_or(|m| {
                    let from = unknown_person_at.partition_point(|&u| u < m.tokens.end);
                    unknown_person_at.get(from).is_some_and(|&u| u < i)
                });
                if let (Some(m), false) = (last_person, blocked) {
                    added.push(reference(doc, i, s, m, MentionKind::Pronoun));
                }
                continue;
            }
            let neuter = NEUTER.contains(&norm);
            if (neuter || PLURAL.contains(&norm)) && !doc.tokens[i].in_quote {
                // "it": a country or organisation; "they": a group (a sector noun, with or without its
                // country: "Rwandan rebels", "officials"). The first fitting mention of the same
                // sentence, else of the previous one: subjects are mentioned first and are the usual
                // antecedents ("Rwandan rebels met Ugandan officials. They later attacked …").
                let fitting: Vec<&Mention> = window
                    .iter()
                    .filter(before)
                    .filter(|m| !m.person && !m.locative && s - m.sentence <= 1)
                    .filter(|m| {
                        let group = m.actor.sector.as_deref().is_some_and(|x| x != "GOV")
                            || doc.tokens[m.tokens.end - 1].norm.ends_with('s');
                        if neuter {
                            // An organisation is "it" whatever its sector ("the ILO … its demand").
                            m.actor.org.is_some() || (m.actor.country.is_some() && !group)
                        } else {
                            m.actor.sector.is_some() && group
                        }
                    })
                    .filter(|m| !in_parenthetical(doc, m.sentence, m.tokens.start))
                    .collect();
                // An object pronoun does not stand for its own clause's subject ("the rebels released
                // them"): the nearest fitting mention, not the first.
                let antecedent = if norm == "them" {
                    fitting
                        .iter()
                        .rev()
                        .find(|m| m.sentence == s)
                        .or_else(|| fitting.first())
                } else {
                    fitting.iter().find(|m| m.sentence == s).or_else(|| fitting.first())
                };
                if let Some(m) = antecedent {
                    added.push(reference(doc, i, s, m, MentionKind::Pronoun));
                }
                continue;
            }
            let Some(kind) = kb.descriptions.get(norm) else {
                continue;
            };
            // "the [modifiers] country": up to three modifiers after "the".
            let Some(the) = (i.saturating_sub(4)..i)
                .rev()
                .find(|&k| k >= sentence.tokens.start && doc.tokens[k].norm == "the")
            else {
                continue;
            };
            if (the + 1..i).any(|k| covered[k] || !doc.tokens[k].norm.chars().all(|c| c.is_alphabetic() || c == '-')) {
                continue;
            }
            // "the Former Yugoslav Republic of Macedonia", "the state of emergency": a name or a
            // qualified noun, not a reference back.
            if doc.tokens.get(i + 1).is_some_and(|t| t.norm == "of") {
                continue;
            }
            let antecedent = window
                .iter()
                .filter(before)
                .filter(|m| match kind {
                    DescriptionKind::Country => {
                        m.actor.country.is_some()
                            && m.actor.org.is_none()
                            && !m.person
                            && matches!(m.actor.sector.as_deref(), None | Some("GOV"))
                    }
                    DescriptionKind::Org => m.actor.org.is_some(),
                })
                .rfind(|m| !in_parenthetical(doc, m.sentence, m.tokens.start));
            if let Some(m) = antecedent {
                let mut actor = m.actor.clone();
                if *kind == DescriptionKind::Country {
                    actor.sector = None;
                    actor.code = actor.country.clone().unwrap_or_default();
                }
                added.push(Mention {
                    span: Span {
                        start: doc.tokens[the].span.start,
                        end: doc.tokens[i].span.end,
                    },
                    tokens: the..i + 1,
                    sentence: s,
                    actor,
                    kind: MentionKind::Description,
                    person: false,
                    locative: false,
                });
            }
        }
    }
    doc.mentions.extend(added);
    doc.mentions.sort_by_key(|m| (m.tokens.start, m.tokens.end));
}
