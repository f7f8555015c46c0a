"""pmpo: label job postings as Product Manager, Product Owner, hybrid or neither.

The labels are those of the ``pmpo`` command line tool, row for row: the same
Rust code labels the rows, reached through the Arrow C data interface (no
Python object per row), on several threads, with the GIL released.

>>> import pandas as pd, pmpo
>>> df = pd.DataFrame({"title": ["Product Owner"],
...                    "description": ["Own the product backlog and write user stories."]})
>>> pmpo.label(df)["pmpo_label"].tolist()
['po']
"""

from __future__ import annotations

import json
from typing import Any, Optional, Sequence, Union

import pyarrow as pa

from . import _pmpo
from ._pmpo import Model, __version__

__all__ = ["Model", "label", "explain", "schema", "default_model", "__version__"]

#: The confidence at which a title and duties that disagree are a mismatch
#: (the CLI's ``--mismatch-confidence`` default).
DEFAULT_MISMATCH_CONFIDENCE = 0.6

_DEFAULT: Optional[Model] = None


def default_model() -> Model:
    """The model built into pmpo (loaded once per process).

    >>> pmpo.default_model().hash == pmpo.Model().hash
    True
    """
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Model()
    return _DEFAULT


def _model(model: Union[Model, str, None]) -> Model:
    if model is None:
        return default_model()
    if isinstance(model, Model):
        return model
    return Model(str(model))


def schema() -> pa.Schema:
    """The Arrow schema of pmpo's columns, in order.

    >>> pmpo.schema().names[0]
    'pmpo_label'
    """
    return pa.Schema._import_from_c_capsule(_pmpo.pmpo_schema())


def _texts(text: Union[str, Sequence[str], None]) -> list:
    if text is None:
        return []
    if isinstance(text, str):
        return [text]
    return list(text)


def _label_batch(batch: pa.RecordBatch, m: Model, title, text, mismatch_confidence, threads) -> pa.RecordBatch:
    s, a = batch.__arrow_c_array__()
    out = _pmpo.label_batch(m, s, a, title, text, mismatch_confidence, threads)
    return pa.RecordBatch._import_from_c_capsule(*out)


def _label_table(table: pa.Table, m: Model, title, text, mismatch_confidence, threads) -> pa.Table:
    """pmpo's columns for every row of ``table`` (a table of pmpo's columns)."""
    batches = [
        _label_batch(b, m, title, text, mismatch_confidence, threads)
        for b in table.to_batches()
        if b.num_rows > 0
    ]
    if not batches:
        return schema().empty_table()
    return pa.Table.from_batches(batches, schema=batches[0].schema)


def _pick(names: Sequence[str], title, text) -> tuple:
    return _pmpo.pick_columns([str(n) for n in names], title, text)


def label(
    data: Any,
    title: Optional[str] = None,
    text: Union[str, Sequence[str], None] = None,
    *,
    model: Union[Model, str, None] = None,
    mismatch_confidence: float = DEFAULT_MISMATCH_CONFIDENCE,
    threads: int = 0,
) -> Any:
    """Labels every row of ``data`` and returns it with pmpo's columns added.

    ``data`` is a pandas DataFrame, a polars DataFrame, a pyarrow Table or a
    pyarrow RecordBatch; the result is of the same kind, its rows in the same
    order, with ``pmpo_label``, ``pmpo_confidence``, ... ``pmpo_model`` after
    the input's columns (pmpo columns already there are replaced). The
    columns are those of ``pmpo label`` and hold the same values for the same
    rows.

    ``title`` names the title column and ``text`` the text column(s), joined
    by a blank line; by default they are found by common names (``title``,
    ``job_title``; ``description``, ``body``, ``requirements``, ...) as the CLI
    finds them. A null title or text reads as empty. ``model`` is a
    :class:`Model` or a model folder (default: the built-in model);
    ``threads`` is the number of threads (0: one per core).

    Only the title and text columns are handed to pmpo, through the Arrow C
    data interface; the GIL is released while rows are labelled.

    >>> import pyarrow as pa
    >>> t = pa.table({"job": ["PM"], "duties": ["Own the roadmap, pricing and market research."]})
    >>> pmpo.label(t, title="job", text="duties").column("pmpo_label").to_pylist()
    ['pm']
    """
    m = _model(model)
    text = _texts(text)
    args = (m, None, None, float(mismatch_confidence), int(threads))

    if isinstance(data, pa.RecordBatch):
        t, x = _pick(data.schema.names, title, text)
        out = _label_batch(data.select(([t] if t else []) + x), m, t, x, *args[3:])
        names = set(out.schema.names)
        keep = [i for i, n in enumerate(data.schema.names) if n not in names]
        fields = [data.schema.field(i) for i in keep] + list(out.schema)
        arrays = [data.column(i) for i in keep] + out.columns
        return pa.RecordBatch.from_arrays(arrays, schema=pa.schema(fields, metadata=data.schema.metadata))

    if isinstance(data, pa.Table):
        t, x = _pick(data.column_names, title, text)
        sub = data.select(([t] if t else []) + x)
        out = _label_table(sub, m, t, x, *args[3:])
        res = _drop_pmpo(data)
        for f, col in zip(out.schema, out.columns):
            res = res.append_column(f, col)
        return res

    kind = type(data).__module__.split(".")[0]
    if kind == "pandas":
        import pandas as pd

        t, x = _pick(data.columns, title, text)
        cols = ([t] if t else []) + x
        sub = pa.Table.from_pandas(data[cols], preserve_index=False)
        out = _label_table(sub, m, t, x, *args[3:])
        pm = out.to_pandas()
        pm.index = data.index
        keep = [c for c in data.columns if c not in set(out.column_names)]
        return pd.concat([data[keep], pm], axis=1)

    if kind == "polars":
        import polars as pl

        t, x = _pick(data.columns, title, text)
        cols = ([t] if t else []) + x
        sub = data.select(cols).to_arrow()
        out = _label_table(sub, m, t, x, *args[3:])
        keep = [c for c in data.columns if c not in set(out.column_names)]
        return data.select(keep).hstack(pl.from_arrow(out).get_columns())

    raise TypeError(
        f"pmpo.label takes a pandas or polars DataFrame, a pyarrow Table or RecordBatch, not {type(data).__name__}"
    )


def _drop_pmpo(table: pa.Table) -> pa.Table:
    names = set(schema().names)
    return table.drop_columns([c for c in table.column_names if c in names])


def explain(
    text: str,
    title: Optional[str] = None,
    *,
    model: Union[Model, str, None] = None,
    mismatch_confidence: float = DEFAULT_MISMATCH_CONFIDENCE,
) -> dict:
    """What pmpo says about one posting, as a dict keyed as a line of
    ``pmpo label --format jsonl`` is: ``pmpo_label``, ``pmpo_confidence``, ...,
    ``pmpo_evidence`` as a list of every phrase with its role, weight, section
    and byte span in the (cleaned) text, and ``pmpo_probs``.

    >>> r = pmpo.explain("Own the product backlog and write user stories.", title="Product Owner")
    >>> r["pmpo_label"], r["pmpo_title_role"]
    ('po', 'po')
    >>> sorted(r["pmpo_probs"])
    ['hybrid', 'none', 'pm', 'po']
    """
    m = _model(model)
    return json.loads(_pmpo.explain_json(m, text, title, float(mismatch_confidence)))
