//! `tocsin serve` with the real coder: ingest over HTTP, cross-article dedup, alerts, exports.

mod support;

use serde_json::Value;
use support::{demo_db, tocsin, Server};

const SECOND_REPORT: &str = r#"{"id": "other-wire", "source": "Other Wire", "published": "2023-09-25", "text": "A heavily armed Serbian commando group fought with the Kosovar police in the village of Banjska in northern Kosovo on Sunday. Four people were killed."}"#;

/// How many events the coder makes of the seed story (the demo store holds exactly those).
fn seed_events() -> usize {
    let coder = tocsin::Tocsin::builtin().unwrap();
    coder.code(tocsin::seed_article().unwrap()).unwrap().len()
}

#[test]
fn two_articles_about_the_clash_become_one_event_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let server = Server::start(&db, &[]);
    let (status, body) = server.request(
        "POST",
        "/api/articles",
        SECOND_REPORT,
        &[("Content-Type", "application/json")],
    );
    assert_eq!(status, 200, "{body}");
    let report: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(report["stored"], 1);
    assert_eq!(report["merged_events"].as_array().unwrap().len(), 1, "{report}");
    let (_, body) = server.request("GET", "/api/events?type=ASSAULT&source=SRB", "", &[]);
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["total"], 1, "{page}");
    let clash = &page["items"][0];
    assert_eq!(clash["num_articles"], 2);
    assert_eq!(clash["num_sources"], 2);
    assert_eq!(
        clash["location"]["name"], "Mitrovicë",
        "the first report places Banjska near Mitrovica"
    );
    let (_, body) = server.request(
        "GET",
        &format!("/api/events/{}", clash["id"].as_str().unwrap()),
        "",
        &[],
    );
    let detail: Value = serde_json::from_str(&body).unwrap();
    let outlets: Vec<&str> = detail["reports"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["outlet"].as_str())
        .collect();
    assert!(outlets.contains(&"Other Wire"), "{outlets:?}");
    // Posting the same article again changes nothing.
    let (_, body) = server.request(
        "POST",
        "/api/articles",
        SECOND_REPORT,
        &[("Content-Type", "application/json")],
    );
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["duplicates"], 1);
}

#[test]
fn exports_round_trip_through_gdelt() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let run = tocsin;
    let tsv = run(&["export", "--format", "gdelt", "--db", db.to_str().unwrap()]);
    let text = String::from_utf8(tsv.stdout).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), seed_events());
    assert!(rows.iter().all(|r| r.len() == 61));
    let clash = rows.iter().find(|r| r[26] == "190").expect("the clash exported");
    assert_eq!(
        (clash[1], clash[5], clash[15], clash[29], clash[52]),
        ("20230924", "SRBREB", "XKXPOL", "4", "Mitrovicë")
    );
    let file = dir.path().join("g.tsv");
    std::fs::write(&file, format!("{text}not\ta\tgdelt\trow\n")).unwrap();
    let other = dir.path().join("imported.db");
    let imp = run(&[
        "import",
        "gdelt",
        file.to_str().unwrap(),
        "--db",
        other.to_str().unwrap(),
    ]);
    assert_eq!(imp.status.code(), Some(1), "the bad row is reported");
    let err = String::from_utf8_lossy(&imp.stderr);
    let bad_line = format!("g.tsv:{}: expected 61 tab-separated columns", rows.len() + 1);
    assert!(err.contains(&bad_line), "{err}");
    let back = run(&["export", "--db", other.to_str().unwrap()]);
    let events: Vec<Value> = String::from_utf8(back.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), seed_events());
    assert!(events
        .iter()
        .any(|e| e["event_type"] == "ASSAULT" && e["location"]["name"] == "Mitrovicë"));
    let csv = run(&[
        "export",
        "--format",
        "csv",
        "--from",
        "2023-09-29",
        "--to",
        "2023-09-29",
        "--db",
        db.to_str().unwrap(),
    ]);
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(
        csv.lines().skip(1).all(|l| l.contains("2023-09-29")) && csv.lines().count() > 2,
        "{csv}"
    );
}

