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

/// The rows of an input of any format, one at a time, in order, for
/// commands that do not need the parallel run.
pub struct Rows {
    source: Source,
    /// The input's column names.
    pub header: Vec<String>,
    rows: Vec<Row>,
    next: usize,
    n: usize,
    rejected: Vec<Rejected>,
}

impl std::fmt::Debug for Rows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rows")
            .field("source", &self.source)
            .finish()
    }
}

impl Rows {
    /// Opens `path` (any format, told by content).
    pub fn open(path: &Path) -> Result<Rows> {
        let source = Source::open(path, &SourceOptions::default())?;
        let header = source.header.clone();
        Ok(Rows {
            source,
            header,
            rows: Vec::new(),
            next: 0,
            n: 0,
            rejected: Vec::new(),
        })
    }

    /// The next row, whatever its field count (a CSV row may have more or
    /// fewer fields than the header); `None` at the end. A JSON line that
    /// is not an object is an error naming its line.
    pub fn next_row(&mut self) -> Result<Option<&Row>> {
        loop {
            if self.next < self.n {
                self.next += 1;
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
            self.next = 0;
            if let Some(r) = self.rejected.first() {
                return Err(crate::Error::new(crate::ErrorKind::Csv {
                    path: self.source.path.clone(),
                    line: Some(r.line),
                    byte: Some(r.byte),
                    message: r.reason.clone(),
                }));
            }
        }
    }
}

/// The postings of an input of any format, one at a time, in order; rows
/// of a field count unlike the header's are skipped and counted in
/// [`Postings::n_rejected`].
#[derive(Debug)]
pub struct Postings {
    rows: Rows,
    /// The title and text columns.
    pub cols: Columns,
    /// Rows skipped so far, their fields not telling title from text.
    pub n_rejected: u64,
}

impl Postings {
    /// Opens `path`, with the title and text columns found by name unless
    /// given.
    pub fn open(path: &Path, title: Option<&str>, text: &[String]) -> Result<Postings> {
        let rows = Rows::open(path)?;
        let cols = Columns::pick(&rows.header, title, text, path)?;
        Ok(Postings {
            rows,
            cols,
            n_rejected: 0,
        })
    }

    /// The input's column names.
    pub fn header(&self) -> &[String] {
        &self.rows.header
    }
}

impl Iterator for Postings {
    type Item = Result<Posting>;
    fn next(&mut self) -> Option<Result<Posting>> {
        let n_header = self.rows.header.len();
        let row = loop {
            match self.rows.next_row() {
                Ok(Some(r)) if r.len() == n_header => break r.clone(),
                Ok(Some(_)) => self.n_rejected += 1,
                Ok(None) => return None,
                Err(e) => return Some(Err(e)),
            }
        };
        let cols = &self.cols;
        let title = cols
            .title
            .map(|i| field(&row, i).into_owned())
            .unwrap_or_default();
        let mut text = String::new();
        for &i in &cols.text {
            let f = field(&row, i);
            if f.trim().is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&f);
        }
        Some(Ok(Posting { row, title, text }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_join_the_text_columns_and_skip_unreadable_rows() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        std::fs::write(
            &p,
            "title,description,requirements\nPO,backlog,\"scrum\"\nbad,row\nPM,,roadmap\n",
        )
        .unwrap();
        let mut it = Postings::open(&p, None, &[]).unwrap();
        let got: Vec<(String, String)> = it
            .by_ref()
            .map(|p| p.map(|p| (p.title, p.text)).unwrap())
            .collect();
        assert_eq!(
            got,
            [
                ("PO".to_string(), "backlog\n\nscrum".to_string()),
                ("PM".to_string(), "roadmap".to_string())
            ]
        );
        assert_eq!(it.n_rejected, 1);
    }
}
