//! The event coder: triggers + roles + dates + places + casualties → events, then
//! casualty attachment and within-article dedup.

use tocsin_doc::{ActorRef, CameoCode, Document, Event, EventMention, MentionKind, Modality, PloverType};

use crate::assemble::{actor_ref, Act, SentenceContext};
use crate::parse_roles::{parse_roles, subject_of};
use crate::roles::{conjuncts, find_source, find_target, in_apposition, is_passive, modality, refused, Reporting};
use crate::{EventCoder, Lexicon, TriggerMatch};

/// An event before serialisation, with the bookkeeping dedup needs.
pub(crate) struct Draft {
    pub event: Event,
    pub entry: usize,
    pub casualty_only: bool,
    pub source_country: Option<String>,
}

/// Verbs whose subject receives what their object noun names ("X won support from Y").
const RECEIVING: &[&str] = &["receive", "enjoy", "win", "get", "obtain", "secure", "gain", "accept"];

/// "X enjoyed support from Y", "X received aid from Y": (Y, X) for an event word that is the
/// object of a receiving verb (nothing but modifiers between them), its giver introduced by "from".
fn given_from(
    doc: &Document,
    s: usize,
    t: &TriggerMatch,
    rep: &Reporting,
    mentions: &[usize],
) -> Option<(Option<usize>, Option<usize>)> {
    let sstart = doc.sentences[s].tokens.start;
    let verb = (t.start().saturating_sub(4).max(sstart)..t.start())
        .rev()
        .find(|&k| RECEIVING.contains(&doc.tokens[k].lemma.as_str()))?;
    let modifiers_only = (verb + 1..t.start()).all(|k| {
        matches!(
            doc.tokens[k].pos,
            tocsin_doc::Pos::Det | tocsin_doc::Pos::Adj | tocsin_doc::Pos::Num
        ) && !mentions.iter().any(|&i| doc.mentions[i].tokens.contains(&k))
    });
    if !modifiers_only {
        return None;
    }
    let from = t.end();
    if doc.tokens.get(from).is_none_or(|w| w.norm != "from") {
        return None;
    }
    let giver = mentions
        .iter()
        .copied()
        .find(|&i| doc.mentions[i].tokens.start == from + 1 || doc.mentions[i].tokens.start == from + 2)?;
    let receiver = find_source(
        doc,
        s,
        &TriggerMatch {
            entry: t.entry,
            tokens: vec![verb],
            nominal: false,
            speech: false,
        },
        rep,
        mentions,
    );
    Some((Some(giver), receiver))
}

/// CAMEO's generic rejection, for refused cooperation.
const REJECT: &str = "120";
/// CAMEO 130: threaten, not otherwise specified.
const THREATEN: &str = "130";

/// Acts performed by doing something else: a purpose clause ("… to protest X") asserts them.
const EXPRESSIVE: &[PloverType] = &[PloverType::Protest, PloverType::Accuse];

/// PLOVER types of cooperation whose refusal is a REJECT.
const COOPERATIVE: &[PloverType] = &[
    PloverType::Agree,
    PloverType::Support,
    PloverType::Cooperate,
    PloverType::Concede,
    PloverType::Aid,
];

/// "X said [on Tuesday] [that] Y must …": (X, Y), when a speech verb not in a quotation precedes
/// the obliged actor Y, which stands right before the trigger.
fn obligation_roles(
    doc: &Document,
    s: usize,
    t: &TriggerMatch,
    triggers: &[TriggerMatch],
    lexicon: &Lexicon,
    rep: &Reporting,
    mentions: &[usize],
) -> Option<(Option<usize>, Option<usize>)> {
    // The actor right before "must", else (with a parse) the subject of the verb "must" belongs to:
    // "Kagame and his Rwandan Patriotic Front must agree".
    let adjacent = mentions
        .iter()
        .copied()
        .find(|&i| doc.mentions[i].tokens.end == t.start() && !doc.mentions[i].locative);
    let parsed = || {
        let verb = doc.tokens[t.start()].head?;
        let subject = subject_of(doc, s, verb)?;
        mentions
            .iter()
            .copied()
            .filter(|&i| !doc.mentions[i].locative && doc.mentions[i].tokens.end <= t.start())
            .find(|&i| {
                doc.mentions[i].tokens.contains(&subject)
                    || doc.tokens[subject]
                        .head
                        .is_some_and(|h| doc.mentions[i].tokens.contains(&h))
            })
    };
    let obliged = adjacent.or_else(parsed)?;
    let speech = triggers.iter().rev().find(|v| {
        lexicon.entries[v.entry].flags.speech
            && v.end() <= doc.mentions[obliged].tokens.start
            && !doc.tokens[v.start()].in_quote
    })?;
    let speaker = find_source(doc, s, speech, rep, mentions)?;
    (speaker != obliged).then_some((Some(speaker), Some(obliged)))
}

