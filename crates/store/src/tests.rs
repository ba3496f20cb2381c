//! Store tests on hand-checked fixtures.

use tocsin_doc::{ActorRef, Article, Event, Location, Modality, PloverType, TextSpan, SCHEMA_VERSION};

use super::*;

pub(crate) fn actor(country: &str, sector: Option<&str>) -> ActorRef {
    ActorRef {
        text: country.into(),
        start: 0,
        end: 3,
        name: country.into(),
        country: Some(country.into()),
        org: None,
        sector: sector.map(String::from),
        code: format!("{country}{}", sector.unwrap_or("")),
    }
}

pub(crate) fn event(
    id: &str,
    kind: PloverType,
    (src, tgt): (&str, &str),
    date: &str,
    goldstein: f32,
    dead: Option<u32>,
    place: Option<(f64, f64)>,
) -> Event {
    Event {
        schema_version: SCHEMA_VERSION.into(),
        id: id.into(),
        article_id: String::new(),
        sentence: 0,
        evidence: format!("{src} {kind} {tgt}"),
        trigger: TextSpan {
            text: "x".into(),
            start: 4,
            end: 5,
        },
        event_type: kind,
        mode: None,
        context: vec![],
        cameo: "190".parse().unwrap(),
        goldstein,
        quad_class: match kind {
            PloverType::Assault => 4,
            PloverType::Request | PloverType::Accuse => 3,
            _ => 1,
        },
        source: Some(actor(src, Some("REB"))),
        target: Some(actor(tgt, Some("POL"))),
        date: Some(date.parse().unwrap()),
        date_text: None,
        date_precision: tocsin_doc::Precision::Day,
        location: place.map(|(lat, lon)| Location {
            text: "p".into(),
            name: "p".into(),
            country: None,
            lat,
            lon,
            precision: tocsin_doc::GeoPrecision::Place,
        }),
        dead,
        injured: None,
        arrested: None,
        size: None,
        modality: Modality::Asserted,
        attribution: None,
        quote: None,
        confidence: 0.9,
        mentions: vec![],
    }
}

pub(crate) fn article(id: &str, text: &str, outlet: &str) -> Article {
    let mut a = Article::from_text(text);
    a.id = id.into();
    a.source = Some(outlet.into());
    a
}

/// A fresh PostgreSQL database on the server named by `TOCSIN_TEST_POSTGRES`, or `None` (with a
/// message) when there is none; `TOCSIN_REQUIRE_SERVERS=1` (set by CI) turns absence into a failure.
pub(crate) fn pg_store(test: &str) -> Option<PgStore> {
    let Ok(url) = std::env::var("TOCSIN_TEST_POSTGRES") else {
        assert!(
            std::env::var("TOCSIN_REQUIRE_SERVERS").is_err(),
            "TOCSIN_REQUIRE_SERVERS is set but TOCSIN_TEST_POSTGRES is not"
        );
        eprintln!("skipping the PostgreSQL run of {test}: TOCSIN_TEST_POSTGRES is not set");
        return None;
    };
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!("tocsin_test_{}_{n}_{nanos}", std::process::id());
    eprintln!("{test}: PostgreSQL database {name}");
    let db = PgStore::create_database(&url, &name).expect("creating a test database");
    Some(PgStore::connect(&db).expect("connecting to the test database"))
}

/// One test body, run on SQLite (in memory) and on a fresh PostgreSQL database.
#[macro_export]
#[doc(hidden)]
macro_rules! on_both_stores {
    ($($name:ident),*) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name(&super::SqliteStore::in_memory().unwrap());
            }
            #[test]
            fn postgres() {
                if let Some(s) = super::pg_store(stringify!($name)) {
                    super::$name(&s);
                }
            }
        }
    )*};
}

on_both_stores!(
    two_differently_worded_articles_about_one_clash_become_one_event,
    aggregation_matches_a_hand_checked_fixture,
    filters_paging_and_full_text_search,
    alerts_are_stored_once,
    distinct_events_of_one_article_are_not_merged,
    dead_letters_are_stored_once_and_listed,
    week_and_month_series_agree,
    a_country_level_place_matches_any_place_in_that_country
);

fn dead_letters_are_stored_once_and_listed(s: &dyn Store) {
    let d = NewDeadLetter {
        message_id: "tocsin-articles:17".into(),
        article_id: Some("a17".into()),
        error: "line 1, field text: missing".into(),
        attempts: 3,
        payload: "{}".into(),
    };
    s.save_dead_letter(&d).unwrap();
    s.save_dead_letter(&d).unwrap();
    let listed = s.dead_letters(10).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].letter, d);
}

