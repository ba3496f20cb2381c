//! `tocsin train tagger` and `tocsin eval nlp`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand};
use tocsin_nlp::conllu::{parse_conllu, ConlluSentence};
use tocsin_nlp::{Morphology, ParserConfig, ParserModel, TaggerModel, TrainConfig};

/// The shipped tagger model.
pub const DEFAULT_TAGGER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models/tagger.bin");
/// The shipped NER model.
pub const DEFAULT_NER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models/ner.bin");
/// The shipped parser model.
pub const DEFAULT_PARSER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models/parser.bin");

/// What `tocsin train` trains.
#[derive(Subcommand, Debug)]
pub enum TrainCommand {
    /// The UPOS + XPOS tagger and lemmatizer (averaged perceptron) from CoNLL-U.
    Tagger(TrainTaggerArgs),
    /// The labelled dependency parser (arc-hybrid, averaged perceptron, dynamic oracle).
    Parser(TrainTaggerArgs),
    /// The named-entity recogniser (PER, ORG, LOC) from IOB2 (UniversalNER format).
    Ner(TrainTaggerArgs),
    /// The event model (trigger type, CAMEO code, source and target) from the gold corpus's train split.
    Events(TrainEventsArgs),
}

/// Arguments of `tocsin train events`.
#[derive(Args, Debug)]
pub struct TrainEventsArgs {
    /// Gold files (data/gold/summaries.jsonl, articles.jsonl, gigaword.jsonl).
    #[arg(required = true)]
    pub gold: Vec<PathBuf>,
    /// Where to write the model.
    #[arg(long, default_value = "models/events.bin")]
    pub out: PathBuf,
    /// Passes over the training data.
    #[arg(long, default_value_t = 12)]
    pub epochs: usize,
    /// Shuffle seed (same seed, same data → same model).
    #[arg(long, default_value_t = 17)]
    pub seed: u64,
    /// L2 regularisation strength of the logistic regressions (1e-2 chosen on dev: same triple, type F1
    /// +0.006 on summaries and +0.011 on articles averaged over three seeds, a model 40 % smaller).
    #[arg(long, default_value_t = 1e-2)]
    pub l2: f32,
    /// Features seen in fewer training examples are ignored.
    #[arg(long, default_value_t = 3)]
    pub min_count: usize,
    /// Smaller weights are dropped (keeps the model small).
    #[arg(long, default_value_t = 0.1)]
    pub min_weight: f32,
    /// The final model: tune the decision settings on dev first, then train again on train and dev
    /// together with those settings (the test split is never used).
    #[arg(long)]
    pub final_model: bool,
    #[command(flatten)]
    pub data: super::DataArgs,
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
    /// Parser model (default: the shipped models/parser.bin).
    #[arg(long)]
    parser: Option<PathBuf>,
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
    let a = match cmd {
        TrainCommand::Tagger(a) => a,
        TrainCommand::Parser(a) => return train_parser(a),
        TrainCommand::Ner(a) => return train_ner(a),
        TrainCommand::Events(a) => return super::events::train(a),
    };
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

/// Arguments of `tocsin eval ner`.
#[derive(Args, Debug)]
pub struct EvalNerArgs {
    /// Gold IOB2 file (e.g. en_ewt-ud-test.iob2).
    #[arg(long)]
    iob2: PathBuf,
    /// NER model (default: the shipped models/ner.bin).
    #[arg(long)]
    model: Option<PathBuf>,
}

fn read_iob2(path: &PathBuf) -> anyhow::Result<Vec<tocsin_nlp::ner::IobSentence>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    tocsin_nlp::ner::parse_iob2(&text).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))
}

fn print_ner(name: &str, s: &tocsin_nlp::NerScores) {
    println!(
        "{name}: exact-span P {:.3}  R {:.3}  F1 {:.3}",
        s.overall.0, s.overall.1, s.overall.2
    );
    for (label, (p, r, f, n)) in &s.per_label {
        println!("  {label:<4} P {p:.3}  R {r:.3}  F1 {f:.3}  ({n} gold)");
    }
}

/// UPOS tags from the shipped tagger, as the NER's input.
fn upos_tagger() -> anyhow::Result<impl Fn(&[String]) -> Vec<String>> {
    let tagger = load_tagger(std::path::Path::new(DEFAULT_TAGGER))?;
    let morph = Morphology::builtin();
    Ok(move |words: &[String]| tagger.tag(words, &morph).into_iter().map(|t| t.upos).collect())
}

