//! The knowledge base: countries, capitals, organisations, people, sector nouns and
//! descriptions, loaded from the TSV files in `data/kb` (built in, or a user directory).

use std::collections::HashMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};
use chrono::NaiveDate;
use tocsin_doc::Span;
use tocsin_text::{tokenize, Abbreviations};

/// A country with its capital and a representative point.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// ISO 3166-1 alpha-3.
    pub iso3: String,
    /// Short English name.
    pub name: String,
    /// Capital city (used for metonymy: "Belgrade" → Serbia's government).
    pub capital: String,
    /// Latitude of the population-weighted centroid.
    pub lat: f64,
    /// Longitude of the population-weighted centroid.
    pub lon: f64,
}

/// An international or non-governmental organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Org {
    /// Acronym (NATO).
    pub org: String,
    /// CAMEO-style code (IGONAT).
    pub code: String,
    /// Sector (IGO, NGO, MIL).
    pub sector: String,
    /// Full name.
    pub name: String,
}

/// A person holding (or having held) an office.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// Canonical name.
    pub name: String,
    /// Country served, if any.
    pub country: Option<String>,
    /// Organisation served, if any.
    pub org: Option<String>,
    /// Sector of the office.
    pub sector: Option<String>,
    /// Office held.
    pub role: String,
    /// Start of office.
    pub from: Option<NaiveDate>,
    /// End of office (None: still in office when the file was edited).
    pub to: Option<NaiveDate>,
    /// The full actor code when a dictionary gave one (`PSEREBHMS`); else country + sector.
    pub code: Option<String>,
}

/// What a description head refers back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DescriptionKind {
    /// "the small Balkan country" → the last country mentioned.
    Country,
    /// "the alliance" → the last organisation mentioned.
    Org,
}

/// What a matched phrase denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entry {
    /// Index into `countries`.
    Country(usize),
    /// Index into `countries` (the capital's country).
    Capital(usize),
    /// Index into `orgs`.
    Org(usize),
    /// Index into `people`.
    Person(usize),
    /// Index into `groups` (non-state armed groups).
    Group(usize),
    /// Index into `sectors`.
    Sector(usize),
    /// A phrase that names no actor though it holds one ("South China Sea"): it hides the names inside.
    Blocked,
}

#[derive(Debug, Clone)]
struct Pattern {
    entry: Entry,
    /// The surface must be in capitals (short aliases like "US", "WHO", "EU").
    upper: bool,
    /// Names of people and armed groups: each capitalised word of the name must be capitalised in
    /// the text too ("Fano" the militia, not "fano"; "Boko" the surname, not "boko"). One flag a word.
    caps: Option<Box<[bool]>>,
    /// A name of several words whose last word is capitalised ("Islamic State"): the surface must
    /// be too, so "a strict Islamic state" is no organisation.
    titled: bool,
}

/// An error in a knowledge-base file, naming file and line.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct KbError {
    /// File name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The loaded knowledge base with its phrase matcher.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    /// All countries.
    pub countries: Vec<Country>,
    /// Organisations.
    pub orgs: Vec<Org>,
    /// People.
    pub people: Vec<Person>,
    /// Non-state armed groups and criminal organisations.
    pub groups: Vec<crate::ArmedGroup>,
    /// (phrase, sector) pairs.
    pub sectors: Vec<(String, String)>,
    /// Description heads.
    pub descriptions: HashMap<String, DescriptionKind>,
    keys: Vec<Vec<Pattern>>,
    matcher: AhoCorasick,
    pub(crate) iso_index: HashMap<String, usize>,
    /// (former code, current code) of organisations (`IGOEUR` → `IGOEU`), from orgs.tsv.
    pub(crate) former_codes: Vec<(String, String)>,
    /// Every (phrase, entry) pair, kept to rebuild the matcher when dictionaries are added.
    pub(crate) phrases: Vec<(String, Entry)>,
    /// Dictionary actors whose code depends on the date (`GOLLUM [HOB <950601] [HOBREB >950601]`).
    pub(crate) dated: HashMap<Entry, Vec<tocsin_dictionaries::ActorCode>>,
}

/// The knowledge-base files, in load order.
pub const KB_FILES: [&str; 10] = [
    "countries.tsv",
    "aliases.tsv",
    "orgs.tsv",
    "armed_groups.tsv",
    "people.tsv",
    "officeholders.tsv",
    "officeholders_hand.tsv",
    "sectors.tsv",
    "descriptions.tsv",
    "not_actors.tsv",
];

