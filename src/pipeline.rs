//! The streaming run: an export in, every row labelled out, in order.
//!
//! A reader thread reads the input and cuts it into blocks of whole records
//! of a few hundred kilobytes ([`crate::split`]: it finds record ends
//! without parsing fields) and sends them through a bounded channel; the
//! calling thread queues each block on a rayon pool, where a worker parses
//! its records, sets the unreadable ones aside and labels and formats the
//! rest into a byte buffer; the calling thread collects the blocks in input
//! order (the next ones are queued before the oldest is collected, so the
//! workers never idle), writes their rejected rows and hands their buffers
//! to a writer thread. With N workers, N cores do nearly all the work.
//!
//! Guarantees:
//! - every input record yields exactly one output row, in input order, or
//!   (a record that cannot be read) one row of the rejects sink;
//! - memory is bounded by the channel capacities and the blocks queued on
//!   the pool, times the block size, whatever the input's size (a single
//!   record larger than that is held whole);
//! - the output bytes are the same for any number of threads (the cutting
//!   does not depend on it, and no result depends on another row).

use std::collections::VecDeque;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Mutex;
use std::time::Instant;

use crossbeam_channel::{bounded, Receiver, Sender};
use serde_json::json;

use crate::engine::{Labelled, Labeller};
use crate::input::{column_index, open, Columns};
use crate::model::Model;
use crate::report::ReportBuilder;
use crate::score::Label;
use crate::split::{Block, Blocks, Row, RowReader};
use crate::{Error, ErrorKind, Result};

/// The columns pmpo appends to every row, in order.
pub const OUTPUT_COLUMNS: &[&str] = &[
    "pmpo_label",
    "pmpo_confidence",
    "pmpo_pm_share",
    "pmpo_pm_evidence",
    "pmpo_po_evidence",
    "pmpo_title_role",
    "pmpo_mismatch",
    "pmpo_reason",
    "pmpo_evidence",
    "pmpo_note",
    "pmpo_lang",
    "pmpo_model",
];

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// The input's columns, then the `pmpo_*` columns.
    #[default]
    Csv,
    /// One JSON object per row, with evidence spans.
    Jsonl,
}

/// Options of a labelling run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The title column, when not found by name.
    pub title_col: Option<String>,
    /// The text columns, when not found by name.
    pub text_cols: Vec<String>,
    /// Output format.
    pub format: Format,
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Confidence a verdict needs before a title is called mismatched.
    pub mismatch_confidence: f64,
    /// Write only the rows whose title and duties disagree.
    pub only_mismatches: bool,
    /// Input field delimiter; `None` detects it from the header line
    /// (comma, semicolon, tab or pipe).
    pub delimiter: Option<u8>,
    /// Tokenize with the Hugging Face tokenizer instead of the fast path
    /// (same output, for benchmarks and checks).
    pub reference_tokenizer: bool,
    /// Also aggregate a market report, grouped by these columns.
    pub report: Option<Vec<String>>,
    /// Stop at the first row that cannot be read (see [`run`]) or has
    /// invalid UTF-8 in its title or text, instead of rejecting or noting it.
    pub strict: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            title_col: None,
            text_cols: Vec::new(),
            format: Format::Csv,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            mismatch_confidence: DEFAULT_MISMATCH_CONFIDENCE,
            only_mismatches: false,
            delimiter: None,
            reference_tokenizer: false,
            report: None,
            strict: false,
        }
    }
}

/// The default confidence a verdict needs to call a title mismatched.
pub const DEFAULT_MISMATCH_CONFIDENCE: f64 = 0.6;

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Data rows read.
    pub rows: u64,
    /// Rows written.
    pub written: u64,
    /// Rows that could not be read, sent to the rejects sink instead.
    pub rejected: u64,
    /// Rows per label, in [`Label::ALL`] order.
    pub labels: [u64; 4],
    /// Rows whose title and duties disagree.
    pub mismatches: u64,
    /// Rows whose text was cut at the length limit.
    pub truncated: u64,
    /// Written rows with a note (invalid UTF-8, cut text, uncovered
    /// language).
    pub flagged: u64,
    /// Raw input bytes read.
    pub bytes: u64,
    /// Wall time, in seconds.
    pub seconds: f64,
    /// The market report's sums, when one was asked for.
    pub report: Option<ReportBuilder>,
}

