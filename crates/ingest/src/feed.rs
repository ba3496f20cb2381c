//! RSS / Atom feeds (feed-rs): the items of a feed as links to fetch.

use chrono::NaiveDate;

/// One feed item.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedItem {
    /// Stable id (the item's id, else its link).
    pub id: String,
    /// The article page.
    pub link: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publication date.
    pub published: Option<NaiveDate>,
    /// Summary text, used when the page cannot be fetched.
    pub summary: Option<String>,
}

/// Parses feed XML; errors read as sentences.
pub fn parse_feed(xml: &str) -> Result<Vec<FeedItem>, String> {
    let feed = feed_rs::parser::parse(xml.as_bytes()).map_err(|e| format!("not a valid RSS/Atom feed: {e}"))?;
    Ok(feed
        .entries
        .into_iter()
        .map(|e| {
            let link = e.links.first().map(|l| l.href.clone());
            FeedItem {
                id: if e.id.is_empty() {
                    link.clone().unwrap_or_default()
                } else {
                    e.id
                },
                link,
                title: e.title.map(|t| t.content),
                published: e.published.or(e.updated).map(|d| d.date_naive()),
                summary: e.summary.map(|s| s.content),
            }
        })
        .collect())
}