fn builtin_file(name: &str) -> &'static str {
    match name {
        "countries.tsv" => include_str!("../../../data/kb/countries.tsv"),
        "aliases.tsv" => include_str!("../../../data/kb/aliases.tsv"),
        "orgs.tsv" => include_str!("../../../data/kb/orgs.tsv"),
        "armed_groups.tsv" => include_str!("../../../data/kb/armed_groups.tsv"),
        "people.tsv" => include_str!("../../../data/kb/people.tsv"),
        "officeholders.tsv" => include_str!("../../../data/kb/officeholders.tsv"),
        "officeholders_hand.tsv" => include_str!("../../../data/kb/officeholders_hand.tsv"),
        "sectors.tsv" => include_str!("../../../data/kb/sectors.tsv"),
        "descriptions.tsv" => include_str!("../../../data/kb/descriptions.tsv"),
        "not_actors.tsv" => include_str!("../../../data/kb/not_actors.tsv"),
        _ => "",
    }
}

/// Normalises a phrase the way the text stage normalises tokens, joined by single spaces.
pub fn phrase_key(phrase: &str, abbr: &Abbreviations) -> String {
    let span = Span {
        start: 0,
        end: phrase.len(),
    };
    tokenize(phrase, span, abbr)
        .into_iter()
        .map(|t| t.norm)
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.split('\t').map(str::trim).collect()))
}

fn opt(s: Option<&&str>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(|s| s.to_string())
}

impl KnowledgeBase {
    /// The knowledge base compiled into the binary from `data/kb`.
    pub fn builtin() -> Result<Self, KbError> {
        Self::from_sources(|name| Ok(builtin_file(name).to_string()))
    }

    /// Loads files from `dir`, falling back to the built-in copy for files the directory lacks.
    pub fn from_dir(dir: &Path) -> Result<Self, KbError> {
        Self::from_sources(|name| {
            let path = dir.join(name);
            if path.exists() {
                std::fs::read_to_string(&path).map_err(|e| KbError {
                    file: path.display().to_string(),
                    line: 0,
                    message: format!("cannot read: {e}"),
                })
            } else {
                Ok(builtin_file(name).to_string())
            }
        })
    }

