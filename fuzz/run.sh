#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 600), two at a time, and
# prints each one's result. Needs cargo-fuzz (`cargo install cargo-fuzz`);
# uses the nightly toolchain when there is one, else the stable one with
# RUSTC_BOOTSTRAP=1 (cargo-fuzz needs unstable compiler flags). Leak checks
# are off: at exit LeakSanitizer reports the handles and thread-exit
# registrations of rayon worker threads still shutting down, which are not
# leaks.
#   fuzz/run.sh [SECONDS]
set -uo pipefail
cd "$(dirname "$0")"
SECS=${1:-600}
if rustup toolchain list 2>/dev/null | grep -q nightly; then
  FUZZ=(cargo +nightly fuzz)
else
  export RUSTC_BOOTSTRAP=1
  FUZZ=(cargo fuzz)
fi
export ASAN_OPTIONS=detect_leaks=0
mkdir -p logs
"${FUZZ[@]}" build -O >/dev/null || exit 2
run() { "${FUZZ[@]}" run -O "$1" -- -max_total_time="$SECS" -rss_limit_mb=2048 -detect_leaks=0 >"logs/$1.log" 2>&1; echo "$1: exit $? ($(grep -Eo 'Done [0-9]+ runs' "logs/$1.log" | tail -1))"; }
run csv_label & run tokenize & wait
run clean & run title & wait
