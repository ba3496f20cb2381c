//! The RSS/Atom parser on arbitrary text: items or an error, never a panic, a hang or an entity blow-up.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = tocsin_ingest::parse_feed(&text);
});
