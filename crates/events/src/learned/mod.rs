//! The learned event coder: candidates → classify → CAMEO code → roles, each a trained model over
//! features of the sentence; the steps after (date, place, quantities, confidence) are shared with the
//! rule coder (`assemble`). Rules survive as features: lexicon matches and the clause-position and
//! parse role finders are inputs the models weigh, not decisions.

pub mod features;
pub mod lexical;
pub mod model;
pub mod train;

use std::sync::Arc;

use tocsin_doc::{ActorRef, Detection, Document, Modality, PloverType};

pub use features::{is_candidate, role_features, trigger_features, Knowledge, RoleFrame, SentenceFacts};
pub use lexical::Lexical;
pub use model::{Decision, EventModel, Inventory, FEATURE_VERSION, NONE};

use crate::assemble::{actor_ref, Act, SentenceContext};
use crate::coder::{consolidate, Draft};
use crate::parse_roles::parse_roles;
use crate::roles::{find_source, find_target, in_apposition, is_passive, modality};
use crate::{EventCoder, TriggerMatch};

/// A detection with its trigger's word and lexicon features (what the CAMEO and implied-source
/// models read).
#[derive(Debug, Clone)]
struct Detected {
    trigger: TriggerMatch,
    kind: PloverType,
    margin: f32,
    runner_up: Option<PloverType>,
    features: Vec<u64>,
}

/// The classify step: the candidates of sentence `s` the model takes for events (the `triggers`
/// stage runs it; the lexicon matches are read from the `triggers` layer when it is filled).
pub fn detect(doc: &Document, s: usize, model: &EventModel, k: Knowledge<'_>) -> Vec<Detection> {
    let facts = SentenceFacts::of(doc, s, k);
    let mut out = Vec::new();
    let mut features = Vec::new();
    for i in doc.sentences[s].tokens.clone() {
        if !is_candidate(doc, &facts, i, k.lexical, Some(&model.inventory)) {
            continue;
        }
        let core = trigger_features(doc, i, &facts, k, &mut features);
        // The type the lexicon gives a (non-reporting) match starting here.
        let lexical = facts
            .matches
            .iter()
            .zip(&facts.types)
            .find(|(m, _)| m.start() == i && !m.speech);
        let rule = lexical.and_then(|(_, k)| k.and_then(|k| k.parse::<PloverType>().ok()));
        let scores = model.biased_scores(&features);
        let d = model.decide_scored(&scores, rule);
        if tracing::enabled!(tracing::Level::TRACE) {
            let mut top: Vec<(usize, f32)> = scores.iter().copied().enumerate().collect();
            top.sort_by(|a, b| b.1.total_cmp(&a.1));
            let top: Vec<String> = top
                .iter()
                .take(3)
                .map(|(c, v)| format!("{}:{v:.2}", model.trigger.classes[*c]))
                .collect();
            tracing::trace!(
                word = doc.slice(doc.tokens[i].span),
                scores = top.join(" "),
                "trigger candidate"
            );
        }
        let Some(kind) = d.kind else { continue };
        let trigger = lexical.map(|(m, _)| m.clone()).unwrap_or(TriggerMatch {
            entry: LEARNED_ENTRY,
            tokens: vec![i],
            nominal: doc.tokens[i].pos == tocsin_doc::Pos::Noun,
            speech: false,
        });
        let runner_up = model
            .trigger
            .classes
            .iter()
            .zip(&scores)
            .filter_map(|(c, v)| c.parse::<PloverType>().ok().map(|k| (k, *v)))
            .filter(|(k, _)| *k != kind)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(k, _)| k);
        out.push(Detection {
            trigger,
            kind,
            margin: d.margin,
            runner_up,
            features: features[..core].to_vec(),
        });
    }
    out
}

/// Acts dated more than this many days before their report are background, not current events.
const BACKGROUND_DAYS: i64 = 45;

/// Key for within-article dedup of learned events: one per PLOVER type.
const LEARNED_ENTRY: usize = 1 << 30;

