//! PETRARCH/TABARI verb dictionaries turned into lexicon entries (`--dictionaries DIR` with a verbs file).
//!
//! Each coded pattern `- * DIPLOMATIC TIES [064]` of a verb family becomes one lexicon line per base verb
//! (`restore * diplomatic * ties → 064`): the words after `*` may have other words between them, as in
//! PETRARCH. Each verb with a family code becomes a bare-verb line. What is approximated: words *before*
//! the verb are dropped (our patterns start at the trigger), the `$`/`+` source and target markers are left
//! to the role finder, synsets are expanded (at most 16 variants a pattern), and codes that are not
//! digits (`075A`) or that CAMEO does not know are skipped by the coder.

use tocsin_dictionaries::{PatternToken, VerbEntry};

/// Most variants one pattern may expand to through its synsets.
const MAX_VARIANTS: usize = 16;

fn lower(words: &[String]) -> String {
    words.iter().map(|w| w.to_lowercase()).collect::<Vec<_>>().join(" ")
}

/// The word sequences a token list stands for (synsets expanded), markers dropped.
fn variants(tokens: &[PatternToken]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = vec![Vec::new()];
    for t in tokens {
        match t {
            PatternToken::Word(w) => out.iter_mut().for_each(|v| v.push(w.to_lowercase())),
            PatternToken::AnyOf(set) => {
                out = out
                    .iter()
                    .flat_map(|v| set.iter().map(move |s| [v.clone(), vec![lower(s)]].concat()))
                    .take(MAX_VARIANTS)
                    .collect();
            }
            PatternToken::Source | PatternToken::Target => {}
        }
    }
    out
}

/// Lexicon lines (`pattern<TAB>code`) for a verb dictionary.
pub fn lexicon_lines(verbs: &[VerbEntry]) -> String {
    let mut out = String::new();
    for v in verbs {
        for base in &v.bases {
            let verb = lower(base);
            if verb.is_empty() || !verb.chars().next().is_some_and(char::is_alphabetic) {
                continue;
            }
            if let Some(code) = v
                .code
                .as_ref()
                .filter(|c| c.chars().all(|c| c.is_ascii_digit()) && (3..=4).contains(&c.len()))
            {
                out.push_str(&format!("{verb}\t{code}\n"));
            }
            for p in &v.patterns {
                let Some(code) = p
                    .code
                    .as_ref()
                    .filter(|c| c.chars().all(|c| c.is_ascii_digit()) && (3..=4).contains(&c.len()))
                else {
                    continue;
                };
                for words in variants(&p.after) {
                    if words.is_empty() {
                        continue;
                    }
                    // Each later word may come after a gap ("restore full diplomatic ties").
                    let after = words
                        .iter()
                        .flat_map(|w| w.split_whitespace())
                        .map(|w| format!("* {w}"))
                        .collect::<Vec<_>>()
                        .join(" ");
                    out.push_str(&format!("{verb} {after}\t{code}\n"));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_become_gapped_lexicon_lines() {
        let mut w = Vec::new();
        let verbs = tocsin_dictionaries::read_verbs(
            "t.verbs.txt",
            "&TIE\n+MILITARY\n+ECONOMIC\n--- RESTORE [064] ---\nRESTORE\nRE-ESTABLISH\n- * DIPLOMATIC TIES [064]\n- * &TIE TIES [065]\n- SO * [---]\n- $ * + ARMS [075A]\n",
            &mut w,
        );
        assert!(w.is_empty(), "{w:?}");
        let lines = lexicon_lines(&verbs);
        let lines: Vec<&str> = lines.lines().collect();
        assert!(lines.contains(&"restore\t064"), "{lines:?}");
        assert!(lines.contains(&"restore * diplomatic * ties\t064"), "{lines:?}");
        assert!(lines.contains(&"restore * economic * ties\t065"), "{lines:?}");
        assert!(lines.contains(&"re-establish * military * ties\t065"), "{lines:?}");
        assert!(
            !lines.iter().any(|l| l.ends_with("075A")),
            "non-digit codes are skipped"
        );
        assert_eq!(lines.len(), 8, "{lines:?}");
    }
}
