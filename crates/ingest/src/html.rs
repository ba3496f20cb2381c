//! Main-text extraction from an HTML page (v1: paragraphs of the article element or body).

use chrono::NaiveDate;
use scraper::{Html, Selector};
use tocsin_doc::Article;

/// Text and metadata extracted from an HTML page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlPage {
    /// Main text, paragraphs separated by blank lines.
    pub text: String,
    /// `<title>` or `og:title`.
    pub title: Option<String>,
    /// Publication date from `article:published_time`, `date` or `<time datetime>`.
    pub published: Option<NaiveDate>,
    /// `<link rel=canonical>` or `og:url`.
    pub url: Option<String>,
}

fn sel(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

fn meta(doc: &Html, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| {
        let s = sel(&format!(
            "meta[property=\"{n}\"], meta[name=\"{n}\"], meta[itemprop=\"{n}\"]"
        ))?;
        doc.select(&s)
            .find_map(|e| e.value().attr("content"))
            .map(|c| c.trim().to_string())
    })
}

fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Extracts the main text: `<p>` elements inside `<article>` (or `<main>`, or the body).
pub fn extract_html(html: &str) -> HtmlPage {
    let doc = Html::parse_document(html);
    let title = meta(&doc, &["og:title"]).or_else(|| {
        let s = sel("title")?;
        doc.select(&s).next().map(|t| clean(&t.text().collect::<String>()))
    });
    let published = meta(&doc, &["article:published_time", "datePublished", "date", "pubdate"])
        .or_else(|| {
            let s = sel("time[datetime]")?;
            doc.select(&s)
                .find_map(|t| t.value().attr("datetime").map(str::to_string))
        })
        .and_then(|d| {
            Article::parse_date(&d)
                .ok()
                .or_else(|| Article::parse_date(d.get(..10)?).ok())
        });
    let url = sel("link[rel=\"canonical\"]")
        .and_then(|s| doc.select(&s).find_map(|l| l.value().attr("href").map(str::to_string)))
        .or_else(|| meta(&doc, &["og:url"]));
    let mut paragraphs = Vec::new();
    for scope in ["article p", "main p", "body p"] {
        if let Some(s) = sel(scope) {
            paragraphs = doc
                .select(&s)
                .map(|p| clean(&p.text().collect::<String>()))
                .filter(|p| !p.is_empty())
                .collect();
        }
        if !paragraphs.is_empty() {
            break;
        }
    }
    if paragraphs.is_empty() {
        if let Some(s) = sel("body") {
            paragraphs = doc.select(&s).map(|b| clean(&b.text().collect::<String>())).collect();
        }
    }
    HtmlPage {
        text: paragraphs.join("\n\n"),
        title,
        published,
        url,
    }
}
