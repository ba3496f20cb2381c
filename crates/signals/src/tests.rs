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
        .alerts(10)
        .unwrap()
        .iter()
        .any(|a| a.alert.rule == "deadly-assault"));
}

#[test]
fn escalation_fires_against_a_calm_baseline_only() {
    let signals =
        Signals::parse("[[rule]]\nname = \"esc\"\nkind = \"escalation\"\nz = 2.0\nbaseline_days = 7\nmin_events = 2\n")
            .unwrap();
    let store = SqliteStore::in_memory().unwrap();
    // A calm week: one mild accusation a day.
    for d in 17..24 {
        let alerts = ingest(
            &store,
            &signals,
            vec![event(&format!("c{d}"), "ACCUSE", &format!("2023-09-{d}"), -2.0, None)],
        );
        assert!(alerts.is_empty(), "calm day {d} raised {alerts:?}");
    }
    // Then three assaults in one day.
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
    let alerts = ingest(&store, &signals, burst);
    assert_eq!(alerts.iter().filter(|a| a.alert.rule == "esc").count(), 1, "{alerts:?}");
    assert!(alerts[0].alert.score >= 2.0);
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
    assert!(err.contains("gave up after 3 attempts"), "{err}");
}
