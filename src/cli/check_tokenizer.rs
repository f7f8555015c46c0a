//! `pmpo check-tokenizer`: the fast tokenizer against the model's own.

use std::path::PathBuf;
use std::process::ExitCode;

pub const EXAMPLES: &str = "\
Examples:
  pmpo check-tokenizer datasets/postings_sample.csv
  pmpo check-tokenizer postings.csv more.csv.gz --model learned";

#[derive(clap::Args)]
pub struct Args {
    /// CSV files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Model folder (default: the built-in model).
    #[arg(long)]
    pub model: Option<PathBuf>,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let model = super::shared::load_model(a.model.as_deref())?;
    let (texts, diffs) = pmpo::check_tokenizer(&model, &a.files)?;
    if let Some(d) = diffs {
        eprintln!("pmpo: tokenizers differ: {d}");
        return Ok(ExitCode::from(1));
    }
    eprintln!("pmpo: fast tokenizer equals tokenizer.json on all {texts} texts");
    Ok(ExitCode::SUCCESS)
}
