//! Opening an export and finding its columns.
//!
//! In: a path (or `-` for standard input) to a CSV file, plain or gzipped
//! (detected by its magic bytes, not its name). Out: a CSV reader over the
//! decoded bytes, a counter of the raw bytes read (for progress and speed),
//! and the [`Columns`] to read the title and text from.
//!
//! Column names are matched after folding case and dropping everything but
//! letters and digits, so `Job Title`, `job_title` and `JOBTITLE` are one.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use flate2::read::MultiGzDecoder;

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

/// Opens a path, or standard input for `-`, decompressing gzip.
pub fn open(path: &Path) -> Result<Input> {
    let count = Arc::new(AtomicU64::new(0));
    let (raw, size): (Box<dyn Read + Send>, Option<u64>) = if path == Path::new("-") {
        (Box::new(io::stdin()), None)
    } else {
        let f = File::open(path).map_err(|e| Error::io(path, e))?;
        let size = f.metadata().ok().map(|m| m.len());
        (Box::new(f), size)
    };
    let mut buffered = BufReader::with_capacity(
        1 << 16,
        Counting {
            inner: raw,
            count: count.clone(),
        },
    );
    let head = buffered.fill_buf().map_err(|e| Error::io(path, e))?;
    let gz = head.starts_with(&[0x1f, 0x8b]);
    let reader: Box<dyn Read + Send> = if gz {
        Box::new(MultiGzDecoder::new(buffered))
    } else {
        Box::new(buffered)
    };
    Ok(Input {
        path: path.to_path_buf(),
        reader,
        raw_bytes: count,
        raw_size: size,
    })
}

/// A CSV reader over an opened input.
pub type CsvReader = csv::Reader<Box<dyn Read + Send>>;

/// Opens a CSV export for reading whole records: the header (BOM dropped)
/// and a flexible reader positioned at the first data row.
pub fn open_csv(path: &Path) -> Result<(Vec<String>, CsvReader)> {
    let inp = open(path)?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(inp.reader);
    let mut header: Vec<String> = rdr
        .byte_headers()
        .map_err(|e| Error::config(format!("{}: {e}", path.display())))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    if let Some(first) = header.first_mut() {
        if let Some(s) = first.strip_prefix('\u{feff}') {
            *first = s.to_string();
        }
    }
    Ok((header, rdr))
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
