//! Sources: an input opened, decompressed, recognised, and cut into blocks.
//!
//! In: a path, or `-` for standard input. Out: a [`Source`]: the input's
//! column names and its rows in blocks, in order ([`InBlock`]): blocks of
//! whole CSV records or whole JSON Lines lines (parsed by the workers, see
//! [`parse_block`]), or rows already read (Parquet, Arrow IPC: see
//! [`crate::io::columnar`]).
//!
//! Compression (gzip, zstd) and the format (CSV of any common delimiter,
//! JSON Lines, Parquet, Arrow IPC file or stream) are told by content, not
//! by name; [`InputFormat`] given in the options overrides the format.
//!
//! Guarantees: the blocks cut the input between records, never inside one,
//! and do not depend on the number of threads; memory is bounded by the
//! block size (a single record larger than that is held whole); Parquet
//! and Arrow files are read a batch at a time.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::io::sink::Rejected;
use crate::split::{Block, Blocks, Row, RowReader};
use crate::{Error, ErrorKind, Result};

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Comma-, semicolon-, tab- or pipe-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// Apache Parquet.
    Parquet,
    /// Apache Arrow IPC, file or stream.
    Arrow,
}

impl InputFormat {
    /// The format of an input from its first (decompressed) bytes: Parquet
    /// and Arrow by their magic bytes, JSON Lines by a `{` first, CSV
    /// otherwise.
    pub fn detect(head: &[u8]) -> InputFormat {
        if head.starts_with(b"PAR1") {
            return InputFormat::Parquet;
        }
        if head.starts_with(b"ARROW1") || head.starts_with(&[0xff, 0xff, 0xff, 0xff]) {
            return InputFormat::Arrow;
        }
        let body = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => InputFormat::Jsonl,
            _ => InputFormat::Csv,
        }
    }
}

/// What is needed to open a source.
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    /// The format, when not told from the content.
    pub format: Option<InputFormat>,
    /// The CSV delimiter, when not sniffed from the header line.
    pub delimiter: Option<u8>,
    /// The columns that will be read (title, text, kept, grouped), by
    /// index in the header, for formats that can skip the others
    /// (Parquet, Arrow); `None` reads every column.
    pub columns: Option<Vec<usize>>,
}

/// Counts the bytes that pass through a reader.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// An opened, decompressed input, before its format is known.
pub struct Opened {
    /// The path, as given (`-` for standard input).
    pub path: PathBuf,
    /// The decompressed bytes, buffered (peek with `fill_buf`).
    pub reader: BufReader<Box<dyn Read + Send>>,
    /// Raw bytes read so far (compressed bytes for a compressed input).
    pub raw_bytes: Arc<AtomicU64>,
    /// Whether the bytes were compressed, or came from standard input
    /// (then a format that needs to seek is read from a temporary copy).
    pub streamed: bool,
    /// Whether the input is standard input, which may be a stream that
    /// stays open: rows are then passed on as they arrive.
    pub live: bool,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened").field("path", &self.path).finish()
    }
}

/// Opens a path, or standard input for `-`, decompressing gzip and zstd
/// (told by their magic bytes).
pub fn open(path: &Path) -> Result<Opened> {
    let count = Arc::new(AtomicU64::new(0));
    let stdin = path == Path::new("-");
    let raw: Box<dyn Read + Send> = if stdin {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(path).map_err(|e| Error::io(path, e))?)
    };
    let mut buffered = BufReader::with_capacity(
        1 << 16,
        Counting {
            inner: raw,
            count: count.clone(),
        },
    );
    let head = buffered.fill_buf().map_err(|e| Error::io(path, e))?;
    let (reader, compressed): (Box<dyn Read + Send>, bool) = if head.starts_with(&[0x1f, 0x8b]) {
        (Box::new(flate2::read::MultiGzDecoder::new(buffered)), true)
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        let d =
            zstd::stream::read::Decoder::with_buffer(buffered).map_err(|e| Error::io(path, e))?;
        (Box::new(d), true)
    } else {
        (Box::new(buffered), false)
    };
    Ok(Opened {
        path: path.to_path_buf(),
        reader: BufReader::with_capacity(1 << 16, reader),
        raw_bytes: count,
        streamed: stdin || compressed,
        live: stdin,
    })
}

/// One block of input rows, in input order.
#[derive(Debug)]
pub enum InBlock {
    /// Whole CSV records, to be parsed.
    Csv(Block),
    /// Whole JSON Lines lines, to be parsed.
    Jsonl(Block),
    /// A slice of a Parquet or Arrow batch, to be turned into rows.
    Batch(crate::io::columnar::BatchBlock),
}

