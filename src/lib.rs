//! pmpo labels job postings by the role their duties describe: a Product
//! Manager's (`pm`), a Product Owner's (`po`), a `hybrid` of both, or `none`.
//!
//! The library does all the work; the `pmpo` binary only parses arguments.
//! A posting flows through one module per stage:
//! [`input`] (open, find columns) -> [`clean`] (HTML to text) ->
//! [`sections`] (duties, requirements, company, benefits) -> [`tokenize`]
//! (words with byte spans) -> [`matcher`] (lexicon phrases) -> [`score`]
//! (evidence per role, label, confidence) -> [`title`] (what the title
//! claims) -> [`engine`] (the stages chained for one posting) ->
//! [`pipeline`] (streaming, parallel, in order). [`io`] reads the input
//! (CSV, JSON Lines, Parquet, Arrow IPC) and writes the output through
//! sinks, from one output record; [`batch`] labels Arrow batches in memory
//! (the Python package and Spark).
//! [`learn`] builds the [`lexicon`] from articles; [`model`] loads and saves
//! it with the tokenizer and the label parameters.
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

pub mod adapt;
pub mod audit;
pub mod batch;
pub mod calibrate;
pub mod clean;
pub mod engine;
mod error;
pub mod eval;
pub mod explain;
pub mod input;
pub mod io;
pub mod lang;
pub mod learn;
pub mod lexicon;
pub mod matcher;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod score;
pub mod sections;
pub mod split;
pub mod synth;
pub mod title;
pub mod tokenize;

pub use error::{Error, ErrorKind, Result};
pub use model::Model;
pub use score::Label;
