//! API handlers.

use std::convert::Infallible;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};
use tocsin_ingest::{read_bytes, Format, ReadOptions};
use tocsin_store::{Dyad, Granularity};
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

use crate::params::{Params, EVENT_FILTERS};
use crate::AppState;

/// An API error: status, message, and the offending field or parameter when there is one.
pub struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
    pub(crate) field: Option<String>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            field: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({"error": self.message, "field": self.field}))).into_response()
    }
}

impl From<tocsin_store::StoreError> for ApiError {
    /// A parameter the store cannot use is the client's 400; anything else is logged and answered
    /// with a 500 that says nothing of the database.
    fn from(e: tocsin_store::StoreError) -> Self {
        match e {
            tocsin_store::StoreError::BadQuery { parameter, message } => ApiError::bad_request(parameter, message),
            other => {
                eprintln!("tocsin serve: {other}");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the store could not answer; the server log has the details",
                )
            }
        }
    }
}

/// Runs a blocking store call off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, tocsin_store::StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("request task failed: {e}")))?
        .map_err(ApiError::from)
}

const ARTICLE_FIELDS: [&str; 7] = ["id", "text", "published", "title", "source", "url", "language"];

/// Splits a body (JSON object, JSON array or JSON Lines) into one JSON text per article, rejecting
/// unknown fields by name.
/// One body item: its 1-based number (array index or line) and its JSON text, or why it was refused.
type BodyItem = (usize, Result<String, String>);

fn split_body(body: &str) -> Result<Vec<BodyItem>, ApiError> {
    let trimmed = body.trim_start();
    let items: Vec<(usize, Result<Value, String>)> = if trimmed.starts_with('[') {
        let all: Vec<Value> = serde_json::from_str(body)
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("invalid JSON array: {e}")))?;
        all.into_iter().enumerate().map(|(i, v)| (i + 1, Ok(v))).collect()
    } else if serde_json::from_str::<Value>(body).is_ok() {
        vec![(1, serde_json::from_str(body).map_err(|e| e.to_string()))]
    } else {
        body.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                (
                    i + 1,
                    serde_json::from_str(l).map_err(|e| format!("invalid JSON article: {e}")),
                )
            })
            .collect()
    };
    if items.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "empty body: send a JSON article, an array or JSON Lines",
        ));
    }
    Ok(items
        .into_iter()
        .map(|(n, v)| {
            let checked = v.and_then(|v| match &v {
                Value::Object(map) => match map.keys().find(|k| !ARTICLE_FIELDS.contains(&k.as_str())) {
                    Some(k) => Err(format!("unknown field `{k}` (allowed: {})", ARTICLE_FIELDS.join(", "))),
                    None => Ok(v.to_string()),
                },
                _ => Err("each article must be a JSON object".to_string()),
            });
            (n, checked)
        })
        .collect())
}

/// A refused or failed item of a POST body.
#[derive(Serialize)]
struct ItemError {
    item: usize,
    error: String,
    field: Option<String>,
}

/// What `POST /api/articles` did.
#[derive(Serialize, Default)]
struct IngestReport {
    stored: usize,
    duplicates: usize,
    new_events: Vec<String>,
    merged_events: Vec<String>,
    alerts: Vec<tocsin_store::Alert>,
    errors: Vec<ItemError>,
}

