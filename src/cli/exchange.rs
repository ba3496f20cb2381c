//! `tocsin export` and `tocsin import gdelt`.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use tocsin::doc::Article;
use tocsin::gdelt;
use tocsin::output::{csv_writer, write_csv};

use super::store::StoreArgs;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Event records with num_mentions/num_sources/num_articles.
    Jsonl,
    /// The flattened CSV of `tocsin code --format csv`.
    Csv,
    /// GDELT 2.0 event table (61 tab-separated columns, no header).
    Gdelt,
    /// Apache Parquet (one row per event; needs --out).
    Parquet,
}

/// Arguments of `tocsin export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: ExportFormat,
    /// First date (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Last date (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
    /// Output file (default: standard output; required for parquet).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
}

/// What `tocsin import` reads.
#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// A GDELT 2.0 events export (tab-separated, 61 columns).
    Gdelt {
        /// The export file.
        file: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// `tocsin export`: streams the store's events (SQLite or PostgreSQL) in date order.
pub fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.open_shared()?;
    let (from, to) = (args.from.as_deref(), args.to.as_deref());
    if args.format == ExportFormat::Parquet {
        let Some(path) = args.out.as_ref() else {
            return Err(super::usage("--format parquet needs --out FILE"));
        };
        let events = store.all_events(from, to)?;
        let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        tocsin::parquet::write_parquet(&events, std::io::BufWriter::new(file))?;
        eprintln!(
            "exported {} events from {} to {}",
            events.len(),
            args.store.describe(),
            path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    enum Sink {
        Csv(Box<csv::Writer<Box<dyn Write>>>),
        Raw(Box<dyn Write>),
    }
    let mut sink = match args.format {
        ExportFormat::Csv => Sink::Csv(Box::new(csv_writer(out)?)),
        _ => Sink::Raw(out),
    };
    // Written row by row as the store streams them; the first write error (a closed pipe) stops it.
    let mut written = 0usize;
    let mut failed: Option<anyhow::Error> = None;
    store.each_event(from, to, &mut |e| {
        let wrote: anyhow::Result<()> = match &mut sink {
            Sink::Csv(w) => write_csv(w, std::slice::from_ref(&e.event)).map_err(Into::into),
            Sink::Raw(out) if args.format == ExportFormat::Gdelt => {
                let row = gdelt::to_row(&e.event, (e.num_mentions, e.num_sources, e.num_articles), None);
                writeln!(out, "{}", row.join("\t")).map_err(Into::into)
            }
            Sink::Raw(out) => serde_json::to_writer(&mut *out, &e)
                .map_err(anyhow::Error::from)
                .and_then(|()| out.write_all(b"\n").map_err(Into::into)),
        };
        match wrote {
            Ok(()) => {
                written += 1;
                true
            }
            Err(e) => {
                failed = Some(e);
                false
            }
        }
    })?;
    if let Some(e) = failed {
        return Err(e.context("cannot write the export"));
    }
    match &mut sink {
        Sink::Csv(w) => w.flush(),
        Sink::Raw(out) => out.flush(),
    }
    .context("cannot write the export")?;
    eprintln!("exported {written} events from {}", args.store.describe());
    Ok(ExitCode::SUCCESS)
}

/// Source articles per store transaction when importing.
const IMPORT_BATCH: usize = 256;

/// `tocsin import gdelt FILE`: the rows of each source URL become one article (GDELT files are not
/// sorted by URL, so rows are grouped over the whole file: an export file is a 15-minute or daily
/// update); articles are stored in batches (one transaction each on SQLite).
pub fn import(cmd: ImportCommand) -> anyhow::Result<ExitCode> {
    let ImportCommand::Gdelt { file, store } = cmd;
    let db = store.open_shared()?;
    let cameo = tocsin_events::CameoTable::complete();
    let reader = BufReader::new(std::fs::File::open(&file).with_context(|| format!("cannot open {}", file.display()))?);
    let started = std::time::Instant::now();
    let (mut rows, mut failed) = (0usize, 0usize);
    let mut by_url: Vec<(String, Vec<tocsin::doc::Event>)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, line) in reader.split(b'\n').enumerate() {
        let line = line.with_context(|| format!("{}:{}: cannot read", file.display(), i + 1))?;
        let line = String::from_utf8_lossy(&line);
        if line.trim().is_empty() {
            continue;
        }
        rows += 1;
        match gdelt::from_row(line.trim_end_matches('\r'), &cameo) {
            Ok((url, event)) => {
                let k = *index.entry(url.clone()).or_insert_with(|| {
                    by_url.push((url, Vec::new()));
                    by_url.len() - 1
                });
                by_url[k].1.push(event);
            }
            Err(e) => {
                failed += 1;
                eprintln!("tocsin: {}:{}: {e}", file.display(), i + 1);
            }
        }
    }
    let articles: Vec<(Article, Vec<tocsin::doc::Event>)> = by_url
        .into_iter()
        .filter_map(|(url, events)| source_article(&url, events))
        .collect();
    let (mut stored, mut refused) = (0usize, 0usize);
    for chunk in articles.chunks(IMPORT_BATCH) {
        let batch: Vec<(&Article, &[tocsin::doc::Event])> = chunk.iter().map(|(a, e)| (a, e.as_slice())).collect();
        for ((a, events), r) in chunk.iter().zip(db.ingest_batch(&batch)?) {
            match r {
                Ok(o) if o.new_article => stored += events.len(),
                Ok(_) => {}
                Err(e) => {
                    refused += events.len();
                    eprintln!(
                        "tocsin: {}: source {}: {e}",
                        file.display(),
                        a.url.as_deref().unwrap_or("-")
                    );
                }
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "imported {stored} of {rows} GDELT rows into {} in {secs:.2} s ({:.0} rows/s); {failed} rows unreadable, {refused} refused by the store, {} already there",
        store.describe(),
        rows as f64 / secs.max(1e-9),
        rows - stored - failed - refused
    );
    Ok(if failed + refused > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The article standing for one source URL's GDELT events (none for no events). Its text names the
/// first event, so a later update with new events from the same URL is a new article, while
/// importing the same file again changes nothing.
fn source_article(url: &str, mut events: Vec<tocsin::doc::Event>) -> Option<(Article, Vec<tocsin::doc::Event>)> {
    let first = events.first()?.id.clone();
    let mut a = Article::from_text(format!("GDELT source {url} ({} events from {first})", events.len()));
    a.url = Some(url.to_string()).filter(|u| !u.is_empty());
    a.id = format!("gdelt-{}", tocsin::doc::content_hash(&format!("{url}|{first}")));
    for e in events.iter_mut() {
        e.article_id = a.id.clone();
    }
    Some((a, events))
}
