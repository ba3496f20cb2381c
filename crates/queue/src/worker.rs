//! The worker loop: pull, handle (on a blocking thread), ack; retry, back off, dead-letter.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_nats::jetstream::AckKind;
use async_nats::HeaderMap;
use bytes::Bytes;
use futures::StreamExt;
use tracing::{info, warn};

use crate::{Queue, QueueError};

/// One delivery of a queued message.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Stable message id: `<stream>:<stream sequence>`.
    pub message_id: String,
    /// Which delivery this is (1 = first).
    pub attempt: i64,
    /// The payload as published.
    pub payload: Bytes,
}

/// Why handling a message failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The message itself is bad (unreadable, coding failed): retried, then dead-lettered.
    Permanent(String),
    /// Something outside the message is down (the database): retried in place, never dead-lettered.
    Transient(String),
}

/// A message that failed for good (its handler's [`Failure::Permanent`] error): it is retried by
/// redelivery, then dead-lettered with this message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
struct PermanentFailure(String);

/// What a worker does with each message.
pub trait Handler: Send + Sync + 'static {
    /// Processes one message; must be idempotent (a message can arrive twice).
    fn handle(&self, d: &Delivery) -> Result<(), Failure>;
    /// Records a message given up on, with its last error.
    fn dead_letter(&self, d: &Delivery, error: &str) -> Result<(), Failure>;
}

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Messages fetched per pull.
    pub batch: usize,
    /// Stop once the queue has been empty (nothing pending or unacked) this long; `None` runs forever.
    pub exit_when_idle: Option<Duration>,
    /// Longest pause between retries of a transient failure.
    pub max_backoff: Duration,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            batch: 16,
            exit_when_idle: None,
            max_backoff: Duration::from_secs(5),
        }
    }
}

/// What a worker did before it stopped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkerReport {
    /// Messages handled and acked.
    pub acked: u64,
    /// Failed deliveries handed back for a later retry.
    pub retried: u64,
    /// Messages dead-lettered.
    pub dead: u64,
    /// Transient failures retried in place.
    pub transient: u64,
}

/// Runs `f` on a blocking thread, turning a panic into a permanent failure.
async fn blocking(f: impl FnOnce() -> Result<(), Failure> + Send + 'static) -> Result<(), Failure> {
    match tokio::task::spawn_blocking(move || catch_unwind(AssertUnwindSafe(f))).await {
        Ok(Ok(r)) => r,
        Ok(Err(panic)) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            Err(Failure::Permanent(format!("coding panicked: {msg}")))
        }
        Err(e) => Err(Failure::Permanent(format!("worker thread failed: {e}"))),
    }
}

/// Delay before the next delivery of a message that failed on delivery `attempt`.
fn nak_delay(attempt: i64) -> Duration {
    Duration::from_millis(200u64.saturating_mul(1 << attempt.clamp(0, 6)))
}

impl Queue {
    /// Pulls and handles messages until stopped (Ctrl-C, or idle with `exit_when_idle`).
    pub async fn work(&self, handler: Arc<dyn Handler>, opts: &WorkerOptions) -> Result<WorkerReport, QueueError> {
        let mut report = WorkerReport::default();
        let mut idle_since: Option<Instant> = None;
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        loop {
            let mut batch = tokio::select! {
                _ = &mut ctrl_c => break,
                b = self
                    .consumer
                    .fetch()
                    .max_messages(opts.batch)
                    .expires(Duration::from_millis(500))
                    .messages() => b.map_err(|e| self.cfg.err("pulling messages")(e.to_string()))?,
            };
            let mut got = 0;
            while let Some(msg) = batch.next().await {
                let msg = match msg {
                    Ok(m) => m,
                    Err(e) => {
                        warn!(error = %e, "pull failed; retrying");
                        break;
                    }
                };
                got += 1;
                let (seq, attempt) = match msg.info() {
                    Ok(i) => (i.stream_sequence, i.delivered),
                    Err(e) => {
                        warn!(error = %e, "message without JetStream metadata; skipped");
                        continue;
                    }
                };
                let d = Delivery {
                    message_id: format!("{}:{seq}", self.cfg.stream),
                    attempt,
                    payload: msg.payload.clone(),
                };
                let outcome = self.handle_in_place(&handler, &d, opts, &msg, &mut report).await;
                let ack = match outcome {
                    Ok(()) => {
                        report.acked += 1;
                        AckKind::Ack
                    }
                    Err(error) if attempt >= self.cfg.max_deliver => {
                        self.dead_letter(&handler, &d, &error.0, opts, &msg, &mut report).await;
                        report.dead += 1;
                        warn!(message = %d.message_id, attempt, %error, "dead-lettered");
                        AckKind::Term
                    }
                    Err(error) => {
                        report.retried += 1;
                        warn!(message = %d.message_id, attempt, %error, "failed; will retry");
                        AckKind::Nak(Some(nak_delay(attempt)))
                    }
                };
                if let Err(e) = msg.ack_with(ack).await {
                    warn!(message = %d.message_id, error = %e, "ack failed; the message will be redelivered");
                }
            }
            if got > 0 {
                idle_since = None;
                continue;
            }
            let Some(limit) = opts.exit_when_idle else {
                continue;
            };
            let st = self.status().await?;
            if st.pending > 0 || st.ack_pending > 0 {
                idle_since = None;
            } else if idle_since.get_or_insert_with(Instant::now).elapsed() >= limit {
                break;
            }
        }
        self.flush().await?;
        info!(
            acked = report.acked,
            retried = report.retried,
            dead = report.dead,
            "worker stopped"
        );
        Ok(report)
    }

