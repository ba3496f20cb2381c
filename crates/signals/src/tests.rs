use serde_json::json;
use tocsin_doc::{Article, Event};
use tocsin_store::SqliteStore;

use super::*;

fn event(id: &str, kind: &str, date: &str, goldstein: f32, dead: Option<u32>) -> Event {
    serde_json::from_value(json!({
        "schema_version": "1.0", "id": id, "article_id": id, "sentence": 0, "evidence": format!("{kind} on {date}"),
        "trigger": {"text": "x", "start": 0, "end": 1}, "event_type": kind, "mode": null, "context": [],
        "cameo": "190", "goldstein": goldstein, "quad_class": 4,
        "source": {"text": "Serbian", "start": 0, "end": 1, "name": "Serbia", "country": "SRB", "org": null, "sector": "REB", "code": "SRBREB"},
        "target": {"text": "Kosovar", "start": 0, "end": 1, "name": "Kosovo", "country": "XKX", "org": null, "sector": "POL", "code": "XKXPOL"},
        "date": date, "date_text": null, "date_precision": "day", "location": {"text": "p", "name": "p", "country": null, "lat": id.len() as f64 * 3.0, "lon": 0.0},
        "dead": dead, "injured": null, "size": null, "modality": "asserted", "attribution": null, "quote": null, "confidence": 0.9
    }))
    .unwrap()
}

fn ingest(store: &SqliteStore, signals: &Signals, events: Vec<Event>) -> Vec<Alert> {
    let mut a = Article::from_text(events.iter().map(|e| e.id.clone()).collect::<Vec<_>>().join(" "));
    a.id = events[0].id.clone();
    store.ingest(&a, &events).unwrap();
    signals.after_ingest(store, &events).unwrap()
}

#[test]
fn deadly_assault_fires_once_and_quiet_events_do_not() {
    let store = SqliteStore::in_memory().unwrap();
    let signals = Signals::builtin();
    let quiet = ingest(&store, &signals, vec![event("a", "CONSULT", "2023-09-20", 1.0, None)]);
    assert!(quiet.is_empty());
    let fired = ingest(
        &store,
        &signals,
        vec![event("bb", "ASSAULT", "2023-09-24", -10.0, Some(4))],
    );
    assert!(
        fired
            .iter()
            .any(|a| a.alert.rule == "deadly-assault" && a.alert.event_ids == vec!["bb".to_string()]),
        "{fired:?}"
    );
    let again = signals
        .after_ingest(&store, &[event("bb", "ASSAULT", "2023-09-24", -10.0, Some(4))])
        .unwrap();
    assert!(
        again.iter().all(|a| a.alert.rule != "deadly-assault"),
        "the same alert is not raised twice"
    );
    assert!(store
        .alerts(&tocsin_store::AlertQuery::default())
        .unwrap()
        .items
        .iter()
        .any(|a| a.alert.rule == "deadly-assault"));
}

fn article_of(id: &str, published: &str, events: &[Event]) -> Article {
    let mut a = Article::from_text(format!(
        "{id}: {}",
        events.iter().map(|e| e.id.clone()).collect::<Vec<_>>().join(" ")
    ));
    a.id = id.into();
    a.published = published.parse().ok();
    a
}

/// Stores one article with its events (each in its own sentence) and runs the rules.
fn report(
    store: &SqliteStore,
    signals: &Signals,
    article: &str,
    published: &str,
    mut events: Vec<Event>,
) -> Vec<Alert> {
    for (i, e) in events.iter_mut().enumerate() {
        e.sentence = i;
        e.article_id = article.into();
    }
    store.ingest(&article_of(article, published, &events), &events).unwrap();
    signals.after_ingest(store, &events).unwrap()
}

const ESC: &str = "[[rule]]\nname = \"esc\"\nkind = \"escalation\"\nz = 2.0\nbaseline_days = 7\nwindow_days = 1\n";

