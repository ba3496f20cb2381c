//! Ingest: reads articles from `.txt`, `.json`, `.jsonl`, `.html` files or stdin (`-`).
//!
//! Each input yields a list of results, one per article, so one bad line never loses the rest
//! of a batch. Errors name the input, the line and the field.

mod feed;
mod fetch;
mod html;

use std::fmt;
use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use tocsin_doc::{content_hash, Article};

pub use feed::{parse_feed, FeedItem};
pub use fetch::{decode, fetch, FetchConfig, FetchError, Fetched, Validators};
pub use html::{extract_html, HtmlPage};

/// Where an input error happened and what it was.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// The input's name (path or `-`).
    pub input: String,
    /// 1-based line, for JSONL.
    pub line: Option<usize>,
    /// What was wrong, naming the field where there is one.
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.input, l, self.message),
            None => write!(f, "{}: {}", self.input, self.message),
        }
    }
}

impl std::error::Error for InputError {}

/// Options that apply to every input.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Publication date for inputs that carry none (plain text, HTML without metadata).
    pub published: Option<NaiveDate>,
    /// Treat stdin as this format (`txt`, `json`, `jsonl`, `html`); default: sniffed.
    pub stdin_format: Option<Format>,
}

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text: the whole input is one article.
    Text,
    /// One JSON article object.
    Json,
    /// One JSON article per line.
    JsonLines,
    /// An HTML page; the main text is extracted.
    Html,
}

impl Format {
    /// Picks a format from a file extension.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }

    fn sniff(text: &str) -> Format {
        let t = text.trim_start();
        if t.starts_with('<') {
            Format::Html
        } else if t.starts_with('{') {
            let first_line = t.lines().next().unwrap_or("");
            if serde_json::from_str::<serde_json::Value>(first_line).is_ok() && t.lines().nth(1).is_some() {
                Format::JsonLines
            } else {
                Format::Json
            }
        } else {
            Format::Text
        }
    }
}

/// Reads one input (a path, or `-` for stdin) into articles or per-article errors.
pub fn read_input(name: &str, opts: &ReadOptions) -> Vec<Result<Article, InputError>> {
    let err = |message: String| {
        vec![Err(InputError {
            input: name.to_string(),
            line: None,
            message,
        })]
    };
    let (bytes, format) = if name == "-" {
        let mut buf = Vec::new();
        if let Err(e) = std::io::stdin().lock().read_to_end(&mut buf) {
            return err(format!("cannot read standard input: {e}"));
        }
        (buf, opts.stdin_format)
    } else {
        let path = Path::new(name);
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let Some(format) = Format::from_extension(ext) else {
            return err(format!(
                "unknown file type {:?} (expected .txt, .json, .jsonl or .html)",
                if ext.is_empty() { "(no extension)" } else { ext }
            ));
        };
        match std::fs::read(path) {
            Ok(b) => (b, Some(format)),
            Err(e) => return err(format!("cannot read file: {e}")),
        }
    };
    read_bytes(name, &bytes, format, opts)
}

/// Decodes and parses input bytes; `format` None means sniff it from the content.
pub fn read_bytes(
    name: &str,
    bytes: &[u8],
    format: Option<Format>,
    opts: &ReadOptions,
) -> Vec<Result<Article, InputError>> {
    let err = |line: Option<usize>, message: String| InputError {
        input: name.to_string(),
        line,
        message,
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t),
        Err(e) => {
            let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
            return vec![Err(err(
                Some(line),
                format!("not valid UTF-8 (invalid byte at offset {})", e.valid_up_to()),
            ))];
        }
    };
    if text.trim().is_empty() {
        return vec![Err(err(None, "empty input: no text to code".into()))];
    }
    match format.unwrap_or_else(|| Format::sniff(text)) {
        Format::Text => vec![finish(plain_article(text.to_string(), opts), name, None)],
        Format::Html => {
            let page = extract_html(text);
            let mut a = plain_article(page.text, opts);
            a.title = page.title;
            a.published = page.published.or(opts.published);
            a.url = page.url;
            vec![finish(a, name, None)]
        }
        Format::Json => vec![parse_json(text, opts).map_err(|m| err(None, m))],
        Format::JsonLines => text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| parse_json(l, opts).map_err(|m| err(Some(i + 1), m)))
            .collect(),
    }
}

fn plain_article(text: String, opts: &ReadOptions) -> Article {
    let mut a = Article::from_text(text);
    a.published = opts.published;
    a
}

fn finish(a: Article, name: &str, line: Option<usize>) -> Result<Article, InputError> {
    if a.text.trim().is_empty() {
        return Err(InputError {
            input: name.into(),
            line,
            message: "no text found to code".into(),
        });
    }
    Ok(a)
}

#[derive(Deserialize)]
struct RawArticle {
    id: Option<serde_json::Value>,
    text: Option<serde_json::Value>,
    published: Option<String>,
    title: Option<String>,
    source: Option<String>,
    url: Option<String>,
    language: Option<String>,
}

fn parse_json(line: &str, opts: &ReadOptions) -> Result<Article, String> {
    let raw: RawArticle = serde_json::from_str(line).map_err(|e| format!("invalid JSON article: {e}"))?;
    let text = match raw.text {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s,
        Some(serde_json::Value::String(_)) => return Err("field `text` is empty".into()),
        Some(_) => return Err("field `text` must be a string".into()),
        None => return Err("field `text` is missing".into()),
    };
    let id = match raw.id {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        None | Some(serde_json::Value::Null) => content_hash(&text),
        Some(_) => return Err("field `id` must be a string or number".into()),
    };
    let published = match raw.published {
        Some(p) => Some(Article::parse_date(&p).map_err(|e| e.to_string())?),
        None => opts.published,
    };
    Ok(Article {
        id,
        text,
        published,
        title: raw.title,
        source: raw.source,
        url: raw.url,
        language: raw.language,
    })
}

#[cfg(test)]
mod tests;