    /// Handles one delivery, retrying transient failures in place (keeping the message with
    /// progress acks) until it succeeds or fails permanently.
    async fn handle_in_place(
        &self,
        handler: &Arc<dyn Handler>,
        d: &Delivery,
        opts: &WorkerOptions,
        msg: &async_nats::jetstream::Message,
        report: &mut WorkerReport,
    ) -> Result<(), PermanentFailure> {
        let mut backoff = Duration::from_millis(100);
        loop {
            let (h, dd) = (handler.clone(), d.clone());
            match blocking(move || h.handle(&dd)).await {
                Ok(()) => return Ok(()),
                Err(Failure::Permanent(e)) => return Err(PermanentFailure(e)),
                Err(Failure::Transient(e)) => {
                    report.transient += 1;
                    warn!(message = %d.message_id, error = %e, backoff_ms = backoff.as_millis() as u64, "transient failure; retrying");
                    let _ = msg.ack_with(AckKind::Progress).await;
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(opts.max_backoff);
                }
            }
        }
    }

    /// Records a dead letter (retrying while the store is down) and copies it to the dead-letter stream.
    async fn dead_letter(
        &self,
        handler: &Arc<dyn Handler>,
        d: &Delivery,
        error: &str,
        opts: &WorkerOptions,
        msg: &async_nats::jetstream::Message,
        report: &mut WorkerReport,
    ) {
        let mut backoff = Duration::from_millis(100);
        loop {
            let (h, dd, err) = (handler.clone(), d.clone(), error.to_string());
            match blocking(move || h.dead_letter(&dd, &err)).await {
                Ok(()) => break,
                Err(Failure::Permanent(e)) => {
                    warn!(message = %d.message_id, error = %e, "could not record the dead letter");
                    break;
                }
                Err(Failure::Transient(e)) => {
                    report.transient += 1;
                    warn!(message = %d.message_id, error = %e, "transient failure recording a dead letter; retrying");
                    let _ = msg.ack_with(AckKind::Progress).await;
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(opts.max_backoff);
                }
            }
        }
        let mut headers = HeaderMap::new();
        headers.insert("Tocsin-Message-Id", d.message_id.as_str());
        headers.insert("Tocsin-Attempts", d.attempt.to_string().as_str());
        let first_line = error.lines().next().unwrap_or_default();
        headers.insert("Tocsin-Error", first_line);
        match self
            .js
            .publish_with_headers(self.cfg.dead_subject(), headers, d.payload.clone())
            .await
        {
            Ok(ack) => {
                if let Err(e) = ack.await {
                    warn!(message = %d.message_id, error = %e, "dead-letter copy not confirmed");
                }
            }
            Err(e) => warn!(message = %d.message_id, error = %e, "could not copy to the dead-letter stream"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nak_delay_grows_and_is_capped() {
        assert_eq!(nak_delay(1), Duration::from_millis(400));
        assert!(nak_delay(3) > nak_delay(2));
        assert_eq!(nak_delay(50), nak_delay(6));
    }

    #[tokio::test]
    async fn a_panic_in_the_handler_is_a_permanent_failure() {
        let r = blocking(|| panic!("bad article")).await;
        assert_eq!(r, Err(Failure::Permanent("coding panicked: bad article".into())));
        assert_eq!(
            blocking(|| Err(Failure::Transient("down".into()))).await,
            Err(Failure::Transient("down".into()))
        );
    }
}
