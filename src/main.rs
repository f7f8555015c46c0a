//! The `pmpo` command line: parses arguments, calls the library, picks the
//! exit code (0 done, 1 done with rejected rows or a failed check, 2 usage
//! or fatal error). A closed output pipe ends the run quietly.

// No unwrap, expect or explicit panic outside tests: every failure that
// input can cause is an error with its place (checked by `cargo clippy`).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::todo,
        clippy::unimplemented,
        clippy::unreachable
    )
)]

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand, ValueEnum};

use pmpo::learn::{learn_articles, read_articles, LearnConfig};
use pmpo::model::{Calibration, Model};
use pmpo::pipeline::{self, Format, Options};
use pmpo::score::LabelParams;

#[derive(Parser)]
#[command(
    name = "pmpo",
    version,
    about = "Says whether job postings describe a Product Manager's duties, a Product Owner's, a hybrid of both, or neither"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Csv,
    Jsonl,
    Parquet,
    Arrow,
}

#[derive(Clone, Copy, ValueEnum)]
enum InputFormatArg {
    Csv,
    Jsonl,
    Parquet,
    Arrow,
}

#[derive(clap::Args)]
struct InputArgs {
    /// Input: CSV, JSON Lines, Parquet or Arrow IPC (told by content),
    /// plain, gzipped or zstd-compressed; `-` reads standard input.
    input: PathBuf,
    /// The input format, when not told from the content.
    #[arg(long, value_enum)]
    input_format: Option<InputFormatArg>,
    /// Write only these input columns (comma-separated), then pmpo's.
    #[arg(long, value_delimiter = ',')]
    keep: Option<Vec<String>>,
    /// CSV output delimiter (one byte, or 'tab'); the input's when absent.
    #[arg(long)]
    out_delimiter: Option<String>,
    /// Output file; standard output when absent.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: FormatArg,
    /// The column holding the job title (found by name when absent).
    #[arg(long)]
    title_col: Option<String>,
    /// A column holding posting text; repeat for several (found by name when absent).
    #[arg(long)]
    text_col: Vec<String>,
    /// Input field delimiter (one byte, e.g. ';', or 'tab'); detected from
    /// the header line when absent.
    #[arg(long)]
    delimiter: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Model folder (default: the built-in model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Confidence the content label needs before a title is called mismatched.
    #[arg(long, default_value_t = pipeline::DEFAULT_MISMATCH_CONFIDENCE)]
    mismatch_confidence: f64,
    /// No progress bar and no summary line.
    #[arg(short, long)]
    quiet: bool,
    /// Tokenize with the Hugging Face tokenizer instead of the fast path:
    /// the same output, far slower (for benchmarks and checks).
    #[arg(long, hide = true)]
    reference_tokenizer: bool,
    /// Stop at the first row that cannot be read or has invalid UTF-8 in its
    /// title or text, naming its line and byte.
    #[arg(long)]
    strict: bool,
    /// Where rows that cannot be read go (CSV: file, line, byte, reason, the
    /// row). Default: beside the output as NAME.rejects.csv (in the current
    /// folder when writing to standard output). Written only when a row is
    /// rejected; an old file there is removed otherwise.
    #[arg(long)]
    rejects: Option<PathBuf>,
}

impl InputArgs {
    /// The rejects file of this run.
    fn rejects_path(&self) -> PathBuf {
        if let Some(p) = &self.rejects {
            return p.clone();
        }
        let regular = |p: &Path| std::fs::metadata(p).map_or(true, |m| m.is_file());
        let (dir, base) = match &self.output {
            Some(out) if regular(out) => (out.parent().map(Path::to_path_buf), out.as_path()),
            _ => (None, self.input.as_path()),
        };
        let name = base
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n != "-")
            .unwrap_or_else(|| "stdin".to_string());
        let mut stem = name.as_str();
        for ext in [
            ".gz", ".zst", ".csv", ".tsv", ".txt", ".jsonl", ".html", ".json", ".parquet", ".arrow",
        ] {
            if let Some(s) = stem.strip_suffix(ext) {
                if !s.is_empty() {
                    stem = s;
                }
            }
        }
        let file = format!("{stem}.rejects.csv");
        match dir {
            Some(d) => d.join(file),
            None => PathBuf::from(file),
        }
    }
}

/// The rejects file, created through a temporary file beside it on the
/// first rejected row, and renamed into place when the run completes.
struct LazyRejects {
    path: PathBuf,
    file: Option<std::io::BufWriter<tempfile::NamedTempFile>>,
}

