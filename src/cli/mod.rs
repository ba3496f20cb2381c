//! The subcommands: `code`, `demo`, `ingest`, `watch`, `submit`, `worker`, `queue-status`, `serve`,
//! `backtest`, `export`, `bench-scale`, `bench-nlp`, `train`, `import`, `bench`, `eval` (one module
//! each, or a few per module; clap derives the parser from [`Cli`]).

mod backtest;
mod bench;
mod bench_scale;
mod code;
mod events;
mod exchange;
mod nlp;
mod queue;
mod store;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use tocsin::output::Format;
use tocsin::{Tocsin, TocsinOptions};

/// tocsin — open, offline crisis early warning: news articles in, PLOVER/CAMEO events out.
#[derive(Parser, Debug)]
#[command(name = "tocsin", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Code articles (.txt, .json, .jsonl, .html, or - for stdin) into events.
    Code(CodeArgs),
    /// Code the bundled seed story into a fresh store, print its events and serve the dashboard.
    Demo(code::DemoArgs),
    /// Code articles and store them (SQLite), raising alerts.
    Ingest(store::IngestArgs),
    /// Poll RSS/Atom feeds and watch a folder; code and store what arrives.
    Watch(watch::WatchArgs),
    /// Publish articles to the NATS JetStream work queue for `tocsin worker`s.
    Submit(queue::SubmitArgs),
    /// Pull queued articles, code them and store them in PostgreSQL (run one per core or machine).
    Worker(queue::WorkerArgs),
    /// Print the work queue's counts (pending, unacked, redelivered, dead-lettered) as JSON.
    QueueStatus(queue::StatusArgs),
    /// Serve the HTTP API and the dashboard over a store.
    Serve(store::ServeArgs),
    /// Replay the alert rules over a store and score them against known crisis onsets.
    Backtest(backtest::BacktestArgs),
    /// Export stored events as JSON Lines, CSV or GDELT 2.0 TSV.
    Export(exchange::ExportArgs),
    /// Throughput of 1 and 2 queue workers (NATS + PostgreSQL) vs the embedded path, and latency.
    BenchScale(bench_scale::BenchScaleArgs),
    /// Time split + tag + parse + NER on a raw text file (one thread).
    BenchNlp(nlp::BenchNlpArgs),
    /// Train NLP models from annotated corpora.
    Train {
        #[command(subcommand)]
        what: nlp::TrainCommand,
    },
    /// Import events from other systems.
    Import {
        #[command(subcommand)]
        what: exchange::ImportCommand,
    },
    /// Measure coding throughput and memory on a synthetic corpus.
    Bench(bench::BenchArgs),
    /// Score the coder against gold data.
    Eval {
        #[command(subcommand)]
        what: EvalCommand,
    },
}

