//! Parquet and Arrow IPC: reading their rows, writing labelled rows.
//!
//! In (reading): an opened input recognised as Parquet or Arrow IPC (file
//! or stream). Out: its column names, and its rows in blocks of about a
//! block's bytes, every value as text (strings as they are, numbers and
//! booleans written out, nulls empty). Parquet is read a row group and a
//! batch at a time, decoding only the columns asked for
//! ([`crate::io::source::Source::select`]).
//!
//! In (writing): labelled rows. Out: a Parquet file or an Arrow IPC file
//! with the kept input columns and pmpo's columns, typed from
//! [`crate::io::record::columns`]: numbers as `float64`, names (label,
//! title role, mismatch) as dictionary strings, text as strings. Input
//! columns keep their type when the input is Parquet or Arrow too (the
//! block's arrays are passed through as they are); from CSV or JSON Lines
//! they are strings.
//!
//! Guarantees: memory is bounded by a batch and a row group (row groups are
//! closed at 32 MB), whatever the file's size; a file that cannot be read
//! is an error naming it, and a batch that cannot be read names its row
//! group and rows; the title and text columns must hold text.

use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use arrow_array::builder::{ArrayBuilder, Float64Builder, StringBuilder, StringDictionaryBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};

use crate::io::record::{columns, flat, Column, Kind};
use crate::io::sink::{Layout, OutRow, RowFormat, Sink};
use crate::io::source::{InBlock, InputFormat, Opened, SourceOptions};
use crate::split::Row;
use crate::{Error, ErrorKind, Result};

/// Bytes of encoded rows after which the Parquet writer closes a row group.
const ROW_GROUP_BYTES: usize = 32 << 20;
/// Rows per batch read from Parquet.
const READ_BATCH_ROWS: usize = 1024;

type Batches = Box<dyn Iterator<Item = std::result::Result<RecordBatch, ArrowError>> + Send>;

/// Where a columnar file's batches come from, before and after the
/// columns to read are chosen.
enum Reader {
    /// A Parquet file, its reader not built yet (the projection is chosen
    /// first).
    Parquet(
        Option<parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder<std::fs::File>>,
        Option<std::fs::File>,
    ),
    /// Batches being read.
    Open(Batches),
}

/// The rows of a Parquet or Arrow IPC file, in blocks.
pub struct BatchRows {
    path: PathBuf,
    schema: SchemaRef,
    reader: Reader,
    /// The header columns read (every one until [`BatchRows::select`]).
    wanted: Vec<bool>,
    /// A batch being cut into blocks, and the next row in it.
    pending: Option<(RecordBatch, usize)>,
    /// Rows handed out so far.
    rows: u64,
    /// Rows per Parquet row group, to name the one an error is in.
    row_groups: Vec<u64>,
    /// The file's size and total rows, for progress.
    size: u64,
    total_rows: u64,
    raw_bytes: Arc<std::sync::atomic::AtomicU64>,
}

impl std::fmt::Debug for BatchRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchRows")
            .field("path", &self.path)
            .finish()
    }
}

fn unreadable(path: &Path, what: &str, e: impl std::fmt::Display) -> Error {
    Error::config(format!(
        "{}: not a readable {what} file: {e}",
        path.display()
    ))
}

/// A file to read with seeks: the input itself when it is a plain file,
/// else a temporary copy of its decompressed bytes.
fn seekable(mut inp: Opened) -> Result<std::fs::File> {
    if !inp.streamed {
        return std::fs::File::open(&inp.path).map_err(|e| Error::io(&inp.path, e));
    }
    let mut tmp = tempfile::tempfile().map_err(|e| Error::io("temporary file", e))?;
    std::io::copy(&mut inp.reader, &mut tmp).map_err(|e| Error::io(&inp.path, e))?;
    tmp.rewind().map_err(|e| Error::io("temporary file", e))?;
    Ok(tmp)
}