fn week_and_month_series_agree(s: &dyn Store) {
    // 2023-09-24 is a Sunday (week 38, Monday first), 09-25 a Monday (week 39), 10-02 week 40.
    for (i, day) in ["2023-09-24", "2023-09-25", "2023-10-02"].iter().enumerate() {
        let id = format!("w{i}");
        s.ingest(
            &article(&id, &format!("report {i}"), "x"),
            &[event(
                &id,
                PloverType::Assault,
                ("SRB", "XKX"),
                day,
                -10.0,
                Some(1),
                Some((i as f64 * 5.0, 0.0)),
            )],
        )
        .unwrap();
    }
    let weeks = s
        .series(Dyad::directed("SRB", "XKX"), None, None, Granularity::Week)
        .unwrap();
    let labels: Vec<&str> = weeks.iter().map(|w| w.period.as_str()).collect();
    assert_eq!(labels, ["2023-W38", "2023-W39", "2023-W40"]);
    let months = s
        .series(
            Dyad::directed("SRB", "XKX"),
            Some("2023-09-01"),
            None,
            Granularity::Month,
        )
        .unwrap();
    assert_eq!(
        months
            .iter()
            .map(|m| (m.period.as_str(), m.events, m.dead))
            .collect::<Vec<_>>(),
        [("2023-09", 2, 2), ("2023-10", 1, 1)]
    );
}

#[test]
fn postgres_ingest_is_idempotent_and_migrates_once() {
    let Some(s) = pg_store("idempotent") else {
        return;
    };
    assert_eq!(s.schema_version().unwrap(), 3);
    let a = article("a1", "Serbian gunmen attacked Kosovar police in Banjska.", "AP");
    let e = event(
        "e1",
        PloverType::Assault,
        ("SRB", "XKX"),
        "2023-09-24",
        -10.0,
        Some(4),
        None,
    );
    assert!(s.ingest(&a, std::slice::from_ref(&e)).unwrap().new_article);
    let again = s.ingest(&a, &[e]).unwrap();
    assert!(!again.new_article && again.new_events.is_empty());
    assert_eq!(s.counts().unwrap(), (1, 1, 1));
}

#[test]
fn ingest_is_idempotent_and_migrates_from_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 5);
    let a = article("a1", "Serbian gunmen attacked Kosovar police in Banjska.", "AP");
    let e = event(
        "e1",
        PloverType::Assault,
        ("SRB", "XKX"),
        "2023-09-24",
        -10.0,
        Some(4),
        Some((42.97, 20.77)),
    );
    let first = s.ingest(&a, std::slice::from_ref(&e)).unwrap();
    assert!(first.new_article && first.new_events == vec!["e1".to_string()]);
    let again = s.ingest(&a, &[e]).unwrap();
    assert!(!again.new_article && again.new_events.is_empty() && again.merged_events.is_empty());
    assert_eq!(s.counts().unwrap(), (1, 1, 1));
    drop(s);
    let reopened = SqliteStore::open(&path).unwrap();
    assert_eq!(reopened.counts().unwrap(), (1, 1, 1));
}

fn two_differently_worded_articles_about_one_clash_become_one_event(s: &dyn Store) {
    let a = article(
        "a1",
        "Serbian gunmen attacked Kosovar police in Banjska on Sunday.",
        "AP",
    );
    let b = article(
        "b1",
        "A Serb commando fought Kosovo police near Mitrovica, killing four.",
        "Reuters",
    );
    s.ingest(
        &a,
        &[event(
            "e1",
            PloverType::Assault,
            ("SRB", "XKX"),
            "2023-09-24",
            -10.0,
            None,
            Some((42.97, 20.77)),
        )],
    )
    .unwrap();
    let out = s
        .ingest(
            &b,
            &[event(
                "e2",
                PloverType::Assault,
                ("SRB", "XKX"),
                "2023-09-25",
                -10.0,
                Some(4),
                Some((42.89, 20.87)),
            )],
        )
        .unwrap();
    assert_eq!(out.merged_events, vec!["e1".to_string()]);
    let page = s.events(&EventQuery::default()).unwrap();
    assert_eq!(page.total, 1);
    let ev = &page.items[0];
    assert_eq!((ev.num_mentions, ev.num_articles, ev.num_sources), (2, 2, 2));
    assert_eq!(ev.event.dead, Some(4), "casualties from the second report are kept");
    // A different place cell or a later date is another event.
    s.ingest(
        &article("c1", "Clash in Pristina.", "AFP"),
        &[event(
            "e3",
            PloverType::Assault,
            ("SRB", "XKX"),
            "2023-09-24",
            -10.0,
            None,
            Some((42.66, 21.16)),
        )],
    )
    .unwrap();
    s.ingest(
        &article("d1", "Clash again.", "AFP"),
        &[event(
            "e4",
            PloverType::Assault,
            ("SRB", "XKX"),
            "2023-09-28",
            -10.0,
            None,
            Some((42.97, 20.77)),
        )],
    )
    .unwrap();
    assert_eq!(s.events(&EventQuery::default()).unwrap().total, 3);
    let detail = s.event("e1").unwrap().unwrap();
    assert_eq!(detail.reports.len(), 2);
}

