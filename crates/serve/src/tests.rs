//! API tests with a stand-in coder (the real pipeline is tested end to end at the workspace root).

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tocsin_doc::{Article, Event};
use tocsin_signals::Signals;
use tocsin_store::SqliteStore;
use tower::ServiceExt;

use crate::{router, AppState, ArticleCoder};

/// Codes "X attacked Y …" sentences into one ASSAULT with 2 dead, anything else into nothing.
struct StandIn;

impl ArticleCoder for StandIn {
    fn code(&self, a: Article) -> anyhow::Result<Vec<Event>> {
        if a.text.contains("poison") {
            anyhow::bail!("cannot code this article");
        }
        if !a.text.contains("attacked") {
            return Ok(vec![]);
        }
        let e = json!({
            "schema_version": "1.0", "id": format!("ev-{}", a.id), "article_id": a.id, "sentence": 0, "evidence": a.text,
            "trigger": {"text": "attacked", "start": 8, "end": 16}, "event_type": "ASSAULT", "mode": null, "context": [],
            "cameo": "190", "goldstein": -10.0, "quad_class": 4,
            "source": {"text": "Serbian", "start": 0, "end": 7, "name": "Serbia", "country": "SRB", "org": null, "sector": null, "code": "SRB"},
            "target": {"text": "Kosovo", "start": 17, "end": 23, "name": "Kosovo", "country": "XKX", "org": null, "sector": null, "code": "XKX"},
            "date": "2023-09-24", "date_text": "Sunday", "date_precision": "day",
            "location": {"text": "Banjska", "name": "Banjska", "country": "XKX", "lat": 42.97, "lon": 20.77},
            "dead": 2, "injured": null, "size": null, "modality": "asserted", "attribution": null, "quote": null, "confidence": 0.9
        });
        Ok(vec![serde_json::from_value(e)?])
    }
}