/// Opens a Parquet or Arrow IPC input: its column names and its rows.
pub fn open(
    inp: Opened,
    format: InputFormat,
    opts: &SourceOptions,
) -> Result<(Vec<String>, BatchRows)> {
    let path = inp.path.clone();
    let raw_bytes = inp.raw_bytes.clone();
    let (schema, reader, row_groups, total_rows, size) = match format {
        InputFormat::Parquet => {
            let file = seekable(inp)?;
            let again = file.try_clone().ok();
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            let b = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
                .map_err(|e| unreadable(&path, "Parquet", e))?;
            let groups: Vec<u64> = b
                .metadata()
                .row_groups()
                .iter()
                .map(|g| g.num_rows().max(0) as u64)
                .collect();
            let total = groups.iter().sum();
            (
                b.schema().clone(),
                Reader::Parquet(Some(b), again),
                groups,
                total,
                size,
            )
        }
        _ => {
            let mut r = inp.reader;
            let head = std::io::BufRead::fill_buf(&mut r).map_err(|e| Error::io(&path, e))?;
            if head.starts_with(b"ARROW1") {
                let file = seekable(Opened {
                    path: path.clone(),
                    reader: r,
                    raw_bytes: raw_bytes.clone(),
                    streamed: inp.streamed,
                    live: inp.live,
                })?;
                let size = file.metadata().map(|m| m.len()).unwrap_or(0);
                let f = arrow_ipc::reader::FileReader::try_new_buffered(file, None)
                    .map_err(|e| unreadable(&path, "Arrow IPC", e))?;
                let total = 0;
                (
                    f.schema(),
                    Reader::Open(Box::new(f)),
                    Vec::new(),
                    total,
                    size,
                )
            } else {
                let s = arrow_ipc::reader::StreamReader::try_new(r, None)
                    .map_err(|e| unreadable(&path, "Arrow IPC", e))?;
                (s.schema(), Reader::Open(Box::new(s)), Vec::new(), 0, 0)
            }
        }
    };
    let header: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let mut rows = BatchRows {
        path,
        wanted: vec![true; header.len()],
        schema,
        reader,
        pending: None,
        rows: 0,
        row_groups,
        size,
        total_rows,
        raw_bytes,
    };
    if let Some(cols) = &opts.columns {
        rows.select(cols, &[])?;
    }
    Ok((header, rows))
}

/// Whether a column of this type can be read as posting text.
fn is_text(t: &DataType) -> bool {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, v) => is_text(v),
        _ => false,
    }
}

impl BatchRows {
    /// The file's schema: every column with its type.
    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    /// Reads only the header columns `columns`; the `text` ones (title and
    /// text) must hold strings.
    pub fn select(&mut self, columns: &[usize], text: &[usize]) -> Result<()> {
        for &i in text {
            if let Some(f) = self.schema.fields().get(i) {
                if !is_text(f.data_type()) {
                    return Err(Error::new(ErrorKind::Csv {
                        path: self.path.clone(),
                        line: None,
                        byte: None,
                        message: format!(
                            "column {:?} holds {}, not text: pmpo reads the title and text from string columns (see --title-col, --text-col)",
                            f.name(),
                            f.data_type()
                        ),
                    }));
                }
            }
        }
        for &i in columns {
            if let Some(f) = self.schema.fields().get(i) {
                if !supported(f.data_type()) {
                    return Err(Error::config(format!(
                        "{}: column {:?} holds {}, which pmpo cannot write as text; leave it out with --keep",
                        self.path.display(),
                        f.name(),
                        f.data_type()
                    )));
                }
            }
        }
        self.wanted = (0..self.schema.fields().len())
            .map(|i| columns.contains(&i))
            .collect();
        if let Reader::Parquet(b, file) = &mut self.reader {
            // Strings are read as views into the decoded pages, which
            // saves copying every value once; the original reader is kept
            // for a file whose columns cannot be read so.
            let views = file.take().and_then(|f| {
                let schema = Schema::new(
                    self.schema
                        .fields()
                        .iter()
                        .map(|f| match f.data_type() {
                            DataType::Utf8 | DataType::LargeUtf8 => {
                                f.as_ref().clone().with_data_type(DataType::Utf8View)
                            }
                            _ => f.as_ref().clone(),
                        })
                        .collect::<Vec<Field>>(),
                );
                let opts = parquet::arrow::arrow_reader::ArrowReaderOptions::new()
                    .with_schema(Arc::new(schema));
                parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new_with_options(
                    f, opts,
                )
                .ok()
            });
            if let Some(b) = views.or_else(|| b.take()) {
                let mask =
                    parquet::arrow::ProjectionMask::roots(b.parquet_schema(), columns.to_vec());
                let r = b
                    .with_projection(mask)
                    .with_batch_size(READ_BATCH_ROWS)
                    .build()
                    .map_err(|e| unreadable(&self.path, "Parquet", e))?;
                self.reader = Reader::Open(Box::new(r));
            }
        }
        Ok(())
    }