impl EventCoder {
    /// Codes with a trained model (see [`EventModel`]) instead of the lexicon's decisions.
    pub fn with_model(mut self, model: Arc<EventModel>) -> Self {
        self.model = Some(model);
        self
    }

    /// The trained model, if the coder has one.
    pub fn model(&self) -> Option<&EventModel> {
        self.model.as_deref()
    }

    /// The lexicon (its matches are features of the learned coder).
    pub fn lexicon(&self) -> &crate::Lexicon {
        &self.lexicon
    }

    /// What the trigger features read: lexicon, CAMEO table, word knowledge.
    pub fn knowledge(&self) -> Knowledge<'_> {
        Knowledge {
            lexicon: &self.lexicon,
            cameo: &self.cameo,
            lexical: Lexical::builtin(),
        }
    }

    /// The rule finders' roles for a trigger: the parse's subject/object (clause positions where it
    /// says nothing). Features of the learned rankers.
    pub(crate) fn rule_roles(
        &self,
        doc: &Document,
        ctx: &SentenceContext,
        t: &TriggerMatch,
    ) -> (Option<usize>, Option<usize>) {
        let s = ctx.s;
        let outside: Vec<usize> = ctx
            .mentions
            .iter()
            .copied()
            .filter(|&m| !t.tokens.iter().any(|k| doc.mentions[m].tokens.contains(k)))
            .collect();
        let parsed = parse_roles(doc, s, t, &ctx.rep, &outside);
        let psrc = parsed
            .source
            .filter(|&m| !in_apposition(doc, s, &ctx.mentions, &doc.mentions[m]));
        let src = if psrc.is_some() {
            psrc
        } else if parsed.reduced {
            None
        } else {
            find_source(doc, s, t, &ctx.rep, &ctx.mentions)
        };
        let tgt = if parsed.target.is_some_and(|m| Some(m) != src) {
            parsed.target
        } else if is_passive(doc, t) {
            ctx.mentions
                .iter()
                .rev()
                .copied()
                .find(|&i| doc.mentions[i].tokens.end <= t.start())
        } else {
            let from = if t.nominal { t.end() } else { t.head_end() };
            find_target(doc, s, &ctx.rep, &outside, src, from)
        };
        (src, tgt.filter(|&m| Some(m) != src))
    }

    /// The roles step: the rankers choose a source, then a target, among the sentence's mentions
    /// outside the trigger (or nobody).
    pub(crate) fn learned_roles(
        &self,
        doc: &Document,
        ctx: &SentenceContext,
        t: &TriggerMatch,
        kind: PloverType,
        model: &EventModel,
    ) -> (Option<usize>, Option<usize>) {
        let (rule_source, rule_target) = self.rule_roles(doc, ctx, t);
        let speech: Vec<usize> = ctx
            .matches
            .iter()
            .filter(|m| self.lexicon.entries[m.entry].flags.speech)
            .map(|m| m.start())
            .collect();
        let frame = RoleFrame {
            doc,
            s: ctx.s,
            trigger: &t.tokens,
            kind: kind.as_str(),
            rule_source,
            rule_target,
            speech: &speech,
        };
        let candidates: Vec<Option<usize>> = std::iter::once(None)
            .chain(
                ctx.mentions
                    .iter()
                    .copied()
                    .filter(|&m| !t.tokens.iter().any(|k| doc.mentions[m].tokens.contains(k)))
                    .map(Some),
            )
            .collect();
        let feats = |m: Option<usize>, src: Option<usize>| {
            let mut f = Vec::new();
            role_features(&frame, m, src, &mut f);
            f
        };
        // "Three attackers and an officer were killed": the subject of a passive casualty verb is its
        // victim, never its agent (that one follows "by").
        let casualty = self.lexicon.entries.get(t.entry).is_some_and(|e| e.flags.casualty);
        let passive_victims = casualty && is_passive(doc, t);
        let sources: Vec<Option<usize>> = candidates
            .iter()
            .copied()
            .filter(|m| !(passive_victims && m.is_some_and(|m| doc.mentions[m].tokens.end <= t.start())))
            .collect();
        let src_feats: Vec<Vec<u64>> = sources.iter().map(|&m| feats(m, None)).collect();
        let source = sources[model::best(&model.source, &src_feats)];
        let tgt_cands: Vec<Option<usize>> = candidates
            .iter()
            .copied()
            .filter(|&m| m.is_none() || m != source)
            .collect();
        let tgt_feats: Vec<Vec<u64>> = tgt_cands.iter().map(|&m| feats(m, source)).collect();
        let target = tgt_cands[model::best(&model.target, &tgt_feats)];
        (source, target)
    }

    /// Codes every sentence with the trained model into draft events, then merges reports of one
    /// act (same type and actors in a sentence; same act across sentences).
    pub(crate) fn draft_learned(&self, doc: &Document, model: &EventModel) -> Vec<Draft> {
        let mut drafts: Vec<Draft> = Vec::new();
        let mut last_attribution: Option<String> = None;
        for s in 0..doc.sentences.len() {
            let Some(found) = doc.detections.get(s).filter(|d| !d.is_empty()) else {
                continue;
            };
            let detected: Vec<Detected> = found
                .iter()
                .map(|d| Detected {
                    trigger: d.trigger.clone(),
                    kind: d.kind,
                    margin: d.margin,
                    runner_up: d.runner_up,
                    features: d.features.clone(),
                })
                .collect();
            let ctx = SentenceContext::new(self, doc, s, last_attribution.as_deref());
            if ctx.rep.attribution.is_some() {
                last_attribution.clone_from(&ctx.rep.attribution);
            }
            let mut sentence: Vec<Draft> = Vec::new();
            for d in &detected {
                let Some(draft) = self.learned_act(doc, &ctx, d, model, &drafts) else {
                    continue;
                };
                for draft in draft {
                    merge_into(&mut sentence, draft);
                }
            }
            // An act with nobody named is no event; deaths reported with nobody who caused them are
            // folded into an earlier assault (within two sentences) or dropped: earthquakes, crushes and
            // crashes kill too.
            for d in sentence {
                if d.event.source.is_none() && d.event.target.is_none() {
                    tracing::debug!(kind = %d.event.event_type, trigger = d.event.trigger.text, "no actor: dropped");
                    continue;
                }
                if d.casualty_only {
                    let host = drafts.iter_mut().rev().find(|h| {
                        h.event.event_type == PloverType::Assault
                            && d.event.sentence.saturating_sub(h.event.sentence) <= 2
                            && !h.casualty_only
                    });
                    if let Some(h) = host {
                        h.event.dead = h.event.dead.or(d.event.dead);
                        h.event.injured = h.event.injured.or(d.event.injured);
                        h.event.mentions.push(crate::coder::mention_of(&d));
                    } else {
                        tracing::debug!(
                            trigger = d.event.trigger.text,
                            "deaths with nobody who caused them: dropped"
                        );
                    }
                    continue;
                }
                drafts.push(d);
            }
        }
        drafts
    }

    /// One detected trigger → its draft events (one per actor pair of coordinated actors).
    fn learned_act(
        &self,
        doc: &Document,
        ctx: &SentenceContext,
        d: &Detected,
        model: &EventModel,
        earlier: &[Draft],
    ) -> Option<Vec<Draft>> {
        let t = &d.trigger;
        let flags = self
            .lexicon
            .entries
            .get(t.entry)
            .map(|e| e.flags.clone())
            .unwrap_or_default();
        let (source, target) = self.learned_roles(doc, ctx, t, d.kind, model);
        let known = |m: &usize| !doc.mentions[*m].actor.code.is_empty();
        // Unidentified perpetrators ("gunmen", "a man", "militants") are nobody: no country is borrowed
        // for them from the context.
        let unidentified = |m: &usize| {
            matches!(d.kind, PloverType::Assault | PloverType::Coerce)
                && bare(&doc.mentions[*m])
                && matches!(doc.mentions[*m].actor.sector.as_deref(), Some("CVL" | "REB" | "CRM"))
        };
        // A protest is civilian dissent: with an armed force as its source (troops, police, a rebel
        // group "fought with" the police), the act is the model's next reading.
        let armed = |m: usize| {
            matches!(
                doc.mentions[m].actor.sector.as_deref(),
                Some("REB" | "MIL" | "POL" | "SPY")
            )
        };
        let kind = match (d.kind, source) {
            (PloverType::Protest, Some(m)) if armed(m) => d.runner_up.unwrap_or(PloverType::Assault),
            (k, _) => k,
        };
        let d = &Detected { kind, ..d.clone() };
        let cameo = model
            .cameo_code(&d.features, d.kind)
            .or_else(|| default_code(d.kind).map(str::to_string))?;
        let info = self.cameo.get(&cameo)?;
        let cameo = tocsin_doc::CameoCode::new(cameo).ok()?;
        // Whether the rankers chose someone the text leaves unidentified (then nobody is implied either).
        let unidentified_named = source.is_some_and(|m| unidentified(&m));
        let (source, target) = (source.filter(|m| known(m) && !unidentified(m)), target.filter(known));
        let mut target_ref = target.map(|i| actor_ref(doc, &doc.mentions[i]));
        // Whether the target record is the target mention's (a denial may answer an earlier accuser).
        let mut target_is_mention = target.is_some();
        // A denial answers the last accusation against the denier, when the sentence names no one else.
        if flags.deny && d.kind == PloverType::Reject {
            let denier = source.and_then(|i| doc.mentions[i].actor.country.clone());
            let accuser = earlier.iter().rev().find(|x| {
                matches!(
                    x.event.event_type,
                    PloverType::Accuse | PloverType::Request | PloverType::Threaten
                ) && x.event.target.as_ref().and_then(|t| t.country.clone()) == denier
            });
            let weak = target_ref
                .as_ref()
                .is_none_or(|t| t.country == denier || (t.country.is_none() && t.org.is_none()));
            if let (Some(a), true) = (accuser, weak) {
                target_ref = a.event.source.clone();
                target_is_mention = false;
            }
        }
        let modality = if flags.deny {
            Modality::Denied
        } else {
            modality(doc, ctx.s, t, false, ctx.rep.claimed, false).unwrap_or(Modality::Asserted)
        };
        let entry = if t.entry == LEARNED_ENTRY {
            LEARNED_ENTRY + d.kind as usize
        } else {
            t.entry
        };
        let act = Act {
            trigger: t,
            kind: d.kind,
            cameo: cameo.clone(),
            info,
            mode: None,
            source,
            target: target_ref.clone(),
            modality,
            entry,
            // Deaths with nobody who caused them; "gunmen kill five" has a killer, unidentified.
            casualty_only: flags.casualty && source.is_none() && !unidentified_named,
            casualty: flags.casualty,
            confidence: 0.3 + (d.margin / 20.0).min(0.1),
            id_code: None,
        };
        let mut base = self.assemble(doc, ctx, &act, earlier);
        // The report's own day and the next are allowed (time zones). A date phrase after that is no
        // date of an asserted act (a deadline, a schedule, a misread name like "the 14th October
        // Brigade"): the act takes the report's date. A phrase well before it, in the trigger's clause
        // and close to it ("attacked in 1971"), makes the act background, which is no current event;
        // farther away it dates something else ("sentenced … for murders in 2022").
        if let (Some(published), Some(d)) = (doc.article.published, self.dated_by(doc, ctx, t)) {
            let days = (d.date - published).num_days();
            let attached = doc.tokens[d.tokens.start].clause == doc.tokens[t.start()].clause
                && d.tokens.start.abs_diff(t.start()).min(d.tokens.end.abs_diff(t.end())) <= 8;
            if days < -BACKGROUND_DAYS && attached {
                return None;
            }
            if !(-BACKGROUND_DAYS..=1).contains(&days) {
                base.event.date = Some(published);
                base.event.date_text = None;
                base.event.date_precision = tocsin_doc::Precision::Day;
            }
        }
        // An act only a state (or a crowd) performs, with nobody named: "two suspects are arrested" is
        // the police's, "protests erupt" the people's, in the country where it happened.
        if source.is_none() && !unidentified_named {
            if let Some(sector) = model.implied_sector(&d.features, d.kind) {
                let country = base
                    .event
                    .location
                    .as_ref()
                    .and_then(|l| l.country.clone())
                    .or_else(|| base.event.target.as_ref().and_then(|t| t.country.clone()))
                    .or_else(|| {
                        ctx.mentions.iter().find_map(|&m| {
                            doc.mentions[m]
                                .actor
                                .country
                                .clone()
                                .filter(|_| doc.mentions[m].actor.org.is_none())
                        })
                    });
                if let Some(c) = country {
                    let sector = (!sector.is_empty()).then_some(sector);
                    base.event.source = Some(ActorRef {
                        text: String::new(),
                        start: base.event.trigger.start,
                        end: base.event.trigger.start,
                        name: c.clone(),
                        country: Some(c.clone()),
                        org: None,
                        code: tocsin_doc::Actor::compose_code(Some(&c), sector.as_deref()),
                        sector,
                    });
                    base.casualty_only = false;
                }
            }
        }
        // People named only by what they are take the country where it happened (victims, detainees,
        // police, troops: "kills ten civilians in Pechenihy", "police in Istanbul arrest 40").
        let place = base.event.location.as_ref().and_then(|l| l.country.clone());
        let at_place = |m: Option<usize>, r: &mut Option<ActorRef>| {
            if let (Some(m), Some(r), Some(c)) = (m, r.as_mut(), &place) {
                if bare(&doc.mentions[m]) {
                    r.code = tocsin_doc::Actor::compose_code(Some(c), r.sector.as_deref());
                    r.country = Some(c.clone());
                }
            }
        };
        at_place(source, &mut base.event.source);
        if target_is_mention {
            at_place(target, &mut base.event.target);
        }
        // An attack on a place with nobody named as its victim targets the place's country ("missile
        // strikes on Tehran", "shelling across Kharkiv Oblast").
        if base.event.target.is_none() && matches!(d.kind, PloverType::Assault) && !base.casualty_only {
            if let Some(loc) = &base.event.location {
                if let Some(c) = loc.country.clone().filter(|c| base.source_country.as_ref() != Some(c)) {
                    // The place phrase's own offsets (it lies in the trigger's sentence), so the
                    // span slices the text it quotes.
                    let (start, end) = phrase_chars(doc, ctx.s, &loc.text)
                        .unwrap_or((base.event.trigger.start, base.event.trigger.start));
                    base.event.target = Some(ActorRef {
                        text: if start == end { String::new() } else { loc.text.clone() },
                        start,
                        end,
                        name: c.clone(),
                        code: c.clone(),
                        country: Some(c),
                        org: None,
                        sector: None,
                    });
                }
            }
        }
        base.source_country = base.event.source.as_ref().and_then(|a| a.country.clone());
        // One event per act: coordinated actors ("France and Germany condemn Russia", "Israel and Hamas
        // reach an agreement") are one event with the chosen actor, not one event per pair (PLOVER
        // keeps compound actors in one record; a joint act is coded once, in text order).
        if base.event.source.is_some()
            && base.event.source.as_ref().map(|a| &a.code) == base.event.target.as_ref().map(|a| &a.code)
        {
            base.event.target = None;
        }
        Some(vec![base])
    }

    /// Runs the learned coder over a document (the `events` stage in learned mode).
    pub(crate) fn code_learned(&self, doc: &Document, model: &EventModel) -> Vec<tocsin_doc::Event> {
        consolidate(self.draft_learned(doc, model))
    }
}

