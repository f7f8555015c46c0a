//! pmpo labels job postings by the role their duties describe: a Product
//! Manager's (`pm`), a Product Owner's (`po`), a `hybrid` of both, or `none`.
//!
//! The library does all the work; the `pmpo` binary only parses arguments.
//! A posting flows through one module per stage:
//! [`input`] (read and assemble rows) -> [`clean`] (HTML to text) ->
//! [`sections`] (duties, requirements, company, benefits) -> [`tokenize`]
//! (words with byte spans) -> [`matcher`] (lexicon phrases) -> [`score`]
//! (evidence per role, label, confidence) -> [`title`] (what the title
//! claims) -> [`output`] (CSV or JSON Lines).
#![deny(missing_docs)]

pub mod clean;
mod error;
pub mod sections;
pub mod synth;
pub mod title;
pub mod tokenize;

pub use error::{Error, ErrorKind, Result};