fn ingest_items(st: &AppState, items: Vec<BodyItem>) -> IngestReport {
    let mut report = IngestReport::default();
    for (n, item) in items {
        let parsed = item.and_then(|j| {
            read_bytes("body", j.as_bytes(), Some(Format::Json), &ReadOptions::default())
                .remove(0)
                .map_err(|e| e.message)
        });
        let article = match parsed {
            Ok(a) => a,
            Err(error) => {
                let field = error.split('`').nth(1).map(str::to_string);
                report.errors.push(ItemError { item: n, error, field });
                continue;
            }
        };
        let outcome = st
            .coder
            .code(article.clone())
            .map_err(|e| format!("{e:#}"))
            .and_then(|events| {
                let out = st.store.ingest(&article, &events).map_err(|e| e.to_string())?;
                let alerts = if out.new_article {
                    st.signals
                        .after_ingest(st.store.as_ref(), &events)
                        .map_err(|e| e.to_string())?
                } else {
                    Vec::new()
                };
                Ok((out, alerts))
            });
        match outcome {
            Ok((out, alerts)) => {
                if out.new_article {
                    report.stored += 1;
                } else {
                    report.duplicates += 1;
                }
                let changed = out.new_events.len() + out.merged_events.len();
                if changed > 0 {
                    let _ = st
                        .live
                        .send(json!({"kind": "ingest", "article": article.id, "events": changed}).to_string());
                }
                report.new_events.extend(out.new_events);
                report.merged_events.extend(out.merged_events);
                for a in alerts {
                    let _ = st.live.send(json!({"kind": "alert", "alert": a}).to_string());
                    if let Some(hook) = st.webhook.clone() {
                        let alert = a.clone();
                        std::thread::spawn(move || {
                            if let Err(e) = tocsin_signals::deliver(&hook, &alert) {
                                eprintln!("tocsin: alert {} not delivered: {e}", alert.id);
                            }
                        });
                    }
                    report.alerts.push(a);
                }
            }
            Err(error) => report.errors.push(ItemError {
                item: n,
                error,
                field: None,
            }),
        }
    }
    report
}

/// `POST /api/articles`: codes and stores articles; reports per-item errors by item/line and field.
pub async fn post_articles(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    crate::guard::check_write(&state, &headers)?;
    let text = std::str::from_utf8(&body)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("body is not UTF-8: {e}")))?
        .to_string();
    let items = split_body(&text)?;
    let report = tokio::task::spawn_blocking(move || ingest_items(&state, items))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    let status = if report.stored + report.duplicates == 0 {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok((status, Json(report)).into_response())
}

/// `GET /api/events`: filtered, paged events.
pub async fn list_events(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let mut known = EVENT_FILTERS.to_vec();
    known.push("offset");
    let q = Params::parse(raw.as_deref(), &known)?.event_query()?;
    let page = blocking(move || state.store.events(&q)).await?;
    Ok(Json(page).into_response())
}

/// Most events an export returns.
pub const EXPORT_MAX: usize = 100_000;