fn train_ner(a: TrainTaggerArgs) -> anyhow::Result<ExitCode> {
    let train = read_iob2(&a.train)?;
    let names = tocsin_nlp::NameLists::builtin();
    let tag = upos_tagger()?;
    let t0 = Instant::now();
    let model = tocsin_nlp::NerModel::train(&train, &names, &tag, a.epochs, a.seed);
    eprintln!(
        "trained NER on {} sentences in {:.1} s",
        train.len(),
        t0.elapsed().as_secs_f64()
    );
    std::fs::write(&a.out, model.to_bytes().map_err(|e| anyhow::anyhow!(e))?)
        .with_context(|| format!("cannot write {}", a.out.display()))?;
    if let Some(dev) = &a.dev {
        print_ner("dev", &model.evaluate(&read_iob2(dev)?, &names, &tag));
    }
    Ok(ExitCode::SUCCESS)
}

/// `tocsin eval ner`.
pub fn eval_ner(a: EvalNerArgs) -> anyhow::Result<ExitCode> {
    let path = a.model.as_deref().unwrap_or(std::path::Path::new(DEFAULT_NER));
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let model = tocsin_nlp::NerModel::from_bytes(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let tag = upos_tagger()?;
    print_ner(
        &a.iob2.display().to_string(),
        &model.evaluate(&read_iob2(&a.iob2)?, &tocsin_nlp::NameLists::builtin(), &tag),
    );
    Ok(ExitCode::SUCCESS)
}

fn train_parser(a: TrainTaggerArgs) -> anyhow::Result<ExitCode> {
    let train = read(&a.train)?;
    let t0 = Instant::now();
    let model = ParserModel::train(
        &train,
        ParserConfig {
            epochs: a.epochs,
            seed: a.seed,
            ..ParserConfig::default()
        },
    );
    eprintln!(
        "trained the parser on {} sentences in {:.1} s",
        train.len(),
        t0.elapsed().as_secs_f64()
    );
    std::fs::write(&a.out, model.to_bytes().map_err(|e| anyhow::anyhow!(e))?)
        .with_context(|| format!("cannot write {}", a.out.display()))?;
    let size = std::fs::metadata(&a.out).map(|m| m.len()).unwrap_or(0);
    eprintln!("wrote {} ({:.1} MB)", a.out.display(), size as f64 / 1e6);
    if let Some(dev) = &a.dev {
        let dev = read(dev)?;
        let gold_tags: Vec<Vec<String>> = dev
            .iter()
            .map(|s| s.words.iter().map(|w| w.upos.clone()).collect())
            .collect();
        let s = model.evaluate(&dev, &gold_tags);
        println!(
            "dev (gold UPOS): {} words  UAS {:.2}  LAS {:.2}",
            s.words,
            s.uas * 100.0,
            s.las * 100.0
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
    let parser_path = a.parser.as_deref().unwrap_or(std::path::Path::new(DEFAULT_PARSER));
    let bytes = std::fs::read(parser_path).with_context(|| format!("cannot read {}", parser_path.display()))?;
    let parser = ParserModel::from_bytes(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", parser_path.display()))?;
    let morph = Morphology::builtin();
    let tags: Vec<Vec<String>> = gold
        .iter()
        .map(|s| {
            let words: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
            model.tag(&words, &morph).into_iter().map(|t| t.upos).collect()
        })
        .collect();
    let t0 = Instant::now();
    let p = parser.evaluate(&gold, &tags);
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "{}: UAS {:.2}  LAS {:.2}  (predicted UPOS, gold tokenization; {:.0} words/s parsing)",
        a.conllu.display(),
        p.uas * 100.0,
        p.las * 100.0,
        p.words as f64 / secs
    );
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `tocsin bench-nlp`.
#[derive(Args, Debug)]
pub struct BenchNlpArgs {
    /// Raw text file (one or more paragraphs).
    text: PathBuf,
}

/// `tocsin bench-nlp`: single-thread throughput of split + tag + parse + NER on raw text.
pub fn bench_nlp(a: BenchNlpArgs) -> anyhow::Result<ExitCode> {
    use tocsin::doc::{Article, Pipeline};
    let text = std::fs::read_to_string(&a.text).with_context(|| format!("cannot read {}", a.text.display()))?;
    let tagger = load_tagger(std::path::Path::new(DEFAULT_TAGGER))?;
    let parser = ParserModel::from_bytes(&std::fs::read(DEFAULT_PARSER)?).map_err(|e| anyhow::anyhow!(e))?;
    let ner = tocsin_nlp::NerModel::from_bytes(&std::fs::read(DEFAULT_NER)?).map_err(|e| anyhow::anyhow!(e))?;
    let names = tocsin_nlp::NameLists::builtin();
    let morph = Morphology::builtin();
    let splitter = Pipeline::new().with(tocsin_text::TextSplitter::default());
    let t0 = Instant::now();
    let doc = splitter.run(Article::from_text(text))?;
    let (mut tokens, mut entities, mut roots) = (0usize, 0usize, 0usize);
    for s in &doc.sentences {
        let words: Vec<String> = s
            .tokens
            .clone()
            .map(|i| doc.slice(doc.tokens[i].span).to_string())
            .collect();
        let tags: Vec<String> = tagger.tag(&words, &morph).into_iter().map(|t| t.upos).collect();
        let refs: Vec<&str> = tags.iter().map(String::as_str).collect();
        roots += parser.parse(&words, &refs).iter().filter(|(h, _)| *h == 0).count();
        entities += ner
            .label(&words, &tags, &names)
            .iter()
            .filter(|l| l.starts_with("B-"))
            .count();
        tokens += words.len();
    }
    let secs = t0.elapsed().as_secs_f64();
    println!("tocsin: {tokens} tokens, {} sentences in {secs:.2} s = {:.0} tokens/s (split + tag + parse + NER, 1 thread; {entities} entities, {roots} roots)", doc.sentences.len(), tokens as f64 / secs);
    if let Some(rss) = super::bench::peak_rss_mb() {
        println!("tocsin peak RSS: {rss:.0} MB (all models loaded)");
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `tocsin eval text`.
#[derive(Args, Debug)]
pub struct EvalTextArgs {
    /// Gold CoNLL-U file with `# text` lines (e.g. en_ewt-ud-test.conllu).
    #[arg(long)]
    conllu: PathBuf,
}

fn f1(
    pred: &std::collections::HashSet<(usize, usize)>,
    gold: &std::collections::HashSet<(usize, usize)>,
) -> (f64, f64, f64) {
    let tp = pred.intersection(gold).count();
    tocsin_nlp::prf(tp, pred.len(), tp, gold.len())
}

/// `tocsin eval text`: token and sentence-boundary F1 of the text stage against UD.
/// Each document's sentences are joined with spaces into raw text; gold tokens are the UD words
/// located in order in that text.
pub fn eval_text(a: EvalTextArgs) -> anyhow::Result<ExitCode> {
    use std::collections::HashSet;
    use tocsin::doc::{Article, Pipeline};
    let gold = read(&a.conllu)?;
    let splitter = Pipeline::new().with(tocsin_text::TextSplitter::default());
    let mut docs: Vec<Vec<&ConlluSentence>> = Vec::new();
    for s in &gold {
        if s.new_doc || docs.is_empty() {
            docs.push(Vec::new());
        }
        if let Some(d) = docs.last_mut() {
            d.push(s);
        }
    }
    let (mut gt, mut pt, mut gs, mut ps) = (HashSet::new(), HashSet::new(), HashSet::new(), HashSet::new());
    let mut base = 0;
    for d in &docs {
        let mut text = String::new();
        for s in d {
            if !text.is_empty() {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(s.text.as_deref().unwrap_or(""));
            gs.insert((base + start, base + text.len()));
            let mut at = start;
            for w in &s.words {
                if let Some(off) = text[at..].find(w.form.as_str()) {
                    gt.insert((base + at + off, base + at + off + w.form.len()));
                    at += off + w.form.len();
                }
            }
        }
        let doc = splitter.run(Article::from_text(text.clone()))?;
        for t in &doc.tokens {
            pt.insert((base + t.span.start, base + t.span.end));
        }
        for s in &doc.sentences {
            ps.insert((base + s.span.start, base + s.span.end));
        }
        base += text.len() + 1;
    }
    let (tp, tr, tf) = f1(&pt, &gt);
    let (sp, sr, sf) = f1(&ps, &gs);
    println!("{}: {} documents", a.conllu.display(), docs.len());
    println!("tokens    P {tp:.4}  R {tr:.4}  F1 {tf:.4}  ({} gold)", gt.len());
    println!(
        "sentences P {sp:.4}  R {sr:.4}  F1 {sf:.4}  ({} gold; a sentence counts when both ends match)",
        gs.len()
    );
    Ok(ExitCode::SUCCESS)
}
