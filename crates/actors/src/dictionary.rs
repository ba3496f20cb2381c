//! PETRARCH/TABARI actor and agent dictionaries merged into the knowledge base (`--dictionaries DIR`).
//!
//! Actors whose code starts with a known country become people-like entries of that country with the
//! code's next three letters as sector (`BILL_CLINTON [USAGOV 930120-010120]` → USA, GOV); codes without a
//! country (`IGOUNO`, `IMGMOSALQ`) become organisations with the full code. Entries that only rename a
//! country already in the knowledge base add nothing. Agents replace the knowledge base's sector nouns.

use std::collections::HashSet;

use tocsin_dictionaries::{ActorEntry, AgentEntry};
use tocsin_text::Abbreviations;

use crate::kb::{phrase_key, Entry, KbError, KnowledgeBase, Org, Person};

/// Dictionary words as text: `["BILL", "CLINTON"]` → "Bill Clinton" (title case, so that the
/// exact-case rule for short acronyms does not apply to every dictionary word).
fn phrase_text(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(c.flat_map(char::to_lowercase))
                    .collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl KnowledgeBase {
    /// Adds dictionary actors and agents and rebuilds the phrase matcher. Returns how many actor
    /// entries were added (null `[---]` entries and plain country names are skipped).
    pub fn add_dictionaries(&mut self, actors: &[ActorEntry], agents: &[AgentEntry]) -> Result<usize, KbError> {
        // Agent dictionaries replace the knowledge base's sector nouns (PETRARCH codes agents its own way).
        if !agents.is_empty() {
            self.phrases.retain(|(_, e)| !matches!(e, Entry::Sector(_)));
        }
        // The knowledge base wins: a dictionary phrase it already knows (Kosovo, NATO, Blinken) adds nothing.
        let abbr = Abbreviations::builtin();
        let mut known: HashSet<String> = self.phrases.iter().map(|(p, _)| phrase_key(p, &abbr)).collect();
        let mut added = 0;
        for a in actors {
            // The code without a date restriction, else the latest-starting one.
            let Some(code) = a
                .codes
                .iter()
                .find(|c| c.from.is_none() && c.to.is_none())
                .or_else(|| a.codes.iter().max_by_key(|c| c.from))
            else {
                continue;
            };
            // Old organisation codes read as today's (`IGOEUR` → `IGOEU`, orgs.tsv's former codes).
            let code = self.current_code(&code.code);
            let code = code.as_str();
            let name = phrase_text(&a.phrases[0]);
            let country = code.get(..3).filter(|c| self.country(c).is_some()).map(str::to_string);
            let entry = match &country {
                Some(iso) if code.len() == 3 => {
                    // A country's own name or alias: already known, or add it as an alias.
                    match self.iso_index.get(iso.as_str()) {
                        Some(&i) => Entry::Country(i),
                        None => continue,
                    }
                }
                Some(iso) => {
                    self.people.push(Person {
                        name: name.clone(),
                        country: Some(iso.clone()),
                        org: None,
                        sector: code.get(3..6).map(str::to_string),
                        role: String::new(),
                        from: None,
                        to: None,
                        code: Some(code.to_string()),
                    });
                    Entry::Person(self.people.len() - 1)
                }
                None => {
                    let Some(sector) = code.get(..3).filter(|_| !code.contains('/')) else {
                        continue;
                    };
                    self.orgs.push(Org {
                        org: name.clone(),
                        code: code.to_string(),
                        sector: sector.to_string(),
                        name: name.clone(),
                    });
                    Entry::Org(self.orgs.len() - 1)
                }
            };
            // Dated codes of the dictionary's own actors; a country stays the knowledge base's.
            if !matches!(entry, Entry::Country(_)) && a.codes.iter().any(|c| c.from.is_some() || c.to.is_some()) {
                self.dated.insert(entry, a.codes.clone());
            }
            let mut any = false;
            for p in &a.phrases {
                let text = phrase_text(p);
                if known.insert(phrase_key(&text, &abbr)) {
                    self.phrases.push((text, entry));
                    any = true;
                }
            }
            added += usize::from(any);
        }
        for g in agents {
            // The whole agent code (`GOVFRM`), so that "Arnor's foreign minister" codes as ARNGOVFRM.
            let sector = g.code.clone();
            for p in &g.phrases {
                let phrase = phrase_text(p);
                if !known.insert(phrase_key(&phrase, &abbr)) {
                    continue;
                }
                self.phrases.push((phrase.clone(), Entry::Sector(self.sectors.len())));
                self.sectors.push((phrase, sector.clone()));
            }
        }
        self.build_matcher(&abbr)?;
        Ok(added)
    }
}
