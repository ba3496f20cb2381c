//! The dashboard in a real browser: Debian's headless Chromium driven by playwright-core
//! (tests/browser/dashboard.mjs), on a store holding the seed story and 252 real news summaries of
//! 2025 (tests/fixtures/news_2025_sample.jsonl), with a cross-origin page that tries to write.
//! Screenshots go to target/dashboard*.png. Skips with a message when node, Chromium or
//! playwright-core are missing, unless TOCSIN_REQUIRE_BROWSER is set (as .ci/run does).

mod support;

use std::path::Path;
use std::process::Command;

use support::Server;

#[test]
fn dashboard_opens_on_the_news_and_refuses_cross_site_writes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let missing: Vec<&str> = [
        (!node_ok).then_some("node"),
        (!Path::new(&chromium).exists()).then_some("chromium (apt-get install chromium)"),
        (!root.join("tests/browser/node_modules/playwright-core").exists())
            .then_some("playwright-core (npm ci in tests/browser)"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !missing.is_empty() {
        assert!(
            std::env::var_os("TOCSIN_REQUIRE_BROWSER").is_none(),
            "browser test required but missing: {missing:?}"
        );
        eprintln!("skipping the browser test: missing {missing:?}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = support::demo_db(dir.path());
    let news = root.join("tests/fixtures/news_2025_sample.jsonl");
    let ingest = support::tocsin(&["ingest", news.to_str().unwrap(), "--db", db.to_str().unwrap()]);
    assert!(ingest.status.success(), "{}", String::from_utf8_lossy(&ingest.stderr));
    let server = Server::start(&db, &[]);
    let shots = root.join("target");
    std::fs::create_dir_all(&shots).unwrap();
    let shot = shots.join("dashboard.png");
    let _ = std::fs::remove_file(&shot);
    let out = Command::new("node")
        .arg(root.join("tests/browser/dashboard.mjs"))
        .arg(format!("{}/", server.url))
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "dashboard checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in ["dashboard.png", "dashboard-filtered.png", "dashboard-error.png"] {
        assert!(shots.join(name).exists(), "screenshot {name} saved");
    }
}
