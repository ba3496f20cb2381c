//! `tocsin ingest`, `tocsin serve` and the store-backed part of `tocsin demo`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use tocsin::batch::{self, BatchOptions, Finished};
use tocsin::ingest::{Origin, ReadOptions};
use tocsin::Tocsin;
use tocsin_serve::AppState;
use tocsin_signals::Signals;
use tocsin_store::{PgStore, SqliteStore, Store};

use super::code::{Progress, Tally};
use super::DataArgs;

/// Where the store lives and how it merges reports.
#[derive(Args, Debug, Clone)]
pub struct StoreArgs {
    /// SQLite store file (created if missing).
    #[arg(long, default_value = "tocsin.db", value_name = "FILE")]
    pub db: PathBuf,
    /// Use the PostgreSQL store at this URL instead of the SQLite file (e.g. postgres://tocsin@db/tocsin).
    #[arg(long, env = "TOCSIN_POSTGRES", value_name = "URL", hide_env_values = true)]
    pub postgres: Option<String>,
    /// Cross-article dedup: reports of the same event may differ by this many days.
    #[arg(long, default_value_t = 1, value_name = "DAYS")]
    pub dedup_days: i64,
    /// Cross-article dedup: places match within this many degrees of latitude and longitude.
    #[arg(long, default_value_t = 0.25, value_name = "DEGREES")]
    pub dedup_degrees: f64,
}

/// Arguments of `tocsin ingest`.
#[derive(Args, Debug)]
pub struct IngestArgs {
    /// Input files (.txt, .json, .jsonl, .html), directories, or - for stdin.
    inputs: Vec<String>,
    /// Publication date for inputs without one (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE", value_parser = super::parse_published)]
    published: Option<chrono::NaiveDate>,
    #[command(flatten)]
    threads: super::ThreadArgs,
    #[command(flatten)]
    rules: RulesArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    data: DataArgs,
}

/// Arguments of `tocsin serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on; anything but loopback needs --token.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Bearer token required for writes (also read from TOCSIN_TOKEN).
    #[arg(long, env = "TOCSIN_TOKEN", hide_env_values = true)]
    token: Option<String>,
    #[command(flatten)]
    rules: RulesArgs,
    /// POST each new alert as JSON to this http:// URL (3 attempts, 5 s timeout each).
    #[arg(long, value_name = "URL")]
    webhook: Option<String>,
    /// Write structured logs (tracing) to stderr as JSON lines.
    #[arg(long)]
    log_json: bool,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    data: DataArgs,
}

/// Which alert rules to use.
#[derive(Args, Debug, Clone)]
pub struct RulesArgs {
    /// Alert rules (TOML; default: data/signals/rules.toml). Not `--rules`, which picks the rules coder.
    #[arg(long = "alert-rules", value_name = "FILE")]
    pub path: Option<PathBuf>,
}

impl RulesArgs {
    /// The alert rules from the file, or the built-in ones.
    pub fn load(&self) -> anyhow::Result<Signals> {
        match &self.path {
            None => Ok(Signals::builtin()),
            Some(p) => {
                let text = std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
                Signals::parse(&text).with_context(|| format!("in {}", p.display()))
            }
        }
    }
}

/// Opens the store file, naming it in errors.
pub fn open_store(path: &Path) -> anyhow::Result<SqliteStore> {
    SqliteStore::open(path).with_context(|| format!("cannot open store {}", path.display()))
}

impl StoreArgs {
    fn dedup(&self) -> tocsin_store::DedupRule {
        tocsin_store::DedupRule {
            window_days: self.dedup_days,
            cell_degrees: self.dedup_degrees,
        }
    }

    /// Opens the SQLite store with this dedup rule (commands that read the file directly).
    pub fn open(&self) -> anyhow::Result<SqliteStore> {
        if self.postgres.is_some() {
            anyhow::bail!("this command works on a SQLite store only; drop --postgres (or TOCSIN_POSTGRES)");
        }
        Ok(open_store(&self.db)?.with_dedup(self.dedup()))
    }

    /// Opens the PostgreSQL store when --postgres is given, else the SQLite file.
    pub fn open_shared(&self) -> anyhow::Result<Arc<dyn Store>> {
        Ok(match &self.postgres {
            Some(url) => Arc::new(open_postgres(url)?.with_dedup(self.dedup())),
            None => Arc::new(self.open()?),
        })
    }

    /// Where the store is, for messages.
    pub fn describe(&self) -> String {
        match &self.postgres {
            Some(url) => redact(url),
            None => self.db.display().to_string(),
        }
    }
}

/// Connects to a PostgreSQL store, naming the server (without its password) in errors.
pub fn open_postgres(url: &str) -> anyhow::Result<PgStore> {
    PgStore::connect(url).with_context(|| format!("cannot open the PostgreSQL store {}", redact(url)))
}