impl Summary {
    /// One line for people: rows, labels, speed.
    pub fn line(&self) -> String {
        format!(
            "{} rows in, {} written, {} rejected: pm {}, po {}, hybrid {}, none {}; {} mismatched titles; {} with a note (see pmpo_note), {} of them cut at 1 MiB; {:.2} s, {:.1} MB/s",
            self.rows,
            self.written,
            self.rejected,
            self.labels[0],
            self.labels[1],
            self.labels[2],
            self.labels[3],
            self.mismatches,
            self.flagged,
            self.truncated,
            self.seconds,
            self.bytes as f64 / 1e6 / self.seconds.max(1e-9)
        )
    }
}

/// Target bytes of a block of records, the unit of parallel work; fixed so
/// that output never depends on the number of threads.
const BLOCK_BYTES: usize = 256 << 10;
/// Blocks in flight between the reader and the workers.
const CHANNEL_BLOCKS: usize = 8;
/// Blocks queued on the worker pool per worker thread, beyond the one
/// being collected.
const BLOCKS_PER_WORKER: usize = 4;

/// Progress callback: raw bytes read and rows labelled so far.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// Labels the rows of `input` (a path, or `-`) into `out`.
///
/// A row that cannot be read is not labelled: it goes to `rejects` (a CSV
/// with the file, line, byte offset and reason, then the row's fields) and
/// is counted in [`Summary::rejected`], so that rows in = rows written +
/// rows rejected. Such a row has a field count unlike the header's (its
/// columns cannot be told apart; often a quote that is not closed has run
/// it over several lines), or is the last row and holds a quote that is
/// never closed. With `rejects` absent they are only counted; with
/// [`Options::strict`] the first one is an error.
///
/// The reader thread only reads and cuts the input into blocks of whole
/// records ([`crate::split`]); the workers parse, check, label and format
/// each block; the calling thread collects the blocks in input order,
/// writes their rejected rows and hands their output to a writer thread.
pub fn run(
    model: &Model,
    input: &Path,
    out: &mut (dyn Write + Send),
    rejects: Option<&mut (dyn Write + Send)>,
    opts: &Options,
    progress: Option<Progress<'_>>,
) -> Result<Summary> {
    let started = Instant::now();
    let inp = open(input)?;
    let raw_bytes = inp.raw_bytes.clone();
    let path: PathBuf = inp.path.clone();
    let mut blocks = Blocks::new(inp.reader, b',');
    let delimiter = match opts.delimiter {
        Some(d) => d,
        None => sniff_delimiter(blocks.peek(1 << 16).map_err(|e| Error::io(&path, e))?),
    };
    if matches!(delimiter, b'"' | b'\n' | b'\r') {
        return Err(Error::config(format!(
            "the delimiter cannot be {:?}",
            char::from(delimiter)
        )));
    }
    blocks.set_delimiter(delimiter);
    let header = read_header(&mut blocks, delimiter, &path)?;
    let cols = Columns::pick(&header, opts.title_col.as_deref(), &opts.text_cols, &path)?;
    // JSON Lines rows are objects keyed by column name: a repeated name gets
    // a number, so no field is lost.
    let keys = unique_names(&header);
    let threads = opts.threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::config(format!("cannot start worker threads: {e}")))?;
    let workers: Vec<Mutex<Worker>> = (0..threads)
        .map(|_| {
            let lab = if opts.reference_tokenizer {
                Labeller::with_reference_tokenizer(model)?
            } else {
                Labeller::new()
            };
            Ok(Mutex::new(Worker {
                lab,
                records: Vec::new(),
            }))
        })
        .collect::<Result<_>>()?;
    let groups = match &opts.report {
        Some(names) => Some(
            names
                .iter()
                .map(|n| column_index(&header, n, &path))
                .collect::<Result<Vec<usize>>>()
                .map(|idx| (names.clone(), idx))?,
        ),
        None => None,
    };
    let strict_cols: Vec<usize> = cols
        .title
        .into_iter()
        .chain(cols.text.iter().copied())
        .collect();
    // Buffers go round instead of being allocated per block: input buffers
    // from the workers back to the reader, output buffers from the writer
    // back to the workers.
    let spares = CHANNEL_BLOCKS + BLOCKS_PER_WORKER * threads + 2;
    let (spare_in, spare_in_rx) = bounded::<Vec<u8>>(spares);
    let (spare_out_tx, spare_out_rx) = bounded::<Vec<u8>>(spares);
    blocks.reuse_from(spare_in_rx);
    let job = Job {
        shared: Shared {
            model,
            cols: &cols,
            header: &keys,
            groups: groups.as_ref(),
            opts,
        },
        delimiter,
        n_header: header.len(),
        strict_cols: &strict_cols,
        path: &path,
        spare_in,
        spare_out: spare_out_rx,
    };

    let mut first = Vec::new();
    write_header(&mut first, &header, opts.format)?;
    let mut rejects = rejects.map(|w| Rejects::new(w, &path, &header));

    let (block_tx, block_rx) = bounded::<Block>(CHANNEL_BLOCKS);
    let (out_tx, out_rx) = bounded::<Vec<u8>>(CHANNEL_BLOCKS);
    let mut summary = Summary::default();

    std::thread::scope(|s| -> Result<()> {
        let reader_path = &path;
        let reader = s.spawn(move || -> Result<()> {
            while let Some(block) = blocks
                .next_block(BLOCK_BYTES)
                .map_err(|e| Error::io(reader_path, e))?
            {
                if block_tx.send(block).is_err() {
                    break;
                }
            }
            Ok(())
        });
        let writer = s.spawn(move || -> io::Result<()> {
            out.write_all(&first)?;
            for buf in out_rx {
                out.write_all(&buf)?;
                let _ = spare_out_tx.try_send(buf);
            }
            out.flush()
        });

        let mut failure: Option<Error> = None;
        // Blocks overlap: later blocks are queued before the oldest one is
        // collected, so the workers never wait at a block's end.
        pool.in_place_scope_fifo(|scope| {
            let mut pending: VecDeque<Receiver<BlockOut>> =
                VecDeque::with_capacity(BLOCKS_PER_WORKER * threads + 1);
            let mut stop = false;
            let mut collect = |rx: Receiver<BlockOut>,
                               summary: &mut Summary,
                               failure: &mut Option<Error>|
             -> bool {
                let Ok(done) = rx.recv() else {
                    // The task panicked; the scope raises the panic.
                    return false;
                };
                match finish(done, summary, rejects.as_mut(), &out_tx) {
                    Ok(true) => {
                        if let Some(progress) = progress {
                            progress(
                                raw_bytes.load(Ordering::Relaxed),
                                summary.labels.iter().sum(),
                            );
                        }
                        true
                    }
                    Ok(false) => false,
                    Err(e) => {
                        *failure = Some(e);
                        false
                    }
                }
            };
            for block in block_rx.iter() {
                let (tx, rx) = bounded(1);
                let workers = &workers;
                let job = &job;
                scope.spawn_fifo(move |_| {
                    let idx = rayon::current_thread_index().unwrap_or(0) % workers.len();
                    let mut w = match workers[idx].lock() {
                        Ok(w) => w,
                        Err(p) => p.into_inner(),
                    };
                    let done = job.block(&mut w, block);
                    drop(w);
                    let _ = tx.send(done);
                });
                pending.push_back(rx);
                while pending.len() > BLOCKS_PER_WORKER * threads {
                    if let Some(rx) = pending.pop_front() {
                        if !collect(rx, &mut summary, &mut failure) {
                            stop = true;
                            break;
                        }
                    }
                }
                if stop {
                    break;
                }
            }
            while !stop {
                let Some(rx) = pending.pop_front() else {
                    break;
                };
                stop = !collect(rx, &mut summary, &mut failure);
            }
        });
        drop(out_tx);
        drop(block_rx);
        if let Some(r) = rejects.as_mut() {
            if let Err(e) = r.flush() {
                failure.get_or_insert(e);
            }
        }
        match writer.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                failure.get_or_insert(Error::io("output", e));
            }
            Err(_) => {
                failure.get_or_insert(Error::config("the writer thread panicked"));
            }
        }
        match reader.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                failure.get_or_insert(e);
            }
            Err(_) => {
                failure.get_or_insert(Error::config("the reader thread panicked"));
            }
        }
        match failure {
            Some(e) => Err(e),
            None => Ok(()),
        }
    })?;
    summary.bytes = raw_bytes.load(Ordering::Relaxed);
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Reads the header record: the first record of the input (blank lines
/// before it are skipped). Binary data in it is refused.
fn read_header<R: io::Read>(
    blocks: &mut Blocks<R>,
    delimiter: u8,
    path: &Path,
) -> Result<Vec<String>> {
    let mut head = Row::default();
    loop {
        let Some(block) = blocks.next_block(1).map_err(|e| Error::io(path, e))? else {
            return Err(Error::config(format!(
                "{}: the file is empty (no header row)",
                path.display()
            )));
        };
        if RowReader::new(&block.data, delimiter).read(&mut head) {
            break;
        }
    }
    if let Some(&b) = head
        .as_slice()
        .iter()
        .find(|&&b| b < 0x20 && b != b'\t' && b != b'\r' && b != b'\n')
    {
        return Err(Error::config(format!(
            "{}: this is not a CSV export: its header line holds binary data (byte 0x{b:02x})",
            path.display()
        )));
    }
    let mut header: Vec<String> = head
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    if let Some(first) = header.first_mut() {
        if let Some(s) = first.strip_prefix('\u{feff}') {
            *first = s.to_string();
        }
    }
    Ok(header)
}

/// A worker thread's scratch space: its labeller and parsed records.
struct Worker {
    lab: Labeller,
    records: Vec<Row>,
}

/// What every block of a run shares.
struct Job<'a> {
    shared: Shared<'a>,
    delimiter: u8,
    n_header: usize,
    strict_cols: &'a [usize],
    path: &'a Path,
    /// Where the buffers of parsed blocks go back to the reader.
    spare_in: Sender<Vec<u8>>,
    /// Output buffers the writer is done with.
    spare_out: Receiver<Vec<u8>>,
}

