//! Scale-out reliability: `tocsin submit` → NATS JetStream → `tocsin worker` processes → PostgreSQL.
//! Needs a JetStream-enabled nats-server and PostgreSQL (`TOCSIN_TEST_NATS`, `TOCSIN_TEST_POSTGRES`;
//! `.ci/servers.sh` starts both). Without them the tests skip, unless `TOCSIN_REQUIRE_SERVERS` is set.

mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use support::{tocsin, Server};
use tocsin_store::{PgStore, SqliteStore, Store};

/// The servers share state (and one test restarts PostgreSQL), so the tests run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

struct Servers {
    nats: String,
    postgres: String,
}

fn servers(test: &str) -> Option<Servers> {
    match (std::env::var("TOCSIN_TEST_NATS"), std::env::var("TOCSIN_TEST_POSTGRES")) {
        (Ok(nats), Ok(pg)) => {
            let name = format!("tocsin_scale_{test}_{}", std::process::id());
            let postgres = PgStore::create_database(&pg, &name).expect("creating the test database");
            Some(Servers { nats, postgres })
        }
        _ => {
            assert!(
                std::env::var("TOCSIN_REQUIRE_SERVERS").is_err(),
                "TOCSIN_REQUIRE_SERVERS is set but TOCSIN_TEST_NATS / TOCSIN_TEST_POSTGRES are not"
            );
            eprintln!("skipping {test}: set TOCSIN_TEST_NATS and TOCSIN_TEST_POSTGRES (see .ci/servers.sh)");
            None
        }
    }
}