/// `GET /api/export?format=csv|jsonl&…`: every event of the filtered set (at most 100,000), as a file.
pub async fn export(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let mut known = EVENT_FILTERS.to_vec();
    known.push("format");
    let p = Params::parse(raw.as_deref(), &known)?;
    let format = p.text("format").unwrap_or_else(|| "jsonl".into());
    if format != "csv" && format != "jsonl" {
        return Err(ApiError::bad_request(
            "format",
            format!("`format` must be csv or jsonl, not {format:?}"),
        ));
    }
    let q = p.event_query()?;
    let max = q.limit.unwrap_or(EXPORT_MAX).min(EXPORT_MAX);
    let csv = format == "csv";
    let body = blocking(move || {
        let mut out = String::new();
        if csv {
            out.push_str(crate::export::CSV_HEADER);
        }
        state.store.each_matching(&q, max, &mut |e| {
            if csv {
                crate::export::csv_row(&mut out, &e);
            } else if let Ok(line) = serde_json::to_string(&e) {
                out.push_str(&line);
                out.push('\n');
            }
            true
        })?;
        Ok(out)
    })
    .await?;
    let (mime, ext) = if csv {
        ("text/csv; charset=utf-8", "csv")
    } else {
        ("application/x-ndjson", "jsonl")
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"tocsin-events.{ext}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// `GET /api/places`: the filtered set's placed events in cells of about half a degree.
pub async fn places(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let q = Params::parse(raw.as_deref(), &EVENT_FILTERS)?.event_query()?;
    let limit = q.limit.unwrap_or(2000);
    let cells = blocking(move || state.store.places(&q, limit)).await?;
    Ok(Json(cells).into_response())
}

/// `GET /api/events/{id}`: one event with every report of it.
pub async fn get_event(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id2 = id.clone();
    let detail = blocking(move || state.store.event(&id2)).await?;
    match detail {
        Some(d) => Ok(Json(d).into_response()),
        None => Err(ApiError::new(StatusCode::NOT_FOUND, format!("no event with id {id:?}"))),
    }
}

#[derive(Serialize)]
struct IndexPoint {
    period: String,
    value: f64,
    z: f64,
}

/// `GET /api/dyads/{src}/{tgt}/series`: per-period counts and, per day, the escalation index
/// (`both=true`: both directions of the pair).
pub async fn dyad_series(
    State(state): State<AppState>,
    Path((src, tgt)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(raw.as_deref(), &["from", "to", "granularity", "baseline_days", "both"])?;
    let (from, to) = (p.date("from")?, p.date("to")?);
    let granularity = match p.text("granularity").as_deref() {
        None | Some("day") => Granularity::Day,
        Some("week") => Granularity::Week,
        Some("month") => Granularity::Month,
        Some(other) => {
            return Err(ApiError::bad_request(
                "granularity",
                format!("`granularity` must be day, week or month, not {other:?}"),
            ))
        }
    };
    let baseline = p.number("baseline_days")?.unwrap_or(28).clamp(1, 3660) as i64;
    let both = p.flag("both")?.unwrap_or(false);
    let (s2, t2) = (src.clone(), tgt.clone());
    let points = blocking(move || {
        let dyad = if both {
            Dyad::pair(&s2, &t2)
        } else {
            Dyad::directed(&s2, &t2)
        };
        state.store.series(dyad, from.as_deref(), to.as_deref(), granularity)
    })
    .await?;
    let index: Vec<IndexPoint> = if granularity == Granularity::Day {
        tocsin_signals::escalation_index(&points, baseline)
            .into_iter()
            .map(|(period, value, z)| IndexPoint { period, value, z })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Json(json!({"source": src, "target": tgt, "both": both, "points": points, "index": index})).into_response())
}

/// `GET /api/network`: the strongest directed dyads (self-loops included) under the event filters;
/// `limit` edges (default 30, at most 500).
pub async fn network(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let q = Params::parse(raw.as_deref(), &EVENT_FILTERS)?.event_query()?;
    let limit = q.limit.unwrap_or(30);
    let edges = blocking(move || state.store.dyads(&q, limit)).await?;
    Ok(Json(edges).into_response())
}

/// `GET /api/alerts`: alerts filtered by `from`, `to`, `country`, `dyad` (A,B), `rule`; paged.
pub async fn list_alerts(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let q = Params::parse(
        raw.as_deref(),
        &["from", "to", "country", "dyad", "rule", "limit", "offset"],
    )?
    .alert_query()?;
    let page = blocking(move || state.store.alerts(&q)).await?;
    Ok(Json(page).into_response())
}

/// `GET /api/dead-letters`: articles queue workers gave up on, with their errors, latest first.
pub async fn list_dead_letters(State(state): State<AppState>) -> Result<Response, ApiError> {
    let letters = blocking(move || state.store.dead_letters(200)).await?;
    Ok(Json(letters).into_response())
}

/// `GET /api/summary`: store counts, the date range of current events and the publication range
/// of the articles (the dashboard opens on the last 30 days of publication).
pub async fn summary(State(state): State<AppState>) -> Result<Response, ApiError> {
    let summary = blocking(move || state.store.summary()).await?;
    Ok(Json(summary).into_response())
}

/// `GET /api/countries`: ISO 3166-1 alpha-3 code → country name (data/kb/countries.tsv).
pub async fn countries() -> Response {
    static NAMES: std::sync::OnceLock<serde_json::Map<String, Value>> = std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| {
        include_str!("../../../data/kb/countries.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut cols = l.split('\t');
                let code = cols.next()?;
                let name = cols.nth(1)?;
                Some((code.to_string(), Value::String(name.to_string())))
            })
            .collect()
    });
    ([(header::CACHE_CONTROL, "public, max-age=3600")], Json(names.clone())).into_response()
}

/// `GET /api/stream`: server-sent events (`alert` and `ingest` messages).
pub async fn stream(
    State(state): State<AppState>,
) -> Sse<impl tokio_stream::Stream<Item = Result<SseEvent, Infallible>>> {
    let rx = BroadcastStream::new(state.live.subscribe());
    let events = rx.filter_map(|m| m.ok()).map(|m| {
        let kind = serde_json::from_str::<Value>(&m)
            .ok()
            .and_then(|v| v["kind"].as_str().map(str::to_string))
            .unwrap_or_else(|| "message".into());
        Ok(SseEvent::default().event(kind).data(m))
    });
    Sse::new(events).keep_alive(KeepAlive::default())
}
