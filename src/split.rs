//! Raw CSV bytes cut into blocks of whole records, without parsing fields.
//!
//! The reader thread of a run only reads and cuts; the workers parse. To cut
//! between records it must know where records end, and a [`Scanner`] tells
//! that at memory speed: it follows the grammar the csv crate reads
//! (RFC 4180 quoting with `""` escapes; a quote opens a field only at the
//! field's start and is literal anywhere else; CR, LF or CRLF end a record)
//! but looks only at the bytes that can change its state: inside a quoted
//! field it jumps to the next quote, outside one to the next delimiter or
//! line end (memchr). Postings are long quoted texts, so it mostly jumps.
//!
//! Guarantee: every cut [`Blocks`] makes is a record end for the csv crate,
//! so parsing the blocks one by one gives the records of parsing the whole
//! stream (checked against the csv crate on random input in the tests).

use std::io::{self, Read};

/// Where a scan stands in the CSV grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a record: line ends here are blank lines, which the
    /// csv crate skips, so they end nothing.
    RecordStart,
    /// At the start of a field after a delimiter.
    FieldStart,
    /// In a field that is not quoted, or after a quoted part's closing quote.
    Unquoted,
    /// Inside a quoted field.
    Quoted,
}

/// Finds record ends in a growing buffer, resuming where it stopped.
#[derive(Debug, Clone)]
pub struct Scanner {
    delimiter: u8,
    state: State,
    /// Offset in the buffer up to which the bytes are scanned.
    pos: usize,
    /// The last record end scanned (an offset in the buffer).
    last_end: Option<usize>,
}

impl Scanner {
    /// A scanner at the start of a record.
    pub fn new(delimiter: u8) -> Scanner {
        Scanner {
            delimiter,
            state: State::RecordStart,
            pos: 0,
            last_end: None,
        }
    }

    /// The first record end at or after offset `min` of `buf` (the offset
    /// just past the record's line end), scanning on from where the last
    /// call stopped; `None` when `buf` holds no such end yet. Every call
    /// must see the bytes of the previous ones, with more after them.
    pub fn next_end(&mut self, buf: &[u8], min: usize) -> Option<usize> {
        loop {
            match self.state {
                State::RecordStart => {
                    let b = *buf.get(self.pos)?;
                    if b == b'\n' || b == b'\r' {
                        self.pos += 1;
                    } else {
                        self.state = State::FieldStart;
                    }
                }
                State::FieldStart => {
                    let b = *buf.get(self.pos)?;
                    if b == b'"' {
                        self.state = State::Quoted;
                        self.pos += 1;
                    } else {
                        self.state = State::Unquoted;
                    }
                }
                State::Quoted => {
                    let Some(i) = buf.get(self.pos..).and_then(|r| memchr::memchr(b'"', r)) else {
                        self.pos = buf.len();
                        return None;
                    };
                    let quote = self.pos + i;
                    // The byte after a quote tells an escaped quote from a
                    // closing one: wait for it.
                    match buf.get(quote + 1) {
                        None => {
                            self.pos = quote;
                            return None;
                        }
                        Some(b'"') => self.pos = quote + 2,
                        Some(_) => {
                            self.pos = quote + 1;
                            self.state = State::Unquoted;
                        }
                    }
                }
                State::Unquoted => {
                    let Some(i) = buf
                        .get(self.pos..)
                        .and_then(|r| memchr::memchr3(self.delimiter, b'\n', b'\r', r))
                    else {
                        self.pos = buf.len();
                        return None;
                    };
                    let at = self.pos + i;
                    let b = buf.get(at).copied().unwrap_or(b'\n');
                    if b == self.delimiter {
                        self.pos = at + 1;
                        self.state = State::FieldStart;
                        continue;
                    }
                    // A CRLF is cut after its CR: the csv crate places the
                    // next record at the LF, and so does a block that
                    // starts with it (a blank line, skipped).
                    let end = at + 1;
                    self.pos = end;
                    self.state = State::RecordStart;
                    self.last_end = Some(end);
                    if end >= min {
                        return Some(end);
                    }
                }
            }
        }
    }

    /// Makes the scan's offsets relative to the bytes after a cut at `at`
    /// (an end returned by [`Scanner::next_end`]).
    pub fn rebase(&mut self, at: usize) {
        self.pos = self.pos.saturating_sub(at);
        self.last_end = self
            .last_end
            .and_then(|e| e.checked_sub(at))
            .filter(|&e| e > 0);
    }

