//! The command line: one module per command, each with its arguments, its
//! examples and a `run` that calls the library.

mod audit;
mod calibrate;
mod check_tokenizer;
mod completions;
mod eval;
mod explain;
mod label;
mod learn;
mod man;
mod report;
mod shared;
mod synth;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "pmpo",
    version,
    about = "Says whether job postings describe a Product Manager's duties, a Product Owner's, a hybrid of both, or neither",
    after_help = "Start with:\n  pmpo label datasets/postings_sample.csv -o labelled.csv\n\n`pmpo help COMMAND` shows a command's options and examples."
)]
pub struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Label every row of a job-postings export.
    #[command(after_help = label::EXAMPLES)]
    Label(label::Args),
    /// Only the rows whose title and duties disagree, most confident first,
    /// with the reason (same options and formats as `label`).
    #[command(after_help = audit::EXAMPLES)]
    Audit(label::Args),
    /// Measure an export: label mix per title role, the title-by-content
    /// matrix, confidences, and the title-confusion index per group with
    /// bootstrap 95% intervals, as a self-contained HTML page or as JSON.
    #[command(after_help = report::EXAMPLES)]
    Report(report::Args),
    /// Explain one posting: label, confidence, each evidence phrase with its
    /// role, weight, section and position, and the text with the evidence
    /// highlighted (PM and PO in two colours on a terminal).
    #[command(after_help = explain::EXAMPLES)]
    Explain(explain::Args),
    /// Learn a model from articles on Product Manager vs Product Owner.
    #[command(after_help = learn::EXAMPLES)]
    Learn(learn::Args),
    /// Label gold-labelled postings and report accuracy, macro-F1, per-label
    /// scores, the confusion matrix and calibration, overall and per language.
    #[command(after_help = eval::EXAMPLES)]
    Eval(eval::Args),
    /// Fit the label model's parameters to gold labels and save the model
    /// with them (cross-validated numbers go into its provenance).
    #[command(after_help = calibrate::EXAMPLES)]
    Calibrate(calibrate::Args),
    /// Check that the fast tokenizer yields exactly the words of the model's
    /// tokenizer.json on every text of CSV files.
    #[command(after_help = check_tokenizer::EXAMPLES)]
    CheckTokenizer(check_tokenizer::Args),
    /// Write a synthetic job-board export of a given size (for benchmarks).
    #[command(after_help = synth::EXAMPLES)]
    Synth(synth::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = completions::EXAMPLES)]
    Completions(completions::Args),
    /// Print the manual page (roff).
    #[command(after_help = man::EXAMPLES)]
    Man(man::Args),
}

/// The arguments, with `--version` showing the built-in model's hash.
pub fn parse() -> Cli {
    let mut cmd = Cli::command();
    let first = std::env::args_os().nth(1);
    if first.is_some_and(|a| a == "-V" || a == "--version") {
        cmd = cmd.version(shared::version_line());
    }
    let matches = cmd.get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// Runs the command; the exit code when it ran to its end.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.cmd {
        Cmd::Label(args) => label::run(args),
        Cmd::Audit(args) => audit::run(args),
        Cmd::Report(args) => report::run(args),
        Cmd::Explain(args) => explain::run(args),
        Cmd::Learn(args) => learn::run(args),
        Cmd::Eval(args) => eval::run(args),
        Cmd::Calibrate(args) => calibrate::run(args),
        Cmd::CheckTokenizer(args) => check_tokenizer::run(args),
        Cmd::Synth(args) => synth::run(args),
        Cmd::Completions(args) => completions::run(args),
        Cmd::Man(args) => man::run(args),
    }
}
