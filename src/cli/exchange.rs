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

/// `tocsin export`.
pub fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.open()?;
    let events = store.all_events(args.from.as_deref(), args.to.as_deref())?;
    if args.format == ExportFormat::Parquet {
        let path = args.out.as_ref().context("--format parquet needs --out FILE")?;
        let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        tocsin::parquet::write_parquet(&events, std::io::BufWriter::new(file))?;
        eprintln!(
            "exported {} events from {} to {}",
            events.len(),
            args.store.db.display(),
            path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match args.format {
        ExportFormat::Jsonl => {
            for e in &events {
                serde_json::to_writer(&mut out, e)?;
                out.write_all(b"\n")?;
            }
        }
        ExportFormat::Csv => {
            let mut w = csv_writer(&mut out)?;
            write_csv(&mut w, &events.iter().map(|e| e.event.clone()).collect::<Vec<_>>())?;
            w.flush()?;
        }
        ExportFormat::Parquet => unreachable!("handled above"),
        ExportFormat::Gdelt => {
            for e in &events {
                let row = gdelt::to_row(&e.event, (e.num_mentions, e.num_sources, e.num_articles), None);
                writeln!(out, "{}", row.join("\t"))?;
            }
        }
    }
    out.flush()?;
    eprintln!("exported {} events from {}", events.len(), args.store.db.display());
    Ok(ExitCode::SUCCESS)
}

/// `tocsin import gdelt FILE`: rows from the same source URL become one article.
pub fn import(cmd: ImportCommand) -> anyhow::Result<ExitCode> {
    let ImportCommand::Gdelt { file, store } = cmd;
    let db = store.open_shared()?;
    let cameo = tocsin_events::CameoTable::builtin();
    let reader = BufReader::new(std::fs::File::open(&file).with_context(|| format!("cannot open {}", file.display()))?);
    let (mut imported, mut failed) = (0usize, 0usize);
    let mut batch: Vec<tocsin::doc::Event> = Vec::new();
    let mut batch_url = String::new();
    let flush = |url: &str, events: &mut Vec<tocsin::doc::Event>| -> anyhow::Result<usize> {
        if events.is_empty() {
            return Ok(0);
        }
        let mut a = Article::from_text(format!("GDELT source {url} ({} events)", events.len()));
        a.url = Some(url.to_string()).filter(|u| !u.is_empty());
        a.id = format!(
            "gdelt-{}",
            tocsin::doc::content_hash(&format!("{url}|{}", events[0].id))
        );
        for e in events.iter_mut() {
            e.article_id = a.id.clone();
        }
        db.ingest(&a, events)?;
        let n = events.len();
        events.clear();
        Ok(n)
    };
    for (i, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("{}:{}: cannot read", file.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        match gdelt::from_row(&line, &cameo) {
            Ok((url, event)) => {
                if url != batch_url {
                    imported += flush(&batch_url, &mut batch)?;
                    batch_url = url;
                }
                batch.push(event);
            }
            Err(e) => {
                failed += 1;
                eprintln!("tocsin: {}:{}: {e}", file.display(), i + 1);
            }
        }
    }
    imported += flush(&batch_url, &mut batch)?;
    eprintln!(
        "imported {imported} GDELT events into {} ({failed} rows failed)",
        store.describe()
    );
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