#[derive(Subcommand, Debug)]
enum EvalCommand {
    /// Score against a PLOVER gold-standard file (PLOVER_GSR_dev.json format).
    Plover {
        /// The GSR JSON file.
        file: PathBuf,
        /// Also list every record without a type + source + target match, with what was coded.
        #[arg(long)]
        misses: bool,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Score against tocsin's own gold corpus (data/gold/*.jsonl), one split at a time.
    Gold(GoldArgs),
    /// Score the tagger, lemmatizer and parser on a CoNLL-U file (gold tokenization).
    Nlp(nlp::EvalNlpArgs),
    /// Score the named-entity recogniser on an IOB2 file (exact spans).
    Ner(nlp::EvalNerArgs),
    /// Score tokenization and sentence splitting against a CoNLL-U file's raw text.
    Text(nlp::EvalTextArgs),
    /// Score entity recognition (PER/ORG/GPE/NORP) on the gold actor spans (data/gold/ner_spans.jsonl).
    NerActors(NerActorsArgs),
}

/// Arguments of `tocsin eval ner-actors`.
#[derive(Args, Debug)]
pub struct NerActorsArgs {
    /// The labels file (data/gold/ner_spans.jsonl); the items' texts are read from the gold files beside it.
    file: PathBuf,
    /// Which split to score: test or dev.
    #[arg(long, default_value = "test")]
    split: String,
    /// Print the counts as JSON.
    #[arg(long)]
    json: bool,
    /// Also list the gold entities no prediction of their label overlaps (dev only).
    #[arg(long)]
    misses: bool,
    #[command(flatten)]
    data: DataArgs,
}

/// Arguments of `tocsin eval gold`.
#[derive(Args, Debug)]
pub struct GoldArgs {
    /// Gold files (summaries.jsonl, articles.jsonl, gigaword.jsonl); each is scored on its own.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Which split to score: test (the figures to report), dev (for error analysis), train, or all.
    #[arg(long, default_value = "test", value_parser = ["test", "dev", "train", "all"])]
    pub split: String,
    /// List every unit where the coding differs from gold (dev and train only: the test split stays unread).
    #[arg(long)]
    pub misses: bool,
    /// Print the headline figures as one JSON object per file instead of the report.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Where the coder's data comes from.
#[derive(Args, Debug, Clone, Default)]
pub struct DataArgs {
    /// Directory of knowledge-base TSV files overriding the built-in ones.
    #[arg(long, value_name = "DIR")]
    kb: Option<PathBuf>,
    /// Event lexicon file (events.tsv format) replacing the built-in one.
    #[arg(long, value_name = "FILE")]
    lexicon: Option<PathBuf>,
    /// Extra gazetteer rows (places.tsv format).
    #[arg(long, value_name = "FILE")]
    places: Option<PathBuf>,
    /// Use a trained tagger model (e.g. models/tagger.bin) for POS and lemmas (experimental).
    #[arg(long, value_name = "FILE")]
    tagger: Option<PathBuf>,
    /// PETRARCH/TABARI actor and agent dictionaries (*.actors.txt, *.agents.txt) replacing the built-in
    /// Phoenix actor dictionaries.
    #[arg(long, value_name = "DIR", conflicts_with = "no_dictionaries")]
    dictionaries: Option<PathBuf>,
    /// Use the knowledge base alone, without actor dictionaries (faster start, fewer actors).
    #[arg(long)]
    no_dictionaries: bool,
    /// Tagger and parser models (tagger.bin, parser.bin) replacing the built-in ones of the parse stage.
    #[arg(long, value_name = "DIR", conflicts_with = "no_parse")]
    models: Option<PathBuf>,
    /// Skip the dependency parse: roles from clause positions only (about 10x faster coding, lower accuracy).
    #[arg(long)]
    no_parse: bool,
    /// A trained event model (`tocsin train events`) replacing the built-in models/events.bin.
    #[arg(long, value_name = "FILE", conflicts_with = "rules")]
    event_model: Option<PathBuf>,
    /// Code with the lexicon's rules alone, without the trained event model.
    #[arg(long)]
    rules: bool,
    /// Code articles in any language (by default an article that is not English is skipped and
    /// reported with its language: the lexicon and knowledge base are English).
    #[arg(long)]
    any_language: bool,
}

impl DataArgs {
    /// The options these arguments stand for.
    pub fn options(&self) -> TocsinOptions {
        TocsinOptions {
            kb_dir: self.kb.clone(),
            lexicon: self.lexicon.clone(),
            places: self.places.clone(),
            tagger: self.tagger.clone(),
            dictionaries: self.dictionaries.clone(),
            no_dictionaries: self.no_dictionaries,
            models: self.models.clone(),
            no_parse: self.no_parse,
            event_model: self.event_model.clone(),
            rules: self.rules,
            parse_all: false,
            any_language: self.any_language,
        }
    }

