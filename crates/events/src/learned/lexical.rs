//! Word knowledge the learned coder generalises with: vector clusters (spaCy md vectors), WordNet
//! lexicographer files and hypernyms, and the CAMEO 2.0 verb dictionary's codes.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Built-in `models/clusters.tsv` (see `scripts/build_lexical.py`).
pub const BUILTIN_CLUSTERS: &str = include_str!("../../../../models/clusters.tsv");
/// Built-in `models/wordnet.tsv`.
pub const BUILTIN_WORDNET: &str = include_str!("../../../../models/wordnet.tsv");
/// Built-in CAMEO 2.0 verb dictionary (`data/dictionaries/cameo/CAMEO.2.0.txt`, MIT).
pub const BUILTIN_CAMEO_VERBS: &str = include_str!("../../../../data/dictionaries/cameo/CAMEO.2.0.txt");

/// WordNet facts of one lemma's first sense.
#[derive(Debug, Clone, Default)]
pub struct Sense {
    /// Lexicographer file ("verb.contact", "noun.phenomenon").
    pub lexname: String,
    /// Hypernym synsets, root first.
    pub hypernyms: Vec<String>,
}

/// The loaded word knowledge.
#[derive(Debug, Default)]
pub struct Lexical {
    clusters: HashMap<String, [u16; 3]>,
    nouns: HashMap<String, Sense>,
    verbs: HashMap<String, Sense>,
    cameo: HashMap<String, String>,
}

impl Lexical {
    /// The built-in resources, parsed once per process.
    pub fn builtin() -> &'static Lexical {
        static CELL: OnceLock<Lexical> = OnceLock::new();
        CELL.get_or_init(|| Lexical::from_texts(BUILTIN_CLUSTERS, BUILTIN_WORDNET, BUILTIN_CAMEO_VERBS))
    }

    /// Parses the three resources (malformed lines are skipped: the files are generated).
    pub fn from_texts(clusters: &str, wordnet: &str, cameo_verbs: &str) -> Lexical {
        let mut lex = Lexical::default();
        for line in clusters.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            if let [w, a, b, c] = f[..] {
                if let (Ok(a), Ok(b), Ok(c)) = (a.parse(), b.parse(), c.parse()) {
                    lex.clusters.insert(w.to_string(), [a, b, c]);
                }
            }
        }
        for line in wordnet.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 3 {
                continue;
            }
            let sense = Sense {
                lexname: f[2].to_string(),
                hypernyms: f
                    .get(3)
                    .map(|h| h.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect())
                    .unwrap_or_default(),
            };
            match f[1] {
                "v" => lex.verbs.insert(f[0].to_string(), sense),
                _ => lex.nouns.insert(f[0].to_string(), sense),
            };
        }
        let mut warnings = Vec::new();
        for v in tocsin_dictionaries::read_verbs("CAMEO.2.0.txt", cameo_verbs, &mut warnings) {
            let Some(code) = v.code else { continue };
            for form in v.forms.iter().filter(|f| f.len() == 1) {
                lex.cameo.entry(form[0].to_lowercase()).or_insert_with(|| code.clone());
            }
        }
        lex
    }

    /// The vocabulary word a token stands for: its lemma or surface form if known, else the form with
    /// a regular inflection undone ("welcomed" → "welcome", "strikes" → "strike", "carried" → "carry").
    pub fn base<'a>(&self, lemma: &'a str, norm: &'a str) -> Option<std::borrow::Cow<'a, str>> {
        use std::borrow::Cow;
        if self.clusters.contains_key(lemma) {
            return Some(Cow::Borrowed(lemma));
        }
        if self.clusters.contains_key(norm) {
            return Some(Cow::Borrowed(norm));
        }
        let strip = |suffix: &str, add: &str| {
            norm.strip_suffix(suffix)
                .filter(|s| s.len() >= 3)
                .map(|s| format!("{s}{add}"))
        };
        let tries = [
            strip("ied", "y"),
            strip("ies", "y"),
            strip("d", ""),
            strip("ed", ""),
            strip("es", ""),
            strip("s", ""),
            strip("ing", "e"),
            strip("ing", ""),
            // "planned" → "plan", "shelling" → "shell".
            strip("ed", "").and_then(|s| dedouble(&s)),
            strip("ing", "").and_then(|s| dedouble(&s)),
        ];
        tries
            .into_iter()
            .flatten()
            .find(|w| self.clusters.contains_key(w.as_str()))
            .map(Cow::Owned)
    }

    /// Clusters of a word: 64 and 1,024 k-means clusters and the vector row (None if unknown).
    pub fn clusters(&self, word: &str) -> Option<[u16; 3]> {
        self.clusters.get(word).copied()
    }

    /// WordNet first sense of a lemma as a verb or a noun.
    pub fn sense(&self, lemma: &str, verb: bool) -> Option<&Sense> {
        if verb {
            self.verbs.get(lemma)
        } else {
            self.nouns.get(lemma)
        }
    }

    /// The CAMEO code of a verb form in the CAMEO 2.0 dictionary ("shelled" → its family's code).
    pub fn cameo_verb(&self, form: &str) -> Option<&str> {
        self.cameo.get(form).map(String::as_str)
    }
}

/// "plann" → "plan": a doubled final consonant undone.
fn dedouble(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (b.len() >= 4 && b[b.len() - 1] == b[b.len() - 2]).then(|| s[..s.len() - 1].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_resources_know_news_words() {
        let lex = Lexical::builtin();
        let attack = lex.clusters("attack").expect("attack has a cluster");
        let bombing = lex.clusters("bombing").expect("bombing has a cluster");
        // Violent acts share a coarse cluster; an earthquake is a phenomenon in WordNet, an attack an act.
        assert_eq!(attack[0], bombing[0]);
        assert_eq!(
            lex.sense("earthquake", false).map(|s| s.lexname.as_str()),
            Some("noun.event")
        );
        assert_eq!(lex.sense("attack", false).map(|s| s.lexname.as_str()), Some("noun.act"));
        assert_eq!(
            lex.sense("condemn", true).map(|s| s.lexname.as_str()),
            Some("verb.communication")
        );
        assert!(lex.cameo_verb("shell").is_some_and(|c| c.starts_with("19")));
        assert_eq!(lex.base("welcom", "welcomed").as_deref(), Some("welcome"));
        assert_eq!(lex.base("stabb", "stabbed").as_deref(), Some("stab"));
        assert_eq!(lex.base("strike", "strikes").as_deref(), Some("strike"));
    }
}
