//! The steps after a trigger's type and roles are known: date → place → quantities → confidence,
//! over a sentence context shared by every trigger of the sentence.

use tocsin_doc::{ActorRef, Document, Event, Mention, MentionKind, Modality, PloverType, TextSpan, SCHEMA_VERSION};

use crate::coder::Draft;
use crate::dates::{find_dates, DateMention};
use crate::places::locate;
use crate::quantities::{casualties, group_size};
use crate::roles::{quote_around, reporting, Reporting};
use crate::{CameoInfo, EventCoder, TriggerMatch};
use tocsin_doc::Precision;

/// Phrases that take the date of the last dated consultation ("in the phone call").
const ANAPHORS: &[&str] = &[
    "the phone call",
    "the call",
    "the talks",
    "the meeting",
    "the conversation",
    "the telephone call",
];

/// What every trigger of one sentence shares.
pub(crate) struct SentenceContext {
    /// Sentence index.
    pub s: usize,
    /// First token of the sentence.
    pub start: usize,
    /// Lexicon matches.
    pub matches: Vec<TriggerMatch>,
    /// Attribution regions, quote speakers.
    pub rep: Reporting,
    /// Indices of the sentence's actor mentions.
    pub mentions: Vec<usize>,
    /// Date phrases.
    pub dates: Vec<DateMention>,
    /// The sentence, lower-cased.
    pub lower: String,
}

impl SentenceContext {
    /// Builds the context of sentence `s` (the previous sentence's attribution carries over).
    pub fn new(coder: &EventCoder, doc: &Document, s: usize, previous_attribution: Option<&str>) -> Self {
        let matches = match doc.triggers.get(s) {
            Some(t) if doc.triggers.len() == doc.sentences.len() => t.clone(),
            _ => coder.lexicon.find(doc, s),
        };
        let rep = reporting(doc, s, &coder.lexicon, &matches, previous_attribution);
        SentenceContext {
            s,
            start: doc.sentences[s].tokens.start,
            rep,
            mentions: (0..doc.mentions.len())
                .filter(|&i| doc.mentions[i].sentence == s)
                .collect(),
            dates: doc.article.published.map(|p| find_dates(doc, s, p)).unwrap_or_default(),
            lower: doc.slice(doc.sentences[s].span).to_lowercase(),
            matches,
        }
    }
}

/// An act with its type, code and roles decided, ready to be dated, placed and counted.
pub(crate) struct Act<'a> {
    /// The trigger.
    pub trigger: &'a TriggerMatch,
    /// PLOVER type.
    pub kind: PloverType,
    /// CAMEO code and its table row.
    pub cameo: tocsin_doc::CameoCode,
    /// See `cameo`.
    pub info: CameoInfo,
    /// PLOVER mode override.
    pub mode: Option<String>,
    /// Source mention.
    pub source: Option<usize>,
    /// Target, already as a record (a denial's target may come from an earlier event).
    pub target: Option<ActorRef>,
    /// Modality.
    pub modality: Modality,
    /// Lexicon entry (or a per-type key for learned triggers): what within-article dedup compares.
    pub entry: usize,
    /// Only reports casualties, with no agent: folded into a nearby assault.
    pub casualty_only: bool,
    /// Reports casualties ("killed", "injured"): takes the sentence's counts whatever its type.
    pub casualty: bool,
    /// Base confidence before the role and date terms.
    pub confidence: f32,
    /// The code the event id is made from, when not `cameo` (the rule coder's lexicon code, so ids stay
    /// what they were when its intention and threat recodings change the code).
    pub id_code: Option<String>,
}

/// A token range as a text span (character offsets).
pub(crate) fn text_span(doc: &Document, start: usize, end: usize) -> TextSpan {
    let span = tocsin_doc::Span {
        start: doc.tokens[start].span.start,
        end: doc.tokens[end - 1].span.end,
    };
    TextSpan {
        text: doc.slice(span).to_string(),
        start: doc.char_offset(span.start),
        end: doc.char_offset(span.end),
    }
}

/// A mention as an event participant.
pub(crate) fn actor_ref(doc: &Document, m: &Mention) -> ActorRef {
    let actor = crate::grounding::grounded(doc, m);
    ActorRef {
        text: doc.slice(m.span).to_string(),
        start: doc.char_offset(m.span.start),
        end: doc.char_offset(m.span.end),
        name: actor.name,
        country: actor.country,
        org: actor.org,
        sector: actor.sector,
        code: actor.code,
    }
}

