//! `tocsin train tagger` and `tocsin eval nlp`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand};
use tocsin_nlp::conllu::{parse_conllu, ConlluSentence};
use tocsin_nlp::{TaggerModel, TrainConfig};

/// The shipped tagger model.
pub const DEFAULT_TAGGER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models/tagger.bin");

/// What `tocsin train` trains.
#[derive(Subcommand, Debug)]
pub enum TrainCommand {
    /// The UPOS + XPOS tagger and lemmatizer (averaged perceptron) from CoNLL-U.
    Tagger(TrainTaggerArgs),
}

/// Arguments of `tocsin train tagger`.
#[derive(Args, Debug)]
pub struct TrainTaggerArgs {
    /// Training CoNLL-U file (e.g. en_ewt-ud-train.conllu).
    #[arg(long)]
    train: PathBuf,
    /// Development CoNLL-U file, scored after training.
    #[arg(long)]
    dev: Option<PathBuf>,
    /// Where to write the model.
    #[arg(long)]
    out: PathBuf,
    /// Passes over the training data.
    #[arg(long, default_value_t = 6)]
    epochs: usize,
    /// Shuffle seed (same seed, same data → same model).
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// What `tocsin eval` scores besides PLOVER.
#[derive(Args, Debug)]
pub struct EvalNlpArgs {
    /// Gold CoNLL-U file (e.g. en_ewt-ud-test.conllu).
    #[arg(long)]
    conllu: PathBuf,
    /// Tagger model (default: the shipped models/tagger.bin).
    #[arg(long)]
    model: Option<PathBuf>,
}

fn read(path: &PathBuf) -> anyhow::Result<Vec<ConlluSentence>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse_conllu(&text).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))
}

/// Loads a tagger model file.
pub fn load_tagger(path: &std::path::Path) -> anyhow::Result<TaggerModel> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    TaggerModel::from_bytes(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// `tocsin train tagger`.
pub fn train(cmd: TrainCommand) -> anyhow::Result<ExitCode> {
    let TrainCommand::Tagger(a) = cmd;
    let train = read(&a.train)?;
    let t0 = Instant::now();
    let model = TaggerModel::train(
        &train,
        TrainConfig {
            epochs: a.epochs,
            seed: a.seed,
            ..TrainConfig::default()
        },
    );
    eprintln!(
        "trained on {} sentences in {:.1} s ({} weights)",
        train.len(),
        t0.elapsed().as_secs_f64(),
        model.weights()
    );
    model.save(&a.out).map_err(|e| anyhow::anyhow!(e))?;
    let size = std::fs::metadata(&a.out).map(|m| m.len()).unwrap_or(0);
    eprintln!("wrote {} ({:.1} MB)", a.out.display(), size as f64 / 1e6);
    if let Some(dev) = &a.dev {
        let s = model.evaluate(&read(dev)?);
        println!(
            "dev: {} words  UPOS {:.2}  XPOS {:.2}  lemma {:.2}",
            s.words,
            s.upos * 100.0,
            s.xpos * 100.0,
            s.lemma * 100.0
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `tocsin eval nlp`.
pub fn eval(a: EvalNlpArgs) -> anyhow::Result<ExitCode> {
    let model = load_tagger(a.model.as_deref().unwrap_or(std::path::Path::new(DEFAULT_TAGGER)))?;
    let gold = read(&a.conllu)?;
    let t0 = Instant::now();
    let s = model.evaluate(&gold);
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "{}: {} words  UPOS {:.2}  XPOS {:.2}  lemma {:.2}  ({:.0} words/s, gold tokenization)",
        a.conllu.display(),
        s.words,
        s.upos * 100.0,
        s.xpos * 100.0,
        s.lemma * 100.0,
        s.words as f64 / secs
    );
    println!("UAS/LAS: no dependency parser yet (issue 3)");
    Ok(ExitCode::SUCCESS)
}