impl EventCoder {
    /// Codes every sentence of the document into draft events.
    pub(crate) fn draft(&self, doc: &Document) -> Vec<Draft> {
        let mut drafts: Vec<Draft> = Vec::new();
        let mut last_attribution: Option<String> = None;
        for s in 0..doc.sentences.len() {
            if doc.triggers.get(s).is_none_or(Vec::is_empty) {
                continue;
            }
            // The candidates step: the sentence's lexicon triggers, reports, mentions and dates.
            let ctx = SentenceContext::new(self, doc, s, last_attribution.as_deref());
            if ctx.rep.attribution.is_some() {
                last_attribution.clone_from(&ctx.rep.attribution);
            }
            let (triggers, rep, mentions, sentence_start) = (&ctx.matches, &ctx.rep, &ctx.mentions, ctx.start);
            let mut absorbed_from: Option<(usize, u16)> = None;
            // The source of the sentence's previous verbal event, for coordinated verbs.
            let mut previous_source: Option<usize> = None;
            for t in triggers {
                let entry = &self.lexicon.entries[t.entry];
                let flags = &entry.flags;
                if flags.speech {
                    continue;
                }
                if let Some((from, _)) = absorbed_from {
                    if t.start() >= from && !flags.casualty {
                        continue;
                    }
                }
                if flags.absorb {
                    absorbed_from = Some((t.end(), doc.tokens[t.start()].clause));
                }
                let Some(info) = self.cameo.get(&entry.cameo) else {
                    continue;
                };
                // Refused or failed cooperation is a rejection: "Syria will not accept more refugees",
                // "the two sides failed to reach agreement" (CAMEO 120). Other negated acts are dropped.
                let refusal = !flags.deny
                    && flags.plover.is_none()
                    && COOPERATIVE.contains(&info.plover)
                    && refused(doc, s, t)
                    && self.intentions;
                let reject = refusal.then(|| self.cameo.get(REJECT)).flatten();
                let rejecting = reject.is_some();
                let (modality, info) = match reject {
                    Some(reject) => (Modality::Asserted, reject),
                    None => match modality(doc, s, t, flags.deny, rep.claimed, EXPRESSIVE.contains(&info.plover)) {
                        Some(m) => (m, info),
                        None => continue,
                    },
                };
                // CAMEO codes a promised or planned act of cooperation as an intention (03x, AGREE in
                // PLOVER): "Finland will give Tanzania a grant" is 033, not 07; and an announced hostile
                // act as a threat (13x, THREATEN): "they would boycott all contact" is 133, not 143.
                // "Nigeria will withdraw its force unless …": a future act made conditional is a threat,
                // whatever the act.
                let conditional = self.intentions
                    && modality == Modality::Future
                    && flags.plover.is_none()
                    && (t.end()..doc.sentences[s].tokens.end).any(|k| doc.tokens[k].norm == "unless");
                let (cameo, info) = match intent_code(&entry.cameo).or_else(|| threat_code(&entry.cameo)) {
                    _ if rejecting => (REJECT.to_string(), info),
                    _ if conditional => {
                        let c = threat_code(&entry.cameo).unwrap_or(THREATEN);
                        self.cameo
                            .get(c)
                            .map_or((entry.cameo.clone(), info), |i| (c.to_string(), i))
                    }
                    Some(c) if self.intentions && modality == Modality::Future && flags.plover.is_none() => self
                        .cameo
                        .get(c)
                        .map_or((entry.cameo.clone(), info), |i| (c.to_string(), i)),
                    _ => (entry.cameo.clone(), info),
                };
                // Roles.
                let (source, target) = if flags.oblige {
                    match obligation_roles(doc, s, t, triggers, &self.lexicon, rep, mentions) {
                        Some(roles) => roles,
                        None => continue,
                    }
                } else if let Some(roles) = given_from(doc, s, t, rep, mentions) {
                    roles
                } else if flags.src_after {
                    let src = find_target(doc, s, rep, mentions, None, t.end());
                    let tgt = src.and_then(|i| find_target(doc, s, rep, mentions, Some(i), doc.mentions[i].tokens.end));
                    (src, tgt)
                } else {
                    // "X condemned the attack … and promised aid to Y": the verbs share X.
                    let coordinated = !t.nominal
                        && t.start() > sentence_start
                        && doc.tokens[t.start() - 1].norm == "and"
                        && !is_passive(doc, t);
                    // Mentions inside the trigger itself ("sent troops", "withdrew 3,000 troops") are part
                    // of the act and play no role.
                    let outside: Vec<usize> = mentions
                        .iter()
                        .copied()
                        .filter(|&m| !t.tokens.iter().any(|k| doc.mentions[m].tokens.contains(k)))
                        .collect();
                    let parsed = parse_roles(doc, s, t, rep, &outside);
                    let (parsed_src, parsed_tgt) = (parsed.source, parsed.target);
                    // An actor inside an apposition describes the one before it, and acts in nothing.
                    let parsed_src = parsed_src.filter(|&m| !in_apposition(doc, s, mentions, &doc.mentions[m]));
                    let src = match previous_source {
                        _ if parsed_src.is_some() => parsed_src,
                        // A reduced relative without an agent has no source ("10 soldiers killed in …").
                        _ if parsed.reduced => None,
                        Some(p) if coordinated => Some(p),
                        _ => find_source(doc, s, t, rep, mentions),
                    };
                    // An actor does not act on itself: a possessive pronoun in the object refers back
                    // to the subject ("Nigeria will withdraw its troops").
                    let same = |a: usize, b: Option<usize>| {
                        b.is_some_and(|b| {
                            a == b
                                || (doc.mentions[a].kind == MentionKind::Pronoun
                                    && doc.mentions[a].actor.code == doc.mentions[b].actor.code)
                        })
                    };
                    let tgt =
                        if parsed_tgt.is_some_and(|m| !same(m, src)) {
                            parsed_tgt
                        } else if is_passive(doc, t) {
                            // The passive's subject, within the reported clause: in "X said eight people
                            // were killed", X is the speaker, not the victim.
                            let said = triggers
                                .iter()
                                .filter(|v| self.lexicon.entries[v.entry].flags.speech && v.end() <= t.start())
                                .map(|v| v.end())
                                .max()
                                .unwrap_or(0);
                            mentions.iter().rev().copied().find(|&i| {
                                doc.mentions[i].tokens.end <= t.start() && doc.mentions[i].tokens.start >= said
                            })
                        } else {
                            let from = if t.nominal { t.end() } else { t.head_end() };
                            find_target(doc, s, rep, &outside, src, from)
                        };
                    (src, tgt)
                };
                // A person the recogniser found but nobody knows holds the role, uncoded: no other
                // actor is taken for what they did.
                let known = |m: &usize| !doc.mentions[*m].actor.code.is_empty();
                let (source, target) = (source.filter(known), target.filter(known));
                let mut target = target;
                if flags.tgt_adjacent {
                    // "meet Putin", not "meet in Zurich".
                    let near = |i: usize| doc.mentions[i].tokens.start <= t.head_end() + 2 && !doc.mentions[i].locative;
                    target = target.filter(|&i| near(i));
                    // A compound subject is its own object for symmetric acts (see `reciprocal`).
                    let compound = source.is_some_and(|i| conjuncts(doc, mentions, i).len() > 1);
                    if target.is_none() && !compound {
                        continue;
                    }
                }
                if t.nominal && source.is_none() && !flags.src_after {
                    continue;
                }
                if !t.nominal && source.is_some() {
                    previous_source = source;
                }
                let source_mention = source.map(|i| &doc.mentions[i]);
                let mut target_ref = target.map(|i| actor_ref(doc, &doc.mentions[i]));
                if flags.deny {
                    // A denial answers the last accusation or demand against the denier's country.
                    let denier = source_mention.and_then(|m| m.actor.country.clone());
                    let accuser = drafts.iter().rev().find(|d| {
                        matches!(
                            d.event.event_type,
                            PloverType::Accuse | PloverType::Request | PloverType::Threaten
                        ) && d.event.target.as_ref().and_then(|t| t.country.clone()) == denier
                    });
                    let weak = target_ref
                        .as_ref()
                        .is_none_or(|t| t.country == denier || (t.country.is_none() && t.org.is_none()));
                    // "denied having assembled units on the border with Kosovo": what follows a denial
                    // verb is the denied content, not the addressee.
                    if let (Some(a), true) = (accuser, weak || flags.absorb) {
                        target_ref = a.event.source.clone();
                    }
                }
                if source.is_none() && target_ref.is_none() {
                    continue;
                }
                // "…, killing at least eight people": a trailing participle reports the casualties of the
                // act before it, whatever the parse makes its subject.
                let participial = flags.casualty
                    && doc.tokens[t.start()].norm.ends_with("ing")
                    && (t.start().saturating_sub(2).max(sentence_start)..t.start()).any(|k| doc.tokens[k].norm == ",");
                let Ok(cameo) = CameoCode::new(cameo) else {
                    continue;
                };
                // The date, place, quantities and confidence steps.
                let act = Act {
                    trigger: t,
                    kind: flags.plover.unwrap_or(info.plover),
                    cameo,
                    info: info.clone(),
                    mode: flags.mode.clone(),
                    source,
                    target: target_ref.clone(),
                    modality: if flags.deny { Modality::Denied } else { modality },
                    entry: t.entry,
                    casualty_only: flags.casualty && (source.is_none() || participial),
                    casualty: flags.casualty,
                    confidence: 0.4,
                    id_code: Some(entry.cameo.clone()),
                };
                let event = self.assemble(doc, &ctx, &act, &drafts).event;
                let plover = act.kind;
                // Coordinated actors ("Gondor and Osgiliath", "Hungarian and Romanian officials"): one
                // event per source and target pair, the first keeping the single-actor id.
                // The chosen actor first, then its conjuncts.
                let with_conjuncts = |i: usize| -> Vec<Option<usize>> {
                    let mut v = vec![Some(i)];
                    v.extend(
                        conjuncts(doc, mentions, i)
                            .into_iter()
                            .filter(|&j| j != i && known(&j))
                            .map(Some),
                    );
                    v
                };
                let sources = source.map_or(vec![None], with_conjuncts);
                let targets = match target {
                    Some(i) if target_ref.as_ref().map(|r| &r.code) == Some(&actor_ref(doc, &doc.mentions[i]).code) => {
                        with_conjuncts(i)
                    }
                    _ => vec![None],
                };
                // A symmetric act with a compound subject and no object pairs the conjuncts: "Obama and
                // Putin will meet" is a meeting of each with the other.
                let reciprocal = targets == [None]
                    && sources.len() > 1
                    && (matches!(plover, PloverType::Consult | PloverType::Agree | PloverType::Cooperate)
                        // Diplomatic cooperation and signed agreements: "restored relations".
                        || matches!(entry.cameo.as_str(), "050" | "057"));
                let pairs: Vec<(Option<usize>, Option<usize>)> = if reciprocal {
                    sources
                        .iter()
                        .flat_map(|si| sources.iter().filter(move |ti| *ti != si).map(move |ti| (*si, *ti)))
                        .collect()
                } else {
                    sources
                        .iter()
                        .flat_map(|si| targets.iter().map(move |ti| (*si, *ti)))
                        .collect()
                };
                let mut seen: Vec<(Option<String>, Option<String>)> = Vec::new();
                for (k, (si, ti)) in pairs.into_iter().take(16).enumerate() {
                    let mut ev = event.clone();
                    if let Some(i) = si {
                        ev.source = Some(actor_ref(doc, &doc.mentions[i]));
                    }
                    if let Some(i) = ti {
                        ev.target = Some(actor_ref(doc, &doc.mentions[i]));
                    }
                    let pair = (
                        ev.source.as_ref().map(|a| a.code.clone()),
                        ev.target.as_ref().map(|a| a.code.clone()),
                    );
                    if (si.is_some() && si == ti)
                        || seen.contains(&pair)
                        || (pair.0.is_some() && pair.0 == pair.1 && k > 0)
                    {
                        continue;
                    }
                    seen.push(pair.clone());
                    if k > 0 {
                        ev.id = Event::make_id(
                            &doc.article.id,
                            ev.trigger.start,
                            &entry.cameo,
                            Some((pair.0.as_deref(), pair.1.as_deref())),
                        );
                    }
                    drafts.push(Draft {
                        source_country: ev.source.as_ref().and_then(|a| a.country.clone()),
                        event: ev,
                        entry: t.entry,
                        casualty_only: flags.casualty && (source.is_none() || participial),
                    });
                }
            }
        }
        drafts
    }
}