    fn from_sources(read: impl Fn(&str) -> Result<String, KbError>) -> Result<Self, KbError> {
        let abbr = Abbreviations::builtin();
        let mut kb = KnowledgeBase {
            countries: Vec::new(),
            orgs: Vec::new(),
            people: Vec::new(),
            groups: Vec::new(),
            sectors: Vec::new(),
            descriptions: HashMap::new(),
            keys: Vec::new(),
            matcher: AhoCorasick::new(["\u{0}"]).map_err(|e| KbError {
                file: "-".into(),
                line: 0,
                message: e.to_string(),
            })?,
            iso_index: HashMap::new(),
            former_codes: Vec::new(),
            phrases: Vec::new(),
            dated: HashMap::new(),
        };
        let mut phrases: Vec<(String, Entry)> = Vec::new();
        let err = |file: &str, line: usize, message: String| KbError {
            file: file.into(),
            line,
            message,
        };
        let float = |file: &str, line: usize, v: Option<&&str>, field: &str| -> Result<f64, KbError> {
            v.and_then(|s| s.parse().ok())
                .ok_or_else(|| err(file, line, format!("field `{field}` is not a number")))
        };
        let date = |file: &str, line: usize, v: Option<&&str>, field: &str| -> Result<Option<NaiveDate>, KbError> {
            match v.filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| err(file, line, format!("field `{field}`: {s:?} is not YYYY-MM-DD"))),
            }
        };

        let f = "countries.tsv";
        for (line, c) in rows(&read(f)?) {
            if c.len() < 4 {
                return Err(err(
                    f,
                    line,
                    "expected iso3, iso2, name, capital, lat, lon, aliases".into(),
                ));
            }
            let i = kb.countries.len();
            kb.countries.push(Country {
                iso3: c[0].into(),
                name: c[2].into(),
                capital: c[3].into(),
                lat: float(f, line, c.get(4), "lat")?,
                lon: float(f, line, c.get(5), "lon")?,
            });
            kb.iso_index.insert(c[0].into(), i);
            phrases.push((c[2].into(), Entry::Country(i)));
            if !c[3].is_empty() {
                phrases.push((c[3].into(), Entry::Capital(i)));
            }
            for a in c.get(6).unwrap_or(&"").split('|').filter(|a| !a.is_empty()) {
                phrases.push((a.into(), Entry::Country(i)));
                if let Some(plural) = demonym_plural(a) {
                    phrases.push((plural, Entry::Country(i)));
                }
            }
        }
        let f = "aliases.tsv";
        for (line, c) in rows(&read(f)?) {
            let i = *c
                .first()
                .and_then(|iso| kb.iso_index.get(*iso))
                .ok_or_else(|| err(f, line, "field `iso3` is not a known country".into()))?;
            let alias = c
                .get(1)
                .filter(|a| !a.is_empty())
                .ok_or_else(|| err(f, line, "field `alias` is missing".into()))?;
            phrases.push((alias.to_string(), Entry::Country(i)));
        }
        let f = "orgs.tsv";
        for (line, c) in rows(&read(f)?) {
            if c.len() < 4 {
                return Err(err(
                    f,
                    line,
                    "expected org, code, sector, name, aliases, former codes".into(),
                ));
            }
            let i = kb.orgs.len();
            kb.orgs.push(Org {
                org: c[0].into(),
                code: c[1].into(),
                sector: c[2].into(),
                name: c[3].into(),
            });
            for old in c.get(5).unwrap_or(&"").split('|').filter(|a| !a.is_empty()) {
                kb.former_codes.push((old.to_string(), c[1].to_string()));
            }
            phrases.push((c[0].into(), Entry::Org(i)));
            phrases.push((c[3].into(), Entry::Org(i)));
            for a in c.get(4).unwrap_or(&"").split('|').filter(|a| !a.is_empty()) {
                phrases.push((a.into(), Entry::Org(i)));
            }
        }
        let f = "armed_groups.tsv";
        kb.load_groups(f, &read(f)?, &mut phrases)?;
        for f in ["people.tsv", "officeholders.tsv", "officeholders_hand.tsv"] {
            for (line, c) in rows(&read(f)?) {
                let name = c
                    .first()
                    .filter(|n| !n.is_empty())
                    .ok_or_else(|| err(f, line, "field `name` is missing".into()))?;
                let i = kb.people.len();
                kb.people.push(Person {
                    name: name.to_string(),
                    country: opt(c.get(2)),
                    org: opt(c.get(3)),
                    sector: opt(c.get(4)),
                    role: opt(c.get(5)).unwrap_or_default(),
                    from: date(f, line, c.get(6), "from")?,
                    to: date(f, line, c.get(7), "to")?,
                    code: None,
                });
                phrases.push((name.to_string(), Entry::Person(i)));
                for a in c.get(1).unwrap_or(&"").split('|').filter(|a| !a.is_empty()) {
                    phrases.push((a.into(), Entry::Person(i)));
                }
            }
        }
        let f = "sectors.tsv";
        for (line, c) in rows(&read(f)?) {
            let (Some(p), Some(s)) = (c.first(), c.get(1)) else {
                return Err(err(f, line, "expected phrase, sector".into()));
            };
            phrases.push((p.to_string(), Entry::Sector(kb.sectors.len())));
            kb.sectors.push((p.to_string(), s.to_string()));
        }
        let f = "not_actors.tsv";
        for (_, c) in rows(&read(f)?) {
            phrases.push((c[0].to_string(), Entry::Blocked));
        }
        let f = "descriptions.tsv";
        for (line, c) in rows(&read(f)?) {
            let kind = match c.get(1).copied() {
                Some("country") => DescriptionKind::Country,
                Some("org") => DescriptionKind::Org,
                other => {
                    return Err(err(
                        f,
                        line,
                        format!("field `refers to`: {other:?} is not country or org"),
                    ))
                }
            };
            kb.descriptions.insert(c[0].to_lowercase(), kind);
        }
        kb.phrases = phrases;
        kb.build_matcher(&abbr)?;
        Ok(kb)
    }

    pub(crate) fn build_matcher(&mut self, abbr: &Abbreviations) -> Result<(), KbError> {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut keys: Vec<String> = Vec::new();
        self.keys.clear();
        for (phrase, entry) in &self.phrases {
            let entry = *entry;
            // "The Gambia" is also "Gambia"; but a capital named with its article keeps it: without it
            // the rest is a common word ("The Valley", "The Bottom", "The Settlement").
            let phrase = match entry {
                Entry::Capital(_) => phrase.as_str(),
                _ => phrase
                    .strip_prefix("The ")
                    .or_else(|| phrase.strip_prefix("the "))
                    .unwrap_or(phrase),
            };
            let key = phrase_key(phrase, abbr);
            if key.is_empty() {
                continue;
            }
            let letters: Vec<char> = phrase.chars().filter(|c| c.is_alphabetic()).collect();
            let upper = letters.len() <= 2 || (letters.len() <= 4 && letters.iter().all(|c| c.is_uppercase()));
            let named = match entry {
                Entry::Group(_) => true,
                // People of the knowledge-base files; a dictionary's people carry their own code.
                Entry::Person(i) => self.people.get(i).is_some_and(|p| p.code.is_none()),
                _ => false,
            };
            let caps = named.then(|| phrase.split_whitespace().map(first_letter_capital).collect());
            let titled = matches!(entry, Entry::Org(_))
                && phrase.split_whitespace().count() > 1
                && last_word_capitalised(phrase);
            let k = *index.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                self.keys.push(Vec::new());
                keys.len() - 1
            });
            self.keys[k].push(Pattern {
                entry,
                upper,
                caps,
                titled,
            });
        }
        self.matcher = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&keys)
            .map_err(|e| KbError {
                file: "kb".into(),
                line: 0,
                message: e.to_string(),
            })?;
        Ok(())
    }

    /// Country by ISO alpha-3.
    pub fn country(&self, iso3: &str) -> Option<&Country> {
        self.iso_index.get(iso3).map(|&i| &self.countries[i])
    }

    /// All phrase matches over `hay` (normalised tokens joined by spaces): (start, end, candidates).
    pub(crate) fn find(&self, hay: &str) -> Vec<(usize, usize, usize)> {
        self.matcher
            .find_overlapping_iter(hay)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect()
    }

    /// The entry for key `k` given the surface text, respecting exact-case aliases; people first, then
    /// armed groups; among people (or groups) sharing the name, the one in office (active) on `day`.
    pub(crate) fn entry_for(&self, k: usize, surface: &str, day: Option<NaiveDate>) -> Option<Entry> {
        let rank = |e: &Entry| match e {
            Entry::Person(_) => 0,
            Entry::Group(_) => 1,
            Entry::Org(_) => 2,
            Entry::Country(_) => 3,
            Entry::Capital(_) => 4,
            Entry::Sector(_) => 5,
            Entry::Blocked => 6,
        };
        let mut best: Option<Entry> = None;
        for p in self.keys.get(k)? {
            if (p.upper && !surface.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase))
                || (p.titled && !last_word_capitalised(surface))
                || p.caps.as_deref().is_some_and(|caps| !capitals_match(caps, surface))
            {
                continue;
            }
            best = Some(match best {
                None => p.entry,
                Some(b) if rank(&p.entry) < rank(&b) => p.entry,
                Some(b) if rank(&p.entry) == rank(&b) => self.by_date(b, p.entry, day),
                Some(b) => b,
            });
        }
        best
    }

    /// The current code for a code that starts with an organisation's former code (`IGOEURLEG` →
    /// `IGOEULEG`); other codes unchanged.
    pub fn current_code(&self, code: &str) -> String {
        self.former_codes
            .iter()
            .filter(|(old, _)| code.starts_with(old.as_str()))
            .max_by_key(|(old, _)| old.len())
            .map_or_else(|| code.to_string(), |(old, new)| format!("{new}{}", &code[old.len()..]))
    }
}

