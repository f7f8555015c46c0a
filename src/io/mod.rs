//! Reading and writing: sources, postings, the output record, sinks.
//!
//! The data's way through a run:
//!
//! ```text
//! source    open (file or stdin), gunzip / unzstd, tell the format,
//!           header, blocks of rows           (CSV, JSON Lines, Parquet, Arrow)
//! postings  a row's title and text: pick, decode, join, cut, note
//! (stages)  clean, sections, tokenize, matcher, score, title: crate::engine
//! record    what pmpo says of one posting: the output columns, once
//! sinks     CSV, JSON Lines, Parquet, Arrow IPC, audit, report, rejects
//! ```
//!
//! [`crate::pipeline`] only runs these on threads and keeps the order.
//!
//! A new input format touches [`source`] (detection and blocks) and, for a
//! columnar one, [`columnar`]; a new output column touches
//! [`record`] only (and the schema file it writes, `schema/record.v1.json`).

pub mod columnar;
pub mod postings;
pub mod record;
pub mod sink;
pub mod source;
