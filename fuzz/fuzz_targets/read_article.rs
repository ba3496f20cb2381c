//! The article reader on arbitrary bytes: the first byte picks the format (txt, json, jsonl, html, or
//! sniffed), the rest is the file. It must return articles or errors, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tocsin_ingest::{read_bytes, Format, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let format = match pick % 5 {
        0 => Some(Format::Text),
        1 => Some(Format::Json),
        2 => Some(Format::JsonLines),
        3 => Some(Format::Html),
        _ => None,
    };
    for r in read_bytes("fuzz", body, format, &ReadOptions::default()) {
        if let Ok(a) = r {
            assert!(!a.text.trim().is_empty(), "an article without text was accepted");
        }
    }
});
