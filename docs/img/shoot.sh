#!/usr/bin/env bash
# Remakes the README's pictures: the first run in a real terminal (tmux,
# captured and drawn by headless Chromium) and the report on an export of
# postings grouped by company.
# Usage: docs/img/shoot.sh POSTINGS.csv   (pmpo, tmux and chromium on PATH)
set -euo pipefail
cd "$(dirname "$0")/../.."
postings=${1:?usage: docs/img/shoot.sh POSTINGS.csv}
out=docs/img
tmp=$(mktemp -d)
trap 'tmux kill-session -t pmpo-shot 2>/dev/null || true; rm -rf "$tmp"' EXIT

# The first run, as a new user types it, in a 100x24 terminal.
mkdir -p "$tmp/run/datasets"
cp datasets/postings_sample.csv "$tmp/run/datasets/"
tmux new-session -d -s pmpo-shot -x 100 -y 24 -c "$tmp/run" \
  "env -i PATH=$(dirname "$(command -v pmpo)"):/usr/bin:/bin TERM=xterm-256color PS1='$ ' bash --norc --noprofile"
sleep 1
tmux send-keys -t pmpo-shot 'pmpo label datasets/postings_sample.csv -o labelled.csv' Enter
sleep 5
tmux capture-pane -t pmpo-shot -p > "$tmp/screen.txt"
python3 - "$tmp/screen.txt" "$tmp/screen.html" <<'PY'
import html, sys
lines = open(sys.argv[1], encoding="utf-8").read().rstrip("\n").split("\n")
while lines and not lines[-1].strip():
    lines.pop()
body = html.escape("\n".join(lines))
open(sys.argv[2], "w", encoding="utf-8").write(
    "<!DOCTYPE html><meta charset='utf-8'><style>"
    "body{margin:0;background:#1d1f21;}"
    "pre{margin:0;padding:16px 20px;color:#d7dae0;"
    "font:15px/20px 'DejaVu Sans Mono',monospace;}</style>"
    f"<pre>{body}</pre>")
PY
rows=$(( $(awk 'NF{n=NR} END{print n}' "$tmp/screen.txt") ))
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --user-data-dir="$tmp/profile" --window-size=960,$(( rows * 20 + 32 )) \
  --screenshot="$PWD/$out/first_run.png" "file://$tmp/screen.html" 2>/dev/null

# The report on the postings, grouped by company.
pmpo report "$postings" --group-by company --min-group-size 5 -o "$tmp/report.html" -q
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --user-data-dir="$tmp/profile" --window-size=1280,2450 \
  --screenshot="$PWD/$out/report.png" "file://$tmp/report.html" 2>/dev/null
python3 tests/browser/check_report.py "$tmp/report.html" "$tmp/check.png"
