//! pmpo labels job postings by the role their duties describe: a Product
//! Manager's (`pm`), a Product Owner's (`po`), a `hybrid` of both, or `none`.
//!
//! The library does all the work; the `pmpo` binary only parses arguments.
//! Its public surface is small:
//! - [`Model`]: the built-in model ([`Model::embedded`]) or one loaded from
//!   a folder; [`Calibration`] holds its label parameters.
//! - One posting: [`Labeller`] labels it ([`Labelled`], with [`Label`],
//!   [`Verdict`], [`TitleRole`], [`Mismatch`]); [`explain`],
//!   [`explanation`] and [`render_text`] explain it.
//! - A whole export: [`run`] labels every row, [`audit`] keeps the
//!   mismatched ones, with [`Options`] built and checked by
//!   [`OptionsBuilder`], giving a [`Summary`]; [`ReportBuilder`] and
//!   [`Report`] sum it up for a market report.
//! - Output: [`check_writable`] before a long run, [`write_output`] and
//!   [`write_atomic`] (through a temporary
//!   file, renamed when complete), [`LazyRejects`] and
//!   [`default_rejects_path`] for rows that cannot be read, and
//!   [`remove_partial_output_on_interrupt`].
//! - Models: [`learn`] ([`LearnRecipe`]), [`calibrate`] and [`evaluate`]
//!   on a [`GoldSet`], [`check_tokenizer`].
//! - [`Error`], [`ErrorKind`] and [`Result`]: every error names its file,
//!   line and field.
//!
//! ```
//! let model = pmpo::Model::embedded()?;
//! let mut labeller = pmpo::Labeller::new();
//! let posting = labeller.label(
//!     &model,
//!     "Product Owner",
//!     ["You will own the product roadmap, set pricing and build the business case."],
//! );
//! assert_eq!(posting.verdict.label, pmpo::Label::Pm);
//! assert!(posting.mismatch(0.5).is_some());
//! # Ok::<(), pmpo::Error>(())
//! ```
//!
//! Inside, a posting flows through one private module per stage: input
//! (open, find columns) -> clean (HTML to text) -> sections (duties,
//! requirements, company, benefits) -> tokenize (words with byte spans) ->
//! matcher (lexicon phrases) -> score (evidence per role, label,
//! confidence) -> title (what the title claims) -> engine (the stages
//! chained for one posting) -> pipeline (streaming, parallel, in order).
//! io reads the input (CSV, JSON Lines, Parquet, Arrow IPC; plain, gzip or
//! zstd) and writes the output through sinks, from one output record;
//! the public [`batch`] module labels Arrow batches in memory (the Python
//! package and Spark).
#![deny(missing_docs)]
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

mod adapt;
mod audit;
pub mod batch;
mod calibrate;
mod clean;
mod engine;
mod error;
mod eval;
mod explain;
mod fit;
// Some of its items serve only its own tests; the others use the rest.
#[allow(dead_code)]
mod input;
mod io;
mod lang;
mod learn;
mod lexicon;
mod matcher;
mod model;
mod options;
mod output;
// Some of its items serve only its own tests; the others use the rest.
#[allow(dead_code)]
mod pipeline;
mod recipe;
mod report;
// Some of its items serve only its own tests; the others use the rest.
#[allow(dead_code)]
mod score;
mod sections;
// Some of its items serve only its own tests; the others use the rest.
#[allow(dead_code)]
mod split;
mod synth;
mod title;
mod tokenize;

pub use audit::audit;
pub use calibrate::Folds;
pub use engine::{Labelled, Labeller, Mismatch};
pub use error::{Error, ErrorKind, Result};
pub use explain::{explanation, render_text, ExplainOptions, Explanation};
pub use fit::WeightFit;
pub use input::Columns;
pub use io::postings::{Posting, Postings};
pub use io::record::{column_names as output_columns, json_schema as record_json_schema};
pub use io::source::InputFormat;
pub use model::{Calibration, Model};
pub use options::OptionsBuilder;
pub use output::{
    check_writable, default_rejects_path, remove_partial_output_on_interrupt, write_atomic,
    write_output, LazyRejects,
};
pub use pipeline::{
    report as aggregate, run, Format, Options, Progress, Summary, DEFAULT_MISMATCH_CONFIDENCE,
};
pub use recipe::{
    calibrate, check_tokenizer, evaluate, explain, learn, Calibrated, Evaluation, GoldSet,
    LearnRecipe, Learned, VERSION,
};
pub use report::{Report, ReportBuilder};
pub use score::{Label, Verdict};
pub use title::TitleRole;

/// Internals for pmpo's own benchmarks, fuzz targets and `synth` command:
/// not part of the library's interface, and free to change.
#[doc(hidden)]
pub mod internals {
    pub use crate::clean::{clean, clean_into};
    pub use crate::matcher::Matcher;
    pub use crate::sections::split_sections;
    pub use crate::synth::{write_synthetic, SynthStats};
    pub use crate::title::title_role;
    pub use crate::tokenize::{build_hf_tokenizer, hf_words, FastTokenizer, Tokens};
}
