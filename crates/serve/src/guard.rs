//! Safe defaults: every request must name this server in `Host` (so a rebinding DNS name cannot
//! reach a loopback server), and a write must be JSON, come from this origin when the browser says
//! where it comes from, and carry the token when one is set.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api::ApiError;
use crate::AppState;

/// Content types a write may have (parameters such as `; charset=utf-8` allowed).
pub const WRITE_TYPES: [&str; 5] = [
    "application/json",
    "application/x-ndjson",
    "application/jsonl",
    "application/json-lines",
    "application/x-jsonlines",
];

/// The `Host` values a server bound to `addr` answers to: the address itself, and for loopback
/// `localhost` and both loopback literals; `None` (any) for an unspecified address (0.0.0.0), which
/// needs a token anyway.
pub fn allowed_hosts(addr: std::net::SocketAddr) -> Option<Vec<String>> {
    let ip = addr.ip();
    if ip.is_unspecified() {
        return None;
    }
    let port = addr.port();
    let mut names = vec![match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => format!("[{v6}]"),
    }];
    if ip.is_loopback() {
        names.extend(["localhost", "127.0.0.1", "[::1]"].map(String::from));
    }
    names.sort();
    names.dedup();
    let mut out: Vec<String> = names.iter().map(|n| format!("{n}:{port}")).collect();
    if port == 80 {
        out.extend(names);
    }
    Some(out)
}

fn refuse(status: StatusCode, field: &str, message: String) -> ApiError {
    ApiError {
        status,
        message,
        field: Some(field.to_string()),
    }
}

/// Middleware: a request whose `Host` is not this server's is refused (421) before any handler.
pub async fn check_host(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if let Some(allowed) = &state.allowed_hosts {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        if !allowed.iter().any(|a| a.eq_ignore_ascii_case(host)) {
            return refuse(
                StatusCode::MISDIRECTED_REQUEST,
                "Host",
                format!("this server answers to {} only, not Host {host:?}", allowed.join(", ")),
            )
            .into_response();
        }
    }
    next.run(req).await
}

/// The checks of a write: JSON content type (415), same-origin `Origin` when sent (403), the
/// bearer token when one is set (401).
pub fn check_write(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if !WRITE_TYPES.contains(&mime.as_str()) {
        return Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type",
            format!(
                "writes need Content-Type {} (got {:?})",
                WRITE_TYPES.join(" or "),
                if ct.is_empty() { "none" } else { ct }
            ),
        ));
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        let same = ["http://", "https://"]
            .iter()
            .any(|scheme| origin.eq_ignore_ascii_case(&format!("{scheme}{host}")));
        if !same || host.is_empty() {
            return Err(refuse(
                StatusCode::FORBIDDEN,
                "Origin",
                format!("cross-origin write refused: Origin {origin:?} is not this server ({host})"),
            ));
        }
    }
    let Some(token) = &state.token else { return Ok(()) };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if given == Some(token.as_str()) {
        Ok(())
    } else {
        Err(refuse(
            StatusCode::UNAUTHORIZED,
            "Authorization",
            "writes need `Authorization: Bearer <token>`".into(),
        ))
    }
}
