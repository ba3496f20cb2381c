//! The input article: text plus optional metadata.

use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A news article as read by the ingest stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identifier; derived from the content hash when the input has none.
    pub id: String,
    /// The article body (plain text, paragraphs separated by blank lines).
    pub text: String,
    /// Publication date, the anchor for relative dates ("on Friday").
    pub published: Option<NaiveDate>,
    /// Headline, if known.
    pub title: Option<String>,
    /// Outlet or agency that published the article.
    pub source: Option<String>,
    /// Where the article was found.
    pub url: Option<String>,
    /// ISO 639-1 language code, if known.
    pub language: Option<String>,
}

/// Why an article's fields were rejected.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum ArticleError {
    /// `published` was neither YYYY-MM-DD nor RFC 3339.
    #[error("field `published`: {0:?} is not a date (expected YYYY-MM-DD or RFC 3339)")]
    BadDate(String),
    /// The text was empty or only whitespace.
    #[error("field `text` is empty")]
    EmptyText,
}

impl Article {
    /// Builds an article from text alone, with an id derived from the content hash.
    pub fn from_text(text: impl Into<String>) -> Self {
        let text = text.into();
        Article {
            id: content_hash(&text),
            text,
            published: None,
            title: None,
            source: None,
            url: None,
            language: None,
        }
    }

    /// Parses a publication date given as YYYY-MM-DD or RFC 3339.
    pub fn parse_date(s: &str) -> Result<NaiveDate, ArticleError> {
        let s = s.trim();
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Ok(d);
        }
        DateTime::parse_from_rfc3339(s)
            .map(|dt| dt.date_naive())
            .map_err(|_| ArticleError::BadDate(s.to_string()))
    }
}

/// A short stable hash of the text (16 hex digits of SHA-256), used for ids and idempotent ingest.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_both_formats() {
        let d = NaiveDate::from_ymd_opt(2023, 9, 30).unwrap();
        assert_eq!(Article::parse_date("2023-09-30"), Ok(d));
        assert_eq!(Article::parse_date("2023-09-30T23:10:00+02:00"), Ok(d));
        assert!(Article::parse_date("30/09/2023").is_err());
    }

    #[test]
    fn hash_ids_are_stable_and_distinct() {
        assert_eq!(content_hash("a"), content_hash("a"));
        assert_ne!(content_hash("a"), content_hash("b"));
        assert_eq!(content_hash("a").len(), 16);
    }
}
