use std::sync::Arc;

use tocsin_doc::{Article, Document, MentionKind, Stage};

use super::*;

fn recognise(text: &str) -> Document {
    recognise_with(KnowledgeBase::builtin().unwrap(), text)
}

fn recognise_with(kb: KnowledgeBase, text: &str) -> Document {
    let mut doc = Document::new(Article::from_text(text));
    tocsin_text::TextSplitter::default().process(&mut doc).unwrap();
    tocsin_nlp::HeuristicAnalyzer::default().process(&mut doc).unwrap();
    ActorRecognizer::new(Arc::new(kb)).process(&mut doc).unwrap();
    doc
}

fn codes(doc: &Document) -> Vec<(String, String)> {
    doc.mentions
        .iter()
        .map(|m| (doc.slice(m.span).to_string(), m.actor.code.clone()))
        .collect()
}

#[test]
fn titles_people_and_adjectives_merge_into_one_mention() {
    let doc = recognise("US Secretary of State Antony Blinken spoke by telephone with Serbian President Aleksandar Vucic, the US State Department announced.");
    assert_eq!(
        codes(&doc),
        vec![
            ("US Secretary of State Antony Blinken".into(), "USAGOV".into()),
            ("Serbian President Aleksandar Vucic".into(), "SRBGOV".into()),
            ("US State Department".into(), "USAGOV".into()),
        ]
    );
    assert!(doc.mentions[0].person);
}

#[test]
fn sectors_orgs_capitals_and_locatives() {
    let doc = recognise("Washington expressed concern about Serbian troops. A Serbian commando group fought with the Kosovar police in Kosovo. NATO approved it in Brussels.");
    let c = codes(&doc);
    assert!(c.contains(&("Washington".into(), "USAGOV".into())), "{c:?}");
    assert!(c.contains(&("Serbian troops".into(), "SRBMIL".into())), "{c:?}");
    assert!(c.contains(&("Serbian commando group".into(), "SRBREB".into())), "{c:?}");
    assert!(c.contains(&("Kosovar police".into(), "XKXPOL".into())), "{c:?}");
    assert!(c.contains(&("NATO".into(), "IGONAT".into())), "{c:?}");
    let kosovo = doc.mentions.iter().find(|m| doc.slice(m.span) == "Kosovo").unwrap();
    assert!(kosovo.locative);
    let nato = doc.mentions.iter().find(|m| m.actor.code == "IGONAT").unwrap();
    assert_eq!(nato.actor.country, None);
}

#[test]
fn short_acronyms_are_case_sensitive() {
    let doc = recognise("They told us the UN and the US would help.");
    let c = codes(&doc);
    assert_eq!(c, vec![("UN".into(), "IGOUNO".into()), ("US".into(), "USA".into())]);
}

#[test]
fn pronouns_and_descriptions_resolve_to_earlier_mentions() {
    let doc = recognise("Vucic described the allegations as untruths. He agreed with Blinken. After an attack in northern Kosovo, Blinken said those responsible, who were in Serbia, must pay. NATO sent forces to the small Balkan country.");
    let he = doc.mentions.iter().find(|m| doc.slice(m.span) == "He").unwrap();
    assert_eq!(he.actor.code, "SRBGOV");
    let desc = doc
        .mentions
        .iter()
        .find(|m| doc.slice(m.span) == "the small Balkan country")
        .unwrap();
    assert_eq!(
        desc.actor.code, "XKX",
        "parenthetical 'in Serbia' must not be the antecedent"
    );
}

#[test]
fn it_and_they_resolve_to_the_subject_country_or_group() {
    let doc = recognise(
        "Rwandan rebels met Ugandan officials on Monday. They later attacked a police post. Russia rejected the claims. It accused Ukraine.",
    );
    let code_of = |text: &str| {
        doc.mentions
            .iter()
            .find(|m| doc.slice(m.span) == text)
            .map(|m| (m.actor.code.clone(), m.kind))
    };
    // The first group of the previous sentence (its subject), not the nearest one.
    assert_eq!(code_of("They"), Some(("RWAREB".into(), MentionKind::Pronoun)));
    assert_eq!(code_of("It"), Some(("RUS".into(), MentionKind::Pronoun)));
    // Nothing fitting in reach: no mention ("it" is not a person, "they" not a country).
    let doc = recognise("Blinken spoke. It rained. Russia said they were wrong.");
    assert!(
        doc.mentions.iter().all(|m| !matches!(doc.slice(m.span), "It" | "they")),
        "{:?}",
        doc.mentions
    );
}

#[test]
fn unknown_names_block_stale_pronoun_antecedents() {
    let doc =
        recognise("Blinken spoke. The politician Milan Radoicic claimed responsibility. He claimed he acted alone.");
    assert!(doc.mentions.iter().all(|m| doc.slice(m.span) != "He"));
}

