//! Tests of the backtest: the onsets file format, scoring by hand, and the shipped 2025 file.

use chrono::NaiveDate;
use tocsin_store::NewAlert;

use crate::backtest::*;

const FILE: &str = "# comment\nkind\tside_a\tside_b\tstart\tend\titems\tnote\n\
onset\tIND\tPAK\t2025-05-07\t2025-05-10\tce-1,ce-2\tstrikes\n\
onset\tKHM\tTHA\t2025-07-24\t2025-07-28\tce-3\tborder war\n\
war\tRUS\tUKR\t2025-01-01\t2025-12-31\tce-4\tall year\n";

fn alert(rule: &str, a: &str, b: &str, date: &str) -> NewAlert {
    NewAlert {
        rule: rule.into(),
        source: a.into(),
        target: b.into(),
        date: date.into(),
        score: 3.0,
        message: String::new(),
        event_ids: vec![],
        explanation: None,
    }
}

#[test]
fn onsets_are_read_and_bad_rows_named() {
    let e = parse_onsets("f.tsv", FILE).unwrap();
    assert_eq!(e.len(), 3);
    assert_eq!((e[0].kind, e[0].items.len()), (EpisodeKind::Onset, 2));
    assert_eq!(e[2].kind, EpisodeKind::War);
    let err = parse_onsets("f.tsv", "onset\tIND\tPAK\t2025-05-32\t2025-06-01\tx\tn\n").unwrap_err();
    assert_eq!((err.line, err.field), (1, "start"));
    assert!(err.to_string().starts_with("f.tsv:1: field `start`"), "{err}");
    let err = parse_onsets("f.tsv", "# c\nonset\tIND\tPAK\t2025-05-07\t2025-05-01\tx\tn\n").unwrap_err();
    assert_eq!((err.line, err.field), (2, "end"));
    let err = parse_onsets("f.tsv", "onset\tIND\tPAK\t2025-05-07\t2025-05-08\t\tn\n").unwrap_err();
    assert_eq!(err.field, "items");
    let err = parse_onsets("f.tsv", "maybe\tIND\tPAK\t2025-05-07\t2025-05-08\tx\tn\n").unwrap_err();
    assert_eq!(err.field, "kind");
}

#[test]
fn recall_lead_and_precision_by_hand() {
    let e = parse_onsets("f.tsv", FILE).unwrap();
    let alerts = vec![
        alert("esc", "PAK", "IND", "2025-05-05"), // 2 days ahead of the onset, reversed pair: detects it
        alert("esc", "IND", "PAK", "2025-05-08"), // in the episode
        alert("esc", "RUS", "UKR", "2025-03-01"), // a war in progress: right, no recall
        alert("esc", "USA", "CAN", "2025-03-01"), // nowhere near an episode: wrong
        alert("esc", "KHM", "THA", "2025-07-26"), // two days after the onset: outside [−14, +1]
        alert("other", "KHM", "THA", "2025-07-10"), // 14 days ahead
    ];
    let s = score(&["esc".into(), "other".into()], &e, &alerts, Windows::default());
    let esc = &s[0];
    assert_eq!((esc.onsets, esc.detected, esc.alerts, esc.right), (2, 1, 5, 4));
    assert_eq!(esc.median_lead_days, Some(2.0));
    assert_eq!(esc.precision, Some(0.8));
    assert_eq!(esc.missed, ["KHM–THA 2025-07-24"]);
    assert_eq!(esc.wrong, ["USA–CAN 2025-03-01"]);
    let other = &s[1];
    assert_eq!(
        (other.detected, other.right),
        (1, 0),
        "14 days ahead detects, but is not near the episode"
    );
    assert_eq!(other.median_lead_days, Some(14.0));
    let (from, to) = period(&e, Windows::default()).unwrap();
    assert_eq!(
        (from, to),
        (
            NaiveDate::from_ymd_opt(2024, 12, 18).unwrap(),
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
        )
    );
}

/// The shipped file: at least 25 onsets of 2025, each dated by news items that exist in the 2025
/// corpus and were published around it (checked when ../shared is there).
#[test]
fn the_2025_onsets_file_is_dated_by_real_items() {
    let text = include_str!("../../../data/signals/onsets_2025.tsv");
    let episodes = parse_onsets("onsets_2025.tsv", text).unwrap();
    let onsets: Vec<&Episode> = episodes.iter().filter(|e| e.kind == EpisodeKind::Onset).collect();
    assert!(onsets.len() >= 25, "{} onsets", onsets.len());
    assert!(episodes.iter().all(|e| e.start.format("%Y").to_string() == "2025"));
    assert!(
        text.contains("CC BY-SA 4.0") && text.contains("Wikipedia"),
        "licence and attribution"
    );
    let corpus =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/news/current_events_2025.jsonl");
    let Ok(corpus) = std::fs::read_to_string(&corpus) else {
        eprintln!("skipping the item check: {} is not there", corpus.display());
        return;
    };
    let published: std::collections::HashMap<String, NaiveDate> = corpus
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| Some((v["id"].as_str()?.to_string(), v["published"].as_str()?.parse().ok()?)))
        .collect();
    for e in &episodes {
        for id in &e.items {
            let day = published
                .get(id)
                .unwrap_or_else(|| panic!("{id} ({}–{} {}) is not in the corpus", e.a, e.b, e.start));
            let lo = e.start - chrono::Duration::days(14);
            let hi = e.end + chrono::Duration::days(3);
            assert!(
                *day >= lo && *day <= hi,
                "{id} published {day}, far from {}–{} {}..{}",
                e.a,
                e.b,
                e.start,
                e.end
            );
        }
    }
}
