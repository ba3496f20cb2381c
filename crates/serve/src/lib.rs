//! Serve stage: the HTTP API (axum) and the embedded web dashboard.
//!
//! Endpoints: `POST /api/articles`, `GET /api/events`, `GET /api/events/{id}`,
//! `GET /api/dyads/{src}/{tgt}/series`, `GET /api/network`, `GET /api/places`, `GET /api/export`,
//! `GET /api/alerts`, `GET /api/dead-letters`, `GET /api/summary`, `GET /api/countries`,
//! `GET /api/stream` (SSE), `GET /openapi.json`, and the dashboard at `/`. Writes need a JSON
//! content type, a same-origin `Origin` when one is sent, and a bearer token when one is configured
//! (one must be, to bind anywhere but loopback); every request must name the server in `Host`.

mod api;
mod assets;
mod export;
mod guard;
mod openapi;
mod params;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use tocsin_doc::{Article, Event};
use tocsin_signals::Signals;
use tocsin_store::Store;
use tokio::sync::broadcast;

/// Codes articles into events (implemented by the tocsin pipeline).
pub trait ArticleCoder: Send + Sync {
    /// Codes one article.
    fn code(&self, article: Article) -> anyhow::Result<Vec<Event>>;
}

/// Shared state of the server.
#[derive(Clone)]
pub struct AppState {
    /// The store.
    pub store: Arc<dyn Store>,
    /// The coder.
    pub coder: Arc<dyn ArticleCoder>,
    /// Alert rules.
    pub signals: Arc<Signals>,
    /// Live notifications (JSON messages) for `/api/stream`.
    pub live: broadcast::Sender<String>,
    /// Bearer token required for writes, if any.
    pub token: Option<String>,
    /// Where alerts are POSTed, if anywhere.
    pub webhook: Option<tocsin_signals::Webhook>,
    /// `Host` values requests must carry (None: any); [`serve`] sets them from the bound address.
    pub allowed_hosts: Option<Vec<String>>,
}

impl AppState {
    /// State with a fresh notification channel.
    pub fn new(store: Arc<dyn Store>, coder: Arc<dyn ArticleCoder>, signals: Signals, token: Option<String>) -> Self {
        let (live, _) = broadcast::channel(256);
        AppState {
            store,
            coder,
            signals: Arc::new(signals),
            live,
            token,
            webhook: None,
            allowed_hosts: None,
        }
    }

    /// POSTs every new alert to this webhook as well.
    pub fn with_webhook(mut self, hook: Option<tocsin_signals::Webhook>) -> Self {
        self.webhook = hook;
        self
    }
}

/// Largest accepted request body (bytes).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// The application router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{file}", get(assets::asset))
        .route("/openapi.json", get(openapi::spec))
        .route("/api/articles", post(api::post_articles))
        .route("/api/events", get(api::list_events))
        .route("/api/export", get(api::export))
        .route("/api/places", get(api::places))
        .route("/api/countries", get(api::countries))
        .route("/api/events/{id}", get(api::get_event))
        .route("/api/dyads/{src}/{tgt}/series", get(api::dyad_series))
        .route("/api/network", get(api::network))
        .route("/api/alerts", get(api::list_alerts))
        .route("/api/dead-letters", get(api::list_dead_letters))
        .route("/api/summary", get(api::summary))
        .route("/api/stream", get(api::stream))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard::check_host))
        .with_state(state)
}

/// Binds and serves until Ctrl-C. Refuses an empty token, and non-loopback addresses without a
/// token; requests must then name the bound address in `Host`.
pub async fn serve(mut state: AppState, addr: SocketAddr, on_ready: impl FnOnce(SocketAddr)) -> anyhow::Result<()> {
    if state.token.as_deref().is_some_and(|t| t.trim().is_empty()) {
        anyhow::bail!(
            "refusing an empty write token: pass a secret with --token (or TOCSIN_TOKEN), or none on loopback"
        );
    }
    if !addr.ip().is_loopback() && state.token.is_none() {
        anyhow::bail!(
            "refusing to listen on {addr} without a write token: pass --token (or TOCSIN_TOKEN), or bind 127.0.0.1"
        );
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    let bound = listener.local_addr()?;
    state.allowed_hosts = guard::allowed_hosts(bound);
    on_ready(bound);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests;