/// CAMEO's threat (13x, THREATEN in PLOVER) for an announced hostile act: "they would boycott all
/// contact" is 133, "would blockade Paris" 1381, "will attack" 1384.
fn threat_code(code: &str) -> Option<&'static str> {
    Some(match code {
        "161" => "1313",
        "162" => "1311",
        "163" => "1312",
        "164" => "134",
        "165" => "135",
        "166" => "136",
        "1721" => "1321",
        "1722" => "1322",
        "1723" => "1323",
        "1724" => "1324",
        "175" => "137",
        "191" => "1381",
        "192" => "1382",
        "200" | "201" | "202" | "203" | "204" => "1385",
        _ => match code.get(..2)? {
            "14" => "133",
            "16" => "131",
            "17" if code.starts_with("172") => "132",
            "17" => "130",
            "18" => "1383",
            "19" => "1384",
            "20" => "1385",
            _ => return None,
        },
    })
}

/// The CAMEO intention code (03x) for a cooperative act: meet → 036, diplomatic cooperation → 032,
/// material cooperation → 031, aid → 033, yield → 035.
fn intent_code(code: &str) -> Option<&'static str> {
    match code.get(..2)? {
        "04" => Some("036"),
        "05" => Some("032"),
        "06" => Some("031"),
        "07" => Some("033"),
        "08" => Some("035"),
        _ => None,
    }
}