fn aggregation_matches_a_hand_checked_fixture(s: &dyn Store) {
    // Day 1: two assaults (-10 each, dead 1 and 2) and one request (-5); day 2: one consult (+1).
    s.ingest(
        &article("a", "a", "x"),
        &[event(
            "1",
            PloverType::Assault,
            ("SRB", "XKX"),
            "2023-09-24",
            -10.0,
            Some(1),
            Some((0.0, 0.0)),
        )],
    )
    .unwrap();
    s.ingest(
        &article("b", "b", "x"),
        &[event(
            "2",
            PloverType::Assault,
            ("SRB", "XKX"),
            "2023-09-24",
            -10.0,
            Some(2),
            Some((10.0, 10.0)),
        )],
    )
    .unwrap();
    s.ingest(
        &article("c", "c", "x"),
        &[event(
            "3",
            PloverType::Request,
            ("SRB", "XKX"),
            "2023-09-24",
            -5.0,
            None,
            None,
        )],
    )
    .unwrap();
    s.ingest(
        &article("d", "d", "x"),
        &[event(
            "4",
            PloverType::Consult,
            ("SRB", "XKX"),
            "2023-09-25",
            1.0,
            None,
            None,
        )],
    )
    .unwrap();
    s.ingest(
        &article("e", "e", "x"),
        &[event(
            "5",
            PloverType::Consult,
            ("XKX", "SRB"),
            "2023-09-25",
            1.0,
            None,
            None,
        )],
    )
    .unwrap();
    let days = s
        .series(Dyad::directed("SRB", "XKX"), None, None, Granularity::Day)
        .unwrap();
    assert_eq!(days.len(), 2);
    assert_eq!(days[0].period, "2023-09-24");
    assert_eq!(days[0].events, 3);
    assert_eq!(days[0].by_type.get("ASSAULT"), Some(&2));
    assert_eq!(days[0].by_quad.get(&4), Some(&2));
    assert_eq!(days[0].goldstein_sum, -25.0);
    assert!((days[0].goldstein_mean + 25.0 / 3.0).abs() < 1e-9);
    assert_eq!(days[0].dead, 3);
    assert_eq!(days[1].events, 1, "the reverse dyad is not counted");
    let months = s
        .series(Dyad::directed("SRB", "XKX"), None, None, Granularity::Month)
        .unwrap();
    assert_eq!(months.len(), 1);
    assert_eq!(months[0].events, 4);
    let edges = s.dyads(&EventQuery::default(), 10).unwrap();
    assert_eq!(
        (edges[0].source.as_str(), edges[0].target.as_str(), edges[0].events),
        ("SRB", "XKX", 4)
    );
}

fn filters_paging_and_full_text_search(s: &dyn Store) {
    s.ingest(
        &article("a", "Gunmen attacked police in Banjska.", "x"),
        &[event(
            "1",
            PloverType::Assault,
            ("SRB", "XKX"),
            "2023-09-24",
            -10.0,
            None,
            None,
        )],
    )
    .unwrap();
    s.ingest(
        &article("b", "Washington expressed concern.", "x"),
        &[event(
            "2",
            PloverType::Accuse,
            ("USA", "SRB"),
            "2023-09-29",
            -2.0,
            None,
            None,
        )],
    )
    .unwrap();
    let q = |f: fn(&mut EventQuery)| {
        let mut q = EventQuery::default();
        f(&mut q);
        s.events(&q).unwrap()
    };
    assert_eq!(q(|q| q.country = Some("USA".into())).total, 1);
    assert_eq!(q(|q| q.event_type = Some("assault".into())).items[0].event.id, "1");
    assert_eq!(q(|q| q.from = Some("2023-09-25".into())).items[0].event.id, "2");
    assert_eq!(q(|q| q.q = Some("Banjska".into())).items[0].event.id, "1");
    assert_eq!(q(|q| q.limit = Some(1)).items.len(), 1);
    assert_eq!(q(|q| q.actor = Some("SRB".into())).total, 2);
}

