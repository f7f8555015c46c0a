//! pmpo's integration tests: one binary, the real program run in a
//! temporary folder.

mod util;

mod accuracy;
mod cli;
mod errors;
mod filter;
mod formats;
mod sample;
mod snapshots;