fn app(token: Option<&str>) -> (axum::Router, AppState) {
    let state = AppState::new(
        Arc::new(SqliteStore::in_memory().unwrap()),
        Arc::new(StandIn),
        Signals::builtin(),
        token.map(String::from),
    );
    (router(state.clone()), state)
}

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, Value) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn post(body: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::post("/api/articles").header("content-type", "application/json");
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    r.body(Body::from(body.to_string())).unwrap()
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn ingest_query_detail_series_network_and_alerts() {
    let (app, _) = app(None);
    let body = "{\"id\":\"a1\",\"text\":\"Serbian attacked Kosovo police in Banjska.\",\"source\":\"AP\"}\n{\"id\":\"a2\",\"text\":\"Calm day.\"}";
    let (s, report) = call(&app, post(body, None)).await;
    assert_eq!(s, StatusCode::OK, "{report}");
    assert_eq!(report["stored"], 2);
    assert_eq!(report["new_events"], json!(["ev-a1"]));
    assert!(report["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["rule"] == "deadly-assault"));
    // Idempotent.
    let (_, again) = call(&app, post(body, None)).await;
    assert_eq!(again["duplicates"], 2);
    let (s, page) = call(
        &app,
        get("/api/events?country=XKX&type=ASSAULT&from=2023-09-01&q=Banjska"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["num_mentions"], 1);
    let (s, detail) = call(&app, get("/api/events/ev-a1")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        detail["reports"][0]["evidence"],
        "Serbian attacked Kosovo police in Banjska."
    );
    assert_eq!(detail["reports"][0]["record"]["trigger"]["text"], "attacked");
    let (s, _) = call(&app, get("/api/events/nope")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, series) = call(&app, get("/api/dyads/SRB/XKX/series")).await;
    assert_eq!(series["points"][0]["events"], 1);
    assert_eq!(series["points"][0]["dead"], 2);
    assert!(series["index"][0]["z"].is_number());
    let (_, monthly) = call(&app, get("/api/dyads/SRB/XKX/series?granularity=month")).await;
    assert_eq!(monthly["points"][0]["period"], "2023-09");
    let (_, net) = call(&app, get("/api/network")).await;
    assert_eq!(net[0]["source"], "SRB");
    let (_, summary) = call(&app, get("/api/summary")).await;
    assert_eq!(
        (summary["articles"].as_u64(), summary["events"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(summary["last_date"], "2023-09-24");
    let (_, lower) = call(&app, get("/api/events?country=xkx&source=srb")).await;
    assert_eq!(lower["total"], 1, "filters ignore case");
    let (_, alerts) = call(&app, get("/api/alerts")).await;
    assert_eq!(alerts["items"][0]["event_ids"], json!(["ev-a1"]));
    assert_eq!(
        alerts["items"][0]["explanation"]["top_events"][0]["evidence"],
        "Serbian attacked Kosovo police in Banjska."
    );
    let (s, spec) = call(&app, get("/openapi.json")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(spec["paths"]["/api/events"].is_object() && spec["paths"]["/api/dyads/{src}/{tgt}/series"].is_object());
}

#[tokio::test]
async fn bad_input_names_item_and_field() {
    let (app, _) = app(None);
    let (s, r) = call(&app, post("{\"id\": 1, \"text\": \"x\", \"colour\": \"red\"}", None)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        r["errors"][0]["error"]
            .as_str()
            .unwrap()
            .contains("unknown field `colour`"),
        "{r}"
    );
    let (s, r) = call(
        &app,
        post(
            "{\"id\":\"ok\",\"text\":\"fine\"}\n{not json\n{\"id\":\"t\"}\n{\"text\":\"poison pill\"}",
            None,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["stored"], 1);
    let errs = r["errors"].as_array().unwrap();
    assert_eq!(errs.len(), 3, "{r}");
    assert_eq!(errs[0]["item"], 2);
    assert_eq!(errs[1]["field"], "text");
    assert!(errs[2]["error"].as_str().unwrap().contains("cannot code"));
    let (s, _) = call(&app, post("", None)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, r) = call(&app, get("/api/events?colour=red")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{r}");
    assert_eq!(r["field"], "colour");
    let big = format!("{{\"text\":\"{}\"}}", "a".repeat(crate::MAX_BODY_BYTES + 10));
    let res = app.clone().oneshot(post(&big, None)).await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn writes_need_the_token_when_one_is_set() {
    let (app, _) = app(Some("s3cret"));
    let body = "{\"text\":\"Serbian attacked Kosovo.\"}";
    let (s, _) = call(&app, post(body, None)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = call(&app, post(body, Some("wrong"))).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = call(&app, post(body, Some("s3cret"))).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = call(&app, get("/api/events")).await;
    assert_eq!(s, StatusCode::OK, "reads stay open");
}

#[tokio::test]
async fn refuses_public_bind_without_token() {
    let (_, state) = app(None);
    let err = crate::serve(state, "0.0.0.0:0".parse().unwrap(), |_| {})
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("--token"), "{err}");
}

#[tokio::test]
async fn stream_pushes_alerts() {
    let (app, state) = app(None);
    let mut rx = state.live.subscribe();
    let res = app.clone().oneshot(get("/api/stream")).await.unwrap();
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    call(&app, post("{\"id\":\"z\",\"text\":\"Serbian attacked Kosovo.\"}", None)).await;
    let mut kinds = Vec::new();
    while let Ok(m) = rx.try_recv() {
        kinds.push(
            serde_json::from_str::<Value>(&m).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert!(
        kinds.contains(&"alert".to_string()) && kinds.contains(&"ingest".to_string()),
        "{kinds:?}"
    );
    let (s, _) = call(&app, get("/")).await;
    assert_eq!(s, StatusCode::OK);
    let res = app.clone().oneshot(get("/assets/app.js")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn bad_parameters_are_400s_that_name_them() {
    let (app, _) = app(None);
    call(
        &app,
        post("{\"id\":\"a1\",\"text\":\"Serbian attacked Kosovo police.\"}", None),
    )
    .await;
    for (uri, field) in [
        ("/api/events?q=NEAR(", "q"),
        ("/api/events?q=a%20OR", "q"),
        ("/api/network?q=%22open", "q"),
        ("/api/events?from=notadate", "from"),
        ("/api/events?to=2026-13-45", "to"),
        ("/api/events?from=2025-02-01&to=2025-01-01", "to"),
        ("/api/events?limit=many", "limit"),
        ("/api/events?type=WAR", "type"),
        ("/api/events?dyad=SRB", "dyad"),
        ("/api/alerts?from=yesterday", "from"),
        ("/api/export?format=xlsx", "format"),
        ("/api/dyads/SRB/XKX/series?granularity=hour", "granularity"),
    ] {
        let (s, r) = call(&app, get(uri)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}: {r}");
        assert_eq!(r["field"], field, "{uri}: {r}");
        let msg = r["error"].as_str().unwrap();
        assert!(
            !msg.contains("fts5") && !msg.contains("SQLite") && !msg.contains("database"),
            "{uri}: {msg}"
        );
    }
    let (s, page) = call(&app, get("/api/events?q=%22Kosovo%20police%22")).await;
    assert_eq!(
        (s, page["total"].as_u64()),
        (StatusCode::OK, Some(1)),
        "a quoted phrase is fine"
    );
}

#[tokio::test]
async fn alerts_are_filtered_and_paged_and_events_export() {
    let (app, _) = app(None);
    for i in 0..3 {
        let body = format!("{{\"id\":\"a{i}\",\"text\":\"Serbian attacked Kosovo police, report {i}.\"}}");
        call(&app, post(&body, None)).await;
    }
    let (_, all) = call(&app, get("/api/alerts?rule=deadly-assault&dyad=xkx,srb")).await;
    assert_eq!(all["total"], 1, "one alert per rule, dyad and day: {all}");
    let (_, none) = call(&app, get("/api/alerts?country=USA")).await;
    assert_eq!(none["total"], 0);
    let (_, later) = call(&app, get("/api/alerts?from=2023-09-25")).await;
    assert_eq!(later["total"], 0);
    let (_, page) = call(&app, get("/api/events")).await;
    assert_eq!(page["total"], 1, "three reports of one clash are one event");
    assert_eq!(
        (
            page["items"][0]["num_articles"].as_u64(),
            page["items"][0]["num_mentions"].as_u64()
        ),
        (Some(3), Some(3))
    );
    let (_, past) = call(&app, get("/api/events?limit=1&offset=1")).await;
    assert_eq!(
        (past["total"].as_u64(), past["items"].as_array().unwrap().len()),
        (Some(1), 0)
    );
    let res = app
        .clone()
        .oneshot(get("/api/export?format=csv&country=SRB"))
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .contains("\"Serbian attacked Kosovo police, report"),
        "{csv}"
    );
    let (_, places) = call(&app, get("/api/places")).await;
    assert_eq!(places[0]["events"], 1);
    let (_, names) = call(&app, get("/api/countries")).await;
    assert_eq!(names["XKX"], "Kosovo");
}

fn post_with(body: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut r = Request::post("/api/articles");
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r.body(Body::from(body.to_string())).unwrap()
}

#[tokio::test]
async fn writes_must_be_json_from_this_origin_and_this_host() {
    let (_, mut state) = app(None);
    state.allowed_hosts = crate::guard::allowed_hosts("127.0.0.1:8080".parse().unwrap());
    let app = router(state);
    let body = "{\"text\":\"Serbian attacked Kosovo.\"}";
    let host = ("host", "127.0.0.1:8080");
    let (s, r) = call(&app, post_with(body, &[host, ("content-type", "text/plain")])).await;
    assert_eq!(
        (s, r["field"].as_str()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some("Content-Type")),
        "{r}"
    );
    let (s, _) = call(&app, post_with(body, &[host])).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE, "no content type");
    let json = ("content-type", "application/json; charset=utf-8");
    let (s, r) = call(&app, post_with(body, &[host, json, ("origin", "http://evil.example")])).await;
    assert_eq!((s, r["field"].as_str()), (StatusCode::FORBIDDEN, Some("Origin")), "{r}");
    let (s, _) = call(
        &app,
        post_with(body, &[host, json, ("origin", "http://127.0.0.1:9999")]),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "another port is another origin");
    let (s, r) = call(&app, post_with(body, &[("host", "attacker.example:8080"), json])).await;
    assert_eq!(
        (s, r["field"].as_str()),
        (StatusCode::MISDIRECTED_REQUEST, Some("Host")),
        "{r}"
    );
    let (s, _) = call(
        &app,
        Request::get("/api/events")
            .header("host", "rebound.example")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::MISDIRECTED_REQUEST,
        "a rebinding name cannot read either"
    );
    let (s, r) = call(
        &app,
        post_with(body, &[host, json, ("origin", "http://127.0.0.1:8080")]),
    )
    .await;
    assert_eq!((s, r["stored"].as_u64()), (StatusCode::OK, Some(1)), "same origin: {r}");
    let lines = "{\"text\":\"Serbian attacked Kosovo again.\"}\n";
    let (s, r) = call(
        &app,
        post_with(
            lines,
            &[("host", "localhost:8080"), ("content-type", "application/x-ndjson")],
        ),
    )
    .await;
    assert_eq!(
        (s, r["stored"].as_u64()),
        (StatusCode::OK, Some(1)),
        "JSON Lines, no Origin (curl): {r}"
    );
    let (s, _) = call(
        &app,
        Request::get("/api/summary")
            .header("host", "localhost:8080")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "reads stay open on loopback");
}

#[tokio::test]
async fn an_empty_token_is_refused() {
    for token in ["", "  "] {
        let (_, state) = app(Some(token));
        let err = crate::serve(state, "127.0.0.1:0".parse().unwrap(), |_| {})
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("empty write token"), "{err}");
    }
}
