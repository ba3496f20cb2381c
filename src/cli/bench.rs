//! `tocsin bench`: throughput single-threaded vs all cores, and peak memory.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use tocsin::doc::Article;
use tocsin::Tocsin;

/// Arguments of `tocsin bench`.
#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Corpus size in MB (the seed story and the GSR sentences, repeated).
    #[arg(long, default_value_t = 20)]
    mb: usize,
    /// A PLOVER GSR file whose sentences join the corpus (default: the repo's test fixture, if present).
    #[arg(long)]
    gsr: Option<PathBuf>,
    /// Worker threads for the parallel run (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Leave out the `parse` stage (roles from clause positions only).
    #[arg(long)]
    no_parse: bool,
}

/// Peak resident set size of this process in MB (Linux), if known.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn corpus(args: &BenchArgs) -> anyhow::Result<Vec<Article>> {
    let mut base: Vec<Article> = vec![tocsin::seed_article()?];
    let gsr = args.gsr.clone().unwrap_or_else(|| {
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/PLOVER_GSR_dev.json"
        ))
    });
    if let Ok(json) = std::fs::read_to_string(&gsr) {
        for g in tocsin::eval::read_gold(&json)? {
            let mut a = Article::from_text(g.text);
            a.published = g.date;
            base.push(a);
        }
    }
    let target = args.mb * 1_000_000;
    let mut out = Vec::new();
    let mut bytes = 0;
    let mut round = 0;
    while bytes < target {
        for a in &base {
            let mut a = a.clone();
            a.id = format!("{}-{round}", a.id);
            bytes += a.text.len();
            out.push(a);
        }
        round += 1;
    }
    Ok(out)
}

/// Runs the benchmark and prints a table of the two runs and their ratio.
pub fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let coder = Tocsin::new(&tocsin::TocsinOptions {
        no_parse: args.no_parse,
        ..Default::default()
    })?;
    let articles = corpus(&args)?;
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    println!(
        "corpus: {} articles, {:.1} MB (seed story + GSR sentences, repeated)",
        articles.len(),
        bytes as f64 / 1e6
    );
    let style = ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} articles")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    let bar = |msg: &'static str| {
        ProgressBar::new(articles.len() as u64)
            .with_style(style.clone())
            .with_message(msg)
    };

    let pb = bar("1 thread");
    let t0 = Instant::now();
    let mut events_single = 0;
    for a in &articles {
        events_single += coder.code(a.clone())?.len();
        pb.inc(1);
    }
    let single = t0.elapsed().as_secs_f64();
    pb.finish_and_clear();

    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    let pb = bar("all threads");
    let t0 = Instant::now();
    let events_multi: usize = pool.install(|| {
        articles
            .par_iter()
            .map(|a| {
                pb.inc(1);
                coder.code(a.clone()).map(|e| e.len()).unwrap_or(0)
            })
            .sum()
    });
    let multi = t0.elapsed().as_secs_f64();
    pb.finish_and_clear();

    let mb = bytes as f64 / 1e6;
    let n = articles.len() as f64;
    println!(
        "{:<14} {:>12} {:>10} {:>10} {:>9}",
        "run", "articles/s", "MB/s", "seconds", "events"
    );
    println!(
        "{:<14} {:>12.0} {:>10.2} {:>10.2} {:>9}",
        "1 thread",
        n / single,
        mb / single,
        single,
        events_single
    );
    println!(
        "{:<14} {:>12.0} {:>10.2} {:>10.2} {:>9}",
        format!("{threads} threads"),
        n / multi,
        mb / multi,
        multi,
        events_multi
    );
    println!("speed-up (all threads / 1 thread): {:.2}x", single / multi);
    if let Some(rss) = peak_rss_mb() {
        println!("peak RSS: {rss:.0} MB");
    }
    Ok(ExitCode::SUCCESS)
}
