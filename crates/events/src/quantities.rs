//! Numbers, casualties ("Three attackers and a police officer were killed" → 4 dead), arrests
//! ("police detained 12 protesters" → 12 arrested) and group sizes ("a 30-strong commando group" → 30).

use tocsin_doc::Document;

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const HEDGES: &[&str] = &[
    "at",
    "least",
    "some",
    "around",
    "about",
    "nearly",
    "almost",
    "more",
    "than",
    "over",
    "up",
    "to",
    "approximately",
    "roughly",
    "an",
    "estimated",
];

/// Parses a number token: digits ("4,500"), "30-strong", or a number word ("three", "forty-two").
pub fn parse_number(norm: &str) -> Option<u32> {
    let head = norm.split('-').next().unwrap_or(norm);
    if head.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        let digits: String = head.chars().filter(|c| *c != ',').collect();
        return digits.parse().ok();
    }
    if let Some(u) = UNITS.iter().position(|w| *w == norm) {
        return Some(u as u32);
    }
    let mut parts = norm.split('-');
    let tens = parts.next();
    let t = TENS.iter().position(|w| Some(*w) == tens)?;
    let u = parts
        .next()
        .map_or(Some(0), |p| UNITS.iter().position(|w| *w == p).filter(|&u| u < 10))?;
    Some(20 + 10 * t as u32 + u as u32)
}

/// A number starting at token `i` (with "hundred"/"thousand" multipliers), skipping hedges.
fn number_from(doc: &Document, mut i: usize, end: usize) -> Option<u32> {
    while i < end && HEDGES.contains(&doc.tokens[i].norm.as_str()) && parse_number(&doc.tokens[i].norm).is_none() {
        i += 1;
    }
    let mut n = parse_number(doc.tokens.get(i).filter(|_| i < end)?.norm.as_str())?;
    match doc.tokens.get(i + 1).map(|t| t.norm.as_str()) {
        Some("hundred") => n *= 100,
        Some("thousand") => n *= 1000,
        Some("million") => n *= 1_000_000,
        _ => {}
    }
    Some(n)
}

/// Dead, injured and arrested counts reported in sentence `s`, with the token of the casualty verb.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Casualties {
    /// People killed.
    pub dead: Option<u32>,
    /// People injured.
    pub injured: Option<u32>,
    /// People arrested or detained.
    pub arrested: Option<u32>,
    /// Token index of the (first) casualty word.
    pub at: Option<usize>,
}

fn subject_count(doc: &Document, clause_start: usize, verb: usize) -> Option<u32> {
    // Chunks of the subject separated by "and" / ",": each starts with a count ("three", "a").
    let mut total = 0;
    let mut any = false;
    let mut chunk_start = clause_start;
    for i in clause_start..=verb {
        let n = doc.tokens[i].norm.as_str();
        if i == verb || n == "and" || n == "," {
            if chunk_start < i {
                let first = doc.tokens[chunk_start].norm.as_str();
                let count = number_from(doc, chunk_start, i).or(matches!(first, "a" | "an").then_some(1));
                if let Some(c) = count {
                    total += c;
                    any = true;
                }
            }
            chunk_start = i + 1;
        }
    }
    any.then_some(total)
}

/// Finds casualty reports in sentence `s`.
pub fn casualties(doc: &Document, s: usize) -> Casualties {
    let range = doc.sentences[s].tokens.clone();
    let mut out = Casualties::default();
    // Each report's subject starts after the previous report ("… were killed and two were wounded").
    let mut clause_floor = range.start;
    for i in range.clone() {
        let n = doc.tokens[i].norm.as_str();
        // Past and present tense alike: news summaries write "airstrikes kill 26", "police arrest 40".
        let dead = matches!(
            n,
            "killed" | "killing" | "dead" | "died" | "deaths" | "killings" | "kill" | "kills"
        );
        let hurt = matches!(
            n,
            "wounded" | "wounding" | "injured" | "injuring" | "hurt" | "injure" | "injures" | "wound" | "wounds"
        );
        let held = matches!(
            n,
            "arrested"
                | "arresting"
                | "detained"
                | "detaining"
                | "apprehended"
                | "jailed"
                | "rounded"
                | "arrest"
                | "arrests"
                | "detain"
                | "detains"
        );
        if !dead && !hurt && !held {
            continue;
        }
        let prev = i
            .checked_sub(1)
            .filter(|&p| p >= range.start)
            .map(|p| doc.tokens[p].norm.as_str());
        let passive = matches!(prev, Some("were" | "was" | "been" | "are" | "is" | "be"));
        let count = if passive || matches!(n, "died" | "dead") {
            let verb = if passive { i - 1 } else { i };
            let clause_start = (clause_floor..verb)
                .rev()
                // A reported clause starts after its speech verb: "X, a group …, said eight were killed".
                .find(|&k| {
                    matches!(
                        doc.tokens[k].norm.as_str(),
                        ":" | ";" | "said" | "says" | "reported" | "that"
                    )
                })
                .map_or(clause_floor, |k| k + 1);
            // "N people dead" / "left N dead": a count right before.
            (verb.saturating_sub(3).max(clause_start)..verb)
                .find_map(|k| number_from(doc, k, verb))
                .filter(|_| n == "dead")
                .or_else(|| subject_count(doc, clause_start, verb))
        } else {
            // Active: "killed one U.S. soldier", "killing at least 156 people", "rounded up 40".
            let from = if n == "rounded" && doc.tokens.get(i + 1).is_some_and(|t| t.norm == "up") {
                i + 2
            } else {
                i + 1
            };
            number_from(doc, from, range.end.min(from + 5))
        };
        clause_floor = i + 1;
        if let Some(c) = count {
            let slot = if dead {
                &mut out.dead
            } else if hurt {
                &mut out.injured
            } else {
                &mut out.arrested
            };
            *slot = Some(slot.unwrap_or(0) + c);
            out.at.get_or_insert(i);
        }
    }
    out
}

/// The size of the group named by the mention starting at `start` ("a 30-strong … group").
pub fn group_size(doc: &Document, sentence_start: usize, start: usize) -> Option<u32> {
    let from = start.saturating_sub(6).max(sentence_start);
    (from..start).rev().find_map(|k| {
        let t = doc.tokens[k].norm.as_str();
        if t.ends_with("-strong") || (k + 1 == start && t.chars().next().is_some_and(|c| c.is_ascii_digit())) {
            parse_number(t)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_words_and_digits() {
        assert_eq!(parse_number("4,500"), Some(4500));
        assert_eq!(parse_number("30-strong"), Some(30));
        assert_eq!(parse_number("three"), Some(3));
        assert_eq!(parse_number("forty-two"), Some(42));
        assert_eq!(parse_number("soldiers"), None);
    }
}
