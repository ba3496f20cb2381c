//! `tocsin code` and `tocsin demo`.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tocsin::batch::{self, BatchOptions, Finished};
use tocsin::doc::Event;
use tocsin::ingest::Origin;
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

/// What a batch did, for the summary line and the exit code.
#[derive(Debug, Default)]
pub struct Tally {
    /// Articles coded.
    pub coded: usize,
    /// Events coded (or, for ingest, stored or merged).
    pub events: usize,
    /// Articles skipped as not English, per language.
    pub skipped: std::collections::BTreeMap<String, usize>,
    /// Articles or input lines that failed.
    pub failed: usize,
}

impl Tally {
    /// Articles skipped in all.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }

    /// "2 skipped as not English (fr-Latn 1, ru-Cyrl 1)".
    pub fn skipped_text(&self) -> String {
        let langs: Vec<String> = self.skipped.iter().map(|(l, n)| format!("{l} {n}")).collect();
        if langs.is_empty() {
            "0 skipped as not English".into()
        } else {
            format!("{} skipped as not English ({})", self.skipped_total(), langs.join(", "))
        }
    }

    /// Exit code: 1 when anything failed.
    pub fn exit_code(&self) -> ExitCode {
        if self.failed > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }

    /// Reports one finished item on stderr (failures and skips), counting it.
    pub fn note(&mut self, progress: &mut Progress, origin: Option<&Origin>, how: &Finished) {
        match how {
            Finished::Coded(_) => self.coded += 1,
            Finished::Skipped(c) => {
                let lang = c.skipped.clone().unwrap_or_default();
                let place = origin.map_or_else(String::new, |o| format!("{o}: "));
                progress.say(&format!(
                    "tocsin: {place}article {}: skipped, language {lang} (not English; --any-language codes it)",
                    c.article.id
                ));
                *self.skipped.entry(lang).or_default() += 1;
            }
            Finished::Failed { id, error } => {
                self.failed += 1;
                let place = origin.map_or_else(String::new, |o| format!("{o}: "));
                progress.say(&format!("tocsin: {place}article {id}: {error:#}"));
            }
            Finished::Unreadable(e) => {
                self.failed += 1;
                progress.say(&format!("tocsin: {e}"));
            }
        }
        progress.tick(self);
    }
}

/// An indicatif progress line on stderr for long batches (a terminal only; drawn after a second).
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: bool,
}

impl Progress {
    /// A progress line if stderr is a terminal.
    pub fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {pos} articles ({per_sec}), {msg} [{elapsed}]")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            shown: false,
        }
    }

    /// Prints a line on stderr without tearing the progress line.
    pub fn say(&self, line: &str) {
        match &self.bar {
            Some(b) => b.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Moves the progress line on by one item.
    pub fn tick(&mut self, t: &Tally) {
        let Some(bar) = &self.bar else {
            return;
        };
        if !self.shown && self.started.elapsed() > Duration::from_secs(1) {
            bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(4));
            self.shown = true;
        }
        bar.inc(1);
        bar.set_message(format!(
            "{} events, {} skipped, {} failed",
            t.events,
            t.skipped_total(),
            t.failed
        ));
    }

    /// Removes the progress line.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }

    /// Whether the batch took long enough to be worth a summary on a terminal.
    pub fn shown(&self) -> bool {
        self.shown
    }
}

impl Default for Progress {
    fn default() -> Self {
        Self::new()
    }
}

/// `tocsin code`'s receiver of batch results: events to stdout in input order.
struct CodeSink<W: Write> {
    out: Sink<W>,
    tally: Tally,
    progress: Progress,
}

impl<W: Write> batch::Sink for CodeSink<W> {
    fn events(&mut self, _origin: &Origin, events: Vec<Event>) -> anyhow::Result<()> {
        self.tally.events += events.len();
        self.out.write(events).context("cannot write output")
    }

    fn finished(&mut self, origin: Option<&Origin>, how: Finished) -> anyhow::Result<()> {
        self.tally.note(&mut self.progress, origin, &how);
        Ok(())
    }
}

/// Codes every input on all cores (or `--threads N`), events in input order; a failing input is
/// reported and the rest go on (exit 1 if any failed).
pub fn run(args: CodeArgs) -> anyhow::Result<ExitCode> {
    let (opts, inputs) = super::read_setup(args.published, args.inputs);
    if inputs.iter().any(|i| i == "-") && std::io::stdin().is_terminal() {
        eprintln!("tocsin: no input given (pass files, or pipe text into `tocsin code -`); see `tocsin code --help`");
        return Ok(ExitCode::from(2));
    }
    let coder = args.data.coder()?;
    if args.analysis {
        return analysis(&coder, &inputs, &opts);
    }
    let stdout = std::io::stdout();
    let format = args.format.unwrap_or(if stdout.is_terminal() {
        Format::Table
    } else {
        Format::Jsonl
    });
    let mut sink = CodeSink {
        out: Sink::new(format, std::io::BufWriter::new(stdout.lock()))?,
        tally: Tally::default(),
        progress: Progress::new(),
    };
    let items = super::read_all(&inputs, &opts);
    batch::run(
        Arc::new(coder),
        items,
        BatchOptions::new(args.threads.threads),
        &mut sink,
    )?;
    sink.progress.finish();
    let CodeSink { out, tally, progress } = sink;
    out.finish(std::io::stdout().lock())?;
    if tally.failed > 0 || tally.skipped_total() > 0 || progress.shown() {
        eprintln!(
            "tocsin: {} articles coded ({} events), {}, {} failed",
            tally.coded,
            tally.events,
            tally.skipped_text(),
            tally.failed
        );
    }
    if std::env::var_os("TOCSIN_REPORT_RSS").is_some() {
        if let Some(rss) = super::bench::peak_rss_mb() {
            eprintln!("tocsin: peak RSS {rss:.0} MB");
        }
    }
    Ok(tally.exit_code())
}

/// `--analysis`: each article's sentences as CoNLL-U, one article after the other.
fn analysis(coder: &tocsin::Tocsin, inputs: &[String], opts: &tocsin::ingest::ReadOptions) -> anyhow::Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = 0;
    for item in super::read_all(inputs, opts) {
        match item {
            Ok((origin, a)) => {
                let id = a.id.clone();
                let doc = tocsin::isolate::catch(|| coder.analyze(a))
                    .map_err(anyhow::Error::from)
                    .and_then(|d| d);
                match doc {
                    Ok(doc) => tocsin::output::write_conllu(&mut out, &doc).context("cannot write output")?,
                    Err(e) => {
                        failed += 1;
                        eprintln!("tocsin: {origin}: article {id}: {e:#}");
                    }
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("tocsin: {e}");
            }
        }
    }
    out.flush().context("cannot write output")?;
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
