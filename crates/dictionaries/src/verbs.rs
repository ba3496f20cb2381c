//! Verb dictionaries in the CAMEO.2.0 / PETRARCH format: `&SYNSET` lists, `--- VERB [code] ---`
//! families with their verb forms, and `- before * after [code]` patterns.

use std::collections::HashMap;

use crate::{lines, words, DictError};

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum PatternToken {
    /// A word (upper case).
    Word(String),
    /// One of a synset's phrases.
    AnyOf(Vec<Vec<String>>),
    /// `$`: the source actor stands here.
    Source,
    /// `+`: the target actor stands here.
    Target,
}

/// A pattern of a verb family: words before and after the verb (`*`), and its event code.
#[derive(Debug, Clone, PartialEq)]
pub struct VerbPattern {
    /// Tokens before the verb.
    pub before: Vec<PatternToken>,
    /// Tokens after the verb.
    pub after: Vec<PatternToken>,
    /// Event code (`None` for `[---]`: the pattern blocks coding).
    pub code: Option<String>,
    /// Line in the file.
    pub line: usize,
}

/// A verb family: its forms, its default code and its patterns.
#[derive(Debug, Clone, PartialEq)]
pub struct VerbEntry {
    /// The family's head verb (`FREEZE`).
    pub head: String,
    /// Code of the bare verb (`None` for `[---]`).
    pub code: Option<String>,
    /// Every form listed (inflections and particle verbs), as upper-case words.
    pub forms: Vec<Vec<String>>,
    /// The base form of each verb line (`FEED`, `STIR UP`), before its inflections.
    pub bases: Vec<Vec<String>>,
    /// Patterns, in file order.
    pub patterns: Vec<VerbPattern>,
    /// Line of the family header.
    pub line: usize,
}

