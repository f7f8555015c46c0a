//! The streaming run: threads and order. Rows come from a
//! [`Source`](crate::io::source::Source), are labelled in parallel, and go
//! to a [`Sink`](crate::io::sink::Sink) in input order.
//!
//! A reader thread takes blocks of whole records from the source (for CSV,
//! cut without parsing fields: [`crate::split`]) and sends them through a
//! bounded channel; the calling thread queues each block on a rayon pool,
//! where a worker parses its records, sets the unreadable ones aside, and
//! labels the rest ([`crate::io::postings`]) into the sink's part of the
//! block (its [`RowFormat`]); the calling thread collects the blocks in
//! input order (the next ones are queued before the oldest is collected, so
//! the workers never idle) and hands their parts and rejected rows to the
//! sink on a writer thread. With N workers, N cores do nearly all the work.
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
use std::io::Write;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Mutex;
use std::time::Instant;

use crossbeam_channel::{bounded, Receiver, Sender};

use crate::engine::Labeller;
use crate::input::Columns;
use crate::io::columnar::{Columnar, ColumnarSink};
use crate::io::postings::{label_row, note};
use crate::io::record::Record;
use crate::io::sink::{
    AuditSink, Bytes, CsvSink, JsonlSink, Layout, OutRow, Rejected, RejectsSink, ReportSink,
    RowFormat, Sink, Tee,
};
use crate::io::source::{parse_block, InBlock, InputFormat, Source, SourceOptions};
use crate::model::Model;
use crate::report::ReportBuilder;
use crate::score::Label;
use crate::split::Row;
use crate::{Error, ErrorKind, Result};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// The input's columns, then the `pmpo_*` columns.
    #[default]
    Csv,
    /// One JSON object per row, with evidence spans.
    Jsonl,
    /// Parquet: the input's columns as strings, pmpo's typed.
    Parquet,
    /// Arrow IPC file: the same columns as Parquet.
    Arrow,
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
    /// The input format; `None` tells it from the content.
    pub input_format: Option<InputFormat>,
    /// Write only these input columns (then pmpo's); `None` writes all.
    pub keep: Option<Vec<String>>,
    /// CSV output delimiter; `None` keeps the input's (a comma for input
    /// that is not CSV).
    pub out_delimiter: Option<u8>,
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
            input_format: None,
            keep: None,
            out_delimiter: None,
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

/// An input opened for a run: its source, the title and text columns, and
/// the output layout.
#[derive(Debug)]
pub struct Prepared {
    /// The rows.
    pub source: Source,
    /// Where the title and text are.
    pub cols: Columns,
    /// The input columns written.
    pub layout: Layout,
}

/// Opens `input` for a run: recognises its format, reads its header, finds
/// the title and text columns and the kept ones (`extra` names columns
/// the run also reads, such as the report's groups).
pub fn prepare(input: &Path, opts: &Options, extra: &[String]) -> Result<Prepared> {
    let mut source = Source::open(
        input,
        &SourceOptions {
            format: opts.input_format,
            delimiter: opts.delimiter,
            columns: None,
        },
    )?;
    let path = source.path.clone();
    let header = source.header.clone();
    let cols = Columns::pick(&header, opts.title_col.as_deref(), &opts.text_cols, &path)?;
    let layout = Layout::new(&header, opts.keep.as_deref(), &path)?;
    let mut read: Vec<usize> = cols
        .title
        .into_iter()
        .chain(cols.text.iter().copied())
        .collect();
    let text = read.clone();
    read.extend(layout.keep.iter().copied());
    for e in extra {
        read.push(crate::input::column_index(&header, e, &path)?);
    }
    read.sort_unstable();
    read.dedup();
    source.select(&read, &text)?;
    Ok(Prepared {
        source,
        cols,
        layout,
    })
}

