//! The `pmpo` command line: parses arguments (one module per command in
//! `cli/`), calls the library, picks the exit code (0 done, 1 done with
//! rejected rows or a failed check, 2 usage or fatal error, 130
//! interrupted). A closed output pipe ends the run quietly.

// No unwrap, expect or explicit panic outside tests: every failure that
// input can cause is an error with its place (checked by `cargo clippy`).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::todo,
        clippy::unimplemented,
        clippy::unreachable
    )
)]

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::parse();
    // Ctrl-C (or SIGTERM): half-written temporary files are removed, the
    // target paths are untouched, and the exit code is 130.
    pmpo::remove_partial_output_on_interrupt();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pmpo: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether the error is a closed output pipe (`pmpo label ... | head`).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<pmpo::Error>()
                .is_some_and(|p| p.is_broken_pipe())
    })
}
