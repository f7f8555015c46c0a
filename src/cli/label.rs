//! `pmpo label`: every row of an export, labelled.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pmpo::{Format, Summary};

use super::shared::{rejected_exit, show_progress, InputArgs};

pub const EXAMPLES: &str = "\
Examples:
  pmpo label datasets/postings_sample.csv -o labelled.csv
  pmpo label postings.csv.gz --format jsonl -o labelled.jsonl
  cat export.csv | pmpo label - --title-col \"Job Name\" --text-col summary > labelled.csv";

/// Output format of `label` and `audit`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    /// The input's columns, then the pmpo_* columns.
    Csv,
    /// One JSON object per row, with evidence spans.
    Jsonl,
    /// Apache Parquet: the input's columns, then pmpo's, typed.
    Parquet,
    /// Apache Arrow IPC, the same columns as Parquet.
    Arrow,
}

/// The arguments of `label` and `audit`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output file; standard output when absent.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: FormatArg,
    /// End with the summary table even when standard error is not a terminal.
    #[arg(long, hide = true)]
    pub summary_table: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    label_or_audit(args, false)
}

/// Runs `label`, or `audit` when `audit` is set.
pub fn label_or_audit(args: Args, audit: bool) -> anyhow::Result<ExitCode> {
    let a = &args.input;
    let model = super::shared::load_model(a.model.as_deref())?;
    let format = match args.format {
        FormatArg::Csv => Format::Csv,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Parquet => Format::Parquet,
        FormatArg::Arrow => Format::Arrow,
    };
    let opts = a.options().format(format).build()?;
    if let Some(p) = &a.rejects {
        pmpo::check_writable(p)?;
    }
    if args.output.is_none() && std::io::stdout().is_terminal() && !a.quiet {
        eprintln!(
            "pmpo: the output is {} on standard output; -o FILE writes it to a file",
            if audit { "the mismatched rows" } else { "CSV" }
        );
    }
    let rejects_path = a.rejects_path(args.output.as_deref());
    let mut rejects = pmpo::LazyRejects::new(rejects_path.clone());
    let bar = a.progress_bar();
    let progress = |bytes: u64, rows: u64| show_progress(bar.as_ref(), bytes, rows);
    let summary = pmpo::write_output(args.output.as_deref(), |w| {
        let r: Option<&mut (dyn std::io::Write + Send)> = Some(&mut rejects);
        if audit {
            pmpo::audit(&model, &a.input, w, r, &opts, Some(&progress))
        } else {
            pmpo::run(&model, &a.input, w, r, &opts, Some(&progress))
        }
    })?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    rejects.finish()?;
    if !a.quiet {
        if args.summary_table || std::io::stderr().is_terminal() {
            let out = args.output.as_deref();
            eprint!(
                "{}",
                summary_table(&summary, &a.input, out, &rejects_path, audit)
            );
        } else {
            eprintln!("pmpo: {}", summary.line());
        }
    }
    if !audit && summary.written + summary.rejected != summary.rows {
        eprintln!(
            "pmpo: {} of {} rows could not be written",
            summary.rows - summary.written - summary.rejected,
            summary.rows
        );
        return Ok(ExitCode::from(1));
    }
    Ok(rejected_exit(&summary, &rejects_path))
}

/// The table that ends a run on a terminal: rows, labels with counts and
/// shares, mismatched titles, rejected rows, where everything went, and
/// the next command to try.
pub fn summary_table(
    s: &Summary,
    input: &Path,
    output: Option<&Path>,
    rejects: &Path,
    audit: bool,
) -> String {
    let share = |n: u64| 100.0 * n as f64 / s.rows.max(1) as f64;
    let verb = if audit { "audited" } else { "labelled" };
    let mut t = format!(
        "pmpo: {verb} {} in {:.2} s\n\n  {:<20}{:>7}\n",
        input.display(),
        s.seconds,
        "rows read",
        s.rows
    );
    for (name, n) in ["pm", "po", "hybrid", "none"].iter().zip(s.labels) {
        t.push_str(&format!("    {name:<18}{n:>7}  {:>5.1}%\n", share(n)));
    }
    let mismatched = s.mismatches;
    t.push_str(&format!(
        "  {:<20}{mismatched:>7}  {:>5.1}%\n",
        "mismatched titles",
        share(mismatched)
    ));
    t.push_str(&format!("  {:<20}{:>7}\n", "rejected rows", s.rejected));
    let out = output.map_or("standard output".to_string(), |p| p.display().to_string());
    t.push_str(&format!("  {:<20}{out}\n", "output"));
    if s.rejected > 0 {
        t.push_str(&format!("  {:<20}{}\n", "rejects", rejects.display()));
    }
    let inp = input.display();
    if audit {
        t.push_str("\nNext, the market these postings describe:\n");
    } else {
        t.push_str("\nNext, the mismatched titles with their reasons, and the market:\n");
        t.push_str(&format!("  pmpo audit {inp} -o mismatches.csv\n"));
    }
    t.push_str(&format!("  pmpo report {inp} -o report.html\n"));
    t
}
