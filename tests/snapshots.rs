//! Snapshot tests of the command line as a user sees it: every command's
//! help, the first run on the sample with its summary table, and each
//! error that must not pass silently. The cases are `tests/cmd/*.toml`
//! (with `.stdout`/`.stderr` beside them) and `tests/cmd/*.md`;
//! `TRYCMD=overwrite cargo test snapshots` regenerates them, to be reviewed
//! in the diff.

#[test]
fn command_line() {
    trycmd::TestCases::new()
        .register_bin("pmpo", std::path::Path::new(env!("CARGO_BIN_EXE_pmpo")))
        .case("tests/cmd/*.toml")
        .case("tests/cmd/*.md");
}
