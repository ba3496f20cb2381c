//! `tocsin watch`: polls RSS/Atom feeds (conditional GET, per-host politeness, limits), fetches each new
//! item's page, and watches a folder for new .txt/.json/.jsonl/.html files; codes and stores everything.
//! Errors are reported with the URL or file and never stop the watcher.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;
use clap::Args;
use tocsin::doc::Article;
use tocsin::ingest::{extract_html, fetch, parse_feed, read_input, FetchConfig, Fetched, ReadOptions, Validators};
use tocsin::Tocsin;
use tocsin_signals::Signals;
use tocsin_store::Store;

use super::queue::Publisher;
use super::store::{store_article, RulesArgs, StoreArgs};
use super::DataArgs;

/// Arguments of `tocsin watch`.
#[derive(Args, Debug)]
pub struct WatchArgs {
    /// File with one feed URL per line (`#` comments).
    #[arg(long, value_name = "FILE")]
    feeds: Option<PathBuf>,
    /// Folder to watch for new .txt/.json/.jsonl/.html files.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Seconds between polling rounds.
    #[arg(long, default_value_t = 300)]
    interval: u64,
    /// Run one round and exit (exit 1 if anything failed).
    #[arg(long)]
    once: bool,
    /// Minimum milliseconds between two requests to the same host.
    #[arg(long, default_value_t = 1000)]
    politeness_ms: u64,
    /// Per-request timeout in seconds.
    #[arg(long, default_value_t = 20)]
    timeout: u64,
    /// Largest response body accepted, in bytes.
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    max_bytes: u64,
    /// Publish new articles to this NATS JetStream work queue for `tocsin worker`s instead of storing them.
    #[arg(long, env = "TOCSIN_NATS", value_name = "URL")]
    nats: Option<String>,
    /// JetStream stream name (with --nats).
    #[arg(long, default_value = "TOCSIN", value_name = "NAME")]
    stream: String,
    #[command(flatten)]
    rules: RulesArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    data: DataArgs,
}

#[derive(Default)]
struct Round {
    feeds_ok: usize,
    items: usize,
    articles: usize,
    events: usize,
    alerts: usize,
    errors: usize,
}

struct Watcher {
    cfg: FetchConfig,
    politeness: Duration,
    validators: HashMap<String, Validators>,
    seen_items: HashSet<String>,
    seen_files: HashMap<PathBuf, (SystemTime, u64)>,
    last_hit: HashMap<String, Instant>,
    sink: Sink,
}

/// Where new articles go.
enum Sink {
    /// Coded and stored here.
    Store {
        store: std::sync::Arc<dyn Store>,
        coder: Tocsin,
        signals: Signals,
    },
    /// Published to the work queue.
    Queue(Box<Publisher>),
}

fn host(url: &str) -> String {
    url.split("://")
        .nth(1)
        .unwrap_or(url)
        .split('/')
        .next()
        .unwrap_or("")
        .to_string()
}

impl Watcher {
    fn polite(&mut self, url: &str) {
        let h = host(url);
        if let Some(t) = self.last_hit.get(&h) {
            let wait = self.politeness.saturating_sub(t.elapsed());
            if !wait.is_zero() {
                std::thread::sleep(wait);
            }
        }
        self.last_hit.insert(h, Instant::now());
    }

    fn report(&self, r: &mut Round, what: &str, e: impl std::fmt::Display) {
        r.errors += 1;
        eprintln!("tocsin watch: {what}: {e}");
    }

    fn store(&mut self, r: &mut Round, a: &Article) {
        let done = match &self.sink {
            Sink::Store { store, coder, signals } => store_article(store.as_ref(), coder, signals, a),
            Sink::Queue(p) => p.publish(std::slice::from_ref(a)).map(|dup| (dup == 0, 0, 0)),
        };
        match done {
            Ok((new, events, alerts)) => {
                r.articles += usize::from(new);
                r.events += events;
                r.alerts += alerts;
            }
            Err(e) => self.report(r, &a.id, format!("{e:#}")),
        }
    }

