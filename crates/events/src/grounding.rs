//! The country a sector-only actor acts in ("the government", "President Juvenal Habyarimana",
//! "gunmen"): decided once the actor has been chosen for a role, so that role choice itself is not
//! swayed by borrowed countries.

use tocsin_doc::{Actor, Document, Mention, MentionKind};

/// Sectors that belong to no country by nature (international and non-governmental bodies).
const STATELESS: &[&str] = &["IGO", "NGO"];

fn country_of(m: &Mention) -> Option<String> {
    m.actor.country.clone().filter(|_| m.actor.org.is_none())
}

/// For a sector-only mention, the country from its context: the nearest country mention of its
/// sentence (actor or place: "the military government … in Haiti"), else the latest one of the
/// three sentences before, else the country the whole document mentions most (dev articles: triple
/// 0.172 → 0.190, train articles 0.215 → 0.228, summaries unchanged). `None` for any other mention. (Preferring places first scored the same
/// on the GSR dev set and misplaces foreign forces: "Vietnamese-led forces … in Cambodia".)
pub(crate) fn context_country(doc: &Document, m: &Mention) -> Option<String> {
    let bare = m.actor.country.is_none()
        && m.actor.org.is_none()
        && m.actor.sector.as_deref().is_some_and(|s| !STATELESS.contains(&s))
        && m.kind == MentionKind::Name;
    if !bare {
        return None;
    }
    let same = || doc.mentions.iter().filter(|o| o.sentence == m.sentence);
    same()
        .filter(|o| country_of(o).is_some())
        .min_by_key(|o| o.tokens.start.abs_diff(m.tokens.start))
        .and_then(country_of)
        .or_else(|| {
            doc.mentions
                .iter()
                .rev()
                .filter(|o| o.sentence < m.sentence && m.sentence - o.sentence <= 3)
                .find_map(country_of)
                .or_else(|| dominant_country(doc))
        })
}

/// The country the document mentions most (actors, not organisations), if one leads clearly.
fn dominant_country(doc: &Document) -> Option<String> {
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    for (i, o) in doc.mentions.iter().enumerate() {
        if let Some(c) = country_of(o) {
            match counts.iter_mut().find(|(k, _, _)| *k == c) {
                Some(e) => e.1 += 1,
                None => counts.push((c, 1, i)),
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    match counts.as_slice() {
        [(c, n, _), rest @ ..] if *n >= 2 && rest.first().is_none_or(|r| r.1 < *n) => Some(c.clone()),
        _ => None,
    }
}

/// The mention's actor, with a sector-only actor given its context country.
pub(crate) fn grounded(doc: &Document, m: &Mention) -> Actor {
    let mut actor = m.actor.clone();
    if let Some(c) = context_country(doc, m) {
        actor.code = Actor::compose_code(Some(&c), actor.sector.as_deref());
        actor.country = Some(c);
    }
    actor
}