    /// The projected batch's column for each header column, if read.
    fn batch_columns(&self, batch: &RecordBatch) -> Vec<Option<ArrayRef>> {
        let bs = batch.schema();
        self.schema
            .fields()
            .iter()
            .enumerate()
            .map(|(i, f)| {
                if !self.wanted.get(i).copied().unwrap_or(false) {
                    return None;
                }
                bs.index_of(f.name()).ok().map(|j| batch.column(j).clone())
            })
            .collect()
    }

    /// Where row `row` (from 0) is, in words: its row group in Parquet.
    fn place(&self, row: u64) -> String {
        let mut first = 0;
        for (g, n) in self.row_groups.iter().enumerate() {
            if row < first + n {
                return format!("row group {} (rows {}-{})", g + 1, first + 1, first + n);
            }
            first += n;
        }
        format!("the batch after row {row}")
    }

    /// The next block of about `target` bytes of rows: a slice of a batch
    /// (no copy); the workers turn it into rows ([`fill_rows`]).
    pub fn next_block(&mut self, target: usize) -> Result<Option<InBlock>> {
        if let Reader::Parquet(..) = self.reader {
            let all: Vec<usize> = (0..self.schema.fields().len()).collect();
            self.select(&all, &[])?;
        }
        let (batch, at) = loop {
            match self.pending.take() {
                Some(p) => break p,
                None => {
                    let Reader::Open(it) = &mut self.reader else {
                        return Ok(None);
                    };
                    match it.next() {
                        None => {
                            self.raw_bytes.store(self.size, Ordering::Relaxed);
                            return Ok(None);
                        }
                        Some(Ok(b)) if b.num_rows() == 0 => continue,
                        Some(Ok(b)) => break (b, 0),
                        Some(Err(e)) => {
                            return Err(Error::config(format!(
                                "{}: {}: cannot be read: {e}",
                                self.path.display(),
                                self.place(self.rows)
                            )))
                        }
                    }
                }
            }
        };
        // As many rows as make about `target` bytes, from the batch's
        // average row size: the cut depends on the data only.
        let n_rows = batch.num_rows();
        let per_row = (batch.get_array_memory_size() / n_rows.max(1)).max(1);
        let take = (target / per_row).clamp(1, n_rows - at);
        let cols = self.batch_columns(&batch);
        let columns = cols
            .into_iter()
            .map(|c| c.map(|a| a.slice(at, take)))
            .collect();
        let first = self.rows + 1;
        self.rows += take as u64;
        if at + take < n_rows {
            self.pending = Some((batch, at + take));
        }
        if self.total_rows > 0 {
            let done = (self.size as f64 * self.rows as f64 / self.total_rows as f64) as u64;
            self.raw_bytes.store(done, Ordering::Relaxed);
        }
        Ok(Some(InBlock::Batch(BatchBlock {
            columns,
            n_rows: take,
            first,
        })))
    }
}

/// A slice of a batch: the rows of one block, not yet turned into rows.
#[derive(Debug, Clone)]
pub struct BatchBlock {
    /// Per header column, its values, when the column is read.
    columns: Vec<Option<ArrayRef>>,
    /// The rows in the slice.
    n_rows: usize,
    /// The number of the first row (from 1).
    pub first: u64,
}

