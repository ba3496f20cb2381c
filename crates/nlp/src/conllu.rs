//! A CoNLL-U reader (Universal Dependencies): sentences of word tokens with gold annotations.

/// One word of a CoNLL-U sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// Surface form.
    pub form: String,
    /// Gold lemma.
    pub lemma: String,
    /// Universal POS tag.
    pub upos: String,
    /// Language-specific (Penn) tag.
    pub xpos: String,
    /// 1-based head index (0 = root).
    pub head: usize,
    /// Dependency relation.
    pub deprel: String,
}

/// One sentence: its text (from `# text =`) and words (multiword ranges and empty nodes skipped).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConlluSentence {
    /// The raw sentence text, if given.
    pub text: Option<String>,
    /// True when a `# newdoc` comment opens this sentence.
    pub new_doc: bool,
    /// Word tokens.
    pub words: Vec<Word>,
}

/// A line that could not be read, with its 1-based number.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ConlluError {
    /// Line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Parses CoNLL-U text.
pub fn parse_conllu(text: &str) -> Result<Vec<ConlluSentence>, ConlluError> {
    let mut out = Vec::new();
    let mut cur = ConlluSentence::default();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim();
            if let Some(t) = c.strip_prefix("text =") {
                cur.text = Some(t.trim().to_string());
            } else if c.starts_with("newdoc") {
                cur.new_doc = true;
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 8 {
            return Err(ConlluError {
                line: line_no,
                message: format!("expected 10 tab-separated columns, found {}", cols.len()),
            });
        }
        if cols[0].contains('-') || cols[0].contains('.') {
            continue;
        }
        let head = cols[6].parse().map_err(|_| ConlluError {
            line: line_no,
            message: format!("column HEAD: {:?} is not a number", cols[6]),
        })?;
        cur.words.push(Word {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            head,
            deprel: cols[7].to_string(),
        });
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    Ok(out)
}
