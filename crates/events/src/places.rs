//! Gazetteer v1 (countries, GeoNames cities ≥ 15,000 and a user file) and the place of an event
//! from locative phrases ("in the town of Banjska near Mitrovica").

use std::collections::{HashMap, HashSet};

use tocsin_doc::{Document, Location, Pos, Span};

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

/// Places by lower-cased name.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
    by_name: HashMap<String, Vec<usize>>,
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

impl Gazetteer {
    /// The built-in gazetteer: `data/kb/countries.tsv`, `data/gazetteer/cities.tsv` and `places.tsv`.
    pub fn builtin() -> Self {
        let mut g = Gazetteer::default();
        g.add_tsv(include_str!("../../../data/gazetteer/cities.tsv"));
        g.add_tsv(include_str!("../../../data/gazetteer/places.tsv"));
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
                g.add(
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
        g
    }

    /// Adds `name, iso3, lat, lon, population, alternates` rows (bad rows are skipped).
    pub fn add_tsv(&mut self, tsv: &str) {
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

    fn add(&mut self, place: Place, alternates: &[&str]) {
        let i = self.places.len();
        for n in std::iter::once(place.name.as_str()).chain(alternates.iter().copied()) {
            let v = self.by_name.entry(n.to_lowercase()).or_default();
            if !v.contains(&i) {
                v.push(i);
            }
        }
        self.places.push(place);
    }

    /// The best place for a name: in a country of the article if possible, then most populous.
    pub fn lookup(&self, name: &str, countries: &HashSet<String>) -> Option<&Place> {
        self.by_name
            .get(&name.to_lowercase())?
            .iter()
            .map(|&i| &self.places[i])
            .max_by_key(|p| (countries.contains(&p.country), p.population))
    }
}

/// A capitalised place phrase introduced by a locative preposition.
struct Candidate {
    tokens: std::ops::Range<usize>,
    place: Place,
}

fn candidates(doc: &Document, s: usize, gaz: &Gazetteer, countries: &HashSet<String>) -> Vec<Candidate> {
    let range = doc.sentences[s].tokens.clone();
    let mut out = Vec::new();
    for i in range.clone() {
        if !LOCATIVE.contains(&doc.tokens[i].norm.as_str()) {
            continue;
        }
        if i > range.start && SPEECH.contains(&doc.tokens[i - 1].norm.as_str()) {
            continue;
        }
        let mut k = i + 1;
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
            k += 1;
        }
        let name_end = (k..range.end.min(k + 4))
            .take_while(|&j| {
                doc.tokens[j].pos == Pos::Propn
                    || (j == k && doc.slice(doc.tokens[j].span).starts_with(char::is_uppercase))
            })
            .last();
        let Some(last) = name_end else { continue };
        // Longest prefix of the capitalised run that the gazetteer knows.
        let found = (k..=last).rev().find_map(|e| {
            let text = doc.slice(Span {
                start: doc.tokens[k].span.start,
                end: doc.tokens[e].span.end,
            });
            gaz.lookup(text, countries).map(|p| (e, p.clone()))
        });
        if let Some((e, place)) = found {
            out.push(Candidate {
                tokens: k..e + 1,
                place,
            });
        }
    }
    out
}

/// The place of an event whose trigger starts at token `trigger`: the first locative phrase after
/// it (else before it) in the sentence. "X near Y" with X unknown resolves to Y.
/// `countries`: the countries mentioned in the article, for disambiguation.
pub fn locate(
    doc: &Document,
    s: usize,
    trigger: usize,
    gaz: &Gazetteer,
    countries: &HashSet<String>,
) -> Option<Location> {
    let cands = candidates(doc, s, gaz, countries);
    // Prefer a city over a country-level phrase in the same stretch ("Banjska … in northern Kosovo").
    let after: Vec<&Candidate> = cands.iter().filter(|c| c.tokens.start > trigger).collect();
    let pool: Vec<&Candidate> = if after.is_empty() {
        cands.iter().collect()
    } else {
        after
    };
    let best = pool.iter().find(|c| c.place.population != u64::MAX).or(pool.first())?;
    let span = Span {
        start: doc.tokens[best.tokens.start].span.start,
        end: doc.tokens[best.tokens.end - 1].span.end,
    };
    Some(Location {
        text: doc.slice(span).to_string(),
        name: best.place.name.clone(),
        country: Some(best.place.country.clone()),
        lat: best.place.lat,
        lon: best.place.lon,
    })
}