#[test]
fn public_bind_needs_a_token_and_writes_check_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tocsin"))
        .args(["serve", "--addr", "0.0.0.0:0", "--db", db.to_str().unwrap()])
        .env_remove("TOCSIN_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--token"));
    let empty = std::process::Command::new(env!("CARGO_BIN_EXE_tocsin"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--token",
            "",
            "--db",
            db.to_str().unwrap(),
        ])
        .env_remove("TOCSIN_TOKEN")
        .output()
        .unwrap();
    assert_eq!(empty.status.code(), Some(1), "an empty token is refused");
    assert!(String::from_utf8_lossy(&empty.stderr).contains("empty write token"));
    let server = Server::start(&db, &["--token", "t0k"]);
    let json = ("Content-Type", "application/json");
    let (status, _) = server.request("POST", "/api/articles", SECOND_REPORT, &[json]);
    assert_eq!(status, 401);
    let (status, body) = server.request(
        "POST",
        "/api/articles",
        SECOND_REPORT,
        &[("Authorization", "Bearer t0k"), ("Content-Type", "text/plain")],
    );
    assert_eq!(status, 415, "{body}");
    let (status, body) = server.request(
        "POST",
        "/api/articles",
        SECOND_REPORT,
        &[
            ("Authorization", "Bearer t0k"),
            json,
            ("Origin", "http://attacker.example"),
        ],
    );
    assert_eq!(status, 403, "{body}");
    let (status, _) = server.request(
        "POST",
        "/api/articles",
        SECOND_REPORT,
        &[("Authorization", "Bearer t0k"), json],
    );
    assert_eq!(status, 200);
}

#[test]
fn parquet_export_reads_back() {
    use arrow_array::{Array, StringArray, UInt32Array};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let out = dir.path().join("events.parquet");
    let run = tocsin;
    let no_out = run(&["export", "--format", "parquet", "--db", db.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&no_out.stderr).contains("--out"));
    assert!(run(&[
        "export",
        "--format",
        "parquet",
        "--out",
        out.to_str().unwrap(),
        "--db",
        db.to_str().unwrap()
    ])
    .status
    .success());
    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&out).unwrap())
        .unwrap()
        .build()
        .unwrap();
    let batches: Vec<_> = reader.map(Result::unwrap).collect();
    assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), seed_events());
    let b = &batches[0];
    let types = b
        .column_by_name("event_type")
        .unwrap()
        .as_any()
        .downcast_ref::<StringArray>()
        .unwrap();
    let dead = b
        .column_by_name("dead")
        .unwrap()
        .as_any()
        .downcast_ref::<UInt32Array>()
        .unwrap();
    let i = (0..types.len())
        .find(|&i| types.value(i) == "ASSAULT")
        .expect("ASSAULT row");
    assert_eq!(dead.value(i), 4);
    assert!(b.column_by_name("date").unwrap().data_type() == &arrow_schema::DataType::Date32);
}

#[test]
fn dedup_window_is_configurable_from_the_command_line() {
    // The same clash, reported as happening on Tuesday 2023-09-26: two days after the seed's Sunday.
    let late = r#"{"id": "late", "source": "Late Wire", "published": "2023-09-27", "text": "A heavily armed Serbian commando group fought with the Kosovar police in the village of Banjska in northern Kosovo on Tuesday."}"#;
    for (days, clashes) in [("1", 2), ("3", 1)] {
        let dir = tempfile::tempdir().unwrap();
        let db = demo_db(dir.path());
        let file = dir.path().join("late.json");
        std::fs::write(&file, late).unwrap();
        let out = tocsin(&[
            "ingest",
            file.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--dedup-days",
            days,
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let export = tocsin(&["export", "--db", db.to_str().unwrap()]);
        let n = String::from_utf8(export.stdout)
            .unwrap()
            .lines()
            .filter(|l| l.contains("\"event_type\":\"ASSAULT\"") && l.contains("commando group"))
            .count();
        assert_eq!(n, clashes, "--dedup-days {days}");
    }
}

#[test]
fn a_real_gdelt_export_imports_whole() {
    // 2,111 real rows of 2019-10-24, statements (01x) and appeals (02x) among them.
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/gdelt/20191024143000.export.CSV"
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gdelt.db");
    let out = tocsin(&["import", "gdelt", file, "--db", db.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let summary = regex::Regex::new(r"imported (\d+) of (\d+) GDELT rows")
        .unwrap()
        .captures(&err)
        .map(|c| (c[1].parse::<f64>().unwrap(), c[2].parse::<f64>().unwrap()));
    let (imported, rows) = summary.unwrap_or_else(|| panic!("no import summary in {err}"));
    assert_eq!(rows, 2111.0);
    assert!(imported / rows >= 0.99, "{imported} of {rows}");
    // Statements and appeals are stored with their CAMEO codes.
    let back = tocsin(&["export", "--format", "csv", "--db", db.to_str().unwrap()]);
    let csv = String::from_utf8_lossy(&back.stdout);
    assert!(csv.lines().count() > 2000, "{} exported", csv.lines().count());
    assert!(
        csv.contains(",010,") || csv.contains(",\"010\","),
        "a statement (010) is stored"
    );
}
