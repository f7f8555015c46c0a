//! The mismatched rows of an export, most confident first.
//!
//! In: an export. Out: only the rows whose title and duties disagree (see
//! [`crate::engine::Mismatch`]), in the label command's format, ordered by
//! the confidence of the content label, highest first; rows of equal
//! confidence keep their input order.
//!
//! The labelling streams as `label` does, writing the mismatched rows to a
//! temporary file; then only (confidence, byte offset, length) per
//! mismatched row is held in memory and sorted, and the rows are copied out
//! in that order. Memory grows by 24 bytes per mismatched row, not with the
//! rows' text.

use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;

use crate::model::Model;
use crate::pipeline::{self, Format, Options, Summary, OUTPUT_COLUMNS};
use crate::{Error, Result};

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
    let mut tmp = tempfile::tempfile().map_err(|e| Error::io("temporary file", e))?;
    let opts = Options {
        only_mismatches: true,
        ..opts.clone()
    };
    let summary = {
        let mut w = std::io::BufWriter::new(&mut tmp);
        let s = pipeline::run(model, input, &mut w, rejects, &opts, progress)?;
        w.flush().map_err(|e| Error::io("temporary file", e))?;
        s
    };
    tmp.seek(SeekFrom::Start(0))
        .map_err(|e| Error::io("temporary file", e))?;
    let index = match opts.format {
        Format::Csv => csv_index(&mut tmp)?,
        Format::Jsonl => jsonl_index(&mut tmp)?,
    };
    let (header_len, mut rows) = index;
    rows.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let io = |e| Error::io("output", e);
    let mut buf = Vec::new();
    if header_len > 0 {
        tmp.seek(SeekFrom::Start(0))
            .map_err(|e| Error::io("temporary file", e))?;
        buf.resize(header_len as usize, 0);
        tmp.read_exact(&mut buf)
            .map_err(|e| Error::io("temporary file", e))?;
        out.write_all(&buf).map_err(io)?;
    }
    for (_, offset, len) in rows {
        tmp.seek(SeekFrom::Start(offset))
            .map_err(|e| Error::io("temporary file", e))?;
        buf.resize(len as usize, 0);
        tmp.read_exact(&mut buf)
            .map_err(|e| Error::io("temporary file", e))?;
        out.write_all(&buf).map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(summary)
}

/// (confidence, byte offset, byte length) of each labelled row.
type Index = Vec<(f64, u64, u64)>;

fn csv_index(file: &mut std::fs::File) -> Result<(u64, Index)> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(BufReader::new(file));
    let mut rec = csv::ByteRecord::new();
    let mut rows = Vec::new();
    let mut header_len = None;
    let mut start = 0u64;
    while rdr
        .read_byte_record(&mut rec)
        .map_err(|e| Error::config(format!("temporary file: {e}")))?
    {
        let end = rdr.position().byte();
        match header_len {
            None => header_len = Some(end),
            Some(_) => {
                // The pmpo columns end every row; confidence is the second.
                let c = (rec.len() + 1).saturating_sub(OUTPUT_COLUMNS.len());
                let conf = std::str::from_utf8(rec.get(c).unwrap_or(b""))
                    .ok()
                    .and_then(|s| s.parse::<f64>().ok())
                    .unwrap_or(0.0);
                rows.push((conf, start, end - start));
            }
        }
        start = end;
    }
    Ok((header_len.unwrap_or(0), rows))
}

fn jsonl_index(file: &mut std::fs::File) -> Result<(u64, Index)> {
    let mut rdr = BufReader::new(file);
    let mut line = String::new();
    let mut rows = Vec::new();
    let mut start = 0u64;
    loop {
        line.clear();
        let n = rdr
            .read_line(&mut line)
            .map_err(|e| Error::io("temporary file", e))?;
        if n == 0 {
            break;
        }
        let conf = serde_json::from_str::<serde_json::Value>(&line)
            .ok()
            .and_then(|v| v.get("pmpo_confidence").and_then(|c| c.as_f64()))
            .unwrap_or(0.0);
        rows.push((conf, start, n as u64));
        start += n as u64;
    }
    Ok((0, rows))
}
