//! Sinks: what receives labelled rows.
//!
//! In: rows, each an input row ([`Row`]) with its [`Record`], in blocks;
//! and the rows that could not be read ([`Rejected`]). Out: bytes, files or
//! aggregates.
//!
//! A sink has two halves, so that the work of formatting is spread over
//! the workers while the writing stays in input order: a [`RowFormat`]
//! that the workers share, which turns one row into its part of a block's
//! output (CSV or JSON Lines bytes, Arrow column builders, report counts),
//! and the [`Sink`] itself, which receives the blocks' parts one at a time,
//! in input order, on the writer thread.
//!
//! Implementations: [`CsvSink`], [`JsonlSink`], [`ReportSink`] (counts;
//! formats no rows), [`AuditSink`] (keeps the mismatched rows as it goes,
//! then writes them most confident first), [`RejectsSink`] (the rows that
//! could not be read), [`Tee`] (two sinks at once), and the Parquet and
//! Arrow IPC sinks of [`crate::io::columnar`].
//!
//! Guarantees: a sink writes nothing but what its parts hold, so output
//! bytes do not depend on the number of threads; the CSV sink writes every
//! input field back byte for byte (quoted as the csv crate quotes).

use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use crate::io::record::{flat, Detailed, Probs, Record};
use crate::report::ReportBuilder;
use crate::split::Row;
use crate::{Error, Result};

/// One labelled row, as a sink sees it.
#[derive(Debug, Clone, Copy)]
pub struct OutRow<'a> {
    /// The input row, every field (sinks pick the kept ones).
    pub row: &'a Row,
    /// What pmpo says about it.
    pub record: &'a Record<'a>,
    /// The content verdict, unrounded (the record's numbers are rounded).
    pub verdict: &'a crate::score::Verdict,
}

/// A row that cannot be read, with its place and the reason.
#[derive(Debug, Clone)]
pub struct Rejected {
    /// Its fields, as read.
    pub row: Row,
    /// The line it starts on (from 1).
    pub line: u64,
    /// The byte it starts at, in the decoded input.
    pub byte: u64,
    /// Why it cannot be read.
    pub reason: String,
}

/// The input columns a sink writes: all of them, or those of `--keep`.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Their names as in the input.
    pub header: Vec<String>,
    /// Their names made unique (the second `a` is `a_2`), for formats
    /// that key values by name.
    pub names: Vec<String>,
    /// Their indexes in the input row.
    pub keep: Vec<usize>,
}

impl Layout {
    /// Every column of `header`, or those named in `keep` (exact or folded
    /// names; an unknown name is an error listing the columns there are).
    pub fn new(header: &[String], keep: Option<&[String]>, path: &Path) -> Result<Layout> {
        let unique = unique_names(header);
        let keep: Vec<usize> = match keep {
            None => (0..header.len()).collect(),
            Some(names) => names
                .iter()
                .map(|n| crate::input::column_index(header, n, path))
                .collect::<Result<_>>()?,
        };
        let pick = |names: &[String]| -> Vec<String> {
            keep.iter()
                .map(|&i| names.get(i).cloned().unwrap_or_default())
                .collect()
        };
        Ok(Layout {
            header: pick(header),
            names: pick(&unique),
            keep,
        })
    }

    /// The kept fields of `row`, in order (missing ones empty).
    pub fn fields<'r>(&'r self, row: &'r Row) -> impl Iterator<Item = &'r [u8]> + 'r {
        self.keep.iter().map(|&i| row.get(i).unwrap_or(b""))
    }
}

/// Column names made unique: the second `description` becomes
/// `description_2`, and so on (skipping names already taken).
pub fn unique_names(header: &[String]) -> Vec<String> {
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(header.len());
    for h in header {
        let mut name = h.clone();
        let mut k = 2;
        while seen.contains(&name) || (name != *h && header.contains(&name)) {
            name = format!("{h}_{k}");
            k += 1;
        }
        seen.insert(name.clone());
        out.push(name);
    }
    out
}