/// One block, done: its output, counts and rejected rows, or the error
/// that stops the run (strict mode).
struct BlockOut {
    buf: Vec<u8>,
    stats: ChunkStats,
    rows: u64,
    rejected: Vec<Rejected>,
    error: Option<Error>,
}

/// A record that cannot be read, with its place and the reason.
struct Rejected {
    row: Row,
    line: u64,
    byte: u64,
    reason: String,
}

impl Job<'_> {
    /// Parses a block's records (placed in the whole input), sets the
    /// unreadable ones aside, and labels and formats the rest.
    fn block(&self, w: &mut Worker, block: Block) -> BlockOut {
        let mut done = BlockOut {
            buf: Vec::new(),
            stats: ChunkStats::default(),
            rows: 0,
            rejected: Vec::new(),
            error: None,
        };
        let mut rdr = RowReader::new(&block.data, self.delimiter);
        let mut n = 0;
        loop {
            if w.records.len() <= n {
                w.records.push(Row::default());
            }
            let Some(rec) = w.records.get_mut(n) else {
                break;
            };
            if !rdr.read(rec) {
                break;
            }
            n += 1;
        }
        done.rows = n as u64;
        // A record's line is counted only when it is needed: for a message.
        let place = |rec: &Row| {
            let before = block.data.get(..rec.start()).unwrap_or(&[]);
            (
                block.start_line + memchr::memchr_iter(b'\n', before).count() as u64,
                block.start_byte + rec.start() as u64,
            )
        };
        // Unreadable records leave the run; the others move up in order.
        let mut kept = 0;
        for i in 0..n {
            let Some(rec) = w.records.get(i) else {
                break;
            };
            let open_quote = block.open_quote && i + 1 == n;
            if rec.len() != self.n_header || open_quote {
                let (line, byte) = place(rec);
                if let Some(reason) = unreadable(rec, self.n_header, open_quote, line) {
                    if self.shared.opts.strict {
                        done.error = Some(positioned(self.path, line, byte, reason));
                        return done;
                    }
                    done.rejected.push(Rejected {
                        row: rec.clone(),
                        line,
                        byte,
                        reason,
                    });
                    continue;
                }
            }
            if self.shared.opts.strict {
                if let Err(e) = check_utf8(rec, self.strict_cols, self.path, || place(rec)) {
                    done.error = Some(e);
                    return done;
                }
            }
            w.records.swap(kept, i);
            kept += 1;
        }
        // The block's bytes are parsed: its buffer goes back to the reader.
        let _ = self.spare_in.try_send(block.data);
        let chunk = w.records.get(..kept).unwrap_or(&[]);
        let (buf, stats) = format_chunk(
            self.spare_out.try_recv().unwrap_or_default(),
            &mut w.lab,
            chunk,
            &self.shared,
        );
        done.buf = buf;
        done.stats = stats;
        done
    }
}

