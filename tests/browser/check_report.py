#!/usr/bin/env python3
"""Checks a pmpo HTML report in a real browser, headless Chromium.

Usage: check_report.py REPORT.html SCREENSHOT.png

In: the path of a report page written by pmpo (src/report.rs) and the path
to write a screenshot to. The script runs Chromium twice, each time with a
fresh, temporary profile and with networking, sync and updates off: once
with --dump-dom, to read the DOM after the page has loaded, and once with
--screenshot at 1280x2400. Both runs log the browser's console to stderr.

It checks that
  - the console stays silent: no uncaught exception, no console line at
    ERROR level, and in fact no console message at all. Chromium (measured
    with version 148) logs every console message as "INFO:CONSOLE", whatever
    its level, so console.error cannot be told from console.log in the log;
    a report page runs no script, so any console message means something
    went wrong;
  - each chart container (chart-label-mix, chart-confusion,
    chart-confidence, chart-groups) holds an <svg> with at least one shape
    (rect, path, polyline, circle or line);
  - each table (table-confusion, table-groups) has at least one data row
    (a row with a <td>);
  - the page loads nothing from elsewhere: no <script src>, and no src or
    href attribute pointing at http(s);
  - the screenshot was written as a PNG;
  - at a width of 1280 px no table cell leaves the page (left of 0 or right
    of the viewport) and the page does not scroll sideways. A copy of the
    page with a measuring script appended (in a temporary folder) is loaded
    in a third run, and the script writes what it measured into the DOM.

Out: one line per check on stdout, then PASS or FAIL. Exit status 0 when
every check passes, 1 when one fails (or Chromium could not render the page),
2 when Chromium is not installed or the arguments are wrong.

Only the Python 3 standard library is used. Chromium is found as `chromium`
on PATH, else /usr/bin/chromium; the CHROMIUM environment variable, if set,
names another binary.
"""

import html
import html.parser
import json
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import tempfile

CHARTS = ["chart-label-mix", "chart-confusion", "chart-confidence", "chart-groups"]
TABLES = ["table-confusion", "table-groups"]
SHAPES = {"rect", "path", "polyline", "circle", "line"}
# HTML elements that never have an end tag.
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link",
    "meta", "param", "source", "track", "wbr",
}
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]
TIMEOUT_SECONDS = 120
WIDTH = 1280
# Appended to a copy of the page: measures every table cell against the
# viewport and writes the result into the DOM as JSON.
MEASURE = """<script>
(function () {
  var w = document.documentElement.clientWidth, out = [];
  document.querySelectorAll("table").forEach(function (t) {
    t.querySelectorAll("th, td").forEach(function (c) {
      var r = c.getBoundingClientRect();
      if (r.left < -0.5 || r.right > w + 0.5) {
        out.push((t.id || "table") + ": " + c.textContent.slice(0, 40) +
                 " spans " + Math.round(r.left) + "-" + Math.round(r.right));
      }
    });
  });
  var pre = document.createElement("pre");
  pre.id = "pmpo-layout";
  pre.textContent = JSON.stringify({width: w, scroll: document.documentElement.scrollWidth,
    cells: document.querySelectorAll("table th, table td").length, outside: out});
  document.body.appendChild(pre);
})();
</script>
"""


def find_chromium():
    """The Chromium binary to run, or None when there is none."""
    named = os.environ.get("CHROMIUM")
    if named:
        return shutil.which(named) or (named if os.access(named, os.X_OK) else None)
    found = shutil.which("chromium")
    if found:
        return found
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return None


