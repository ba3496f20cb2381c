//! Events stage: codes who-did-what-to-whom from triggers (lexicon), actor mentions (actors
//! stage) and clause positions, with PLOVER type/mode/context, CAMEO code, Goldstein, QuadClass,
//! dates, places, casualties, modality, attribution and quotes.
//!
//! Entry points: [`EventCoder`] (the `events` stage) and its [`TriggerFinder`] (the `triggers` stage).

mod assemble;
mod cameo;
mod coder;
mod dates;
mod dictionary;
mod grounding;
pub mod learned;
mod lexicon;
mod parse_roles;
mod places;
mod quantities;
mod roles;

pub use cameo::{quad_class, CameoInfo, CameoTable};
pub use dates::{find_dates, DateMention};
pub use dictionary::lexicon_lines;
pub use lexicon::{Flags, LexEntry, Lexicon, LexiconError, TriggerMatch, BUILTIN_LEXICON};
pub use places::{distance_km, locate, Gazetteer, Place};
pub use quantities::{casualties, group_size, parse_number, Casualties};
pub use tocsin_doc::Precision;

use std::sync::Arc;

use tocsin_doc::{Document, Stage, StageError};

pub use learned::EventModel;

/// The `triggers` stage: every sentence's lexicon triggers, found once, and — with a trained model —
/// the triggers the model takes for events, before the `parse` stage (which parses only sentences with
/// an event) and the `events` stage (which codes them).
pub struct TriggerFinder {
    lexicon: Arc<Lexicon>,
    cameo: CameoTable,
    model: Option<Arc<EventModel>>,
}

impl TriggerFinder {
    /// What the trigger features read.
    fn knowledge(&self) -> learned::Knowledge<'_> {
        learned::Knowledge {
            lexicon: &self.lexicon,
            cameo: &self.cameo,
            lexical: learned::Lexical::builtin(),
        }
    }
}

impl Stage for TriggerFinder {
    fn name(&self) -> &'static str {
        "triggers"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        doc.triggers = (0..doc.sentences.len()).map(|s| self.lexicon.find(doc, s)).collect();
        doc.detections = match &self.model {
            Some(m) => (0..doc.sentences.len())
                .map(|s| learned::detect(doc, s, m, self.knowledge()))
                .collect(),
            None => Vec::new(),
        };
        Ok(())
    }
}

/// The events stage.
pub struct EventCoder {
    lexicon: Arc<Lexicon>,
    cameo: CameoTable,
    gazetteer: Gazetteer,
    /// Recode promised cooperation as an intention (03x); off for PETRARCH verb dictionaries, whose
    /// patterns carry their own codes for future forms.
    intentions: bool,
    /// The trained model; without one the lexicon's rules decide (`--rules`).
    model: Option<Arc<EventModel>>,
}

impl EventCoder {
    /// A coder with the built-in lexicon, CAMEO table and gazetteer.
    pub fn builtin() -> Result<Self, LexiconError> {
        Ok(EventCoder {
            lexicon: Arc::new(Lexicon::builtin()?),
            cameo: CameoTable::builtin(),
            gazetteer: Gazetteer::builtin(),
            intentions: true,
            model: None,
        })
    }

    /// A coder with a user lexicon (`events.tsv` format) and extra gazetteer rows.
    pub fn with(lexicon: Lexicon, extra_places: Option<&str>) -> Self {
        let mut gazetteer = Gazetteer::builtin();
        if let Some(p) = extra_places {
            gazetteer.add_tsv(p);
        }
        EventCoder {
            lexicon: Arc::new(lexicon),
            cameo: CameoTable::builtin(),
            gazetteer,
            intentions: true,
            model: None,
        }
    }

    /// The `triggers` stage with this coder's lexicon and model; it must run before the coder.
    pub fn trigger_finder(&self) -> TriggerFinder {
        TriggerFinder {
            lexicon: Arc::clone(&self.lexicon),
            cameo: self.cameo.clone(),
            model: self.model.clone(),
        }
    }

    /// Codes every trigger with its lexicon code, also in the future tense (PETRARCH semantics).
    pub fn without_intentions(mut self) -> Self {
        self.intentions = false;
        self
    }
}

impl Stage for EventCoder {
    fn name(&self) -> &'static str {
        "events"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        if doc.triggers.len() != doc.sentences.len() {
            return Err(StageError {
                stage: "events".into(),
                message: "the document has no `triggers` layer: run the `triggers` stage (EventCoder::trigger_finder) before `events`".into(),
            });
        }
        doc.events = match &self.model {
            Some(m) => self.code_learned(doc, m),
            None => coder::consolidate(self.draft(doc)),
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests;
