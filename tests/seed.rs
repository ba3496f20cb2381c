//! End-to-end test on the reference story: every expected event with type, source country,
//! target country, date, place and dead count; background sentences are not dated 2023-09.
//!
//! The story is annotated in the gold corpus (data/gold/seed.jsonl) and is part of the event model's
//! training data: this test checks the whole pipeline on it (dates, places, casualties, dedup, offsets),
//! not generalisation, which the corpus's test split measures. The Serbian build-up at the border is
//! not expected as an event: it is only what Washington expressed concern about, and Vucic denies it
//! (an act mentioned only inside statements is not coded, by the event-coding conventions).

use tocsin::doc::{Event, PloverType};
use tocsin::Tocsin;

fn seed_events() -> (String, Vec<Event>) {
    let a = tocsin::seed_article().expect("seed article parses");
    let text = a.text.clone();
    (text, Tocsin::builtin().unwrap().code(a).unwrap())
}

fn country(a: &Option<tocsin::doc::ActorRef>) -> Option<&str> {
    a.as_ref().and_then(|a| a.country.as_deref().or(a.org.as_deref()))
}

struct Expect {
    what: &'static str,
    kind: PloverType,
    source: &'static str,
    target: &'static str,
    date: Option<&'static str>,
}

const EXPECTED: &[Expect] = &[
    Expect {
        what: "US demand to de-escalate",
        kind: PloverType::Request,
        source: "USA",
        target: "SRB",
        date: None,
    },
    Expect {
        what: "US concern about the buildup",
        kind: PloverType::Accuse,
        source: "USA",
        target: "SRB",
        date: Some("2023-09-29"),
    },
    Expect {
        what: "Blinken–Vucic phone call",
        kind: PloverType::Consult,
        source: "USA",
        target: "SRB",
        date: Some("2023-09-29"),
    },
    Expect {
        what: "Vucic denies / rejects US allegations",
        kind: PloverType::Reject,
        source: "SRB",
        target: "USA",
        date: None,
    },
    Expect {
        what: "Blinken demands accountability / withdrawal",
        kind: PloverType::Request,
        source: "USA",
        target: "SRB",
        date: None,
    },
    Expect {
        what: "US welcomes NATO decision",
        kind: PloverType::Support,
        source: "USA",
        target: "NATO",
        date: None,
    },
    Expect {
        what: "NATO approves more forces for Kosovo",
        kind: PloverType::Aid,
        source: "NATO",
        target: "XKX",
        date: None,
    },
    Expect {
        what: "Kurti asks the USA for help",
        kind: PloverType::Request,
        source: "XKX",
        target: "USA",
        date: None,
    },
    Expect {
        what: "Kurti phones Sullivan",
        kind: PloverType::Consult,
        source: "XKX",
        target: "USA",
        date: None,
    },
    Expect {
        what: "Vucic agrees with Blinken on de-escalation",
        kind: PloverType::Agree,
        source: "SRB",
        target: "USA",
        date: None,
    },
    Expect {
        what: "Banjska clash",
        kind: PloverType::Assault,
        source: "SRB",
        target: "XKX",
        date: Some("2023-09-24"),
    },
];

fn find<'a>(events: &'a [Event], e: &Expect) -> Option<&'a Event> {
    events.iter().find(|ev| {
        ev.event_type == e.kind
            && country(&ev.source) == Some(e.source)
            && country(&ev.target) == Some(e.target)
            && e.date
                .is_none_or(|d| ev.date.map(|d| d.to_string()).as_deref() == Some(d))
    })
}

#[test]
fn every_expected_event_is_coded() {
    let (_, events) = seed_events();
    let missing: Vec<&str> = EXPECTED
        .iter()
        .filter(|e| find(&events, e).is_none())
        .map(|e| e.what)
        .collect();
    assert!(
        missing.is_empty(),
        "missing events: {missing:?}\ncoded: {:#?}",
        events
            .iter()
            .map(|e| (e.event_type, country(&e.source), country(&e.target), &e.date))
            .collect::<Vec<_>>()
    );
}