impl LazyRejects {
    fn new(path: PathBuf) -> Self {
        LazyRejects { path, file: None }
    }

    /// Puts the file in place if a row was rejected, else removes a file
    /// left there by an earlier run.
    fn finish(self) -> anyhow::Result<()> {
        match self.file {
            Some(w) => persist_buffered(w, &self.path),
            None => {
                if std::fs::metadata(&self.path).is_ok_and(|m| m.is_file()) {
                    std::fs::remove_file(&self.path).with_context(|| {
                        format!("cannot remove the old {}", self.path.display())
                    })?;
                }
                Ok(())
            }
        }
    }
}

impl Write for LazyRejects {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let f = match &mut self.file {
            Some(f) => f,
            None => {
                let tmp =
                    temp_beside(&self.path).map_err(|e| std::io::Error::other(format!("{e:#}")))?;
                self.file.insert(std::io::BufWriter::new(tmp))
            }
        };
        f.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

/// A progress bar on standard error (bytes, rows, MB/s, ETA) when it is a
/// terminal and the run is not quiet.
fn progress_bar(args: &InputArgs) -> Option<indicatif::ProgressBar> {
    if args.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let size = if args.input == Path::new("-") {
        None
    } else {
        std::fs::metadata(&args.input).ok().map(|m| m.len())
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

/// Moves the progress bar, if there is one.
fn show_progress(bar: Option<&indicatif::ProgressBar>, bytes: u64, rows: u64) {
    if let Some(b) = bar {
        b.set_position(bytes);
        b.set_message(format!("{rows} rows"));
    }
}

/// Says where the rejected rows went; the exit code for a run.
fn rejected_exit(summary: &pipeline::Summary, rejects: &Path) -> ExitCode {
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

/// Gold labels, the postings they label, and the model to label them with.
#[derive(clap::Args)]
struct GoldArgs {
    /// Gold labels (id,label,pm_share,certainty).
    #[arg(long)]
    gold: PathBuf,
    /// The postings (CSV with an id column).
    postings: PathBuf,
    /// Model folder (default: the built-in model).
    #[arg(long)]
    model: Option<PathBuf>,
}

impl GoldArgs {
    /// Loads the model and scores every gold posting with it.
    fn score(&self) -> anyhow::Result<(Model, Vec<pmpo::calibrate::Scored>)> {
        let model = load_model(self.model.as_deref())?;
        let g = pmpo::eval::read_gold(&self.gold)?;
        let rows = pmpo::calibrate::score_gold(&model, &g, &self.postings)?;
        Ok((model, rows))
    }
}

#[derive(Subcommand)]
enum Cmd {
    /// Label every row of a job-postings export.
    Label(InputArgs),
    /// Only the rows whose title and duties disagree, most confident first,
    /// with the reason (same options and formats as `label`).
    Audit(InputArgs),
    /// Measure an export: label mix per title role, the title-by-content
    /// matrix, confidences, and the title-confusion index per group with
    /// bootstrap 95% intervals, as a self-contained HTML page (-o) and JSON.
    Report {
        #[command(flatten)]
        input: InputArgs,
        /// Group the confusion index by these columns (repeatable).
        #[arg(long)]
        group_by: Vec<String>,
        /// Also write the report's tables as JSON to this file.
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// Learn a model from articles on Product Manager vs Product Owner.
    Learn {
        /// Folder of article text files.
        #[arg(long)]
        articles: PathBuf,
        /// Folder to write the model into.
        #[arg(long)]
        out: PathBuf,
        /// Unlabelled postings (CSV) whose phrase frequencies temper the
        /// weights of phrases every posting uses.
        #[arg(long)]
        background: Option<PathBuf>,
        /// A person's overrides: phrases to add, reweight or remove, each
        /// with a reason (see models/overrides.txt).
        #[arg(long)]
        overrides: Option<PathBuf>,
        /// Unlabelled postings (CSV) to learn more phrases from, by cautious
        /// self-training after the overrides.
        #[arg(long)]
        adapt: Option<PathBuf>,
        /// Adaptation rounds.
        #[arg(long, default_value_t = 2)]
        rounds: u32,
        /// The label parameters (a calibration.json) to pseudo-label with
        /// during adaptation (default: the guide's defaults).
        #[arg(long)]
        adapt_params: Option<PathBuf>,
        /// Largest share of postings an adaptation round may move to another label.
        #[arg(long, default_value_t = 0.15)]
        max_shift: f64,
    },
    /// Explain one posting: label, confidence, each evidence phrase with its
    /// role, weight, section and position, and the text with the evidence
    /// highlighted (PM and PO in two colours on a terminal).
    Explain {
        /// A file holding the posting's text (plain text or HTML); `-` or
        /// nothing reads standard input.
        file: Option<PathBuf>,
        /// The posting's title, to check it against the duties.
        #[arg(long, default_value = "")]
        title: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Model folder (default: the built-in model).
        #[arg(long)]
        model: Option<PathBuf>,
        /// Confidence the content label needs before a title is called mismatched.
        #[arg(long, default_value_t = pipeline::DEFAULT_MISMATCH_CONFIDENCE)]
        mismatch_confidence: f64,
    },
    /// Label gold-labelled postings and report accuracy, macro-F1, per-label
    /// scores, the confusion matrix and calibration, overall and per language.
    Eval {
        #[command(flatten)]
        data: GoldArgs,
        /// Print JSON instead of tables.
        #[arg(long)]
        json: bool,
        /// Exit with 1 when the macro-F1 over all rows is below this.
        #[arg(long)]
        min_macro_f1: Option<f64>,
        /// Report cross-validated numbers: refit the label parameters k
        /// times, each time predicting the rows left out.
        #[arg(long)]
        cv: Option<usize>,
        /// Confidence at which title mismatches are called.
        #[arg(long, default_value_t = pipeline::DEFAULT_MISMATCH_CONFIDENCE)]
        mismatch_confidence: f64,
    },
    /// Fit the label model's parameters to gold labels and save the model
    /// with them (cross-validated numbers go into its provenance).
    Calibrate {
        #[command(flatten)]
        data: GoldArgs,
        /// Folder to write the calibrated model into.
        #[arg(long)]
        out: PathBuf,
    },
    /// Check that the fast tokenizer yields exactly the words of the model's
    /// tokenizer.json on every text of CSV files.
    CheckTokenizer {
        /// CSV files.
        files: Vec<PathBuf>,
        /// Model folder (default: the built-in model).
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Write a synthetic job-board export of a given size (for benchmarks).
    Synth {
        /// Size, e.g. 500MB, 2GB, 100KB.
        #[arg(long)]
        size: String,
        /// Output file.
        #[arg(short, long)]
        output: PathBuf,
        /// Random seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

/// Temporary output files of this run, removed if the run is interrupted.
static PENDING: std::sync::Mutex<Vec<(PathBuf, PathBuf)>> = std::sync::Mutex::new(Vec::new());

/// Writes to standard output; a closed pipe is an error that `main` ends
/// quietly on (where `print!` would panic).
fn stdout(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Ctrl-C (or SIGTERM): remove the half-written temporary files, say which
    // outputs were not written, and exit 130. The target paths are untouched.
    let _ = ctrlc::set_handler(|| {
        let pending = PENDING.lock().map(|p| p.clone()).unwrap_or_default();
        for (tmp, target) in pending {
            let _ = std::fs::remove_file(&tmp);
            eprintln!("pmpo: interrupted; {} was not written", target.display());
        }
        std::process::exit(130);
    });
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
                    || c.downcast_ref::<pmpo::Error>()
                        .is_some_and(|p| p.is_broken_pipe())
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("pmpo: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn load_model(dir: Option<&Path>) -> anyhow::Result<Model> {
    Ok(match dir {
        Some(d) => Model::load(d)?,
        None => Model::embedded()?,
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.cmd {
        Cmd::Label(args) => label(args, false),
        Cmd::Audit(args) => label(args, true),
        Cmd::Report {
            input,
            group_by,
            json,
        } => report(input, group_by, json),
        Cmd::Learn {
            articles,
            out,
            background,
            overrides,
            adapt,
            rounds,
            adapt_params,
            max_shift,
        } => {
            let arts = read_articles(&articles)?;
            let mut lex = learn_articles(&arts, &LearnConfig::default())?;
            if let Some(bg) = &background {
                let texts = pmpo::learn::read_texts(bg)?;
                pmpo::learn::apply_specificity(&mut lex, &texts, 0.25)?;
            }
            if let Some(o) = &overrides {
                let text = std::fs::read_to_string(o)
                    .with_context(|| format!("cannot read {}", o.display()))?;
                lex.apply_overrides(&text, o)?;
            }
            if let Some(a) = &adapt {
                let texts = pmpo::learn::read_texts(a)?;
                let cfg = pmpo::adapt::AdaptConfig {
                    rounds,
                    max_shift,
                    ..Default::default()
                };
                let params = match &adapt_params {
                    Some(p) => {
                        let text = std::fs::read_to_string(p)
                            .with_context(|| format!("cannot read {}", p.display()))?;
                        Calibration::from_json(&text, p)?.params
                    }
                    None => LabelParams::default(),
                };
                for (i, r) in pmpo::adapt::adapt(&mut lex, &params, &texts, &cfg)?
                    .iter()
                    .enumerate()
                {
                    eprintln!(
                        "pmpo: adaptation round {}: {} PM and {} PO examples, {} phrases added, {:.1}% of labels moved{}",
                        i + 1,
                        r.pm_examples,
                        r.po_examples,
                        r.added,
                        100.0 * r.shift,
                        if r.undone { " (undone: too many)" } else { "" }
                    );
                }
            }
            let cal = Calibration::new(
                LabelParams::default(),
                vec!["defaults: the guide's thresholds (PM share 2/3 and 1/3), unfitted".into()],
            );
            let model = Model::new(lex, cal)?;
            model.save(&out)?;
            eprintln!(
                "pmpo: learned {} phrases from {} articles into {} (model {})",
                model.lexicon().phrases.len(),
                arts.len(),
                out.display(),
                model.hash()
            );
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Explain {
            file,
            title,
            json,
            model,
            mismatch_confidence,
        } => {
            let model = load_model(model.as_deref())?;
            let text = match file.as_deref() {
                Some(p) if p != Path::new("-") => {
                    std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?
                }
                _ => {
                    let mut buf = Vec::new();
                    std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
                        .context("cannot read standard input")?;
                    buf
                }
            };
            let text = String::from_utf8_lossy(&text);
            let mut lab = pmpo::engine::Labeller::new();
            let l = lab.label(&model, &title, [text.as_ref()]);
            let mut out = String::new();
            if json {
                out = serde_json::to_string_pretty(&pmpo::explain::explanation(
                    &l,
                    mismatch_confidence,
                ))?;
                out.push('\n');
            } else {
                let opts = pmpo::explain::ExplainOptions {
                    color: std::io::stdout().is_terminal(),
                    min_confidence: mismatch_confidence,
                };
                pmpo::explain::render_text(&l, &opts, &mut out);
            }
            std::io::stdout().write_all(out.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Eval {
            data,
            json,
            min_macro_f1,
            cv,
            mismatch_confidence,
        } => {
            let (model, rows) = data.score()?;
            let preds = match cv {
                Some(k) => pmpo::calibrate::cross_validate(&rows, model.params(), k),
                None => pmpo::calibrate::predictions(&rows, model.params()),
            };
            let rep = pmpo::eval::report(&preds);
            let mm = pmpo::calibrate::mismatch_scores(&rows, &preds, mismatch_confidence);
            if json {
                let v = serde_json::json!({ "labels": rep, "title_mismatches": mm, "mismatch_confidence": mismatch_confidence });
                stdout(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
            } else {
                let mut text = rep.to_text();
                text.push_str(&format!(
                    "\ntitle mismatches at confidence >= {mismatch_confidence}:\n"
                ));
                let pct = |x: Option<f64>| x.map_or("n/a".to_string(), |x| format!("{x:.2}"));
                for m in &mm {
                    text.push_str(&format!(
                        "{:<12} precision {}  recall {}  ({} right, {} wrong, {} missed)\n",
                        m.kind.as_str(),
                        pct(m.precision),
                        pct(m.recall),
                        m.true_positives,
                        m.false_positives,
                        m.false_negatives
                    ));
                }
                stdout(&text)?;
            }
            if let Some(min) = min_macro_f1 {
                if rep.overall.macro_f1 < min {
                    eprintln!("pmpo: macro-F1 {:.3} is below {min}", rep.overall.macro_f1);
                    return Ok(ExitCode::from(1));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Calibrate { data, out } => {
            let (model, rows) = data.score()?;
            let base = LabelParams {
                sections: model.params().sections,
                ..LabelParams::default()
            };
            let cv = pmpo::eval::report(&pmpo::calibrate::cross_validate(&rows, &base, 5));
            let refs: Vec<&pmpo::calibrate::Scored> = rows.iter().collect();
            let params = pmpo::calibrate::fit(&refs, &base);
            let en = cv
                .by_lang
                .iter()
                .find(|(l, _)| l == "en")
                .map(|(_, m)| m.macro_f1);
            let mut prov = vec![format!(
                "fitted by maximum likelihood on {} gold rows ({}); 5-fold cross-validated: accuracy {:.3}, macro-F1 {:.3} (English {}), ECE {:.3}, Brier {:.3}",
                rows.len(),
                data.gold.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
                cv.overall.accuracy,
                cv.overall.macro_f1,
                en.map_or("n/a".to_string(), |x| format!("{x:.3}")),
                cv.overall.ece,
                cv.overall.brier
            )];
            prov.extend(model.calibration().provenance.iter().cloned());
            let m = model.with_calibration(Calibration::new(params, prov))?;
            m.save(&out)?;
            stdout(&cv.to_text())?;
            eprintln!(
                "pmpo: calibrated model {} written to {}",
                m.hash(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Cmd::CheckTokenizer { files, model } => {
            let model = load_model(model.as_deref())?;
            let (texts, diffs) = pmpo::tokenize::check_files(&model, &files)?;
            if let Some(d) = diffs {
                eprintln!("pmpo: tokenizers differ: {d}");
                return Ok(ExitCode::from(1));
            }
            eprintln!("pmpo: fast tokenizer equals tokenizer.json on all {texts} texts");
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Synth { size, output, seed } => {
            let bytes = parse_size(&size)?;
            let f = std::fs::File::create(&output)
                .with_context(|| format!("cannot create {}", output.display()))?;
            let st = pmpo::synth::write_synthetic(f, bytes, seed)
                .with_context(|| format!("cannot write {}", output.display()))?;
            eprintln!(
                "pmpo: wrote {} rows, {} bytes to {}",
                st.rows,
                st.bytes,
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn report(
    args: InputArgs,
    group_by: Vec<String>,
    json: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let model = load_model(args.model.as_deref())?;
    let Some(html_path) = args.output.clone() else {
        bail!("pmpo report needs -o FILE.html for the page");
    };
    let opts = Options {
        title_col: args.title_col.clone(),
        text_cols: args.text_col.clone(),
        threads: args.threads.unwrap_or(Options::default().threads).max(1),
        mismatch_confidence: args.mismatch_confidence,
        delimiter: args.delimiter.as_deref().map(delimiter).transpose()?,
        input_format: args.input_format.map(input_format),
        ..Options::default()
    };
    let rejects_path = args.rejects_path();
    let mut rejects = LazyRejects::new(rejects_path.clone());
    let bar = progress_bar(&args);
    let progress = |bytes: u64, rows: u64| show_progress(bar.as_ref(), bytes, rows);
    let summary = pipeline::report(
        &model,
        &args.input,
        Some(&mut rejects),
        &group_by,
        &opts,
        Some(&progress),
    )?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    rejects.finish()?;
    let builder = summary
        .report
        .clone()
        .unwrap_or_else(|| pmpo::report::ReportBuilder::new(group_by));
    let rep = builder.finish(42);
    let name = args
        .input
        .file_name()
        .map_or_else(|| "stdin".to_string(), |n| n.to_string_lossy().into_owned());
    write_atomic(
        &html_path,
        rep.to_html(&format!("pmpo report: {name}"))?.as_bytes(),
    )?;
    if let Some(j) = &json {
        write_atomic(j, rep.to_json().as_bytes())?;
    }
    if !args.quiet {
        eprintln!("pmpo: {}", summary.line());
        eprintln!("pmpo: report written to {}", html_path.display());
    }
    Ok(rejected_exit(&summary, &rejects_path))
}

/// Writes a whole file through a temporary file beside it, renamed when complete.
fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut tmp = temp_beside(path)?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    persist(tmp, path)
}

/// A temporary file in the folder of `path`, to be renamed over it.
fn temp_beside(path: &Path) -> anyhow::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("cannot write into {}", dir.display()))?;
    if let Ok(mut p) = PENDING.lock() {
        p.push((tmp.path().to_path_buf(), path.to_path_buf()));
    }
    Ok(tmp)
}

/// Flushes a buffered temporary file and renames it over `path`.
fn persist_buffered(
    w: std::io::BufWriter<tempfile::NamedTempFile>,
    path: &Path,
) -> anyhow::Result<()> {
    let tmp = w
        .into_inner()
        .map_err(|e| e.into_error())
        .with_context(|| format!("cannot write {}", path.display()))?;
    persist(tmp, path)
}

/// Renames a complete temporary file over `path`, with ordinary permissions
/// (temporary files are private).
fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> anyhow::Result<()> {
    if let Ok(mut p) = PENDING.lock() {
        p.retain(|(t, _)| t != tmp.path());
    }
    let file = tmp
        .persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    #[cfg(not(unix))]
    drop(file);
    Ok(())
}

fn parse_size(s: &str) -> anyhow::Result<u64> {
    let t = s.trim().to_ascii_uppercase();
    let (num, mult) = if let Some(n) = t.strip_suffix("GB") {
        (n, 1_000_000_000)
    } else if let Some(n) = t.strip_suffix("MB") {
        (n, 1_000_000)
    } else if let Some(n) = t.strip_suffix("KB") {
        (n, 1_000)
    } else {
        (t.as_str(), 1)
    };
    let n: f64 = num
        .trim()
        .parse()
        .with_context(|| format!("not a size: {s:?} (try 500MB)"))?;
    Ok((n * mult as f64) as u64)
}

fn input_format(f: InputFormatArg) -> pmpo::io::source::InputFormat {
    use pmpo::io::source::InputFormat;
    match f {
        InputFormatArg::Csv => InputFormat::Csv,
        InputFormatArg::Jsonl => InputFormat::Jsonl,
        InputFormatArg::Parquet => InputFormat::Parquet,
        InputFormatArg::Arrow => InputFormat::Arrow,
    }
}

fn delimiter(s: &str) -> anyhow::Result<u8> {
    match s {
        "\\t" | "tab" => Ok(b'\t'),
        _ if s.len() == 1 => Ok(s.as_bytes()[0]),
        _ => bail!("the delimiter must be one byte, got {s:?}"),
    }
}

/// Runs `label`, or `audit` when `audit` is set.
fn label(args: InputArgs, audit: bool) -> anyhow::Result<ExitCode> {
    let model = load_model(args.model.as_deref())?;
    let opts = Options {
        title_col: args.title_col.clone(),
        text_cols: args.text_col.clone(),
        format: match args.format {
            FormatArg::Csv => Format::Csv,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Parquet => Format::Parquet,
            FormatArg::Arrow => Format::Arrow,
        },
        threads: args.threads.unwrap_or(Options::default().threads).max(1),
        mismatch_confidence: args.mismatch_confidence,
        only_mismatches: false,
        delimiter: args.delimiter.as_deref().map(delimiter).transpose()?,
        reference_tokenizer: args.reference_tokenizer,
        report: None,
        strict: args.strict,
        input_format: args.input_format.map(input_format),
        keep: args.keep.clone(),
        out_delimiter: args.out_delimiter.as_deref().map(delimiter).transpose()?,
    };
    let rejects_path = args.rejects_path();
    let mut rejects = LazyRejects::new(rejects_path.clone());
    let bar = progress_bar(&args);
    let progress = |bytes: u64, rows: u64| show_progress(bar.as_ref(), bytes, rows);
    let mut run = |w: &mut (dyn Write + Send)| -> pmpo::Result<pipeline::Summary> {
        let r: Option<&mut (dyn Write + Send)> = Some(&mut rejects);
        if audit {
            pmpo::audit::audit(&model, &args.input, w, r, &opts, Some(&progress))
        } else {
            pipeline::run(&model, &args.input, w, r, &opts, Some(&progress))
        }
    };
    // A device or pipe (`-o /dev/stdout`) is written to directly: renaming
    // a temporary file over it would replace it.
    let special = args
        .output
        .as_deref()
        .and_then(|p| std::fs::metadata(p).ok())
        .is_some_and(|m| !m.is_file());
    let summary = match &args.output {
        Some(path) if special => {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
            let s = run(&mut w)?;
            w.flush()?;
            s
        }
        Some(path) => {
            let mut w = std::io::BufWriter::with_capacity(1 << 20, temp_beside(path)?);
            let s = run(&mut w)?;
            persist_buffered(w, path)?;
            s
        }
        None => {
            let mut w = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout());
            let s = run(&mut w)?;
            w.flush()?;
            s
        }
    };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if !args.quiet {
        eprintln!("pmpo: {}", summary.line());
    }
    rejects.finish()?;
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
