//! Arrow batches labelled in memory: the way in for Python and Spark.
//!
//! In: an Arrow [`RecordBatch`] holding a title column (optional) and one
//! or more text columns (strings: `utf8`, `large_utf8`, `utf8_view`, or
//! dictionaries of them), and a [`Model`]. Out: a batch of pmpo's columns
//! only, one row per input row, in input order, typed as the columnar
//! sinks type them ([`crate::io::columnar::output_schema`], derived from
//! [`crate::io::record::Record`]); the caller appends them to its own data.
//! [`explain_record`] gives one posting's record as JSON, keyed as a
//! JSON Lines line is.
//!
//! Guarantees: a row gets exactly the cells `pmpo label` writes for the
//! same title and text (the same steps: one text column labelled in
//! place, several joined by a blank line, the note, the evidence cell, the
//! reason at the same mismatch confidence); a null title or text reads as
//! empty; the cells do not depend on the number of threads.

use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, StringBuilder, StringDictionaryBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::Int32Type;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, SchemaRef};
use rayon::prelude::*;

use crate::engine::Labeller;
use crate::input::Columns;
use crate::io::columnar::output_schema;
use crate::io::postings::note;
use crate::io::record::{columns, flat, Kind, Record};
use crate::io::sink::Layout;
use crate::model::Model;
use crate::pipeline::DEFAULT_MISMATCH_CONFIDENCE;
use crate::{Error, Result};

/// Rows labelled by one task of the thread pool.
const CHUNK_ROWS: usize = 256;

/// How to label batches: which columns, at which mismatch confidence, on
/// how many threads.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// The title column; found by common names when `None`.
    pub title: Option<String>,
    /// The text columns (joined by a blank line); found by common names
    /// when empty.
    pub text: Vec<String>,
    /// The confidence at which a title and duties that disagree are a
    /// mismatch.
    pub mismatch_confidence: f64,
    /// Worker threads; 0 uses rayon's global pool (one per core).
    pub threads: usize,
}

impl Default for BatchOptions {
    fn default() -> BatchOptions {
        BatchOptions {
            title: None,
            text: Vec::new(),
            mismatch_confidence: DEFAULT_MISMATCH_CONFIDENCE,
            threads: 0,
        }
    }
}

/// The Arrow schema of pmpo's columns, as [`label_batch`] returns them.
pub fn pmpo_schema() -> SchemaRef {
    Arc::new(output_schema(&Layout::default(), None))
}

/// A string column, whatever its Arrow string type.
enum Text<'a> {
    Absent,
    Utf8(&'a arrow_array::StringArray),
    Large(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
    /// A dictionary (any key type): its validity, keys as indexes, values.
    Dict(&'a dyn Array, Vec<usize>, Box<Text<'a>>),
}

impl<'a> Text<'a> {
    fn of(a: &'a ArrayRef, name: &str) -> Result<Text<'a>> {
        Text::of_array(a.as_ref(), name)
    }

    fn of_array(a: &'a dyn Array, name: &str) -> Result<Text<'a>> {
        Ok(match a.data_type() {
            DataType::Utf8 => Text::Utf8(a.as_string::<i32>()),
            DataType::LargeUtf8 => Text::Large(a.as_string::<i64>()),
            DataType::Utf8View => Text::View(a.as_string_view()),
            DataType::Null => Text::Absent,
            DataType::Dictionary(_, _) => match a.as_any_dictionary_opt() {
                Some(d) => {
                    let values = Text::of_array(d.values().as_ref(), name)?;
                    Text::Dict(a, d.normalized_keys(), Box::new(values))
                }
                None => return Err(Error::config(format!("column {name:?} cannot be read"))),
            },
            t => {
                return Err(Error::config(format!(
                    "column {name:?} holds {t}, not text: pmpo reads the title and text from string columns"
                )))
            }
        })
    }

    /// Value `i`, empty when null.
    fn get(&self, i: usize) -> &'a str {
        match self {
            Text::Absent => "",
            Text::Utf8(a) if a.is_valid(i) => a.value(i),
            Text::Large(a) if a.is_valid(i) => a.value(i),
            Text::View(a) if a.is_valid(i) => a.value(i),
            Text::Dict(d, keys, values) if d.is_valid(i) => {
                keys.get(i).map_or("", |&k| values.get(k))
            }
            _ => "",
        }
    }
}

/// One cell of a record, owned, between the labelling threads and the
/// column builders.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Str(String),
    Float(f64),
    Name(&'static str),
    Null,
}

struct Collect<'c>(&'c mut Vec<Cell>);

impl flat::Visit for Collect<'_> {
    fn cell(&mut self, _index: usize, _name: &'static str, cell: flat::Cell<'_>, _nullable: bool) {
        self.0.push(match cell {
            flat::Cell::Str(s) => Cell::Str(s.to_string()),
            flat::Cell::Float(x) => Cell::Float(x),
            flat::Cell::Name(_, n) => Cell::Name(n),
            flat::Cell::Null => Cell::Null,
        });
    }
}

