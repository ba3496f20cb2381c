//! Gazetteer (countries, every GeoNames place with ≥ 1,000 inhabitants, and a user file) and the
//! place of an event from locative phrases ("in the town of Banjska near Mitrovica").
//!
//! The built-in index is built once per process and shared; it keys each place under its name and
//! alternate names by a 64-bit hash of the lower-cased name (~700,000 keys, ~11 MB), so a coder
//! costs nothing to clone.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, OnceLock};

use tocsin_doc::{Document, GeoPrecision, Location, Pos, Span};

/// One place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Canonical name.
    pub name: String,
    /// ISO alpha-3 of the country it lies in.
    pub country: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Population (0 if unknown); countries rank above cities of the same name.
    pub population: u64,
}

/// Places under 15,000 inhabitants are taken only with support: their country is mentioned in
/// the article, a place noun introduces their own name ("the village of X", diacritics aside), or
/// the user listed them.
const SMALL_PLACE: u64 = 15_000;

/// Places keyed by the hash of each lower-cased name, sorted for binary search.
#[derive(Debug, Clone, Default)]
struct Index {
    places: Vec<Place>,
    keys: Vec<(u64, u32)>,
}

/// A name without case or diacritics ("Kačanik" → "kacanik"), to tell a spelling of a place's own
/// name from another place's alternate name.
fn folded(name: &str) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    name.nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

fn key(name: &str) -> u64 {
    let mut h = DefaultHasher::new();
    name.to_lowercase().hash(&mut h);
    h.finish()
}

impl Index {
    fn add(&mut self, place: Place, alternates: &[&str]) {
        let Ok(i) = u32::try_from(self.places.len()) else {
            return;
        };
        let mut seen = Vec::with_capacity(alternates.len() + 1);
        for n in std::iter::once(place.name.as_str()).chain(alternates.iter().copied()) {
            let k = key(n);
            if !seen.contains(&k) {
                seen.push(k);
                self.keys.push((k, i));
            }
        }
        self.places.push(place);
    }

    /// Adds `name, iso3, lat, lon, population, alternates` rows; `sort` must follow before lookups.
    fn add_rows(&mut self, tsv: &str) {
        for line in tsv.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let c: Vec<&str> = line.split('\t').map(str::trim).collect();
            let (Some(name), Some(iso), Some(Ok(lat)), Some(Ok(lon))) = (
                c.first(),
                c.get(1),
                c.get(2).map(|v| v.parse()),
                c.get(3).map(|v| v.parse()),
            ) else {
                continue;
            };
            let population = c.get(4).and_then(|p| p.parse().ok()).unwrap_or(0);
            let alts: Vec<&str> = c
                .get(5)
                .map_or(Vec::new(), |a| a.split('|').filter(|a| !a.is_empty()).collect());
            self.add(
                Place {
                    name: name.to_string(),
                    country: iso.to_string(),
                    lat,
                    lon,
                    population,
                },
                &alts,
            );
        }
    }

    /// Orders the keys for binary search (once, after all rows are in).
    fn sort(&mut self) {
        self.keys.sort_unstable();
    }

    fn get(&self, k: u64) -> impl Iterator<Item = &Place> {
        let from = self.keys.partition_point(|&(h, _)| h < k);
        self.keys[from..]
            .iter()
            .take_while(move |&&(h, _)| h == k)
            .filter_map(|&(_, i)| self.places.get(i as usize))
    }
}

/// Places by name: the shared built-in index plus the user's rows.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    builtin: Option<Arc<Index>>,
    user: Index,
}

const LOCATIVE: &[&str] = &["in", "at", "near", "outside", "around"];
const PLACE_NOUNS: &[&str] = &[
    "town",
    "city",
    "village",
    "region",
    "province",
    "capital",
    "area",
    "district",
    "port",
    "municipality",
];
const SPEECH: &[&str] = &[
    "said",
    "announced",
    "told",
    "reported",
    "stated",
    "added",
    "says",
    "announces",
    "reports",
];

