//! Opening an export and finding its columns.
//!
//! In: a path (or `-` for standard input) to an export of any format
//! pmpo reads (see [`crate::io::source`]). Out: the decoded bytes or the
//! records ([`open_csv`]), and the [`Columns`] to read the title and text
//! from.
//!
//! Column names are matched after folding case and dropping everything but
//! letters and digits, so `Job Title`, `job_title` and `JOBTITLE` are one.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use crate::{Error, ErrorKind, Result};

/// Header names that hold a posting's title, best first.
pub const TITLE_NAMES: &[&str] = &[
    "title",
    "jobtitle",
    "positiontitle",
    "position",
    "positionname",
    "jobname",
    "role",
    "roletitle",
    "jobrole",
    "designation",
    "vacancy",
    "vacancytitle",
    "intitule",
    "titel",
    "stellenbezeichnung",
];

/// Header names that hold a posting's text; every one present is used, in
/// the file's column order.
pub const TEXT_NAMES: &[&str] = &[
    "description",
    "jobdescription",
    "descriptiontext",
    "descriptionhtml",
    "body",
    "text",
    "content",
    "details",
    "jobdetails",
    "summary",
    "jobsummary",
    "responsibilities",
    "duties",
    "tasks",
    "requirements",
    "jobrequirements",
    "qualifications",
    "profile",
    "beschreibung",
    "stellenbeschreibung",
    "aufgaben",
    "descriptif",
    "missions",
];

/// Folds a header name for matching: lower-case letters and digits only.
pub fn fold_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Which columns hold the title and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// Index of the title column, if there is one.
    pub title: Option<usize>,
    /// Indexes of the text columns, in file order; never empty.
    pub text: Vec<usize>,
}

impl Columns {
    /// Picks the columns from a header: the given names when there are
    /// some (an unknown name is an error listing the columns there are),
    /// else the first header matching [`TITLE_NAMES`] and every header
    /// matching [`TEXT_NAMES`].
    pub fn pick(
        header: &[String],
        title: Option<&str>,
        text: &[String],
        path: &Path,
    ) -> Result<Columns> {
        let folded: Vec<String> = header.iter().map(|h| fold_name(h)).collect();
        let find = |name: &str| column_index(header, name, path);
        let title = match title {
            Some(t) => Some(find(t)?),
            None => TITLE_NAMES
                .iter()
                .find_map(|n| folded.iter().position(|h| h == n)),
        };
        let text = if text.is_empty() {
            folded
                .iter()
                .enumerate()
                .filter(|(i, h)| TEXT_NAMES.contains(&h.as_str()) && Some(*i) != title)
                .map(|(i, _)| i)
                .collect()
        } else {
            text.iter().map(|t| find(t)).collect::<Result<Vec<_>>>()?
        };
        if text.is_empty() {
            return Err(Error::new(ErrorKind::NoTextColumn {
                path: path.to_path_buf(),
                available: header.to_vec(),
            }));
        }
        Ok(Columns { title, text })
    }
}

/// The index of the column called `name`: the exact name first, else the
/// folded one; an unknown name is an error listing the columns there are.
pub fn column_index(header: &[String], name: &str, path: &Path) -> Result<usize> {
    header
        .iter()
        .position(|h| h == name)
        .or_else(|| header.iter().position(|h| fold_name(h) == fold_name(name)))
        .ok_or_else(|| {
            Error::new(ErrorKind::MissingColumn {
                path: path.to_path_buf(),
                column: name.to_string(),
                available: header.to_vec(),
            })
        })
}

/// An opened input.
pub struct Input {
    /// The path, as given (`-` for standard input).
    pub path: PathBuf,
    /// The decoded byte stream.
    pub reader: Box<dyn Read + Send>,
    /// Raw bytes read so far (compressed bytes for a gzipped file).
    pub raw_bytes: Arc<AtomicU64>,
    /// The raw size, when known (a file, not a pipe).
    pub raw_size: Option<u64>,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input").field("path", &self.path).finish()
    }
}

/// Opens a path, or standard input for `-`, decompressing gzip and zstd
/// (see [`crate::io::source::open`]).
pub fn open(path: &Path) -> Result<Input> {
    let o = crate::io::source::open(path)?;
    let raw_size = if path == Path::new("-") {
        None
    } else {
        std::fs::metadata(path).ok().map(|m| m.len())
    };
    Ok(Input {
        path: o.path,
        reader: Box::new(o.reader),
        raw_bytes: o.raw_bytes,
        raw_size,
    })
}

/// The records of an opened export, of any format (CSV, JSON Lines,
/// Parquet, Arrow IPC; told by content), as csv crate records: for the
/// commands that read postings one at a time (`learn`, `calibrate`,
/// `eval`, `check-tokenizer`).
#[derive(Debug)]
pub struct CsvReader(crate::io::postings::Rows);

impl CsvReader {
    /// The records, as bytes; rows may have any number of fields.
    pub fn byte_records(&mut self) -> impl Iterator<Item = Result<csv::ByteRecord>> + '_ {
        std::iter::from_fn(move || match self.0.next_row() {
            Ok(Some(r)) => Some(Ok(r.iter().collect())),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        })
    }

    /// The records, as text (invalid UTF-8 replaced).
    pub fn records(&mut self) -> impl Iterator<Item = Result<csv::StringRecord>> + '_ {
        std::iter::from_fn(move || match self.0.next_row() {
            Ok(Some(r)) => Some(Ok(r.iter().map(|f| String::from_utf8_lossy(f)).collect())),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        })
    }
}

/// Opens an export for reading whole records: the header (BOM dropped)
/// and a reader positioned at the first data row.
pub fn open_csv(path: &Path) -> Result<(Vec<String>, CsvReader)> {
    let rows = crate::io::postings::Rows::open(path)?;
    Ok((rows.header.clone(), CsvReader(rows)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn common_names_are_found() {
        let c = Columns::pick(
            &h(&[
                "id",
                "Job Title",
                "company",
                "job_description",
                "Requirements",
            ]),
            None,
            &[],
            Path::new("x.csv"),
        )
        .unwrap();
        assert_eq!(
            c,
            Columns {
                title: Some(1),
                text: vec![3, 4]
            }
        );
    }

    #[test]
    fn named_columns_win_and_unknown_ones_are_listed() {
        let c = Columns::pick(
            &h(&["a", "b", "c"]),
            Some("a"),
            &h(&["c"]),
            Path::new("x.csv"),
        )
        .unwrap();
        assert_eq!(
            c,
            Columns {
                title: Some(0),
                text: vec![2]
            }
        );
        let err =
            Columns::pick(&h(&["a", "b"]), None, &h(&["body"]), Path::new("x.csv")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.csv: no column named \"body\"; the columns are: a, b"
        );
    }

    #[test]
    fn no_text_column_is_an_error() {
        let err = Columns::pick(&h(&["id", "title"]), None, &[], Path::new("x.csv")).unwrap_err();
        assert!(err
            .to_string()
            .contains("no column looks like posting text"));
    }

    #[test]
    fn gzip_is_detected_by_content() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("plain-name.csv");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"title,description\nPO,backlog\n").unwrap();
        std::fs::write(&p, gz.finish().unwrap()).unwrap();
        let mut s = String::new();
        open(&p).unwrap().reader.read_to_string(&mut s).unwrap();
        assert_eq!(s, "title,description\nPO,backlog\n");
    }
}
