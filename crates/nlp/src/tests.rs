use tocsin_doc::{Article, Document, Stage};

use super::*;

#[test]
fn lemmas_cover_irregular_and_regular_forms() {
    let m = Morphology::builtin();
    for (form, base) in [
        ("fought", "fight"),
        ("spoke", "speak"),
        ("said", "say"),
        ("denied", "deny"),
        ("called", "call"),
        ("approved", "approve"),
        ("troops", "troop"),
        ("planned", "plan"),
        ("is", "be"),
    ] {
        assert_eq!(m.lemma(form), base, "{form}");
    }
    let forms = m.forms("fight");
    assert!(forms.contains(&"fought".to_string()) && forms.contains(&"fighting".to_string()));
    assert!(inflections("ban").contains(&"banned".to_string()));
    assert!(inflections("deny").contains(&"denied".to_string()));
}

#[test]
fn clauses_break_at_relative_pronouns_and_quotes() {
    let mut doc = Document::new(Article::from_text(
        "Blinken demanded that those responsible, who were currently in Serbia, be held accountable.",
    ));
    tocsin_text::TextSplitter::default().process(&mut doc).unwrap();
    HeuristicAnalyzer::default().process(&mut doc).unwrap();
    let clause_of = |w: &str| doc.tokens.iter().find(|t| t.norm == w).unwrap().clause;
    assert_eq!(clause_of("blinken"), clause_of("demanded"));
    assert!(clause_of("serbia") > clause_of("demanded"));
    let demanded = doc.tokens.iter().find(|t| t.norm == "demanded").unwrap();
    assert_eq!(demanded.pos, Pos::Verb);
    assert_eq!(doc.tokens.iter().find(|t| t.norm == "serbia").unwrap().pos, Pos::Propn);
}

mod trained {
    use std::collections::HashMap;

    use crate::conllu::parse_conllu;
    use crate::{Morphology, TaggerModel, TrainConfig};

    const TRAIN: &str = include_str!("../../../tests/fixtures/ud-ewt-train-400.conllu");
    const TEST: &str = include_str!("../../../tests/fixtures/ud-ewt-test-200.conllu");

    fn small() -> TaggerModel {
        let train = parse_conllu(TRAIN).unwrap();
        assert_eq!(train.len(), 400);
        TaggerModel::train(
            &train,
            TrainConfig {
                epochs: 4,
                seed: 3,
                prune: 0.0,
            },
        )
    }

    #[test]
    fn small_training_run_beats_the_most_frequent_tag_baseline() {
        let train = parse_conllu(TRAIN).unwrap();
        let test = parse_conllu(TEST).unwrap();
        // Baseline: each word's most frequent training tag; unknown words are NOUN.
        let mut counts: HashMap<String, HashMap<String, usize>> = HashMap::new();
        for w in train.iter().flat_map(|s| &s.words) {
            *counts
                .entry(w.form.to_lowercase())
                .or_default()
                .entry(w.upos.clone())
                .or_default() += 1;
        }
        let (mut hit, mut n) = (0, 0);
        for w in test.iter().flat_map(|s| &s.words) {
            let guess = counts
                .get(&w.form.to_lowercase())
                .and_then(|c| {
                    c.iter()
                        .max_by_key(|(t, k)| (**k, (*t).clone()))
                        .map(|(t, _)| t.clone())
                })
                .unwrap_or_else(|| "NOUN".into());
            hit += usize::from(guess == w.upos);
            n += 1;
        }
        let baseline = hit as f64 / n as f64;
        let scores = small().evaluate(&test);
        println!(
            "400-sentence model: UPOS {:.3} vs most-frequent-tag baseline {baseline:.3}",
            scores.upos
        );
        assert!(
            scores.upos > baseline + 0.03,
            "UPOS {:.3} does not beat baseline {baseline:.3}",
            scores.upos
        );
    }

    #[test]
    fn training_is_deterministic_and_models_round_trip() {
        let a = small();
        let b = small();
        let bytes = a.to_bytes().unwrap();
        assert_eq!(bytes, b.to_bytes().unwrap(), "same data and seed give the same bytes");
        let back = TaggerModel::from_bytes(&bytes).unwrap();
        assert_eq!(back, a);
        let words: Vec<String> = "Serbia denied the allegations on Friday ."
            .split(' ')
            .map(String::from)
            .collect();
        let m = Morphology::builtin();
        assert_eq!(back.tag(&words, &m), a.tag(&words, &m));
        assert!(TaggerModel::from_bytes(b"not a model")
            .unwrap_err()
            .to_string()
            .contains("not a tocsin tagger model"));
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let m = small();
        let morph = Morphology::builtin();
        assert!(m.tag(&[], &morph).is_empty());
        let long: Vec<String> = (0..10_000).map(|i| format!("w{i}")).collect();
        assert_eq!(m.tag(&long, &morph).len(), 10_000);
        let odd: Vec<String> = ["\u{0}", "\u{1b}[0m", "Москва", "北京表示", "🙂", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(m.tag(&odd, &morph).len(), 6);
    }
}

mod parsing {
    use crate::conllu::parse_conllu;
    use crate::{ParserConfig, ParserModel};