/// Labels the rows of `input` (a path, or `-`) into `out`, in the format
/// of [`Options::format`].
///
/// A row that cannot be read is not labelled: it goes to `rejects` (a CSV
/// with the file, line, byte offset and reason, then the row's fields) and
/// is counted in [`Summary::rejected`], so that rows in = rows written +
/// rows rejected. Such a row has a field count unlike the header's (its
/// columns cannot be told apart; often a quote that is not closed has run
/// it over several lines), or is the last row and holds a quote that is
/// never closed, or is a JSON line that is not an object. With `rejects`
/// absent they are only counted; with [`Options::strict`] the first one is
/// an error.
pub fn run(
    model: &Model,
    input: &Path,
    out: &mut (dyn Write + Send),
    rejects: Option<&mut (dyn Write + Send)>,
    opts: &Options,
    progress: Option<Progress<'_>>,
) -> Result<Summary> {
    let p = prepare(input, opts, opts.report.as_deref().unwrap_or(&[]))?;
    let header = p.source.header.clone();
    let path = p.source.path.clone();
    let delimiter = opts.out_delimiter.unwrap_or(p.source.delimiter);
    let mut rejects = rejects.map(|w| RejectsSink::new(w, &path, &header));
    let mut report = match &opts.report {
        Some(g) => Some(ReportSink::new(g, &header, &path)?),
        None => None,
    };
    let mut summary = match opts.format {
        Format::Csv => {
            let sink = CsvSink::csv(out, &p.layout, header.len(), delimiter)?;
            bytes_or_audit(
                model,
                p,
                sink,
                rejects.as_mut(),
                report.as_mut(),
                opts,
                progress,
            )?
        }
        Format::Jsonl => {
            let sink = JsonlSink::jsonl(out, &p.layout);
            bytes_or_audit(
                model,
                p,
                sink,
                rejects.as_mut(),
                report.as_mut(),
                opts,
                progress,
            )?
        }
        Format::Parquet | Format::Arrow => {
            if opts.only_mismatches {
                return Err(Error::config(
                    "audit writes CSV or JSON Lines (use --format csv or jsonl)",
                ));
            }
            let kind = if opts.format == Format::Parquet {
                Columnar::Parquet
            } else {
                Columnar::Arrow
            };
            let input = p.source.arrow_schema();
            let sink = ColumnarSink::new(out, &p.layout, kind, input.as_deref())?;
            with_extras(
                model,
                p,
                sink,
                rejects.as_mut(),
                report.as_mut(),
                opts,
                progress,
            )?
        }
    };
    summary.report = report.map(ReportSink::into_builder);
    Ok(summary)
}

/// Runs into a CSV or JSON Lines sink, or, for `audit`, into an audit
/// that writes through it.
fn bytes_or_audit<F: RowFormat<Part = Vec<u8>> + Clone + Send>(
    model: &Model,
    p: Prepared,
    sink: Bytes<'_, F>,
    rejects: Option<&mut RejectsSink<'_>>,
    report: Option<&mut ReportSink>,
    opts: &Options,
    progress: Option<Progress<'_>>,
) -> Result<Summary> {
    if opts.only_mismatches {
        with_extras(
            model,
            p,
            AuditSink::new(sink)?,
            rejects,
            report,
            opts,
            progress,
        )
    } else {
        with_extras(model, p, sink, rejects, report, opts, progress)
    }
}

/// Aggregates the market report of `input` grouped by `group_by`, writing
/// no rows (unreadable rows go to `rejects`); the sums are in
/// [`Summary::report`].
pub fn report(
    model: &Model,
    input: &Path,
    rejects: Option<&mut (dyn Write + Send)>,
    group_by: &[String],
    opts: &Options,
    progress: Option<Progress<'_>>,
) -> Result<Summary> {
    // No input column is written: a columnar input decodes only the
    // title, text and grouping columns.
    let opts = &Options {
        keep: Some(Vec::new()),
        ..opts.clone()
    };
    let p = prepare(input, opts, group_by)?;
    let header = p.source.header.clone();
    let path = p.source.path.clone();
    let mut rep = ReportSink::new(group_by, &header, &path)?;
    let mut rejects = rejects.map(|w| RejectsSink::new(w, &path, &header));
    let mut summary = with_extras(model, p, &mut rep, rejects.as_mut(), None, opts, progress)?;
    summary.report = Some(rep.into_builder());
    Ok(summary)
}

