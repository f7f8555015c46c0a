//! The options of a labelling run, built and checked once: the stages get
//! values that are known to be valid.

use crate::pipeline::{Format, Options, DEFAULT_MISMATCH_CONFIDENCE};
use crate::{Error, Result};

/// Builds checked [`Options`]: threads non-zero, a delimiter of one byte, a
/// confidence within 0 to 1.
///
/// ```
/// let opts = pmpo::OptionsBuilder::new()
///     .threads(Some(2))
///     .delimiter(Some(";"))
///     .mismatch_confidence(0.8)
///     .build()?;
/// assert_eq!(opts.delimiter, Some(b';'));
/// assert!(pmpo::OptionsBuilder::new().threads(Some(0)).build().is_err());
/// assert!(pmpo::OptionsBuilder::new().mismatch_confidence(1.5).build().is_err());
/// assert!(pmpo::OptionsBuilder::new().delimiter(Some(";;")).build().is_err());
/// # Ok::<(), pmpo::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct OptionsBuilder {
    opts: Options,
    threads: Option<usize>,
    delimiter: Option<String>,
    out_delimiter: Option<String>,
    confidence: Option<f64>,
}

impl OptionsBuilder {
    /// The defaults: columns found by name, CSV, all cores, delimiter
    /// detected, mismatch confidence 0.6.
    pub fn new() -> OptionsBuilder {
        OptionsBuilder::default()
    }

    /// The title column, when not found by name.
    pub fn title_col(mut self, col: Option<String>) -> Self {
        self.opts.title_col = col;
        self
    }

    /// The text columns, when not found by name.
    pub fn text_cols(mut self, cols: Vec<String>) -> Self {
        self.opts.text_cols = cols;
        self
    }

    /// The output format.
    pub fn format(mut self, format: Format) -> Self {
        self.opts.format = format;
        self
    }

    /// Worker threads; `None` for all cores. Zero is an error.
    pub fn threads(mut self, threads: Option<usize>) -> Self {
        self.threads = threads;
        self
    }

    /// The input delimiter: one byte, or `tab`; `None` detects it.
    pub fn delimiter(mut self, delimiter: Option<&str>) -> Self {
        self.delimiter = delimiter.map(str::to_string);
        self
    }

    /// The confidence a verdict needs before a title is called mismatched
    /// (0 to 1).
    pub fn mismatch_confidence(mut self, confidence: f64) -> Self {
        self.confidence = Some(confidence);
        self
    }

    /// Tokenize with the reference tokenizer (same output, slower).
    pub fn reference_tokenizer(mut self, on: bool) -> Self {
        self.opts.reference_tokenizer = on;
        self
    }

    /// Also aggregate a market report grouped by these columns.
    pub fn report(mut self, group_by: Option<Vec<String>>) -> Self {
        self.opts.report = group_by;
        self
    }

    /// Stop at the first row that cannot be read.
    pub fn strict(mut self, on: bool) -> Self {
        self.opts.strict = on;
        self
    }

    /// The input format, when it is not to be told from the content.
    pub fn input_format(mut self, format: Option<crate::io::source::InputFormat>) -> Self {
        self.opts.input_format = format;
        self
    }

    /// Write only these input columns, then pmpo's.
    pub fn keep(mut self, cols: Option<Vec<String>>) -> Self {
        self.opts.keep = cols;
        self
    }

    /// The CSV output delimiter (one byte, or `tab`); the input's when None.
    pub fn out_delimiter(mut self, delimiter: Option<&str>) -> Self {
        self.out_delimiter = delimiter.map(str::to_string);
        self
    }

    /// The checked options, or the first value that is not valid.
    pub fn build(self) -> Result<Options> {
        let mut opts = self.opts;
        if let Some(n) = self.threads {
            if n == 0 {
                return Err(Error::config("--threads must be at least 1"));
            }
            opts.threads = n;
        }
        opts.delimiter = self.delimiter.as_deref().map(delimiter).transpose()?;
        opts.out_delimiter = self.out_delimiter.as_deref().map(delimiter).transpose()?;
        opts.mismatch_confidence =
            confidence(self.confidence.unwrap_or(DEFAULT_MISMATCH_CONFIDENCE))?;
        Ok(opts)
    }
}

/// A delimiter given as one byte, or `tab` (or `\t`).
pub fn delimiter(s: &str) -> Result<u8> {
    match s {
        "\\t" | "tab" => Ok(b'\t'),
        _ if s.len() == 1 => Ok(s.as_bytes().first().copied().unwrap_or(b',')),
        _ => Err(Error::config(format!(
            "the delimiter must be one byte, got {s:?}"
        ))),
    }
}

/// A confidence, checked to lie within 0 to 1.
pub fn confidence(x: f64) -> Result<f64> {
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(Error::config(format!(
            "a confidence must be within 0 and 1, got {x}"
        )))
    }
}
