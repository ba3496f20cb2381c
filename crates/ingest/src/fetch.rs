//! HTTP fetching for feeds and pages: timeouts, a body-size limit, a redirect limit, conditional GET
//! (ETag / Last-Modified) and charset decoding. Every failure is an error naming the URL.

use std::io::Read;
use std::time::Duration;

/// Limits and identity of the fetcher.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Largest body accepted.
    pub max_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// User-Agent header.
    pub user_agent: String,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            timeout: Duration::from_secs(20),
            max_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            user_agent: "tocsin/0.1 (+https://example.invalid/tocsin)".into(),
        }
    }
}

/// Validators remembered from the last successful fetch of a URL.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validators {
    /// `ETag` header.
    pub etag: Option<String>,
    /// `Last-Modified` header.
    pub last_modified: Option<String>,
}

/// What a fetch returned.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetched {
    /// 304: unchanged since the validators.
    NotModified,
    /// A body, decoded to text, with the new validators and the final URL.
    Body {
        /// Decoded text.
        text: String,
        /// Validators for the next request.
        validators: Validators,
        /// URL after redirects.
        url: String,
    },
}

/// A fetch failure, naming the URL.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{url}: {message}")]
pub struct FetchError {
    /// The URL requested.
    pub url: String,
    /// What went wrong.
    pub message: String,
}

/// Why a fetched body could not be decoded to text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The declared charset is not one encoding_rs knows.
    #[error("unsupported charset {0:?}")]
    UnsupportedCharset(String),
    /// The body has bytes invalid in its declared charset.
    #[error("body is not valid {0}")]
    Invalid(&'static str),
    /// No charset was declared and the body is not UTF-8.
    #[error("body is not valid UTF-8 (invalid byte at offset {0}) and declares no other charset")]
    NotUtf8(usize),
}

/// Decodes a body by the charset of the Content-Type header or an HTML/XML declaration;
/// undeclared bytes must be UTF-8.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Result<String, DecodeError> {
    let declared = content_type
        .and_then(|ct| {
            ct.split(';').find_map(|p| {
                p.trim()
                    .strip_prefix("charset=")
                    .map(|c| c.trim_matches('"').to_string())
            })
        })
        .or_else(|| {
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
            let i = head.find("charset=").or_else(|| head.find("encoding="))?;
            let rest = &head[i..];
            let v = rest.split_once('=')?.1.trim_start_matches(['"', '\'']);
            Some(
                v.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect(),
            )
        });
    match declared {
        Some(label) if !label.eq_ignore_ascii_case("utf-8") => {
            let enc = encoding_rs::Encoding::for_label(label.as_bytes())
                .ok_or_else(|| DecodeError::UnsupportedCharset(label.clone()))?;
            let (text, _, had_errors) = enc.decode(bytes);
            if had_errors {
                return Err(DecodeError::Invalid(enc.name()));
            }
            Ok(text.into_owned())
        }
        _ => String::from_utf8(bytes.to_vec()).map_err(|e| DecodeError::NotUtf8(e.utf8_error().valid_up_to())),
    }
}

/// GETs a URL under the configured limits, sending the validators for a conditional request.
pub fn fetch(cfg: &FetchConfig, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
    let err = |message: String| FetchError {
        url: url.to_string(),
        message,
    };
    let agent = ureq::AgentBuilder::new()
        .timeout(cfg.timeout)
        .redirects(cfg.max_redirects)
        .user_agent(&cfg.user_agent)
        .build();
    let mut req = agent.get(url);
    if let Some(e) = &validators.etag {
        req = req.set("If-None-Match", e);
    }
    if let Some(m) = &validators.last_modified {
        req = req.set("If-Modified-Since", m);
    }
    let resp = match req.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(304, _)) => return Ok(Fetched::NotModified),
        Err(ureq::Error::Status(code, _)) => return Err(err(format!("HTTP {code}"))),
        Err(e) => {
            // ureq's text repeats the URL, which the error already names.
            let msg = e.to_string().replace(&format!("{url}: "), "");
            let msg = if msg.contains("redirect") {
                format!("too many redirects (more than {}): {msg}", cfg.max_redirects)
            } else {
                msg
            };
            return Err(err(msg));
        }
    };
    if resp.status() == 304 {
        return Ok(Fetched::NotModified);
    }
    if let Some(len) = resp.header("Content-Length").and_then(|l| l.parse::<u64>().ok()) {
        if len > cfg.max_bytes {
            return Err(err(format!(
                "body of {len} bytes is over the limit of {} bytes",
                cfg.max_bytes
            )));
        }
    }
    let validators = Validators {
        etag: resp.header("ETag").map(str::to_string),
        last_modified: resp.header("Last-Modified").map(str::to_string),
    };
    let content_type = resp.header("Content-Type").map(str::to_string);
    let final_url = resp.get_url().to_string();
    let mut bytes = Vec::new();
    resp.into_reader()
        .take(cfg.max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| err(format!("reading the body: {e}")))?;
    if bytes.len() as u64 > cfg.max_bytes {
        return Err(err(format!("body is over the limit of {} bytes", cfg.max_bytes)));
    }
    let text = decode(&bytes, content_type.as_deref()).map_err(|e| err(e.to_string()))?;
    Ok(Fetched::Body {
        text,
        validators,
        url: final_url,
    })
}
