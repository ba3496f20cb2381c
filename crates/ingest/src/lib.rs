//! Ingest: reads articles from `.txt`, `.json`, `.jsonl`, `.html` files or stdin (`-`).
//!
//! Each input yields a list of results, one per article, so one bad line never loses the rest
//! of a batch. Errors name the input, the line and the field.

mod feed;
mod fetch;
mod html;
mod stream;

use std::fmt;
use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use tocsin_doc::{content_hash, Article};

pub use feed::{parse_feed, FeedItem};
pub use fetch::{decode, fetch, DecodeError, FetchConfig, FetchError, Fetched, Validators};
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

/// Reads one input (a path, or `-` for stdin) into articles or per-article errors (all at once;
/// [`articles`] streams them, with where each came from).
pub fn read_input(name: &str, opts: &ReadOptions) -> Vec<Result<Article, InputError>> {
    articles(name, opts).map(|r| r.map(|(_, a)| a)).collect()
}

/// Where an article was read: the input (a path or `-`) and, for JSON Lines, the 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The input's name (path or `-`).
    pub input: String,
    /// 1-based line, for JSON Lines.
    pub line: Option<usize>,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}", self.input),
            None => f.write_str(&self.input),
        }
    }
}

/// One article with where it came from, or why an input (or one of its lines) could not be read.
pub type ReadItem = Result<(Origin, Article), InputError>;

/// Streams the articles of one input: a file, a directory (every `.txt`, `.json`, `.jsonl`, `.html`
/// file in it and below, in name order) or `-` for standard input. JSON Lines are read line by line,
/// so a batch of any size is never held in memory at once, and a bad line (invalid JSON or UTF-8)
/// is that line's error.
pub fn articles(name: &str, opts: &ReadOptions) -> Box<dyn Iterator<Item = ReadItem> + Send> {
    let fail = |message: String| -> Box<dyn Iterator<Item = ReadItem> + Send> {
        Box::new(std::iter::once(Err(InputError {
            input: name.to_string(),
            line: None,
            message,
        })))
    };
    if name == "-" {
        let mut stdin = std::io::BufReader::new(std::io::stdin());
        return match stream::sniff(&mut stdin, opts.stdin_format) {
            Ok((Format::JsonLines, first)) => Box::new(stream::JsonLines::new(name, first, Box::new(stdin), opts)),
            Ok((format, mut buf)) => match stdin.read_to_end(&mut buf) {
                Ok(_) => whole(name, &buf, Some(format), opts),
                Err(e) => fail(format!("cannot read standard input: {e}")),
            },
            Err(e) => fail(format!("cannot read standard input: {e}")),
        };
    }
    let path = Path::new(name);
    if path.is_dir() {
        return match stream::files_in(path) {
            Ok(files) if files.is_empty() => fail("directory holds no .txt, .json, .jsonl or .html file".into()),
            Ok(files) => {
                let opts = opts.clone();
                Box::new(files.into_iter().flat_map(move |f| articles(&f, &opts)))
            }
            Err(e) => fail(format!("cannot list directory: {e}")),
        };
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let Some(format) = Format::from_extension(ext) else {
        return fail(format!(
            "unknown file type {:?} (expected .txt, .json, .jsonl or .html, or a directory)",
            if ext.is_empty() { "(no extension)" } else { ext }
        ));
    };
    if format == Format::JsonLines {
        return match std::fs::File::open(path) {
            Ok(f) => Box::new(stream::JsonLines::new(
                name,
                Vec::new(),
                Box::new(std::io::BufReader::new(f)),
                opts,
            )),
            Err(e) => fail(format!("cannot read file: {e}")),
        };
    }
    match std::fs::read(path) {
        Ok(b) => whole(name, &b, Some(format), opts),
        Err(e) => fail(format!("cannot read file: {e}")),
    }
}

/// The articles of input bytes read whole.
fn whole(
    name: &str,
    bytes: &[u8],
    format: Option<Format>,
    opts: &ReadOptions,
) -> Box<dyn Iterator<Item = ReadItem> + Send> {
    let items: Vec<ReadItem> = read_bytes(name, bytes, format, opts)
        .into_iter()
        .map(|r| {
            r.map(|a| {
                let origin = Origin {
                    input: name.to_string(),
                    line: None,
                };
                (origin, a)
            })
        })
        .collect();
    Box::new(items.into_iter())
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
    let format = format.unwrap_or_else(|| Format::sniff(&String::from_utf8_lossy(bytes)));
    if format == Format::JsonLines {
        // Line by line: a line that is not UTF-8 is that line's error only.
        let lines = stream::JsonLines::new(name, bytes.to_vec(), Box::new(std::io::empty()), opts);
        return lines.map(|r| r.map(|(_, a)| a)).collect();
    }
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
    match format {
        Format::Text => vec![finish(plain_article(text.to_string(), opts), name, None)],
        Format::Html => {
            let page = extract_html(text);
            let mut a = plain_article(page.text, opts);
            a.title = page.title;
            a.published = page.published.or(opts.published);
            a.url = page.url;
            vec![finish(a, name, None)]
        }
        Format::Json => vec![parse_json(text, opts).map_err(|m| err(None, m.to_string()))],
        Format::JsonLines => unreachable!("JSON Lines are read line by line above"),
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

/// What is wrong with one JSON article.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JsonArticleError {
    /// Not a JSON object of the article's shape (serde's message names the position).
    #[error("invalid JSON article: {0}")]
    Json(String),
    /// A required field is absent.
    #[error("field `{0}` is missing")]
    Missing(&'static str),
    /// A field that must hold text holds only whitespace.
    #[error("field `{0}` is empty")]
    Empty(&'static str),
    /// A field holds a value of the wrong JSON type.
    #[error("field `{field}` must be {expected}")]
    Type {
        /// The field.
        field: &'static str,
        /// What it must be.
        expected: &'static str,
    },
    /// A field's value is not valid (e.g. `published` is no date).
    #[error(transparent)]
    Field(#[from] tocsin_doc::ArticleError),
}

pub(crate) fn parse_json(line: &str, opts: &ReadOptions) -> Result<Article, JsonArticleError> {
    let raw: RawArticle = serde_json::from_str(line).map_err(|e| JsonArticleError::Json(e.to_string()))?;
    let text = match raw.text {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s,
        Some(serde_json::Value::String(_)) => return Err(JsonArticleError::Empty("text")),
        Some(_) => {
            return Err(JsonArticleError::Type {
                field: "text",
                expected: "a string",
            })
        }
        None => return Err(JsonArticleError::Missing("text")),
    };
    let id = match raw.id {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        None | Some(serde_json::Value::Null) => content_hash(&text),
        Some(_) => {
            return Err(JsonArticleError::Type {
                field: "id",
                expected: "a string or number",
            })
        }
    };
    let published = match raw.published {
        Some(p) => Some(Article::parse_date(&p)?),
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