/// Turns a batch slice into `rows` (reusing them), every header column in
/// each (a column not read is empty); returns the number of rows.
pub fn fill_rows(b: &BatchBlock, rows: &mut Vec<Row>) -> usize {
    let mut scratch = String::new();
    let views: Vec<Option<View<'_>>> = b.columns.iter().map(|c| c.as_ref().map(View::of)).collect();
    for i in 0..b.n_rows {
        if rows.len() <= i {
            rows.push(Row::default());
        }
        let Some(row) = rows.get_mut(i) else { break };
        row.clear();
        for v in &views {
            match v {
                Some(View::Utf8(a)) if a.is_valid(i) => row.push_field(a.value(i).as_bytes()),
                Some(View::LargeUtf8(a)) if a.is_valid(i) => row.push_field(a.value(i).as_bytes()),
                Some(View::Views(a)) if a.is_valid(i) => row.push_field(a.value(i).as_bytes()),
                Some(View::Other(a)) => {
                    // The types were checked when the columns were chosen.
                    let _ = text_of(a, i, &mut scratch);
                    row.push_field(scratch.as_bytes());
                }
                _ => row.push_field(b""),
            }
        }
    }
    b.n_rows
}

/// A column, downcast once per block.
enum View<'a> {
    Utf8(&'a arrow_array::StringArray),
    LargeUtf8(&'a arrow_array::LargeStringArray),
    Views(&'a arrow_array::StringViewArray),
    Other(&'a ArrayRef),
}

impl<'a> View<'a> {
    fn of(a: &'a ArrayRef) -> View<'a> {
        match a.data_type() {
            DataType::Utf8 => View::Utf8(a.as_string::<i32>()),
            DataType::LargeUtf8 => View::LargeUtf8(a.as_string::<i64>()),
            DataType::Utf8View => View::Views(a.as_string_view()),
            _ => View::Other(a),
        }
    }
}

/// Whether pmpo can write values of this type as text.
fn supported(t: &DataType) -> bool {
    match t {
        DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Binary
        | DataType::LargeBinary
        | DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Float32
        | DataType::Float64
        | DataType::Date32
        | DataType::Null => true,
        DataType::Dictionary(k, v) => k.is_integer() && supported(v),
        _ => false,
    }
}

/// Value `i` of `a` as text into `out` (cleared first); an unsupported
/// type gives its name.
fn text_of(a: &ArrayRef, i: usize, out: &mut String) -> std::result::Result<(), String> {
    use std::fmt::Write as _;
    out.clear();
    if a.is_null(i) {
        return Ok(());
    }
    macro_rules! num {
        ($t:ty) => {{
            let _ = write!(out, "{}", a.as_primitive::<$t>().value(i));
        }};
    }
    match a.data_type() {
        DataType::Utf8 => out.push_str(a.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => out.push_str(a.as_string::<i64>().value(i)),
        DataType::Utf8View => out.push_str(a.as_string_view().value(i)),
        DataType::Binary => out.push_str(&String::from_utf8_lossy(a.as_binary::<i32>().value(i))),
        DataType::LargeBinary => {
            out.push_str(&String::from_utf8_lossy(a.as_binary::<i64>().value(i)))
        }
        DataType::Null => {}
        DataType::Boolean => out.push_str(if a.as_boolean().value(i) {
            "true"
        } else {
            "false"
        }),
        DataType::Int8 => num!(Int8Type),
        DataType::Int16 => num!(Int16Type),
        DataType::Int32 => num!(Int32Type),
        DataType::Int64 => num!(Int64Type),
        DataType::UInt8 => num!(UInt8Type),
        DataType::UInt16 => num!(UInt16Type),
        DataType::UInt32 => num!(UInt32Type),
        DataType::UInt64 => num!(UInt64Type),
        DataType::Float32 => num!(Float32Type),
        DataType::Float64 => num!(Float64Type),
        DataType::Date32 => {
            let (y, m, d) = civil(i64::from(a.as_primitive::<Date32Type>().value(i)));
            let _ = write!(out, "{y:04}-{m:02}-{d:02}");
        }
        DataType::Dictionary(k, _) => {
            macro_rules! dict {
                ($t:ty) => {{
                    let d = a.as_dictionary::<$t>();
                    let key = d.keys().value(i);
                    let idx = usize::try_from(key)
                        .map_err(|_| "a negative dictionary key".to_string())?;
                    return text_of(d.values(), idx, out);
                }};
            }
            match k.as_ref() {
                DataType::Int8 => dict!(Int8Type),
                DataType::Int16 => dict!(Int16Type),
                DataType::Int32 => dict!(Int32Type),
                DataType::Int64 => dict!(Int64Type),
                DataType::UInt8 => dict!(UInt8Type),
                DataType::UInt16 => dict!(UInt16Type),
                DataType::UInt32 => dict!(UInt32Type),
                DataType::UInt64 => dict!(UInt64Type),
                t => return Err(format!("dictionary keys of {t}")),
            }
        }
        t => return Err(t.to_string()),
    }
    Ok(())
}

/// The civil date (year, month, day) of a day count since 1970-01-01.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The Arrow schema of labelled rows: the kept input columns (their types
/// in `input`, a columnar input's schema; else strings), then pmpo's,
/// typed. An input column named like one of pmpo's (in a file pmpo
/// labelled before) is renamed as a repeated name is, `pmpo_label_2`, so
/// that every field has its own name.
pub fn output_schema(layout: &Layout, input: Option<&Schema>) -> Schema {
    let ours = columns();
    let mut taken: std::collections::HashSet<String> =
        ours.iter().map(|c| c.name.to_string()).collect();
    taken.extend(layout.names.iter().cloned());
    let mut fields: Vec<Field> = layout
        .names
        .iter()
        .zip(&layout.keep)
        .map(|(n, &i)| {
            let mut name = n.clone();
            if ours.iter().any(|c| c.name == n) {
                let mut k = 2;
                while taken.contains(&name) {
                    name = format!("{n}_{k}");
                    k += 1;
                }
                taken.insert(name.clone());
            }
            match input.and_then(|s| s.fields().get(i)) {
                Some(f) => Field::new(name, f.data_type().clone(), true),
                None => Field::new(name, DataType::Utf8, false),
            }
        })
        .collect();
    for c in columns() {
        let t = match c.kind {
            Kind::Str => DataType::Utf8,
            Kind::Float => DataType::Float64,
            Kind::Name(_) => {
                DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
            }
        };
        fields.push(Field::new(c.name, t, c.nullable));
    }
    Schema::new(fields)
}

/// One column being built.
enum Builder {
    Str(StringBuilder),
    Float(Float64Builder),
    Name(StringDictionaryBuilder<Int32Type>),
}

impl Builder {
    fn of(kind: Kind) -> Builder {
        match kind {
            Kind::Str => Builder::Str(StringBuilder::new()),
            Kind::Float => Builder::Float(Float64Builder::new()),
            Kind::Name(_) => Builder::Name(StringDictionaryBuilder::new()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Builder::Str(b) => b.len(),
            Builder::Float(b) => b.len(),
            Builder::Name(b) => b.len(),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Str(b) => Arc::new(b.finish()),
            Builder::Float(b) => Arc::new(b.finish()),
            Builder::Name(b) => Arc::new(b.finish()),
        }
    }
}

/// A block's rows, column by column.
#[derive(Default)]
pub struct ColumnarPart {
    /// pmpo's columns, and the kept input columns when they are built
    /// from text.
    cols: Vec<Builder>,
    /// The kept input columns, passed through from a columnar block.
    input: Vec<ArrayRef>,
}

impl std::fmt::Debug for ColumnarPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ColumnarPart")
            .field("columns", &self.cols.len())
            .finish()
    }
}

/// The columnar sinks' half on the workers.
#[derive(Debug, Clone)]
pub struct ColumnarFormat {
    keep: Vec<usize>,
    pmpo: Vec<Column>,
    /// The kept columns' types when the input is columnar (passed through);
    /// `None` builds them as strings.
    typed: Option<Vec<DataType>>,
}

struct Cells<'b> {
    cols: &'b mut [Builder],
}

impl flat::Visit for Cells<'_> {
    fn cell(&mut self, index: usize, _name: &'static str, cell: flat::Cell<'_>, _nullable: bool) {
        match (self.cols.get_mut(index), cell) {
            (Some(Builder::Str(b)), flat::Cell::Str(s)) => b.append_value(s),
            (Some(Builder::Float(b)), flat::Cell::Float(x)) => b.append_value(x),
            (Some(Builder::Name(b)), flat::Cell::Name(_, s)) => b.append_value(s),
            (Some(Builder::Str(b)), _) => b.append_null(),
            (Some(Builder::Float(b)), _) => b.append_null(),
            (Some(Builder::Name(b)), _) => b.append_null(),
            (None, _) => {}
        }
    }
}

impl ColumnarFormat {
    /// The kept input columns built from text (none when they are passed
    /// through).
    fn text_columns(&self) -> usize {
        if self.typed.is_some() {
            0
        } else {
            self.keep.len()
        }
    }
}

impl RowFormat for ColumnarFormat {
    type Part = ColumnarPart;
    fn begin(&self, part: &mut ColumnarPart) {
        if part.cols.is_empty() {
            part.cols = (0..self.text_columns())
                .map(|_| Builder::Str(StringBuilder::new()))
                .chain(self.pmpo.iter().map(|c| Builder::of(c.kind)))
                .collect();
        }
        part.input.clear();
    }
    fn batch(&self, part: &mut ColumnarPart, block: &BatchBlock) {
        let Some(types) = &self.typed else { return };
        part.input = self
            .keep
            .iter()
            .zip(types)
            .map(
                |(&i, t)| match block.columns.get(i).and_then(Option::as_ref) {
                    Some(a) => unview(a, t),
                    None => arrow_array::new_null_array(t, block.n_rows),
                },
            )
            .collect();
    }
    fn row(&self, part: &mut ColumnarPart, r: &OutRow<'_>) -> bool {
        let n = self.text_columns();
        for (b, &i) in part.cols.iter_mut().zip(&self.keep).take(n) {
            if let Builder::Str(b) = b {
                b.append_value(String::from_utf8_lossy(r.row.get(i).unwrap_or(b"")));
            }
        }
        let rest = part.cols.get_mut(n..).unwrap_or(&mut []);
        let _ = flat::walk(r.record, &mut Cells { cols: rest });
        true
    }
}

/// `a` as type `t`: string views (how Parquet strings are read) become the
/// input's own string type again; other arrays are already `t`.
fn unview(a: &ArrayRef, t: &DataType) -> ArrayRef {
    match (a.data_type(), t) {
        (DataType::Utf8View, DataType::Utf8) => Arc::new(
            a.as_string_view()
                .iter()
                .collect::<arrow_array::StringArray>(),
        ),
        (DataType::Utf8View, DataType::LargeUtf8) => Arc::new(
            a.as_string_view()
                .iter()
                .collect::<arrow_array::LargeStringArray>(),
        ),
        _ => a.clone(),
    }
}

fn arrow_err(e: impl std::fmt::Display) -> Error {
    Error::io("output", std::io::Error::other(e.to_string()))
}

/// Which columnar file a [`ColumnarSink`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columnar {
    /// Parquet, compressed with Snappy.
    Parquet,
    /// Arrow IPC file (Feather v2).
    Arrow,
}

enum Writer<'w> {
    Parquet(parquet::arrow::ArrowWriter<&'w mut (dyn Write + Send)>),
    Arrow(arrow_ipc::writer::FileWriter<&'w mut (dyn Write + Send)>),
    Done,
}

/// Labelled rows into a Parquet or Arrow IPC file.
pub struct ColumnarSink<'w> {
    fmt: ColumnarFormat,
    schema: SchemaRef,
    writer: Writer<'w>,
}

impl std::fmt::Debug for ColumnarSink<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ColumnarSink").finish()
    }
}

