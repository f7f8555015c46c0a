"""pmpo.label on pandas, polars and pyarrow equals the CLI, row for row."""

import json
import subprocess

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import pmpo
from conftest import assert_same, cli_label, pmpo_columns


def test_pandas_equals_the_cli_on_generated_postings(synth, cli_synth):
    path, df = synth
    out = pmpo.label(df)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == list(df.columns) + pmpo.schema().names
    assert out["job_id"].tolist() == df["job_id"].tolist()
    assert_same(pmpo_columns(pa.Table.from_pandas(out, preserve_index=False)), cli_synth)
    # The labels are not all one kind: the comparison compares something.
    assert set(cli_synth["pmpo_label"]) == {"pm", "po", "hybrid", "none"}


def test_polars_equals_the_cli_on_generated_postings(synth, cli_synth):
    df = pl.from_pandas(synth[1])
    out = pmpo.label(df, title="title", text="description")
    assert isinstance(out, pl.DataFrame)
    assert out.columns == df.columns + pmpo.schema().names
    assert_same(pmpo_columns(out.to_arrow()), cli_synth)


def test_pyarrow_table_and_batch_equal_the_cli(synth, cli_synth):
    t = pa.Table.from_pandas(synth[1], preserve_index=False)
    # Several batches: their results are put back in order.
    t = pa.Table.from_batches(t.to_batches(max_chunksize=1234))
    out = pmpo.label(t)
    assert isinstance(out, pa.Table)
    assert out.num_rows == t.num_rows
    assert_same(pmpo_columns(out), cli_synth)
    b = t.slice(0, 700).combine_chunks().to_batches()[0]
    ob = pmpo.label(b, threads=1)
    assert isinstance(ob, pa.RecordBatch)
    want = {k: v[:700] for k, v in cli_synth.items()}
    assert_same(pmpo_columns(pa.Table.from_batches([ob])), want)


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
def test_the_sample_equals_the_cli(kind, sample, cli_sample):
    df = sample[1]
    data = {"pandas": df, "polars": pl.from_pandas(df), "pyarrow": pa.Table.from_pandas(df, preserve_index=False)}[kind]
    out = pmpo.label(data)
    table = {"pandas": lambda o: pa.Table.from_pandas(o, preserve_index=False), "polars": lambda o: o.to_arrow(), "pyarrow": lambda o: o}[kind](out)
    assert_same(pmpo_columns(table), cli_sample)


def test_the_model_hash_is_the_clis(cli_sample, pmpo_bin):
    assert set(cli_sample["pmpo_model"]) == {pmpo.Model().hash}
    r = subprocess.run([str(pmpo_bin), "explain", "-", "--json"], input=b"Own the backlog.", capture_output=True, check=True)
    assert json.loads(r.stdout)["pmpo_model"] == pmpo.Model().hash


def test_a_model_folder_loads_with_its_hash(tmp_path):
    from conftest import REPO

    m = pmpo.Model(str(REPO / "models" / "default"))
    assert m.hash == pmpo.Model().hash
    assert m.n_phrases > 0
    out = pmpo.label(pd.DataFrame({"title": ["PO"], "description": ["Own the product backlog."]}), model=m)
    assert out["pmpo_model"].tolist() == [m.hash]
    with pytest.raises(ValueError, match="cannot read"):
        pmpo.Model(str(tmp_path))


def test_title_and_text_columns_by_name_and_errors():
    df = pd.DataFrame({"Job Name": ["Product Manager", "Product Owner"], "duties": ["Own the roadmap and pricing.", None], "more": ["market research", "write user stories"]})
    out = pmpo.label(df, title="Job Name", text=["duties", "more"])
    # Several text columns are joined, a null one reads as empty.
    joined = pmpo.label(pd.DataFrame({"title": df["Job Name"], "description": ["Own the roadmap and pricing.\n\nmarket research", "write user stories"]}))
    assert out["pmpo_label"].tolist() == joined["pmpo_label"].tolist()
    assert out["pmpo_pm_evidence"].tolist() == joined["pmpo_pm_evidence"].tolist()
    with pytest.raises(ValueError, match="nope"):
        pmpo.label(df, text="nope")
    with pytest.raises(ValueError, match="holds Int64"):
        pmpo.label(pa.table({"title": ["x"], "description": [1]}))
    with pytest.raises(TypeError):
        pmpo.label([{"title": "x"}])


def test_labelling_again_replaces_pmpo_columns_and_keeps_the_index(sample):
    df = sample[1].set_index("job_id")
    once = pmpo.label(df)
    twice = pmpo.label(once)
    assert list(twice.columns) == list(once.columns)
    assert twice.index.equals(df.index)
    assert twice["pmpo_label"].tolist() == once["pmpo_label"].tolist()


def test_empty_input_gives_the_columns():
    out = pmpo.label(pa.table({"title": pa.array([], pa.string()), "description": pa.array([], pa.string())}))
    assert out.num_rows == 0
    assert out.column_names[2:] == pmpo.schema().names


def test_explain_is_the_jsonl_record(pmpo_bin, tmp_path):
    text = "Own the product backlog, write user stories and run sprint planning."
    r = pmpo.explain(text, title="Product Manager")
    p = tmp_path / "one.csv"
    pd.DataFrame({"title": ["Product Manager"], "description": [text]}).to_csv(p, index=False)
    line = json.loads(cli_label(pmpo_bin, p, "jsonl").read_text().splitlines()[0])
    del line["row"]
    assert r == line
    assert r["pmpo_label"] == "po" and r["pmpo_mismatch"] == "opposite"
    cli = subprocess.run([str(pmpo_bin), "explain", "-", "--format", "json", "--title", "Product Manager"],
                         input=text.encode(), capture_output=True, check=True)
    assert list(json.loads(cli.stdout)) == list(r), "the same keys in the same order"
    assert json.loads(cli.stdout) == r


def test_labelling_releases_the_gil(synth):
    """Two Python threads label at once; the results are those of one."""
    import threading

    df = synth[1].head(2000)
    want = pmpo.label(df, threads=1)["pmpo_label"].tolist()
    got = {}

    def run(i):
        got[i] = pmpo.label(df, threads=1)["pmpo_label"].tolist()

    ts = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert got == {0: want, 1: want}


def test_categorical_columns_are_labelled_as_their_strings(sample):
    df = sample[1]
    cat = df.astype({"title": "category", "description": "category"})
    want = pmpo.label(df)
    got = pmpo.label(cat)
    for c in pmpo.schema().names:
        assert got[c].astype(object).tolist() == want[c].astype(object).tolist(), c
    got_pl = pmpo.label(pl.from_pandas(cat))
    assert got_pl["pmpo_label"].cast(pl.String).to_list() == want["pmpo_label"].astype(str).tolist()