/// The half of a sink the workers share: one row into a block's part.
pub trait RowFormat: Sync {
    /// What one block's rows become.
    type Part: Send + Default;
    /// Whether records should carry every piece of evidence with its span
    /// (JSON Lines) rather than the one-cell summary.
    fn spans(&self) -> bool {
        false
    }
    /// Readies a part for a new block (clears it, keeping its buffers).
    fn begin(&self, part: &mut Self::Part);
    /// Sees a Parquet or Arrow block before its rows (a columnar sink
    /// passes its input columns through as they are); after `begin`.
    fn batch(&self, _part: &mut Self::Part, _block: &crate::io::columnar::BatchBlock) {}
    /// Adds one row to a part; whether the row is written (an audit writes
    /// only the mismatched ones).
    fn row(&self, part: &mut Self::Part, row: &OutRow<'_>) -> bool;
}

/// What receives labelled rows, a block's part at a time, in input order.
pub trait Sink: Send {
    /// The half the workers share.
    type Format: RowFormat;
    /// That half (cheap: it holds the layout and options, not the output).
    fn format(&self) -> Self::Format;
    /// Receives the next block's part, in input order.
    fn write(&mut self, part: &mut <Self::Format as RowFormat>::Part) -> Result<()>;
    /// Receives a row that could not be read (most sinks ignore it).
    fn reject(&mut self, _rejected: &Rejected) -> Result<()> {
        Ok(())
    }
    /// Completes the output (footers, flushes); after the last part.
    fn finish(&mut self) -> Result<()>;
}

/// Two sinks at once: every part and every rejected row goes to both.
#[derive(Debug)]
pub struct Tee<A, B>(pub A, pub B);

impl<A: RowFormat, B: RowFormat> RowFormat for (A, B) {
    type Part = (A::Part, B::Part);
    fn spans(&self) -> bool {
        self.0.spans() || self.1.spans()
    }
    fn begin(&self, part: &mut Self::Part) {
        self.0.begin(&mut part.0);
        self.1.begin(&mut part.1);
    }
    fn batch(&self, part: &mut Self::Part, block: &crate::io::columnar::BatchBlock) {
        self.0.batch(&mut part.0, block);
        self.1.batch(&mut part.1, block);
    }
    fn row(&self, part: &mut Self::Part, row: &OutRow<'_>) -> bool {
        let a = self.0.row(&mut part.0, row);
        self.1.row(&mut part.1, row) || a
    }
}

impl<A: Sink, B: Sink> Sink for Tee<A, B> {
    type Format = (A::Format, B::Format);
    fn format(&self) -> Self::Format {
        (self.0.format(), self.1.format())
    }
    fn write(&mut self, part: &mut <Self::Format as RowFormat>::Part) -> Result<()> {
        self.0.write(&mut part.0)?;
        self.1.write(&mut part.1)
    }
    fn reject(&mut self, rejected: &Rejected) -> Result<()> {
        self.0.reject(rejected)?;
        self.1.reject(rejected)
    }
    fn finish(&mut self) -> Result<()> {
        self.0.finish()?;
        self.1.finish()
    }
}

impl<S: Sink> Sink for &mut S {
    type Format = S::Format;
    fn format(&self) -> S::Format {
        (**self).format()
    }
    fn write(&mut self, part: &mut <S::Format as RowFormat>::Part) -> Result<()> {
        (**self).write(part)
    }
    fn reject(&mut self, r: &Rejected) -> Result<()> {
        (**self).reject(r)
    }
    fn finish(&mut self) -> Result<()> {
        (**self).finish()
    }
}

/// Bytes into a writer: what the CSV and JSON Lines sinks share.
pub struct Bytes<'w, F> {
    out: &'w mut (dyn Write + Send),
    head: Vec<u8>,
    fmt: F,
}

impl<F> std::fmt::Debug for Bytes<'_, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bytes").finish()
    }
}

fn out_err(e: io::Error) -> Error {
    Error::io("output", e)
}

impl<F: RowFormat<Part = Vec<u8>> + Clone + Send> Sink for Bytes<'_, F> {
    type Format = F;
    fn format(&self) -> F {
        self.fmt.clone()
    }
    fn write(&mut self, part: &mut Vec<u8>) -> Result<()> {
        if !self.head.is_empty() {
            self.out.write_all(&self.head).map_err(out_err)?;
            self.head.clear();
        }
        self.out.write_all(part).map_err(out_err)?;
        // Each block's rows go out whole (a pipe's reader sees them now,
        // not when a buffer fills): a block is some 256 KB, so this costs
        // one write per block.
        self.out.flush().map_err(out_err)
    }
    fn finish(&mut self) -> Result<()> {
        if !self.head.is_empty() {
            self.out.write_all(&self.head).map_err(out_err)?;
            self.head.clear();
        }
        self.out.flush().map_err(out_err)
    }
}

