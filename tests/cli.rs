//! The `tocsin` binary: inputs, formats, exit codes (0 all coded, 1 some failed, 2 usage) and
//! hostile inputs.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn tocsin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tocsin"))
        .args(args)
        .env("TOCSIN_REPORT_RSS", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tocsin runs");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or(b"")).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn broken_jsonl_line_is_named_and_the_rest_is_coded() {
    let d = dir();
    let p = d.path().join("batch.jsonl");
    std::fs::write(
        &p,
        "{\"id\":\"a\",\"published\":\"2023-09-30\",\"text\":\"Serbia rejected the Australian ultimatum on Friday.\"}\n{\"id\": oops}\n{\"id\":\"c\",\"text\":\"Argentina has apologized to Brazil.\"}\n",
    )
    .unwrap();
    let out = tocsin(&["code", "--format", "jsonl", p.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("batch.jsonl:2: invalid JSON article"), "{err}");
    let events: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = events.iter().map(|e| e["article_id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"a") && ids.contains(&"c"), "{ids:?}");
    let reject = events.iter().find(|e| e["article_id"] == "a").unwrap();
    assert_eq!(reject["event_type"], "REJECT");
    assert_eq!(reject["date"], "2023-09-29");
}

#[test]
fn empty_invalid_and_unknown_inputs_fail_clearly() {
    let d = dir();
    let empty = d.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let bad = d.path().join("latin1.txt");
    std::fs::write(&bad, b"Serbia \xe9 Kosovo").unwrap();
    let odd = d.path().join("notes.docx");
    std::fs::write(&odd, "x").unwrap();
    let good = d.path().join("good.txt");
    std::fs::write(&good, "Argentina has apologized to Brazil.").unwrap();
    let out = tocsin(
        &[
            "code",
            "--format",
            "jsonl",
            empty.to_str().unwrap(),
            bad.to_str().unwrap(),
            odd.to_str().unwrap(),
            good.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("empty.txt: empty input"), "{err}");
    assert!(err.contains("latin1.txt:1: not valid UTF-8"), "{err}");
    assert!(err.contains("notes.docx: unknown file type"), "{err}");
    assert!(
        text(&out.stdout).contains("\"SUPPORT\""),
        "the good file is still coded"
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = tocsin(&["code", "--format", "yaml", "x.txt"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = tocsin(&["code", "--published", "yesterday", "x.txt"], None);
    assert_ne!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("--published"), "{}", text(&out.stderr));
}

#[test]
fn stdin_csv_and_table_outputs() {
    let input = b"Washington expressed concern on Friday about an unusual buildup of Serbian troops.";
    let out = tocsin(
        &["code", "-", "--published", "2023-09-30", "--format", "csv"],
        Some(input),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut rdr = csv::Reader::from_reader(out.stdout.as_slice());
    let header = rdr.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let col = |r: &csv::StringRecord, name: &str| {
        r.get(header.iter().position(|h| h == name).unwrap())
            .unwrap()
            .to_string()
    };
    let accuse = rows
        .iter()
        .find(|r| col(r, "event_type") == "ACCUSE")
        .expect("ACCUSE row");
    assert_eq!(col(accuse, "source_code"), "USAGOV");
    assert_eq!(col(accuse, "target_country"), "SRB");
    assert_eq!(col(accuse, "date"), "2023-09-29");
    let out = tocsin(
        &["code", "-", "--published", "2023-09-30", "--format", "table"],
        Some(input),
    );
    let table = text(&out.stdout);
    // The build-up is only what Washington is concerned about: the concern is the event.
    assert!(
        table.contains("ACCUSE") && table.contains("SRBMIL") && !table.contains("MOBILIZE"),
        "{table}"
    );
}

#[test]
fn demo_prints_the_seed_events() {
    let d = dir();
    let db = d.path().join("demo.db");
    let out = tocsin(&["demo", "--no-serve", "--db", db.to_str().unwrap()], None);
    assert!(db.exists(), "the demo fills a fresh store");
    assert_eq!(out.status.code(), Some(0));
    let s = text(&out.stdout);
    for needle in ["ASSAULT", "Mitrovicë", "2023-09-24", "CONSULT", "IGONAT", "denied"] {
        assert!(s.contains(needle), "demo output lacks {needle}:\n{s}");
    }
}

#[test]
fn html_input_is_coded_from_its_main_text() {
    let d = dir();
    let p = d.path().join("page.html");
    std::fs::write(&p, "<html><head><meta property=\"article:published_time\" content=\"2023-09-30\"></head><body><article><p>Kosovo's Prime Minister Albin Kurti asked the USA for help.</p></article></body></html>").unwrap();
    let out = tocsin(&["code", "--format", "jsonl", p.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let e: serde_json::Value = serde_json::from_str(text(&out.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(e["event_type"], "REQUEST");
    assert_eq!(e["source"]["code"], "XKXGOV");
    assert_eq!(e["target"]["country"], "USA");
}

#[test]
fn a_50_mb_article_is_coded_in_bounded_memory() {
    let d = dir();
    let p = d.path().join("huge.txt");
    let story = include_str!("../examples/serbia-kosovo-2023-09-30.txt");
    let mut f = std::fs::File::create(&p).unwrap();
    let mut written = 0;
    while written < 50_000_000 {
        f.write_all(story.as_bytes()).unwrap();
        f.write_all(b"\n\n").unwrap();
        written += story.len() + 2;
    }
    drop(f);
    let out = tocsin(
        &[
            "code",
            "--format",
            "jsonl",
            "--published",
            "2023-09-30",
            p.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).lines().count() > 1000);
    let err = text(&out.stderr);
    let rss: f64 = err
        .split("peak RSS ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("peak RSS reported");
    // Input held once as bytes and once as text (~100 MB) plus one segment's working set.
    assert!(rss < 400.0, "peak RSS {rss} MB for a 50 MB article");
}

#[test]
fn backtest_scores_the_rules_against_onsets() {
    let d = dir();
    let db = d.path().join("news.db");
    let news = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/news_2025_sample.jsonl");
    let out = tocsin(&["ingest", news, "--db", db.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let onsets = d.path().join("onsets.tsv");
    std::fs::write(
        &onsets,
        "# two onsets the sample reports\nkind\tside_a\tside_b\tstart\tend\titems\tnote\n\
         onset\tPAK\tIND\t2025-05-07\t2025-05-10\tce-2025-05-07-001\tstrikes\n\
         onset\tISR\tIRN\t2025-06-13\t2025-06-24\tce-2025-06-13-001\twar\n\
         war\tRUS\tUKR\t2025-01-01\t2025-12-31\tce-2025-06-01-003\twar\n",
    )
    .unwrap();
    let out = tocsin(
        &[
            "backtest",
            "--db",
            db.to_str().unwrap(),
            "--onsets",
            onsets.to_str().unwrap(),
            "--json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let rows: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let esc = rows
        .iter()
        .find(|r| r["rule"] == "escalation")
        .expect("the escalation rule is scored");
    assert_eq!(
        (esc["onsets"].as_u64(), esc["detected"].as_u64()),
        (Some(2), Some(2)),
        "{esc}"
    );
    assert_eq!(esc["single_article"], 0, "{esc}");
    let (right, alerts) = (esc["right"].as_f64().unwrap(), esc["alerts"].as_f64().unwrap());
    assert!(
        (esc["precision"].as_f64().unwrap() - right / alerts).abs() < 1e-9,
        "{esc}"
    );
    let wrong: Vec<&str> = esc["wrong"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    assert_eq!(wrong.len() as f64, alerts - right);
    assert!(
        !wrong.iter().any(|w| w.starts_with("IND–PAK 2025-05-")),
        "alerts in the May episode are right: {wrong:?}"
    );
    assert_eq!(rows.len(), 3, "one row per built-in rule");
    std::fs::write(&onsets, "onset\tPAK\tIND\t2025-05-07\tsoon\tx\tn\n").unwrap();
    let out = tocsin(
        &[
            "backtest",
            "--db",
            db.to_str().unwrap(),
            "--onsets",
            onsets.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("onsets.tsv:1: field `end`"),
        "{}",
        text(&out.stderr)
    );
}