    /// The last record end found so far, past the last cut.
    pub fn last_end(&self) -> Option<usize> {
        self.last_end
    }

    /// Whether `buf`, scanned to its end as the whole rest of the input,
    /// ends inside a quoted field: a quote that is never closed.
    pub fn ends_in_quotes(&mut self, buf: &[u8]) -> bool {
        let _ = self.next_end(buf, usize::MAX);
        // A quote waiting for its next byte at the very end closes the field.
        self.state == State::Quoted && buf.get(self.pos) != Some(&b'"')
    }
}

/// A run of whole records from the input, with its place in the input.
#[derive(Debug, Default)]
pub struct Block {
    /// The records' bytes, line ends included.
    pub data: Vec<u8>,
    /// Offset of the first byte in the (decoded) input.
    pub start_byte: u64,
    /// Line number (from 1) of the first byte.
    pub start_line: u64,
    /// The input's last block, ending inside a quoted field: its last
    /// record holds a quote that is never closed.
    pub open_quote: bool,
}

/// Bytes read from the input per read call past a block's target.
const READ_BYTES: usize = 16 << 10;

/// Cuts a byte stream into [`Block`]s of whole records.
pub struct Blocks<R> {
    src: R,
    buf: Vec<u8>,
    /// Where buffers of blocks done with come back, to be filled again.
    spare: Option<crossbeam_channel::Receiver<Vec<u8>>>,
    scan: Scanner,
    start_byte: u64,
    start_line: u64,
    eof: bool,
    /// Whether the input is a live stream (standard input): a block is then
    /// also cut when a read finds no more bytes waiting, so that rows come
    /// out while the stream stays open.
    live: bool,
    /// The last read of a live stream found fewer bytes waiting than asked.
    drained: bool,
}

impl<R: Read> Blocks<R> {
    /// Blocks of `src`, whose fields are separated by `delimiter`.
    pub fn new(src: R, delimiter: u8) -> Blocks<R> {
        Blocks {
            src,
            buf: Vec::new(),
            spare: None,
            scan: Scanner::new(delimiter),
            start_byte: 0,
            start_line: 1,
            eof: false,
            live: false,
            drained: false,
        }
    }

    /// Reads a live stream (a pipe on standard input): blocks are cut at
    /// the last whole record whenever a read returns fewer bytes than
    /// asked, instead of waiting for `target` bytes, so that a filter fed
    /// a few rows at a time answers them without waiting for more.
    pub fn set_live(&mut self, live: bool) {
        self.live = live;
    }

    /// The first bytes of the input (up to `n`, fewer at its end), without
    /// consuming them. A live stream stops early, at its first line end
    /// once a read has found no more bytes waiting.
    pub fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        while self.buf.len() < n && !self.eof {
            self.fill(n - self.buf.len())?;
            if self.drained && memchr::memchr(b'\n', &self.buf).is_some() {
                break;
            }
        }
        Ok(self.buf.get(..n.min(self.buf.len())).unwrap_or(&[]))
    }

    /// Takes the buffers of new blocks from `spare` when it has some (the
    /// blocks' users send them back when done), so that a run reuses a few
    /// buffers instead of allocating one per block.
    pub fn reuse_from(&mut self, spare: crossbeam_channel::Receiver<Vec<u8>>) {
        self.spare = Some(spare);
    }

    /// Sets the delimiter (before the first block is taken).
    pub fn set_delimiter(&mut self, delimiter: u8) {
        self.scan = Scanner::new(delimiter);
    }

    /// The next block: the records up to the first record end at or after
    /// `target` bytes, or the rest of the input; `None` at its end.
    pub fn next_block(&mut self, target: usize) -> io::Result<Option<Block>> {
        loop {
            if let Some(cut) = self.scan.next_end(&self.buf, target.max(1)) {
                return Ok(Some(self.cut(cut, target)));
            }
            if self.eof {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                let open = self.scan.ends_in_quotes(&self.buf);
                let data = std::mem::take(&mut self.buf);
                return Ok(Some(self.block(data, open)));
            }
            if self.drained {
                if let Some(cut) = self.scan.last_end() {
                    return Ok(Some(self.cut(cut, target)));
                }
            }
            // Reads stop near the target, so that little is left over
            // past the cut to copy into the next block.
            let short = target.saturating_sub(self.buf.len());
            self.fill(short.max(READ_BYTES))?;
        }
    }

    /// The block of the buffer's bytes before `cut` (a record end); the
    /// rest stays for the next one.
    fn cut(&mut self, cut: usize, target: usize) -> Block {
        let reserve = target.max(READ_BYTES) + READ_BYTES;
        let data = take_before(&mut self.buf, cut, self.spare.as_ref(), reserve);
        self.scan.rebase(cut);
        self.block(data, false)
    }

    fn block(&mut self, data: Vec<u8>, open_quote: bool) -> Block {
        let block = Block {
            start_byte: self.start_byte,
            start_line: self.start_line,
            open_quote,
            data,
        };
        self.start_byte += block.data.len() as u64;
        self.start_line += memchr::memchr_iter(b'\n', &block.data).count() as u64;
        block
    }

    /// Reads up to `n` more bytes; notes the end of the input, and whether
    /// a live stream had fewer bytes waiting than asked.
    fn fill(&mut self, n: usize) -> io::Result<()> {
        let (got, drained) = fill(&mut self.src, &mut self.buf, n, self.live)?;
        self.eof = got == 0;
        self.drained = drained;
        Ok(())
    }
}

