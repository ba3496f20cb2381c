//! Store tests of issue 14: dates the store will not trust, one event per fact, counting articles
//! once, alert filters and paging, map cells, the summary and bad full-text queries.

use chrono::NaiveDate;
use tocsin_doc::PloverType;

use super::tests::{article, event, pg_store};
use super::*;

fn day(s: &str) -> Option<NaiveDate> {
    s.parse().ok()
}

fn dated_article(id: &str, text: &str, outlet: &str, published: &str) -> Article {
    let mut a = article(id, text, outlet);
    a.published = day(published);
    a
}

crate::on_both_stores!(
    events_dated_after_their_report_or_long_before_it_are_kept_out,
    one_sentence_one_fact_one_event,
    an_article_counts_once_in_the_series_however_many_mentions,
    alerts_filter_and_page,
    the_map_groups_the_whole_filtered_set,
    bad_full_text_queries_are_refused_by_name
);

fn events_dated_after_their_report_or_long_before_it_are_kept_out(s: &dyn Store) {
    let a = dated_article("a", "By 2050 … in 1971 … today.", "Wire", "2025-03-10");
    let future = event(
        "f",
        PloverType::Assault,
        ("SRB", "XKX"),
        "2050-01-01",
        -10.0,
        None,
        None,
    );
    let mut old = event(
        "o",
        PloverType::Assault,
        ("SRB", "XKX"),
        "1971-01-01",
        -10.0,
        None,
        None,
    );
    old.sentence = 1;
    let mut now = event(
        "n",
        PloverType::Assault,
        ("SRB", "XKX"),
        "2025-03-11",
        -10.0,
        None,
        None,
    );
    now.sentence = 2;
    s.ingest(&a, &[future, old, now]).unwrap();
    let page = s.events(&EventQuery::default()).unwrap();
    let ids: Vec<&str> = page.items.iter().map(|e| e.event.id.as_str()).collect();
    assert_eq!(ids, ["n"], "a day after the report (time zones) is still news");
    let all = s
        .events(&EventQuery {
            noncurrent: Some(true),
            ..Default::default()
        })
        .unwrap();
    let timing: Vec<(String, Option<String>)> = all
        .items
        .iter()
        .map(|e| (e.event.id.clone(), e.timing.clone()))
        .collect();
    assert!(
        timing.contains(&("f".into(), Some("after_report".into()))),
        "{timing:?}"
    );
    assert!(timing.contains(&("o".into(), Some("historical".into()))), "{timing:?}");
    let sum = s.summary().unwrap();
    assert_eq!(
        (
            sum.first_date.as_deref(),
            sum.last_date.as_deref(),
            sum.noncurrent_events
        ),
        (Some("2025-03-11"), Some("2025-03-11"), 2)
    );
    assert_eq!(sum.last_published.as_deref(), Some("2025-03-10"));
    let series = s
        .series(Dyad::directed("SRB", "XKX"), None, None, Granularity::Day)
        .unwrap();
    assert_eq!(series.len(), 1, "{series:?}");
    assert_eq!(
        crate::timing(day("2025-03-12"), day("2025-03-10")),
        Some("after_report")
    );
    assert_eq!(crate::timing(day("2025-01-23"), day("2025-03-10")), Some("historical"));
    assert_eq!(crate::timing(day("2025-01-24"), day("2025-03-10")), None);
}