/// The draft as a further mention of another event.
pub(crate) fn mention_of(d: &Draft) -> EventMention {
    EventMention {
        sentence: d.event.sentence,
        trigger: d.event.trigger.clone(),
        evidence: d.event.evidence.clone(),
    }
}

/// Folds agentless casualty reports into the preceding ASSAULT (within two sentences) and
/// merges repeated reports of the same event (same pattern, actors and date).
pub(crate) fn consolidate(drafts: Vec<Draft>) -> Vec<Event> {
    let mut out: Vec<Draft> = Vec::new();
    for d in drafts {
        if d.casualty_only {
            let host = out.iter_mut().rev().find(|h| {
                h.event.event_type == PloverType::Assault
                    && d.event.sentence.saturating_sub(h.event.sentence) <= 2
                    && !h.casualty_only
            });
            if let Some(h) = host {
                h.event.dead = h.event.dead.or(d.event.dead);
                h.event.injured = h.event.injured.or(d.event.injured);
                h.event.mentions.push(mention_of(&d));
                continue;
            }
        }
        let code = |a: &Option<ActorRef>| a.as_ref().map(|a| a.code.clone());
        let same = out.iter_mut().find(|h| {
            h.entry == d.entry
                && h.source_country == d.source_country
                && code(&h.event.source) == code(&d.event.source)
                && code(&h.event.target) == code(&d.event.target)
                && h.event.date == d.event.date
                && h.event.sentence != d.event.sentence
        });
        if let Some(h) = same {
            h.event.mentions.push(mention_of(&d));
            h.event.location = h.event.location.take().or(d.event.location);
            h.event.attribution = h.event.attribution.take().or(d.event.attribution);
            h.event.dead = h.event.dead.or(d.event.dead);
            h.event.injured = h.event.injured.or(d.event.injured);
            h.event.arrested = h.event.arrested.or(d.event.arrested);
            h.event.confidence = (h.event.confidence + 0.05).min(0.95);
            continue;
        }
        out.push(d);
    }
    out.into_iter().map(|d| d.event).collect()
}
