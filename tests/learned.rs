//! The learned coder's steps on real-style news sentences: classify (the `triggers` stage's
//! detections), roles (rankers over mentions, people grounded in the place), implied sources, dates
//! that no asserted act may have, one event per fact, and deaths nobody caused.

use chrono::NaiveDate;
use tocsin::doc::{Article, Event, PloverType};
use tocsin::Tocsin;

fn coder() -> Tocsin {
    Tocsin::builtin().expect("built-in coder")
}

fn article(text: &str) -> Article {
    let mut a = Article::from_text(text);
    a.published = NaiveDate::from_ymd_opt(2025, 6, 2);
    a
}

fn code(t: &Tocsin, text: &str) -> Vec<Event> {
    t.code(article(text)).unwrap()
}

fn code_of(a: &Option<tocsin::doc::ActorRef>) -> Option<&str> {
    a.as_ref().map(|a| a.code.as_str())
}

#[test]
fn the_classify_step_finds_the_act_and_leaves_disasters_alone() {
    let t = coder();
    let doc = t
        .analyze(article(
            "Israeli airstrikes across the Gaza Strip kill at least 26 Palestinians.",
        ))
        .unwrap();
    let kinds: Vec<PloverType> = doc.detections.iter().flatten().map(|d| d.kind).collect();
    assert!(kinds.contains(&PloverType::Assault), "{kinds:?}");
    for text in [
        "An earthquake kills 20 people in eastern Turkey.",
        "Twelve people are killed in a landslide in Kachin State, Myanmar.",
        "A bus overturned in Potosi Department, Bolivia, killing 19.",
    ] {
        let e = code(&t, text);
        assert!(e.is_empty(), "{text}: {e:#?}");
    }
}

#[test]
fn people_named_by_what_they_are_take_the_country_where_it_happened() {
    let t = coder();
    let e = code(&t, "Police arrest 40 protesters in Istanbul, Turkey.");
    let arrest = e
        .iter()
        .find(|e| e.event_type == PloverType::Coerce)
        .expect("arrest coded");
    assert_eq!(code_of(&arrest.source), Some("TURPOL"), "{e:#?}");
    assert_eq!(code_of(&arrest.target), Some("TURCVL"), "{e:#?}");
    assert_eq!(arrest.arrested, Some(40));
}

#[test]
fn an_act_only_the_state_performs_has_the_state_as_source() {
    let t = coder();
    let e = code(
        &t,
        "Two suspects are arrested in Berlin, Germany, after the attack on a synagogue.",
    );
    let arrest = e
        .iter()
        .find(|e| e.event_type == PloverType::Coerce)
        .expect("arrest coded");
    let source = arrest.source.as_ref().expect("implied source");
    assert_eq!(source.country.as_deref(), Some("DEU"), "{e:#?}");
}

#[test]
fn unidentified_perpetrators_are_nobody() {
    let t = coder();
    let e = code(&t, "Gunmen kill five villagers in Zamfara State, Nigeria.");
    let attack = e
        .iter()
        .find(|e| e.event_type == PloverType::Assault)
        .expect("attack coded");
    assert_eq!(attack.source, None, "{e:#?}");
    assert_eq!(attack.target.as_ref().and_then(|a| a.country.as_deref()), Some("NGA"));
}

#[test]
fn no_asserted_act_is_dated_after_its_report_and_old_acts_are_background() {
    let t = coder();
    for text in [
        "Russia says it will take Kyiv by 2050.",
        "NATO bombed Serbia in 1999.",
        "Israeli airstrikes kill 10 people in Gaza; the war began in October 2023.",
    ] {
        for e in code(&t, text) {
            let date = e.date.expect("dated");
            let published = NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
            assert!((date - published).num_days() <= 1, "{text}: dated {date}");
            assert!((published - date).num_days() <= 45, "{text}: dated {date}");
        }
    }
}

#[test]
fn one_fact_reported_by_several_words_is_one_event() {
    let t = coder();
    let e = code(
        &t,
        "A Russian missile attack on Kyiv killed 9 people and injured 20 others.",
    );
    let assaults: Vec<&Event> = e.iter().filter(|e| e.event_type == PloverType::Assault).collect();
    assert_eq!(assaults.len(), 1, "{e:#?}");
    assert_eq!(assaults[0].dead, Some(9));
    assert_eq!(assaults[0].injured, Some(20));
}
