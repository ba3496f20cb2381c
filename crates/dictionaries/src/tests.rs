//! Reader tests on hand-written snippets in the PETRARCH formats, and on the shipped dictionaries.

use chrono::NaiveDate;

use super::*;

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn actors_with_synonyms_dated_codes_and_comments() {
    let text = "<!-- header\n spanning lines -->\nDENMARK  [DNK]\n+DANISH \n+ZEALAND\n\nHOBBITON # no code yet\n\t[HOB < 950601]\n\t[HOBGOV 19950601 - 19990815]\n\t[HOBREB > 990816]\nPALESTINIAN [pse]\nBOROMIR  [---]\n";
    let mut warnings = Vec::new();
    let a = read_actors("t.actors.txt", text, &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(a.len(), 4);
    assert_eq!(a[0].phrases, vec![vec!["DENMARK"], vec!["DANISH"], vec!["ZEALAND"]]);
    let hob = &a[1];
    assert_eq!(hob.line, 7);
    assert_eq!(hob.code_on(day(1990, 1, 1)), Some("HOB"));
    assert_eq!(hob.code_on(day(1997, 3, 1)), Some("HOBGOV"));
    assert_eq!(hob.code_on(day(2005, 1, 1)), Some("HOBREB"));
    assert_eq!(a[2].code_on(None), Some("PSE"), "codes are upper-cased");
    assert!(a[3].codes.is_empty(), "[---] is a null entry");
}

#[test]
fn bad_actor_lines_are_skipped_with_a_warning_naming_file_and_line() {
    let mut w = Vec::new();
    let text = "+ORPHAN\nGONDOR [GON]\n\t[950601-990815]\nROHAN [ROH 1999]\nERIADOR [ERI]\n";
    let a = read_actors("x.actors.txt", text, &mut w);
    assert_eq!(a.len(), 2, "GONDOR and ERIADOR survive: {a:?}");
    assert_eq!(a[0].code_on(None), Some("GON"));
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(
        w[0].to_string().starts_with("x.actors.txt:1: a `+` synonym"),
        "{}",
        w[0]
    );
    assert_eq!((w[1].line, w[1].message.contains("no actor code")), (3, true));
    assert!(w[2].message.contains("date restriction"), "{}", w[2]);
}

#[test]
fn agents_with_plurals_prefix_codes_and_substitutions() {
    let text = "!PERSON! = MAN, MEN, WOMAN\nFOREIGN_MINISTER [~GOVFRM] # jap\nMEDIA {} [~MED]\nGOLDEN_GOOSE {GOLDEN_GEESE} [~GGS]\nMSF {}  [NGO~]\nCONGRESS!PERSON! [~LEG]\n";
    let mut w = Vec::new();
    let a = read_agents("t.agents.txt", text, &mut w);
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(a.len(), 5);
    assert_eq!(a[0].code, "GOVFRM");
    assert!(!a[0].prefix);
    assert!(a[0]
        .phrases
        .contains(&vec!["FOREIGN".to_string(), "MINISTERS".to_string()]));
    assert_eq!(a[1].phrases, vec![vec!["MEDIA".to_string()]], "{{}}: no plural");
    assert!(a[2].phrases.contains(&vec!["GOLDEN".to_string(), "GEESE".to_string()]));
    assert!(a[3].prefix && a[3].code == "NGO");
    assert!(a[4].phrases.contains(&vec!["CONGRESSWOMAN".to_string()]));
    read_agents("t.agents.txt", "POLICE [COP]\n", &mut w);
    assert!(w[0].message.contains("`~`") && w[0].line == 1, "{w:?}");
}

#[test]
fn verbs_with_synsets_families_and_patterns() {
    let text = "&TIETYPES\n+MILITARY\n+ECONOMIC\n\n--- ABANDON  [345]  ---\nABANDON    # pas\n- * DIPLOMATIC TIES [901]\n- * &TIETYPES TIES [902]\n- $ * + WITH [903:904]\n- SO IN_AND_*_OUT [---]\n\n---  FREEZE   [---]  ---\nFREEZE {FREEZES FREEZING FROZE FROZEN}\n+STIR_UP {+STIRS_UP}\n";
    let mut w = Vec::new();
    let v = read_verbs("t.verbs.txt", text, &mut w);
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(v.len(), 2);
    assert_eq!((v[0].head.as_str(), v[0].code.as_deref()), ("ABANDON", Some("345")));
    assert_eq!(v[0].patterns.len(), 4);
    let p = &v[0].patterns[1];
    assert_eq!(p.code.as_deref(), Some("902"));
    assert_eq!(
        p.after[0],
        PatternToken::AnyOf(vec![vec!["MILITARY".into()], vec!["ECONOMIC".into()]])
    );
    let p = &v[0].patterns[2];
    assert_eq!(p.before, vec![PatternToken::Source]);
    assert_eq!(p.after, vec![PatternToken::Target, PatternToken::Word("WITH".into())]);
    assert_eq!(p.code.as_deref(), Some("903"), "the part before `:`");
    assert_eq!(v[0].patterns[3].code, None);
    assert_eq!(v[1].code, None);
    assert!(v[1].forms.contains(&vec!["FROZE".to_string()]));
    assert!(v[1].forms.contains(&vec!["STIRS".to_string(), "UP".to_string()]));
    assert_eq!(
        v[1].bases,
        vec![vec!["FREEZE".to_string()], vec!["STIR".to_string(), "UP".to_string()]]
    );
    let v = read_verbs("t.verbs.txt", "--- GO [010] ---\n- GONE [011]\n- * ON [012]\n", &mut w);
    assert_eq!(
        (w[0].line, v[0].patterns.len()),
        (2, 1),
        "the bad pattern is skipped, the next one kept"
    );
    let v = read_verbs("t.verbs.txt", "--- GO [010] ---\n- * &NOPE [011]\n", &mut w);
    assert_eq!(
        v[0].patterns[0].after,
        vec![PatternToken::AnyOf(vec![])],
        "an undefined synset matches nothing"
    );
}

#[test]
fn discards_split_story_and_sentence_level() {
    let d = read_discards("t", "MONTHS LATER\n+World Golf Championships   # pas\n").unwrap();
    assert_eq!(d.sentence, vec![vec!["MONTHS".to_string(), "LATER".to_string()]]);
    assert_eq!(d.story[0][0], "WORLD");
}

#[test]
fn the_petrarch_and_phoenix_dictionaries_read_as_is() {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/petrarch"));
    if !dir.exists() {
        eprintln!("skipping: {} is missing", dir.display());
        return;
    }
    let d = Dictionaries::read_dir(dir).unwrap();
    assert!(d.actors.len() > 100, "{}", d.actors.len());
    assert!(d.agents.len() > 50);
    assert!(d.verbs.len() > 50);
    assert!(!d.discards.sentence.is_empty() && !d.discards.story.is_empty());
    let arnor = d.actors.iter().find(|a| a.phrases[0] == ["ARNOR"]).unwrap();
    assert_eq!(arnor.code_on(None), Some("ARN"));
}

#[test]
fn the_full_cameo_and_phoenix_dictionaries_read_with_only_their_known_typos() {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/petrarch"));
    if !dir.exists() {
        eprintln!(
            "skipping: {} is missing (../shared is not beside the repo)",
            dir.display()
        );
        return;
    }
    let d = Dictionaries::read_dir(dir).unwrap();
    assert!(d.actors.len() > 20_000, "{}", d.actors.len());
    assert!(d.agents.len() > 2_000, "{}", d.agents.len());
    assert!(d.verbs.len() > 600, "{}", d.verbs.len());
    assert!(d.verbs.iter().map(|v| v.patterns.len()).sum::<usize>() > 5_000);
    // The shipped files have a few malformed date blocks and brackets; each is reported, none is fatal.
    assert!(!d.warnings.is_empty() && d.warnings.len() < 40, "{:?}", d.warnings);
    assert!(d.warnings.iter().all(|w| w.line > 0 && w.file.ends_with(".txt")));
    let clinton = d
        .actors
        .iter()
        .find(|a| a.phrases.iter().any(|p| p == &["BILL", "CLINTON"]))
        .expect("Phoenix knows Bill Clinton");
    assert_eq!(
        clinton.code_on(chrono::NaiveDate::from_ymd_opt(1998, 6, 1)),
        Some("USAGOV")
    );
}