/// CSV: the kept input columns, then pmpo's.
pub type CsvSink<'w> = Bytes<'w, CsvFormat>;
/// JSON Lines: one object per row (see `schema/record.v1.json`).
pub type JsonlSink<'w> = Bytes<'w, JsonlFormat>;

/// The CSV rows of a sink, formatted on the workers.
#[derive(Debug, Clone)]
pub struct CsvFormat {
    keep: Vec<usize>,
    all: bool,
    delimiter: u8,
}

impl CsvSink<'_> {
    /// A CSV sink into `out`, with the header of `layout` and pmpo's
    /// columns, fields separated by `delimiter`.
    pub fn csv<'w>(
        out: &'w mut (dyn Write + Send),
        layout: &Layout,
        n_input: usize,
        delimiter: u8,
    ) -> Result<CsvSink<'w>> {
        let mut head = Vec::new();
        {
            let mut w = csv::WriterBuilder::new()
                .delimiter(delimiter)
                .from_writer(&mut head);
            let mut rec: Vec<&str> = layout.header.iter().map(String::as_str).collect();
            let cols = crate::io::record::columns();
            rec.extend(cols.iter().map(|c| c.name));
            w.write_record(&rec)
                .map_err(|e| Error::config(e.to_string()))?;
            w.flush().map_err(out_err)?;
        }
        let all =
            layout.keep.len() == n_input && layout.keep.iter().enumerate().all(|(i, &k)| i == k);
        Ok(Bytes {
            out,
            head,
            fmt: CsvFormat {
                keep: layout.keep.clone(),
                all,
                delimiter,
            },
        })
    }
}

/// Writes a record's cells as CSV fields.
struct CsvCells<'b> {
    out: &'b mut Vec<u8>,
    delimiter: u8,
}

impl flat::Visit for CsvCells<'_> {
    fn cell(&mut self, index: usize, _name: &'static str, cell: flat::Cell<'_>, _nullable: bool) {
        if index > 0 {
            self.out.push(self.delimiter);
        }
        match cell {
            flat::Cell::Str(s) => push_field(self.out, s.as_bytes(), self.delimiter),
            flat::Cell::Name(_, s) => push_field(self.out, s.as_bytes(), self.delimiter),
            // Numbers never need quotes.
            flat::Cell::Float(x) => push_fixed3(self.out, x),
            flat::Cell::Null => {}
        }
    }
}

impl RowFormat for CsvFormat {
    type Part = Vec<u8>;
    fn begin(&self, part: &mut Vec<u8>) {
        part.clear();
    }
    fn row(&self, buf: &mut Vec<u8>, r: &OutRow<'_>) -> bool {
        let d = self.delimiter;
        if self.all {
            for f in r.row.iter() {
                push_field(buf, f, d);
                buf.push(d);
            }
        } else {
            for &i in &self.keep {
                push_field(buf, r.row.get(i).unwrap_or(b""), d);
                buf.push(d);
            }
        }
        let _ = flat::walk(
            r.record,
            &mut CsvCells {
                out: buf,
                delimiter: d,
            },
        );
        buf.push(b'\n');
        true
    }
}

/// The JSON Lines rows of a sink, formatted on the workers.
#[derive(Debug, Clone)]
pub struct JsonlFormat {
    layout: std::sync::Arc<Layout>,
}

impl JsonlSink<'_> {
    /// A JSON Lines sink into `out`, its rows' `row` objects keyed by
    /// `layout`'s names.
    pub fn jsonl<'w>(out: &'w mut (dyn Write + Send), layout: &Layout) -> JsonlSink<'w> {
        Bytes {
            out,
            head: Vec::new(),
            fmt: JsonlFormat {
                layout: std::sync::Arc::new(layout.clone()),
            },
        }
    }
}

/// One JSON Lines line: the input row, then the detailed record.
#[derive(serde::Serialize)]
struct JsonLine<'a> {
    row: RowObject<'a>,
    #[serde(flatten)]
    detailed: Detailed<'a>,
}

struct RowObject<'a> {
    layout: &'a Layout,
    row: &'a Row,
}

impl serde::Serialize for RowObject<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.layout.names.len()))?;
        for (name, f) in self.layout.names.iter().zip(self.layout.fields(self.row)) {
            m.serialize_entry(name, &String::from_utf8_lossy(f))?;
        }
        m.end()
    }
}