/// Where the blocks come from.
enum Reader {
    Csv(Blocks<BufReader<Box<dyn Read + Send>>>),
    Jsonl(LineBlocks),
    Batches(Box<crate::io::columnar::BatchRows>),
}

/// An input, recognised: its column names and its rows, in blocks.
pub struct Source {
    /// The path, as given.
    pub path: PathBuf,
    /// The format read.
    pub format: InputFormat,
    /// The column names.
    pub header: Vec<String>,
    /// The CSV delimiter (a comma for other formats).
    pub delimiter: u8,
    /// Raw bytes read so far.
    pub raw_bytes: Arc<AtomicU64>,
    reader: Reader,
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("path", &self.path)
            .field("format", &self.format)
            .finish()
    }
}

impl Source {
    /// Opens `path` and reads its header: the CSV header row, the keys of
    /// the first JSON line, or the Parquet or Arrow schema.
    pub fn open(path: &Path, opts: &SourceOptions) -> Result<Source> {
        let mut inp = open(path)?;
        let head = inp.reader.fill_buf().map_err(|e| Error::io(path, e))?;
        let format = opts.format.unwrap_or_else(|| InputFormat::detect(head));
        match format {
            InputFormat::Csv => Source::csv(inp, opts),
            InputFormat::Jsonl => Source::jsonl(inp),
            InputFormat::Parquet | InputFormat::Arrow => {
                let raw_bytes = inp.raw_bytes.clone();
                let (header, rows) = crate::io::columnar::open(inp, format, opts)?;
                Ok(Source {
                    path: path.to_path_buf(),
                    format,
                    header,
                    delimiter: b',',
                    raw_bytes,
                    reader: Reader::Batches(Box::new(rows)),
                })
            }
        }
    }

    fn csv(inp: Opened, opts: &SourceOptions) -> Result<Source> {
        let path = inp.path.clone();
        let raw_bytes = inp.raw_bytes.clone();
        let mut blocks = Blocks::new(inp.reader, b',');
        blocks.set_live(inp.live);
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
        Ok(Source {
            path,
            format: InputFormat::Csv,
            header,
            delimiter,
            raw_bytes,
            reader: Reader::Csv(blocks),
        })
    }

    fn jsonl(inp: Opened) -> Result<Source> {
        let path = inp.path.clone();
        let raw_bytes = inp.raw_bytes.clone();
        let mut lines = LineBlocks::new(inp.reader, inp.live);
        let header = lines.header(&path)?;
        Ok(Source {
            path,
            format: InputFormat::Jsonl,
            header,
            delimiter: b',',
            raw_bytes,
            reader: Reader::Jsonl(lines),
        })
    }

    /// The Arrow schema of a Parquet or Arrow input (`None` for text).
    pub fn arrow_schema(&self) -> Option<arrow_schema::SchemaRef> {
        match &self.reader {
            Reader::Batches(b) => Some(b.schema()),
            _ => None,
        }
    }

    /// Reads only the header columns `columns` where the format can skip
    /// the others (Parquet); the `text` ones (title and text) must hold
    /// text (Parquet, Arrow: a column's type is known before its rows).
    pub fn select(&mut self, columns: &[usize], text: &[usize]) -> Result<()> {
        match &mut self.reader {
            Reader::Batches(b) => b.select(columns, text),
            _ => Ok(()),
        }
    }

    /// Takes the buffers of new blocks from `spare` when it has some.
    pub fn reuse_from(&mut self, spare: crossbeam_channel::Receiver<Vec<u8>>) {
        match &mut self.reader {
            Reader::Csv(b) => b.reuse_from(spare),
            Reader::Jsonl(l) => l.spare = Some(spare),
            Reader::Batches(_) => {}
        }
    }

    /// The next block of about `target` bytes (or rows' worth); `None` at
    /// the end of the input.
    pub fn next_block(&mut self, target: usize) -> Result<Option<InBlock>> {
        let path = &self.path;
        match &mut self.reader {
            Reader::Csv(b) => Ok(b
                .next_block(target)
                .map_err(|e| Error::io(path, e))?
                .map(InBlock::Csv)),
            Reader::Jsonl(l) => Ok(l
                .next_block(target)
                .map_err(|e| Error::io(path, e))?
                .map(InBlock::Jsonl)),
            Reader::Batches(b) => b.next_block(target),
        }
    }
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
            "{}: this is not a CSV export: its header line holds binary data (byte 0x{b:02x}); pmpo reads CSV, JSON Lines, Parquet and Arrow IPC (see --input-format)",
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

/// Cuts a byte stream into blocks of whole lines.
struct LineBlocks {
    src: BufReader<Box<dyn Read + Send>>,
    buf: Vec<u8>,
    spare: Option<crossbeam_channel::Receiver<Vec<u8>>>,
    start_byte: u64,
    start_line: u64,
    eof: bool,
    /// A live stream: blocks are also cut at what has arrived (see
    /// [`Blocks::set_live`]).
    live: bool,
    /// The last read of a live stream found fewer bytes waiting than asked.
    drained: bool,
}

impl LineBlocks {
    fn new(src: BufReader<Box<dyn Read + Send>>, live: bool) -> LineBlocks {
        LineBlocks {
            src,
            buf: Vec::new(),
            spare: None,
            start_byte: 0,
            start_line: 1,
            eof: false,
            live,
            drained: false,
        }
    }

