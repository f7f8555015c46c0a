//! `pmpo eval`: how well a model does on gold labels.

use std::process::ExitCode;

use super::explain::FormatArg;
use super::shared::{load_model, stdout, GoldArgs};

pub const EXAMPLES: &str = "\
Examples:
  pmpo eval --gold gold.csv postings.csv
  pmpo eval --gold gold.csv postings.csv --cv 5
  pmpo eval --gold gold.csv postings.csv --format json --min-macro-f1 0.5";

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: GoldArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: FormatArg,
    /// The same as --format json.
    #[arg(long, hide = true)]
    pub json: bool,
    /// Exit with 1 when the macro-F1 over all rows is below this.
    #[arg(long)]
    pub min_macro_f1: Option<f64>,
    /// Report cross-validated numbers: refit the label parameters k
    /// times, each time predicting the rows left out.
    #[arg(long)]
    pub cv: Option<usize>,
    /// Confidence (0 to 1) at which title mismatches are called.
    #[arg(long, default_value_t = pmpo::DEFAULT_MISMATCH_CONFIDENCE, value_parser = super::shared::confidence)]
    pub mismatch_confidence: f64,
    /// Also write each gold posting's prediction (cross-validated with
    /// --cv) to this CSV file, to read the errors.
    #[arg(long)]
    pub predictions: Option<std::path::PathBuf>,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let model = load_model(a.data.model.as_deref())?;
    let ev = pmpo::evaluate(&model, &a.data.gold_set(), a.cv, a.mismatch_confidence)?;
    if let Some(p) = &a.predictions {
        pmpo::write_atomic(p, &ev.predictions_csv()?)?;
    }
    if a.json || a.format == FormatArg::Json {
        stdout(&ev.to_json()?)?;
    } else {
        stdout(&ev.to_text())?;
    }
    if let Some(min) = a.min_macro_f1 {
        if ev.macro_f1() < min {
            eprintln!("pmpo: macro-F1 {:.3} is below {min}", ev.macro_f1());
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}
