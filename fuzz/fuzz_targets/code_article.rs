//! The whole coding pipeline (`tocsin code`'s coder, built-in models) on arbitrary UTF-8 text
//! declared English: it returns events or an error, never panics, and every event's trigger and
//! actor offsets slice the text they quote.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tocsin::doc::Article;
use tocsin::Tocsin;

fn coder() -> &'static Tocsin {
    static CODER: OnceLock<Tocsin> = OnceLock::new();
    CODER.get_or_init(|| Tocsin::builtin().expect("the built-in coder loads"))
}

/// The text between two character offsets.
fn chars(text: &str, start: usize, end: usize) -> Option<String> {
    (start <= end).then(|| text.chars().skip(start).take(end - start).collect())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.trim().is_empty() {
        return;
    }
    let mut article = Article::from_text(text);
    article.language = Some("en".into());
    // Coding panics are caught by the coder (`tocsin::isolate`); the fuzzer must see them.
    let result = coder().code(article);
    if let Err(e) = &result {
        assert!(e.downcast_ref::<tocsin::Panicked>().is_none(), "coding panicked: {e:#}");
    }
    for e in result.unwrap_or_default() {
        assert_eq!(
            chars(text, e.trigger.start, e.trigger.end).as_deref(),
            Some(e.trigger.text.as_str())
        );
        for a in [&e.source, &e.target].into_iter().flatten() {
            assert_eq!(
                chars(text, a.start, a.end).as_deref(),
                Some(a.text.as_str()),
                "actor of {}",
                e.id
            );
        }
        assert!(text.contains(&e.evidence), "evidence of {}", e.id);
    }
});