fn alerts_are_stored_once(s: &dyn Store) {
    let a = NewAlert {
        rule: "deadly".into(),
        source: "SRB".into(),
        target: "XKX".into(),
        date: "2023-09-24".into(),
        score: 4.0,
        message: "m".into(),
        event_ids: vec!["1".into()],
        explanation: Some(Explanation {
            value: 4.0,
            articles: 2,
            ..Default::default()
        }),
    };
    assert!(s.save_alert(&a).unwrap().is_some());
    assert!(s.save_alert(&a).unwrap().is_none());
    let page = s.alerts(&AlertQuery::default()).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].alert.event_ids, vec!["1".to_string()]);
    assert_eq!(page.items[0].alert.explanation.as_ref().unwrap().articles, 2);
}

/// Two demands of one article in two sentences stay two events (within one sentence, the same type
/// and actors are one fact: see `tests_truth::one_sentence_one_fact_one_event`).
fn distinct_events_of_one_article_are_not_merged(s: &dyn Store) {
    let a = article("a", "Two demands.", "x");
    let mut e2 = event("2", PloverType::Request, ("USA", "SRB"), "2023-09-29", -5.0, None, None);
    e2.trigger.start = 40;
    e2.sentence = 1;
    s.ingest(
        &a,
        &[
            event("1", PloverType::Request, ("USA", "SRB"), "2023-09-29", -5.0, None, None),
            e2,
        ],
    )
    .unwrap();
    assert_eq!(s.events(&EventQuery::default()).unwrap().total, 2);
}

#[test]
fn a_version_1_store_migrates_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        // A store as version 1 left it.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(crate::migrations::MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO articles (id, content_hash, text, ingested_at) VALUES ('old', 'h', 'old text', 'then')",
            [],
        )
        .unwrap();
    }
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 5);
    assert_eq!(s.counts().unwrap().0, 1);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let has_index: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'events_dedup'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(has_index, 1);
    drop(conn);
    // A store from a newer tocsin is refused, not damaged.
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    assert!(matches!(
        SqliteStore::open(&path),
        Err(StoreError::TooNew { found: 99, .. })
    ));
}

/// An event placed at (lat, lon) in `country`, with the given precision.
fn placed(id: &str, country: &str, (lat, lon): (f64, f64), precision: tocsin_doc::GeoPrecision) -> Event {
    let mut e = event(
        id,
        PloverType::Assault,
        ("SRB", "XKX"),
        "2023-09-24",
        -10.0,
        None,
        Some((lat, lon)),
    );
    if let Some(l) = e.location.as_mut() {
        l.country = Some(country.into());
        l.precision = precision;
    }
    e
}

fn a_country_level_place_matches_any_place_in_that_country(s: &dyn Store) {
    use tocsin_doc::GeoPrecision::{Country, Place};
    let near = article(
        "n1",
        "Serb gunmen fought Kosovo police in Banjska near Mitrovica.",
        "AP",
    );
    s.ingest(&near, &[placed("e1", "XKX", (42.88, 20.87), Place)]).unwrap();
    // "in northern Kosovo": Kosovo's centroid, ~40 km away, is the same place at country level.
    let vague = article("v1", "Serb gunmen fought Kosovo police in northern Kosovo.", "Reuters");
    let out = s
        .ingest(&vague, &[placed("e2", "XKX", (42.56, 20.95), Country)])
        .unwrap();
    assert_eq!(out.merged_events, vec!["e1".to_string()]);
    // A country-level place in another country is not.
    let other = article("o1", "Serb gunmen fought Kosovo police in Serbia.", "AFP");
    let out = s.ingest(&other, &[placed("e3", "SRB", (44.0, 20.9), Country)]).unwrap();
    assert_eq!(out.new_events, vec!["e3".to_string()]);
    // Nor is a precise place 100 km away, even in the same country.
    let far = article("f1", "Serb gunmen fought Kosovo police in Prizren.", "BBC");
    let out = s.ingest(&far, &[placed("e4", "XKX", (42.21, 20.74), Place)]).unwrap();
    assert_eq!(out.new_events, vec!["e4".to_string()]);
}
