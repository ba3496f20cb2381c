//! Events stage: codes who-did-what-to-whom from triggers (lexicon), actor mentions (actors
//! stage) and clause positions, with PLOVER type/mode/context, CAMEO code, Goldstein, QuadClass,
//! dates, places, casualties, modality, attribution and quotes.
//!
//! Entry point: [`EventCoder`].

mod cameo;
mod coder;
mod dates;
mod dictionary;
mod grounding;
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

use tocsin_doc::{Document, Stage, StageError};

/// The events stage.
pub struct EventCoder {
    lexicon: Lexicon,
    cameo: CameoTable,
    gazetteer: Gazetteer,
    /// Recode promised cooperation as an intention (03x); off for PETRARCH verb dictionaries, whose
    /// patterns carry their own codes for future forms.
    intentions: bool,
}

impl EventCoder {
    /// A coder with the built-in lexicon, CAMEO table and gazetteer.
    pub fn builtin() -> Result<Self, LexiconError> {
        Ok(EventCoder {
            lexicon: Lexicon::builtin()?,
            cameo: CameoTable::builtin(),
            gazetteer: Gazetteer::builtin(),
            intentions: true,
        })
    }

    /// A coder with a user lexicon (`events.tsv` format) and extra gazetteer rows.
    pub fn with(lexicon: Lexicon, extra_places: Option<&str>) -> Self {
        let mut gazetteer = Gazetteer::builtin();
        if let Some(p) = extra_places {
            gazetteer.add_tsv(p);
        }
        EventCoder {
            lexicon,
            cameo: CameoTable::builtin(),
            gazetteer,
            intentions: true,
        }
    }

    /// Whether sentence `s` holds a trigger that can become an event (not only reporting verbs):
    /// the pre-filter for the `parse` stage.
    pub fn has_trigger(&self, doc: &Document, s: usize) -> bool {
        self.lexicon
            .find(doc, s)
            .iter()
            .any(|t| !self.lexicon.entries[t.entry].flags.speech)
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
        let drafts = self.draft(doc);
        doc.events = coder::consolidate(drafts);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