    /// The keys of the first object, in the line's order (the first line
    /// that is not blank; it stays in the input, as the first row).
    fn header(&mut self, path: &Path) -> Result<Vec<String>> {
        loop {
            let start = self
                .buf
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .unwrap_or(self.buf.len());
            let rest = self.buf.get(start..).unwrap_or(&[]);
            if let Some(end) = memchr::memchr(b'\n', rest).or(if self.eof && !rest.is_empty() {
                Some(rest.len())
            } else {
                None
            }) {
                let line = rest.get(..end).unwrap_or(&[]);
                let line_no = 1 + memchr::memchr_iter(b'\n', self.buf.get(..start).unwrap_or(&[]))
                    .count() as u64;
                return match parse_object(line) {
                    Ok(obj) => Ok(obj.0.into_iter().map(|(k, _)| k).collect()),
                    Err(e) => Err(Error::new(ErrorKind::Csv {
                        path: path.to_path_buf(),
                        line: Some(line_no),
                        byte: Some(start as u64),
                        message: format!("the first line is not a JSON object, so the columns are not known: {e}"),
                    })),
                };
            }
            if self.eof {
                return Err(Error::config(format!(
                    "{}: the file is empty (no JSON object)",
                    path.display()
                )));
            }
            self.fill(1 << 16).map_err(|e| Error::io(path, e))?;
        }
    }

    fn fill(&mut self, n: usize) -> io::Result<()> {
        let (got, drained) = crate::split::fill(&mut self.src, &mut self.buf, n, self.live)?;
        self.eof = got == 0;
        self.drained = drained;
        Ok(())
    }

    fn next_block(&mut self, target: usize) -> io::Result<Option<Block>> {
        loop {
            let from = target.min(self.buf.len());
            let end = memchr::memchr(b'\n', self.buf.get(from..).unwrap_or(&[]))
                .map(|i| from + i)
                .or_else(|| {
                    self.drained
                        .then(|| memchr::memrchr(b'\n', &self.buf))
                        .flatten()
                });
            if let Some(end) = end {
                let data =
                    crate::split::take_before(&mut self.buf, end + 1, self.spare.as_ref(), 0);
                return Ok(Some(self.block(data)));
            }
            if self.eof {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                let data = std::mem::take(&mut self.buf);
                return Ok(Some(self.block(data)));
            }
            let short = target.saturating_sub(self.buf.len());
            self.fill(short.max(16 << 10))?;
        }
    }

    fn block(&mut self, data: Vec<u8>) -> Block {
        let block = Block {
            start_byte: self.start_byte,
            start_line: self.start_line,
            open_quote: false,
            data,
        };
        self.start_byte += block.data.len() as u64;
        self.start_line += memchr::memchr_iter(b'\n', &block.data).count() as u64;
        block
    }
}

/// A JSON object's members, in the line's order.
struct Object(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Object {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Object, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Object;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> std::result::Result<Object, A::Error> {
                let mut out = Vec::new();
                while let Some(kv) = m.next_entry::<String, serde_json::Value>()? {
                    out.push(kv);
                }
                Ok(Object(out))
            }
        }
        d.deserialize_map(V)
    }
}

fn parse_object(line: &[u8]) -> std::result::Result<Object, serde_json::Error> {
    serde_json::from_slice(line)
}

