//! The mismatched rows of an export, most confident first.
//!
//! In: an export. Out: only the rows whose title and duties disagree (see
//! [`crate::engine::Mismatch`]), in the label command's format (CSV or
//! JSON Lines), ordered by the confidence of the content label, highest
//! first; rows of equal confidence keep their input order.
//!
//! The labelling streams as `label` does, into an
//! [`AuditSink`](crate::io::sink::AuditSink): the mismatched rows are
//! formatted as they come and kept in a temporary file, with only
//! (confidence, byte offset, length) per row in memory, then copied out in
//! order. Memory grows by 24 bytes per mismatched row, not with the rows'
//! text; the output is never read back or parsed.

use std::io::Write;
use std::path::Path;

use crate::model::Model;
use crate::pipeline::{self, Options, Summary};
use crate::Result;

/// Labels `input` and writes its mismatched rows to `out`, most confident
/// first. `opts.only_mismatches` is forced on; unreadable rows go to
/// `rejects` as in [`pipeline::run`].
pub fn audit(
    model: &Model,
    input: &Path,
    out: &mut (dyn Write + Send),
    rejects: Option<&mut (dyn Write + Send)>,
    opts: &Options,
    progress: Option<pipeline::Progress<'_>>,
) -> Result<Summary> {
    let opts = Options {
        only_mismatches: true,
        ..opts.clone()
    };
    pipeline::run(model, input, out, rejects, &opts, progress)
}