impl RowFormat for JsonlFormat {
    type Part = Vec<u8>;
    fn spans(&self) -> bool {
        true
    }
    fn begin(&self, part: &mut Vec<u8>) {
        part.clear();
    }
    fn row(&self, buf: &mut Vec<u8>, r: &OutRow<'_>) -> bool {
        let line = JsonLine {
            row: RowObject {
                layout: &self.layout,
                row: r.row,
            },
            detailed: Detailed {
                record: r.record,
                pmpo_probs: Probs::of(&r.verdict.probs),
            },
        };
        let _ = serde_json::to_writer(&mut *buf, &line);
        buf.push(b'\n');
        true
    }
}

/// The market report's counts: every row is added, none is formatted.
#[derive(Debug)]
pub struct ReportSink {
    fmt: ReportFormat,
    total: ReportBuilder,
}

/// The report's half on the workers: which columns to group by.
#[derive(Debug, Clone)]
pub struct ReportFormat {
    names: Vec<String>,
    idx: Vec<usize>,
}

impl ReportSink {
    /// Counts grouped by the columns named `group_by` of `header`.
    pub fn new(group_by: &[String], header: &[String], path: &Path) -> Result<ReportSink> {
        let idx = group_by
            .iter()
            .map(|n| crate::input::column_index(header, n, path))
            .collect::<Result<Vec<usize>>>()?;
        Ok(ReportSink {
            fmt: ReportFormat {
                names: group_by.to_vec(),
                idx,
            },
            total: ReportBuilder::new(group_by.to_vec()),
        })
    }

    /// The counts so far.
    pub fn into_builder(self) -> ReportBuilder {
        self.total
    }
}

/// A block's counts, ready to be merged.
#[derive(Debug, Default)]
pub struct ReportPart(Option<ReportBuilder>);

impl RowFormat for ReportFormat {
    type Part = ReportPart;
    fn begin(&self, part: &mut ReportPart) {
        part.0 = Some(ReportBuilder::new(self.names.clone()));
    }
    fn row(&self, part: &mut ReportPart, r: &OutRow<'_>) -> bool {
        let values: Vec<std::borrow::Cow<'_, str>> = self
            .idx
            .iter()
            .map(|&i| String::from_utf8_lossy(r.row.get(i).unwrap_or(b"")))
            .collect();
        let values: Vec<&str> = values.iter().map(|v| v.as_ref()).collect();
        if let Some(b) = part.0.as_mut() {
            b.add(&values, r.record.pmpo_title_role, r.verdict);
        }
        true
    }
}

impl Sink for ReportSink {
    type Format = ReportFormat;
    fn format(&self) -> ReportFormat {
        self.fmt.clone()
    }
    fn write(&mut self, part: &mut ReportPart) -> Result<()> {
        if let Some(b) = part.0.take() {
            self.total.merge(b);
        }
        Ok(())
    }
    fn finish(&mut self) -> Result<()> {
        Ok(())
    }
}

/// The mismatched rows, most confident first (equal confidences in input
/// order). The rows are formatted as they come by the byte format `F` and
/// kept in a temporary file, with (confidence, offset, length) per row in
/// memory: 24 bytes a row, whatever the rows' size. The output is never
/// read back or parsed: the rows are copied out in order at the end.
pub struct AuditSink<'w, F> {
    inner: Bytes<'w, F>,
    spill: std::fs::File,
    at: u64,
    index: Vec<(f64, u64, u64)>,
}

impl<F> std::fmt::Debug for AuditSink<'_, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditSink")
            .field("rows", &self.index.len())
            .finish()
    }
}

