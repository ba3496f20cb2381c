//! Actor, agent and discard dictionaries.

use chrono::NaiveDate;

use crate::{lines, words, DictError};

/// One code of an actor, valid between two dates (either open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorCode {
    /// CAMEO actor code, upper case (`USAGOV`, `IGOUNO`).
    pub code: String,
    /// First day the code applies.
    pub from: Option<NaiveDate>,
    /// Last day the code applies.
    pub to: Option<NaiveDate>,
}

impl ActorCode {
    /// True when the code applies on `day` (always, without a day).
    pub fn applies(&self, day: Option<NaiveDate>) -> bool {
        day.is_none_or(|d| self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t))
    }
}

/// An actor: its phrases (the first, then `+` synonyms) and its dated codes.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorEntry {
    /// Phrases as upper-case words.
    pub phrases: Vec<Vec<String>>,
    /// Codes; empty for a null entry (`[---]`), which blocks a match.
    pub codes: Vec<ActorCode>,
    /// Line of the entry's first phrase.
    pub line: usize,
}

impl ActorEntry {
    /// The code applying on `day`, if any (the first that applies).
    pub fn code_on(&self, day: Option<NaiveDate>) -> Option<&str> {
        self.codes.iter().find(|c| c.applies(day)).map(|c| c.code.as_str())
    }
}

/// An agent: phrases (with plurals) and the code it adds to an actor.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentEntry {
    /// Phrases as upper-case words, plurals included.
    pub phrases: Vec<Vec<String>>,
    /// The agent code without its `~` (`GOV`, `GOVFRM`, `NGO`).
    pub code: String,
    /// True for `NGO~`-style codes, which go before the actor code instead of after it.
    pub prefix: bool,
    /// Line of the entry.
    pub line: usize,
}

/// Discard phrases: a sentence containing one is not coded; a story-level one drops the whole story.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Discards {
    /// Sentence-level phrases.
    pub sentence: Vec<Vec<String>>,
    /// Story-level phrases (`+` in the file).
    pub story: Vec<Vec<String>>,
}

fn err(file: &str, line: usize, message: impl Into<String>) -> DictError {
    DictError {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// A date as PETRARCH writes it: YYMMDD (years ≤ 30 are 20YY) or YYYYMMDD.
fn date(s: &str) -> Option<NaiveDate> {
    // Digits only, so the byte slices below fall on characters.
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, rest) = match s.len() {
        6 => {
            let yy: i32 = s[..2].parse().ok()?;
            (if yy <= 30 { 2000 + yy } else { 1900 + yy }, &s[2..])
        }
        8 => (s[..4].parse().ok()?, &s[4..]),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y, rest[..2].parse().ok()?, rest[2..].parse().ok()?)
}

/// Parses the inside of one `[…]` code block: `CODE`, `CODE >DATE`, `CODE <DATE`, `CODE DATE-DATE`.
fn code_block(file: &str, line: usize, inner: &str) -> Result<Option<ActorCode>, DictError> {
    let inner = inner.trim();
    let (code, rest) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    if matches!(code, "---" | "###" | "+++") {
        return Ok(None);
    }
    if code.is_empty()
        || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '/')
        || code.chars().all(|c| c.is_ascii_digit())
    {
        return Err(err(file, line, format!("code block [{inner}] has no actor code")));
    }
    let rest: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    let bad = || {
        err(
            file,
            line,
            format!("code block [{inner}]: cannot read the date restriction {rest:?}"),
        )
    };
    let (from, to) = if rest.is_empty() {
        (None, None)
    } else if let Some(d) = rest.strip_prefix('>') {
        (Some(date(d).ok_or_else(bad)?), None)
    } else if let Some(d) = rest.strip_prefix('<') {
        (None, Some(date(d).ok_or_else(bad)?))
    } else if let Some((a, b)) = rest.split_once('-') {
        (Some(date(a).ok_or_else(bad)?), Some(date(b).ok_or_else(bad)?))
    } else {
        return Err(bad());
    };
    Ok(Some(ActorCode {
        code: code.to_uppercase(),
        from,
        to,
    }))
}

/// Splits `PHRASE [CODE] [CODE…]` into the phrase and the code blocks.
fn phrase_and_blocks<'a>(file: &str, line: usize, text: &'a str) -> Result<(&'a str, Vec<&'a str>), DictError> {
    let Some(open) = text.find('[') else {
        return Ok((text.trim(), Vec::new()));
    };
    let mut blocks = Vec::new();
    let mut rest = &text[open..];
    while let Some(o) = rest.find('[') {
        let c = rest[o..]
            .find(']')
            .ok_or_else(|| err(file, line, "a code block `[` is not closed"))?;
        blocks.push(&rest[o + 1..o + c]);
        rest = &rest[o + c + 1..];
    }
    Ok((text[..open].trim(), blocks))
}

