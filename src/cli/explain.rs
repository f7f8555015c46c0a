//! `pmpo explain`: one posting, its label and the evidence behind it.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

pub const EXAMPLES: &str = "\
Examples:
  pmpo explain posting.txt --title \"Product Owner (m/w/d)\"
  pmpo explain posting.html --format json
  pbpaste | pmpo explain - --title \"Senior PM\"";

/// Output format of `explain` and `eval`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Text for people.
    Text,
    /// JSON for machines.
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// A file holding the posting's text (plain text or HTML); `-` or
    /// nothing reads standard input.
    pub file: Option<PathBuf>,
    /// The posting's title, to check it against the duties.
    #[arg(long, default_value = "")]
    pub title: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: FormatArg,
    /// The same as --format json.
    #[arg(long, hide = true)]
    pub json: bool,
    /// Model folder (default: the built-in model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Confidence (0 to 1) the content label needs before a title is called mismatched.
    #[arg(long, default_value_t = pmpo::DEFAULT_MISMATCH_CONFIDENCE, value_parser = super::shared::confidence)]
    pub mismatch_confidence: f64,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let model = super::shared::load_model(args.model.as_deref())?;
    let (text, source) = match args.file.as_deref() {
        Some(p) if p != Path::new("-") => (
            std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?,
            p.to_path_buf(),
        ),
        _ => {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
                .context("cannot read standard input")?;
            (buf, PathBuf::from("standard input"))
        }
    };
    let text = String::from_utf8_lossy(&text);
    let out = pmpo::explain(
        &model,
        &args.title,
        &text,
        args.mismatch_confidence,
        args.json || args.format == FormatArg::Json,
        std::io::stdout().is_terminal(),
        &source,
    )?;
    super::shared::stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}
