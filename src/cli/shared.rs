//! Arguments and helpers that several commands share.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pmpo::{Model, OptionsBuilder, Summary};

/// `--version`: pmpo's version and the built-in model's hash.
pub fn version_line() -> String {
    match Model::embedded() {
        Ok(m) => format!("{} (built-in model {})", pmpo::VERSION, m.hash()),
        Err(e) => format!("{} (built-in model unreadable: {e})", pmpo::VERSION),
    }
}

/// A confidence argument, within 0 and 1 (a usage error otherwise).
pub fn confidence(s: &str) -> Result<f64, String> {
    let x: f64 = s.parse().map_err(|_| format!("not a number: {s:?}"))?;
    pmpo::OptionsBuilder::new()
        .mismatch_confidence(x)
        .build()
        .map(|o| o.mismatch_confidence)
        .map_err(|e| e.to_string())
}

/// The input formats pmpo reads.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum InputFormatArg {
    /// Comma, semicolon, tab or pipe separated values.
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// Apache Parquet.
    Parquet,
    /// Apache Arrow IPC (file or stream).
    Arrow,
}

impl InputFormatArg {
    /// The library's name for the format.
    pub fn get(self) -> pmpo::InputFormat {
        match self {
            InputFormatArg::Csv => pmpo::InputFormat::Csv,
            InputFormatArg::Jsonl => pmpo::InputFormat::Jsonl,
            InputFormatArg::Parquet => pmpo::InputFormat::Parquet,
            InputFormatArg::Arrow => pmpo::InputFormat::Arrow,
        }
    }
}

/// The input of `label`, `audit` and `report`, and how to read it.
#[derive(clap::Args)]
pub struct InputArgs {
    /// Input: CSV, JSON Lines, Parquet or Arrow IPC (told by content),
    /// plain, gzipped or zstd-compressed; `-` reads standard input.
    pub input: PathBuf,
    /// The input format, when not told from the content.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormatArg>,
    /// Write only these input columns (comma-separated), then pmpo's.
    #[arg(long, value_delimiter = ',')]
    pub keep: Option<Vec<String>>,
    /// CSV output delimiter (one byte, or 'tab'); the input's when absent.
    #[arg(long)]
    pub out_delimiter: Option<String>,
    /// The column holding the job title (found by name when absent).
    #[arg(long)]
    pub title_col: Option<String>,
    /// A column holding posting text; repeat for several (found by name when absent).
    #[arg(long)]
    pub text_col: Vec<String>,
    /// Input field delimiter (one byte, e.g. ';', or 'tab'); detected from
    /// the header line when absent.
    #[arg(long)]
    pub delimiter: Option<String>,
    /// Worker threads, at least 1 (default: all cores).
    #[arg(long, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub threads: Option<usize>,
    /// Model folder (default: the built-in model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Confidence (0 to 1) the content label needs before a title is called mismatched.
    #[arg(long, default_value_t = pmpo::DEFAULT_MISMATCH_CONFIDENCE, value_parser = confidence)]
    pub mismatch_confidence: f64,
    /// No progress bar and no summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// Tokenize with the Hugging Face tokenizer instead of the fast path:
    /// the same output, far slower (for benchmarks and checks).
    #[arg(long, hide = true)]
    pub reference_tokenizer: bool,
    /// Stop at the first row that cannot be read or has invalid UTF-8 in its
    /// title or text, naming its line and byte.
    #[arg(long)]
    pub strict: bool,
    /// Where rows that cannot be read go (CSV: file, line, byte, reason, the
    /// row). Default: beside the output as NAME.rejects.csv (in the current
    /// folder when writing to standard output). Written only when a row is
    /// rejected; an old file there is removed otherwise.
    #[arg(long)]
    pub rejects: Option<PathBuf>,
}