/// Takes the bytes of `buf` before `cut`, leaving the rest in a buffer
/// from `spare` when one has come back (else a new one) with room for
/// `reserve` bytes.
pub fn take_before(
    buf: &mut Vec<u8>,
    cut: usize,
    spare: Option<&crossbeam_channel::Receiver<Vec<u8>>>,
    reserve: usize,
) -> Vec<u8> {
    let mut rest = spare.and_then(|rx| rx.try_recv().ok()).unwrap_or_default();
    rest.clear();
    rest.reserve(reserve);
    rest.extend_from_slice(buf.get(cut..).unwrap_or(&[]));
    let mut data = std::mem::replace(buf, rest);
    data.truncate(cut);
    data
}

/// Reads up to `n` more bytes of `src` into `buf`: for a file, until `n`
/// or the end; for a live stream, one read, which returns what is waiting.
/// The bytes read, and whether a live stream returned fewer than asked.
pub fn fill<R: Read>(
    src: &mut R,
    buf: &mut Vec<u8>,
    n: usize,
    live: bool,
) -> io::Result<(usize, bool)> {
    if !live {
        let got = src.take(n as u64).read_to_end(buf)?;
        return Ok((got, false));
    }
    let start = buf.len();
    buf.resize(start + n, 0);
    let got = loop {
        match src.read(buf.get_mut(start..).unwrap_or(&mut [])) {
            Ok(got) => break got,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.truncate(start);
                return Err(e);
            }
        }
    };
    buf.truncate(start + got);
    Ok((got, got < n))
}

/// One record read from a block: its fields, unescaped, and where it
/// starts in the block.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Row {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    start: usize,
}

impl Row {
    /// The number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the record has no fields.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Field `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            Some(j) => *self.ends.get(j)?,
            None => 0,
        };
        self.bytes.get(start..end)
    }

    /// The fields, in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or(&[]))
    }

    /// All the fields' bytes, one after the other.
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes
    }

    /// Where the record starts in its block: just past the end of the
    /// record before it (before any blank lines), as the csv crate places
    /// records.
    pub fn start(&self) -> usize {
        self.start
    }

    fn end_field(&mut self) {
        self.ends.push(self.bytes.len());
    }

    /// Empties the row (keeping its buffers), to be filled with
    /// [`Row::push_field`]: for inputs that are not CSV.
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
        self.start = 0;
    }

    /// Appends a field.
    pub fn push_field(&mut self, field: &[u8]) {
        self.bytes.extend_from_slice(field);
        self.end_field();
    }
}

/// Reads the records of one block, as the csv crate reads them (flexible
/// field counts, `"` quotes with `""` escapes, CR, LF or CRLF record ends,
/// blank lines skipped), copying runs of field bytes found with memchr
/// instead of stepping through them byte by byte.
#[derive(Debug)]
pub struct RowReader<'a> {
    data: &'a [u8],
    delimiter: u8,
    pos: usize,
}

