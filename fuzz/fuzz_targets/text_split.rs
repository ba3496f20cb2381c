//! The text stage alone (paragraphs, tokenizer, sentence splitter) on arbitrary UTF-8: it never
//! panics, and every span it makes is in bounds, on character boundaries and in order; sentences
//! cover their paragraph's tokens exactly.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tocsin_doc::{Article, Document, Stage};
use tocsin_text::{normalize, paragraphs, split_sentences, tokenize, Abbreviations, TextSplitter};

fn abbreviations() -> &'static Abbreviations {
    static ABBR: OnceLock<Abbreviations> = OnceLock::new();
    ABBR.get_or_init(Abbreviations::builtin)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let abbr = abbreviations();
    let mut last = 0;
    for para in paragraphs(text) {
        assert!(
            last <= para.start && para.start < para.end,
            "paragraphs in order, not empty"
        );
        assert!(
            text.get(para.start..para.end).is_some(),
            "paragraph {para:?} slices the text"
        );
        last = para.end;
        let tokens = tokenize(text, para, abbr);
        let mut end = para.start;
        for t in &tokens {
            assert!(
                end <= t.span.start && t.span.start < t.span.end && t.span.end <= para.end,
                "token {:?}",
                t.span
            );
            let word = text.get(t.span.start..t.span.end).expect("a token slices the text");
            let _ = normalize(word);
            end = t.span.end;
        }
        let mut next = 0;
        for range in split_sentences(text, &tokens, abbr) {
            assert!(
                range.start == next && range.start < range.end,
                "sentences cover the tokens: {range:?}"
            );
            next = range.end;
        }
        assert_eq!(next, tokens.len(), "the last sentence ends with the last token");
    }
    let mut doc = Document::new(Article::from_text(text));
    TextSplitter::default()
        .process(&mut doc)
        .expect("the text stage does not fail");
    for s in &doc.sentences {
        assert!(
            doc.article.text.get(s.span.start..s.span.end).is_some(),
            "sentence {:?}",
            s.span
        );
    }
});