impl InputArgs {
    /// The run's options, checked.
    pub fn options(&self) -> OptionsBuilder {
        OptionsBuilder::new()
            .title_col(self.title_col.clone())
            .text_cols(self.text_col.clone())
            .threads(self.threads)
            .delimiter(self.delimiter.as_deref())
            .mismatch_confidence(self.mismatch_confidence)
            .reference_tokenizer(self.reference_tokenizer)
            .strict(self.strict)
            .input_format(self.input_format.map(InputFormatArg::get))
            .keep(self.keep.clone())
            .out_delimiter(self.out_delimiter.as_deref())
    }

    /// The rejects file of a run writing to `output`.
    pub fn rejects_path(&self, output: Option<&Path>) -> PathBuf {
        match &self.rejects {
            Some(p) => p.clone(),
            None => pmpo::default_rejects_path(&self.input, output),
        }
    }

    /// A progress bar on standard error (bytes, rows, MB/s, ETA) when it is
    /// a terminal and the run is not quiet.
    pub fn progress_bar(&self) -> Option<indicatif::ProgressBar> {
        if self.quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let size = if self.input == Path::new("-") {
            None
        } else {
            std::fs::metadata(&self.input).ok().map(|m| m.len())
        };
        let b = match size {
            Some(n) => indicatif::ProgressBar::new(n),
            None => indicatif::ProgressBar::new_spinner(),
        };
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg} {bytes_per_sec} ETA {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    }
}

/// Moves the progress bar, if there is one.
pub fn show_progress(bar: Option<&indicatif::ProgressBar>, bytes: u64, rows: u64) {
    if let Some(b) = bar {
        b.set_position(bytes);
        b.set_message(format!("{rows} rows"));
    }
}

/// Gold labels, the postings they label, and the model to label them with.
#[derive(clap::Args)]
pub struct GoldArgs {
    /// Gold labels (id,label,pm_share,certainty); repeatable, joined by id.
    #[arg(long, required = true)]
    pub gold: Vec<PathBuf>,
    /// The postings (CSV with an id column); several files are read in turn.
    #[arg(required = true)]
    pub postings: Vec<PathBuf>,
    /// Model folder (default: the built-in model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Go on when under half of the gold ids match a posting.
    #[arg(long)]
    pub allow_partial: bool,
    /// Column whose value groups rows for cross-validation (e.g.
    /// source_repo, company): a group's rows are never split between folds.
    #[arg(long)]
    pub group_col: Option<String>,
    /// Cross-validate with one fold per group (needs --group-col).
    #[arg(long, requires = "group_col")]
    pub leave_one_group_out: bool,
    /// Pull of fitted phrase weights towards their prior (article or
    /// override) weights.
    #[arg(long, default_value_t = pmpo::WeightFit::default().lambda)]
    pub lambda: f64,
}

impl GoldArgs {
    /// The gold set for the library.
    pub fn gold_set(&self) -> pmpo::GoldSet {
        pmpo::GoldSet {
            gold: self.gold.clone(),
            postings: self.postings.clone(),
            allow_partial: self.allow_partial,
            group_col: self.group_col.clone(),
            leave_one_group_out: self.leave_one_group_out,
            weight_fit: pmpo::WeightFit {
                lambda: self.lambda,
                ..Default::default()
            },
        }
    }
}

/// The model in `dir`, or the built-in one.
pub fn load_model(dir: Option<&Path>) -> pmpo::Result<Model> {
    match dir {
        Some(d) => Model::load(d),
        None => Model::embedded(),
    }
}

/// Says where the rejected rows went; the exit code for a run.
pub fn rejected_exit(summary: &Summary, rejects: &Path) -> ExitCode {
    if summary.rejected == 0 {
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "pmpo: {} of {} rows could not be read; they are in {}",
        summary.rejected,
        summary.rows,
        rejects.display()
    );
    ExitCode::from(1)
}

/// Writes to standard output; a closed pipe is an error that `main` ends
/// quietly on (where `print!` would panic).
pub fn stdout(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}