/// Counts a finished block, writes its rejected rows and hands its output
/// to the writer. Returns false when the run must stop because the writer
/// is gone; an error when the block holds one (strict mode) or the
/// rejects cannot be written.
fn finish(
    done: BlockOut,
    summary: &mut Summary,
    rejects: Option<&mut Rejects<'_>>,
    out: &Sender<Vec<u8>>,
) -> Result<bool> {
    if let Some(e) = done.error {
        return Err(e);
    }
    summary.rows += done.rows;
    summary.rejected += done.rejected.len() as u64;
    if let Some(r) = rejects {
        for rej in &done.rejected {
            r.write(rej)?;
        }
    }
    summary.add(done.stats);
    Ok(out.send(done.buf).is_ok())
}

/// Column names made unique: the second `description` becomes
/// `description_2`, and so on (skipping names already taken).
fn unique_names(header: &[String]) -> Vec<String> {
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

/// Why a row cannot be read, if it cannot: a field count unlike the
/// header's, or (the last row) a quote that is never closed. `first` is the
/// row's line.
fn unreadable(rec: &Row, n_header: usize, open_quote: bool, first: u64) -> Option<String> {
    if rec.len() == n_header && !open_quote {
        return None;
    }
    let body = rec.as_slice();
    // A quote left open at the end of the file takes the last line end in.
    let body = body.strip_suffix(b"\n").unwrap_or(body);
    let body = body.strip_suffix(b"\r").unwrap_or(body);
    let lines = 1 + memchr::memchr_iter(b'\n', body).count() as u64;
    let span = || format!("lines {first}-{}", first + lines - 1);
    // The quote took in a line end, if only the file's last one.
    let took_line_end = body.len() < rec.as_slice().len();
    if open_quote && lines == 1 && took_line_end {
        return Some(format!(
            "a quote in this row is never closed: line {first}, to the end of the file, was read as one row"
        ));
    }
    if open_quote && lines > 1 {
        return Some(format!(
            "a quote in this row is never closed: {}, to the end of the file, were read as one row",
            span()
        ));
    }
    if rec.len() == n_header {
        return None;
    }
    let mut reason = format!("the row has {} fields, the header {n_header}", rec.len());
    if lines > 1 {
        reason.push_str(&format!(
            ", and runs over {}: a quote is probably not closed",
            span()
        ));
    }
    Some(reason)
}

/// An error naming the row's file, line and byte.
fn positioned(path: &Path, line: u64, byte: u64, message: String) -> Error {
    Error::new(ErrorKind::Csv {
        path: path.to_path_buf(),
        line: Some(line),
        byte: Some(byte),
        message,
    })
}

/// In strict mode, invalid UTF-8 in the title or text is an error with its
/// place (line and byte, from `place`).
fn check_utf8(
    rec: &Row,
    text_cols: &[usize],
    path: &Path,
    place: impl Fn() -> (u64, u64),
) -> Result<()> {
    for &i in text_cols {
        if let Err(e) = std::str::from_utf8(rec.get(i).unwrap_or(b"")) {
            let (line, byte) = place();
            return Err(positioned(
                path,
                line,
                byte,
                format!(
                    "field {} is not valid UTF-8 (from byte {} of the field)",
                    i + 1,
                    e.valid_up_to()
                ),
            ));
        }
    }
    Ok(())
}

/// The rejects file: a header on the first rejected row, then per row its
/// file, line, byte offset and reason, followed by the row's own fields.
struct Rejects<'a> {
    w: csv::Writer<&'a mut (dyn Write + Send)>,
    file: String,
    header: &'a [String],
    started: bool,
}

