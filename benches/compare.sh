#!/usr/bin/env bash
# pmpo against the floor and its peers, in one run on one generated file.
#
#   benches/compare.sh [SIZE]          default 500MB: the comparison table
#   benches/compare.sh --scaling       pmpo label on 100MB, 1GB and 2GB files
#
# Prints MB/s (input bytes over wall time), postings/s and peak RSS for each
# contender, and each one's speed relative to `pmpo label --threads 2`.
# Generated files are kept in bench-data/ (ignored by git) for reruns.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA=bench-data
mkdir -p "$DATA"
cargo build --release --quiet --examples
BIN=target/release/pmpo
FLOOR=target/release/examples/csv_floor

gen() { # gen SIZE -> path of a generated export of that size
  local f="$DATA/synth-$1.csv"
  [ -s "$f" ] || "$BIN" synth --size "$1" -o "$f" >&2
  echo "$f"
}

# measure NAME FILE ROWS CMD...: one line of the table; sets LAST_MBS.
measure() {
  local name=$1 file=$2 rows=$3
  shift 3
  rm -f "$DATA/out.csv"
  /usr/bin/time -f "%e %M" -o "$DATA/time.txt" "$@" >/dev/null 2>"$DATA/stderr.txt" || {
    echo "$name failed:" >&2
    cat "$DATA/stderr.txt" >&2
    return 1
  }
  local wall rss bytes
  rm -f "$DATA/out.csv" # replacing a large file costs the next run its page-cache release
  read -r wall rss <"$DATA/time.txt"
  bytes=$(stat -c %s "$file")
  LAST_MBS=$(awk -v b="$bytes" -v w="$wall" 'BEGIN { printf "%.1f", b / 1e6 / (w > 0 ? w : 1e-9) }')
  local pps
  pps=$(awk -v r="$rows" -v w="$wall" 'BEGIN { printf "%.0f", r / (w > 0 ? w : 1e-9) }')
  printf "| %-34s | %8s | %10s | %9s | %8.1f |\n" "$name" "$LAST_MBS" "$pps" "$wall" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
  echo "$name $LAST_MBS" >>"$DATA/results.txt"
}

header() {
  echo "| contender | MB/s | postings/s | wall s | peak RSS MB |"
  echo "|---|---|---|---|---|"
}

if [ "${1:-}" = "--scaling" ]; then
  : >"$DATA/results.txt"
  header
  for size in 100MB 1GB 2GB; do
    f=$(gen "$size")
    rows=$("$FLOOR" "$f" | cut -d' ' -f1)
    measure "pmpo label, 2 threads, $size" "$f" "$rows" "$BIN" label "$f" -o "$DATA/out.csv" --threads 2 -q
  done
  rm -f "$DATA/out.csv"
  exit 0
fi

SIZE=${1:-500MB}
f=$(gen "$SIZE")
rows=$("$FLOOR" "$f" | cut -d' ' -f1)
: >"$DATA/results.txt"
echo "file: $f ($(stat -c %s "$f") bytes, $rows postings); machine: $(nproc) cores, $(uname -m); $(date -u +%Y-%m-%d)"
echo
header
measure "csv crate parse loop (floor)" "$f" "$rows" "$FLOOR" "$f"
measure "pmpo label, 1 thread" "$f" "$rows" "$BIN" label "$f" -o "$DATA/out.csv" --threads 1 -q
measure "pmpo label, 2 threads" "$f" "$rows" "$BIN" label "$f" -o "$DATA/out.csv" --threads 2 -q
measure "pmpo label, tokenizers crate" "$f" "$rows" "$BIN" label "$f" -o "$DATA/out.csv" --threads 2 -q --reference-tokenizer

if [ ! -x "$DATA/venv/bin/python" ]; then
  python3 -m venv "$DATA/venv"
  "$DATA/venv/bin/pip" install --quiet pandas
fi
measure "Python: pandas + regex" "$f" "$rows" "$DATA/venv/bin/python" benches/peer.py models/default/lexicon.json "$f" "$DATA/out.csv"
rm -f "$DATA/out.csv"

echo
echo "speed relative to pmpo label, 2 threads:"
awk '{ speed[NR] = $NF; name[NR] = $0; sub(/ [^ ]+$/, "", name[NR]) }
     /^pmpo label, 2 threads/ { ref = $NF }
     END { for (i = 1; i <= NR; i++) printf "  %-34s %6.2fx  (pmpo is %.2fx this)\n", name[i], speed[i] / ref, ref / speed[i] }' "$DATA/results.txt"
