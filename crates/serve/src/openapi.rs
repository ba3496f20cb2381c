//! The OpenAPI description (utoipa), served at `/openapi.json`.

use axum::Json;
use utoipa::OpenApi;

#[utoipa::path(post, path = "/api/articles", tag = "ingest",
    request_body(content = String, description = "One JSON article, a JSON array of articles, or JSON Lines. Fields: id, text (required), published, title, source, url, language; other fields are rejected.", content_type = "application/json"),
    responses((status = 200, description = "Report: stored, duplicates, new_events, merged_events, alerts, errors (per item, naming the field)"),
              (status = 400, description = "Nothing could be stored; the error names the item and field"),
              (status = 401, description = "Missing or wrong bearer token"),
              (status = 403, description = "An Origin header that is not this server (cross-site write)"),
              (status = 415, description = "Content-Type is not application/json or JSON Lines (application/x-ndjson)"),
              (status = 421, description = "Host is not this server's address"),
              (status = 413, description = "Body larger than 8 MiB")))]
#[allow(dead_code)]
fn post_articles() {}

#[utoipa::path(get, path = "/api/events", tag = "events",
    params(("from" = Option<String>, Query, description = "First date YYYY-MM-DD"), ("to" = Option<String>, Query, description = "Last date"),
           ("actor" = Option<String>, Query, description = "Actor key or code (source or target)"), ("country" = Option<String>, Query, description = "Country (source or target)"),
           ("source" = Option<String>, Query, description = "Source actor key"), ("target" = Option<String>, Query, description = "Target actor key"),
           ("dyad" = Option<String>, Query, description = "Either direction of a pair, A,B"),
           ("type" = Option<String>, Query, description = "PLOVER event type"), ("q" = Option<String>, Query, description = "Full-text query over articles (FTS5)"),
           ("noncurrent" = Option<bool>, Query, description = "Include events dated after their report or 45+ days before it (default false)"),
           ("limit" = Option<usize>, Query, description = "Page size, at most 1000"), ("offset" = Option<usize>, Query, description = "Rows to skip")),
    responses((status = 200, description = "{total, items: [event + num_mentions, num_sources, num_articles, timing]}"),
              (status = 400, description = "{error, field}: an unknown parameter, a date that is not YYYY-MM-DD, `to` before `from`, a bad type, or a full-text query that does not parse; `field` names the parameter")))]
#[allow(dead_code)]
fn list_events() {}

#[utoipa::path(get, path = "/api/export", tag = "events",
    params(("format" = Option<String>, Query, description = "csv or jsonl (default)")),
    responses((status = 200, description = "Every event of the filtered set (same filters as /api/events, at most 100,000) as a CSV or JSON Lines file"), (status = 400, description = "Bad parameter, named")))]
#[allow(dead_code)]
fn export() {}

#[utoipa::path(get, path = "/api/places", tag = "aggregates",
    responses((status = 200, description = "[{lat, lon, name, events, conflict, dead}]: the filtered set's placed events in cells of about half a degree (same filters as /api/events)")))]
#[allow(dead_code)]
fn places() {}

#[utoipa::path(get, path = "/api/countries", tag = "aggregates", responses((status = 200, description = "ISO 3166-1 alpha-3 code → country name")))]
#[allow(dead_code)]
fn countries() {}

#[utoipa::path(get, path = "/api/events/{id}", tag = "events", params(("id" = String, Path, description = "Event id")),
    responses((status = 200, description = "The event with every report (article, sentence, trigger span, evidence, record)"), (status = 404, description = "No such event")))]
#[allow(dead_code)]
fn get_event() {}

#[utoipa::path(get, path = "/api/dyads/{src}/{tgt}/series", tag = "aggregates",
    params(("src" = String, Path, description = "Source actor key (country or organisation)"), ("tgt" = String, Path, description = "Target actor key"),
           ("from" = Option<String>, Query, description = "First date"), ("to" = Option<String>, Query, description = "Last date"),
           ("granularity" = Option<String>, Query, description = "day (default), week or month"), ("baseline_days" = Option<i64>, Query, description = "Escalation baseline window"),
           ("both" = Option<bool>, Query, description = "Count both directions of the pair")),
    responses((status = 200, description = "{points: per-period counts by type and QuadClass, mentions, distinct articles and outlets, Goldstein sum/mean, dead, injured; index: escalation value (articles × −mean Goldstein) and z-score per day}")))]
#[allow(dead_code)]
fn dyad_series() {}

#[utoipa::path(get, path = "/api/network", tag = "aggregates", responses((status = 200, description = "The `limit` (default 30) strongest directed dyads, self-loops included, with event counts and Goldstein sums (same filters as /api/events)")))]
#[allow(dead_code)]
fn network() {}

#[utoipa::path(get, path = "/api/alerts", tag = "alerts",
    params(("from" = Option<String>, Query, description = "First date"), ("to" = Option<String>, Query, description = "Last date"),
           ("country" = Option<String>, Query, description = "Source or target"), ("dyad" = Option<String>, Query, description = "A,B either direction"),
           ("rule" = Option<String>, Query, description = "Rule name"), ("limit" = Option<usize>, Query, description = "Page size (50)"), ("offset" = Option<usize>, Query, description = "Rows to skip")),
    responses((status = 200, description = "{total, items}: latest alerts first, each with its explanation (value, baseline mean and std, articles, outlets, top events with evidence)")))]
#[allow(dead_code)]
fn list_alerts() {}

/// Articles given up on.
#[utoipa::path(get, path = "/api/dead-letters", tag = "queue", responses((status = 200, description = "Articles queue workers gave up on after their last try: message id, article id, error, attempts, payload")))]
#[allow(dead_code)]
fn list_dead_letters() {}

#[utoipa::path(get, path = "/api/summary", tag = "events", responses((status = 200, description = "{articles, events, mentions, noncurrent_events, first_date, last_date (current events), first_published, last_published (articles)}")))]
#[allow(dead_code)]
fn summary() {}

#[utoipa::path(get, path = "/api/stream", tag = "alerts", responses((status = 200, description = "text/event-stream of `alert` and `ingest` messages", content_type = "text/event-stream")))]
#[allow(dead_code)]
fn stream() {}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "tocsin API",
        description = "Political events coded from news: ingest, query, aggregates, alerts."
    ),
    paths(
        post_articles,
        list_events,
        export,
        get_event,
        places,
        countries,
        dyad_series,
        network,
        list_alerts,
        list_dead_letters,
        summary,
        stream
    )
)]
struct ApiDoc;

/// `GET /openapi.json`.
pub async fn spec() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
