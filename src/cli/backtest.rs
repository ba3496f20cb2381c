//! `tocsin backtest`: the alert rules replayed over a store and scored against known crisis onsets.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use tocsin_signals::backtest::{self, Windows};

use super::store::{RulesArgs, StoreArgs};

/// Arguments of `tocsin backtest`.
#[derive(Args, Debug)]
pub struct BacktestArgs {
    /// Onsets file (data/signals/onsets_2025.tsv format; default: that file, built in).
    #[arg(long, value_name = "FILE")]
    onsets: Option<PathBuf>,
    /// An onset counts as detected by an alert on its pair at most this many days before it…
    #[arg(long, default_value_t = 14, value_name = "DAYS")]
    before: i64,
    /// …or this many days after it.
    #[arg(long, default_value_t = 1, value_name = "DAYS")]
    after: i64,
    /// An alert is right when it lies within this many days of an onset or war of its pair.
    #[arg(long, default_value_t = 3, value_name = "DAYS")]
    near: i64,
    /// Print one JSON object per rule instead of the table.
    #[arg(long)]
    json: bool,
    /// List the missed onsets and the alerts far from any episode.
    #[arg(long)]
    details: bool,
    #[command(flatten)]
    rules: RulesArgs,
    #[command(flatten)]
    store: StoreArgs,
}

/// `tocsin backtest`.
pub fn run(args: BacktestArgs) -> anyhow::Result<ExitCode> {
    let (name, text) = match &args.onsets {
        Some(p) => (
            p.display().to_string(),
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?,
        ),
        None => (
            "data/signals/onsets_2025.tsv (built in)".to_string(),
            include_str!("../../data/signals/onsets_2025.tsv").to_string(),
        ),
    };
    let episodes = backtest::parse_onsets(&name, &text)?;
    if args.before < 0 || args.after < 0 || args.near < 0 {
        return Err(super::usage(
            "--before, --after and --near are numbers of days, at least 0",
        ));
    }
    let w = Windows {
        before: args.before,
        after: args.after,
        near: args.near,
    };
    let Some((from, to)) = backtest::period(&episodes, w) else {
        return Err(super::usage(format!("{name}: no onsets in the file")));
    };
    let signals = args.rules.load()?;
    let store = args.store.open_shared()?;
    let alerts = backtest::replay(&signals, store.as_ref(), from, to)?;
    let names: Vec<String> = signals.rules.iter().map(|r| r.name().to_string()).collect();
    let scores = backtest::score(&names, &episodes, &alerts, w);
    if args.json {
        for s in &scores {
            println!("{}", serde_json::to_string(s)?);
        }
    } else {
        println!(
            "{} ({} onsets, {} episodes) against {}, alerts replayed {from}..{to}:",
            name,
            scores.first().map_or(0, |s| s.onsets),
            episodes.len(),
            args.store.describe()
        );
        print!("{}", backtest::report(&scores, w, args.details));
    }
    Ok(ExitCode::SUCCESS)
}