/// Reads an actor dictionary (`Phoenix.Countries.actors.txt`, `PETR.Validate.actors.txt` format). A line
/// that cannot be read is skipped and reported in `warnings` (the shipped Phoenix files have a few typos,
/// which PETRARCH also skips), so one bad line never loses the dictionary.
pub fn read_actors(file: &str, text: &str, warnings: &mut Vec<DictError>) -> Vec<ActorEntry> {
    let mut out: Vec<ActorEntry> = Vec::new();
    for (n, line) in lines(text) {
        if let Err(e) = actor_line(file, n, &line, &mut out) {
            warnings.push(e);
        }
    }
    out
}

fn actor_line(file: &str, n: usize, line: &str, out: &mut Vec<ActorEntry>) -> Result<(), DictError> {
    let (phrase, blocks) = phrase_and_blocks(file, n, line)?;
    let mut codes = Vec::new();
    for b in &blocks {
        codes.extend(code_block(file, n, b)?);
    }
    if let Some(syn) = phrase.strip_prefix('+') {
        let cur = out
            .last_mut()
            .ok_or_else(|| err(file, n, "a `+` synonym comes before any actor"))?;
        let w = words(syn);
        if !w.is_empty() {
            cur.phrases.push(w);
        }
        cur.codes.extend(codes);
    } else if phrase.is_empty() {
        let cur = out
            .last_mut()
            .ok_or_else(|| err(file, n, "a code line comes before any actor"))?;
        cur.codes.extend(codes);
    } else {
        out.push(ActorEntry {
            phrases: vec![words(phrase)],
            codes,
            line: n,
        });
    }
    Ok(())
}

/// Reads an agent dictionary (`Phoenix.agents.txt` format, with `!X! = A, B` substitutions); lines that
/// cannot be read are skipped and reported in `warnings`.
pub fn read_agents(file: &str, text: &str, warnings: &mut Vec<DictError>) -> Vec<AgentEntry> {
    let mut subs: Vec<(String, Vec<String>)> = Vec::new();
    let mut out = Vec::new();
    for (n, line) in lines(text) {
        match agent_line(file, n, &line, &mut subs) {
            Ok(Some(a)) => out.push(a),
            Ok(None) => {}
            Err(e) => warnings.push(e),
        }
    }
    out
}

fn agent_line(
    file: &str,
    n: usize,
    line: &str,
    subs: &mut Vec<(String, Vec<String>)>,
) -> Result<Option<AgentEntry>, DictError> {
    if line.starts_with('!') {
        if let Some((name, vals)) = line.split_once('=') {
            subs.push((
                name.trim().to_uppercase(),
                vals.split(',')
                    .map(|v| v.trim().to_uppercase())
                    .filter(|v| !v.is_empty())
                    .collect(),
            ));
            return Ok(None);
        }
    }
    let (head, blocks) = phrase_and_blocks(file, n, line)?;
    let Some(block) = blocks.first() else {
        return Err(err(file, n, format!("agent {head:?} has no [code]")));
    };
    let block = block.trim();
    let (code, prefix) = match (block.strip_prefix('~'), block.strip_suffix('~')) {
        (Some(c), _) => (c, false),
        (None, Some(c)) => (c, true),
        _ => return Err(err(file, n, format!("agent code [{block}] has no `~`"))),
    };
    let (phrase, plurals) = match head.split_once('{') {
        Some((p, rest)) => {
            let inner = rest
                .split_once('}')
                .map(|(i, _)| i)
                .ok_or_else(|| err(file, n, "a plural list `{` is not closed"))?;
            (
                p.trim(),
                Some(inner.split_whitespace().map(str::to_string).collect::<Vec<_>>()),
            )
        }
        None => (head, None),
    };
    let mut forms = vec![phrase.to_string()];
    match plurals {
        Some(p) => forms.extend(p),
        None => forms.push(format!("{phrase}S")),
    }
    let mut phrases = Vec::new();
    for f in forms {
        let f = f.to_uppercase();
        match subs.iter().find(|(name, _)| f.contains(name.as_str())) {
            Some((name, vals)) => phrases.extend(vals.iter().map(|v| words(&f.replace(name.as_str(), v)))),
            None => phrases.push(words(&f)),
        }
    }
    Ok(Some(AgentEntry {
        phrases,
        code: code.trim().to_uppercase(),
        prefix,
        line: n,
    }))
}

/// Reads a discard dictionary (`+` marks story-level phrases).
pub fn read_discards(_file: &str, text: &str) -> Result<Discards, DictError> {
    let mut d = Discards::default();
    for (_, line) in lines(text) {
        match line.strip_prefix('+') {
            Some(p) => d.story.push(words(p)),
            None => d.sentence.push(words(&line)),
        }
    }
    Ok(d)
}