impl<'a> Rejects<'a> {
    fn new(w: &'a mut (dyn Write + Send), path: &Path, header: &'a [String]) -> Self {
        Rejects {
            w: csv::WriterBuilder::new().flexible(true).from_writer(w),
            file: path.display().to_string(),
            header,
            started: false,
        }
    }

    fn write(&mut self, rej: &Rejected) -> Result<()> {
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

    fn flush(&mut self) -> Result<()> {
        self.w.flush().map_err(|e| Error::io("the rejects file", e))
    }
}

/// The delimiter of an export, from its first line: the most frequent of
/// comma, semicolon, tab and pipe outside quotes; comma when none occurs.
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            b'|' if !quoted => counts[3] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t', b'|'];
    let mut best = 0;
    for i in 1..4 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

/// Counts from one chunk of rows.
#[derive(Debug, Default)]
struct ChunkStats {
    written: u64,
    labels: [u64; 4],
    mismatches: u64,
    truncated: u64,
    flagged: u64,
    report: Option<ReportBuilder>,
}

impl Summary {
    fn add(&mut self, s: ChunkStats) {
        if let Some(r) = s.report {
            match &mut self.report {
                Some(total) => total.merge(r),
                None => self.report = Some(r),
            }
        }
        self.written += s.written;
        for i in 0..4 {
            self.labels[i] += s.labels[i];
        }
        self.mismatches += s.mismatches;
        self.truncated += s.truncated;
        self.flagged += s.flagged;
    }
}

fn write_header(out: &mut Vec<u8>, header: &[String], format: Format) -> Result<()> {
    if format == Format::Csv {
        let mut w = csv::Writer::from_writer(out);
        let mut rec: Vec<&str> = header.iter().map(String::as_str).collect();
        rec.extend_from_slice(OUTPUT_COLUMNS);
        w.write_record(&rec)
            .map_err(|e| Error::config(e.to_string()))?;
        w.flush().map_err(|e| Error::io("output", e))?;
    }
    Ok(())
}

/// Field `i` of a record as text, invalid UTF-8 replaced. Checks with the
/// fast validator first: the lossy decoder is only needed for broken bytes.
fn field(rec: &Row, i: usize) -> std::borrow::Cow<'_, str> {
    let bytes = rec.get(i).unwrap_or(b"");
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// What formatting a chunk of rows reads.
#[derive(Clone, Copy)]
struct Shared<'a> {
    model: &'a Model,
    cols: &'a Columns,
    header: &'a [String],
    groups: Option<&'a (Vec<String>, Vec<usize>)>,
    opts: &'a Options,
}

