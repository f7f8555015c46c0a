"""The extension module (Rust): use the functions of ``pmpo`` instead."""

from os import PathLike
from typing import Any, Optional, Sequence, Union

__version__: str

class Model:
    def __init__(self, path: Union[str, PathLike, None] = None) -> None: ...
    @property
    def hash(self) -> str: ...
    @property
    def path(self) -> Optional[str]: ...
    @property
    def n_phrases(self) -> int: ...

def label_batch(
    model: Model,
    schema: Any,
    array: Any,
    title: Optional[str] = None,
    text: Sequence[str] = ...,
    mismatch_confidence: float = 0.6,
    threads: int = 0,
) -> tuple[Any, Any]: ...
def pick_columns(names: Sequence[str], title: Optional[str] = None, text: Sequence[str] = ...) -> tuple[Optional[str], list[str]]: ...
def pmpo_schema() -> Any: ...
def explain_json(model: Model, text: str, title: Optional[str] = None, mismatch_confidence: float = 0.6) -> str: ...
