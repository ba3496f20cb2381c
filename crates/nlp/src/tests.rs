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
