#!/usr/bin/env bash
# pmpo label's speed per input and output format, on the same generated rows.
#
#   benches/formats.sh [SIZE]     default 500MB
#
# Generates a CSV export with `pmpo synth`, converts it to JSON Lines and
# Parquet (Python with pyarrow: PYTHON=/path/to/python picks the one), then
# times `pmpo label --threads 2` reading each format (CSV out) and writing
# each format (CSV in). Prints input MB/s (input file bytes over wall time),
# rows/s, wall seconds, peak RSS and output size. Files stay in bench-data/.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${1:-500MB}
PY=${PYTHON:-python3}
DATA=bench-data
mkdir -p "$DATA"
cargo build --release --quiet
BIN=target/release/pmpo
CSV="$DATA/formats-$SIZE.csv"
[ -s "$CSV" ] || "$BIN" synth --size "$SIZE" -o "$CSV" >&2
if [ ! -s "$DATA/formats-$SIZE.parquet" ] || [ ! -s "$DATA/formats-$SIZE.jsonl" ]; then
  "$PY" - "$CSV" "$DATA/formats-$SIZE" <<'PYEOF'
import csv, json, sys
import pyarrow as pa, pyarrow.csv as pcsv, pyarrow.parquet as pq
src, stem = sys.argv[1], sys.argv[2]
csv.field_size_limit(1 << 30)
with open(src, newline="", encoding="utf-8") as f, open(stem + ".jsonl", "w", encoding="utf-8") as out:
    r = csv.reader(f)
    head = next(r)
    for row in r:
        out.write(json.dumps(dict(zip(head, row)), ensure_ascii=False) + "\n")
opts = pcsv.ParseOptions(newlines_in_values=True)
conv = pcsv.ConvertOptions(column_types={}, strings_can_be_null=False)
reader = pcsv.open_csv(src, parse_options=opts, convert_options=conv,
                       read_options=pcsv.ReadOptions(block_size=8 << 20))
schema = pa.schema([pa.field(n, pa.string()) for n in reader.schema.names])
with pq.ParquetWriter(stem + ".parquet", schema) as w:
    for batch in reader:
        w.write_table(pa.Table.from_batches([batch]).cast(schema), row_group_size=64 * 1024)
PYEOF
fi
ROWS=$("$PY" -c "import pyarrow.parquet as pq,sys; print(pq.ParquetFile(sys.argv[1]).metadata.num_rows)" "$DATA/formats-$SIZE.parquet")

echo "| run | input MB | MB/s | rows/s | wall s | peak RSS MB | output MB |"
echo "|---|---|---|---|---|---|---|"
run() { # run NAME INPUT OUTPUT ARGS...
  local name=$1 in=$2 out=$3
  shift 3
  rm -f "$out"
  /usr/bin/time -f "%e %M" -o "$DATA/time.txt" "$BIN" label "$in" -q --threads 2 -o "$out" "$@"
  local wall rss
  read -r wall rss <"$DATA/time.txt"
  awk -v n="$name" -v b="$(stat -c %s "$in")" -v w="$wall" -v r="$rss" -v rows="$ROWS" -v o="$(stat -c %s "$out")" \
    'BEGIN { printf "| %s | %.0f | %.1f | %.0f | %.2f | %.1f | %.0f |\n", n, b/1e6, b/1e6/w, rows/w, w, r/1024, o/1e6 }'
  rm -f "$out"
}
run "CSV in, CSV out" "$CSV" "$DATA/o.csv"
run "JSON Lines in, CSV out" "$DATA/formats-$SIZE.jsonl" "$DATA/o.csv"
run "Parquet in, CSV out" "$DATA/formats-$SIZE.parquet" "$DATA/o.csv"
run "CSV in, JSON Lines out" "$CSV" "$DATA/o.jsonl" --format jsonl
run "CSV in, Parquet out" "$CSV" "$DATA/o.parquet" --format parquet
run "Parquet in, Parquet out" "$DATA/formats-$SIZE.parquet" "$DATA/o.parquet" --format parquet
