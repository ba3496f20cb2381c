//! Alert delivery to a webhook: JSON POST with a timeout and retries with backoff (plain HTTP;
//! put a TLS-terminating proxy in front for HTTPS endpoints).

use std::time::Duration;

use tocsin_store::Alert;

/// Where and how persistently to deliver alerts.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// `http://host:port/path`.
    pub url: String,
    /// Attempts before giving up.
    pub attempts: u32,
    /// Timeout of one attempt.
    pub timeout: Duration,
    /// Wait before the second attempt; doubled each time.
    pub backoff: Duration,
}

impl Webhook {
    /// Three attempts, five-second timeout, half a second of first backoff.
    pub fn new(url: impl Into<String>) -> Self {
        Webhook {
            url: url.into(),
            attempts: 3,
            timeout: Duration::from_secs(5),
            backoff: Duration::from_millis(500),
        }
    }
}

/// Why the last attempt to deliver an alert failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookFailure {
    /// The endpoint answered with an HTTP error status.
    #[error("answered HTTP {0}")]
    Status(u16),
    /// The request did not get an answer (connection refused, timeout, bad URL…).
    #[error("{0}")]
    Transport(String),
}

/// An alert the webhook did not take after every attempt.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("webhook {url}: {last} (gave up after {attempts} attempts)")]
pub struct DeliveryError {
    /// The webhook's URL.
    pub url: String,
    /// Attempts made.
    pub attempts: u32,
    /// How the last attempt failed.
    pub last: WebhookFailure,
}

/// POSTs one alert as JSON; returns the number of attempts used, or how the last attempt failed.
pub fn deliver(hook: &Webhook, alert: &Alert) -> Result<u32, DeliveryError> {
    let agent = ureq::AgentBuilder::new().timeout(hook.timeout).redirects(0).build();
    let mut wait = hook.backoff;
    let attempts = hook.attempts.max(1);
    let mut last = WebhookFailure::Transport("not attempted".into());
    for attempt in 1..=attempts {
        match agent.post(&hook.url).send_json(alert) {
            Ok(_) => return Ok(attempt),
            Err(ureq::Error::Status(code, _)) => last = WebhookFailure::Status(code),
            Err(e) => last = WebhookFailure::Transport(e.to_string()),
        }
        if attempt < attempts {
            std::thread::sleep(wait);
            wait *= 2;
        }
    }
    Err(DeliveryError {
        url: hook.url.clone(),
        attempts,
        last,
    })
}