#[test]
fn the_clash_has_place_date_casualties_and_size() {
    let (_, events) = seed_events();
    let clash = find(&events, &EXPECTED[10]).expect("clash coded");
    let loc = clash.location.as_ref().expect("clash has a place");
    // Banjska is not in GeoNames' list of places with >= 1,000 inhabitants: "the town of Banjska
    // near Mitrovica" places it at Mitrovica (~12 km away), quoting the whole phrase.
    assert_eq!(loc.text, "Banjska near Mitrovica");
    assert_eq!(loc.name, "Mitrovicë");
    assert_eq!(loc.country.as_deref(), Some("XKX"));
    let km = tocsin_events::distance_km(loc.lat, loc.lon, 42.9667, 20.7667);
    assert!(km < 25.0, "{km:.1} km from Banjska: {loc:?}");
    assert_eq!(clash.dead, Some(4));
    assert_eq!(clash.size, Some(30));
    assert_eq!(clash.date_text.as_deref(), Some("Sunday"));
    assert_eq!(clash.target.as_ref().unwrap().sector.as_deref(), Some("POL"));
}

#[test]
fn denial_modality_attribution_and_quotes() {
    let (_, events) = seed_events();
    let denial = events
        .iter()
        .find(|e| e.event_type == PloverType::Reject && e.trigger.text == "denied")
        .expect("denial coded");
    assert_eq!(denial.modality.as_str(), "denied");
    assert_eq!(denial.attribution.as_deref(), Some("Serbian news agency Tanjug"));
    let kirby = events.iter().find(|e| e.quote.is_some()).expect("quoted demand coded");
    assert_eq!(kirby.source.as_ref().unwrap().name, "John Kirby");
    assert!(kirby.quote.as_deref().unwrap().contains("withdraw these troops"));
    let call = find(&events, &EXPECTED[2]).unwrap();
    assert_eq!(call.mode.as_deref(), Some("phone"));
    assert_eq!(call.cameo, "041");
    assert_eq!(call.attribution.as_deref(), Some("US State Department"));
}

#[test]
fn nato_approval_reported_twice_is_one_event_with_two_mentions() {
    let (_, events) = seed_events();
    let aid: Vec<&Event> = events.iter().filter(|e| e.event_type == PloverType::Aid).collect();
    assert_eq!(aid.len(), 1);
    assert_eq!(aid[0].mentions.len(), 1);
}

#[test]
fn background_is_not_reported_as_september_2023_and_precision_holds() {
    let (text, events) = seed_events();
    for e in &events {
        if e.evidence.contains("1999") || e.evidence.contains("2008") || e.evidence.contains("recognize") {
            assert!(
                !e.date
                    .map(|d| d.to_string())
                    .as_deref()
                    .unwrap_or("")
                    .starts_with("2023-09"),
                "background sentence dated September 2023: {e:?}"
            );
        }
    }
    // Precision against the annotated story (every event of it, repeats included, by the conventions):
    // type and both actors' countries, scored as `tocsin eval gold` scores.
    let gold = tocsin::gold::read_gold(include_str!("../data/gold/seed.jsonl")).unwrap();
    let scores = tocsin::gold::evaluate(&Tocsin::builtin().unwrap(), &gold, &["train"]);
    let total = scores.total();
    let (type_precision, _, _) = total.prf();
    println!(
        "seed: {} events coded, {} annotated; type precision {type_precision:.2}, triple precision {:.2}",
        total.predicted,
        total.gold,
        scores.triple_precision()
    );
    assert!(type_precision >= 0.9, "type precision {type_precision:.2}");
    assert!(
        scores.triple_precision() >= 0.6,
        "triple precision {:.2}",
        scores.triple_precision()
    );
    // Trigger offsets are character offsets into the article text.
    for e in &events {
        let slice: String = text
            .chars()
            .skip(e.trigger.start)
            .take(e.trigger.end - e.trigger.start)
            .collect();
        assert_eq!(slice, e.trigger.text);
        assert_eq!(e.schema_version, tocsin::doc::SCHEMA_VERSION);
    }
}

#[test]
fn ids_are_stable_across_runs() {
    let (_, a) = seed_events();
    let (_, b) = seed_events();
    assert_eq!(
        a.iter().map(|e| &e.id).collect::<Vec<_>>(),
        b.iter().map(|e| &e.id).collect::<Vec<_>>()
    );
    let mut ids: Vec<&String> = a.iter().map(|e| &e.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), a.len(), "ids are unique");
}
