//! English verb/noun morphology from rules plus the irregular-verb table in `data/text`.

use std::collections::HashMap;

/// Irregular forms and the rules for regular ones.
#[derive(Debug, Clone, Default)]
pub struct Morphology {
    to_base: HashMap<String, String>,
    forms: HashMap<String, Vec<String>>,
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Regular inflections of a word: plural/3rd person, past, gerund (a superset is fine for matching).
pub fn inflections(base: &str) -> Vec<String> {
    let mut out = vec![base.to_string()];
    let chars: Vec<char> = base.chars().collect();
    let n = chars.len();
    if n < 2 || !chars.iter().all(|c| c.is_alphabetic()) {
        return out;
    }
    let last = chars[n - 1];
    // Without its last character, which may be wider than a byte ("café").
    let stem_y = &base[..base.len() - last.len_utf8()];
    if last == 'y' && !is_vowel(chars[n - 2]) {
        out.extend([format!("{stem_y}ies"), format!("{stem_y}ied"), format!("{base}ing")]);
        return out;
    }
    if base.ends_with('s') || base.ends_with("sh") || base.ends_with("ch") || base.ends_with('x') || base.ends_with('z')
    {
        out.push(format!("{base}es"));
    } else {
        out.push(format!("{base}s"));
    }
    if last == 'e' {
        let stem = &base[..base.len() - 1];
        out.extend([format!("{base}d"), format!("{stem}ing")]);
    } else {
        out.extend([format!("{base}ed"), format!("{base}ing")]);
        if n >= 3
            && !is_vowel(last)
            && is_vowel(chars[n - 2])
            && !is_vowel(chars[n - 3])
            && !matches!(last, 'w' | 'x' | 'y')
        {
            out.extend([format!("{base}{last}ed"), format!("{base}{last}ing")]);
        }
    }
    out
}

impl Morphology {
    /// The irregular verbs shipped in `data/text/irregular_verbs.tsv`.
    pub fn builtin() -> Self {
        Self::parse(include_str!("../../../data/text/irregular_verbs.tsv"))
    }

    /// Parses `base<TAB>past<TAB>participle` lines.
    pub fn parse(table: &str) -> Self {
        let mut m = Morphology::default();
        for line in table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            let Some(base) = cols.first() else { continue };
            let mut forms = inflections(base);
            forms.retain(|f| !f.ends_with("ed"));
            for f in cols.iter().skip(1) {
                forms.push(f.to_string());
                m.to_base.insert(f.to_string(), base.to_string());
            }
            if *base == "be" {
                forms.extend(["is", "are", "am", "being"].map(String::from));
                for f in ["is", "are", "am"] {
                    m.to_base.insert(f.into(), "be".into());
                }
            }
            if *base == "have" {
                forms.push("has".into());
                m.to_base.insert("has".into(), "have".into());
            }
            let entry = m.forms.entry(base.to_string()).or_default();
            entry.extend(forms);
            entry.sort();
            entry.dedup();
        }
        m
    }

    /// All forms of `base`, irregular ones included.
    pub fn forms(&self, base: &str) -> Vec<String> {
        match self.forms.get(base) {
            Some(f) => f.clone(),
            None => inflections(base),
        }
    }

    /// True for known irregular forms and -ed words.
    pub fn is_verb_form(&self, norm: &str) -> bool {
        self.to_base.contains_key(norm) || self.forms.contains_key(norm) || (norm.ends_with("ed") && norm.len() > 4)
    }

    /// A best-effort dictionary form.
    pub fn lemma(&self, norm: &str) -> String {
        if let Some(b) = self.to_base.get(norm) {
            return b.clone();
        }
        if norm.len() < 4 || !norm.chars().all(|c| c.is_ascii_alphabetic()) {
            return norm.to_string();
        }
        let undouble = |s: &str| -> String {
            let b = s.as_bytes();
            if b.len() >= 3 && b[b.len() - 1] == b[b.len() - 2] && !matches!(b[b.len() - 1], b'l' | b's' | b'f' | b'z')
            {
                s[..s.len() - 1].to_string()
            } else {
                s.to_string()
            }
        };
        const E_FINAL: &[&str] = &[
            "v", "z", "c", "g", "at", "it", "ot", "ur", "id", "od", "us", "ir", "as", "iz", "ut", "ag", "ak", "on",
            "in",
        ];
        if let Some(s) = norm.strip_suffix("ied").or_else(|| norm.strip_suffix("ies")) {
            return format!("{s}y");
        }
        if let Some(s) = norm.strip_suffix("ed") {
            if E_FINAL.iter().any(|e| s.ends_with(e)) && !s.ends_with("ss") {
                return format!("{s}e");
            }
            return undouble(s);
        }
        if let Some(s) = norm.strip_suffix("ing").filter(|s| s.len() >= 3) {
            if E_FINAL.iter().any(|e| s.ends_with(e)) {
                return format!("{s}e");
            }
            return undouble(s);
        }
        for suffix in ["sses", "ches", "shes", "xes"] {
            if let Some(s) = norm.strip_suffix(suffix) {
                return format!("{s}{}", &suffix[..suffix.len() - 2]);
            }
        }
        if norm.ends_with('s') && !norm.ends_with("ss") && !norm.ends_with("us") && !norm.ends_with("is") {
            return norm[..norm.len() - 1].to_string();
        }
        norm.to_string()
    }
}
