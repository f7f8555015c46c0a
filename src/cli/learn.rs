//! `pmpo learn`: a model from practitioner articles.

use std::path::PathBuf;
use std::process::ExitCode;

pub const EXAMPLES: &str = "\
Examples:
  pmpo learn --articles articles/ -o learned
  pmpo learn --articles articles/ --background postings.csv --overrides models/overrides.txt -o learned
  pmpo learn --articles articles/ --overrides models/overrides.txt --adapt postings.csv -o adapted";

#[derive(clap::Args)]
pub struct Args {
    /// Folder of article text files.
    #[arg(long)]
    pub articles: PathBuf,
    /// Folder to write the model into.
    #[arg(short, long, alias = "out")]
    pub output: PathBuf,
    /// Unlabelled postings (CSV) whose phrase frequencies temper the
    /// weights of phrases every posting uses.
    #[arg(long)]
    pub background: Option<PathBuf>,
    /// A person's overrides: phrases to add, reweight or remove, each
    /// with a reason (see models/overrides.txt).
    #[arg(long)]
    pub overrides: Option<PathBuf>,
    /// Unlabelled postings (CSV) to learn more phrases from, by cautious
    /// self-training after the overrides.
    #[arg(long)]
    pub adapt: Option<PathBuf>,
    /// Adaptation rounds.
    #[arg(long, default_value_t = 2)]
    pub rounds: u32,
    /// The label parameters (a calibration.json) to pseudo-label with
    /// during adaptation (default: the guide's defaults).
    #[arg(long)]
    pub adapt_params: Option<PathBuf>,
    /// Largest share of postings an adaptation round may move to another label.
    #[arg(long, default_value_t = 0.15)]
    pub max_shift: f64,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let learned = pmpo::learn(&pmpo::LearnRecipe {
        articles: a.articles,
        background: a.background,
        overrides: a.overrides,
        adapt: a.adapt,
        rounds: a.rounds,
        adapt_params: a.adapt_params,
        max_shift: a.max_shift,
    })?;
    for line in &learned.rounds {
        eprintln!("pmpo: {line}");
    }
    let model = learned.model;
    model.save(&a.output)?;
    eprintln!(
        "pmpo: learned {} phrases from {} articles into {} (model {})",
        model.lexicon().phrases.len(),
        learned.articles,
        a.output.display(),
        model.hash()
    );
    Ok(ExitCode::SUCCESS)
}
