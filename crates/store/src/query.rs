//! Query parameters and result rows of the store.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tocsin_doc::Event;

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IngestOutcome {
    /// False when the same text was stored before (nothing changed).
    pub new_article: bool,
    /// Events stored as new real-world events.
    pub new_events: Vec<String>,
    /// Stored events that gained a mention from this article.
    pub merged_events: Vec<String>,
}

/// Filters for event listings; all optional.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventQuery {
    /// First date (YYYY-MM-DD), inclusive.
    pub from: Option<String>,
    /// Last date, inclusive.
    pub to: Option<String>,
    /// Source or target actor key or code (country, org or full code).
    pub actor: Option<String>,
    /// Source or target country.
    pub country: Option<String>,
    /// Source actor key (with `target`: a directed dyad).
    pub source: Option<String>,
    /// Target actor key.
    pub target: Option<String>,
    /// PLOVER event type.
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    /// Full-text query over article text (FTS5 syntax).
    pub q: Option<String>,
    /// Page size (default 50, at most 1000).
    pub limit: Option<usize>,
    /// Rows to skip.
    pub offset: Option<usize>,
}

/// A page of results with the total count.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    /// Rows matching the query.
    pub total: u64,
    /// This page.
    pub items: Vec<T>,
}

/// A stored event with its GDELT-style counts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredEvent {
    /// The event record of the first report.
    #[serde(flatten)]
    pub event: Event,
    /// All mentions (sentences) across articles.
    pub num_mentions: u32,
    /// Distinct outlets.
    pub num_sources: u32,
    /// Distinct articles.
    pub num_articles: u32,
}

/// One report of an event in one article.
#[derive(Debug, Clone, Serialize)]
pub struct MentionRow {
    /// Article id.
    pub article_id: String,
    /// Outlet of the article.
    pub outlet: Option<String>,
    /// Sentence index.
    pub sentence: usize,
    /// Trigger character offsets.
    pub trigger_start: usize,
    /// End of the trigger.
    pub trigger_end: usize,
    /// The sentence.
    pub evidence: String,
    /// The event as coded from this mention (spans for highlighting).
    pub record: Event,
}

/// An event with all its mentions.
#[derive(Debug, Clone, Serialize)]
pub struct EventDetail {
    /// The event.
    #[serde(flatten)]
    pub stored: StoredEvent,
    /// Every report of it.
    pub reports: Vec<MentionRow>,
}

/// Aggregation period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    /// Per day.
    #[default]
    Day,
    /// Per ISO-like week (`YYYY-Www`).
    Week,
    /// Per month (`YYYY-MM`).
    Month,
}

/// One period of a dyad's series.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct SeriesPoint {
    /// The day, week or month.
    pub period: String,
    /// Events.
    pub events: u32,
    /// Mentions (events weighted by how often they were reported).
    pub mentions: u32,
    /// Events per PLOVER type.
    pub by_type: BTreeMap<String, u32>,
    /// Events per QuadClass (1–4).
    pub by_quad: BTreeMap<u8, u32>,
    /// Sum of Goldstein scores.
    pub goldstein_sum: f64,
    /// Mean Goldstein score.
    pub goldstein_mean: f64,
    /// Dead.
    pub dead: u32,
    /// Injured.
    pub injured: u32,
}

/// A weighted edge of the actor network.
#[derive(Debug, Clone, Serialize)]
pub struct DyadEdge {
    /// Source actor key.
    pub source: String,
    /// Target actor key.
    pub target: String,
    /// Events.
    pub events: u32,
    /// Sum of Goldstein scores.
    pub goldstein_sum: f64,
}

/// An alert to store.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewAlert {
    /// Rule name.
    pub rule: String,
    /// Source actor key.
    pub source: String,
    /// Target actor key.
    pub target: String,
    /// Day it concerns.
    pub date: String,
    /// Rule score (z-score, dead count…).
    pub score: f64,
    /// Readable message.
    pub message: String,
    /// Events that triggered it.
    pub event_ids: Vec<String>,
}

/// A stored alert.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Alert {
    /// Row id.
    pub id: i64,
    /// The alert.
    #[serde(flatten)]
    pub alert: NewAlert,
    /// When it was raised (RFC 3339).
    pub created_at: String,
}

/// An article that could not be coded after all its tries, to store for operators.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NewDeadLetter {
    /// Queue message id (stream sequence); a second save of the same id changes nothing.
    pub message_id: String,
    /// The article id, when the payload could be read that far.
    pub article_id: Option<String>,
    /// The last error, as a sentence.
    pub error: String,
    /// Deliveries tried.
    pub attempts: u32,
    /// The payload (truncated to 64 KiB).
    pub payload: String,
}

/// A stored dead letter.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeadLetter {
    /// Row id.
    pub id: i64,
    /// The letter.
    #[serde(flatten)]
    pub letter: NewDeadLetter,
    /// When it was stored (RFC 3339).
    pub created_at: String,
}