impl<'a> RowReader<'a> {
    /// A reader at the start of `data`, which starts at a record's start.
    pub fn new(data: &'a [u8], delimiter: u8) -> RowReader<'a> {
        RowReader {
            data,
            delimiter,
            pos: 0,
        }
    }

    /// Reads the next record into `row`; false at the end of the data.
    pub fn read(&mut self, row: &mut Row) -> bool {
        let d = self.data;
        row.bytes.clear();
        row.ends.clear();
        row.start = self.pos;
        while let Some(b'\r' | b'\n') = d.get(self.pos) {
            self.pos += 1;
        }
        if self.pos >= d.len() {
            return false;
        }
        loop {
            // At a field's start: a quote opens a quoted part.
            if d.get(self.pos) == Some(&b'"') {
                self.pos += 1;
                loop {
                    let rest = d.get(self.pos..).unwrap_or(&[]);
                    let Some(i) = memchr::memchr(b'"', rest) else {
                        // The input ends inside the quotes.
                        row.bytes.extend_from_slice(rest);
                        self.pos = d.len();
                        row.end_field();
                        return true;
                    };
                    row.bytes.extend_from_slice(rest.get(..i).unwrap_or(&[]));
                    self.pos += i + 1;
                    if d.get(self.pos) == Some(&b'"') {
                        row.bytes.push(b'"');
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
            }
            // Unquoted bytes (or those after a closing quote), quotes
            // among them literal, up to a delimiter or a record end.
            let rest = d.get(self.pos..).unwrap_or(&[]);
            let Some(i) = memchr::memchr3(self.delimiter, b'\n', b'\r', rest) else {
                row.bytes.extend_from_slice(rest);
                self.pos = d.len();
                row.end_field();
                return true;
            };
            row.bytes.extend_from_slice(rest.get(..i).unwrap_or(&[]));
            let b = rest.get(i).copied().unwrap_or(b'\n');
            self.pos += i + 1;
            row.end_field();
            if b != self.delimiter {
                return true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The records of `data` as the csv crate reads it, with their line
    /// numbers and byte offsets.
    fn records(data: &[u8], start_line: u64, start_byte: u64) -> Vec<(Vec<Vec<u8>>, u64, u64)> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(data);
        let mut out = Vec::new();
        let mut rec = csv::ByteRecord::new();
        while rdr.read_byte_record(&mut rec).unwrap() {
            let p = rec.position().unwrap();
            out.push((
                rec.iter().map(<[u8]>::to_vec).collect(),
                start_line + p.line() - 1,
                start_byte + p.byte(),
            ));
        }
        out
    }

    /// Records with their line and byte, and whether the input ends in quotes.
    type Cut = (Vec<(Vec<Vec<u8>>, u64, u64)>, bool);

    fn blockwise(data: &[u8], target: usize) -> Cut {
        live_blockwise(data, target, None)
    }

    /// A reader that hands out its bytes a few at a time, as a pipe does.
    struct Trickle<'a> {
        data: &'a [u8],
        sizes: Vec<usize>,
        i: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let want = self
                .sizes
                .get(self.i % self.sizes.len().max(1))
                .copied()
                .unwrap_or(1);
            self.i += 1;
            let n = want.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// The records of `data` cut into blocks; read as a live stream in
    /// reads of `sizes` bytes when given.
    fn live_blockwise(data: &[u8], target: usize, sizes: Option<Vec<usize>>) -> Cut {
        let live = sizes.is_some();
        let src: Box<dyn Read> = match sizes {
            Some(sizes) => Box::new(Trickle { data, sizes, i: 0 }),
            None => Box::new(data),
        };
        let mut blocks = Blocks::new(src, b',');
        blocks.set_live(live);
        let mut out = Vec::new();
        let mut open = false;
        while let Some(b) = blocks.next_block(target).unwrap() {
            out.extend(records(&b.data, b.start_line, b.start_byte));
            open = b.open_quote;
        }
        (out, open)
    }

    #[test]
    fn cuts_only_between_records() {
        let data = b"a,b\n\"x\ny\",\"q\"\"\r\n\"\r\n1,\"2\"3\r4,5\n\n\"open,\n";
        for target in 1..data.len() + 2 {
            let (got, open) = blockwise(data, target);
            assert_eq!(got, records(data, 1, 0), "target {target}");
            assert!(open, "target {target}");
        }
    }

    /// Hands out its first chunk, then fails the test if read again.
    struct Stalls(Option<&'static [u8]>);

    impl Read for Stalls {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let data = self.0.take().expect("read past what has arrived");
            buf[..data.len()].copy_from_slice(data);
            Ok(data.len())
        }
    }

    #[test]
    fn a_live_stream_is_cut_at_what_has_arrived() {
        let mut blocks = Blocks::new(Stalls(Some(b"id,text\n1,\"a\nb\"\n2,c\n3,\"d")), b',');
        blocks.set_live(true);
        let b = blocks.next_block(1 << 20).unwrap().unwrap();
        assert_eq!(b.data, b"id,text\n1,\"a\nb\"\n2,c\n");
    }

    #[test]
    fn a_closing_quote_at_the_end_is_not_open() {
        for data in [&b"a,\"b\""[..], b"a,\"b\"\"\"", b"a,b\"", b"\"\""] {
            let (_, open) = blockwise(data, 1);
            assert!(!open, "{:?}", String::from_utf8_lossy(data));
        }
        let (_, open) = blockwise(b"a,\"b\"\"", 1);
        assert!(open);
    }

    /// Whether `data` ends inside a quoted field, byte by byte.
    fn naive_open(data: &[u8]) -> bool {
        // 0 field start, 1 unquoted, 2 quoted, 3 a quote inside quotes.
        let mut st = 0;
        for &b in data {
            st = match (st, b) {
                (0, b'"') => 2,
                (0 | 1 | 3, b',' | b'\n' | b'\r') => 0,
                (0 | 1, _) => 1,
                (2, b'"') => 2 + 1,
                (2, _) => 2,
                (3, b'"') => 2,
                (3, _) => 1,
                _ => st,
            };
        }
        st == 2
    }

    /// The records of `data` by [`RowReader`], placed as in [`records`].
    fn rows(data: &[u8], start_line: u64, start_byte: u64) -> Vec<(Vec<Vec<u8>>, u64, u64)> {
        let mut r = RowReader::new(data, b',');
        let mut row = Row::default();
        let mut out = Vec::new();
        while r.read(&mut row) {
            let line = start_line + memchr::memchr_iter(b'\n', &data[..row.start()]).count() as u64;
            out.push((
                row.iter().map(<[u8]>::to_vec).collect(),
                line,
                start_byte + row.start() as u64,
            ));
            assert_eq!(row.as_slice(), row.iter().collect::<Vec<_>>().concat());
        }
        out
    }

    #[test]
    fn rows_are_read_like_the_csv_crate() {
        for data in [
            &b"a,b\n\"x\ny\",\"q\"\"\r\n\"\r\n1,\"2\"3\r4,5\n\n\"open,\n"[..],
            b"",
            b"\n\r\n",
            b"a,",
            b"a,\"\"",
            b"\"a\"b\"c\",d",
            b"x\"y,\"z\"\"\"",
        ] {
            assert_eq!(
                rows(data, 1, 0),
                records(data, 1, 0),
                "{:?}",
                String::from_utf8_lossy(data)
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn rows_match_the_csv_crate(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'"'), Just(b','), Just(b'\n'), Just(b'\r'), Just(b'a'), Just(b' ')],
                0..200,
            ),
        ) {
            prop_assert_eq!(rows(&bytes, 1, 0), records(&bytes, 1, 0));
        }

        #[test]
        fn blocks_parse_like_the_whole_stream(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'"'), Just(b','), Just(b'\n'), Just(b'\r'), Just(b'a'), Just(b' ')],
                0..200,
            ),
            target in 1usize..40,
        ) {
            let (got, open) = blockwise(&bytes, target);
            prop_assert_eq!(got, records(&bytes, 1, 0));
            prop_assert_eq!(open, naive_open(&bytes));
        }

        #[test]
        fn live_blocks_parse_like_the_whole_stream(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'"'), Just(b','), Just(b'\n'), Just(b'\r'), Just(b'a'), Just(b' ')],
                0..200,
            ),
            target in 1usize..60,
            sizes in proptest::collection::vec(1usize..30, 1..6),
        ) {
            let (got, open) = live_blockwise(&bytes, target, Some(sizes));
            prop_assert_eq!(got, records(&bytes, 1, 0));
            prop_assert_eq!(open, naive_open(&bytes));
        }
    }
}
