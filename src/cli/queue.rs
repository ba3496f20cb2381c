//! `tocsin submit`, `tocsin worker` and `tocsin queue-status`: scale-out over NATS JetStream + PostgreSQL.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use tocsin::doc::{content_hash, Article};
use tocsin::ingest::{read_bytes, read_input, Format, ReadOptions};
use tocsin::Tocsin;
use tocsin_queue::{Delivery, Failure, Handler, Queue, QueueConfig, WorkerOptions};
use tocsin_signals::Signals;
use tocsin_store::{NewDeadLetter, PgStore, Store, StoreError};

use super::store::{open_postgres, redact, RulesArgs};
use super::DataArgs;

/// Which queue to talk to.
#[derive(Args, Debug, Clone)]
pub struct QueueArgs {
    /// NATS server URL(s), comma-separated.
    #[arg(
        long,
        env = "TOCSIN_NATS",
        default_value = "nats://127.0.0.1:4222",
        value_name = "URL"
    )]
    nats: String,
    /// JetStream stream name (subjects `<stream>.articles` and `<stream>.dead`, lower case).
    #[arg(long, default_value = "TOCSIN", value_name = "NAME")]
    stream: String,
    /// Seconds a worker may hold an article before it is redelivered to another (set when the queue is created).
    #[arg(long, default_value_t = 30, value_name = "SECS")]
    ack_wait: u64,
    /// Deliveries before a failing article is dead-lettered (set when the queue is created).
    #[arg(long, default_value_t = 5, value_name = "N")]
    max_deliver: i64,
}

impl QueueArgs {
    fn config(&self) -> QueueConfig {
        QueueConfig {
            url: self.nats.clone(),
            stream: self.stream.clone(),
            ack_wait: Duration::from_secs(self.ack_wait.max(1)),
            max_deliver: self.max_deliver.max(1),
        }
    }
}

/// Arguments of `tocsin submit`.
#[derive(Args, Debug)]
pub struct SubmitArgs {
    /// Input files (.txt, .json, .jsonl, .html), directories, or - for stdin.
    inputs: Vec<String>,
    /// Publication date for inputs without one (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE", value_parser = super::parse_published)]
    published: Option<chrono::NaiveDate>,
    #[command(flatten)]
    queue: QueueArgs,
}

/// Arguments of `tocsin worker`.
#[derive(Args, Debug)]
pub struct WorkerArgs {
    #[command(flatten)]
    queue: QueueArgs,
    /// PostgreSQL store to write to.
    #[arg(long, env = "TOCSIN_POSTGRES", value_name = "URL", hide_env_values = true)]
    postgres: String,
    /// Articles pulled per request.
    #[arg(long, default_value_t = 16)]
    batch: usize,
    /// Exit once the queue has had nothing pending or unacked for this many seconds (batch jobs, tests).
    #[arg(long, value_name = "SECS")]
    exit_when_idle: Option<f64>,
    /// Write structured logs as JSON lines.
    #[arg(long)]
    log_json: bool,
    #[command(flatten)]
    rules: RulesArgs,
    #[command(flatten)]
    data: DataArgs,
}

/// Arguments of `tocsin queue-status`.
#[derive(Args, Debug)]
pub struct StatusArgs {
    #[command(flatten)]
    queue: QueueArgs,
}

/// A blocking handle for publishing articles to the work queue (submit and the watchers).
pub struct Publisher {
    rt: tokio::runtime::Runtime,
    queue: Queue,
}

impl Publisher {
    /// Connects to the queue at `url` on stream `stream` (created if missing, with default settings).
    pub fn connect(url: &str, stream: &str) -> anyhow::Result<Publisher> {
        let mut cfg = QueueConfig::new(url);
        cfg.stream = stream.to_string();
        Self::with_config(cfg)
    }

    fn with_config(cfg: QueueConfig) -> anyhow::Result<Publisher> {
        let rt = runtime()?;
        let queue = rt.block_on(Queue::connect(cfg))?;
        Ok(Publisher { rt, queue })
    }