/// Labels and formats one chunk of rows into `buf` (cleared first).
fn format_chunk(
    mut buf: Vec<u8>,
    lab: &mut Labeller,
    chunk: &[Row],
    shared: &Shared<'_>,
) -> (Vec<u8>, ChunkStats) {
    let Shared {
        model,
        cols,
        header,
        groups,
        opts,
    } = *shared;
    // Room for every row and its pmpo columns, so the output never moves.
    let capacity = chunk
        .iter()
        .map(|r| r.as_slice().len() + 2 * r.len() + 512)
        .sum();
    let mut st = ChunkStats {
        report: groups.map(|(names, _)| ReportBuilder::new(names.clone())),
        ..ChunkStats::default()
    };
    let mut evidence = String::new();
    let mut reason = String::new();
    let mut note_text = String::new();
    buf.clear();
    buf.reserve(capacity);
    for rec in chunk {
        // A field that needed replacement characters is invalid UTF-8: the
        // fields are decoded once, and the note is told from how.
        let mut bad_utf8 = false;
        let title = match cols.title {
            Some(i) => field(rec, i),
            None => std::borrow::Cow::Borrowed(""),
        };
        bad_utf8 |= matches!(title, std::borrow::Cow::Owned(_));
        // One text column is labelled in place; several are joined.
        let single = match cols.text.as_slice() {
            [i] => Some(field(rec, *i)),
            _ => None,
        };
        let l = match &single {
            Some(f) => {
                bad_utf8 |= matches!(f, std::borrow::Cow::Owned(_));
                lab.label_text(model, &title, f)
            }
            None => {
                let parts = cols.text.iter().map(|&i| {
                    let f = field(rec, i);
                    bad_utf8 |= matches!(f, std::borrow::Cow::Owned(_));
                    f
                });
                lab.label(model, &title, parts)
            }
        };
        let mm = l.mismatch(opts.mismatch_confidence);
        st.labels[l.verdict.label.index()] += 1;
        st.mismatches += u64::from(mm.is_some());
        st.truncated += u64::from(l.truncated);
        if let (Some(r), Some((_, idx))) = (st.report.as_mut(), groups) {
            let values: Vec<std::borrow::Cow<'_, str>> =
                idx.iter().map(|&i| field(rec, i)).collect();
            let values: Vec<&str> = values.iter().map(|v| v.as_ref()).collect();
            r.add(&values, l.title_role, &l.verdict);
        }
        if opts.only_mismatches && mm.is_none() {
            continue;
        }
        st.written += 1;
        note(&l, bad_utf8, &mut note_text);
        st.flagged += u64::from(!note_text.is_empty());
        l.evidence_cell(5, &mut evidence);
        l.reason(opts.mismatch_confidence, &mut reason);
        match opts.format {
            Format::Csv => write_csv_row(
                &mut buf,
                rec,
                &l,
                mm.map_or("", |m| m.as_str()),
                &reason,
                &evidence,
                &note_text,
            ),
            Format::Jsonl => write_json_row(&mut buf, rec, header, &l, opts, &reason, &note_text),
        }
    }
    (buf, st)
}

