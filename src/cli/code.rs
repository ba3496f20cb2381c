//! `tocsin code` and `tocsin demo`.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use tocsin::doc::Event;
use tocsin::ingest::read_input;
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
    let (opts, inputs) = super::read_setup(args.published.as_deref(), args.inputs)?;
    let coder = args.data.coder()?;
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
                    if args.analysis {
                        let shown = coder.analyze(a).and_then(|doc| {
                            tocsin::output::write_conllu(std::io::stdout().lock(), &doc).context("cannot write output")
                        });
                        if let Err(e) = shown {
                            failed += 1;
                            eprintln!("tocsin: {input}: article {id}: {e:#}");
                        }
                        continue;
                    }
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

/// Arguments of `tocsin demo`.
#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// Output format of the printed events.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Store file to create afresh (default: tocsin-demo.db in the temporary directory).
    #[arg(long, value_name = "FILE")]
    db: Option<std::path::PathBuf>,
    /// Where the dashboard listens.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Print the events and fill the store, but do not start the server.
    #[arg(long)]
    no_serve: bool,
}

/// Codes the bundled seed story, stores it in a fresh store and serves the dashboard.
pub fn demo(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let coder = tocsin::Tocsin::builtin()?;
    let article = tocsin::seed_article()?;
    if args.format == Format::Table {
        eprintln!(
            "Coding the bundled seed story \"{}\" (published {}):",
            article.id,
            article.published.map(|d| d.to_string()).unwrap_or_default()
        );
    }
    let events = coder.code(article.clone())?;
    let stdout = std::io::stdout();
    let mut sink = Sink::new(args.format, stdout.lock())?;
    sink.write(events.clone())?;
    sink.finish(std::io::stdout().lock())?;

    let db = args.db.unwrap_or_else(|| std::env::temp_dir().join("tocsin-demo.db"));
    for suffix in ["", "-wal", "-shm"] {
        let p = std::path::PathBuf::from(format!("{}{suffix}", db.display()));
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("cannot replace {}", p.display()))?;
        }
    }
    let store = super::store::open_store(&db)?;
    let signals = tocsin_signals::Signals::builtin();
    use tocsin_store::Store as _;
    store.ingest(&article, &events)?;
    let alerts = signals.after_ingest(&store, &events)?;
    eprintln!(
        "Stored {} events and {} alerts in {}",
        events.len(),
        alerts.len(),
        db.display()
    );
    if args.no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    super::store::run_server(std::sync::Arc::new(store), coder, signals, args.addr, None, None)
}
