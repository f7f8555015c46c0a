"""Shared fixtures: the pmpo binary, generated postings, and what the CLI
says about them (the reference every Python and Spark path must equal)."""

import os
import subprocess
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "datasets" / "postings_sample.csv"
#: Rows of generated postings the equality tests run on.
N_ROWS = 10_000


@pytest.fixture(scope="session")
def pmpo_bin() -> Path:
    """The CLI: $PMPO_BIN, else the release build of this checkout."""
    p = Path(os.environ.get("PMPO_BIN", REPO / "target" / "release" / "pmpo"))
    assert p.is_file(), f"{p} is missing: run `cargo build --release` first (or set PMPO_BIN)"
    return p


def read_csv(path) -> pd.DataFrame:
    """Every value as the string it is in the file (empty stays empty)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def synth(pmpo_bin, tmp_path_factory):
    """N_ROWS generated postings: (csv path, DataFrame)."""
    d = tmp_path_factory.mktemp("synth")
    big = d / "big.csv"
    subprocess.run([str(pmpo_bin), "synth", "--size", "32MB", "-o", str(big)], check=True)
    df = read_csv(big).head(N_ROWS)
    assert len(df) == N_ROWS
    path = d / "synth.csv"
    df.to_csv(path, index=False)
    return path, read_csv(path)


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    """The shipped sample, copied to a temporary folder: (csv path, DataFrame)."""
    path = tmp_path_factory.mktemp("sample") / "sample.csv"
    path.write_bytes(SAMPLE.read_bytes())
    return path, read_csv(path)


def cli_label(pmpo_bin, path: Path, fmt: str = "parquet", *extra: str):
    """`pmpo label PATH --format FMT` into a file beside PATH; its path."""
    out = path.with_name(f"{path.stem}.cli.{fmt}")
    subprocess.run(
        [str(pmpo_bin), "label", str(path), "--format", fmt, "-o", str(out), "-q", *extra],
        check=True,
    )
    return out


def pmpo_columns(table: pa.Table) -> dict:
    """pmpo's columns of a table as Python lists (dictionaries decoded)."""
    import pmpo

    out = {}
    for name in pmpo.schema().names:
        col = table.column(name)
        if pa.types.is_dictionary(col.type):
            col = col.cast(pa.string())
        out[name] = col.to_pylist()
    return out


@pytest.fixture(scope="session")
def cli_synth(pmpo_bin, synth):
    """The CLI's pmpo columns of the generated postings."""
    return pmpo_columns(pq.read_table(cli_label(pmpo_bin, synth[0])))


@pytest.fixture(scope="session")
def cli_sample(pmpo_bin, sample):
    """The CLI's pmpo columns of the sample."""
    return pmpo_columns(pq.read_table(cli_label(pmpo_bin, sample[0])))


def assert_same(got: dict, want: dict):
    """Equal pmpo columns; on failure, the first rows that differ."""
    assert list(got) == list(want)
    for name in want:
        g, w = got[name], want[name]
        assert len(g) == len(w), f"{name}: {len(g)} rows, the CLI {len(w)}"
        bad = [i for i, (a, b) in enumerate(zip(g, w)) if a != b]
        assert not bad, f"{name}: {len(bad)} rows differ, first {bad[:5]}: {[g[i] for i in bad[:3]]} vs the CLI's {[w[i] for i in bad[:3]]}"
