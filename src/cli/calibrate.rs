//! `pmpo calibrate`: the label parameters fitted to gold labels.

use std::path::PathBuf;
use std::process::ExitCode;

use super::shared::{load_model, stdout, GoldArgs};

pub const EXAMPLES: &str = "\
Examples:
  pmpo calibrate --gold gold.csv postings.csv -o models/calibrated
  pmpo calibrate --gold gold.csv postings.csv --model learned -o models/default";

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: GoldArgs,
    /// Folder to write the calibrated model into.
    #[arg(short, long, alias = "out")]
    pub output: PathBuf,
    /// Fit the phrase weights to the gold labels too, each pulled towards
    /// its prior weight (see --lambda).
    #[arg(long)]
    pub fit_weights: bool,
    /// Folds of the cross-validation reported in the model's provenance.
    #[arg(long, default_value_t = 5)]
    pub cv: usize,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let model = load_model(a.data.model.as_deref())?;
    let cal = pmpo::calibrate(&model, &a.data.gold_set(), a.cv, a.fit_weights)?;
    cal.model.save(&a.output)?;
    stdout(&cal.report)?;
    eprintln!(
        "pmpo: calibrated model {} written to {}",
        cal.model.hash(),
        a.output.display()
    );
    Ok(ExitCode::SUCCESS)
}
