//! `tocsin bench-scale`: throughput of 1 and 2 queue workers (NATS JetStream → PostgreSQL) against
//! the embedded path (SQLite in one process), and submit→queryable latency, in one run.

use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use tocsin::doc::{content_hash, Article};
use tocsin_queue::{Queue, QueueConfig};
use tocsin_store::{PgStore, SqliteStore, Store};

use super::store::store_article;

/// Arguments of `tocsin bench-scale`.
#[derive(Args, Debug)]
pub struct BenchScaleArgs {
    /// NATS server with JetStream.
    #[arg(long, env = "TOCSIN_NATS", value_name = "URL")]
    nats: String,
    /// PostgreSQL server URL; fresh databases `tocsin_bench_*` are created on it.
    #[arg(long, env = "TOCSIN_POSTGRES", value_name = "URL", hide_env_values = true)]
    postgres: String,
    /// Articles per throughput run.
    #[arg(long, default_value_t = 3000)]
    articles: usize,
    /// Articles submitted one at a time for the latency figures.
    #[arg(long, default_value_t = 200)]
    latency_samples: usize,
    /// A PLOVER GSR file whose sentences join the corpus (default: the repo's test fixture, if present).
    #[arg(long)]
    gsr: Option<PathBuf>,
}

/// `n` distinct articles: the seed story and GSR sentences (three to an article), numbered.
fn corpus(args: &BenchScaleArgs, n: usize, tag: &str) -> anyhow::Result<Vec<Article>> {
    let mut texts = vec![tocsin::seed_article()?.text];
    let gsr = args.gsr.clone().unwrap_or_else(|| {
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/PLOVER_GSR_dev.json"
        ))
    });
    if let Ok(json) = std::fs::read_to_string(&gsr) {
        let gold = tocsin::eval::read_gold(&json)?;
        texts.extend(
            gold.chunks(3)
                .map(|c| c.iter().map(|g| g.text.as_str()).collect::<Vec<_>>().join(" ")),
        );
    }
    Ok((0..n)
        .map(|i| {
            let mut a = Article::from_text(format!("{} (Report {tag}-{i}.)", texts[i % texts.len()]));
            a.id = format!("{tag}-{i}");
            a.published = chrono::NaiveDate::from_ymd_opt(2023, 9, 30);
            a.source = Some(format!("outlet{}", i % 7));
            a
        })
        .collect())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms_stats(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    (percentile(&v, 0.5), percentile(&v, 0.99))
}

/// Worker processes, killed on drop.
struct Workers(Vec<Child>);

impl Drop for Workers {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn spawn_workers(k: usize, nats: &str, stream: &str, pg: &str) -> anyhow::Result<Workers> {
    let exe = std::env::current_exe()?;
    let mut out = Workers(Vec::new());
    for _ in 0..k {
        out.0.push(
            Command::new(&exe)
                .args(["worker", "--nats", nats, "--stream", stream, "--postgres", pg])
                .env("RUST_LOG", "warn")
                .stdout(Stdio::null())
                .spawn()
                .context("starting a worker")?,
        );
    }
    Ok(out)
}

fn wait_for(store: &PgStore, articles: u64, limit: Duration) -> anyhow::Result<()> {
    let start = Instant::now();
    while store.counts()?.0 < articles {
        anyhow::ensure!(
            start.elapsed() < limit,
            "workers did not store {articles} articles in {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(())
}

fn payloads(articles: &[Article]) -> anyhow::Result<Vec<(String, bytes::Bytes)>> {
    articles
        .iter()
        .map(|a| Ok((content_hash(&a.text), serde_json::to_vec(a)?.into())))
        .collect()
}

/// Runs the benchmark and prints the table.
pub fn run(args: BenchScaleArgs) -> anyhow::Result<ExitCode> {
    let pid = std::process::id();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let n = args.articles;
    println!("corpus: {n} articles per run (seed story and PLOVER GSR sentences, numbered)");
    println!(
        "{:<22} {:>12} {:>10} {:>14} {:>14}",
        "path", "articles/s", "seconds", "latency p50", "latency p99"
    );

    // Embedded: code + store in this process, one article after another.
    let dir = tempfile::tempdir()?;
    let sqlite = SqliteStore::open(&dir.path().join("bench.db"))?;
    let coder = tocsin::Tocsin::builtin()?;
    let sig = tocsin_signals::Signals::builtin();
    let mut per = Vec::with_capacity(n);
    let t0 = Instant::now();
    for a in corpus(&args, n, "emb")? {
        let t = Instant::now();
        store_article(&sqlite, &coder, &sig, &a)?;
        per.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let embedded = n as f64 / t0.elapsed().as_secs_f64();
    let (p50, p99) = ms_stats(per);
    println!(
        "{:<22} {:>12.0} {:>10.2} {:>11.2} ms {:>11.2} ms",
        "embedded (SQLite)",
        embedded,
        n as f64 / embedded,
        p50,
        p99
    );

    let mut rates = Vec::new();
    for k in [1usize, 2] {
        let tag = format!("w{k}p{pid}");
        let db = PgStore::create_database(&args.postgres, &format!("tocsin_bench_{tag}"))?;
        let store = PgStore::connect(&db)?;
        let mut cfg = QueueConfig::new(&args.nats);
        cfg.stream = format!("BENCH{}", tag.to_uppercase());
        let q = rt.block_on(Queue::connect(cfg.clone()))?;
        let _workers = spawn_workers(k, &args.nats, &cfg.stream, &db)?;
        std::thread::sleep(Duration::from_millis(1500)); // let the workers load their models
        let items = payloads(&corpus(&args, n, &tag)?)?;
        let t0 = Instant::now();
        rt.block_on(q.publish_all(items))?;
        wait_for(&store, n as u64, Duration::from_secs(600))?;
        let secs = t0.elapsed().as_secs_f64();
        rates.push(n as f64 / secs);

        // Latency: one article at a time into the idle queue, until it is queryable.
        let mut lat = Vec::new();
        for (i, item) in payloads(&corpus(&args, args.latency_samples, &format!("lat{tag}"))?)?
            .into_iter()
            .enumerate()
        {
            let t = Instant::now();
            rt.block_on(q.publish_all(vec![item]))?;
            wait_for(&store, (n + i + 1) as u64, Duration::from_secs(60))?;
            lat.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let (p50, p99) = ms_stats(lat);
        println!(
            "{:<22} {:>12.0} {:>10.2} {:>11.2} ms {:>11.2} ms",
            format!("{k} worker{} (NATS+PG)", if k > 1 { "s" } else { "" }),
            n as f64 / secs,
            secs,
            p50,
            p99
        );
    }
    println!("speed-up (2 workers / 1 worker): {:.2}x", rates[1] / rates[0]);
    Ok(ExitCode::SUCCESS)
}