/// Labels rows `rows` of the batch into `out`, the cells of each row in
/// column order.
fn label_rows(
    lab: &mut Labeller,
    model: &Model,
    title: &Text<'_>,
    text: &[Text<'_>],
    min: f64,
    rows: std::ops::Range<usize>,
    out: &mut Vec<Cell>,
) {
    let mut evidence = String::new();
    let mut reason = String::new();
    let mut note_text = String::new();
    for i in rows {
        let t = title.get(i);
        // As the CLI does: one text column in place, several joined.
        let l = match text {
            [one] => lab.label_text(model, t, one.get(i)),
            _ => lab.label(model, t, text.iter().map(|c| c.get(i))),
        };
        // Arrow strings are valid UTF-8: nothing was replaced.
        note(&l, false, &mut note_text);
        l.evidence_cell(5, &mut evidence);
        l.reason(min, &mut reason);
        let record = Record::new(&l, min, &reason, &evidence, &note_text, false);
        // A record without spans is flat.
        let _ = flat::walk(&record, &mut Collect(out));
    }
}

/// A column of pmpo's being built.
enum Builder {
    Str(StringBuilder),
    Float(Float64Builder),
    Name(StringDictionaryBuilder<Int32Type>),
}

impl Builder {
    fn push(&mut self, c: &Cell) {
        match (self, c) {
            (Builder::Str(b), Cell::Str(s)) => b.append_value(s),
            (Builder::Float(b), Cell::Float(x)) => b.append_value(*x),
            (Builder::Name(b), Cell::Name(s)) => b.append_value(s),
            (Builder::Str(b), _) => b.append_null(),
            (Builder::Float(b), _) => b.append_null(),
            (Builder::Name(b), _) => b.append_null(),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Str(b) => Arc::new(b.finish()),
            Builder::Float(b) => Arc::new(b.finish()),
            Builder::Name(b) => Arc::new(b.finish()),
        }
    }
}

/// Labels every row of `batch`: pmpo's columns, one row per input row,
/// with the schema [`pmpo_schema`].
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{RecordBatch, StringArray, Array};
/// let model = pmpo::Model::embedded()?;
/// let batch = RecordBatch::try_from_iter([
///     ("title", Arc::new(StringArray::from(vec!["Product Owner"])) as _),
///     ("description", Arc::new(StringArray::from(vec!["Own the product backlog and write user stories."])) as _),
/// ]).map_err(|e| pmpo::Error::config(e.to_string()))?;
/// let out = pmpo::batch::label_batch(&model, &batch, &Default::default())?;
/// assert_eq!(out.num_rows(), 1);
/// assert_eq!(out.schema().field(0).name(), "pmpo_label");
/// # Ok::<(), pmpo::Error>(())
/// ```
pub fn label_batch(model: &Model, batch: &RecordBatch, opts: &BatchOptions) -> Result<RecordBatch> {
    let schema = batch.schema();
    let header: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let cols = Columns::pick(
        &header,
        opts.title.as_deref(),
        &opts.text,
        Path::new("batch"),
    )?;
    let name = |i: usize| header.get(i).map_or("", String::as_str);
    let title = match cols.title {
        Some(i) => Text::of(batch.column(i), name(i))?,
        None => Text::Absent,
    };
    let text: Vec<Text<'_>> = cols
        .text
        .iter()
        .map(|&i| Text::of(batch.column(i), name(i)))
        .collect::<Result<_>>()?;
    let n = batch.num_rows();
    let min = opts.mismatch_confidence;
    let starts: Vec<usize> = (0..n).step_by(CHUNK_ROWS).collect();
    let work = || -> Vec<Vec<Cell>> {
        starts
            .par_iter()
            .map_init(Labeller::new, |lab, &s| {
                let mut out = Vec::new();
                label_rows(
                    lab,
                    model,
                    &title,
                    &text,
                    min,
                    s..(s + CHUNK_ROWS).min(n),
                    &mut out,
                );
                out
            })
            .collect()
    };
    let parts = if opts.threads == 0 {
        work()
    } else {
        rayon::ThreadPoolBuilder::new()
            .num_threads(opts.threads)
            .build()
            .map_err(|e| Error::config(format!("cannot start {} threads: {e}", opts.threads)))?
            .install(work)
    };
    let pmpo = columns();
    let mut builders: Vec<Builder> = pmpo
        .iter()
        .map(|c| match c.kind {
            Kind::Str => Builder::Str(StringBuilder::with_capacity(n, n * 16)),
            Kind::Float => Builder::Float(Float64Builder::with_capacity(n)),
            Kind::Name(_) => Builder::Name(StringDictionaryBuilder::new()),
        })
        .collect();
    for part in &parts {
        for row in part.chunks(pmpo.len()) {
            for (b, c) in builders.iter_mut().zip(row) {
                b.push(c);
            }
        }
    }
    let arrays: Vec<ArrayRef> = builders.iter_mut().map(Builder::finish).collect();
    RecordBatch::try_new(pmpo_schema(), arrays).map_err(|e| Error::config(e.to_string()))
}

/// One posting's record as a JSON object, keyed as a JSON Lines line of
/// `pmpo label --format jsonl` is (every piece of evidence with its span,
/// and the four label probabilities), without the input row.
///
/// ```
/// let model = pmpo::Model::embedded()?;
/// let r = pmpo::batch::explain_record(&model, "Product Owner", "Own the product backlog.", 0.6);
/// assert!(r["pmpo_label"].is_string());
/// assert!(r["pmpo_evidence"].is_array());
/// # Ok::<(), pmpo::Error>(())
/// ```
pub fn explain_record(
    model: &Model,
    title: &str,
    text: &str,
    mismatch_confidence: f64,
) -> serde_json::Value {
    let mut lab = Labeller::new();
    let l = lab.label_text(model, title, text);
    crate::io::record::with_detailed(&l, mismatch_confidence, |d| {
        serde_json::to_value(d).unwrap_or_default()
    })
}

/// [`explain_record`] as JSON text, its keys in the record's order.
pub fn explain_json(model: &Model, title: &str, text: &str, mismatch_confidence: f64) -> String {
    let mut lab = Labeller::new();
    let l = lab.label_text(model, title, text);
    crate::io::record::detailed_json(&l, mismatch_confidence, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{LargeStringArray, StringArray};

    fn model() -> Model {
        Model::embedded().unwrap()
    }

    fn batch(titles: Vec<Option<&str>>, texts: Vec<Option<&str>>) -> RecordBatch {
        RecordBatch::try_from_iter([
            (
                "id",
                Arc::new(StringArray::from(vec!["x"; titles.len()])) as ArrayRef,
            ),
            ("title", Arc::new(StringArray::from(titles)) as ArrayRef),
            (
                "description",
                Arc::new(LargeStringArray::from(texts)) as ArrayRef,
            ),
        ])
        .unwrap()
    }

    const PO: &str = "You will own the product backlog, write user stories with acceptance criteria and run sprint planning with the scrum team.";
    const PM: &str = "You will own the product roadmap, do market research, define pricing and the business case, and track KPIs.";

    #[test]
    fn rows_get_the_cells_the_labeller_gives() {
        let m = model();
        let b = batch(
            vec![Some("Product Manager"), None, Some("PO")],
            vec![Some(PO), Some(PM), None],
        );
        let out = label_batch(&m, &b, &BatchOptions::default()).unwrap();
        assert_eq!(out.schema(), pmpo_schema());
        assert_eq!(out.num_rows(), 3);
        let label = arrow_array::cast::AsArray::as_dictionary::<Int32Type>(out.column(0));
        let values = label.values().as_string::<i32>();
        let at = |i: usize| values.value(label.keys().value(i) as usize).to_string();
        let mut lab = Labeller::new();
        for (i, (t, x)) in [("Product Manager", PO), ("", PM), ("PO", "")]
            .iter()
            .enumerate()
        {
            let l = lab.label_text(&m, t, x);
            assert_eq!(at(i), l.verdict.label.as_str(), "row {i}");
            let conf = out
                .column(1)
                .as_primitive::<arrow_array::types::Float64Type>();
            assert_eq!(
                conf.value(i),
                crate::io::record::round3(l.verdict.confidence)
            );
        }
        // A PM title over PO duties is a mismatch, with its reason.
        let mm = out.column_by_name("pmpo_mismatch").unwrap();
        assert!(mm.is_valid(0));
        assert!(!out
            .column_by_name("pmpo_reason")
            .unwrap()
            .as_string::<i32>()
            .value(0)
            .is_empty());
        assert_eq!(
            out.column_by_name("pmpo_model")
                .unwrap()
                .as_string::<i32>()
                .value(2),
            m.hash()
        );
    }

    #[test]
    fn threads_do_not_change_the_cells() {
        let m = model();
        let n = 3 * CHUNK_ROWS + 7;
        let texts: Vec<Option<&str>> = (0..n)
            .map(|i| Some(if i % 3 == 0 { PO } else { PM }))
            .collect();
        let titles: Vec<Option<&str>> = (0..n)
            .map(|i| {
                Some(if i % 2 == 0 {
                    "Product Owner"
                } else {
                    "Product Manager"
                })
            })
            .collect();
        let b = batch(titles, texts);
        let one = label_batch(
            &m,
            &b,
            &BatchOptions {
                threads: 1,
                ..Default::default()
            },
        )
        .unwrap();
        let two = label_batch(
            &m,
            &b,
            &BatchOptions {
                threads: 2,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(one, two);
        assert_eq!(one.num_rows(), n);
    }

    #[test]
    fn dictionary_columns_of_any_key_type_are_text() {
        use arrow_array::types::Int8Type;
        use arrow_array::DictionaryArray;
        let m = model();
        let titles: DictionaryArray<Int8Type> =
            vec![Some("Product Owner"), None, Some("Product Owner")]
                .into_iter()
                .collect();
        let texts: DictionaryArray<Int32Type> =
            vec![Some(PO), Some(PM), Some(PM)].into_iter().collect();
        let b = RecordBatch::try_from_iter([
            ("title", Arc::new(titles) as ArrayRef),
            ("description", Arc::new(texts) as ArrayRef),
        ])
        .unwrap();
        let plain = batch(
            vec![Some("Product Owner"), None, Some("Product Owner")],
            vec![Some(PO), Some(PM), Some(PM)],
        );
        let opts = BatchOptions::default();
        assert_eq!(
            label_batch(&m, &b, &opts).unwrap(),
            label_batch(&m, &plain, &opts).unwrap()
        );
    }

    #[test]
    fn a_column_that_is_not_text_is_an_error_naming_it() {
        let b = RecordBatch::try_from_iter([
            ("title", Arc::new(StringArray::from(vec!["PO"])) as ArrayRef),
            (
                "description",
                Arc::new(arrow_array::Int64Array::from(vec![1])) as ArrayRef,
            ),
        ])
        .unwrap();
        let e = label_batch(&model(), &b, &BatchOptions::default()).unwrap_err();
        assert!(e.to_string().contains("\"description\" holds Int64"), "{e}");
        let opts = BatchOptions {
            text: vec!["nope".into()],
            ..Default::default()
        };
        let e = label_batch(&model(), &b, &opts).unwrap_err();
        assert!(e.to_string().contains("nope"), "{e}");
    }

    #[test]
    fn explain_gives_the_jsonl_keys() {
        let v = explain_record(&model(), "Product Owner", PO, 0.6);
        let o = v.as_object().unwrap();
        for c in crate::io::record::column_names() {
            assert!(o.contains_key(c), "{c}");
        }
        assert!(o.contains_key("pmpo_probs"));
        assert_eq!(o["pmpo_label"], "po");
    }
}
