//! The `pmpo._pmpo` extension module: pmpo's labelling for Python.
//!
//! In: Arrow record batches as PyCapsules of the Arrow C data interface
//! (`__arrow_c_array__`), from pyarrow. Out: pmpo's columns as a batch,
//! again as a pair of capsules, for `pyarrow.RecordBatch` to import without
//! copying. The Python package (`pmpo/__init__.py`) turns pandas, polars
//! and pyarrow data into batches and back.
//!
//! Guarantees: the GIL is released while rows are labelled; the labels are
//! those of [`pmpo::batch::label_batch`], which are the CLI's.

use std::ffi::CString;
use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::ffi::{from_ffi, to_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::{Array, RecordBatch, StructArray};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};

fn value_error(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// A pmpo model: the lexicon, the tokenizer and the label parameters.
///
/// ``Model()`` is the default model built into pmpo; ``Model(path)`` loads
/// the model folder ``path`` (``lexicon.json``, ``tokenizer.json``,
/// ``calibration.json``), as ``pmpo label --model path`` does.
///
/// >>> import pmpo
/// >>> len(pmpo.Model().hash) > 0
/// True
#[pyclass(module = "pmpo._pmpo", frozen)]
struct Model {
    inner: Arc<pmpo::Model>,
    path: Option<PathBuf>,
}

#[pymethods]
impl Model {
    #[new]
    #[pyo3(signature = (path=None))]
    fn new(py: Python<'_>, path: Option<PathBuf>) -> PyResult<Model> {
        let p = path.clone();
        let inner = py
            .allow_threads(move || match p {
                Some(p) => pmpo::Model::load(&p),
                None => pmpo::Model::embedded(),
            })
            .map_err(value_error)?;
        Ok(Model {
            inner: Arc::new(inner),
            path,
        })
    }

    /// The model's version hash: the ``pmpo_model`` column of every row it
    /// labels.
    #[getter]
    fn hash(&self) -> &str {
        self.inner.hash()
    }

    /// The folder the model was loaded from, or ``None`` for the built-in
    /// model.
    #[getter]
    fn path(&self) -> Option<PathBuf> {
        self.path.clone()
    }

    /// The number of phrases in the model's lexicon.
    #[getter]
    fn n_phrases(&self) -> usize {
        self.inner.lexicon().phrases.len()
    }

    fn __repr__(&self) -> String {
        match &self.path {
            Some(p) => format!(
                "Model({:?}, hash={:?})",
                p.display().to_string(),
                self.inner.hash()
            ),
            None => format!("Model(hash={:?})", self.inner.hash()),
        }
    }
}

fn capsule_ptr<T>(c: &Bound<'_, PyCapsule>, name: &str) -> PyResult<*mut T> {
    let ok = c.name()?.is_some_and(|n| n.to_bytes() == name.as_bytes());
    if !ok {
        return Err(value_error(format!("expected a PyCapsule named {name:?}")));
    }
    let p = c.pointer() as *mut T;
    if p.is_null() {
        return Err(value_error(format!("the {name} capsule is empty")));
    }
    Ok(p)
}

/// The batch in the capsules of `__arrow_c_array__` (the array is moved
/// out of its capsule; the schema is read).
fn import_batch(
    schema: &Bound<'_, PyCapsule>,
    array: &Bound<'_, PyCapsule>,
) -> PyResult<RecordBatch> {
    let s: *mut FFI_ArrowSchema = capsule_ptr(schema, "arrow_schema")?;
    let a: *mut FFI_ArrowArray = capsule_ptr(array, "arrow_array")?;
    // SAFETY: both pointers come from capsules named as the Arrow PyCapsule
    // interface names them, so they point to valid C data interface
    // structs; `from_raw` moves the array out and marks the capsule's copy
    // released, so it is freed once.
    let data = unsafe {
        let array = FFI_ArrowArray::from_raw(a);
        from_ffi(array, &*s)
    }
    .map_err(value_error)?;
    let st = StructArray::from(data);
    Ok(RecordBatch::from(st))
}

/// A batch as the two capsules of `__arrow_c_array__`.
fn export_batch<'py>(py: Python<'py>, batch: RecordBatch) -> PyResult<Bound<'py, PyTuple>> {
    let st = StructArray::from(batch);
    let (array, schema) = to_ffi(&st.to_data()).map_err(value_error)?;
    let schema_name = CString::new("arrow_schema").map_err(value_error)?;
    let array_name = CString::new("arrow_array").map_err(value_error)?;
    // The capsules own the structs; pyarrow moves the data out (leaving
    // them released), and a capsule never imported frees its data on drop.
    let s = PyCapsule::new(py, schema, Some(schema_name))?;
    let a = PyCapsule::new(py, array, Some(array_name))?;
    PyTuple::new(py, [s.into_any(), a.into_any()])
}