class Dom(html.parser.HTMLParser):
    """Walks the dumped DOM and counts what the checks need.

    For each chart container: <svg> elements and shapes inside an <svg>.
    For each table: rows with at least one <td>. For the page: scripts with
    a src, and src or href attributes pointing at http(s).
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        # Open elements as (tag, container id or None).
        self.stack = []
        self.svgs = {c: 0 for c in CHARTS}
        self.shapes = {c: 0 for c in CHARTS}
        self.rows = {t: 0 for t in TABLES}
        self.row_counted = False
        self.external = []
        self.found_ids = set()

    def _inside(self, names):
        """The nearest open element whose id is in `names`, or None."""
        for _, ident in reversed(self.stack):
            if ident in names:
                return ident
        return None

    def _open(self, tag):
        return any(t == tag for t, _ in self.stack)

    def _element(self, tag, attrs):
        attrs = dict(attrs)
        ident = attrs.get("id")
        if ident in CHARTS or ident in TABLES:
            self.found_ids.add(ident)
        for name in ("src", "href"):
            value = (attrs.get(name) or "").strip().lower()
            if value.startswith(("http:", "https:", "//")):
                self.external.append(f"<{tag} {name}={attrs.get(name)}>")
        if tag == "script" and attrs.get("src"):
            self.external.append(f"<script src={attrs.get('src')}>")
        chart = self._inside(CHARTS)
        if chart:
            if tag == "svg":
                self.svgs[chart] += 1
            elif tag in SHAPES and self._open("svg"):
                self.shapes[chart] += 1
        table = self._inside(TABLES)
        if table:
            if tag == "tr":
                self.row_counted = False
            elif tag == "td" and self._open("tr") and not self.row_counted:
                self.rows[table] += 1
                self.row_counted = True
        return ident

    def handle_starttag(self, tag, attrs):
        ident = self._element(tag, attrs)
        if tag not in VOID:
            self.stack.append((tag, ident))

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)

    def handle_endtag(self, tag):
        # Pop back to the matching open element; ignore a stray end tag.
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return


def console_lines(stderr):
    """The console messages in a Chromium log."""
    return [line.strip() for line in stderr.splitlines() if "CONSOLE" in line]


def console_errors(stderr):
    """Uncaught exceptions and console lines at ERROR level in a log."""
    return [
        line.strip()
        for line in stderr.splitlines()
        if "Uncaught" in line or ("CONSOLE" in line and "ERROR" in line.split("CONSOLE")[0])
    ]


def run_chromium(browser, extra, url):
    """Runs Chromium with a fresh profile; returns (stdout, stderr, status)."""
    with tempfile.TemporaryDirectory(prefix="pmpo-chromium-") as profile:
        cmd = [browser, *FLAGS, f"--user-data-dir={profile}", *extra, url]
        try:
            done = subprocess.run(
                cmd,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return "", f"chromium did not finish within {TIMEOUT_SECONDS} s", -1
    return (
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
        done.returncode,
    )


def measure_layout(browser, report):
    """What the measuring script saw at WIDTH px, as a dict, or None."""
    page = report.read_text(encoding="utf-8")
    at = page.rfind("</body>")
    page = page[:at] + MEASURE + page[at:] if at >= 0 else page + MEASURE
    with tempfile.TemporaryDirectory(prefix="pmpo-layout-") as tmp:
        copy = pathlib.Path(tmp) / "report.html"
        copy.write_text(page, encoding="utf-8")
        dom, _, status = run_chromium(
            browser, ["--dump-dom", f"--window-size={WIDTH},2400"], copy.as_uri()
        )
    start = dom.find('<pre id="pmpo-layout">')
    if status != 0 or start < 0:
        return None
    body = dom[start + len('<pre id="pmpo-layout">') :]
    body = html.unescape(body[: body.find("</pre>")])
    try:
        return json.loads(body)
    except ValueError:
        return None


def png_size(path):
    """(width, height) of a PNG file, or None if it is not one."""
    try:
        with open(path, "rb") as f:
            head = f.read(24)
    except OSError:
        return None
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def main(argv):
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    report, shot = pathlib.Path(argv[1]), pathlib.Path(argv[2])
    if not report.is_file():
        print(f"error: {report}: no such file", file=sys.stderr)
        return 2
    browser = find_chromium()
    if browser is None:
        print(
            "error: Chromium is not installed (looked for `chromium` on PATH and "
            "/usr/bin/chromium).\nInstall it with:\n"
            "    sudo apt-get update && sudo apt-get install -y chromium\n"
            "or set CHROMIUM to the path of a Chromium or Chrome binary.",
            file=sys.stderr,
        )
        return 2
    url = report.resolve().as_uri()
    version = subprocess.run(
        [browser, "--version"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False
    ).stdout.decode("utf-8", "replace").strip()
    print(f"browser: {browser} ({version or 'version unknown'})")
    print(f"page:    {url}")

    failures = []

    def check(ok, what):
        print(f"{'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            failures.append(what)

    dom, log, status = run_chromium(browser, ["--dump-dom"], url)
    if status != 0 or "<html" not in dom:
        print(f"FAIL chromium --dump-dom exited with {status} and gave {len(dom)} bytes")
        print(log[-2000:], file=sys.stderr)
        print("FAIL: the page could not be rendered")
        return 1
    print(f"DOM:     {len(dom)} bytes after load")

    shot.parent.mkdir(parents=True, exist_ok=True)
    if shot.exists():
        shot.unlink()
    _, shot_log, shot_status = run_chromium(
        browser, [f"--screenshot={shot.resolve()}", "--window-size=1280,2400"], url
    )

    parser = Dom()
    parser.feed(dom)
    parser.close()

    errors = console_errors(log) + console_errors(shot_log)
    messages = console_lines(log) + console_lines(shot_log)
    check(not errors, f"console errors and uncaught exceptions: {len(errors)}")
    for line in errors[:10]:
        print(f"       {line}")
    check(not messages, f"console messages of any level (the page runs no script): {len(messages)}")
    for line in messages[:10]:
        print(f"       {line}")

    for c in CHARTS:
        present = c in parser.found_ids
        svgs, shapes = parser.svgs[c], parser.shapes[c]
        check(
            present and svgs >= 1 and shapes >= 1,
            f"#{c}: {'found' if present else 'MISSING'}, {svgs} <svg>, {shapes} shapes",
        )
    for t in TABLES:
        present = t in parser.found_ids
        rows = parser.rows[t]
        check(present and rows >= 1, f"#{t}: {'found' if present else 'MISSING'}, {rows} data rows")
    check(
        not parser.external,
        "external resources: "
        + ("none" if not parser.external else ", ".join(parser.external[:5])),
    )
    layout = measure_layout(browser, report)
    if layout is None:
        check(False, f"layout at {WIDTH} px: could not be measured")
    else:
        outside = layout.get("outside", [])
        check(
            not outside and layout.get("scroll", 0) <= layout.get("width", 0),
            f"layout at {WIDTH} px: {len(outside)} of {layout.get('cells')} table cells "
            f"outside the page, page {layout.get('scroll')} px wide in a "
            f"{layout.get('width')} px viewport",
        )
        for line in outside[:10]:
            print(f"       {line}")
    size = png_size(shot)
    check(
        shot_status == 0 and size is not None,
        f"screenshot: {shot} "
        + (f"{size[0]}x{size[1]} PNG, {shot.stat().st_size} bytes" if size else "not written")
        + (f" (chromium exited with {shot_status})" if shot_status != 0 else ""),
    )

    if failures:
        print(f"FAIL: {len(failures)} of the checks failed")
        return 1
    print("PASS: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