    /// Publishes articles keyed by content hash; returns how many the server already had.
    pub fn publish(&self, articles: &[Article]) -> anyhow::Result<usize> {
        let items = articles
            .iter()
            .map(|a| Ok((content_hash(&a.text), serde_json::to_vec(a)?.into())))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(self.rt.block_on(self.queue.publish_all(items))?)
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// `tocsin submit`: reads articles and publishes them to the work queue (id = content hash, so a
/// re-submission within two minutes is dropped by the server and a later one is a no-op in the store).
pub fn submit(args: SubmitArgs) -> anyhow::Result<ExitCode> {
    let (opts, inputs) = super::read_setup(args.published, args.inputs);
    let mut items = Vec::new();
    let mut failed = 0;
    for input in &inputs {
        for a in read_input(input, &opts) {
            match a {
                Ok(a) => items.push(a),
                Err(e) => {
                    failed += 1;
                    eprintln!("tocsin: {e}");
                }
            }
        }
    }
    let n = items.len();
    let duplicates = Publisher::with_config(args.queue.config())?.publish(&items)?;
    eprintln!(
        "submitted {} articles to {} ({duplicates} already queued), {failed} failed",
        n - duplicates,
        args.queue.nats
    );
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Codes each queued article and writes it, its events and its alerts to PostgreSQL.
struct CodeAndStore {
    coder: Tocsin,
    store: PgStore,
    signals: Signals,
}

/// Store errors that may pass (server restarting, connection lost) are retried in place.
fn store_failure(e: StoreError) -> Failure {
    if e.is_transient() {
        Failure::Transient(e.to_string())
    } else {
        Failure::Permanent(e.to_string())
    }
}

impl CodeAndStore {
    fn article(d: &Delivery) -> Result<Article, Failure> {
        let name = format!("message {}", d.message_id);
        let mut parsed = read_bytes(&name, &d.payload, Some(Format::Json), &ReadOptions::default());
        match (parsed.pop(), parsed.is_empty()) {
            (Some(Ok(a)), true) => Ok(a),
            (Some(Err(e)), true) => Err(Failure::Permanent(e.to_string())),
            (None, _) => Err(Failure::Permanent(format!("{name}: no article in the payload"))),
            (Some(_), false) => Err(Failure::Permanent(format!(
                "{name}: more than one article in one message"
            ))),
        }
    }
}

impl Handler for CodeAndStore {
    fn handle(&self, d: &Delivery) -> Result<(), Failure> {
        let article = Self::article(d)?;
        let events = self.coder.code(article.clone()).map_err(|e| {
            Failure::Permanent(format!(
                "message {}: coding article {} failed: {e:#}",
                d.message_id, article.id
            ))
        })?;
        let out = self.store.ingest(&article, &events).map_err(store_failure)?;
        if out.new_article {
            self.signals.after_ingest(&self.store, &events).map_err(store_failure)?;
        }
        tracing::debug!(message = %d.message_id, article = %article.id, new = out.new_article, events = events.len(), "stored");
        Ok(())
    }

    fn dead_letter(&self, d: &Delivery, error: &str) -> Result<(), Failure> {
        let article_id = serde_json::from_slice::<serde_json::Value>(&d.payload)
            .ok()
            .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_string));
        let mut payload = String::from_utf8_lossy(&d.payload).into_owned();
        if payload.len() > 64 * 1024 {
            let mut cut = 64 * 1024;
            while !payload.is_char_boundary(cut) {
                cut -= 1;
            }
            payload.truncate(cut);
        }
        self.store
            .save_dead_letter(&NewDeadLetter {
                message_id: d.message_id.clone(),
                article_id,
                error: error.to_string(),
                attempts: u32::try_from(d.attempt).unwrap_or(u32::MAX),
                payload,
            })
            .map_err(store_failure)
    }
}

/// Connects to PostgreSQL, waiting up to a minute for a server that is still starting.
fn connect_store(url: &str) -> anyhow::Result<PgStore> {
    let start = Instant::now();
    let mut wait = Duration::from_millis(200);
    loop {
        match open_postgres(url) {
            Ok(s) => return Ok(s),
            Err(e) if start.elapsed() < Duration::from_secs(60) => {
                tracing::warn!(error = %format!("{e:#}"), "PostgreSQL not ready; retrying");
                std::thread::sleep(wait);
                wait = (wait * 2).min(Duration::from_secs(5));
            }
            Err(e) => return Err(e),
        }
    }
}

/// `tocsin worker`.
pub fn worker(args: WorkerArgs) -> anyhow::Result<ExitCode> {
    super::init_logs(args.log_json);
    let handler = Arc::new(CodeAndStore {
        coder: args.data.coder()?,
        store: connect_store(&args.postgres)?,
        signals: args.rules.load()?,
    });
    let opts = WorkerOptions {
        batch: args.batch.max(1),
        exit_when_idle: args.exit_when_idle.map(Duration::from_secs_f64),
        ..Default::default()
    };
    let cfg = args.queue.config();
    tracing::info!(nats = %cfg.url, stream = %cfg.stream, postgres = %redact(&args.postgres), "worker started");
    let report = runtime()?.block_on(async move {
        let q = Queue::connect(cfg).await?;
        q.work(handler, &opts).await
    })?;
    eprintln!(
        "worker: {} articles stored, {} retried, {} dead-lettered, {} transient failures",
        report.acked, report.retried, report.dead, report.transient
    );
    Ok(ExitCode::SUCCESS)
}

/// `tocsin queue-status`: prints the queue's counts as JSON.
pub fn status(args: StatusArgs) -> anyhow::Result<ExitCode> {
    let cfg = args.queue.config();
    let st = runtime()?
        .block_on(async move { Queue::connect(cfg).await?.status().await })
        .context("reading the queue")?;
    println!(
        "{}",
        serde_json::json!({
            "stream_messages": st.stream_messages,
            "pending": st.pending,
            "ack_pending": st.ack_pending,
            "redelivered": st.redelivered,
            "dead": st.dead,
        })
    );
    Ok(ExitCode::SUCCESS)
}
