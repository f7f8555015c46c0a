"""Rows per second of the CLI, pmpo.label on pandas, polars and pyarrow, and
Spark local[2], on the same generated postings; and whether each gives the
CLI's labels.

    python python/bench.py [--rows 100000] [--reps 3] [--no-spark]

Needs a release build of the CLI (target/release/pmpo, or $PMPO_BIN) and
the package built for release (`pip install ./python`). Each contender runs
--reps times, interleaved with the others; the table gives the median. The
data (`pmpo synth`) is read into memory before timing: the Python and Spark
times are labelling only, the CLI's is its whole run (read CSV, label,
write CSV to a file).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

# The package's source folder sits beside this script, without the built
# module: import the installed package, not that folder.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
import pmpo  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
#: Bytes per generated posting, on average (pmpo synth), with a margin.
BYTES_PER_ROW = 3300


def columns(table: pa.Table) -> dict:
    out = {}
    for name in pmpo.schema().names:
        col = table.column(name)
        if pa.types.is_dictionary(col.type):
            col = col.cast(pa.string())
        out[name] = col.to_pylist()
    return out


def timed(f):
    t = time.perf_counter()
    r = f()
    return time.perf_counter() - t, r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--no-spark", action="store_true")
    args = ap.parse_args()
    binary = os.environ.get("PMPO_BIN", str(REPO / "target" / "release" / "pmpo"))
    n = args.rows
    d = Path(tempfile.mkdtemp(prefix="pmpo-bench-"))
    big = d / "big.csv"
    mb = max(1, n * BYTES_PER_ROW // 1_000_000 + 1)
    subprocess.run([binary, "synth", "--size", f"{mb}MB", "-o", str(big)], check=True)
    df = pd.read_csv(big, dtype=str, keep_default_na=False).head(n)
    assert len(df) == n, f"{len(df)} rows generated, {n} asked"
    path = d / "bench.csv"
    df.to_csv(path, index=False)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    mb_in = path.stat().st_size / 1e6
    print(f"{n} rows, {mb_in:.1f} MB: {path}", file=sys.stderr)

    # The reference: the CLI's columns, as Parquet (not timed).
    ref_path = d / "ref.parquet"
    subprocess.run([binary, "label", str(path), "--format", "parquet", "-o", str(ref_path), "-q"], check=True)
    ref = columns(pq.read_table(ref_path))

    pl_df = pl.from_pandas(df)
    table = pa.Table.from_pandas(df, preserve_index=False)
    model = pmpo.default_model()
    pmpo.label(df.head(100), model=model)  # warm up

    def cli():
        subprocess.run([binary, "label", str(path), "-o", str(d / "out.csv"), "-q"], check=True)
        return None

    contenders = {
        "`pmpo label` (CLI, 2 threads, CSV in and out)": (cli, None),
        "`pmpo.label` on a pandas DataFrame": (lambda: pmpo.label(df, model=model), lambda o: pa.Table.from_pandas(o, preserve_index=False)),
        "`pmpo.label` on a polars DataFrame": (lambda: pmpo.label(pl_df, model=model), lambda o: o.to_arrow()),
        "`pmpo.label` on a pyarrow Table": (lambda: pmpo.label(table, model=model), lambda o: o),
    }
    times = {k: [] for k in contenders}
    same = {}
    for _ in range(args.reps):
        for k, (f, to_table) in contenders.items():
            t, out = timed(f)
            times[k].append(t)
            if to_table is not None and k not in same:
                same[k] = columns(to_table(out)) == ref

    if not args.no_spark:
        from pyspark.sql import SparkSession

        from pmpo import spark as pmpo_spark

        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

        spark = (
            SparkSession.builder.master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.driver.memory", "4g")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        sdf = spark.createDataFrame(df).repartition(2).cache()
        sdf.count()
        out = pmpo_spark.label(sdf)
        k = "`pmpo.spark.label`, Spark `local[2]` (mapInArrow)"
        times[k] = []
        for _ in range(args.reps):
            t, _ = timed(lambda: out.write.format("noop").mode("overwrite").save())
            times[k].append(t)
        got = out.toArrow()
        pos = {v: i for i, v in enumerate(got.column("job_id").to_pylist())}
        got = got.take(pa.array([pos[i] for i in df["job_id"]]))
        same[k] = columns(got) == ref
        rows = sdf.rdd.map(lambda r: r.asDict())
        k = "`RDD.pipe` through the CLI, Spark `local[2]`"
        times[k] = []
        for _ in range(args.reps):
            t, _ = timed(lambda: pmpo_spark.pipe(rows, binary).count())
            times[k].append(t)
        spark.stop()

    cli_rate = n / statistics.median(times[next(iter(contenders))])
    print(f"\n{n:,} generated postings ({mb_in:.0f} MB), median of {args.reps} runs\n")
    print("| path | rows/s | x the CLI | s (runs) | labels identical to the CLI |")
    print("|---|---|---|---|---|")
    for k, ts in times.items():
        rate = n / statistics.median(ts)
        ident = {True: "yes", False: "**no**"}.get(same.get(k), "(reference)" if "CLI, 2" in k else "not checked here (tests)")
        runs = ", ".join(f"{t:.2f}" for t in ts)
        print(f"| {k} | {rate:,.0f} | {rate / cli_rate:.2f} | {runs} | {ident} |")


if __name__ == "__main__":
    main()
