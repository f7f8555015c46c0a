//! `pmpo audit`: only the rows whose title and duties disagree.

use std::process::ExitCode;

pub const EXAMPLES: &str = "\
Examples:
  pmpo audit datasets/postings_sample.csv -o mismatches.csv
  pmpo audit postings.csv --mismatch-confidence 0.8 --format jsonl -o mismatches.jsonl";

pub fn run(args: super::label::Args) -> anyhow::Result<ExitCode> {
    super::label::label_or_audit(args, true)
}
