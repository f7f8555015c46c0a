//! Any text as a job title: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let title = String::from_utf8_lossy(data);
    let _ = pmpo::internals::title_role(&title);
});
