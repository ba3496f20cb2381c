//! Query-string parameters read one by one, so that every bad value is a 400 that names its
//! parameter (an unknown name, a date that is not a date, a number that is not a number).

use std::collections::HashMap;

use axum::http::StatusCode;
use chrono::NaiveDate;
use tocsin_doc::PloverType;
use tocsin_store::{AlertQuery, EventQuery};

use crate::api::ApiError;

/// The filters `/api/events`, `/api/network`, `/api/places` and the export share.
pub const EVENT_FILTERS: [&str; 11] = [
    "from",
    "to",
    "actor",
    "country",
    "source",
    "target",
    "dyad",
    "type",
    "q",
    "noncurrent",
    "limit",
];

/// A query string's parameters, checked against the names an endpoint knows.
pub struct Params(HashMap<String, String>);

fn bad(parameter: &str, message: String) -> ApiError {
    ApiError::bad_request(parameter, message)
}

impl Params {
    /// Parses a raw query string; a name the endpoint does not know is refused by name.
    pub fn parse(raw: Option<&str>, known: &[&str]) -> Result<Params, ApiError> {
        let mut map = HashMap::new();
        for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            if !known.contains(&k.as_ref()) {
                return Err(bad(
                    &k,
                    format!("unknown parameter `{k}` (known: {})", known.join(", ")),
                ));
            }
            map.insert(k.into_owned(), v.into_owned());
        }
        Ok(Params(map))
    }

    /// A text value, trimmed; empty is absent.
    pub fn text(&self, k: &str) -> Option<String> {
        self.0.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
    }

    /// A date (YYYY-MM-DD, a real day).
    pub fn date(&self, k: &str) -> Result<Option<String>, ApiError> {
        self.text(k)
            .map(|v| {
                NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                    .map(|d| d.to_string())
                    .map_err(|_| bad(k, format!("`{k}` must be a date YYYY-MM-DD, not {v:?}")))
            })
            .transpose()
    }

    /// A non-negative integer.
    pub fn number(&self, k: &str) -> Result<Option<usize>, ApiError> {
        self.text(k)
            .map(|v| {
                v.parse::<usize>()
                    .map_err(|_| bad(k, format!("`{k}` must be a whole number, not {v:?}")))
            })
            .transpose()
    }

    /// `true` or `false` (also 1/0).
    pub fn flag(&self, k: &str) -> Result<Option<bool>, ApiError> {
        self.text(k)
            .map(|v| match v.as_str() {
                "true" | "1" => Ok(true),
                "false" | "0" => Ok(false),
                _ => Err(bad(k, format!("`{k}` must be true or false, not {v:?}"))),
            })
            .transpose()
    }

    /// `from` and `to`, checked to be in order.
    fn range(&self) -> Result<(Option<String>, Option<String>), ApiError> {
        let (from, to) = (self.date("from")?, self.date("to")?);
        if let (Some(f), Some(t)) = (&from, &to) {
            if f > t {
                return Err(bad("to", format!("`to` ({t}) is before `from` ({f})")));
            }
        }
        Ok((from, to))
    }

    /// The event filters (and `limit`/`offset` where the endpoint takes them).
    pub fn event_query(&self) -> Result<EventQuery, ApiError> {
        let (from, to) = self.range()?;
        let event_type = self
            .text("type")
            .map(|t| {
                t.parse::<PloverType>()
                    .map(|p| p.as_str().to_string())
                    .map_err(|_| bad("type", format!("`type` must be a PLOVER event type, not {t:?}")))
            })
            .transpose()?;
        let dyad = self.text("dyad");
        if let Some(d) = &dyad {
            if tocsin_store::split_dyad(d).is_none() {
                return Err(bad("dyad", format!("`dyad` must be two actor keys A,B, not {d:?}")));
            }
        }
        Ok(EventQuery {
            from,
            to,
            actor: self.text("actor"),
            country: self.text("country"),
            source: self.text("source"),
            target: self.text("target"),
            dyad,
            event_type,
            q: self.text("q"),
            noncurrent: self.flag("noncurrent")?,
            limit: self.number("limit")?,
            offset: self.number("offset")?,
        })
    }

    /// The alert filters.
    pub fn alert_query(&self) -> Result<AlertQuery, ApiError> {
        let (from, to) = self.range()?;
        let dyad = self.text("dyad");
        if let Some(d) = &dyad {
            if tocsin_store::split_dyad(d).is_none() {
                return Err(bad("dyad", format!("`dyad` must be two actor keys A,B, not {d:?}")));
            }
        }
        Ok(AlertQuery {
            from,
            to,
            country: self.text("country"),
            dyad,
            rule: self.text("rule"),
            limit: self.number("limit")?,
            offset: self.number("offset")?,
        })
    }
}

impl ApiError {
    /// A 400 naming the parameter.
    pub fn bad_request(parameter: &str, message: String) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message,
            field: Some(parameter.to_string()),
        }
    }
}
