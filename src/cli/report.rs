//! `pmpo report`: the market an export describes, as an HTML page or JSON.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::shared::{load_model, rejected_exit, show_progress, InputArgs};

pub const EXAMPLES: &str = "\
Examples:
  pmpo report datasets/postings_sample.csv --group-by country -o report.html
  pmpo report postings.csv --group-by company --min-group-size 20 -o report.json
  pmpo report postings.csv --group-by company --format json > report.json";

/// Output format of `report`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// A self-contained HTML page with tables and charts.
    Html,
    /// The same tables as JSON.
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output file (standard output when absent).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Output format; by default from the output's extension (.json is
    /// JSON), else HTML.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Group the confusion index by these columns (repeatable).
    #[arg(long)]
    pub group_by: Vec<String>,
    /// Groups with fewer postings are pooled into one `(other: ...)` row at the end.
    #[arg(long, default_value_t = 10)]
    pub min_group_size: u64,
    /// Also write the report's tables as JSON to this file.
    #[arg(long, hide = true)]
    pub json: Option<PathBuf>,
}

impl Args {
    /// The format of the main output.
    fn format(&self) -> FormatArg {
        let by_ext = self
            .output
            .as_deref()
            .and_then(Path::extension)
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        match self.format {
            Some(f) => f,
            None if by_ext => FormatArg::Json,
            None => FormatArg::Html,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let a = &args.input;
    let model = load_model(a.model.as_deref())?;
    let opts = a.options().report(Some(args.group_by.clone())).build()?;
    for p in args.output.iter().chain(&args.json).chain(&a.rejects) {
        pmpo::check_writable(p)?;
    }
    let rejects_path = a.rejects_path(args.output.as_deref());
    let mut rejects = pmpo::LazyRejects::new(rejects_path.clone());
    let bar = a.progress_bar();
    let progress = |bytes: u64, rows: u64| show_progress(bar.as_ref(), bytes, rows);
    let r: Option<&mut (dyn std::io::Write + Send)> = Some(&mut rejects);
    let summary = pmpo::aggregate(&model, &a.input, r, &args.group_by, &opts, Some(&progress))?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    rejects.finish()?;
    let builder = summary
        .report
        .clone()
        .unwrap_or_else(|| pmpo::ReportBuilder::new(args.group_by.clone()));
    let rep = builder.finish_pooled(42, args.min_group_size);
    let name = a
        .input
        .file_name()
        .map_or_else(|| "stdin".to_string(), |n| n.to_string_lossy().into_owned());
    let text = match args.format() {
        FormatArg::Html => rep.to_html(&format!("pmpo report: {name}"))?,
        FormatArg::Json => rep.to_json_with_model(model.hash()),
    };
    match &args.output {
        Some(p) => pmpo::write_atomic(p, text.as_bytes())?,
        None => super::shared::stdout(&text)?,
    }
    if let Some(j) = &args.json {
        pmpo::write_atomic(j, rep.to_json_with_model(model.hash()).as_bytes())?;
    }
    if !a.quiet {
        eprintln!("pmpo: {}", summary.line());
        if let Some(p) = &args.output {
            eprintln!("pmpo: report written to {}", p.display());
        }
    }
    Ok(rejected_exit(&summary, &rejects_path))
}
