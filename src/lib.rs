//! tocsin: news articles in, political events out.
//!
//! The coding pipeline is text → nlp → actors → triggers → parse → persons → events; the CLI puts
//! ingest before it and store → signals → serve after it. [`Tocsin`] assembles the default stages,
//! [`batch`] codes batches on all cores with panic [`isolate`]ion, [`output`] writes events,
//! [`eval`] and [`gold`] score coders, [`gdelt`] and [`parquet`] exchange events.

pub mod batch;
pub mod eval;
pub mod eval_ner;
pub mod gdelt;
pub mod gold;
pub mod isolate;
pub mod output;
pub mod parquet;
mod pipeline;
pub mod train_events;

pub use isolate::Panicked;
pub use pipeline::{BuiltinModelError, Coding, Tocsin, TocsinOptions, MAX_SEGMENT_BYTES};
pub use tocsin_doc as doc;
pub use tocsin_ingest as ingest;

/// The bundled seed story (see `examples/README.md`).
pub const SEED_ARTICLE_JSON: &str = include_str!("../examples/serbia-kosovo-2023-09-30.json");

/// The bundled seed story as an article.
pub fn seed_article() -> anyhow::Result<doc::Article> {
    let format = Some(ingest::Format::Json);
    let mut parsed = ingest::read_bytes(
        "seed",
        SEED_ARTICLE_JSON.as_bytes(),
        format,
        &ingest::ReadOptions::default(),
    );
    parsed
        .pop()
        .ok_or_else(|| anyhow::anyhow!("the bundled seed article is missing"))?
        .map_err(|e| anyhow::anyhow!("{e}"))
}
