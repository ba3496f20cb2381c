//! Streaming input: JSON Lines read line by line, the format of standard input sniffed from its
//! first line, and the files of a directory.

use std::io::BufRead;
use std::path::Path;

use crate::{parse_json, Format, InputError, Origin, ReadItem, ReadOptions};

/// Reads the first non-blank line of `input` (kept, with the blank lines before it, in the returned
/// buffer) and decides the format: JSON Lines when it is a whole JSON object and more text follows.
/// `given` skips the sniffing.
pub(crate) fn sniff(input: &mut impl BufRead, given: Option<Format>) -> std::io::Result<(Format, Vec<u8>)> {
    let mut buf = Vec::new();
    if let Some(f) = given {
        return Ok((f, buf));
    }
    loop {
        let start = buf.len();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        let line = String::from_utf8_lossy(&buf[start..]);
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            continue;
        }
        let object = line.starts_with('{') && serde_json::from_str::<serde_json::Value>(line).is_ok();
        let more = !input.fill_buf()?.is_empty();
        let format = match line.chars().next() {
            Some('<') => Format::Html,
            Some('{') if object && more => Format::JsonLines,
            Some('{') => Format::Json,
            _ => Format::Text,
        };
        return Ok((format, buf));
    }
    Ok((Format::Text, buf))
}

/// The articles of a JSON Lines stream, one per non-blank line, each with its line number.
pub(crate) struct JsonLines {
    name: String,
    pending: Vec<u8>,
    input: Box<dyn BufRead + Send>,
    opts: ReadOptions,
    line: usize,
    offset: usize,
    seen: bool,
    done: bool,
}

impl JsonLines {
    /// Reads `pending` (bytes already taken from the input) and then the rest of `input`.
    pub(crate) fn new(name: &str, pending: Vec<u8>, input: Box<dyn BufRead + Send>, opts: &ReadOptions) -> Self {
        JsonLines {
            name: name.to_string(),
            pending,
            input,
            opts: opts.clone(),
            line: 0,
            offset: 0,
            seen: false,
            done: false,
        }
    }

    fn error(&self, message: String) -> InputError {
        InputError {
            input: self.name.clone(),
            line: Some(self.line),
            message,
        }
    }

    /// The next raw line (without its newline), from the pending bytes first.
    fn next_line(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut buf = Vec::new();
        if let Some(nl) = self.pending.iter().position(|&b| b == b'\n') {
            buf.extend(self.pending.drain(..=nl));
        } else {
            buf.append(&mut self.pending);
            if self.input.read_until(b'\n', &mut buf)? == 0 && buf.is_empty() {
                return Ok(None);
            }
        }
        self.line += 1;
        let start = self.offset;
        self.offset += buf.len();
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        if start == 0 && buf.starts_with("\u{feff}".as_bytes()) {
            buf.drain(..3);
        }
        Ok(Some(buf))
    }
}

impl Iterator for JsonLines {
    type Item = ReadItem;

    fn next(&mut self) -> Option<ReadItem> {
        while !self.done {
            let start = self.offset;
            let bytes = match self.next_line() {
                Ok(Some(b)) => b,
                Ok(None) => {
                    self.done = true;
                    if !self.seen {
                        return Some(Err(InputError {
                            input: self.name.clone(),
                            line: None,
                            message: "empty input: no text to code".into(),
                        }));
                    }
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(self.error(format!("cannot read: {e}"))));
                }
            };
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.seen = true;
            let text = match std::str::from_utf8(&bytes) {
                Ok(t) => t,
                Err(e) => {
                    let at = start + e.valid_up_to();
                    return Some(Err(self.error(format!("not valid UTF-8 (invalid byte at offset {at})"))));
                }
            };
            let origin = Origin {
                input: self.name.clone(),
                line: Some(self.line),
            };
            return Some(
                parse_json(text, &self.opts)
                    .map(|a| (origin, a))
                    .map_err(|m| self.error(m.to_string())),
            );
        }
        None
    }
}

/// The article files under a directory (recursively, hidden entries skipped), in name order.
pub(crate) fn files_in(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = e.path();
        if path.is_dir() {
            out.extend(files_in(&path)?);
        } else if path
            .extension()
            .and_then(|x| x.to_str())
            .and_then(Format::from_extension)
            .is_some()
        {
            out.push(path.display().to_string());
        }
    }
    Ok(out)
}
