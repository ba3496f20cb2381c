//! Penn/UD-style tokenisation with byte offsets: possessives and contractions split off,
//! acronyms ("U.S."), numbers ("4,500", "1.5"), hyphenated words and abbreviations kept whole.

use std::collections::HashSet;

use tocsin_doc::{Pos, Span, Token};

/// Abbreviations whose period belongs to the word and does not end a sentence.
#[derive(Debug, Clone, Default)]
pub struct Abbreviations {
    set: HashSet<String>,
}

impl Abbreviations {
    /// The list shipped in `data/text/abbreviations.txt`.
    pub fn builtin() -> Self {
        Self::parse(include_str!("../../../data/text/abbreviations.txt"))
    }

    /// Parses one abbreviation per line; `#` starts a comment.
    pub fn parse(list: &str) -> Self {
        let set = list
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        Abbreviations { set }
    }

    /// True when `word` (without its final period) is a known abbreviation.
    pub fn contains(&self, word: &str) -> bool {
        self.set.contains(word)
    }
}

/// Lower-cases and folds typographic quotes, apostrophes and dashes to ASCII.
pub fn normalize(s: &str) -> String {
    s.chars()
        .flat_map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' => "'".chars().collect::<Vec<_>>(),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => vec!['"'],
            '\u{2010}'..='\u{2015}' | '\u{2212}' => vec!['-'],
            '\u{2026}' => "...".chars().collect(),
            c => c.to_lowercase().collect(),
        })
        .collect()
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

fn is_hyphen(c: char) -> bool {
    c == '-' || c == '\u{2010}' || c == '\u{2011}'
}

/// Clitics split from the preceding word ("Kosovo|’s", "do|n't", "they|'re").
fn clitic_len(rest: &[(usize, char)]) -> Option<usize> {
    let lower: String = rest.iter().take(4).map(|&(_, c)| c.to_ascii_lowercase()).collect();
    let tail = &lower[lower.char_indices().nth(1).map(|(i, _)| i).unwrap_or(lower.len())..];
    let boundary = |n: usize| rest.get(n).is_none_or(|&(_, c)| !c.is_alphanumeric());
    for clitic in ["s", "re", "ve", "ll", "d", "m"] {
        if tail.starts_with(clitic) && boundary(clitic.len() + 1) {
            return Some(clitic.len() + 1);
        }
    }
    None
}

/// Tokenises the text under `span` (one paragraph).
pub fn tokenize(text: &str, span: Span, abbr: &Abbreviations) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text
        .get(span.start..span.end)
        .unwrap_or("")
        .char_indices()
        .map(|(i, c)| (i + span.start, c))
        .collect();
    let end_of = |k: usize| chars.get(k).map_or(span.end, |&(b, _)| b);
    let mut tokens = Vec::new();
    let mut in_quote = false;
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() || c.is_control() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut quote_mark = false;
        let negation = (c == 'n' || c == 'N')
            && chars.get(i + 1).is_some_and(|&(_, a)| is_apostrophe(a))
            && chars.get(i + 2).is_some_and(|&(_, t)| t == 't' || t == 'T')
            && chars.get(i + 3).is_none_or(|&(_, c)| !c.is_alphanumeric());
        if let Some(end) = url_or_email(&chars, i) {
            j = end;
        } else if negation {
            j = i + 3;
        } else if c.is_alphanumeric() {
            j = scan_word(&chars, i);
            // Attach an abbreviation's period.
            if chars.get(j).is_some_and(|&(_, c)| c == '.') {
                let word = &text[start..end_of(j)];
                let single_initial = word.chars().count() == 1 && c.is_uppercase();
                if abbr.contains(word) || single_initial || word.contains('.') {
                    j += 1;
                }
            }
        } else if is_apostrophe(c) && i > 0 && chars[i - 1].1.is_alphanumeric() {
            j = i + clitic_len(&chars[i..]).unwrap_or(1);
        } else if c == '.' && chars.get(i + 1).is_some_and(|&(_, n)| n == '.') {
            while chars.get(j).is_some_and(|&(_, n)| n == '.') {
                j += 1;
            }
        } else if is_hyphen(c) && chars.get(i + 1).is_some_and(|&(_, n)| is_hyphen(n)) {
            j = i + 2;
        } else if matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}') {
            quote_mark = true;
            in_quote = match c {
                '\u{201C}' | '\u{201E}' | '\u{00AB}' => true,
                '\u{201D}' | '\u{00BB}' => false,
                _ => !in_quote,
            };
        }
        let tspan = Span { start, end: end_of(j) };
        tokens.push(Token {
            span: tspan,
            norm: normalize(&text[tspan.start..tspan.end]),
            lemma: String::new(),
            pos: Pos::X,
            head: None,
            dep: None,
            clause: 0,
            in_quote: in_quote && !quote_mark,
        });
        i = j;
    }
    tokens
}

/// A URL ("http://…", "www.…") or e-mail address starting at `i`: its end, without trailing punctuation.
fn url_or_email(chars: &[(usize, char)], i: usize) -> Option<usize> {
    if i > 0 && !chars[i - 1].1.is_whitespace() && !matches!(chars[i - 1].1, '(' | '<' | '"' | '\'') {
        return None;
    }
    let end = (i..chars.len())
        .find(|&k| chars[k].1.is_whitespace())
        .unwrap_or(chars.len());
    let word: String = chars[i..end].iter().map(|&(_, c)| c).collect();
    let lower = word.to_ascii_lowercase();
    let email = word.find('@').is_some_and(|at| {
        at > 0
            && word[at..].contains('.')
            && word
                .chars()
                .all(|c| c.is_alphanumeric() || "@._-+".contains(c) || ".,;:!?)>\"'".contains(c))
    });
    if !(lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") || email) {
        return None;
    }
    let mut e = end;
    while e > i + 1 && ".,;:!?)>\"'".contains(chars[e - 1].1) {
        e -= 1;
    }
    Some(e)
}

/// Scans a word from `i`: alphanumerics joined by inner hyphens, acronym/decimal periods,
/// thousands commas and name apostrophes ("O'Brien"), stopping before clitics.
fn scan_word(chars: &[(usize, char)], i: usize) -> usize {
    let mut j = i;
    loop {
        while chars.get(j).is_some_and(|&(_, c)| c.is_alphanumeric()) {
            j += 1;
        }
        let (Some(&(_, n)), Some(&(_, n2))) = (chars.get(j), chars.get(j + 1)) else {
            return j;
        };
        let prev = chars[j - 1].1;
        let joins = if is_hyphen(n) {
            n2.is_alphanumeric()
        } else if n == '.' {
            // U.S / U.N / 1.5, but not "end.Next"
            (prev.is_ascii_digit() && n2.is_ascii_digit())
                || (n2.is_alphabetic() && (j == i + 1 || chars[j.saturating_sub(2)].1 == '.'))
        } else if n == ',' {
            prev.is_ascii_digit()
                && chars
                    .get(j + 1..j + 4)
                    .is_some_and(|d| d.iter().all(|&(_, c)| c.is_ascii_digit()))
                && chars.get(j + 4).is_none_or(|&(_, c)| !c.is_ascii_digit())
        } else if is_apostrophe(n) {
            n2.is_alphabetic() && clitic_len(&chars[j..]).is_none() && !(prev == 'n' && n2 == 't')
        } else {
            false
        };
        if !joins {
            // "don't": split "n't" off the stem.
            if is_apostrophe(n) && n2 == 't' && prev == 'n' && j > i + 1 {
                return j - 1;
            }
            return j;
        }
        j += 1;
    }
}