#[test]
fn user_kb_directory_overrides_files_and_reports_bad_lines() {
    let dir = std::env::temp_dir().join(format!("tocsin-kb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("aliases.tsv"), "XKX\tDardania\n").unwrap();
    let kb = KnowledgeBase::from_dir(&dir).unwrap();
    assert!(kb.country("XKX").is_some());
    std::fs::write(dir.join("aliases.tsv"), "ZZZ\tNowhere\n").unwrap();
    let err = KnowledgeBase::from_dir(&dir).unwrap_err().to_string();
    assert!(err.starts_with("aliases.tsv:1: field `iso3`"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn dictionary_actors_join_the_knowledge_base_without_overriding_it() {
    let mut w = Vec::new();
    let actors = tocsin_dictionaries::read_actors(
        "t.actors.txt",
        "BILL_CLINTON [USAGOV 930120-010120]\n+PRESIDENT_CLINTON\nKOSOVO [KSV]\nARNOR_ [ARN]\nHAMAS [PSEREBHMS]\nBOROMIR [---]\n",
        &mut w,
    );
    let agents = tocsin_dictionaries::read_agents("t.agents.txt", "WARDEN [~GOV]\n", &mut w);
    assert!(w.is_empty(), "{w:?}");
    let mut kb = KnowledgeBase::builtin().unwrap();
    let added = kb.add_dictionaries(&actors, &agents).unwrap();
    assert_eq!(added, 3, "Clinton, Arnor and Hamas; Kosovo is known, Boromir is null");
    let codes = |text: &str| -> Vec<String> {
        codes(&recognise_with(kb.clone(), text))
            .into_iter()
            .map(|(_, c)| c)
            .collect()
    };
    assert_eq!(codes("President Clinton met Hamas leaders."), ["USAGOV", "PSEREBHMS"]);
    assert_eq!(codes("Arnor criticised the warden."), ["ARN", "GOV"]);
    assert_eq!(
        codes("The Kosovo warden spoke."),
        ["XKXGOV"],
        "the knowledge base's Kosovo wins"
    );
    assert_eq!(
        codes("Kosovo police arrested him."),
        ["XKX"],
        "an agent dictionary replaces the knowledge base's sector nouns"
    );
}

#[test]
fn dated_dictionary_codes_follow_the_article_date() {
    let mut w = Vec::new();
    let actors = tocsin_dictionaries::read_actors(
        "t.actors.txt",
        "BILL_CLINTON\n\t[USAELI <930119]\n\t[USAGOV 930120-010120]\n\t[USAELI >010121]\n",
        &mut w,
    );
    let mut kb = KnowledgeBase::builtin().unwrap();
    kb.add_dictionaries(&actors, &[]).unwrap();
    let code_on = |day: &str| {
        let mut a = Article::from_text("Bill Clinton criticized Russia.");
        a.published = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok();
        let mut doc = Document::new(a);
        tocsin_text::TextSplitter::default().process(&mut doc).unwrap();
        tocsin_nlp::HeuristicAnalyzer::default().process(&mut doc).unwrap();
        ActorRecognizer::new(Arc::new(kb.clone())).process(&mut doc).unwrap();
        (doc.mentions[0].actor.code.clone(), doc.mentions[0].actor.sector.clone())
    };
    assert_eq!(code_on("1998-06-01"), ("USAGOV".to_string(), Some("GOV".to_string())));
    assert_eq!(code_on("2005-06-01"), ("USAELI".to_string(), Some("ELI".to_string())));
}

#[test]
fn built_in_dictionaries_keep_country_and_sector_codes() {
    let mut kb = KnowledgeBase::builtin().unwrap();
    let d = tocsin_dictionaries::Dictionaries::builtin();
    assert!(d.warnings.len() < 20, "{:?}", d.warnings);
    kb.add_dictionaries(&d.actors, &d.agents).unwrap();
    let mut a = Article::from_text("Serbian troops moved. Bill Clinton spoke.");
    a.published = chrono::NaiveDate::from_ymd_opt(1999, 3, 24);
    let mut doc = Document::new(a);
    tocsin_text::TextSplitter::default().process(&mut doc).unwrap();
    tocsin_nlp::HeuristicAnalyzer::default().process(&mut doc).unwrap();
    ActorRecognizer::new(Arc::new(kb)).process(&mut doc).unwrap();
    let got: Vec<_> = doc.mentions.iter().map(|m| m.actor.code.as_str()).collect();
    assert_eq!(
        got,
        ["SRBMIL", "USAGOV"],
        "a dated country entry must not erase the sector"
    );
}

#[test]
fn plural_demonyms_name_the_people_of_a_country() {
    let doc = recognise("Ghana deported 168 Liberians and two Iraqis.");
    let codes: Vec<&str> = doc.mentions.iter().map(|m| m.actor.code.as_str()).collect();
    assert_eq!(codes, vec!["GHA", "LBR", "IRQ"]);
}

#[test]
fn a_surname_alone_refers_back_to_the_person_named_in_full() {
    let doc = recognise("Serbian Minister Petar Petrovic visited Kosovo. Later, Petrovic criticized the police.");
    let later = doc
        .mentions
        .iter()
        .find(|m| doc.slice(m.span) == "Petrovic")
        .expect("surname resolved");
    assert_eq!((later.actor.code.as_str(), later.person), ("SRBGOV", true));
    // Not before the full name.
    let doc = recognise("Petrovic arrived. Serbian Minister Petar Petrovic visited Kosovo.");
    assert!(
        doc.mentions.iter().all(|m| doc.slice(m.span) != "Petrovic"),
        "{:?}",
        doc.mentions
    );
}
