//! The dashboard: static assets compiled into the binary.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

/// `GET /`.
pub async fn index() -> Html<&'static str> {
    Html(include_str!("../assets/index.html"))
}

/// `GET /assets/{file}`.
pub async fn asset(Path(file): Path<String>) -> Response {
    let (body, mime): (&'static [u8], &str) = match file.as_str() {
        "app.js" => (include_bytes!("../assets/app.js"), "text/javascript; charset=utf-8"),
        "style.css" => (include_bytes!("../assets/style.css"), "text/css; charset=utf-8"),
        "countries-50m.json" => (include_bytes!("../assets/countries-50m.json"), "application/json"),
        _ => return (StatusCode::NOT_FOUND, "no such asset").into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}
