//! The dashboard in a real browser: Debian's headless Chromium driven by playwright-core
//! (tests/browser/dashboard.mjs). Skips with a message when node, Chromium or playwright-core
//! are missing, unless TOCSIN_REQUIRE_BROWSER is set (as .ci/run does).

mod support;

use std::path::Path;
use std::process::Command;

use support::Server;

#[test]
fn dashboard_shows_the_seed_story() {
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
    let server = Server::start(&db, &[]);
    let shot = root.join("target/dashboard.png");
    let out = Command::new("node")
        .arg(root.join("tests/browser/dashboard.mjs"))
        .arg(format!("{}/", server.url))
        .arg(&shot)
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
    assert!(shot.exists(), "screenshot saved");
}
