"""pmpo inside Spark: label a PySpark DataFrame where its rows are.

:func:`label` adds pmpo's columns to a DataFrame through ``mapInArrow``:
each task hands its Arrow batches to pmpo, in the Python worker, without a
Python object per row. The ``pmpo`` package must be installed on the
executors (in local mode, the driver's environment is theirs).

>>> from pyspark.sql import SparkSession
>>> import pmpo.spark
>>> spark = SparkSession.builder.master("local[2]").getOrCreate()
>>> df = spark.createDataFrame([("1", "Product Owner", "Own the product backlog.")],
...                            "id string, title string, description string")
>>> pmpo.spark.label(df).select("id", "pmpo_label").collect()
[Row(id='1', pmpo_label='po')]

For ``RDD.pipe`` and Hadoop streaming the CLI is a filter of JSON Lines:
``pmpo label - --input-format jsonl --format jsonl -q`` (see :func:`pipe`).
"""

from __future__ import annotations

import json
import shlex
import shutil
from typing import Any, Iterator, Optional, Sequence, Union

import pyarrow as pa

import pmpo

__all__ = ["label", "spark_schema", "pipe"]

_MODELS: dict = {}


def _worker_model(path: Optional[str]) -> "pmpo.Model":
    """The model on a Python worker, loaded once per worker process."""
    m = _MODELS.get(path)
    if m is None:
        m = pmpo.Model(path) if path else pmpo.default_model()
        _MODELS[path] = m
    return m


def spark_schema():
    """pmpo's columns as a Spark ``StructType`` (label, title role and
    mismatch as strings, numbers as doubles).

    >>> [f.name for f in pmpo.spark.spark_schema().fields][:2]
    ['pmpo_label', 'pmpo_confidence']
    """
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType

    fields = []
    for f in pmpo.schema():
        t = DoubleType() if pa.types.is_floating(f.type) else StringType()
        fields.append(StructField(f.name, t, f.nullable))
    return StructType(fields)


def _plain(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Dictionary columns decoded to strings, as Spark reads them."""
    arrays, fields = [], []
    for f, a in zip(batch.schema, batch.columns):
        if pa.types.is_dictionary(f.type):
            a = a.dictionary_decode()
            f = pa.field(f.name, a.type, f.nullable)
        arrays.append(a)
        fields.append(f)
    return pa.RecordBatch.from_arrays(arrays, schema=pa.schema(fields))


def label(
    df: Any,
    title: Optional[str] = None,
    text: Union[str, Sequence[str], None] = None,
    *,
    model: Optional[str] = None,
    mismatch_confidence: float = pmpo.DEFAULT_MISMATCH_CONFIDENCE,
    threads: int = 1,
) -> Any:
    """The PySpark DataFrame ``df`` with pmpo's columns added to every row.

    ``title`` and ``text`` name the columns as in :func:`pmpo.label` (found
    by common names by default, from ``df.columns``, on the driver). ``model``
    is a model folder readable on every executor (default: the built-in
    model). ``threads`` is per task (default 1: Spark already runs one task
    per core). Rows keep their values; the labels are the CLI's.

    >>> out = pmpo.spark.label(df, title="title", text="description")
    >>> out.columns[-1]
    'pmpo_model'
    """
    from pyspark.sql.types import StructType

    t, x = pmpo._pick(df.columns, title, pmpo._texts(text))
    if model is not None:
        # Fails early, on the driver, for a folder that is not a model.
        pmpo.Model(model)
    pm = spark_schema()
    names = set(pm.fieldNames())
    keep = [c for c in df.columns if c not in names]
    base = df.select(*keep) if len(keep) != len(df.columns) else df
    out_schema = StructType(list(base.schema.fields) + list(pm.fields))
    conf = float(mismatch_confidence)
    n_threads = int(threads)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        m = _worker_model(model)
        for b in batches:
            sub = b.select(([t] if t else []) + x)
            res = _plain(pmpo._label_batch(sub, m, t, x, conf, n_threads))
            yield pa.RecordBatch.from_arrays(
                b.columns + res.columns,
                names=b.schema.names + res.schema.names,
            )

    return base.mapInArrow(run, out_schema)


def pipe(rdd: Any, command: Union[str, Sequence[str]] = "pmpo") -> Any:
    """Labels an RDD of dicts (one posting each, values as strings) with the
    CLI as a filter: each partition's rows go to ``pmpo label -`` as JSON
    Lines, and its output lines come back parsed (``row`` holds the input
    row; pmpo's fields beside it). ``command`` is the ``pmpo`` binary, which
    must be at that path on every executor (a bare name is looked up on
    the driver's PATH, since ``RDD.pipe`` gives the command no environment).

    >>> rows = spark.sparkContext.parallelize([{"id": "1", "title": "PO", "description": "Own the backlog."}])
    >>> pmpo.spark.pipe(rows).first()["pmpo_label"]
    'po'
    """
    # RDD.pipe runs the command with an empty environment (no PATH): the
    # binary is named by its full path, found on the driver.
    parts = shlex.split(command) if isinstance(command, str) else list(command)
    parts[0] = shutil.which(parts[0]) or parts[0]
    cmd = shlex.join(parts + ["label", "-", "--input-format", "jsonl", "--format", "jsonl", "-q"])
    return rdd.map(lambda r: json.dumps(r, ensure_ascii=False)).pipe(cmd).map(json.loads)