/// A mention named only by a sector noun ("police", "civilians", "gunmen"): no country or
/// organisation of its own.
/// Character offsets in the whole article of `phrase`'s first occurrence in sentence `s`.
fn phrase_chars(doc: &Document, s: usize, phrase: &str) -> Option<(usize, usize)> {
    let span = doc.sentences.get(s)?.span;
    let at = span.start + doc.slice(span).find(phrase).filter(|_| !phrase.is_empty())?;
    Some((doc.char_offset(at), doc.char_offset(at + phrase.len())))
}

fn bare(m: &tocsin_doc::Mention) -> bool {
    m.actor.country.is_none() && m.actor.org.is_none() && m.kind == tocsin_doc::MentionKind::Name && !m.person
}

/// The entity an actor stands for when comparing reports: its country, else its organisation or
/// code.
fn entity(a: &ActorRef) -> String {
    a.country
        .clone()
        .or_else(|| a.org.clone())
        .unwrap_or_else(|| a.code.clone())
}

/// Adds a draft to a sentence's drafts, merging it into one of the same type whose actors agree
/// where both name one (two triggers of one act: "an attack … killed 9 and injured 20", "9 are
/// killed in rebel attacks"); the merged event keeps every actor either named, but never one on
/// both sides.
fn merge_into(sentence: &mut Vec<Draft>, d: Draft) {
    let agree = |x: &Option<ActorRef>, y: &Option<ActorRef>| match (x, y) {
        (Some(x), Some(y)) => entity(x) == entity(y),
        _ => true,
    };
    // Same type, and actors that agree where both name one, or the same named source: one actor
    // doing one kind of thing twice in a sentence is one act ("drone strikes …, killing several").
    let same_source = |x: &Option<ActorRef>, y: &Option<ActorRef>| match (x, y) {
        (Some(x), Some(y)) => entity(x) == entity(y),
        _ => false,
    };
    let same = sentence.iter_mut().find(|h| {
        h.event.event_type == d.event.event_type
            && ((agree(&h.event.source, &d.event.source) && agree(&h.event.target, &d.event.target))
                || same_source(&h.event.source, &d.event.source))
    });
    let Some(h) = same else {
        sentence.push(d);
        return;
    };
    let differs = |a: &Option<ActorRef>, b: &Option<ActorRef>| match (a, b) {
        (Some(a), Some(b)) => entity(a) != entity(b),
        _ => true,
    };
    if h.event.source.is_none() && d.event.source.is_some() && differs(&d.event.source, &h.event.target) {
        h.event.source = d.event.source.clone();
        h.source_country = d.source_country.clone();
    }
    if h.event.target.is_none() && d.event.target.is_some() && differs(&d.event.target, &h.event.source) {
        h.event.target = d.event.target.clone();
    }
    h.event.dead = h.event.dead.max(d.event.dead);
    h.event.injured = h.event.injured.max(d.event.injured);
    h.event.arrested = h.event.arrested.max(d.event.arrested);
    h.event.location = h.event.location.take().or(d.event.location);
    h.casualty_only &= d.casualty_only;
}

/// The generic CAMEO code of a type, when the code classifier offers none.
pub fn default_code(kind: PloverType) -> Option<&'static str> {
    Some(match kind {
        PloverType::Agree => "030",
        PloverType::Consult => "040",
        PloverType::Support => "051",
        PloverType::Concede => "081",
        PloverType::Cooperate => "060",
        PloverType::Aid => "070",
        PloverType::Retreat => "084",
        PloverType::Request => "100",
        PloverType::Accuse => "111",
        PloverType::Reject => "120",
        PloverType::Threaten => "130",
        PloverType::Protest => "141",
        PloverType::Sanction => "163",
        PloverType::Mobilize => "150",
        PloverType::Coerce => "173",
        PloverType::Assault => "190",
    })
}
