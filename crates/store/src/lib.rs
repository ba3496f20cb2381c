//! Store stage: articles, events, mentions, actors and alerts, behind the [`Store`] trait.
//! [`SqliteStore`] is the embedded default (WAL, versioned migrations, FTS5 over articles);
//! [`PgStore`] is the scale-out drop-in for many workers.
//!
//! Cross-article dedup: an incoming event joins a stored one from another article when both have the same PLOVER
//! type, the same source and target actor codes, dates within `window_days` (default 1) and the
//! same place cell (coordinates within [`DedupRule::cell_degrees`], or either has no place).

mod common;
mod migrations;
mod postgres;
mod query;
mod shared;
mod sqlite;
mod value;
mod views;

pub use common::{actor_key, timing, HISTORICAL_DAYS};
pub use postgres::PgStore;
pub use query::{
    split_dyad, Alert, AlertQuery, Contribution, DeadLetter, DyadEdge, EventDetail, EventQuery, Explanation,
    Granularity, IngestOutcome, MentionRow, NewAlert, NewDeadLetter, Page, PlaceCell, SeriesPoint, StoredEvent,
    Summary,
};
pub use sqlite::SqliteStore;
pub use views::Dyad;

use tocsin_doc::{Article, Event};

/// A storage error, naming the operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused an operation.
    #[error("database error while {doing}: {source}")]
    Db {
        /// What was being done.
        doing: &'static str,
        /// The underlying error.
        source: rusqlite::Error,
    },
    /// PostgreSQL refused an operation or could not be reached.
    #[error("PostgreSQL error while {doing}: {source}")]
    Pg {
        /// What was being done.
        doing: &'static str,
        /// The underlying error.
        source: ::postgres::Error,
    },
    /// A query parameter the database cannot use (a full-text query it cannot parse).
    #[error("bad `{parameter}` parameter: {message}")]
    BadQuery {
        /// The parameter.
        parameter: &'static str,
        /// What is wrong with it (no database text).
        message: String,
    },
    /// The database was written by a newer tocsin.
    #[error("the store has schema version {found}, newer than this tocsin understands ({known})")]
    TooNew {
        /// Version in the file.
        found: i64,
        /// Latest version known here.
        known: i64,
    },
    /// An event record (JSON) could not be written or a stored one read back.
    #[error("event record error while {doing}: {source}")]
    Record {
        /// What was being done.
        doing: &'static str,
        /// The JSON error.
        source: serde_json::Error,
    },
    /// A stored row lacks a value it must have, or holds one of the wrong type.
    #[error("stored row is corrupt while {doing}: column `{column}` is missing or of the wrong type")]
    Column {
        /// What was being done.
        doing: &'static str,
        /// The column.
        column: &'static str,
    },
    /// A database name that PostgreSQL would not accept unquoted.
    #[error("invalid database name {0:?} (at most 63 ASCII letters, digits and `_`)")]
    InvalidName(String),
}

impl StoreError {
    /// True when the database is unreachable, restarting or busy, so the same write may succeed later.
    pub fn is_transient(&self) -> bool {
        match self {
            StoreError::Pg { source, .. } => {
                let io = std::error::Error::source(source).is_some_and(|s| s.is::<std::io::Error>());
                let code_transient = source.code().is_some_and(|c| {
                    let c = c.code();
                    c.starts_with("08") || c.starts_with("57P") || ["40001", "40P01", "53300"].contains(&c)
                });
                source.is_closed() || io || code_transient
            }
            StoreError::Db { source, .. } => matches!(
                source.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ),
            _ => false,
        }
    }
}

/// When two reports are the same real-world event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DedupRule {
    /// Dates may differ by at most this many days.
    pub window_days: i64,
    /// Places match when latitude and longitude differ by at most this (0.25° ≈ 25 km).
    pub cell_degrees: f64,
}

impl Default for DedupRule {
    fn default() -> Self {
        DedupRule {
            window_days: 1,
            cell_degrees: 0.25,
        }
    }
}

/// The storage contract shared by the SQLite and PostgreSQL back ends.
pub trait Store: Send + Sync {
    /// Stores an article and its events; a second ingest of the same text changes nothing.
    fn ingest(&self, article: &Article, events: &[Event]) -> Result<IngestOutcome, StoreError>;
    /// Stores several articles with their events, returning each one's outcome in order; one article
    /// the database refuses does not lose the others. The outer error means the batch as a whole
    /// failed (nothing of it is stored). Back ends may write the batch in one transaction.
    fn ingest_batch(
        &self,
        batch: &[(&Article, &[Event])],
    ) -> Result<Vec<Result<IngestOutcome, StoreError>>, StoreError> {
        Ok(batch.iter().map(|(a, e)| self.ingest(a, e)).collect())
    }
    /// Events matching a query, newest first, paged.
    fn events(&self, q: &EventQuery) -> Result<Page<StoredEvent>, StoreError>;
    /// Every event matching a query (no paging, at most `max`), newest first, handed to `each`
    /// until it returns false.
    fn each_matching(
        &self,
        q: &EventQuery,
        max: usize,
        each: &mut dyn FnMut(StoredEvent) -> bool,
    ) -> Result<(), StoreError>;
    /// Every event dated between `from` and `to` (YYYY-MM-DD, inclusive; with neither, undated
    /// events too), oldest first, handed to `each` until it returns false (exports stream this).
    fn each_event(
        &self,
        from: Option<&str>,
        to: Option<&str>,
        each: &mut dyn FnMut(StoredEvent) -> bool,
    ) -> Result<(), StoreError>;
    /// Every event between two dates, collected (see [`Store::each_event`]).
    fn all_events(&self, from: Option<&str>, to: Option<&str>) -> Result<Vec<StoredEvent>, StoreError> {
        let mut out = Vec::new();
        self.each_event(from, to, &mut |e| {
            out.push(e);
            true
        })?;
        Ok(out)
    }
    /// One event with all its mentions.
    fn event(&self, id: &str) -> Result<Option<EventDetail>, StoreError>;
    /// Per-period counts of current events for a dyad (actor keys: country code or organisation),
    /// with distinct articles and outlets per period.
    fn series(
        &self,
        dyad: Dyad<'_>,
        from: Option<&str>,
        to: Option<&str>,
        g: Granularity,
    ) -> Result<Vec<SeriesPoint>, StoreError>;
    /// The strongest directed dyads (for the actor network).
    fn dyads(&self, q: &EventQuery, limit: usize) -> Result<Vec<DyadEdge>, StoreError>;
    /// The placed events of a query in cells of about half a degree (for the map), most events first.
    fn places(&self, q: &EventQuery, limit: usize) -> Result<Vec<PlaceCell>, StoreError>;
    /// Stores an alert unless the same rule already fired for that dyad and date.
    fn save_alert(&self, alert: &NewAlert) -> Result<Option<Alert>, StoreError>;
    /// Alerts matching a query, latest first, paged.
    fn alerts(&self, q: &AlertQuery) -> Result<Page<Alert>, StoreError>;
    /// Counts of articles, events and mentions.
    fn counts(&self) -> Result<(u64, u64, u64), StoreError>;
    /// Counts, the date range of current events and the publication range of the articles.
    fn summary(&self) -> Result<Summary, StoreError>;
    /// Records an article a worker gave up on; a second save of the same message changes nothing.
    fn save_dead_letter(&self, letter: &NewDeadLetter) -> Result<(), StoreError>;
    /// Latest dead letters first.
    fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError>;
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_truth;
