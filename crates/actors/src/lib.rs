//! Actors stage: finds actor mentions (countries, capitals, organisations, people, sector nouns)
//! with the knowledge base, merges them into noun-phrase mentions ("Serbian President Aleksandar
//! Vucic" → SRBGOV) and resolves pronouns and definite descriptions to earlier mentions.
//!
//! Entry points: [`ActorRecognizer`] (the `actors` stage) and [`UnknownPersons`] (the `persons`
//! stage, after `parse`: persons the recogniser found that the knowledge base does not know).

mod dictionary;
mod entities;
mod groups;
mod kb;
mod persons;
mod recognize;
mod resolve;

use std::sync::Arc;

pub use entities::{is_demonym, named_entities, EntityLabel, NamedEntity};
pub use groups::ArmedGroup;
pub use kb::{phrase_key, Country, DescriptionKind, Entry, KbError, KnowledgeBase, Org, Person, KB_FILES};
pub use persons::UnknownPersons;

use tocsin_doc::{Document, Stage, StageError};

/// The actors stage.
#[derive(Clone)]
pub struct ActorRecognizer {
    kb: Arc<KnowledgeBase>,
}

impl ActorRecognizer {
    /// A recogniser over a loaded knowledge base.
    pub fn new(kb: Arc<KnowledgeBase>) -> Self {
        ActorRecognizer { kb }
    }

    /// The knowledge base in use.
    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }
}

impl Stage for ActorRecognizer {
    fn name(&self) -> &'static str {
        "actors"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let mut mentions = Vec::new();
        for s in 0..doc.sentences.len() {
            mentions.extend(recognize::sentence_mentions(&self.kb, doc, s));
        }
        doc.mentions = mentions;
        resolve::resolve_references(&self.kb, doc);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