/// Runs into `sink`, with the rejects and report sinks beside it when
/// there are some.
fn with_extras<S: Sink>(
    model: &Model,
    p: Prepared,
    sink: S,
    rejects: Option<&mut RejectsSink<'_>>,
    report: Option<&mut ReportSink>,
    opts: &Options,
    progress: Option<Progress<'_>>,
) -> Result<Summary> {
    match (rejects, report) {
        (Some(r), Some(g)) => drive(model, p, Tee(Tee(sink, r), g), opts, progress),
        (Some(r), None) => drive(model, p, Tee(sink, r), opts, progress),
        (None, Some(g)) => drive(model, p, Tee(sink, g), opts, progress),
        (None, None) => drive(model, p, sink, opts, progress),
    }
}

/// What the scheduler of a run waits for first.
enum Next<B, D> {
    /// A block from the reader (an error at the input's end).
    Block(std::result::Result<B, crossbeam_channel::RecvError>),
    /// The oldest block in flight, done.
    Done(std::result::Result<D, crossbeam_channel::RecvError>),
}

/// The streaming run itself: rows from `p.source`, labelled, into `sink`.
pub fn drive<S: Sink>(
    model: &Model,
    p: Prepared,
    mut sink: S,
    opts: &Options,
    progress: Option<Progress<'_>>,
) -> Result<Summary> {
    let started = Instant::now();
    let Prepared {
        mut source,
        cols,
        layout: _,
    } = p;
    let raw_bytes = source.raw_bytes.clone();
    let path = source.path.clone();
    let header = source.header.clone();
    let format = sink.format();
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
    let strict_cols: Vec<usize> = cols
        .title
        .into_iter()
        .chain(cols.text.iter().copied())
        .collect();
    // Buffers go round instead of being allocated per block: input buffers
    // from the workers back to the reader, output parts from the writer
    // back to the workers.
    let spares = CHANNEL_BLOCKS + BLOCKS_PER_WORKER * threads + 2;
    let (spare_in, spare_in_rx) = bounded::<Vec<u8>>(spares);
    let (spare_out_tx, spare_out_rx) = bounded(spares);
    source.reuse_from(spare_in_rx);
    let job = Job {
        model,
        cols: &cols,
        format: &format,
        opts,
        delimiter: source.delimiter,
        header: &header,
        strict_cols: &strict_cols,
        path: &path,
        spare_in,
        spare_out: spare_out_rx,
    };

    let (block_tx, block_rx) = bounded::<InBlock>(CHANNEL_BLOCKS);
    type Done<P> = (P, Vec<Rejected>);
    let (out_tx, out_rx) = bounded::<Done<<S::Format as RowFormat>::Part>>(CHANNEL_BLOCKS);
    let mut summary = Summary::default();

    std::thread::scope(|s| -> Result<()> {
        let reader = s.spawn(move || -> Result<()> {
            while let Some(block) = source.next_block(BLOCK_BYTES)? {
                if block_tx.send(block).is_err() {
                    break;
                }
            }
            Ok(())
        });
        let sink = &mut sink;
        let writer = s.spawn(move || -> Result<()> {
            for (mut part, rejected) in out_rx {
                for r in &rejected {
                    sink.reject(r)?;
                }
                sink.write(&mut part)?;
                let _ = spare_out_tx.try_send(part);
            }
            sink.finish()
        });

        let mut failure: Option<Error> = None;
        // Blocks overlap: later blocks are queued before the oldest one is
        // collected, so the workers never wait at a block's end.
        pool.in_place_scope_fifo(|scope| {
            let mut pending: VecDeque<Receiver<BlockOut<_>>> =
                VecDeque::with_capacity(BLOCKS_PER_WORKER * threads + 1);
            let mut stop = false;
            let collect = |done: std::result::Result<BlockOut<_>, crossbeam_channel::RecvError>,
                           summary: &mut Summary,
                           failure: &mut Option<Error>|
             -> bool {
                let Ok(done) = done else {
                    // The task panicked; the scope raises the panic.
                    return false;
                };
                match finish(done, summary, &out_tx) {
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
            let window = BLOCKS_PER_WORKER * threads;
            loop {
                // A block done is passed on (in order) as soon as it is
                // done, so that a live stream's rows go out while it stays
                // open; while the window is full, the oldest is waited for.
                let next = match pending.front() {
                    Some(front) if pending.len() > window => Next::Done(front.recv()),
                    Some(front) => crossbeam_channel::select! {
                        recv(block_rx) -> block => Next::Block(block),
                        recv(front) -> done => Next::Done(done),
                    },
                    None => Next::Block(block_rx.recv()),
                };
                let block = match next {
                    Next::Done(done) => {
                        pending.pop_front();
                        if !collect(done, &mut summary, &mut failure) {
                            stop = true;
                            break;
                        }
                        continue;
                    }
                    Next::Block(Ok(block)) => block,
                    Next::Block(Err(_)) => break,
                };
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
            }
            while !stop {
                let Some(rx) = pending.pop_front() else {
                    break;
                };
                stop = !collect(rx.recv(), &mut summary, &mut failure);
            }
        });
        drop(out_tx);
        drop(block_rx);
        match writer.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                failure.get_or_insert(e);
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

/// A worker thread's scratch space: its labeller and parsed records.
struct Worker {
    lab: Labeller,
    records: Vec<Row>,
}

/// What every block of a run shares.
struct Job<'a, F: RowFormat> {
    model: &'a Model,
    cols: &'a Columns,
    format: &'a F,
    opts: &'a Options,
    delimiter: u8,
    header: &'a [String],
    strict_cols: &'a [usize],
    path: &'a Path,
    /// Where the buffers of parsed blocks go back to the reader.
    spare_in: Sender<Vec<u8>>,
    /// Output parts the writer is done with.
    spare_out: Receiver<F::Part>,
}

/// One block, done: its output part, counts and rejected rows, or the
/// error that stops the run (strict mode).
struct BlockOut<P> {
    part: P,
    stats: ChunkStats,
    rows: u64,
    rejected: Vec<Rejected>,
    error: Option<Error>,
}

impl<F: RowFormat> Job<'_, F> {
    /// Parses a block's records (placed in the whole input), sets the
    /// unreadable ones aside, and labels and formats the rest.
    fn block(&self, w: &mut Worker, block: InBlock) -> BlockOut<F::Part> {
        let mut done = BlockOut {
            part: F::Part::default(),
            stats: ChunkStats::default(),
            rows: 0,
            rejected: Vec::new(),
            error: None,
        };
        let n_header = self.header.len();
        let n = parse_block(
            &block,
            self.header,
            self.delimiter,
            &mut w.records,
            &mut done.rejected,
        );
        done.rows = (n + done.rejected.len()) as u64;
        if self.opts.strict {
            if let Some(r) = done.rejected.first() {
                done.error = Some(positioned(self.path, r.line, r.byte, r.reason.clone()));
                return done;
            }
        }
        let (data, start_line, start_byte, open_quote): (&[u8], u64, u64, bool) = match &block {
            InBlock::Csv(b) => (&b.data, b.start_line, b.start_byte, b.open_quote),
            InBlock::Jsonl(b) => (&b.data, b.start_line, b.start_byte, false),
            InBlock::Batch(b) => (&[], b.first, 0, false),
        };
        let csv = matches!(block, InBlock::Csv(_));
        let rows_first = match &block {
            InBlock::Batch(b) => Some(b.first),
            _ => None,
        };
        // A record's line is counted only when it is needed: for a message.
        let place = |i: usize, rec: &Row| match rows_first {
            Some(first) => (first + i as u64, 0),
            None => {
                let before = data.get(..rec.start()).unwrap_or(&[]);
                (
                    start_line + memchr::memchr_iter(b'\n', before).count() as u64,
                    start_byte + rec.start() as u64,
                )
            }
        };
        // Unreadable records leave the run; the others move up in order.
        let mut kept = 0;
        for i in 0..n {
            let Some(rec) = w.records.get(i) else {
                break;
            };
            let open_quote = open_quote && i + 1 == n;
            if csv && (rec.len() != n_header || open_quote) {
                let (line, byte) = place(i, rec);
                if let Some(reason) = unreadable(rec, n_header, open_quote, line) {
                    if self.opts.strict {
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
            if self.opts.strict {
                if let Err(e) = check_utf8(rec, self.strict_cols, self.path, || place(i, rec)) {
                    done.error = Some(e);
                    return done;
                }
            }
            w.records.swap(kept, i);
            kept += 1;
        }
        let mut part = self.spare_out.try_recv().unwrap_or_default();
        self.format.begin(&mut part);
        // The block's bytes are parsed: its buffer goes back to the reader.
        match block {
            InBlock::Csv(b) | InBlock::Jsonl(b) => {
                let _ = self.spare_in.try_send(b.data);
            }
            InBlock::Batch(b) => self.format.batch(&mut part, &b),
        }
        let chunk = w.records.get(..kept).unwrap_or(&[]);
        done.stats = self.label_chunk(&mut w.lab, chunk, &mut part);
        done.part = part;
        done
    }

    /// Labels a chunk of rows into the format's part.
    fn label_chunk(&self, lab: &mut Labeller, chunk: &[Row], part: &mut F::Part) -> ChunkStats {
        let mut st = ChunkStats::default();
        let mut evidence = String::new();
        let mut reason = String::new();
        let mut note_text = String::new();
        let spans = self.format.spans();
        let min = self.opts.mismatch_confidence;
        for rec in chunk {
            let (l, bad_utf8) = label_row(lab, self.model, self.cols, rec);
            let mm = l.mismatch(min);
            st.labels[l.verdict.label.index()] += 1;
            st.mismatches += u64::from(mm.is_some());
            st.truncated += u64::from(l.truncated);
            note(&l, bad_utf8, &mut note_text);
            if !spans {
                l.evidence_cell(5, &mut evidence);
            }
            l.reason(min, &mut reason);
            let record = Record::new(&l, min, &reason, &evidence, &note_text, spans);
            let written = self.format.row(
                part,
                &OutRow {
                    row: rec,
                    record: &record,
                    verdict: &l.verdict,
                },
            );
            if written {
                st.written += 1;
                st.flagged += u64::from(!note_text.is_empty());
            }
        }
        st
    }
}

/// Counts a finished block and hands its part and rejected rows to the
/// writer. Returns false when the run must stop because the writer is
/// gone; an error when the block holds one (strict mode).
fn finish<P>(
    done: BlockOut<P>,
    summary: &mut Summary,
    out: &Sender<(P, Vec<Rejected>)>,
) -> Result<bool> {
    if let Some(e) = done.error {
        return Err(e);
    }
    summary.rows += done.rows;
    summary.rejected += done.rejected.len() as u64;
    summary.add(done.stats);
    Ok(out.send((done.part, done.rejected)).is_ok())
}

/// Counts from one chunk of rows.
#[derive(Debug, Default)]
struct ChunkStats {
    written: u64,
    labels: [u64; 4],
    mismatches: u64,
    truncated: u64,
    flagged: u64,
}

impl Summary {
    fn add(&mut self, s: ChunkStats) {
        self.written += s.written;
        for i in 0..4 {
            self.labels[i] += s.labels[i];
        }
        self.mismatches += s.mismatches;
        self.truncated += s.truncated;
        self.flagged += s.flagged;
    }
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

/// Counts of a label mix, for tests and reports.
pub fn label_counts(s: &Summary) -> Vec<(Label, u64)> {
    Label::ALL
        .iter()
        .map(|l| (*l, s.labels[l.index()]))
        .collect()
}
