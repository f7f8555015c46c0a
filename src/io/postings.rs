//! Postings: the title and text of an input row, ready to label.
//!
//! In: a row ([`Row`], from any [`crate::io::source::Source`]) and the
//! [`Columns`] holding the title and the text. Out: the posting labelled
//! ([`label_row`]: the fields decoded, invalid UTF-8 replaced, several text
//! columns joined, the text cut at [`crate::engine::MAX_TEXT_BYTES`]) and
//! the row's note ([`note`]); or, for commands that read postings one at a
//! time, a [`Postings`] iterator of owned titles and texts.
//!
//! Guarantees: a field that is not valid UTF-8 is decoded lossily and the
//! row says so; nothing here fails on any bytes.

use std::borrow::Cow;
use std::path::Path;

use crate::engine::{Labelled, Labeller};
use crate::input::Columns;
use crate::io::sink::Rejected;
use crate::io::source::{parse_block, Source, SourceOptions};
use crate::model::Model;
use crate::split::Row;
use crate::Result;

/// Field `i` of a row as text, invalid UTF-8 replaced. Checks with the
/// fast validator first: the lossy decoder is only needed for broken bytes.
pub fn field(rec: &Row, i: usize) -> Cow<'_, str> {
    let bytes = rec.get(i).unwrap_or(b"");
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Labels the posting of a row; whether a title or text field needed
/// replacement characters (invalid UTF-8).
pub fn label_row<'a>(
    lab: &'a mut Labeller,
    model: &'a Model,
    cols: &Columns,
    rec: &'a Row,
) -> (Labelled<'a>, bool) {
    // A field that needed replacement characters is invalid UTF-8: the
    // fields are decoded once, and the note is told from how.
    let mut bad_utf8 = false;
    let title = match cols.title {
        Some(i) => field(rec, i),
        None => Cow::Borrowed(""),
    };
    bad_utf8 |= matches!(title, Cow::Owned(_));
    // One text column is labelled in place; several are joined.
    let l = match cols.text.as_slice() {
        [i] => match field(rec, *i) {
            Cow::Borrowed(f) => lab.label_text(model, &title, f),
            Cow::Owned(f) => {
                bad_utf8 = true;
                lab.label(model, &title, [f])
            }
        },
        _ => {
            let parts = cols.text.iter().map(|&i| {
                let f = field(rec, i);
                bad_utf8 |= matches!(f, Cow::Owned(_));
                f
            });
            lab.label(model, &title, parts)
        }
    };
    (l, bad_utf8)
}

/// What a row's `pmpo_note` says: everything about the row that a user
/// should know before trusting its label, or nothing.
pub fn note(l: &Labelled<'_>, bad_utf8: bool, out: &mut String) {
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

/// One posting, owned: its row, title and text (text columns joined by a
/// blank line).
#[derive(Debug, Clone, Default)]
pub struct Posting {
    /// The whole input row.
    pub row: Row,
    /// The title (empty without a title column).
    pub title: String,
    /// The text.
    pub text: String,
}

/// The postings of an input of any format, one at a time, in order; rows
/// that cannot be read (a wrong field count, a broken JSON line) are
/// counted in [`Postings::rejected`] and skipped.
pub struct Postings {
    source: Source,
    /// The input's column names.
    pub header: Vec<String>,
    /// The title and text columns.
    pub cols: Columns,
    rows: Vec<Row>,
    next: usize,
    n: usize,
    rejected: Vec<Rejected>,
    /// Rows that could not be read so far.
    pub n_rejected: u64,
}

impl std::fmt::Debug for Postings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Postings")
            .field("source", &self.source)
            .finish()
    }
}

impl Postings {
    /// Opens `path`, with the title and text columns found by name unless
    /// given.
    pub fn open(path: &Path, title: Option<&str>, text: &[String]) -> Result<Postings> {
        let source = Source::open(path, &SourceOptions::default())?;
        let header = source.header.clone();
        let cols = Columns::pick(&header, title, text, path)?;
        Ok(Postings {
            source,
            header,
            cols,
            rows: Vec::new(),
            next: 0,
            n: 0,
            rejected: Vec::new(),
            n_rejected: 0,
        })
    }

    /// The index of column `name` (exact or folded), if there is one.
    pub fn column(&self, name: &str) -> Option<usize> {
        crate::input::column_index(&self.header, name, Path::new("")).ok()
    }

    /// The next row that can be read, or `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<&Row>> {
        loop {
            while self.next < self.n {
                self.next += 1;
                let Some(r) = self.rows.get(self.next - 1) else {
                    continue;
                };
                if r.len() != self.header.len() {
                    self.n_rejected += 1;
                    continue;
                }
                return Ok(self.rows.get(self.next - 1));
            }
            let Some(block) = self.source.next_block(1 << 20)? else {
                return Ok(None);
            };
            self.rejected.clear();
            self.n = parse_block(
                &block,
                &self.header,
                self.source.delimiter,
                &mut self.rows,
                &mut self.rejected,
            );
            self.n_rejected += self.rejected.len() as u64;
            self.next = 0;
        }
    }
}

impl Iterator for Postings {
    type Item = Result<Posting>;
    fn next(&mut self) -> Option<Result<Posting>> {
        let cols = self.cols.clone();
        let row = match self.next_row() {
            Ok(Some(r)) => r.clone(),
            Ok(None) => return None,
            Err(e) => return Some(Err(e)),
        };
        let title = cols
            .title
            .map(|i| field(&row, i).into_owned())
            .unwrap_or_default();
        let mut text = String::new();
        for (k, &i) in cols.text.iter().enumerate() {
            if k > 0 {
                text.push_str("\n\n");
            }
            text.push_str(&field(&row, i));
        }
        Some(Ok(Posting { row, title, text }))
    }
}