fn builtin_index() -> Arc<Index> {
    static BUILTIN: OnceLock<Arc<Index>> = OnceLock::new();
    BUILTIN
        .get_or_init(|| {
            let mut ix = Index::default();
            for line in include_str!("../../../data/kb/countries.tsv")
                .lines()
                .filter(|l| !l.starts_with('#'))
            {
                let c: Vec<&str> = line.split('\t').collect();
                if let (Some(iso), Some(name), Some(Ok(lat)), Some(Ok(lon))) = (
                    c.first(),
                    c.get(2),
                    c.get(4).map(|v| v.parse()),
                    c.get(5).map(|v| v.parse()),
                ) {
                    ix.add(
                        Place {
                            name: name.to_string(),
                            country: iso.to_string(),
                            lat,
                            lon,
                            population: u64::MAX,
                        },
                        &[],
                    );
                }
            }
            ix.add_rows(include_str!("../../../data/gazetteer/cities.tsv"));
            ix.add_rows(include_str!("../../../data/gazetteer/places.tsv"));
            ix.sort();
            Arc::new(ix)
        })
        .clone()
}

/// A place found for a name, and whether it came from the user's rows.
struct Found<'a> {
    place: &'a Place,
    user: bool,
}

impl Gazetteer {
    /// The built-in gazetteer: `data/kb/countries.tsv`, `data/gazetteer/cities.tsv` (GeoNames
    /// ≥ 1,000 inhabitants) and `places.tsv`; built on first use, then shared.
    pub fn builtin() -> Self {
        Gazetteer {
            builtin: Some(builtin_index()),
            user: Index::default(),
        }
    }

    /// Adds `name, iso3, lat, lon, population, alternates` rows (bad rows are skipped); user rows
    /// win over built-in places of the same name in the same country context.
    pub fn add_tsv(&mut self, tsv: &str) {
        self.user.add_rows(tsv);
        self.user.sort();
    }

    fn find(&self, name: &str, countries: &HashSet<String>) -> Option<Found<'_>> {
        let k = key(name);
        let user = self.user.get(k).map(|place| Found { place, user: true });
        let builtin = self
            .builtin
            .iter()
            .flat_map(|b| b.get(k))
            .map(|place| Found { place, user: false });
        // A place's own name weighs ten times its population against another's alternate name.
        let weight = |f: &Found| {
            let own = key(&f.place.name) == k;
            f.place.population.saturating_mul(if own { 10 } else { 1 })
        };
        user.chain(builtin)
            .max_by_key(|f| (countries.contains(&f.place.country), f.user, weight(f)))
    }

    /// The best place for a name: in a country of the article if possible, then the user's, then
    /// the most populous (a place's own name counting ten times against an alternate name).
    pub fn lookup(&self, name: &str, countries: &HashSet<String>) -> Option<&Place> {
        self.find(name, countries).map(|f| f.place)
    }
}

/// How far "near" reaches: an X found farther than this from Y in "X near Y" is a namesake.
const NEAR_KM: f64 = 50.0;

/// Great-circle distance in kilometres.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * a.sqrt().asin()
}

/// A capitalised place phrase introduced by a locative preposition.
struct Candidate {
    /// The tokens of the place name the gazetteer knows.
    tokens: std::ops::Range<usize>,
    /// The first token of the quoted text: an unknown "X" in "X near Y" starts it.
    text_start: usize,
    place: Place,
}

fn is_capitalised(doc: &Document, k: usize) -> bool {
    doc.tokens[k].pos == Pos::Propn || doc.capitalised(k)
}

/// In "… of Banjska near Mitrovica" (or "… in northern Kosovo"), the first token of the name
/// before the preposition at `near`, if a locative or place noun introduces it.
fn unknown_before_near(doc: &Document, range: &std::ops::Range<usize>, near: usize) -> Option<usize> {
    let mut j = near;
    while j > range.start && j + 3 > near && is_capitalised(doc, j - 1) && doc.tokens[j - 1].pos != Pos::Punct {
        j -= 1;
    }
    let intro = doc.tokens.get(j.checked_sub(1)?)?.norm.as_str();
    (j < near && j > range.start && (LOCATIVE.contains(&intro) || intro == "of" || PLACE_NOUNS.contains(&intro)))
        .then_some(j)
}

/// The countries of the story's actor mentions, except those overlapping `place` (in "gunmen in
/// Tripoli" the mention's country comes from the very name being disambiguated).
fn story_countries(doc: &Document, place: std::ops::Range<usize>) -> HashSet<String> {
    doc.mentions
        .iter()
        .filter(|m| m.tokens.end <= place.start || m.tokens.start >= place.end)
        .filter_map(|m| m.actor.country.clone())
        .collect()
}