fn err(file: &str, line: usize, message: impl Into<String>) -> DictError {
    DictError {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// The code of a `[…]` block: the part before `:`, `None` for `---`.
fn code_of(block: &str) -> Option<String> {
    let c = block.trim().split(':').next().unwrap_or_default().trim();
    (!c.is_empty() && c != "---").then(|| c.to_uppercase())
}

/// Splits `text [code]` into the text and the code block (if any).
fn split_code<'a>(file: &str, n: usize, text: &'a str) -> Result<(&'a str, Option<&'a str>), DictError> {
    match text.find('[') {
        Some(o) => {
            let c = text[o..]
                .find(']')
                .ok_or_else(|| err(file, n, "a code block `[` is not closed"))?;
            Ok((text[..o].trim(), Some(&text[o + 1..o + c])))
        }
        None => Ok((text.trim(), None)),
    }
}

fn tokens(part: &str, synsets: &HashMap<String, Vec<Vec<String>>>) -> Vec<PatternToken> {
    let mut out = Vec::new();
    let cleaned: String = part
        .chars()
        .map(|c| {
            if matches!(c, '{' | '}' | '(' | ')' | '_' | '%' | '^') {
                ' '
            } else {
                c
            }
        })
        .collect();
    for t in cleaned.split_whitespace() {
        let t = t.to_uppercase();
        if t == "$" {
            out.push(PatternToken::Source);
        } else if t == "+" {
            out.push(PatternToken::Target);
        } else if let Some(name) = t.strip_prefix('&') {
            // An undefined synset (CAMEO.2.0 uses &WEATHER) matches nothing, as in PETRARCH.
            let set = synsets.get(name.trim_end_matches('_')).cloned().unwrap_or_default();
            out.push(PatternToken::AnyOf(set));
        } else if let Some(w) = t.strip_prefix('+') {
            out.push(PatternToken::Target);
            out.push(PatternToken::Word(w.to_string()));
        } else if let Some(w) = t.strip_prefix('$') {
            out.push(PatternToken::Source);
            out.push(PatternToken::Word(w.to_string()));
        } else {
            out.push(PatternToken::Word(t));
        }
    }
    out
}

/// First pass: every `&NAME` list, members expanded (members may name other synsets).
fn read_synsets(all: &[(usize, String)]) -> HashMap<String, Vec<Vec<String>>> {
    let mut raw: Vec<(String, Vec<String>)> = Vec::new();
    let mut open = false;
    for (_, line) in all {
        if let Some(name) = line.strip_prefix('&') {
            raw.push((name.trim().trim_end_matches('_').to_uppercase(), Vec::new()));
            open = true;
        } else if line.starts_with("---") {
            open = false;
        } else if let (true, Some(member), Some(last)) = (open, line.strip_prefix('+'), raw.last_mut()) {
            last.1.push(member.to_string());
        } else {
            open = false;
        }
    }
    let mut synsets: HashMap<String, Vec<Vec<String>>> = HashMap::new();
    // Two rounds resolve one level of nesting in either order of definition.
    for _ in 0..2 {
        for (name, members) in &raw {
            let mut phrases: Vec<Vec<String>> = Vec::new();
            for member in members {
                let mut alts: Vec<Vec<String>> = vec![Vec::new()];
                for t in tokens(member, &synsets) {
                    match t {
                        PatternToken::Word(w) => alts.iter_mut().for_each(|p| p.push(w.clone())),
                        PatternToken::AnyOf(set) => {
                            alts = alts
                                .iter()
                                .flat_map(|p| set.iter().map(move |s| [p.clone(), s.clone()].concat()))
                                .collect()
                        }
                        PatternToken::Source | PatternToken::Target => {}
                    }
                }
                phrases.extend(alts);
            }
            synsets.insert(name.clone(), phrases);
        }
    }
    synsets
}

/// Reads a verb dictionary (CAMEO.2.0.txt or PETR.Validate.verbs.txt); lines that cannot be read are
/// skipped and reported in `warnings`.
pub fn read_verbs(file: &str, text: &str, warnings: &mut Vec<DictError>) -> Vec<VerbEntry> {
    let all = lines(text);
    let synsets = read_synsets(&all);
    let mut current_synset: Option<String> = None;
    let mut out: Vec<VerbEntry> = Vec::new();
    for (n, line) in all {
        if let Err(e) = verb_line(file, n, &line, &synsets, &mut current_synset, &mut out) {
            warnings.push(e);
        }
    }
    out
}

fn verb_line(
    file: &str,
    n: usize,
    line: &str,
    synsets: &HashMap<String, Vec<Vec<String>>>,
    current_synset: &mut Option<String>,
    out: &mut Vec<VerbEntry>,
) -> Result<(), DictError> {
    if line.starts_with('&') {
        *current_synset = Some(String::new());
        return Ok(());
    }
    if let Some(inner) = line.strip_prefix("---") {
        *current_synset = None;
        let inner = inner.trim_end_matches('-').trim();
        let (head, block) = split_code(file, n, inner)?;
        if head.is_empty() {
            return Err(err(file, n, "a verb family header has no verb"));
        }
        out.push(VerbEntry {
            head: head.to_uppercase(),
            code: block.and_then(code_of),
            forms: Vec::new(),
            bases: Vec::new(),
            patterns: Vec::new(),
            line: n,
        });
        return Ok(());
    }
    if current_synset.is_some() && line.starts_with('+') {
        return Ok(()); // read in the first pass
    }
    let Some(entry) = out.last_mut() else {
        return Err(err(
            file,
            n,
            format!("{line:?} comes before any `--- VERB [code] ---` header"),
        ));
    };
    if let Some(pat) = line.strip_prefix('-') {
        let (body, block) = split_code(file, n, pat)?;
        let Some((before, after)) = body.split_once('*') else {
            return Err(err(file, n, format!("pattern {body:?} has no `*` for the verb")));
        };
        entry.patterns.push(VerbPattern {
            before: tokens(before, synsets),
            after: tokens(after, synsets),
            code: block.and_then(code_of),
            line: n,
        });
    } else {
        // A verb form line: `FEED {FEEDS FEEDING FED}` or `+STIR_UP {+STIRS_UP …}`.
        let (text, _) = split_code(file, n, line)?;
        let (main, infl) = match text.split_once('{') {
            Some((m, rest)) => (m, rest.split_once('}').map_or(rest, |(i, _)| i)),
            None => (text, ""),
        };
        let base = words(main.trim().trim_start_matches('+'));
        if !base.is_empty() {
            entry.bases.push(base);
        }
        for form in std::iter::once(main).chain(infl.split_whitespace()) {
            let w = words(form.trim().trim_start_matches('+'));
            if !w.is_empty() {
                entry.forms.push(w);
            }
        }
    }
    Ok(())
}