impl<'w, F> AuditSink<'w, F> {
    /// An audit writing through `inner` (its header first).
    pub fn new(inner: Bytes<'w, F>) -> Result<AuditSink<'w, F>> {
        Ok(AuditSink {
            inner,
            spill: tempfile::tempfile().map_err(|e| Error::io("temporary file", e))?,
            at: 0,
            index: Vec::new(),
        })
    }
}

/// The audit's half on the workers: the inner format, mismatched rows only.
#[derive(Debug, Clone)]
pub struct AuditFormat<F>(F);

/// A block's mismatched rows: their bytes, and each one's confidence and
/// length.
#[derive(Debug, Default)]
pub struct AuditPart {
    bytes: Vec<u8>,
    rows: Vec<(f64, u64)>,
}

impl<F: RowFormat<Part = Vec<u8>>> RowFormat for AuditFormat<F> {
    type Part = AuditPart;
    fn spans(&self) -> bool {
        self.0.spans()
    }
    fn begin(&self, part: &mut AuditPart) {
        part.bytes.clear();
        part.rows.clear();
    }
    fn row(&self, part: &mut AuditPart, r: &OutRow<'_>) -> bool {
        if r.record.pmpo_mismatch.is_none() {
            return false;
        }
        let before = part.bytes.len();
        self.0.row(&mut part.bytes, r);
        part.rows
            .push((r.record.pmpo_confidence, (part.bytes.len() - before) as u64));
        true
    }
}

impl<F: RowFormat<Part = Vec<u8>> + Clone + Send> Sink for AuditSink<'_, F> {
    type Format = AuditFormat<F>;
    fn format(&self) -> AuditFormat<F> {
        AuditFormat(self.inner.fmt.clone())
    }
    fn write(&mut self, part: &mut AuditPart) -> Result<()> {
        self.spill
            .write_all(&part.bytes)
            .map_err(|e| Error::io("temporary file", e))?;
        for &(conf, len) in &part.rows {
            self.index.push((conf, self.at, len));
            self.at += len;
        }
        Ok(())
    }
    fn finish(&mut self) -> Result<()> {
        let tmp = |e| Error::io("temporary file", e);
        self.index
            .sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        self.spill.seek(SeekFrom::Start(0)).map_err(tmp)?;
        let mut buf = Vec::new();
        let mut spill = io::BufReader::new(&mut self.spill);
        let mut next = 0;
        for &(_, offset, len) in &self.index {
            if offset != next {
                spill.seek(SeekFrom::Start(offset)).map_err(tmp)?;
            }
            buf.resize(len as usize, 0);
            spill.read_exact(&mut buf).map_err(tmp)?;
            next = offset + len;
            self.inner.write(&mut buf)?;
        }
        self.inner.finish()
    }
}

/// The rejects file: a header on the first rejected row, then per row its
/// file, line, byte offset and reason, followed by the row's own fields.
pub struct RejectsSink<'w> {
    w: csv::Writer<&'w mut (dyn Write + Send)>,
    file: String,
    header: Vec<String>,
    started: bool,
}

impl std::fmt::Debug for RejectsSink<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RejectsSink")
            .field("file", &self.file)
            .finish()
    }
}

impl<'w> RejectsSink<'w> {
    /// Rejected rows of the input `path`, whose columns are `header`.
    pub fn new(w: &'w mut (dyn Write + Send), path: &Path, header: &[String]) -> RejectsSink<'w> {
        RejectsSink {
            w: csv::WriterBuilder::new().flexible(true).from_writer(w),
            file: path.display().to_string(),
            header: header.to_vec(),
            started: false,
        }
    }
}

/// A format that writes nothing: for sinks that take only rejected rows.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoRows;

impl RowFormat for NoRows {
    type Part = ();
    fn begin(&self, _: &mut ()) {}
    fn row(&self, _: &mut (), _: &OutRow<'_>) -> bool {
        false
    }
}

impl Sink for RejectsSink<'_> {
    type Format = NoRows;
    fn format(&self) -> NoRows {
        NoRows
    }
    fn write(&mut self, _: &mut ()) -> Result<()> {
        Ok(())
    }
    fn reject(&mut self, rej: &Rejected) -> Result<()> {
        let fail = |e: csv::Error| Error::io("the rejects file", io::Error::from(e));
        if !self.started {
            self.started = true;
            let mut head = vec!["pmpo_file", "pmpo_line", "pmpo_byte", "pmpo_reason"];
            head.extend(self.header.iter().map(String::as_str));
            self.w.write_record(&head).map_err(fail)?;
        }
        self.w.write_field(&self.file).map_err(fail)?;
        self.w.write_field(rej.line.to_string()).map_err(fail)?;
        self.w.write_field(rej.byte.to_string()).map_err(fail)?;
        self.w.write_field(&rej.reason).map_err(fail)?;
        for f in rej.row.iter() {
            self.w.write_field(f).map_err(fail)?;
        }
        self.w.write_record(None::<&[u8]>).map_err(fail)
    }
    fn finish(&mut self) -> Result<()> {
        self.w.flush().map_err(|e| Error::io("the rejects file", e))
    }
}