/// What a row's `pmpo_note` says: everything about the row that a user
/// should know before trusting its label, or nothing.
fn note(l: &Labelled<'_>, bad_utf8: bool, out: &mut String) {
    out.clear();
    let mut add = |s: &str| {
        if !out.is_empty() {
            out.push_str("; ");
        }
        out.push_str(s);
    };
    if bad_utf8 {
        add("invalid UTF-8 replaced");
    }
    if l.truncated {
        add("text cut at 1 MiB");
    }
    if !l.lang_covered {
        add("language not covered by the model: low confidence");
    }
}

/// Appends a row: the input's fields, then the pmpo columns, each as
/// [`push_field`] writes it, separated by commas and ended by a line feed.
fn write_csv_row(
    out: &mut Vec<u8>,
    rec: &Row,
    l: &Labelled<'_>,
    mm: &str,
    reason: &str,
    evidence: &str,
    note: &str,
) {
    for f in rec.iter() {
        push_field(out, f);
        out.push(b',');
    }
    let v = &l.verdict;
    push_field(out, v.label.as_str().as_bytes());
    // Numbers never need quotes.
    for x in [v.confidence, v.pm_share, v.pm_evidence, v.po_evidence] {
        out.push(b',');
        push_fixed3(out, x);
    }
    for cell in [l.title_role.as_str(), mm, reason, evidence, note, l.lang] {
        out.push(b',');
        push_field(out, cell.as_bytes());
    }
    out.push(b',');
    push_field(out, l.model.hash().as_bytes());
    out.push(b'\n');
}

