//! Sentence boundaries over the tokens of one paragraph.

use std::ops::Range;

use tocsin_doc::Token;

use crate::Abbreviations;

/// Sentences longer than this are cut, to bound the work of later stages.
pub const MAX_SENTENCE_TOKENS: usize = 400;

const STARTERS: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "but",
    "and",
    "in",
    "on",
    "at",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "its",
    "their",
    "there",
    "however",
    "meanwhile",
    "after",
    "before",
    "when",
    "while",
    "according",
];

fn is_closer(t: &Token) -> bool {
    matches!(t.norm.as_str(), "\"" | "'" | ")" | "]") && !t.in_quote
}

fn starts_sentence(t: &Token, text: &str) -> bool {
    let first = token_text(t, text).chars().next().unwrap_or(' ');
    first.is_uppercase() || first.is_ascii_digit() || matches!(t.norm.as_str(), "\"" | "(" | "'" | "-")
}

/// The text of a token (empty if its span does not fit the text).
fn token_text<'a>(t: &Token, text: &'a str) -> &'a str {
    text.get(t.span.start..t.span.end).unwrap_or("")
}

/// Splits a paragraph's tokens into sentence ranges (indices into `tokens`).
pub fn split_sentences(text: &str, tokens: &[Token], abbr: &Abbreviations) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let terminal = matches!(t.norm.as_str(), "." | "!" | "?" | "...");
        // "U.S." at a sentence end: the next word is a typical sentence opener. The word without its
        // final period is looked up: an ellipsis '…' (normalised to "...") has no period to strip.
        let word = token_text(t, text);
        let acronym_end = t.norm.ends_with('.')
            && t.norm.len() > 1
            && !abbr.contains(word.strip_suffix('.').unwrap_or(word))
            && tokens
                .get(i + 1)
                .is_some_and(|n| STARTERS.contains(&n.norm.as_str()) && starts_sentence(n, text));
        let mut end = i + 1;
        if terminal || acronym_end {
            while tokens.get(end).is_some_and(is_closer) {
                end += 1;
            }
            let split = match tokens.get(end) {
                None => true,
                Some(n) => acronym_end || starts_sentence(n, text),
            };
            if split {
                out.push(start..end);
                start = end;
                i = end;
                continue;
            }
        }
        if end - start >= MAX_SENTENCE_TOKENS {
            out.push(start..end);
            start = end;
        }
        i = end;
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}
