//! The PLOVER GSR dev set (164 sentences, CC BY-SA 4.0, see tests/fixtures/README.md) coded by the
//! rule coder, whose rules were grown on it: measured scores are printed, with floors just under the
//! figures it reaches. (The learned coder is trained on these records — `data/gold/gsr.jsonl` — so its
//! scores here measure nothing; it is judged on the gold corpus's test split, `tocsin eval gold`.)

use tocsin::eval::{evaluate, read_gold};
use tocsin::Tocsin;

const GSR: &str = include_str!("fixtures/PLOVER_GSR_dev.json");

/// The rule coder with `opts` otherwise.
fn rules(opts: tocsin::TocsinOptions) -> Tocsin {
    Tocsin::new(&tocsin::TocsinOptions { rules: true, ..opts }).unwrap()
}

#[test]
fn gsr_dev_scores_stay_above_floors() {
    let gold = read_gold(GSR).unwrap();
    assert_eq!(gold.len(), 164);
    let scores = evaluate(&rules(Default::default()), &gold).unwrap();
    println!("{}", scores.report(true));
    assert!(scores.type_recall >= 0.83, "type recall {:.3}", scores.type_recall);
    assert!(
        scores.type_precision >= 0.84,
        "type precision {:.3}",
        scores.type_precision
    );
    assert!(
        scores.triple_accuracy >= 0.64,
        "triple accuracy {:.3}",
        scores.triple_accuracy
    );
}

#[test]
fn the_phoenix_actor_dictionaries_lift_triple_accuracy() {
    // Same coder without the built-in dictionaries: people like "President Bill Clinton" lose their
    // own country and fall back on their sentence's (measured: 0.665 with, 0.604 without; earlier 0.591 vs 0.537; before
    // sector-only actors took their context's country, 0.433 vs 0.323).
    let gold = read_gold(GSR).unwrap();
    let with = evaluate(&rules(Default::default()), &gold).unwrap();
    let without = evaluate(
        &rules(tocsin::TocsinOptions {
            no_dictionaries: true,
            ..Default::default()
        }),
        &gold,
    )
    .unwrap();
    println!(
        "with dictionaries: {}\nwithout: {}",
        with.report(false),
        without.report(false)
    );
    assert!(
        with.triple_accuracy >= without.triple_accuracy + 0.02,
        "{:.3} vs {:.3}",
        with.triple_accuracy,
        without.triple_accuracy
    );
    assert!(with.type_precision >= without.type_precision - 0.01);
}

#[test]
fn individual_gsr_sentences_code_as_gold() {
    // (record id suffix, expected type, source country, target country)
    let cases = [
        ("Serbia on Thursday flatly rejected an Australian ultimatum to handover a guard involved in a shooting in front of the Yugoslav consulate in Sydney.", "REJECT", Some("SRB"), Some("AUS")),
        ("Argentina has apologized to Brazil for one of its gunboats intercepting a Brazilian ship in the Beagle Channel, disputed by Argentina and Chile.", "SUPPORT", Some("ARG"), Some("BRA")),
        ("The United States on Thursday demanded that the Democratic People's Republic of Korea (DPRK) forsake its nuclear program.", "REQUEST", Some("USA"), Some("PRK")),
        ("Switzerland said today it had expelled two Russian diplomats based in Geneva for spying, adding to a long series of espionage scares.", "SANCTION", Some("CHE"), Some("RUS")),
        ("Britain mobilized army reservists for a possible war against Iraq on Tuesday while UN arms inspectors said they needed more time.", "MOBILIZE", Some("GBR"), None),
    ];
    let coder = Tocsin::builtin().unwrap();
    for (text, kind, src, tgt) in cases {
        let events = coder.code(tocsin::doc::Article::from_text(text)).unwrap();
        let hit = events.iter().any(|e| {
            e.event_type.as_str() == kind
                && e.source.as_ref().and_then(|a| a.country.as_deref()) == src
                && tgt.is_none_or(|t| e.target.as_ref().and_then(|a| a.country.as_deref()) == Some(t))
        });
        assert!(
            hit,
            "{text}\n→ {:?}",
            events
                .iter()
                .map(|e| (e.event_type, &e.source, &e.target))
                .collect::<Vec<_>>()
        );
    }
}
