"""Type hints of pmpo.spark: pmpo inside Spark."""

from typing import Any, Optional, Sequence, Union

def spark_schema() -> Any:
    """pmpo's columns as a ``pyspark.sql.types.StructType``."""

def label(
    df: Any,
    title: Optional[str] = None,
    text: Union[str, Sequence[str], None] = None,
    *,
    model: Optional[str] = None,
    mismatch_confidence: float = 0.6,
    threads: int = 1,
) -> Any:
    """The PySpark DataFrame ``df`` with pmpo's columns added, through
    ``mapInArrow`` (labels equal to the CLI's).

    >>> out = pmpo.spark.label(df, title="title", text="description")
    >>> out.groupBy("pmpo_label").count().show()
    """

def pipe(rdd: Any, command: Union[str, Sequence[str]] = "pmpo") -> Any:
    """An RDD of dicts labelled by the CLI as a filter
    (``pmpo label - --input-format jsonl --format jsonl``): an RDD of the
    CLI's JSON Lines records, parsed.
    """
