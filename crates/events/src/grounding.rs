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
/// three sentences before. `None` for any other mention. (Preferring places first scored the same
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
        })
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
