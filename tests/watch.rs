//! `tocsin watch` against a local HTTP server serving good and hostile feeds and pages: each bad input
//! gets a clear error naming its URL, and the watcher goes on to store the good articles.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use support::tocsin;
use tocsin::ingest::{fetch, FetchConfig, Fetched, Validators};

const PAGE: &str = "<html><head><title>Clash</title><meta property=\"article:published_time\" content=\"2023-09-25\"></head><body><article><p>On Sunday, a heavily armed Serbian commando group fought with the Kosovar police in the village of Banjska in northern Kosovo.</p></article></body></html>";

fn rss(base: &str, items: &[&str]) -> String {
    let items: String = items.iter().map(|p| format!("<item><title>{p}</title><link>{base}{p}</link><guid>{base}{p}</guid><pubDate>Mon, 25 Sep 2023 08:00:00 GMT</pubDate></item>")).collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><link>{base}</link><description>d</description>{items}</channel></rss>")
}

fn respond(mut s: TcpStream, base: &str) {
    let mut reader = BufReader::new(s.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut etag_hit = false;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        if h.to_ascii_lowercase().starts_with("if-none-match: \"v1\"") {
            etag_hit = true;
        }
    }
    let ok = |s: &mut TcpStream, ctype: &str, body: &[u8], extra: &str| {
        let _ = s.write_all(
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
                body.len()
            )
            .as_bytes(),
        );
        let _ = s.write_all(body);
    };
    match path.as_str() {
        "/feed.xml" => ok(
            &mut s,
            "application/rss+xml",
            rss(
                base,
                &[
                    "/page1",
                    "/latin1-declared",
                    "/latin1-undeclared",
                    "/slow",
                    "/loop",
                    "/missing",
                ],
            )
            .as_bytes(),
            "",
        ),
        "/page1" => ok(&mut s, "text/html; charset=utf-8", PAGE.as_bytes(), ""),
        "/latin1-declared" => ok(
            &mut s,
            "text/html; charset=iso-8859-1",
            b"<html><body><p>Kosovar police arrested two men in Zve\xe8an on Sunday.</p></body></html>",
            "",
        ),
        "/latin1-undeclared" => ok(
            &mut s,
            "text/html",
            b"<html><body><p>Caf\xe9 owners protested in Pristina.</p></body></html>",
            "",
        ),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(4));
            ok(&mut s, "text/html", PAGE.as_bytes(), "");
        }
        "/loop" => {
            let _ =
                s.write_all(b"HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
        "/malformed.xml" => ok(
            &mut s,
            "application/rss+xml",
            b"<rss><channel><item><title>broken</item></rss",
            "",
        ),
        "/laughs.xml" => {
            let mut x = String::from("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
            for i in 1..10 {
                x.push_str(&format!(
                    "<!ENTITY lol{i} \"{}\">",
                    format!("&lol{};", if i == 1 { String::new() } else { (i - 1).to_string() }).repeat(10)
                ));
            }
            x.push_str("]><rss version=\"2.0\"><channel><title>&lol9;</title><item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>");
            ok(&mut s, "application/rss+xml", x.as_bytes(), "");
        }
        "/huge.xml" => {
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 104857600\r\nConnection: close\r\n\r\n");
            let chunk = vec![b' '; 1 << 16];
            for _ in 0..1600 {
                if s.write_all(&chunk).is_err() {
                    break;
                }
            }
        }
        "/etag.xml" if etag_hit => {
            let _ = s.write_all(b"HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nConnection: close\r\n\r\n");
        }
        "/etag.xml" => ok(
            &mut s,
            "application/rss+xml",
            rss(base, &["/page1"]).as_bytes(),
            "ETag: \"v1\"\r\n",
        ),
        _ => {
            let _ = s.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    }
}

fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let b = base.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let b = b.clone();
            std::thread::spawn(move || respond(conn, &b));
        }
    });
    base
}

