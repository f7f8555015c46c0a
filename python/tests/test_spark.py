"""Spark in local mode: pmpo.spark.label (mapInArrow) and RDD.pipe with the
CLI as a filter give the CLI's labels on the same rows."""

import json
import os
import sys

import pyarrow as pa
import pytest

import pmpo
import pmpo.spark
from conftest import REPO, N_ROWS, assert_same, cli_label, pmpo_columns


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # The Python workers run this interpreter, where pmpo is installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    s = (
        SparkSession.builder.master("local[2]")
        .appName("pmpo-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def spark_df(spark, df):
    # Four partitions over two cores: rows cross several tasks and batches.
    return spark.createDataFrame(df).repartition(4)


def in_order(table: pa.Table, ids, key="job_id") -> pa.Table:
    """The rows of `table` in the order of `ids` (Spark may reorder)."""
    pos = {v: i for i, v in enumerate(table.column(key).to_pylist())}
    return table.take(pa.array([pos[i] for i in ids]))


def test_map_in_arrow_equals_the_cli_on_generated_postings(spark, synth, cli_synth):
    df = synth[1]
    out = pmpo.spark.label(spark_df(spark, df), title="title", text="description")
    assert out.columns == list(df.columns) + pmpo.schema().names
    table = in_order(out.toArrow(), df["job_id"].tolist())
    assert table.num_rows == N_ROWS
    assert table.column("description").to_pylist() == df["description"].tolist()
    assert_same(pmpo_columns(table), cli_synth)


def test_map_in_arrow_equals_the_cli_on_the_sample(spark, sample, cli_sample):
    df = sample[1]
    out = pmpo.spark.label(spark_df(spark, df), model=str(REPO / "models" / "default"))
    table = in_order(out.toArrow(), df["job_id"].tolist())
    assert_same(pmpo_columns(table), cli_sample)
    assert set(table.column("pmpo_model").to_pylist()) == {pmpo.Model().hash}


def jsonl_by_id(lines, key="job_id"):
    return {r["row"][key]: r for r in lines}


@pytest.mark.parametrize("which", ["synth", "sample"])
def test_rdd_pipe_with_the_cli_equals_the_cli(which, spark, synth, sample, pmpo_bin):
    path, df = {"synth": synth, "sample": sample}[which]
    want = jsonl_by_id(json.loads(l) for l in cli_label(pmpo_bin, path, "jsonl").read_text(encoding="utf-8").splitlines())
    rows = spark_df(spark, df).rdd.map(lambda r: r.asDict())
    got = pmpo.spark.pipe(rows, str(pmpo_bin)).collect()
    assert len(got) == len(df)
    got = jsonl_by_id(got)
    assert got.keys() == want.keys()
    bad = [k for k in want if got[k] != want[k]]
    assert not bad, f"{len(bad)} rows differ, e.g. {bad[:3]}"
    assert {r["pmpo_model"] for r in got.values()} == {pmpo.Model().hash}