fn candidates(doc: &Document, s: usize, gaz: &Gazetteer) -> Vec<Candidate> {
    let range = doc.sentences[s].tokens.clone();
    let mut out: Vec<Candidate> = Vec::new();
    for i in range.clone() {
        // "in X", "near X", and "the … city of X" wherever it stands ("shelled the city of Kharkiv").
        let named_place =
            doc.tokens[i].norm == "of" && i > range.start && PLACE_NOUNS.contains(&doc.tokens[i - 1].norm.as_str());
        if !LOCATIVE.contains(&doc.tokens[i].norm.as_str()) && !named_place {
            continue;
        }
        if i > range.start && SPEECH.contains(&doc.tokens[i - 1].norm.as_str()) {
            continue;
        }
        let mut k = i + 1;
        let mut noun = false;
        let skippable = |k: usize| {
            let n = doc.tokens[k].norm.as_str();
            n == "the"
                || n == "of"
                || PLACE_NOUNS.contains(&n)
                || matches!(
                    n,
                    "northern" | "southern" | "eastern" | "western" | "central" | "north" | "south" | "east" | "west"
                )
        };
        while k < range.end && skippable(k) {
            noun |= PLACE_NOUNS.contains(&doc.tokens[k].norm.as_str());
            k += 1;
        }
        let name_end = (k..range.end.min(k + 4))
            .take_while(|&j| doc.tokens[j].pos == Pos::Propn || (j == k && doc.capitalised(j)))
            .last();
        let Some(last) = name_end else { continue };
        let countries = story_countries(doc, k..last + 1);
        // Longest prefix of the capitalised run that the gazetteer knows; a small place needs the
        // support of its country in the article, a place noun, or the user's file.
        let found = (k..=last).rev().find_map(|e| {
            let text = doc.slice(Span {
                start: doc.tokens[k].span.start,
                end: doc.tokens[e].span.end,
            });
            let f = gaz.find(text, &countries)?;
            let own_name = folded(&f.place.name) == folded(text);
            let supported = f.place.population >= SMALL_PLACE
                || f.user
                || (noun && own_name)
                || countries.contains(&f.place.country);
            supported.then(|| (e, f.place.clone()))
        });
        let Some((e, place)) = found else { continue };
        let mut text_start = k;
        if matches!(doc.tokens[i].norm.as_str(), "near" | "in") {
            if let Some(x) = unknown_before_near(doc, &range, i) {
                // "X near Y" / "X in Y" with X known stays X, unless the X found lies far from Y:
                // then it is a namesake elsewhere ("Banjska" is also a name of Bansko, Bulgaria) and
                // Y stands in, quoting "X near Y".
                if let Some(pos) = out.iter().position(|c| c.tokens.contains(&x)) {
                    let xp = &out[pos].place;
                    if distance_km(xp.lat, xp.lon, place.lat, place.lon) <= NEAR_KM {
                        continue;
                    }
                    out.remove(pos);
                }
                text_start = x;
            }
        }
        out.push(Candidate {
            tokens: k..e + 1,
            text_start,
            place,
        });
    }
    out
}

/// The place of an event whose trigger starts at token `trigger`: the first locative phrase after
/// it (else before it) in the sentence. "X near Y" (or "X in Y") with X unknown resolves to Y,
/// quoting the whole phrase.
/// Namesakes are told apart by the countries of the story's actors, then by population.
pub fn locate(doc: &Document, s: usize, trigger: usize, gaz: &Gazetteer) -> Option<Location> {
    let cands = candidates(doc, s, gaz);
    // Prefer a city over a country-level phrase in the same stretch ("Banjska … in northern Kosovo").
    let after: Vec<&Candidate> = cands.iter().filter(|c| c.text_start > trigger).collect();
    let pool: Vec<&Candidate> = if after.is_empty() {
        cands.iter().collect()
    } else {
        after
    };
    let best = pool.iter().find(|c| c.place.population != u64::MAX).or(pool.first())?;
    let span = Span {
        start: doc.tokens[best.text_start].span.start,
        end: doc.tokens[best.tokens.end - 1].span.end,
    };
    Some(Location {
        text: doc.slice(span).to_string(),
        name: best.place.name.clone(),
        country: Some(best.place.country.clone()),
        lat: best.place.lat,
        lon: best.place.lon,
        precision: if best.place.population == u64::MAX {
            GeoPrecision::Country
        } else {
            GeoPrecision::Place
        },
    })
}
