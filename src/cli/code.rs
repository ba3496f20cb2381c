//! `tocsin code` and `tocsin demo`.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use tocsin::doc::{Article, Event};
use tocsin::ingest::{read_bytes, read_input, Format as InputFormat, ReadOptions};
use tocsin::output::{csv_writer, table, write_csv, write_jsonl, Format};

use super::CodeArgs;

enum Sink<W: Write> {
    Jsonl(W),
    Csv(Box<csv::Writer<W>>),
    Table(Vec<Event>),
}

impl<W: Write> Sink<W> {
    fn new(format: Format, out: W) -> anyhow::Result<Self> {
        Ok(match format {
            Format::Jsonl => Sink::Jsonl(out),
            Format::Csv => Sink::Csv(Box::new(csv_writer(out)?)),
            Format::Table => Sink::Table(Vec::new()),
        })
    }

    fn write(&mut self, events: Vec<Event>) -> anyhow::Result<()> {
        match self {
            Sink::Jsonl(w) => write_jsonl(w, &events)?,
            Sink::Csv(w) => write_csv(w, &events)?,
            Sink::Table(all) => all.extend(events),
        }
        Ok(())
    }

    fn finish(self, mut out: impl Write) -> anyhow::Result<()> {
        match self {
            Sink::Jsonl(mut w) => w.flush()?,
            Sink::Csv(mut w) => w.flush()?,
            Sink::Table(all) => writeln!(out, "{}\n{} events", table(&all), all.len())?,
        }
        Ok(())
    }
}

/// Codes every input; a failing input is reported and the rest go on (exit 1 if any failed).
pub fn run(args: CodeArgs) -> anyhow::Result<ExitCode> {
    let published = args
        .published
        .as_deref()
        .map(|d| Article::parse_date(d).map_err(|e| anyhow::anyhow!("--published: {e}")))
        .transpose()?;
    let coder = args.data.coder()?;
    let opts = ReadOptions {
        published,
        stdin_format: None,
    };
    let inputs = if args.inputs.is_empty() {
        vec!["-".to_string()]
    } else {
        args.inputs
    };
    if inputs.iter().any(|i| i == "-") && std::io::stdin().is_terminal() {
        eprintln!("tocsin: no input given (pass files, or pipe text into `tocsin code -`); see `tocsin code --help`");
        return Ok(ExitCode::from(2));
    }
    let stdout = std::io::stdout();
    let format = args.format.unwrap_or(if stdout.is_terminal() {
        Format::Table
    } else {
        Format::Jsonl
    });
    let mut sink = Sink::new(format, stdout.lock())?;
    let mut failed = 0;
    for input in &inputs {
        for article in read_input(input, &opts) {
            match article {
                Ok(a) => {
                    let id = a.id.clone();
                    match coder.code_with(a, |events| sink.write(events).context("cannot write output")) {
                        Ok(()) => {}
                        Err(e) => {
                            failed += 1;
                            eprintln!("tocsin: {input}: article {id}: {e:#}");
                        }
                    }
                }
                Err(e) => {
                    failed += 1;
                    eprintln!("tocsin: {e}");
                }
            }
        }
    }
    sink.finish(std::io::stdout().lock())?;
    if std::env::var_os("TOCSIN_REPORT_RSS").is_some() {
        if let Some(rss) = super::bench::peak_rss_mb() {
            eprintln!("tocsin: peak RSS {rss:.0} MB");
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Codes the bundled seed story.
pub fn demo(format: Format) -> anyhow::Result<ExitCode> {
    let coder = tocsin::Tocsin::builtin()?;
    let articles = read_bytes(
        "seed",
        tocsin::SEED_ARTICLE_JSON.as_bytes(),
        Some(InputFormat::Json),
        &ReadOptions::default(),
    );
    let stdout = std::io::stdout();
    let mut sink = Sink::new(format, stdout.lock())?;
    for a in articles {
        let a = a.map_err(|e| anyhow::anyhow!("{e}"))?;
        if format == Format::Table {
            eprintln!(
                "Coding the bundled seed story \"{}\" (published {}):",
                a.id,
                a.published.map(|d| d.to_string()).unwrap_or_default()
            );
        }
        sink.write(coder.code(a)?)?;
    }
    sink.finish(std::io::stdout().lock())?;
    Ok(ExitCode::SUCCESS)
}
