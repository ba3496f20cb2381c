//! Roles read off the dependency parse (when the `parse` stage ran): nsubj → source, obj/iobj →
//! target, nsubj:pass → target with "by" agents as source, obl with "with/to/against/on" → target,
//! and controlled or coordinated verbs borrow their governor's subject ("agreed to cooperate",
//! "condemned … and sent aid"). The clause-position finder fills what the parse leaves open.

use tocsin_doc::Document;

use crate::roles::{usable, Reporting};
use crate::TriggerMatch;

/// Prepositions whose object is the target of the verb they attach to.
const TARGET_CASES: &[&str] = &["with", "to", "against", "on", "toward", "towards", "into", "from"];

fn children(doc: &Document, range: &std::ops::Range<usize>, head: usize) -> Vec<usize> {
    range.clone().filter(|&i| doc.tokens[i].head == Some(head)).collect()
}

fn dep(doc: &Document, i: usize) -> &str {
    doc.tokens[i].dep.as_deref().unwrap_or("")
}

/// The noun a relative pronoun stands for: "who" in "the rebels who kidnapped" is "rebels".
fn antecedent(doc: &Document, i: usize) -> usize {
    let relative = matches!(doc.tokens[i].norm.as_str(), "who" | "which" | "that");
    match doc.tokens[i].head {
        Some(verb) if relative && dep(doc, verb) == "acl:relcl" => doc.tokens[verb].head.unwrap_or(i),
        _ => i,
    }
}

/// The active subject (nsubj) of token `verb` in sentence `s`, if the parse gives one.
pub(crate) fn subject_of(doc: &Document, s: usize, verb: usize) -> Option<usize> {
    children(doc, &doc.sentences[s].tokens, verb)
        .into_iter()
        .find(|&c| dep(doc, c) == "nsubj")
}

/// The usable mention of the sentence that holds token `i`, else one in its close subtree
/// ("the leader of Hamas" → Hamas), nearest to `i` first.
fn mention_at(
    doc: &Document,
    s: usize,
    r: &Reporting,
    mentions: &[usize],
    range: &std::ops::Range<usize>,
    i: usize,
) -> Option<usize> {
    let fits = |m: usize| usable(doc, r, s, &doc.mentions[m]) && !doc.mentions[m].locative;
    if let Some(m) = mentions
        .iter()
        .copied()
        .find(|&m| doc.mentions[m].tokens.contains(&i) && fits(m))
    {
        // A title heading its holder ("Secretary of State Antony Blinken"): the person.
        let holder = children(doc, range, i)
            .into_iter()
            .filter(|&c| matches!(dep(doc, c), "appos" | "flat"))
            .find_map(|c| {
                mentions
                    .iter()
                    .copied()
                    .find(|&p| p != m && doc.mentions[p].person && doc.mentions[p].tokens.contains(&c) && fits(p))
            });
        return Some(holder.unwrap_or(m));
    }
    // Descendants up to two levels down (compounds, amod, nmod, appos).
    let mut frontier = vec![i];
    for _ in 0..2 {
        let next: Vec<usize> = frontier
            .iter()
            .flat_map(|&h| children(doc, range, h))
            .filter(|&c| {
                matches!(
                    dep(doc, c),
                    "compound" | "amod" | "nmod" | "nmod:poss" | "appos" | "flat"
                )
            })
            .collect();
        let mut hits: Vec<usize> = mentions
            .iter()
            .copied()
            .filter(|&m| next.iter().any(|c| doc.mentions[m].tokens.contains(c)) && fits(m))
            .collect();
        hits.sort_by_key(|&m| doc.mentions[m].tokens.start.abs_diff(i));
        if let Some(&m) = hits.first() {
            return Some(m);
        }
        frontier = next;
    }
    None
}

/// The case marker ("with", "by") of an oblique dependent.
fn case_of(doc: &Document, range: &std::ops::Range<usize>, i: usize) -> Option<String> {
    children(doc, range, i)
        .into_iter()
        .find(|&c| dep(doc, c) == "case")
        .map(|c| doc.tokens[c].norm.clone())
}

/// Roles read off the parse for one trigger.
#[derive(Debug, Default)]
pub(crate) struct ParsedRoles {
    /// The source mention, if the parse names one.
    pub source: Option<usize>,
    /// The target mention, if the parse names one.
    pub target: Option<usize>,
    /// The trigger is a reduced relative ("soldiers killed in …"): without an agent, no source.
    pub reduced: bool,
}