/// Labels one batch: ``(schema_capsule, array_capsule)`` in, the same for
/// pmpo's columns out. The GIL is released while the rows are labelled.
#[pyfunction]
#[pyo3(signature = (model, schema, array, title=None, text=Vec::new(), mismatch_confidence=0.6, threads=0))]
#[allow(clippy::too_many_arguments)]
fn label_batch<'py>(
    py: Python<'py>,
    model: &Model,
    schema: &Bound<'py, PyCapsule>,
    array: &Bound<'py, PyCapsule>,
    title: Option<String>,
    text: Vec<String>,
    mismatch_confidence: f64,
    threads: usize,
) -> PyResult<Bound<'py, PyTuple>> {
    let batch = import_batch(schema, array)?;
    let opts = pmpo::batch::BatchOptions {
        title,
        text,
        mismatch_confidence,
        threads,
    };
    let m = model.inner.clone();
    let out = py
        .allow_threads(move || pmpo::batch::label_batch(&m, &batch, &opts))
        .map_err(value_error)?;
    export_batch(py, out)
}

/// The title and text columns pmpo would label in a table with these
/// column names: ``(title or None, [text, ...])``, found by common names
/// unless given, as the CLI finds them.
#[pyfunction]
#[pyo3(signature = (names, title=None, text=Vec::new()))]
fn pick_columns(
    names: Vec<String>,
    title: Option<String>,
    text: Vec<String>,
) -> PyResult<(Option<String>, Vec<String>)> {
    let cols = pmpo::Columns::pick(
        &names,
        title.as_deref(),
        &text,
        std::path::Path::new("data"),
    )
    .map_err(value_error)?;
    let name = |i: usize| names.get(i).cloned().unwrap_or_default();
    Ok((
        cols.title.map(name),
        cols.text.iter().map(|&i| name(i)).collect(),
    ))
}

/// The Arrow schema of pmpo's columns, as a capsule (``arrow_schema``).
#[pyfunction]
fn pmpo_schema(py: Python<'_>) -> PyResult<Bound<'_, PyCapsule>> {
    let schema = pmpo::batch::pmpo_schema();
    let ffi = FFI_ArrowSchema::try_from(schema.as_ref()).map_err(value_error)?;
    let name = CString::new("arrow_schema").map_err(value_error)?;
    PyCapsule::new(py, ffi, Some(name))
}

/// One posting's record as JSON text, keyed as a ``--format jsonl`` line.
#[pyfunction]
#[pyo3(signature = (model, text, title=None, mismatch_confidence=0.6))]
fn explain_json(
    py: Python<'_>,
    model: &Model,
    text: String,
    title: Option<String>,
    mismatch_confidence: f64,
) -> PyResult<String> {
    let m = model.inner.clone();
    Ok(py.allow_threads(move || {
        pmpo::batch::explain_json(
            &m,
            title.as_deref().unwrap_or(""),
            &text,
            mismatch_confidence,
        )
    }))
}

/// pmpo's labelling, for the `pmpo` Python package.
#[pymodule]
fn _pmpo(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Model>()?;
    m.add_function(wrap_pyfunction!(label_batch, m)?)?;
    m.add_function(wrap_pyfunction!(pick_columns, m)?)?;
    m.add_function(wrap_pyfunction!(pmpo_schema, m)?)?;
    m.add_function(wrap_pyfunction!(explain_json, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
