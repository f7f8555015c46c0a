//! Any bytes as a CSV export, through the whole label pipeline: no panic,
//! and every row read is written or rejected.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static MODEL: OnceLock<pmpo::Model> = OnceLock::new();
static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let model = MODEL.get_or_init(|| pmpo::Model::embedded().expect("built-in model"));
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("temporary folder"));
    let path = dir.path().join("in.csv");
    std::fs::write(&path, data).expect("write input");
    let opts = pmpo::Options {
        threads: 1,
        ..Default::default()
    };
    let mut out = Vec::new();
    let mut rejects = Vec::new();
    if let Ok(s) = pmpo::run(model, &path, &mut out, Some(&mut rejects), &opts, None) {
        assert_eq!(s.rows, s.written + s.rejected);
    }
});