/// Parses a block's records into `rows` (reusing them), placing each in
/// the whole input; the JSON lines that are not objects go to `rejected`.
/// Returns the number of rows read. CSV records of a wrong field count are
/// left in `rows` for the caller to judge.
pub fn parse_block(
    block: &InBlock,
    header: &[String],
    delimiter: u8,
    rows: &mut Vec<Row>,
    rejected: &mut Vec<Rejected>,
) -> usize {
    let mut n = 0;
    let mut next = |rows: &mut Vec<Row>| -> usize {
        if rows.len() <= n {
            rows.push(Row::default());
        }
        n += 1;
        n - 1
    };
    match block {
        InBlock::Csv(b) => {
            let mut rdr = RowReader::new(&b.data, delimiter);
            loop {
                let i = next(rows);
                let Some(rec) = rows.get_mut(i) else { break };
                if !rdr.read(rec) {
                    n -= 1;
                    break;
                }
            }
            n
        }
        InBlock::Jsonl(b) => {
            let mut at = 0usize;
            let mut s = String::new();
            for (this_line, raw) in (b.start_line..).zip(b.data.split_inclusive(|&c| c == b'\n')) {
                let line_start = at;
                at += raw.len();
                let line = raw.strip_suffix(b"\n").unwrap_or(raw);
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                match parse_object(line) {
                    Ok(obj) => {
                        let i = next(rows);
                        let Some(row) = rows.get_mut(i) else { break };
                        row.clear();
                        for name in header {
                            match obj.0.iter().find(|(k, _)| k == name).map(|(_, v)| v) {
                                Some(serde_json::Value::String(t)) => row.push_field(t.as_bytes()),
                                Some(serde_json::Value::Null) | None => row.push_field(b""),
                                Some(v) => {
                                    s.clear();
                                    s.push_str(&v.to_string());
                                    row.push_field(s.as_bytes());
                                }
                            }
                        }
                    }
                    Err(e) => {
                        let mut row = Row::default();
                        row.push_field(line);
                        rejected.push(Rejected {
                            row,
                            line: this_line,
                            byte: b.start_byte + line_start as u64,
                            reason: format!("not a JSON object: {e}"),
                        });
                    }
                }
            }
            n
        }
        InBlock::Batch(b) => crate::io::columnar::fill_rows(b, rows),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter(b"title;text\n"), b';');
        assert_eq!(sniff_delimiter(b"\"a;b;c\",x\n"), b',');
        assert_eq!(sniff_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter(b"single\n"), b',');
    }

    #[test]
    fn formats_are_told_by_content() {
        assert_eq!(InputFormat::detect(b"PAR1\x15\x04"), InputFormat::Parquet);
        assert_eq!(InputFormat::detect(b"ARROW1\0\0"), InputFormat::Arrow);
        assert_eq!(
            InputFormat::detect(&[0xff, 0xff, 0xff, 0xff, 8, 0]),
            InputFormat::Arrow
        );
        assert_eq!(
            InputFormat::detect(b"\n {\"title\":1}\n"),
            InputFormat::Jsonl
        );
        assert_eq!(
            InputFormat::detect(b"title,description\n"),
            InputFormat::Csv
        );
        assert_eq!(InputFormat::detect(b""), InputFormat::Csv);
    }

    #[test]
    fn zstd_and_gzip_are_detected_by_content() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let text = b"title,description\nPO,backlog\n";
        let p = dir.path().join("a.csv");
        std::fs::write(&p, zstd::encode_all(&text[..], 3).unwrap()).unwrap();
        let mut s = Vec::new();
        open(&p).unwrap().reader.read_to_end(&mut s).unwrap();
        assert_eq!(s, text);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(text).unwrap();
        std::fs::write(&p, gz.finish().unwrap()).unwrap();
        let mut s = Vec::new();
        open(&p).unwrap().reader.read_to_end(&mut s).unwrap();
        assert_eq!(s, text);
    }

    #[test]
    fn json_lines_keep_the_first_lines_key_order_and_reject_broken_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.jsonl");
        std::fs::write(
            &p,
            "{\"title\":\"PO\",\"id\":7,\"description\":\"backlog\"}\n\n{\"id\":8,\"title\":null,\"x\":1}\n{broken\n",
        )
        .unwrap();
        let mut src = Source::open(&p, &SourceOptions::default()).unwrap();
        assert_eq!(src.format, InputFormat::Jsonl);
        assert_eq!(src.header, ["title", "id", "description"]);
        let block = src.next_block(1 << 20).unwrap().unwrap();
        let (mut rows, mut rej) = (Vec::new(), Vec::new());
        let n = parse_block(&block, &src.header, b',', &mut rows, &mut rej);
        assert_eq!(n, 2);
        let fields: Vec<Vec<&[u8]>> = rows[..n].iter().map(|r| r.iter().collect()).collect();
        assert_eq!(fields[0], [&b"PO"[..], b"7", b"backlog"]);
        assert_eq!(fields[1], [&b""[..], b"8", b""]);
        assert_eq!(rej.len(), 1);
        assert_eq!(rej[0].line, 4);
        assert!(
            rej[0].reason.starts_with("not a JSON object"),
            "{}",
            rej[0].reason
        );
    }
}