impl<'w> ColumnarSink<'w> {
    /// A sink writing `kind` into `out`, with the kept columns of `layout`;
    /// `input` is a columnar input's schema, whose kept columns are then
    /// passed through with their types.
    pub fn new(
        out: &'w mut (dyn Write + Send),
        layout: &Layout,
        kind: Columnar,
        input: Option<&Schema>,
    ) -> Result<ColumnarSink<'w>> {
        let schema = Arc::new(output_schema(layout, input));
        let writer = match kind {
            Columnar::Parquet => {
                let props = parquet::file::properties::WriterProperties::builder()
                    .set_compression(parquet::basic::Compression::SNAPPY)
                    .build();
                Writer::Parquet(
                    parquet::arrow::ArrowWriter::try_new(out, schema.clone(), Some(props))
                        .map_err(arrow_err)?,
                )
            }
            Columnar::Arrow => Writer::Arrow(
                arrow_ipc::writer::FileWriter::try_new(out, &schema).map_err(arrow_err)?,
            ),
        };
        Ok(ColumnarSink {
            fmt: ColumnarFormat {
                keep: layout.keep.clone(),
                pmpo: columns(),
                typed: input.map(|_| {
                    let n = layout.keep.len();
                    schema
                        .fields()
                        .iter()
                        .take(n)
                        .map(|f| f.data_type().clone())
                        .collect()
                }),
            },
            schema,
            writer,
        })
    }
}

