//! Work queue on NATS JetStream (async-nats): producers publish articles to a work-queue stream,
//! workers pull them through one durable consumer, process each, and ack. A message that is not acked
//! within `ack_wait` (a killed worker) is redelivered; one that keeps failing is dead-lettered after
//! `max_deliver` tries: handed to the [`Handler`] to record, copied to the dead-letter stream with its
//! error, and terminated.

mod worker;

use std::future::IntoFuture;
use std::time::Duration;

use async_nats::jetstream::{self, consumer, stream};
use async_nats::HeaderMap;
use bytes::Bytes;
use futures::future::try_join_all;

pub use worker::{Delivery, Failure, Handler, WorkerOptions, WorkerReport};

/// A queue error, naming the server and what was being done.
#[derive(Debug, thiserror::Error)]
#[error("NATS at {url}: {doing}: {message}")]
pub struct QueueError {
    /// Server URL.
    pub url: String,
    /// What was being done.
    pub doing: &'static str,
    /// The underlying error.
    pub message: String,
}

/// Where the queue lives and how it retries.
#[derive(Debug, Clone)]
pub struct QueueConfig {
    /// NATS server URL(s), comma-separated.
    pub url: String,
    /// Stream name; subjects are `<stream>.articles` and `<stream>.dead` in lower case.
    pub stream: String,
    /// How long a worker may hold a message before it is redelivered.
    pub ack_wait: Duration,
    /// Deliveries before a failing message is dead-lettered.
    pub max_deliver: i64,
}

impl QueueConfig {
    /// Defaults: stream `TOCSIN`, 30 s ack wait, 5 deliveries.
    pub fn new(url: &str) -> Self {
        QueueConfig {
            url: url.to_string(),
            stream: "TOCSIN".into(),
            ack_wait: Duration::from_secs(30),
            max_deliver: 5,
        }
    }

    /// Subject articles are published on.
    pub fn subject(&self) -> String {
        format!("{}.articles", self.stream.to_lowercase())
    }

    /// Subject dead letters are copied to.
    pub fn dead_subject(&self) -> String {
        format!("{}.dead", self.stream.to_lowercase())
    }

    fn dead_stream(&self) -> String {
        format!("{}_DEAD", self.stream)
    }

    fn err(&self, doing: &'static str) -> impl FnOnce(String) -> QueueError + '_ {
        move |message| QueueError {
            url: self.url.clone(),
            doing,
            message,
        }
    }
}

/// Durable consumer name shared by all workers (one work queue).
const DURABLE: &str = "workers";

/// Counts that tell whether the queue has drained.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueStatus {
    /// Messages in the work stream (not yet acked).
    pub stream_messages: u64,
    /// Messages not yet delivered to any worker.
    pub pending: u64,
    /// Delivered, not yet acked.
    pub ack_pending: u64,
    /// Delivered more than once, not yet acked.
    pub redelivered: u64,
    /// Messages in the dead-letter stream.
    pub dead: u64,
}

/// A connection to the work queue (streams and the worker consumer are created on first use).
pub struct Queue {
    cfg: QueueConfig,
    client: async_nats::Client,
    js: jetstream::Context,
    consumer: consumer::Consumer<consumer::pull::Config>,
}

