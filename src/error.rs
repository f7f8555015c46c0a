//! The library's one error type: an [`Error`] wrapping an [`ErrorKind`] that
//! carries the position (file, line, record, field) of what went wrong.

use std::fmt;
use std::path::PathBuf;

/// A specialised `Result` for pmpo's library.
pub type Result<T> = std::result::Result<T, Error>;

/// An error from any stage of pmpo, boxed so that `Result` stays small.
#[derive(Debug)]
pub struct Error(Box<ErrorKind>);

/// What went wrong, with where.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An I/O error on a named file (or `-` for standard input/output).
    Io {
        /// The file the error is about.
        path: PathBuf,
        /// The underlying error.
        err: std::io::Error,
    },
    /// A CSV record that could not be parsed.
    Csv {
        /// The input file.
        path: PathBuf,
        /// 1-based line where the record starts, when known.
        line: Option<u64>,
        /// 0-based byte offset where the record starts, when known.
        byte: Option<u64>,
        /// What the parser said.
        message: String,
    },
    /// A column asked for by name that the input does not have.
    MissingColumn {
        /// The input file.
        path: PathBuf,
        /// The column asked for.
        column: String,
        /// The columns the header does have.
        available: Vec<String>,
    },
    /// The input has no header, or no column that looks like posting text.
    NoTextColumn {
        /// The input file.
        path: PathBuf,
        /// The columns the header does have.
        available: Vec<String>,
    },
    /// A model file that is missing, corrupt or of the wrong version.
    Model {
        /// The model file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// Anything else that is invalid about a configuration or an argument.
    Config(String),
}

impl Error {
    /// Wraps a kind into an error.
    pub fn new(kind: ErrorKind) -> Error {
        Error(Box::new(kind))
    }

    /// The kind of this error.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, err: std::io::Error) -> Error {
        Error::new(ErrorKind::Io {
            path: path.into(),
            err,
        })
    }

    /// A model-file error on `path`.
    pub fn model(path: impl Into<PathBuf>, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Model {
            path: path.into(),
            message: message.into(),
        })
    }

    /// A configuration error.
    pub fn config(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Config(message.into()))
    }

    /// Whether this is a broken pipe on output (`pmpo label ... | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(&*self.0, ErrorKind::Io { err, .. } if err.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::Io { path, err } => write!(f, "{}: {}", path.display(), err),
            ErrorKind::Csv {
                path,
                line,
                byte,
                message,
            } => {
                write!(f, "{}", path.display())?;
                if let Some(line) = line {
                    write!(f, ": line {line}")?;
                }
                if let Some(byte) = byte {
                    write!(f, " (byte {byte})")?;
                }
                write!(f, ": {message}")
            }
            ErrorKind::MissingColumn {
                path,
                column,
                available,
            } => write!(
                f,
                "{}: no column named {:?}; the columns are: {}",
                path.display(),
                column,
                available.join(", ")
            ),
            ErrorKind::NoTextColumn { path, available } => write!(
                f,
                "{}: no column looks like posting text (use --text-col); the columns are: {}",
                path.display(),
                available.join(", ")
            ),
            ErrorKind::Model { path, message } => write!(f, "{}: {}", path.display(), message),
            ErrorKind::Config(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            ErrorKind::Io { err, .. } => Some(err),
            _ => None,
        }
    }
}