/// Appends one CSV field as the csv crate's writer does with its default
/// settings: in quotes, with quotes doubled, when it holds the delimiter,
/// a quote, a CR or a LF; as it is otherwise. (Its one other case, a
/// record of a single empty field, cannot occur: pmpo columns follow every
/// row.)
pub fn push_field(out: &mut Vec<u8>, field: &[u8], delimiter: u8) {
    let special = memchr::memchr3(delimiter, b'"', b'\n', field).is_some()
        || memchr::memchr(b'\r', field).is_some();
    if !special {
        out.extend_from_slice(field);
        return;
    }
    out.push(b'"');
    let mut rest = field;
    while let Some(i) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(rest.get(..=i).unwrap_or(&[]));
        out.push(b'"');
        rest = rest.get(i + 1..).unwrap_or(&[]);
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Formats a number rounded to three decimals, as its shortest round-trip
/// form (ryu's): `0.5`, `1.0`, `0.125`.
fn fmt3(buf: &mut ryu::Buffer, x: f64) -> &str {
    let r = (x * 1000.0).round() / 1000.0;
    buf.format(if r == 0.0 { 0.0 } else { r })
}

/// Appends [`fmt3`]'s text with integer arithmetic. The rounded number is
/// `n / 1000` for an integer `n`, and below 1e9 no shorter decimal lies
/// within half a unit in the last place of it, so its shortest form is
/// `n / 1000` written out with trailing zeros dropped (one kept after the
/// point).
pub fn push_fixed3(out: &mut Vec<u8>, x: f64) {
    let n = (x * 1000.0).round();
    if !n.is_finite() || n.abs() >= 1e12 {
        out.extend_from_slice(fmt3(&mut ryu::Buffer::new(), x).as_bytes());
        return;
    }
    let n = n as i64;
    if n < 0 {
        out.push(b'-');
    }
    let a = n.unsigned_abs();
    push_decimal(out, a / 1000);
    out.push(b'.');
    let frac = a % 1000;
    let three = [frac / 100, frac / 10 % 10, frac % 10];
    let keep = if three[2] != 0 {
        3
    } else if three[1] != 0 {
        2
    } else {
        1
    };
    for d in three.iter().take(keep) {
        out.push(b'0' + *d as u8);
    }
}

/// Appends an unsigned integer in decimal.
fn push_decimal(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(at..).unwrap_or(&[]));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Mismatch;
    use crate::io::record::Evidence;
    use crate::score::{Label, Verdict};
    use crate::title::TitleRole;

    fn row(fields: &[&str]) -> Row {
        let mut r = Row::default();
        for f in fields {
            r.push_field(f.as_bytes());
        }
        r
    }

    fn verdict(label: Label, confidence: f64) -> Verdict {
        Verdict {
            label,
            confidence,
            probs: [confidence, 1.0 - confidence, 0.0, 0.0],
            pm_share: 0.25,
            pm_evidence: 1.0,
            po_evidence: 3.0,
            other_evidence: 0.0,
        }
    }

    fn record(v: &Verdict, mismatch: Option<Mismatch>) -> Record<'static> {
        Record {
            pmpo_label: v.label,
            pmpo_confidence: v.confidence,
            pmpo_pm_share: v.pm_share,
            pmpo_pm_evidence: v.pm_evidence,
            pmpo_po_evidence: v.po_evidence,
            pmpo_title_role: TitleRole::Pm,
            pmpo_mismatch: mismatch,
            pmpo_reason: "title says PM; duties 75% PO",
            pmpo_evidence: Evidence::Cell("backlog (po 1.50, duties)"),
            pmpo_note: "",
            pmpo_lang: "en",
            pmpo_model: "abc",
        }
    }

    /// Feeds `rows` to `sink` as one block; returns whether each was written.
    fn feed<S: Sink>(sink: &mut S, rows: &[(Row, Verdict, Option<Mismatch>)]) -> Vec<bool> {
        let f = sink.format();
        let mut part = Default::default();
        f.begin(&mut part);
        let mut written = Vec::new();
        for (r, v, m) in rows {
            let rec = record(v, *m);
            written.push(f.row(
                &mut part,
                &OutRow {
                    row: r,
                    record: &rec,
                    verdict: v,
                },
            ));
        }
        sink.write(&mut part).unwrap();
        sink.finish().unwrap();
        written
    }

    fn header() -> Vec<String> {
        vec!["id".into(), "title".into(), "text".into()]
    }

    #[test]
    fn csv_sink_writes_the_kept_fields_then_the_record() {
        let layout = Layout::new(
            &header(),
            Some(&["id".into(), "text".into()]),
            Path::new("x"),
        )
        .unwrap();
        let mut out = Vec::new();
        let mut sink = CsvSink::csv(&mut out, &layout, 3, b';').unwrap();
        let v = verdict(Label::Po, 0.8);
        feed(
            &mut sink,
            &[(row(&["1", "PM", "a;b \"c\""]), v, Some(Mismatch::Opposite))],
        );
        let text = String::from_utf8(out).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next().unwrap(),
            "id;text;pmpo_label;pmpo_confidence;pmpo_pm_share;pmpo_pm_evidence;pmpo_po_evidence;pmpo_title_role;pmpo_mismatch;pmpo_reason;pmpo_evidence;pmpo_note;pmpo_lang;pmpo_model"
        );
        assert_eq!(
            lines.next().unwrap(),
            "1;\"a;b \"\"c\"\"\";po;0.8;0.25;1.0;3.0;pm;opposite;\"title says PM; duties 75% PO\";backlog (po 1.50, duties);;en;abc"
        );
        assert_eq!(lines.next(), None);
    }

    #[test]
    fn a_csv_sink_with_no_rows_writes_its_header() {
        let layout = Layout::new(&header(), None, Path::new("x")).unwrap();
        let mut out = Vec::new();
        let mut sink = CsvSink::csv(&mut out, &layout, 3, b',').unwrap();
        sink.finish().unwrap();
        assert!(String::from_utf8(out)
            .unwrap()
            .starts_with("id,title,text,pmpo_label,"));
    }

    #[test]
    fn jsonl_sink_keys_the_row_by_name() {
        let layout = Layout::new(&["a".into(), "a".into()], None, Path::new("x")).unwrap();
        let mut out = Vec::new();
        let mut sink = JsonlSink::jsonl(&mut out, &layout);
        let v = verdict(Label::Pm, 0.6);
        feed(&mut sink, &[(row(&["x", "y"]), v, None)]);
        let j: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(j["row"], serde_json::json!({"a": "x", "a_2": "y"}));
        assert_eq!(j["pmpo_label"], "pm");
        assert_eq!(j["pmpo_mismatch"], serde_json::Value::Null);
        assert_eq!(j["pmpo_probs"]["po"], 0.4);
    }

    #[test]
    fn audit_sink_keeps_mismatches_most_confident_first() {
        let layout = Layout::new(&header(), Some(&["id".into()]), Path::new("x")).unwrap();
        let mut out = Vec::new();
        let inner = CsvSink::csv(&mut out, &layout, 3, b',').unwrap();
        let mut sink = AuditSink::new(inner).unwrap();
        let rows = [
            (
                row(&["1", "", ""]),
                verdict(Label::Po, 0.7),
                Some(Mismatch::Opposite),
            ),
            (row(&["2", "", ""]), verdict(Label::Po, 0.9), None),
            (
                row(&["3", "", ""]),
                verdict(Label::Po, 0.9),
                Some(Mismatch::Opposite),
            ),
            (
                row(&["4", "", ""]),
                verdict(Label::Po, 0.7),
                Some(Mismatch::Hybrid),
            ),
        ];
        assert_eq!(feed(&mut sink, &rows), [true, false, true, true]);
        let text = String::from_utf8(out).unwrap();
        let ids: Vec<&str> = text.lines().skip(1).map(|l| &l[..1]).collect();
        assert_eq!(ids, ["3", "1", "4"]);
    }

    #[test]
    fn report_sink_counts_without_formatting() {
        let mut sink = ReportSink::new(&["title".into()], &header(), Path::new("x")).unwrap();
        let rows = [
            (row(&["1", "PM", ""]), verdict(Label::Po, 0.7), None),
            (row(&["2", "PM", ""]), verdict(Label::Pm, 0.9), None),
        ];
        feed(&mut sink, &rows);
        let b = sink.into_builder();
        assert_eq!(b.rows(), 2);
    }

    #[test]
    fn rejects_sink_writes_place_reason_and_fields() {
        let mut out = Vec::new();
        let mut sink = RejectsSink::new(&mut out, Path::new("in.csv"), &header());
        assert_eq!(
            feed(
                &mut sink,
                &[(row(&["1", "", ""]), verdict(Label::Po, 0.7), None)]
            ),
            [false]
        );
        sink.reject(&Rejected {
            row: row(&["9", "x"]),
            line: 4,
            byte: 120,
            reason: "the row has 2 fields, the header 3".into(),
        })
        .unwrap();
        sink.finish().unwrap();
        drop(sink);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "pmpo_file,pmpo_line,pmpo_byte,pmpo_reason,id,title,text\nin.csv,4,120,\"the row has 2 fields, the header 3\",9,x\n"
        );
    }

    #[test]
    fn parquet_and_arrow_sinks_write_typed_columns() {
        use crate::io::columnar::{Columnar, ColumnarSink};
        let layout = Layout::new(&header(), Some(&["id".into()]), Path::new("x")).unwrap();
        for kind in [Columnar::Parquet, Columnar::Arrow] {
            let mut out = Vec::new();
            {
                let mut sink = ColumnarSink::new(&mut out, &layout, kind, None).unwrap();
                let rows = [
                    (
                        row(&["1", "", ""]),
                        verdict(Label::Po, 0.7),
                        Some(Mismatch::Opposite),
                    ),
                    (row(&["2", "", ""]), verdict(Label::Pm, 0.9), None),
                ];
                feed(&mut sink, &rows);
            }
            let dir = tempfile::tempdir().unwrap();
            let p = dir.path().join("o");
            std::fs::write(&p, &out).unwrap();
            let f = std::fs::File::open(&p).unwrap();
            let batches: Vec<arrow_array::RecordBatch> = match kind {
                Columnar::Parquet => {
                    parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(f)
                        .unwrap()
                        .build()
                        .unwrap()
                        .map(|b| b.unwrap())
                        .collect()
                }
                Columnar::Arrow => arrow_ipc::reader::FileReader::try_new(f, None)
                    .unwrap()
                    .map(|b| b.unwrap())
                    .collect(),
            };
            let b = &batches[0];
            assert_eq!(b.num_rows(), 2);
            use arrow_array::cast::AsArray;
            use arrow_array::Array;
            let conf = b.column_by_name("pmpo_confidence").unwrap();
            assert_eq!(
                conf.as_primitive::<arrow_array::types::Float64Type>()
                    .value(1),
                0.9
            );
            let mm = b.column_by_name("pmpo_mismatch").unwrap();
            assert!(mm.is_valid(0) && mm.is_null(1));
            assert_eq!(b.column(0).as_string::<i32>().value(0), "1");
        }
    }

    #[test]
    fn repeated_column_names_are_numbered() {
        let h: Vec<String> = ["a", "b", "a", "a_2", "a"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(super::unique_names(&h), ["a", "b", "a_3", "a_2", "a_4"]);
    }

    proptest::proptest! {
        #[test]
        fn fields_are_written_as_the_csv_crate_writes_them(
            fields in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::prop_oneof![
                        proptest::strategy::Just(b'"'),
                        proptest::strategy::Just(b','),
                        proptest::strategy::Just(b'\n'),
                        proptest::strategy::Just(b'\r'),
                        proptest::strategy::Just(b';'),
                        proptest::strategy::Just(b' '),
                        proptest::strategy::Just(b'a'),
                        proptest::strategy::Just(0xc3u8),
                    ],
                    0..12,
                ),
                2..6,
            ),
        ) {
            let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
            w.write_record(&fields).unwrap();
            let want = w.into_inner().unwrap();
            let mut got = Vec::new();
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    got.push(b',');
                }
                super::push_field(&mut got, f, b',');
            }
            got.push(b'\n');
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn three_decimals_as_ryu_writes_them() {
        let check = |x: f64| {
            let mut got = Vec::new();
            super::push_fixed3(&mut got, x);
            let mut b = ryu::Buffer::new();
            let want = super::fmt3(&mut b, x);
            assert_eq!(String::from_utf8(got).unwrap(), want, "{x:e}");
        };
        for n in -300_000..300_000 {
            check(f64::from(n) / 1000.0);
            check(f64::from(n) / 997.0);
        }
        for x in [
            0.0,
            -0.0,
            0.0004,
            -0.0004,
            0.0005,
            123456.7895,
            1e9,
            1e15,
            f64::MAX,
            f64::NAN,
            f64::INFINITY,
        ] {
            check(x);
        }
    }
}