    fn poll_feed(&mut self, r: &mut Round, url: &str) {
        self.polite(url);
        let v = self.validators.get(url).cloned().unwrap_or_default();
        let xml = match fetch(&self.cfg, url, &v) {
            Ok(Fetched::NotModified) => {
                r.feeds_ok += 1;
                return;
            }
            Ok(Fetched::Body { text, validators, .. }) => {
                self.validators.insert(url.to_string(), validators);
                text
            }
            Err(e) => return self.report(r, "feed", e),
        };
        let items = match parse_feed(&xml) {
            Ok(i) => i,
            Err(e) => return self.report(r, url, e),
        };
        r.feeds_ok += 1;
        for item in items {
            if !self.seen_items.insert(item.id.clone()) {
                continue;
            }
            r.items += 1;
            let page = item.link.as_deref().map(|link| {
                self.polite(link);
                fetch(&self.cfg, link, &Validators::default())
            });
            let (text, page_meta, final_url) = match page {
                Some(Ok(Fetched::Body { text, url, .. })) => {
                    let p = extract_html(&text);
                    (p.text.clone(), Some(p), Some(url))
                }
                Some(Ok(Fetched::NotModified)) => continue,
                Some(Err(e)) => {
                    self.report(r, "item page", &e);
                    (item.summary.clone().unwrap_or_default(), None, item.link.clone())
                }
                None => (item.summary.clone().unwrap_or_default(), None, None),
            };
            if text.trim().is_empty() {
                self.report(r, &item.id, "no text (page unavailable and no summary)");
                continue;
            }
            let mut a = Article::from_text(text);
            a.id = item.id.clone();
            a.title = item
                .title
                .clone()
                .or_else(|| page_meta.as_ref().and_then(|p| p.title.clone()));
            a.published = item.published.or_else(|| page_meta.as_ref().and_then(|p| p.published));
            a.url = page_meta.as_ref().and_then(|p| p.url.clone()).or(final_url);
            a.source = Some(host(url));
            self.store(r, &a);
        }
    }

    fn scan_dir(&mut self, r: &mut Round, dir: &PathBuf) {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => return self.report(r, &dir.display().to_string(), e),
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        paths.sort();
        for p in paths {
            let ext = p
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            if !matches!(ext.as_str(), "txt" | "json" | "jsonl" | "html" | "htm") {
                continue;
            }
            let stamp = std::fs::metadata(&p)
                .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()))
                .unwrap_or((SystemTime::UNIX_EPOCH, 0));
            if self.seen_files.get(&p) == Some(&stamp) {
                continue;
            }
            self.seen_files.insert(p.clone(), stamp);
            for article in read_input(&p.display().to_string(), &ReadOptions::default()) {
                match article {
                    Ok(a) => self.store(r, &a),
                    Err(e) => self.report(r, "file", e),
                }
            }
        }
    }
}

/// Reads the feed list.
fn feed_urls(path: &PathBuf) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut urls = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.split('#').next().unwrap_or("").trim();
        if l.is_empty() {
            continue;
        }
        if !(l.starts_with("http://") || l.starts_with("https://")) {
            anyhow::bail!("{}:{}: {l:?} is not an http(s) URL", path.display(), i + 1);
        }
        urls.push(l.to_string());
    }
    Ok(urls)
}

/// `tocsin watch`.
pub fn run(args: WatchArgs) -> anyhow::Result<ExitCode> {
    if args.feeds.is_none() && args.dir.is_none() {
        eprintln!("tocsin watch: nothing to watch: give --feeds FILE and/or --dir DIR");
        return Ok(ExitCode::from(2));
    }
    let feeds = args.feeds.as_ref().map(feed_urls).transpose()?.unwrap_or_default();
    let mut w = Watcher {
        cfg: FetchConfig {
            timeout: Duration::from_secs(args.timeout),
            max_bytes: args.max_bytes,
            ..FetchConfig::default()
        },
        politeness: Duration::from_millis(args.politeness_ms),
        validators: HashMap::new(),
        seen_items: HashSet::new(),
        seen_files: HashMap::new(),
        last_hit: HashMap::new(),
        sink: match &args.nats {
            Some(url) => Sink::Queue(Box::new(Publisher::connect(url, &args.stream)?)),
            None => Sink::Store {
                store: args.store.open_shared()?,
                coder: args.data.coder()?,
                signals: args.rules.load()?,
            },
        },
    };
    let mut round_no = 0;
    loop {
        round_no += 1;
        let mut r = Round::default();
        for url in &feeds {
            w.poll_feed(&mut r, url);
        }
        if let Some(dir) = &args.dir {
            w.scan_dir(&mut r, dir);
        }
        eprintln!(
            "round {round_no}: feeds {}/{} ok, {} new items, {} articles {}, {} events, {} alerts, {} errors",
            r.feeds_ok,
            feeds.len(),
            r.items,
            r.articles,
            if args.nats.is_some() { "queued" } else { "stored" },
            r.events,
            r.alerts,
            r.errors
        );
        if args.once {
            return Ok(if r.errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            });
        }
        std::thread::sleep(Duration::from_secs(args.interval));
    }
}