impl Queue {
    /// Connects and makes sure the work stream, the dead-letter stream and the consumer exist.
    pub async fn connect(cfg: QueueConfig) -> Result<Queue, QueueError> {
        let client = async_nats::ConnectOptions::new()
            .name("tocsin")
            .retry_on_initial_connect()
            .connection_timeout(Duration::from_secs(5))
            .connect(cfg.url.as_str())
            .await
            .map_err(|e| cfg.err("connecting")(e.to_string()))?;
        let js = jetstream::new(client.clone());
        let work = js
            .get_or_create_stream(stream::Config {
                name: cfg.stream.clone(),
                subjects: vec![cfg.subject()],
                retention: stream::RetentionPolicy::WorkQueue,
                storage: stream::StorageType::File,
                duplicate_window: Duration::from_secs(120),
                ..Default::default()
            })
            .await
            .map_err(|e| cfg.err("creating the work stream")(e.to_string()))?;
        js.get_or_create_stream(stream::Config {
            name: cfg.dead_stream(),
            subjects: vec![cfg.dead_subject()],
            storage: stream::StorageType::File,
            ..Default::default()
        })
        .await
        .map_err(|e| cfg.err("creating the dead-letter stream")(e.to_string()))?;
        let consumer = work
            .get_or_create_consumer(
                DURABLE,
                consumer::pull::Config {
                    durable_name: Some(DURABLE.into()),
                    ack_policy: consumer::AckPolicy::Explicit,
                    ack_wait: cfg.ack_wait,
                    max_deliver: cfg.max_deliver,
                    max_ack_pending: 10_000,
                    ..Default::default()
                },
            )
            .await
            .map_err(|e| cfg.err("creating the worker consumer")(e.to_string()))?;
        Ok(Queue {
            cfg,
            client,
            js,
            consumer,
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &QueueConfig {
        &self.cfg
    }

    /// Publishes payloads keyed by id (JetStream drops a repeated id within two minutes) and waits
    /// for the server to store them; returns how many were duplicates.
    pub async fn publish_all(&self, items: Vec<(String, Bytes)>) -> Result<usize, QueueError> {
        let subject = self.cfg.subject();
        let mut duplicates = 0;
        for chunk in items.chunks(256) {
            let mut acks = Vec::with_capacity(chunk.len());
            for (id, payload) in chunk {
                let mut headers = HeaderMap::new();
                headers.insert("Nats-Msg-Id", id.as_str());
                let ack = self
                    .js
                    .publish_with_headers(subject.clone(), headers, payload.clone())
                    .await
                    .map_err(|e| self.cfg.err("publishing an article")(e.to_string()))?;
                acks.push(ack.into_future());
            }
            let acks = try_join_all(acks)
                .await
                .map_err(|e| self.cfg.err("waiting for the server to store articles")(e.to_string()))?;
            duplicates += acks.iter().filter(|a| a.duplicate).count();
        }
        Ok(duplicates)
    }

    /// Queue counts (work stream, consumer, dead-letter stream).
    pub async fn status(&self) -> Result<QueueStatus, QueueError> {
        let mut consumer = self.consumer.clone();
        let info = consumer
            .info()
            .await
            .map_err(|e| self.cfg.err("reading the consumer")(e.to_string()))?
            .clone();
        let mut work = self
            .js
            .get_stream(&self.cfg.stream)
            .await
            .map_err(|e| self.cfg.err("reading the work stream")(e.to_string()))?;
        let mut dead = self
            .js
            .get_stream(self.cfg.dead_stream())
            .await
            .map_err(|e| self.cfg.err("reading the dead-letter stream")(e.to_string()))?;
        let work_msgs = work
            .info()
            .await
            .map_err(|e| self.cfg.err("reading the work stream")(e.to_string()))?
            .state
            .messages;
        let dead_msgs = dead
            .info()
            .await
            .map_err(|e| self.cfg.err("reading the dead-letter stream")(e.to_string()))?
            .state
            .messages;
        Ok(QueueStatus {
            stream_messages: work_msgs,
            pending: info.num_pending,
            ack_pending: info.num_ack_pending as u64,
            redelivered: info.num_redelivered as u64,
            dead: dead_msgs,
        })
    }

    /// Sends everything buffered (acks included) to the server.
    pub async fn flush(&self) -> Result<(), QueueError> {
        self.client
            .flush()
            .await
            .map_err(|e| self.cfg.err("flushing")(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_follow_the_stream_name() {
        let mut c = QueueConfig::new("nats://127.0.0.1:4222");
        c.stream = "NEWS".into();
        assert_eq!(c.subject(), "news.articles");
        assert_eq!(c.dead_subject(), "news.dead");
        assert_eq!(c.dead_stream(), "NEWS_DEAD");
    }
}
