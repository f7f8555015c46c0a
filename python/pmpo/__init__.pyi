"""Type hints of the pmpo package: label job postings as PM, PO, hybrid or none."""

from os import PathLike
from typing import Any, Optional, Sequence, TypeVar, Union, overload

import pyarrow as pa

__version__: str
DEFAULT_MISMATCH_CONFIDENCE: float

class Model:
    """A pmpo model. ``Model()`` is the built-in one; ``Model(path)`` loads a
    model folder (``lexicon.json``, ``tokenizer.json``, ``calibration.json``).

    >>> import pmpo
    >>> m = pmpo.Model()
    >>> m.hash == pmpo.label(df, model=m)["pmpo_model"].iloc[0]
    True
    """

    def __init__(self, path: Union[str, PathLike, None] = None) -> None: ...
    @property
    def hash(self) -> str:
        """The model's version hash, as in every row's ``pmpo_model``."""
    @property
    def path(self) -> Optional[str]:
        """The folder it was loaded from; ``None`` for the built-in model."""
    @property
    def n_phrases(self) -> int:
        """The number of phrases in its lexicon."""

def default_model() -> Model:
    """The built-in model, loaded once per process."""

def schema() -> pa.Schema:
    """The Arrow schema of pmpo's columns, in order:

    ``pmpo_label``, ``pmpo_confidence``, ``pmpo_pm_share``,
    ``pmpo_pm_evidence``, ``pmpo_po_evidence``, ``pmpo_title_role``,
    ``pmpo_mismatch``, ``pmpo_reason``, ``pmpo_evidence``, ``pmpo_note``,
    ``pmpo_lang``, ``pmpo_model``.
    """

_Data = TypeVar("_Data")

def label(
    data: _Data,
    title: Optional[str] = None,
    text: Union[str, Sequence[str], None] = None,
    *,
    model: Union[Model, str, None] = None,
    mismatch_confidence: float = 0.6,
    threads: int = 0,
) -> _Data:
    """``data`` (a pandas or polars DataFrame, a pyarrow Table or RecordBatch)
    with pmpo's columns added: the same kind, the same rows in the same order,
    the same values as ``pmpo label`` writes for them.

    >>> import pandas as pd, pmpo
    >>> df = pd.DataFrame({"title": ["Product Owner"],
    ...                    "description": ["Own the product backlog and write user stories."]})
    >>> pmpo.label(df)[["pmpo_label", "pmpo_title_role"]].values.tolist()
    [['po', 'po']]
    >>> pmpo.label(df, title="title", text=["description"], threads=1).shape
    (1, 14)
    """

def explain(
    text: str,
    title: Optional[str] = None,
    *,
    model: Union[Model, str, None] = None,
    mismatch_confidence: float = 0.6,
) -> dict[str, Any]:
    """One posting's record, keyed as a ``pmpo label --format jsonl`` line
    (``pmpo_evidence`` as every phrase with its byte span; ``pmpo_probs``).

    >>> pmpo.explain("Own the product backlog.", title="Product Owner")["pmpo_label"]
    'po'
    """
