//! Text stage: paragraphs, tokens (with byte offsets) and sentences for English news.
//!
//! Entry point: [`TextSplitter`], a pipeline [`Stage`](tocsin_doc::Stage).

pub mod language;
mod sentences;
mod tokenize;

pub use language::{identify, Identified};
pub use sentences::split_sentences;
pub use tokenize::{normalize, tokenize, Abbreviations};

use tocsin_doc::{Document, Sentence, Span, Stage, StageError};

/// Splits a document into paragraphs, tokens and sentences.
pub struct TextSplitter {
    abbreviations: Abbreviations,
}

impl Default for TextSplitter {
    fn default() -> Self {
        TextSplitter {
            abbreviations: Abbreviations::builtin(),
        }
    }
}

impl TextSplitter {
    /// A splitter with a custom abbreviation list.
    pub fn new(abbreviations: Abbreviations) -> Self {
        TextSplitter { abbreviations }
    }
}

/// Byte spans of paragraphs: text separated by blank lines, trimmed.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_content_end = 0;
    let mut newlines = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            newlines += 1;
            if newlines >= 2 {
                if let Some(s) = start.take() {
                    out.push(Span {
                        start: s,
                        end: last_content_end,
                    });
                }
            }
        } else if !c.is_whitespace() {
            newlines = 0;
            if start.is_none() {
                start = Some(i);
            }
            last_content_end = i + c.len_utf8();
        }
    }
    if let Some(s) = start {
        out.push(Span {
            start: s,
            end: last_content_end,
        });
    }
    out
}

impl Stage for TextSplitter {
    fn name(&self) -> &'static str {
        "text"
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let text = &doc.article.text;
        doc.paragraphs = paragraphs(text);
        for (p, para) in doc.paragraphs.iter().enumerate() {
            let first = doc.tokens.len();
            doc.tokens.extend(tokenize(text, *para, &self.abbreviations));
            let tokens = &doc.tokens[first..];
            for range in split_sentences(text, tokens, &self.abbreviations) {
                let span = Span {
                    start: tokens[range.start].span.start,
                    end: tokens[range.end - 1].span.end,
                };
                doc.sentences.push(Sentence {
                    span,
                    paragraph: p,
                    tokens: first + range.start..first + range.end,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