/// Source and target mentions for a verbal trigger from the parse, among `mentions` (the caller
/// leaves out those inside the trigger); `None` where the parse has nothing to say (unparsed
/// sentence, nominal trigger, no such dependent).
pub(crate) fn parse_roles(
    doc: &Document,
    s: usize,
    t: &TriggerMatch,
    r: &Reporting,
    mentions: &[usize],
) -> ParsedRoles {
    let v = t.start();
    if t.nominal || doc.tokens[v].dep.is_none() {
        return ParsedRoles::default();
    }
    let range = doc.sentences[s].tokens.clone();
    let kids = children(doc, &range, v);
    let find = |rel: &str| kids.iter().copied().find(|&c| dep(doc, c) == rel);
    let at = |i: usize| mention_at(doc, s, r, mentions, &range, i);
    // A reduced relative ("10 soldiers killed in Ukraine") is a passive whose subject is the noun it
    // modifies.
    // Only when the sentence has a clause of its own: a parse that found no verbal root often hangs
    // the main verb on the subject as "acl" ("Doctors from two aid groups donated …").
    let root = range.clone().find(|&i| dep(doc, i) == "root");
    let clausal_root = root.is_some_and(|r| {
        children(doc, &range, r).iter().any(|&c| {
            matches!(
                dep(doc, c),
                "nsubj" | "nsubj:pass" | "expl" | "aux" | "aux:pass" | "cop"
            )
        })
    });
    // And only on a core argument without an object of its own: the parser also labels "acl" a main
    // verb it could not attach ("a … commando group fought with the police", "the body approved
    // the deployment").
    let on_argument = doc.tokens[v]
        .head
        .is_some_and(|h| matches!(dep(doc, h), "nsubj" | "nsubj:pass" | "obj" | "iobj"));
    let reduced = dep(doc, v) == "acl"
        && !doc.tokens[v].norm.ends_with("ing")
        && clausal_root
        && on_argument
        && find("obj").is_none();
    let passive = reduced || find("nsubj:pass").is_some() || find("aux:pass").is_some();
    let mut source = if passive {
        find("obl:agent")
            .or_else(|| {
                kids.iter()
                    .copied()
                    .find(|&c| dep(doc, c) == "obl" && case_of(doc, &range, c).as_deref() == Some("by"))
            })
            .and_then(at)
    } else {
        find("nsubj").map(|i| antecedent(doc, i)).and_then(at)
    };
    // Controlled ("agreed to cooperate"), coordinated ("… and sent aid") and purpose ("rallied … to
    // protest") verbs: the governor's subject, one or two levels up.
    let mut gov = v;
    for _ in 0..2 {
        let own_subject = gov == v && find("nsubj").is_some();
        if source.is_some() || passive || own_subject || !matches!(dep(doc, gov), "xcomp" | "conj" | "advcl") {
            break;
        }
        let Some(h) = doc.tokens[gov].head else { break };
        source = subject_of(doc, s, h).map(|i| antecedent(doc, i)).and_then(at);
        gov = h;
    }
    let target = if reduced {
        doc.tokens[v].head.and_then(at)
    } else if passive {
        find("nsubj:pass").and_then(at)
    } else {
        let obj = find("obj").or_else(|| find("iobj"));
        // "with/to/against X" on the verb, else "to X" inside its object ("the deployment of forces
        // to Kosovo").
        let oblique = || {
            let on_verb = kids.iter().copied().filter(|&c| dep(doc, c) == "obl");
            let in_object = obj.into_iter().flat_map(|o| {
                let level1 = children(doc, &range, o);
                let level2: Vec<usize> = level1.iter().flat_map(|&c| children(doc, &range, c)).collect();
                level1.into_iter().chain(level2).filter(|&c| dep(doc, c) == "nmod")
            });
            on_verb
                .chain(in_object)
                .find(|&c| case_of(doc, &range, c).is_some_and(|p| TARGET_CASES.contains(&p.as_str())))
                .and_then(at)
        };
        // A bare sector object ("approved the deployment of forces to Kosovo") yields to a named
        // recipient.
        let bare = |m: usize| doc.mentions[m].actor.country.is_none() && doc.mentions[m].actor.org.is_none();
        // "demanded that its partners refuse …": the subject of a that-clause is who is addressed.
        let complement_subject = || {
            let clause = find("ccomp")?;
            let subject = children(doc, &range, clause)
                .into_iter()
                .find(|&c| matches!(dep(doc, c), "nsubj" | "nsubj:pass"))?;
            at(subject)
        };
        match obj.and_then(at) {
            Some(m) if bare(m) => oblique().or(Some(m)),
            Some(m) => Some(m),
            None => oblique().or_else(complement_subject),
        }
    };
    let target = target.filter(|&m| Some(m) != source);
    ParsedRoles {
        source,
        target,
        reduced,
    }
}