#[test]
fn escalation_needs_two_articles_and_explains_itself() {
    let signals = Signals::parse(ESC).unwrap();
    let store = SqliteStore::in_memory().unwrap();
    // A calm week: one mild accusation a day, each in its own article.
    for d in 17..24 {
        let date = format!("2023-09-{d}");
        let alerts = report(
            &store,
            &signals,
            &format!("calm{d}"),
            &date,
            vec![event(&format!("c{d}"), "ACCUSE", &date, -2.0, None)],
        );
        assert!(alerts.is_empty(), "calm day {d} raised {alerts:?}");
    }
    // Then three assaults in one long article: a big index, but one report.
    let burst: Vec<Event> = (0..3)
        .map(|k| {
            event(
                &format!("burst{k}{}", "x".repeat(k)),
                "ASSAULT",
                "2023-09-24",
                -10.0,
                None,
            )
        })
        .collect();
    let alerts = report(&store, &signals, "one-article", "2023-09-24", burst);
    assert!(alerts.is_empty(), "a single article is not corroboration: {alerts:?}");
    // A second article about that day corroborates it.
    let alerts = report(
        &store,
        &signals,
        "second",
        "2023-09-24",
        vec![event("other", "ASSAULT", "2023-09-24", -10.0, Some(3))],
    );
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    let esc = alerts.iter().find(|a| a.alert.rule == "esc").expect("escalation alert");
    let x = esc.alert.explanation.as_ref().unwrap();
    assert_eq!((x.articles, x.events), (2, 4));
    assert_eq!(x.baseline_days, Some(7));
    assert!(
        (x.baseline_mean.unwrap() - 2.0).abs() < 1e-9,
        "one article × Goldstein 2 a day: {x:?}"
    );
    assert!(x.value >= 19.9 && esc.alert.score >= 2.0, "{x:?}");
    assert_eq!(x.top_events[0].id, "other", "strongest first (dead break ties)");
    assert!(x.top_events[0].evidence.contains("ASSAULT"));
    assert!(esc.alert.message.contains("2 articles"), "{}", esc.alert.message);
    // Both directions of the pair count together and are named once, in order.
    assert_eq!((esc.alert.source.as_str(), esc.alert.target.as_str()), ("SRB", "XKX"));
}

#[test]
fn undirected_pairs_and_dates_after_the_report() {
    let signals = Signals::parse(ESC).unwrap();
    let store = SqliteStore::in_memory().unwrap();
    let mut back = event("back", "ASSAULT", "2023-09-24", -10.0, None);
    std::mem::swap(&mut back.source, &mut back.target);
    assert!(report(
        &store,
        &signals,
        "a",
        "2023-09-24",
        vec![event("fwd", "ASSAULT", "2023-09-24", -10.0, None)]
    )
    .is_empty());
    let alerts = report(&store, &signals, "b", "2023-09-24", vec![back]);
    assert!(
        alerts
            .iter()
            .any(|a| a.alert.rule == "esc" && a.alert.source == "SRB" && a.alert.target == "XKX"),
        "{alerts:?}"
    );
    // "… by 2050": dated long after its report, it raises nothing, however many articles say so.
    for id in ["f1", "f2", "f3"] {
        let alerts = report(
            &store,
            &signals,
            id,
            "2023-09-25",
            vec![event(&format!("e{id}"), "ASSAULT", "2050-01-01", -10.0, Some(9))],
        );
        assert!(alerts.is_empty(), "{alerts:?}");
    }
}

#[test]
fn bad_rules_are_reported() {
    let err = Signals::parse("[[rule]]\nname = \"x\"\nkind = \"sometimes\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("sometimes") || err.contains("variant"), "{err}");
}

#[test]
fn webhook_retries_until_delivered_and_gives_up_with_a_reason() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let mut bodies = Vec::new();
        for (i, conn) in listener.incoming().take(2).enumerate() {
            let mut c = conn.unwrap();
            // Read the headers, then as many body bytes as Content-Length says.
            let mut req = Vec::new();
            let mut buf = [0u8; 4096];
            loop {
                let n = c.read(&mut buf).unwrap();
                req.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&req).to_string();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let len = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length: ")
                                .and_then(|v| v.trim().parse::<usize>().ok())
                        })
                        .unwrap_or(0);
                    if body.len() >= len || n == 0 {
                        bodies.push(text);
                        break;
                    }
                }
            }
            let status = if i == 0 { "500 Internal Server Error" } else { "200 OK" };
            c.write_all(format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes())
                .unwrap();
        }
        bodies
    });
    let alert = Alert {
        id: 1,
        alert: NewAlert {
            rule: "deadly-assault".into(),
            source: "SRB".into(),
            target: "XKX".into(),
            date: "2023-09-24".into(),
            score: 4.0,
            message: "m".into(),
            event_ids: vec!["e".into()],
            explanation: None,
        },
        created_at: "now".into(),
    };
    let mut hook = Webhook::new(format!("http://{addr}/hook"));
    hook.backoff = std::time::Duration::from_millis(10);
    assert_eq!(deliver(&hook, &alert), Ok(2));
    let bodies = server.join().unwrap();
    assert!(bodies[1].contains("\"rule\":\"deadly-assault\""), "{}", bodies[1]);
    // Nobody listening: a clear error after the configured attempts.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut hook = Webhook::new(format!("http://{closed}/hook"));
    hook.backoff = std::time::Duration::from_millis(1);
    let err = deliver(&hook, &alert).unwrap_err();
    assert_eq!(err.attempts, 3);
    assert!(matches!(err.last, crate::WebhookFailure::Transport(_)), "{err:?}");
    assert!(err.to_string().contains("gave up after 3 attempts"), "{err}");
}
