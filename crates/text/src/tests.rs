use tocsin_doc::{Article, Document, Stage};

use super::*;

fn split(text: &str) -> Document {
    let mut doc = Document::new(Article::from_text(text));
    TextSplitter::default().process(&mut doc).unwrap();
    doc
}

fn token_texts(doc: &Document) -> Vec<&str> {
    doc.tokens.iter().map(|t| doc.slice(t.span)).collect()
}

fn sentence_texts(doc: &Document) -> Vec<&str> {
    doc.sentences.iter().map(|s| doc.slice(s.span)).collect()
}

#[test]
fn possessives_acronyms_numbers_and_hyphens() {
    let doc =
        split("The Council’s U.S. envoy saw 4,500 soldiers, a 30-strong group and 1.5 tanks; they don't de-escalate.");
    assert_eq!(
        token_texts(&doc),
        vec![
            "The",
            "Council",
            "’s",
            "U.S.",
            "envoy",
            "saw",
            "4,500",
            "soldiers",
            ",",
            "a",
            "30-strong",
            "group",
            "and",
            "1.5",
            "tanks",
            ";",
            "they",
            "do",
            "n't",
            "de-escalate",
            "."
        ]
    );
    assert_eq!(doc.tokens[2].norm, "'s");
}

#[test]
fn offsets_point_into_the_original_text() {
    let text = "“We call on Serbia,” Kirby said.";
    let doc = split(text);
    for t in &doc.tokens {
        assert_eq!(normalize(&text[t.span.start..t.span.end]), t.norm);
    }
    let we = doc.tokens.iter().find(|t| t.norm == "we").unwrap();
    assert!(we.in_quote);
    let kirby = doc.tokens.iter().find(|t| t.norm == "kirby").unwrap();
    assert!(!kirby.in_quote);
}

#[test]
fn abbreviations_and_initials_do_not_end_sentences() {
    let doc = split("Gen. Mark Milley met John F. Kennedy Jr. in Jan. 2020 at No. 10. The U.S. Senate agreed. Talks with the U.S. The end.");
    assert_eq!(
        sentence_texts(&doc),
        vec![
            "Gen. Mark Milley met John F. Kennedy Jr. in Jan. 2020 at No. 10.",
            "The U.S. Senate agreed.",
            "Talks with the U.S.",
            "The end."
        ]
    );
}

#[test]
fn quotes_ellipses_and_paragraphs() {
    let doc = split(
        "He said: “It is over.” Then he left... Nobody followed.\n\nHeadline without stop\n\nNew paragraph? Yes!",
    );
    assert_eq!(
        sentence_texts(&doc),
        vec![
            "He said: “It is over.”",
            "Then he left...",
            "Nobody followed.",
            "Headline without stop",
            "New paragraph?",
            "Yes!"
        ]
    );
    assert_eq!(doc.sentences[3].paragraph, 1);
    assert_eq!(doc.paragraphs.len(), 3);
}

#[test]
fn seed_sentences_split_cleanly() {
    let text = "In view of growing tensions between Serbia and Kosovo, the USA has called on the Serbian side to immediately de-escalate. Washington expressed concern on Friday about an unusual buildup of Serbian troops on the border with Kosovo. US Secretary of State Antony Blinken spoke by telephone with Serbian President Aleksandar Vucic, the US State Department announced in Washington on Friday.";
    let doc = split(text);
    assert_eq!(doc.sentences.len(), 3);
    assert!(sentence_texts(&doc)[2].starts_with("US Secretary of State"));
}

#[test]
fn hostile_inputs_are_bounded() {
    let long = "word ".repeat(10_000);
    let doc = split(&long);
    assert_eq!(doc.tokens.len(), 10_000);
    assert!(doc
        .sentences
        .iter()
        .all(|s| s.tokens.len() <= sentences::MAX_SENTENCE_TOKENS));
    let weird = split("\u{0}\u{7}ctrl\u{1b}[0m Москва заявила. 北京表示。 ’’’ ... --");
    assert!(!weird.tokens.is_empty());
    assert!(split("").sentences.is_empty());
}

#[test]
fn urls_and_emails_stay_whole() {
    let doc = split("See http://www.stanford.edu/~duffie/ or mail duffie@stanford.edu. Visit www.tanjug.rs, then (https://x.org/a?b=1).");
    let toks = token_texts(&doc);
    for t in [
        "http://www.stanford.edu/~duffie/",
        "duffie@stanford.edu",
        "www.tanjug.rs",
        "https://x.org/a?b=1",
    ] {
        assert!(toks.contains(&t), "{t} not kept whole: {toks:?}");
    }
    assert_eq!(doc.sentences.len(), 2);
}
