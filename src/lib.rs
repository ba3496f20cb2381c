//! tocsin: news articles in, political events out.
//!
//! The pipeline is ingest → text → nlp → actors → events (→ store → signals → serve, later).
//! [`Tocsin`] assembles the default stages; [`output`] writes events; [`eval`] scores coders.

pub mod eval;
pub mod gdelt;
pub mod output;
pub mod parquet;
mod pipeline;

pub use pipeline::{Tocsin, TocsinOptions, MAX_SEGMENT_BYTES};
pub use tocsin_doc as doc;
pub use tocsin_ingest as ingest;

/// The bundled seed story (see `examples/README.md`).
pub const SEED_ARTICLE_JSON: &str = include_str!("../examples/serbia-kosovo-2023-09-30.json");
