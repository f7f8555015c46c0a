//! Any text through the HTML cleaner and the section splitter: no panic,
//! and spans that cover the cleaned text exactly.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let cleaned = pmpo::internals::clean(&text);
    let mut spans = Vec::new();
    pmpo::internals::split_sections(&cleaned, &mut spans);
    let mut at = 0;
    for s in &spans {
        assert_eq!(s.start, at);
        assert!(cleaned.is_char_boundary(s.end));
        at = s.end;
    }
    assert_eq!(at, cleaned.len());
});
