//! API handlers.

use std::convert::Infallible;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tocsin_ingest::{read_bytes, Format, ReadOptions};
use tocsin_store::{EventQuery, Granularity};
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

use crate::AppState;

/// An API error: status, message, and the offending field when there is one.
pub struct ApiError {
    status: StatusCode,
    message: String,
    field: Option<String>,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
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
    fn from(e: tocsin_store::StoreError) -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

const ARTICLE_FIELDS: [&str; 7] = ["id", "text", "published", "title", "source", "url", "language"];

fn authorised(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &state.token else { return Ok(()) };
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if given == Some(token.as_str()) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "writes need `Authorization: Bearer <token>`",
        ))
    }
}

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
    authorised(&state, &headers)?;
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
pub async fn list_events(
    State(state): State<AppState>,
    q: Result<Query<EventQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text()))?;
    let page = tokio::task::spawn_blocking(move || state.store.events(&q))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    Ok(Json(page).into_response())
}

/// `GET /api/events/{id}`: one event with every report of it.
pub async fn get_event(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id2 = id.clone();
    let detail = tokio::task::spawn_blocking(move || state.store.event(&id2))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    match detail {
        Some(d) => Ok(Json(d).into_response()),
        None => Err(ApiError::new(StatusCode::NOT_FOUND, format!("no event with id {id:?}"))),
    }
}

/// Query of the series endpoint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesQuery {
    from: Option<String>,
    to: Option<String>,
    #[serde(default)]
    granularity: Granularity,
    baseline_days: Option<i64>,
}

#[derive(Serialize)]
struct IndexPoint {
    period: String,
    value: f64,
    z: f64,
}

/// `GET /api/dyads/{src}/{tgt}/series`: per-period counts and the escalation index.
pub async fn dyad_series(
    State(state): State<AppState>,
    Path((src, tgt)): Path<(String, String)>,
    q: Result<Query<SeriesQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text()))?;
    let (s2, t2) = (src.clone(), tgt.clone());
    let points = tokio::task::spawn_blocking(move || {
        state
            .store
            .series(&s2, &t2, q.from.as_deref(), q.to.as_deref(), q.granularity)
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    let index: Vec<IndexPoint> = if q.granularity == Granularity::Day {
        tocsin_signals::escalation_index(&points, q.baseline_days.unwrap_or(28))
            .into_iter()
            .map(|(period, value, z)| IndexPoint { period, value, z })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Json(json!({"source": src, "target": tgt, "points": points, "index": index})).into_response())
}

/// `GET /api/network`: weighted directed dyads under the same filters as `/api/events`.
pub async fn network(
    State(state): State<AppState>,
    q: Result<Query<EventQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text()))?;
    let edges = tokio::task::spawn_blocking(move || state.store.dyads(&q, 60))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    Ok(Json(edges).into_response())
}

/// `GET /api/alerts`: latest alerts.
pub async fn list_alerts(State(state): State<AppState>) -> Result<Response, ApiError> {
    let alerts = tokio::task::spawn_blocking(move || state.store.alerts(200))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    Ok(Json(alerts).into_response())
}

/// `GET /api/dead-letters`: articles queue workers gave up on, with their errors, latest first.
pub async fn list_dead_letters(State(state): State<AppState>) -> Result<Response, ApiError> {
    let letters = tokio::task::spawn_blocking(move || state.store.dead_letters(200))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    Ok(Json(letters).into_response())
}

/// `GET /api/summary`: store counts and the date range of events.
pub async fn summary(State(state): State<AppState>) -> Result<Response, ApiError> {
    let (counts, range) = tokio::task::spawn_blocking(move || {
        Ok::<_, tocsin_store::StoreError>((state.store.counts()?, state.store.date_range()?))
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    Ok(Json(json!({"articles": counts.0, "events": counts.1, "mentions": counts.2, "first_date": range.0, "last_date": range.1})).into_response())
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