fn one_sentence_one_fact_one_event(s: &dyn Store) {
    // "An attack in Kyiv killed 9 and injured 12": three triggers, one fact.
    let a = dated_article("k", "An attack in Kyiv killed 9 and injured 12.", "Wire", "2025-04-01");
    let mut attack = event(
        "1",
        PloverType::Assault,
        ("RUS", "UKR"),
        "2025-04-01",
        -10.0,
        None,
        None,
    );
    attack.trigger.start = 3;
    let mut killed = event(
        "2",
        PloverType::Assault,
        ("RUS", "UKR"),
        "2025-04-01",
        -10.0,
        Some(9),
        None,
    );
    killed.trigger.start = 20;
    let mut injured = event(
        "3",
        PloverType::Assault,
        ("RUS", "UKR"),
        "2025-04-01",
        -10.0,
        None,
        None,
    );
    injured.trigger.start = 31;
    injured.injured = Some(12);
    // Another sentence of the same article with the same actors stays its own event.
    let mut other = event(
        "4",
        PloverType::Assault,
        ("RUS", "UKR"),
        "2025-04-01",
        -10.0,
        Some(1),
        None,
    );
    other.sentence = 3;
    let out = s.ingest(&a, &[attack, killed, injured, other]).unwrap();
    assert_eq!(out.new_events, ["1", "4"]);
    let page = s.events(&EventQuery::default()).unwrap();
    assert_eq!(page.total, 2);
    let first = page.items.iter().find(|e| e.event.id == "1").unwrap();
    assert_eq!((first.event.dead, first.event.injured), (Some(9), Some(12)));
    assert_eq!((first.num_mentions, first.num_articles), (3, 1));
    let detail = s.event("1").unwrap().unwrap();
    let starts: Vec<usize> = detail.reports.iter().map(|r| r.record.trigger.start).collect();
    assert!(
        starts.contains(&20) && starts.contains(&31),
        "merged reports keep their own spans: {starts:?}"
    );
    assert_eq!(detail.reports[0].published.as_deref(), Some("2025-04-01"));
}

fn an_article_counts_once_in_the_series_however_many_mentions(s: &dyn Store) {
    let mut e = event(
        "1",
        PloverType::Assault,
        ("RUS", "UKR"),
        "2025-04-01",
        -10.0,
        None,
        None,
    );
    e.mentions = (1..6)
        .map(|i| tocsin_doc::EventMention {
            sentence: i,
            trigger: tocsin_doc::TextSpan {
                text: "strike".into(),
                start: 10 * i,
                end: 10 * i + 6,
            },
            evidence: format!("sentence {i}"),
        })
        .collect();
    s.ingest(&dated_article("a", "one long article", "Wire", "2025-04-01"), &[e])
        .unwrap();
    let back = event(
        "2",
        PloverType::Assault,
        ("UKR", "RUS"),
        "2025-04-01",
        -10.0,
        None,
        None,
    );
    s.ingest(&dated_article("b", "another", "Wire", "2025-04-01"), &[back])
        .unwrap();
    let one_way = s
        .series(Dyad::directed("RUS", "UKR"), None, None, Granularity::Day)
        .unwrap();
    assert_eq!(
        (one_way[0].mentions, one_way[0].articles, one_way[0].sources),
        (6, 1, 1)
    );
    let both = s
        .series(Dyad::pair("ukr", "rus"), None, None, Granularity::Day)
        .unwrap();
    assert_eq!((both[0].events, both[0].articles, both[0].sources), (2, 2, 1));
    let page = s
        .events(&EventQuery {
            dyad: Some("ukr,RUS".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, 2);
}

fn alerts_filter_and_page(s: &dyn Store) {
    for (i, (rule, src, tgt, date)) in [
        ("escalation", "IND", "PAK", "2025-05-07"),
        ("escalation", "PAK", "IND", "2025-05-08"),
        ("deadly-assault", "ISR", "IRN", "2025-06-13"),
        ("escalation", "ISR", "IRN", "2025-06-13"),
    ]
    .into_iter()
    .enumerate()
    {
        let a = NewAlert {
            rule: rule.into(),
            source: src.into(),
            target: tgt.into(),
            date: date.into(),
            score: i as f64,
            message: "m".into(),
            event_ids: vec![],
            explanation: None,
        };
        s.save_alert(&a).unwrap();
    }
    let q = |f: &dyn Fn(&mut AlertQuery)| {
        let mut q = AlertQuery::default();
        f(&mut q);
        s.alerts(&q).unwrap()
    };
    assert_eq!(q(&|_| ()).total, 4);
    assert_eq!(q(&|q| q.dyad = Some("pak,ind".into())).total, 2);
    assert_eq!(q(&|q| q.country = Some("irn".into())).total, 2);
    assert_eq!(q(&|q| q.rule = Some("escalation".into())).total, 3);
    assert_eq!(q(&|q| q.from = Some("2025-05-08".into())).total, 3);
    assert_eq!(q(&|q| q.to = Some("2025-05-07".into())).total, 1);
    let page = q(&|q| {
        q.limit = Some(3);
        q.offset = Some(3)
    });
    assert_eq!((page.total, page.items.len()), (4, 1));
    assert_eq!(page.items[0].alert.date, "2025-05-07", "latest first");
}

fn the_map_groups_the_whole_filtered_set(s: &dyn Store) {
    let evs: Vec<Event> = (0..60)
        .map(|i| {
            let mut e = event(
                &format!("e{i}"),
                PloverType::Assault,
                ("RUS", "UKR"),
                "2025-04-01",
                -10.0,
                Some(1),
                Some((50.45 + (i % 3) as f64 * 0.01, 30.52)),
            );
            e.sentence = i;
            e
        })
        .collect();
    s.ingest(&dated_article("a", "sixty strikes", "Wire", "2025-04-01"), &evs)
        .unwrap();
    let mut far = event(
        "far",
        PloverType::Consult,
        ("USA", "UKR"),
        "2025-04-01",
        1.0,
        None,
        Some((38.9, -77.0)),
    );
    far.sentence = 100;
    s.ingest(&dated_article("b", "a call", "Wire", "2025-04-01"), &[far])
        .unwrap();
    let cells = s.places(&EventQuery::default(), 100).unwrap();
    assert_eq!(cells.len(), 2, "{cells:?}");
    assert_eq!((cells[0].events, cells[0].conflict, cells[0].dead), (60, 60, 60));
    assert!((cells[0].lat - 50.46).abs() < 0.02, "{cells:?}");
    let only = s
        .places(
            &EventQuery {
                source: Some("usa".into()),
                ..Default::default()
            },
            100,
        )
        .unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].conflict, 0);
}