impl Sink for ColumnarSink<'_> {
    type Format = ColumnarFormat;
    fn format(&self) -> ColumnarFormat {
        self.fmt.clone()
    }
    fn write(&mut self, part: &mut ColumnarPart) -> Result<()> {
        if part.cols.is_empty() {
            return Ok(());
        }
        let want_input = self.fmt.keep.len() - self.fmt.text_columns();
        let rows = part.cols.last().map_or(0, Builder::len);
        if part.input.len() != want_input || part.input.iter().any(|a| a.len() != rows) {
            return Err(Error::config(
                "internal error: a block's input columns and labelled rows differ in length",
            ));
        }
        let arrays: Vec<ArrayRef> = std::mem::take(&mut part.input)
            .into_iter()
            .chain(part.cols.iter_mut().map(Builder::finish))
            .collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays).map_err(arrow_err)?;
        if batch.num_rows() == 0 {
            return Ok(());
        }
        match &mut self.writer {
            Writer::Parquet(w) => {
                w.write(&batch).map_err(arrow_err)?;
                if w.in_progress_size() > ROW_GROUP_BYTES {
                    w.flush().map_err(arrow_err)?;
                }
            }
            Writer::Arrow(w) => w.write(&batch).map_err(arrow_err)?,
            Writer::Done => {}
        }
        Ok(())
    }
    fn finish(&mut self) -> Result<()> {
        match std::mem::replace(&mut self.writer, Writer::Done) {
            Writer::Parquet(w) => {
                let out = w.into_inner().map_err(arrow_err)?;
                out.flush().map_err(|e| Error::io("output", e))
            }
            Writer::Arrow(mut w) => {
                w.finish().map_err(arrow_err)?;
                let out = w.get_mut();
                out.flush().map_err(|e| Error::io("output", e))
            }
            Writer::Done => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(19_723), (2024, 1, 1));
        assert_eq!(civil(-1), (1969, 12, 31));
        assert_eq!(civil(11_016), (2000, 2, 29));
    }

    #[test]
    fn the_output_schema_types_pmpo_columns() {
        let layout = Layout {
            header: vec!["id".into()],
            names: vec!["id".into()],
            keep: vec![0],
        };
        let s = output_schema(&layout, None);
        assert_eq!(s.field(0).data_type(), &DataType::Utf8);
        let f = |n: &str| s.field_with_name(n).unwrap().data_type().clone();
        assert_eq!(f("pmpo_confidence"), DataType::Float64);
        assert!(matches!(f("pmpo_label"), DataType::Dictionary(_, _)));
        assert!(s.field_with_name("pmpo_mismatch").unwrap().is_nullable());
        assert_eq!(f("pmpo_reason"), DataType::Utf8);
        // Relabelling pmpo's own output: every field keeps its own name.
        let header: Vec<String> = ["pmpo_label", "pmpo_label_2", "id"]
            .map(String::from)
            .to_vec();
        let layout = Layout::new(&header, None, std::path::Path::new("x")).unwrap();
        let s = output_schema(&layout, None);
        let names: Vec<&str> = s.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(
            &names[..4],
            ["pmpo_label_3", "pmpo_label_2", "id", "pmpo_label"]
        );
        let unique: std::collections::HashSet<&&str> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
    }
}