#[test]
fn hostile_feeds_and_pages_are_reported_and_good_articles_stored() {
    let base = server();
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds.txt");
    std::fs::write(
        &feeds,
        format!(
            "# test feeds\n{base}/feed.xml\n{base}/malformed.xml\n{base}/laughs.xml\n{base}/huge.xml\n{base}/loop\n"
        ),
    )
    .unwrap();
    let drop = dir.path().join("inbox");
    std::fs::create_dir(&drop).unwrap();
    std::fs::write(drop.join("note.txt"), "Argentina has apologized to Brazil.").unwrap();
    std::fs::write(drop.join("broken.jsonl"), "{not json}\n").unwrap();
    let db = dir.path().join("w.db");
    let t0 = Instant::now();
    let out = tocsin(&[
        "watch",
        "--feeds",
        feeds.to_str().unwrap(),
        "--dir",
        drop.to_str().unwrap(),
        "--once",
        "--timeout",
        "2",
        "--politeness-ms",
        "0",
        "--max-bytes",
        "1000000",
        "--db",
        db.to_str().unwrap(),
    ]);
    let secs = t0.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    println!("{err}");
    assert_eq!(out.status.code(), Some(1), "errors make --once exit 1");
    assert!(secs < 30.0, "watch round took {secs:.1} s");
    for needle in [
        "/malformed.xml: not a valid RSS/Atom feed",
        "/huge.xml: body of 104857600 bytes is over the limit",
        "/loop",
        "/slow",
        "/latin1-undeclared: body is not valid UTF-8",
        "/missing: HTTP 404",
        "broken.jsonl:1: invalid JSON article",
    ] {
        assert!(err.contains(needle), "no error mentioning {needle:?}:\n{err}");
    }
    // The good feed and the billion-laughs feed parse (entities are not expanded); the other three fail.
    assert!(err.contains("round 1: feeds 2/5 ok"), "{err}");
    // The good page, the declared-Latin-1 page and the dropped file were coded and stored.
    let export = String::from_utf8(tocsin(&["export", "--db", db.to_str().unwrap()]).stdout).unwrap();
    let events: Vec<serde_json::Value> = export.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let clash = events
        .iter()
        .find(|e| e["event_type"] == "ASSAULT" && e["evidence"].as_str().unwrap_or("").contains("Banjska"))
        .expect("the good page's clash");
    // Banjska is not in the gazetteer: "in the village of Banjska in northern Kosovo" is Kosovo.
    assert_eq!(clash["location"]["text"], "Banjska in northern Kosovo", "{clash}");
    assert_eq!(clash["location"]["country"], "XKX", "{clash}");
    assert_eq!(clash["location"]["precision"], "country", "{clash}");
    assert_eq!(clash["date"], "2023-09-24");
    // The Latin-1 page reports the same attack (Sunday, Kosovar police, in Kosovo): its sentence is
    // stored as its own event or as a further report of the clash.
    let store = tocsin_store::SqliteStore::open(&db).unwrap();
    let reported = events.iter().any(|e| {
        use tocsin_store::Store as _;
        let id = e["id"].as_str().unwrap_or("");
        store
            .event(id)
            .unwrap()
            .is_some_and(|d| d.reports.iter().any(|r| r.evidence.contains("Zveèan")))
    });
    assert!(reported, "Latin-1 page decoded: {export}");
    assert!(
        events.iter().any(|e| e["event_type"] == "SUPPORT"),
        "the dropped file was coded"
    );
    // Nothing stored carries an entity expansion.
    let store_size = std::fs::metadata(&db).unwrap().len();
    assert!(store_size < 5_000_000, "store grew to {store_size} bytes");
    assert!(!export.contains("lollollol"));
}

#[test]
fn conditional_get_uses_etags() {
    let base = server();
    let cfg = FetchConfig {
        timeout: Duration::from_secs(5),
        ..FetchConfig::default()
    };
    let url = format!("{base}/etag.xml");
    let Fetched::Body { validators, .. } = fetch(&cfg, &url, &Validators::default()).unwrap() else {
        panic!("first fetch has a body")
    };
    assert_eq!(validators.etag.as_deref(), Some("\"v1\""));
    assert_eq!(fetch(&cfg, &url, &validators).unwrap(), Fetched::NotModified);
}