fn bad_full_text_queries_are_refused_by_name(s: &dyn Store) {
    s.ingest(&dated_article("a", "Shelling near Banjska.", "Wire", "2025-04-01"), &[])
        .unwrap();
    for bad in ["NEAR(", "a OR", "\"unclosed"] {
        let q = EventQuery {
            q: Some(bad.into()),
            ..Default::default()
        };
        match s.events(&q) {
            // PostgreSQL's web search syntax accepts any text.
            Ok(_) => assert!(s.summary().is_ok()),
            Err(StoreError::BadQuery { parameter, message }) => {
                assert_eq!(parameter, "q");
                assert!(!message.contains("fts5"), "no database text: {message}");
            }
            Err(e) => panic!("{bad}: {e}"),
        }
    }
}

#[test]
fn sqlite_refuses_bad_full_text_syntax() {
    let s = SqliteStore::in_memory().unwrap();
    let q = EventQuery {
        q: Some("NEAR(".into()),
        ..Default::default()
    };
    assert!(matches!(s.events(&q), Err(StoreError::BadQuery { parameter: "q", .. })));
    assert!(matches!(s.dyads(&q, 5), Err(StoreError::BadQuery { .. })));
}

/// A store written before v5 gets its events' publication dates and timing by the migration: the
/// "by 2050" event an older tocsin stored leaves the listings and the summary.
#[test]
fn the_v5_migration_marks_stored_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in &crate::migrations::MIGRATIONS[..4] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        conn.execute_batch(
            "INSERT INTO articles (id, content_hash, text, published, ingested_at) VALUES ('a', 'h', 'by 2050', '2025-03-10', 'then');
             INSERT INTO events (id, event_type, cameo, goldstein, quad_class, date, num_mentions, num_sources, num_articles, first_seen, record)
                VALUES ('f', 'ASSAULT', '190', -10, 4, '2050-01-01', 1, 1, 1, 'then', '{}'),
                       ('n', 'ASSAULT', '190', -10, 4, '2025-03-10', 1, 1, 1, 'then', '{}');
             INSERT INTO mentions (event_id, article_id, sentence, trigger_start, trigger_end, evidence) VALUES
                ('f', 'a', 0, 0, 1, 'x'), ('n', 'a', 1, 0, 1, 'y');",
        )
        .unwrap();
    }
    let s = SqliteStore::open(&path).unwrap();
    let sum = s.summary().unwrap();
    assert_eq!(
        (sum.noncurrent_events, sum.last_date.as_deref()),
        (1, Some("2025-03-10"))
    );
}