    /// Builds the coder from these options.
    pub fn coder(&self) -> anyhow::Result<Tocsin> {
        Tocsin::new(&self.options())
    }
}

/// Arguments of `tocsin code`.
#[derive(Args, Debug)]
pub struct CodeArgs {
    /// Input files or directories; `-` (or nothing) reads standard input.
    inputs: Vec<String>,
    /// Output format (default: table on a terminal, jsonl otherwise).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Print each sentence's analysis (tokens, tags, parse, actor mentions) as CoNLL-U instead of events.
    #[arg(long, conflicts_with = "format")]
    analysis: bool,
    /// Publication date for inputs without one (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE", value_parser = parse_published)]
    published: Option<chrono::NaiveDate>,
    #[command(flatten)]
    threads: ThreadArgs,
    #[command(flatten)]
    data: DataArgs,
}

/// How many threads code articles.
#[derive(Args, Debug, Clone, Copy)]
pub struct ThreadArgs {
    /// Coding threads (default 0: all cores). Output stays in input order.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub threads: usize,
}

/// `--published`: a date as YYYY-MM-DD or RFC 3339 (a usage error otherwise).
pub fn parse_published(s: &str) -> Result<chrono::NaiveDate, String> {
    tocsin::doc::Article::parse_date(s).map_err(|e| e.to_string())
}

/// Reading options with `--published` and the inputs, standard input (`-`) when none are given.
pub fn read_setup(
    published: Option<chrono::NaiveDate>,
    inputs: Vec<String>,
) -> (tocsin::ingest::ReadOptions, Vec<String>) {
    let inputs = if inputs.is_empty() {
        vec!["-".to_string()]
    } else {
        inputs
    };
    (
        tocsin::ingest::ReadOptions {
            published,
            stdin_format: None,
        },
        inputs,
    )
}

/// Every article of the inputs, streamed in order.
pub fn read_all(
    inputs: &[String],
    opts: &tocsin::ingest::ReadOptions,
) -> impl Iterator<Item = tocsin::ingest::ReadItem> {
    let (inputs, opts) = (inputs.to_vec(), opts.clone());
    inputs
        .into_iter()
        .flat_map(move |input| tocsin::ingest::articles(&input, &opts))
}

/// A mistake in how tocsin was called (exit code 2), found after argument parsing.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// A usage error as an `anyhow` error (main exits with 2 for it).
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    UsageError(message.into()).into()
}

/// True when the error (anywhere in its chain) is a write to a closed pipe: the reader (`head`) has
/// what it wanted, so the run ends quietly with success, as ripgrep does.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(
                |c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe),
            )
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

/// Sends `tracing` logs to stderr (level from `RUST_LOG`, default info), as text or JSON lines.
pub fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second call (tests running commands in-process) keeps the first subscriber.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Code(args) => code::run(args),
        Command::Demo(args) => code::demo(args),
        Command::Ingest(args) => store::ingest(args),
        Command::Serve(args) => store::serve(args),
        Command::Submit(args) => queue::submit(args),
        Command::Worker(args) => queue::worker(args),
        Command::QueueStatus(args) => queue::status(args),
        Command::Watch(args) => watch::run(args),
        Command::Export(args) => exchange::export(args),
        Command::Backtest(args) => backtest::run(args),
        Command::Import { what } => exchange::import(what),
        Command::Train { what } => nlp::train(what),
        Command::Eval {
            what: EvalCommand::Gold(args),
        } => events::eval_gold(args),
        Command::Eval {
            what: EvalCommand::Nlp(args),
        } => nlp::eval(args),
        Command::Eval {
            what: EvalCommand::Ner(args),
        } => nlp::eval_ner(args),
        Command::Eval {
            what: EvalCommand::Text(args),
        } => nlp::eval_text(args),
        Command::Eval {
            what: EvalCommand::NerActors(a),
        } => {
            anyhow::ensure!(matches!(a.split.as_str(), "dev" | "test"), "--split is dev or test");
            let scores = tocsin::eval_ner::evaluate(&a.data.coder()?, &a.file, &a.split)?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&scores)?);
            } else {
                print!("{}", scores.report());
            }
            if a.misses {
                anyhow::ensure!(a.split != "test", "--misses is for dev: the test split is only scored");
                for m in &scores.misses {
                    println!("{m}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(args) => bench::run(args),
        Command::BenchScale(args) => bench_scale::run(args),
        Command::BenchNlp(args) => nlp::bench_nlp(args),
        Command::Eval {
            what: EvalCommand::Plover { file, misses, data },
        } => {
            let json =
                std::fs::read_to_string(&file).map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", file.display()))?;
            let gold = tocsin::eval::read_gold(&json).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let scores = tocsin::eval::evaluate(&data.coder()?, &gold)?;
            print!("{}", scores.report(misses));
            Ok(ExitCode::SUCCESS)
        }
    }
}