/// Whether a word starts (at its first letter) with a capital; words without letters count as capitalised.
fn first_letter_capital(word: &str) -> bool {
    word.chars().find(|c| c.is_alphabetic()).is_none_or(char::is_uppercase)
}

/// Whether every word marked capitalised in the name is capitalised in `surface` too (word by word; when
/// the two split differently, the first word decides).
fn capitals_match(caps: &[bool], surface: &str) -> bool {
    let words: Vec<&str> = surface.split_whitespace().collect();
    if words.len() != caps.len() {
        return !caps.first().copied().unwrap_or(false) || words.first().is_some_and(|w| first_letter_capital(w));
    }
    caps.iter().zip(&words).all(|(&cap, w)| !cap || first_letter_capital(w))
}

/// Whether the last word of `phrase` starts with a capital letter (or has no letters).
fn last_word_capitalised(phrase: &str) -> bool {
    phrase
        .split_whitespace()
        .last()
        .and_then(|w| w.chars().find(|c| c.is_alphabetic()))
        .is_none_or(char::is_uppercase)
}

/// The plural of a one-word demonym ("Liberian" → "Liberians", "Iraqi" → "Iraqis"), for the people
/// of a country; adjectives in -ese, -ch, -sh and the like have none.
fn demonym_plural(alias: &str) -> Option<String> {
    let word = alias.chars().all(|c| c.is_alphabetic()) && alias.chars().next().is_some_and(char::is_uppercase);
    (word && alias.chars().count() > 4 && (alias.ends_with("an") || alias.ends_with('i'))).then(|| format!("{alias}s"))
}
