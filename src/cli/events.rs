//! `tocsin eval gold` and `tocsin train events`: the event coder against, and from, the gold corpus.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use tocsin::gold::{read_gold, GoldDoc};
use tocsin::Tocsin;
use tocsin_events::learned::train::TrainConfig;

use super::nlp::TrainEventsArgs;
use super::GoldArgs;

fn read_all(files: &[std::path::PathBuf]) -> anyhow::Result<Vec<GoldDoc>> {
    let mut docs = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", file.display()))?;
        docs.extend(read_gold(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?);
    }
    Ok(docs)
}

/// `tocsin eval gold`: scores each file on the chosen split.
pub fn eval_gold(args: GoldArgs) -> anyhow::Result<ExitCode> {
    if args.misses && matches!(args.split.as_str(), "test" | "all") {
        anyhow::bail!("--misses lists dev or train units only: the test split is scored, never read (use --split dev)");
    }
    let splits: Vec<&str> = match args.split.as_str() {
        "all" => vec!["train", "dev", "test"],
        s => vec![s],
    };
    let coder = args.data.coder()?;
    for file in &args.files {
        let text =
            std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", file.display()))?;
        let docs = read_gold(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        let scores = tocsin::gold::evaluate(&coder, &docs, &splits);
        let label = format!("{} [{}]", file.display(), args.split);
        if args.json {
            let mut v = scores.summary_json();
            v["file"] = serde_json::Value::String(file.display().to_string());
            v["split"] = serde_json::Value::String(args.split.clone());
            println!("{v}");
        } else {
            println!("{}", scores.report(&label, args.misses));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `tocsin train events`: trains on the train split of the gold files, tunes on dev, writes the model.
pub fn train(a: TrainEventsArgs) -> anyhow::Result<ExitCode> {
    let docs = read_all(&a.gold)?;
    let mut opts = a.data.options();
    opts.parse_all = true;
    opts.rules = true;
    let tocsin = Tocsin::new(&opts)?;
    let t0 = Instant::now();
    let train = tocsin::train_events::training_docs(&tocsin, &docs, &["train"]);
    let dev = tocsin::train_events::training_docs(&tocsin, &docs, &["dev"]);
    let acts = |d: &[tocsin_events::learned::train::TrainDoc]| d.iter().map(|t| t.acts.len()).sum::<usize>();
    eprintln!(
        "analysed {} train documents ({} events) and {} dev documents ({} events) in {:.1} s",
        train.len(),
        acts(&train),
        dev.len(),
        acts(&dev),
        t0.elapsed().as_secs_f64()
    );
    let t1 = Instant::now();
    let cfg = tocsin_events::learned::train::TrainConfig {
        epochs: a.epochs,
        seed: a.seed,
        l2: a.l2,
        min_count: a.min_count,
        min_weight: a.min_weight,
        fixed: None,
    };
    let coder = tocsin.event_coder();
    let mut model = tocsin_events::learned::train::train(coder, &train, &dev, cfg.clone());
    let fig = tocsin_events::learned::train::trigger_figures(coder, &model, &dev);
    eprintln!(
        "trained in {:.1} s: {} trigger, {} CAMEO, {} source, {} target weights; NONE bias {:.2}, rule margin {:.1}; dev trigger tokens: gold {}, coded {}, right {} (F1 {:.3})",
        t1.elapsed().as_secs_f64(),
        model.trigger.len(),
        model.cameo_len(),
        model.source.len(),
        model.target.len(),
        model.none_bias,
        model.rule_margin,
        fig.gold,
        fig.predicted,
        fig.correct,
        fig.f1()
    );
    let r = tocsin_events::learned::train::role_figures(coder, &model, &dev);
    let pct = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    eprintln!(
        "dev roles given the gold trigger: source learned {:.3} / rules {:.3} (of {}); target learned {:.3} / rules {:.3} (of {})",
        pct(r.source_learned, r.sources),
        pct(r.source_rules, r.sources),
        r.sources,
        pct(r.target_learned, r.targets),
        pct(r.target_rules, r.targets),
        r.targets
    );
    eprintln!(
        "where the ranker chose nobody and the rules someone: source {} (rules right {}), target {} (rules right {})",
        r.source_filled.0, r.source_filled.1, r.target_filled.0, r.target_filled.1
    );
    if a.final_model {
        // Train again on train + dev with the settings dev chose; the figures above are the dev ones.
        let mut all = train;
        all.extend(dev);
        let fixed = Some((model.none_bias, model.rule_margin, model.class_bias.clone()));
        model = tocsin_events::learned::train::train(coder, &all, &[], TrainConfig { fixed, ..cfg.clone() });
        eprintln!("final model trained on train and dev ({} documents)", all.len());
    }
    std::fs::write(&a.out, model.to_bytes()).with_context(|| format!("cannot write {}", a.out.display()))?;
    eprintln!("wrote {}", a.out.display());
    Ok(ExitCode::SUCCESS)
}
