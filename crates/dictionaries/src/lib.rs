//! Readers for PETRARCH / TABARI dictionaries, read as-is: actors (with dated codes), agents,
//! verbs (CAMEO.2.0 format: synsets, verb families, patterns) and discards. Errors name file and line.
//!
//! The readers only parse; the actor and event stages decide how to use what they read.

mod actors;
mod verbs;

use std::path::Path;

pub use actors::{read_actors, read_agents, read_discards, ActorCode, ActorEntry, AgentEntry, Discards};
pub use verbs::{read_verbs, PatternToken, VerbEntry, VerbPattern};

/// A dictionary line that cannot be read, with file, line and what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct DictError {
    /// File name.
    pub file: String,
    /// 1-based line number (0: the whole file).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The lines of a dictionary without comments (`#` to end of line, `<!-- … -->` blocks), numbered from 1.
pub(crate) fn lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_xml_comment = false;
    for (i, raw) in text.lines().enumerate() {
        let mut line = raw.to_string();
        // XML comments may span lines.
        let mut kept = String::new();
        let mut rest = line.as_str();
        loop {
            if in_xml_comment {
                match rest.find("-->") {
                    Some(e) => {
                        rest = &rest[e + 3..];
                        in_xml_comment = false;
                    }
                    None => break,
                }
            } else {
                match rest.find("<!--") {
                    Some(s) => {
                        kept.push_str(&rest[..s]);
                        rest = &rest[s + 4..];
                        in_xml_comment = true;
                    }
                    None => {
                        kept.push_str(rest);
                        break;
                    }
                }
            }
        }
        line = kept;
        // `#` starts a comment, except inside a code block (`[###]` is a code).
        let mut depth = 0i32;
        if let Some(h) = line.char_indices().find_map(|(i, c)| {
            match c {
                '[' => depth += 1,
                ']' => depth -= 1,
                '#' if depth <= 0 => return Some(i),
                _ => {}
            }
            None
        }) {
            line.truncate(h);
        }
        let t = line.trim();
        if !t.is_empty() {
            out.push((i + 1, t.to_string()));
        }
    }
    out
}

/// Dictionary words of a phrase: `_` and spaces separate words; upper case.
pub(crate) fn words(phrase: &str) -> Vec<String> {
    phrase
        .split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_uppercase())
        .collect()
}

/// The dictionaries of one directory (file names as PETRARCH ships them; any of them may be absent).
#[derive(Debug, Clone, Default)]
pub struct Dictionaries {
    /// Actor entries from every `*.actors.txt`.
    pub actors: Vec<ActorEntry>,
    /// Agent entries from every `*.agents.txt`.
    pub agents: Vec<AgentEntry>,
    /// Verb families from every `*verbs*.txt` and `CAMEO*.txt`.
    pub verbs: Vec<VerbEntry>,
    /// Discard phrases from every `*.discards.txt`.
    pub discards: Discards,
    /// Lines skipped because they could not be read (file, line, why).
    pub warnings: Vec<DictError>,
}

/// The built-in actor dictionaries (`data/dictionaries/phoenix`): file name and text.
pub const BUILTIN_ACTORS: [(&str, &str); 3] = [
    (
        "Phoenix.Countries.actors.txt",
        include_str!("../../../data/dictionaries/phoenix/Phoenix.Countries.actors.txt"),
    ),
    (
        "Phoenix.International.actors.txt",
        include_str!("../../../data/dictionaries/phoenix/Phoenix.International.actors.txt"),
    ),
    (
        "Phoenix.MilNonState.actors.txt",
        include_str!("../../../data/dictionaries/phoenix/Phoenix.MilNonState.actors.txt"),
    ),
];

impl Dictionaries {
    /// The built-in Phoenix actor dictionaries.
    pub fn builtin() -> Self {
        let mut d = Dictionaries::default();
        for (name, text) in BUILTIN_ACTORS {
            d.actors.extend(read_actors(name, text, &mut d.warnings));
        }
        d
    }

    /// Reads every dictionary file in `dir`, by name: `*.actors.txt`, `*.agents.txt`,
    /// `*verbs*.txt` / `CAMEO*.txt`, `*.discards.txt` (sorted by name; other files are ignored).
    pub fn read_dir(dir: &Path) -> Result<Self, DictError> {
        let io = |line: usize, e: std::io::Error, p: &Path| DictError {
            file: p.display().to_string(),
            line,
            message: format!("cannot read: {e}"),
        };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| io(0, e, dir))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        let mut d = Dictionaries::default();
        for p in paths {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let lower = name.to_lowercase();
            let read = || std::fs::read_to_string(&p).map_err(|e| io(0, e, &p));
            let file = p.display().to_string();
            if lower.ends_with(".actors.txt") {
                d.actors.extend(read_actors(&file, &read()?, &mut d.warnings));
            } else if lower.ends_with(".agents.txt") {
                d.agents.extend(read_agents(&file, &read()?, &mut d.warnings));
            } else if lower.contains("verbs") || lower.starts_with("cameo") {
                d.verbs.extend(read_verbs(&file, &read()?, &mut d.warnings));
            } else if lower.ends_with(".discards.txt") {
                let more = read_discards(&file, &read()?)?;
                d.discards.sentence.extend(more.sentence);
                d.discards.story.extend(more.story);
            }
        }
        Ok(d)
    }
}

#[cfg(test)]
mod tests;
