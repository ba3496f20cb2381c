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
    /// Either direction of a pair of actor keys, `A,B` (undirected dyad).
    pub dyad: Option<String>,
    /// Full-text query over article text (FTS5 syntax).
    pub q: Option<String>,
    /// Include events that are not current news: dated more than a day after their report
    /// (`after_report`) or more than 45 days before it (`historical`). Default false.
    pub noncurrent: Option<bool>,
    /// Page size (default 50, at most 1000).
    pub limit: Option<usize>,
    /// Rows to skip.
    pub offset: Option<usize>,
}

impl EventQuery {
    /// The two actor keys of `dyad` (`A,B`), if given and well formed.
    pub fn dyad_pair(&self) -> Option<(String, String)> {
        split_dyad(self.dyad.as_deref()?)
    }
}

/// `A,B` as two trimmed actor keys (None unless both are non-empty).
pub fn split_dyad(s: &str) -> Option<(String, String)> {
    let (a, b) = s.split_once(',')?;
    let (a, b) = (a.trim(), b.trim());
    (!a.is_empty() && !b.is_empty()).then(|| (a.to_string(), b.to_string()))
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
    /// `after_report` (dated more than a day after its first report), `historical` (more than 45
    /// days before it) or absent for current news; non-current events stay out of alerts and aggregates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing: Option<String>,
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
    /// The article's title.
    pub title: Option<String>,
    /// The article's URL.
    pub url: Option<String>,
    /// The article's publication date.
    pub published: Option<String>,
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
    /// One point for the whole range (period `all`): articles counted once across its days.
    All,
}

/// One period of a dyad's series.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct SeriesPoint {
    /// The day, week or month.
    pub period: String,
    /// Events.
    pub events: u32,
    /// Mentions (sentences reporting the events; one article may give many).
    pub mentions: u32,
    /// Distinct articles reporting the period's events (what the escalation index counts).
    pub articles: u32,
    /// Distinct outlets (an article without an outlet counts as its own).
    pub sources: u32,
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
    /// Why it fired: the value, its baseline and the events that contributed most.
    #[serde(default)]
    pub explanation: Option<Explanation>,
}

/// Why an alert fired.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Explanation {
    /// The day's value (escalation index, or the event's dead / −Goldstein).
    pub value: f64,
    /// Mean of the value over the baseline days (escalation rules).
    pub baseline_mean: Option<f64>,
    /// Standard deviation over the baseline days (before flooring at 1).
    pub baseline_std: Option<f64>,
    /// Baseline length in days.
    pub baseline_days: Option<i64>,
    /// Distinct articles reporting the day's events.
    pub articles: u32,
    /// Distinct outlets.
    pub sources: u32,
    /// Events counted.
    pub events: u32,
    /// Mean Goldstein score of the counted events.
    pub goldstein_mean: f64,
    /// Both directions of the pair counted (false: the directed dyad only).
    pub undirected: bool,
    /// The events that contributed most, strongest first.
    pub top_events: Vec<Contribution>,
}

/// One event behind an alert, with its evidence.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Contribution {
    /// Event id.
    pub id: String,
    /// PLOVER type.
    pub event_type: String,
    /// Source actor code.
    pub source: Option<String>,
    /// Target actor code.
    pub target: Option<String>,
    /// Goldstein score.
    pub goldstein: f32,
    /// Dead.
    pub dead: Option<u32>,
    /// Articles reporting it.
    pub num_articles: u32,
    /// The sentence of its first report.
    pub evidence: String,
    /// Its first report's article.
    pub article_id: String,
}

/// Filters for alert listings; all optional.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AlertQuery {
    /// First date (YYYY-MM-DD), inclusive.
    pub from: Option<String>,
    /// Last date, inclusive.
    pub to: Option<String>,
    /// Source or target actor key.
    pub country: Option<String>,
    /// Either direction of a pair, `A,B`.
    pub dyad: Option<String>,
    /// Rule name.
    pub rule: Option<String>,
    /// Page size (default 50, at most 1000).
    pub limit: Option<usize>,
    /// Rows to skip.
    pub offset: Option<usize>,
}

/// Events of a map cell (about half a degree), for the map of a whole filtered set.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlaceCell {
    /// Mean latitude of the cell's events.
    pub lat: f64,
    /// Mean longitude.
    pub lon: f64,
    /// A place name of the cell.
    pub name: String,
    /// Events.
    pub events: u32,
    /// Events of QuadClass 3–4 (conflict).
    pub conflict: u32,
    /// Dead.
    pub dead: u32,
}

/// Store counts and date ranges.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Summary {
    /// Articles.
    pub articles: u64,
    /// Events.
    pub events: u64,
    /// Mentions.
    pub mentions: u64,
    /// Events that are not current news (dated after their report or historical).
    pub noncurrent_events: u64,
    /// First date of a current event.
    pub first_date: Option<String>,
    /// Last date of a current event.
    pub last_date: Option<String>,
    /// First publication date of a stored article.
    pub first_published: Option<String>,
    /// Last publication date of a stored article (the dashboard's default window ends here).
    pub last_published: Option<String>,
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
