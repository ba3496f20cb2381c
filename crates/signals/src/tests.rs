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