impl EventCoder {
    /// The date phrase that dates a trigger: the nearest usable one of its sentence (not a reference
    /// time like "since …"), preferring phrases outside attribution regions.
    pub(crate) fn dated_by<'a>(
        &self,
        _doc: &Document,
        ctx: &'a SentenceContext,
        t: &TriggerMatch,
    ) -> Option<&'a DateMention> {
        ctx.dates
            .iter()
            .filter(|d| {
                !d.reference_only && (!d.possessive || (d.tokens.end < t.start() && t.start() <= d.tokens.end + 2))
            })
            .min_by_key(|d| {
                let excluded = ctx
                    .rep
                    .excluded
                    .get(d.tokens.start - ctx.start)
                    .copied()
                    .unwrap_or(false);
                (excluded, d.tokens.start.abs_diff(t.start()))
            })
    }

    /// The date step: the nearest own date phrase; else an anaphoric "the phone call" takes the last
    /// dated consultation's date; else the publication date.
    fn date_of(
        &self,
        doc: &Document,
        ctx: &SentenceContext,
        t: &TriggerMatch,
        earlier: &[Draft],
    ) -> (Option<chrono::NaiveDate>, Option<String>, Precision) {
        let usable: Vec<&DateMention> = ctx
            .dates
            .iter()
            .filter(|d| {
                !d.reference_only && (!d.possessive || (d.tokens.end < t.start() && t.start() <= d.tokens.end + 2))
            })
            .collect();
        let own = usable.iter().min_by_key(|d| {
            let excluded = ctx
                .rep
                .excluded
                .get(d.tokens.start - ctx.start)
                .copied()
                .unwrap_or(false);
            (excluded, d.tokens.start.abs_diff(t.start()))
        });
        if let Some(d) = own {
            return (
                Some(d.date),
                Some(text_span(doc, d.tokens.start, d.tokens.end).text),
                d.precision,
            );
        }
        let anaphor = ANAPHORS.iter().find(|a| ctx.lower.contains(*a));
        let consult = anaphor.and_then(|_| {
            earlier
                .iter()
                .rev()
                .find(|d| d.event.event_type == PloverType::Consult && d.event.date_text.is_some())
        });
        match (anaphor, consult) {
            (Some(a), Some(c)) => (c.event.date, Some(a.to_string()), Precision::Day),
            _ => (doc.article.published, None, Precision::Day),
        }
    }

    /// Dates, places, counts and scores an act into a draft event.
    pub(crate) fn assemble(&self, doc: &Document, ctx: &SentenceContext, act: &Act<'_>, earlier: &[Draft]) -> Draft {
        let t = act.trigger;
        let s = ctx.s;
        let (date, date_text, precision) = self.date_of(doc, ctx, t, earlier);
        let cas = casualties(doc, s);
        let attach = matches!(act.kind, PloverType::Assault | PloverType::Coerce)
            || matches!(act.info.plover, PloverType::Assault | PloverType::Coerce)
            || act.casualty;
        let source_mention = act.source.map(|i| &doc.mentions[i]);
        let mut confidence = act.confidence
            + if act.source.is_some() { 0.25 } else { 0.0 }
            + if act.target.is_some() { 0.2 } else { 0.0 }
            + if date_text.is_some() { 0.1 } else { 0.0 };
        if t.nominal {
            confidence -= 0.1;
        }
        if source_mention.is_some_and(|m| matches!(m.kind, MentionKind::Pronoun | MentionKind::Description)) {
            confidence -= 0.1;
        }
        let trigger = text_span(doc, t.start(), t.head_end());
        let id_code = act.id_code.as_deref().unwrap_or(act.cameo.as_str());
        let id = Event::make_id(&doc.article.id, trigger.start, id_code, None);
        let event = Event {
            schema_version: SCHEMA_VERSION.to_string(),
            id,
            article_id: doc.article.id.clone(),
            sentence: doc.sentence_number(s),
            evidence: doc.slice(doc.sentences[s].span).to_string(),
            trigger,
            event_type: act.kind,
            mode: act.mode.clone().or(act.info.mode.clone()),
            context: act.info.context.clone(),
            cameo: act.cameo.clone(),
            goldstein: act.info.goldstein,
            quad_class: act.info.quad_class,
            source: source_mention.map(|m| actor_ref(doc, m)),
            target: act.target.clone(),
            date,
            date_text,
            date_precision: precision,
            // Verbal events happen where they are said; only material events get a place.
            location: (matches!(act.info.quad_class, 2 | 4) || act.kind == PloverType::Consult)
                .then(|| locate(doc, s, t.start(), &self.gazetteer))
                .flatten(),
            dead: cas.dead.filter(|_| attach),
            injured: cas.injured.filter(|_| attach),
            // Arrests belong to the coercion that made them, not to a clash nearby.
            arrested: cas.arrested.filter(|_| act.kind == PloverType::Coerce),
            // The source's size ("a 30-strong commando group"), else the force the act moves.
            size: source_mention
                .and_then(|m| group_size(doc, ctx.start, m.tokens.start))
                .or_else(|| t.tokens[1..].iter().find_map(|&k| group_size(doc, ctx.start, k))),
            modality: act.modality,
            attribution: ctx.rep.attribution.clone(),
            quote: quote_around(doc, s, t.start()),
            confidence: confidence.clamp(0.05, 0.95),
            mentions: Vec::new(),
        };
        Draft {
            source_country: event.source.as_ref().and_then(|a| a.country.clone()),
            event,
            entry: act.entry,
            casualty_only: act.casualty_only,
        }
    }
}