/// Appends one CSV field as the csv crate's writer does with its default
/// settings: in quotes, with quotes doubled, when it holds a comma, a
/// quote, a CR or a LF; as it is otherwise. (Its one other case, a record
/// of a single empty field, cannot occur: pmpo columns follow every row.)
fn push_field(out: &mut Vec<u8>, field: &[u8]) {
    let special = memchr::memchr3(b',', b'"', b'\n', field).is_some()
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
fn push_fixed3(out: &mut Vec<u8>, x: f64) {
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

fn write_json_row(
    buf: &mut Vec<u8>,
    rec: &Row,
    header: &[String],
    l: &Labelled<'_>,
    opts: &Options,
    reason: &str,
    note: &str,
) {
    let v = &l.verdict;
    let phrases = &l.model.lexicon().phrases;
    let evidence: Vec<serde_json::Value> = l
        .evidence
        .iter()
        .map(|e| {
            json!({
                "phrase": phrases.get(e.phrase as usize).map_or("", |p| p.example.as_str()),
                "role": e.role.as_str(),
                "weight": (f64::from(e.weight) * 1000.0).round() / 1000.0,
                "section": e.section.as_str(),
                "start": e.start,
                "end": e.end,
                "text": l.text.get(e.start as usize..e.end as usize).unwrap_or(""),
            })
        })
        .collect();
    let mut row = serde_json::Map::new();
    for (i, f) in rec.iter().enumerate() {
        let name = header
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("column_{}", i + 1));
        row.insert(
            name,
            serde_json::Value::String(String::from_utf8_lossy(f).into_owned()),
        );
    }
    let obj = json!({
        "row": row,
        "pmpo_label": v.label.as_str(),
        "pmpo_confidence": round3(v.confidence),
        "pmpo_probs": {
            "pm": round3(v.probs[0]), "po": round3(v.probs[1]),
            "hybrid": round3(v.probs[2]), "none": round3(v.probs[3]),
        },
        "pmpo_pm_share": round3(v.pm_share),
        "pmpo_pm_evidence": round3(v.pm_evidence),
        "pmpo_po_evidence": round3(v.po_evidence),
        "pmpo_title_role": l.title_role.as_str(),
        "pmpo_mismatch": l.mismatch(opts.mismatch_confidence).map(|m| m.as_str()),
        "pmpo_reason": reason,
        "pmpo_evidence": evidence,
        "pmpo_note": note,
        "pmpo_lang": l.lang,
        "pmpo_model": l.model.hash(),
    });
    let _ = serde_json::to_writer(&mut *buf, &obj);
    buf.push(b'\n');
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Counts of a label mix, for tests and reports.
pub fn label_counts(s: &Summary) -> Vec<(Label, u64)> {
    Label::ALL
        .iter()
        .map(|l| (*l, s.labels[l.index()]))
        .collect()
}

#[cfg(test)]
mod tests {
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
                super::push_field(&mut got, f);
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

    #[test]
    fn delimiters_are_sniffed_outside_quotes() {
        assert_eq!(super::sniff_delimiter(b"title;text\n"), b';');
        assert_eq!(super::sniff_delimiter(b"\"a;b;c\",x\n"), b',');
        assert_eq!(super::sniff_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(super::sniff_delimiter(b"single\n"), b',');
    }
}