/// `n` distinct articles, each three sentences of the PLOVER gold set plus a serial number.
fn write_articles(path: &Path, n: usize) {
    let gold: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("tests/fixtures/PLOVER_GSR_dev.json").unwrap()).unwrap();
    let sents: Vec<&str> = gold
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["text"].as_str())
        .collect();
    assert!(sents.len() > 100);
    let mut out = String::new();
    for i in 0..n {
        let text = format!(
            "{} {} {} (Report {i}.)",
            sents[(i * 3) % sents.len()],
            sents[(i * 3 + 1) % sents.len()],
            sents[(i * 3 + 2) % sents.len()]
        );
        let line = serde_json::json!({"id": format!("r{i}"), "text": text, "published": "2023-09-30", "source": format!("outlet{}", i % 7)});
        out.push_str(&line.to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

fn queue_args<'a>(s: &'a Servers, stream: &'a str) -> Vec<&'a str> {
    vec![
        "--nats",
        &s.nats,
        "--stream",
        stream,
        "--ack-wait",
        "3",
        "--max-deliver",
        "3",
    ]
}

fn spawn_worker(s: &Servers, stream: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_tocsin"))
        .arg("worker")
        .args(queue_args(s, stream))
        .args(["--postgres", &s.postgres, "--exit-when-idle", "2"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("tocsin worker starts")
}

fn submit(s: &Servers, stream: &str, file: &Path) {
    let mut args = vec!["submit"];
    args.extend(queue_args(s, stream));
    args.push(file.to_str().unwrap());
    let out = tocsin(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn queue_status(s: &Servers, stream: &str) -> serde_json::Value {
    let mut args = vec!["queue-status"];
    args.extend(queue_args(s, stream));
    let out = tocsin(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Waits for a worker to exit by itself (it does once the queue is drained), within `limit`.
fn wait_exit(child: &mut Child, limit: Duration) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "worker failed: {status}");
            return;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("worker still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn wait_until(limit: Duration, what: &str, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The same articles coded into a SQLite store in one process: the counts the workers must reach.
fn reference_counts(file: &Path, dir: &Path) -> (u64, u64, u64) {
    let db = dir.join("reference.db");
    let out = tocsin(&["ingest", "--db", db.to_str().unwrap(), file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    SqliteStore::open(&db).unwrap().counts().unwrap()
}

#[test]
fn five_thousand_articles_two_workers_one_killed_every_article_once() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let Some(s) = servers("kill") else { return };
    let stream = format!("KILL{}", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("articles.jsonl");
    write_articles(&file, 5000);
    submit(&s, &stream, &file);
    assert_eq!(queue_status(&s, &stream)["pending"], 5000);

    let store = PgStore::connect(&s.postgres).unwrap();
    let mut a = spawn_worker(&s, &stream);
    let mut b = spawn_worker(&s, &stream);
    wait_until(Duration::from_secs(120), "1,000 articles stored", || {
        store.counts().unwrap().0 >= 1000
    });
    // SIGKILL: no chance to ack what it holds; those messages come back after the ack wait.
    a.kill().unwrap();
    a.wait().unwrap();
    let at_kill = store.counts().unwrap().0;
    assert!(
        at_kill < 5000,
        "the kill came too late to test anything ({at_kill} stored)"
    );
    let mut a = spawn_worker(&s, &stream);
    wait_exit(&mut a, Duration::from_secs(300));
    wait_exit(&mut b, Duration::from_secs(300));

    let st = queue_status(&s, &stream);
    assert_eq!(
        (st["pending"].as_u64(), st["ack_pending"].as_u64()),
        (Some(0), Some(0)),
        "{st}"
    );
    assert_eq!(st["stream_messages"], 0, "every message acked and removed: {st}");
    assert_eq!(st["dead"], 0);
    let got = store.counts().unwrap();
    assert_eq!(got.0, 5000, "every article stored exactly once");
    assert_eq!(
        got,
        reference_counts(&file, dir.path()),
        "same events and mentions as one process, no duplicates"
    );
    assert!(store.dead_letters(10).unwrap().is_empty());
}

#[test]
fn postgres_restart_mid_run_loses_nothing() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let Some(s) = servers("restart") else { return };
    let Ok(restart) = std::env::var("TOCSIN_TEST_PG_RESTART") else {
        assert!(
            std::env::var("TOCSIN_REQUIRE_SERVERS").is_err(),
            "TOCSIN_TEST_PG_RESTART is not set"
        );
        eprintln!("skipping the restart test: TOCSIN_TEST_PG_RESTART (a command restarting PostgreSQL) is not set");
        return;
    };
    let stream = format!("RESTART{}", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("articles.jsonl");
    write_articles(&file, 1500);
    submit(&s, &stream, &file);
    let store = PgStore::connect(&s.postgres).unwrap();
    let mut w = spawn_worker(&s, &stream);
    wait_until(Duration::from_secs(120), "300 articles stored", || {
        store.counts().unwrap().0 >= 300
    });
    let out = Command::new("sh").args(["-c", &restart]).output().unwrap();
    assert!(
        out.status.success(),
        "restart failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    wait_exit(&mut w, Duration::from_secs(300));
    let got = store.counts().unwrap();
    assert_eq!(got.0, 1500, "nothing lost across the restart");
    assert_eq!(got, reference_counts(&file, dir.path()));
    assert!(store.dead_letters(10).unwrap().is_empty(), "a restart is not a poison");
    assert_eq!(queue_status(&s, &stream)["stream_messages"], 0);
}

#[test]
fn poison_articles_are_dead_lettered_with_their_error_and_the_rest_proceed() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let Some(s) = servers("poison") else { return };
    let stream = format!("POISON{}", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("articles.jsonl");
    write_articles(&file, 50);
    submit(&s, &stream, &file);
    // A foreign producer puts two messages on the queue that no worker can code.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut cfg = tocsin_queue::QueueConfig::new(&s.nats);
        cfg.stream = stream.clone();
        cfg.ack_wait = Duration::from_secs(3);
        cfg.max_deliver = 3;
        let q = tocsin_queue::Queue::connect(cfg).await.unwrap();
        q.publish_all(vec![
            (
                "p1".into(),
                r#"{"id": "no-text", "title": "an article without text"}"#.into(),
            ),
            ("p2".into(), "this is not JSON".into()),
        ])
        .await
        .unwrap();
    });
    let mut w = spawn_worker(&s, &stream);
    wait_exit(&mut w, Duration::from_secs(120));

    let store = PgStore::connect(&s.postgres).unwrap();
    assert_eq!(store.counts().unwrap().0, 50, "the good articles are stored");
    let dead = store.dead_letters(10).unwrap();
    assert_eq!(dead.len(), 2, "{dead:?}");
    for d in &dead {
        assert_eq!(d.letter.attempts, 3, "tried --max-deliver times: {d:?}");
        assert!(
            d.letter.error.contains(&format!("message {stream}:")),
            "names the message: {d:?}"
        );
    }
    let no_text = dead
        .iter()
        .find(|d| d.letter.article_id.as_deref() == Some("no-text"))
        .unwrap();
    assert!(
        no_text.letter.error.contains("text"),
        "names the field: {}",
        no_text.letter.error
    );
    assert!(dead.iter().any(|d| d.letter.payload == "this is not JSON"));
    let st = queue_status(&s, &stream);
    assert_eq!(
        (st["dead"].as_u64(), st["stream_messages"].as_u64()),
        (Some(2), Some(0)),
        "{st}"
    );

    // The API over the same PostgreSQL store shows them.
    let server = Server::start(&dir.path().join("unused.db"), &["--postgres", &s.postgres]);
    let (status, body) = server.request("GET", "/api/dead-letters", "", &[]);
    assert_eq!(status, 200);
    let listed: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(listed.as_array().map(|a| a.len()), Some(2), "{body}");
    let (_, summary) = server.request("GET", "/api/summary", "", &[]);
    assert!(summary.contains("\"articles\":50"), "{summary}");
}

#[test]
fn the_folder_watcher_publishes_to_the_queue_and_a_worker_stores() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let Some(s) = servers("watch") else { return };
    let stream = format!("WATCH{}", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    write_articles(&inbox.join("batch.jsonl"), 20);
    std::fs::write(inbox.join("broken.jsonl"), "{\"id\": \"x\"}\n").unwrap();
    let out = tocsin(&[
        "watch",
        "--dir",
        inbox.to_str().unwrap(),
        "--once",
        "--nats",
        &s.nats,
        "--stream",
        &stream,
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("20 articles queued"), "{err}");
    assert!(err.contains("broken.jsonl:1"), "the bad file is named: {err}");
    assert_eq!(queue_status(&s, &stream)["pending"], 20);
    let mut w = spawn_worker(&s, &stream);
    wait_exit(&mut w, Duration::from_secs(120));
    let store = PgStore::connect(&s.postgres).unwrap();
    assert_eq!(store.counts().unwrap().0, 20);
}
