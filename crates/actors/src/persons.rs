//! The `persons` stage: a person the named-entity recogniser found (the `entities` layer) that no
//! mention covers becomes a person mention ("Dubem Oniya summoned …"), so that no other actor is taken
//! for what that person did. In apposition with a known actor, the person is that actor.

use tocsin_doc::{Actor, Document, Mention, MentionKind, Span, Stage, StageError};

/// Turns the `PER` entities of the `parse` stage into mentions: without a code, unless they stand in
/// apposition with a known actor ("A member of the Syrian parliament, Mohammed Mamoun,").
#[derive(Debug, Clone, Copy, Default)]
pub struct UnknownPersons;

impl Stage for UnknownPersons {
    fn name(&self) -> &'static str {
        "persons"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let persons: Vec<(usize, usize, usize)> = doc
            .entities
            .iter()
            .filter(|e| e.label == "PER")
            .map(|e| (e.sentence, e.tokens.start, e.tokens.end))
            .collect();
        for (s, a, b) in persons {
            add_person(doc, s, a, b);
        }
        doc.mentions.sort_by_key(|m| (m.tokens.start, m.tokens.end));
        Ok(())
    }
}

/// Adds a code-less person mention for tokens `a..b` of sentence `s` unless a mention covers them
/// or they are not all capitalised.
fn add_person(doc: &mut Document, s: usize, a: usize, b: usize) {
    let Some(start) = doc.sentences.get(s).map(|x| x.tokens.start) else {
        return;
    };
    let covered = doc.mentions.iter().any(|m| m.tokens.start < b && a < m.tokens.end);
    let capitalised = (a..b).all(|i| doc.capitalised(i));
    if covered || !capitalised || b <= a || b > doc.tokens.len() {
        return;
    }
    let span = Span {
        start: doc.tokens[a].span.start,
        end: doc.tokens[b - 1].span.end,
    };
    // In apposition with a known actor, the person is that actor: "A member of the Syrian
    // parliament, Mohammed Mamoun," / "Mohammed Mamoun, a Syrian lawmaker,".
    let comma = |i: usize| doc.tokens.get(i).is_some_and(|t| t.norm == ",");
    let before = (a > start + 1 && comma(a - 1))
        .then(|| doc.mentions.iter().rfind(|m| m.tokens.end == a - 1 && !m.locative))
        .flatten();
    let after = || {
        let article = doc
            .tokens
            .get(b + 1)
            .is_some_and(|t| matches!(t.norm.as_str(), "a" | "an" | "the"));
        (comma(b) && article)
            .then(|| {
                doc.mentions
                    .iter()
                    .find(|m| m.tokens.start > b + 1 && m.tokens.start <= b + 4 && !m.locative)
            })
            .flatten()
    };
    let actor = Actor {
        name: doc.slice(span).to_string(),
        ..before.or_else(after).map(|m| m.actor.clone()).unwrap_or_default()
    };
    doc.mentions.push(Mention {
        span,
        tokens: a..b,
        sentence: s,
        actor,
        kind: MentionKind::Name,
        person: true,
        locative: false,
    });
}
