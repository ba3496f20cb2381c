//! The tocsin document model: one [`Document`] flows through the pipeline stages
//! (text → nlp → actors → triggers → parse → persons → events), each stage filling in its own layer.
//!
//! Internal layers (tokens, sentences, mentions) use **byte** offsets into the article text;
//! the public [`Event`] record uses **character** (Unicode scalar) offsets, as Python and
//! JavaScript consumers index strings.

mod article;
mod document;
mod event;
mod stage;

pub use article::{content_hash, Article, ArticleError};
pub use document::{
    Actor, CharIndex, Detection, Document, Entity, Mention, MentionKind, Pos, Segment, Sentence, Span, Token, Trigger,
};
pub use event::{
    ActorRef, BadCameoCode, CameoCode, Event, EventMention, GeoPrecision, Location, Modality, PloverType, Precision,
    TextSpan, UnknownPloverType, SCHEMA_VERSION,
};
pub use stage::{Pipeline, Stage, StageError};