    const TRAIN: &str = include_str!("../../../tests/fixtures/ud-ewt-train-400.conllu");
    const TEST: &str = include_str!("../../../tests/fixtures/ud-ewt-test-200.conllu");

    fn gold_tags(s: &[crate::conllu::ConlluSentence]) -> Vec<Vec<String>> {
        s.iter()
            .map(|s| s.words.iter().map(|w| w.upos.clone()).collect())
            .collect()
    }

    #[test]
    fn small_parser_beats_attach_to_previous_word_and_round_trips() {
        let train = parse_conllu(TRAIN).unwrap();
        let test = parse_conllu(TEST).unwrap();
        let cfg = ParserConfig {
            epochs: 4,
            seed: 5,
            explore: 0.5,
        };
        let model = ParserModel::train(&train, cfg);
        let (mut hit, mut n) = (0, 0);
        for s in &test {
            for (i, w) in s.words.iter().enumerate() {
                hit += usize::from(w.head == i); // head = previous word (1-based index i), root for the first
                n += 1;
            }
        }
        let baseline = hit as f64 / n as f64;
        let scores = model.evaluate(&test, &gold_tags(&test));
        println!(
            "400-sentence parser: UAS {:.3} LAS {:.3} vs attach-to-previous {baseline:.3}",
            scores.uas, scores.las
        );
        assert!(
            scores.uas > baseline + 0.15,
            "UAS {:.3} vs baseline {baseline:.3}",
            scores.uas
        );
        let bytes = model.to_bytes().unwrap();
        assert_eq!(
            bytes,
            ParserModel::train(&train, cfg).to_bytes().unwrap(),
            "deterministic for a seed"
        );
        let back = ParserModel::from_bytes(&bytes).unwrap();
        let words: Vec<String> = ["Serbia", "denied", "the", "allegations", "."]
            .iter()
            .map(|w| w.to_string())
            .collect();
        let tags = ["PROPN", "VERB", "DET", "NOUN", "PUNCT"];
        let parsed = back.parse(&words, &tags);
        assert_eq!(parsed, model.parse(&words, &tags));
        assert_eq!(parsed.len(), 5);
        assert!(parsed.iter().filter(|(h, _)| *h == 0).count() >= 1);
    }

    #[test]
    fn parser_survives_hostile_input() {
        let model = ParserModel::train(
            &parse_conllu(TRAIN).unwrap()[..50],
            ParserConfig {
                epochs: 1,
                seed: 1,
                explore: 0.0,
            },
        );
        assert!(model.parse(&[], &[]).is_empty());
        let long: Vec<String> = (0..2_000).map(|i| format!("w{i}")).collect();
        let tags = vec!["NOUN"; 2_000];
        let parsed = model.parse(&long, &tags);
        assert_eq!(parsed.len(), 2_000);
        assert!(parsed.iter().all(|(h, _)| *h <= 2_000));
    }
}

mod naming {
    use crate::ner::parse_iob2;
    use crate::{NameLists, NerModel};

    #[test]
    fn ner_trains_round_trips_and_keeps_bio_valid() {
        let data = "# c\n1\tAlbin\tB-PER\n2\tKurti\tI-PER\n3\tvisited\tO\n4\tWashington\tB-LOC\n\n1\tNATO\tB-ORG\n2\tmet\tO\n3\tin\tO\n4\tBrussels\tB-LOC\n";
        let train = parse_iob2(data).unwrap();
        assert_eq!(train.len(), 2);
        let tag = |w: &[String]| -> Vec<String> {
            w.iter()
                .map(|x| {
                    if x.chars().next().is_some_and(char::is_uppercase) {
                        "PROPN".into()
                    } else {
                        "VERB".into()
                    }
                })
                .collect()
        };
        let names = NameLists::builtin();
        let m = NerModel::train(&train, &names, &tag, 5, 1);
        let back = NerModel::from_bytes(&m.to_bytes().unwrap()).unwrap();
        assert_eq!(back, m);
        let words: Vec<String> = ["Albin", "Kurti", "visited", "Washington"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            m.label(&words, &tag(&words), &names),
            vec!["B-PER", "I-PER", "O", "B-LOC"]
        );
        // Never an I- label without its B-.
        let odd: Vec<String> = ["kurti", "Москва", "", "🙂"].iter().map(|s| s.to_string()).collect();
        let labels = m.label(&odd, &tag(&odd), &names);
        let mut prev = "O".to_string();
        for l in labels {
            if let Some(t) = l.strip_prefix("I-") {
                assert!(prev.ends_with(t), "{prev} -> {l}");
            }
            prev = l;
        }
        assert!(parse_iob2("1\tonly-two-columns").is_err());
    }
}
