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

/// POSTs one alert as JSON; returns the number of attempts used, or the last error.
pub fn deliver(hook: &Webhook, alert: &Alert) -> Result<u32, String> {
    let agent = ureq::AgentBuilder::new().timeout(hook.timeout).redirects(0).build();
    let mut wait = hook.backoff;
    let mut last = String::new();
    for attempt in 1..=hook.attempts.max(1) {
        match agent.post(&hook.url).send_json(alert) {
            Ok(_) => return Ok(attempt),
            Err(ureq::Error::Status(code, _)) => last = format!("webhook {} answered HTTP {code}", hook.url),
            Err(e) => last = format!("webhook {}: {e}", hook.url),
        }
        if attempt < hook.attempts {
            std::thread::sleep(wait);
            wait *= 2;
        }
    }
    Err(format!("{last} (gave up after {} attempts)", hook.attempts))
}