/// A database URL without its password.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let user = &url[s + 3..at];
            let user = user.split(':').next().unwrap_or_default();
            format!("{}{user}{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

/// What storing one article did: new article?, events stored or merged, alerts raised.
pub type Stored = (bool, usize, usize);

/// Codes one article, stores it and evaluates the alert rules (an article skipped as not English
/// is not stored).
pub fn store_article(
    store: &dyn Store,
    coder: &Tocsin,
    sig: &Signals,
    a: &tocsin::doc::Article,
) -> anyhow::Result<Stored> {
    let (coding, events) = coder
        .code_article(a.clone())
        .with_context(|| format!("article {}", a.id))?;
    if coding.skipped.is_some() {
        return Ok((false, 0, 0));
    }
    let out = store.ingest(&coding.article, &events)?;
    let alerts = if out.new_article {
        sig.after_ingest(store, &events)?.len()
    } else {
        0
    };
    Ok((out.new_article, out.new_events.len() + out.merged_events.len(), alerts))
}

/// Articles per store transaction.
const STORE_BATCH: usize = 64;
/// Longest wait before coded articles are written, when coding is slow.
const STORE_EVERY: Duration = Duration::from_millis(500);

/// `tocsin ingest`'s receiver of batch results: coded articles are written to the store in batches
/// (one transaction each on SQLite), in input order, and the alert rules run after each write.
struct IngestSink<'a> {
    store: &'a dyn Store,
    sig: &'a Signals,
    events: Vec<tocsin::doc::Event>,
    pending: Vec<(Origin, tocsin::doc::Article, Vec<tocsin::doc::Event>)>,
    last_write: Instant,
    tally: Tally,
    stored: usize,
    alerts: usize,
    progress: Progress,
}

impl IngestSink<'_> {
    fn write(&mut self) -> anyhow::Result<()> {
        self.last_write = Instant::now();
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let batch: Vec<(&tocsin::doc::Article, &[tocsin::doc::Event])> =
            pending.iter().map(|(_, a, e)| (a, e.as_slice())).collect();
        let results = match self.store.ingest_batch(&batch) {
            Ok(r) => r,
            Err(e) => {
                // The batch as a whole failed: each of its articles is an error, the run goes on.
                for (origin, a, _) in &pending {
                    self.progress.say(&format!("tocsin: {origin}: article {}: {e}", a.id));
                }
                self.tally.failed += pending.len();
                return Ok(());
            }
        };
        for ((origin, a, events), r) in pending.iter().zip(results) {
            match r {
                Ok(out) => {
                    self.tally.events += out.new_events.len() + out.merged_events.len();
                    if out.new_article {
                        self.stored += 1;
                        match self.sig.after_ingest(self.store, events) {
                            Ok(alerts) => self.alerts += alerts.len(),
                            Err(e) => self
                                .progress
                                .say(&format!("tocsin: {origin}: article {}: alert rules: {e}", a.id)),
                        }
                    }
                }
                Err(e) => {
                    self.tally.failed += 1;
                    self.progress.say(&format!("tocsin: {origin}: article {}: {e}", a.id));
                }
            }
        }
        Ok(())
    }
}

impl batch::Sink for IngestSink<'_> {
    fn events(&mut self, _origin: &Origin, events: Vec<tocsin::doc::Event>) -> anyhow::Result<()> {
        self.events.extend(events);
        Ok(())
    }

    fn finished(&mut self, origin: Option<&Origin>, how: Finished) -> anyhow::Result<()> {
        let events = std::mem::take(&mut self.events);
        self.tally.note(&mut self.progress, origin, &how);
        if let (Finished::Coded(coding), Some(origin)) = (how, origin) {
            self.pending.push((origin.clone(), coding.article, events));
        }
        if self.pending.len() >= STORE_BATCH || self.last_write.elapsed() >= STORE_EVERY {
            self.write()?;
        }
        Ok(())
    }
}

/// Codes (on `threads` threads, 0 = all cores) and stores articles, in input order; returns what
/// was done: articles stored, events new or merged, alerts raised, and the tally (failures, skips).
pub fn ingest_into(
    store: &dyn Store,
    coder: Arc<Tocsin>,
    sig: &Signals,
    inputs: &[String],
    opts: &ReadOptions,
    threads: usize,
) -> anyhow::Result<(usize, usize, Tally)> {
    let mut sink = IngestSink {
        store,
        sig,
        events: Vec::new(),
        pending: Vec::new(),
        last_write: Instant::now(),
        tally: Tally::default(),
        stored: 0,
        alerts: 0,
        progress: Progress::new(),
    };
    batch::run(
        coder,
        super::read_all(inputs, opts),
        BatchOptions::new(threads),
        &mut sink,
    )?;
    sink.write()?;
    sink.progress.finish();
    Ok((sink.stored, sink.alerts, sink.tally))
}

/// `tocsin ingest`.
pub fn ingest(args: IngestArgs) -> anyhow::Result<ExitCode> {
    let (opts, inputs) = super::read_setup(args.published, args.inputs);
    let store = args.store.open_shared()?;
    let coder = Arc::new(args.data.coder()?);
    let (stored, alerts, tally) = ingest_into(
        store.as_ref(),
        coder,
        &args.rules.load()?,
        &inputs,
        &opts,
        args.threads.threads,
    )?;
    eprintln!(
        "{}: {stored} new articles, {} events stored or merged, {alerts} alerts, {}, {} failed",
        args.store.describe(),
        tally.events,
        tally.skipped_text(),
        tally.failed
    );
    Ok(tally.exit_code())
}

/// Runs the HTTP server over a store until Ctrl-C.
pub fn run_server(
    store: Arc<dyn Store>,
    coder: Tocsin,
    sig: Signals,
    addr: SocketAddr,
    token: Option<String>,
    webhook: Option<String>,
) -> anyhow::Result<ExitCode> {
    let state =
        AppState::new(store, Arc::new(coder), sig, token).with_webhook(webhook.map(tocsin_signals::Webhook::new));
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(tocsin_serve::serve(state, addr, |bound| {
        println!("tocsin dashboard: http://{bound}/   (API: http://{bound}/openapi.json; Ctrl-C to stop)");
    }))?;
    Ok(ExitCode::SUCCESS)
}

/// `tocsin serve`.
pub fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    super::init_logs(args.log_json);
    run_server(
        args.store.open_shared()?,
        args.data.coder()?,
        args.rules.load()?,
        args.addr,
        args.token,
        args.webhook,
    )
}
