#!/bin/sh
# SPDX-License-Identifier: MIT
# report_options.sh - `jtlscope report` without gnuplot (a clear warning,
# exit 0, everything but the images written, the page says how to get
# them), --no-render, --title, --template-dir, and failures: a bad template
# or an unusable output folder exits 1 and leaves the previous report as it
# was, with no temporary folder behind; usage errors exit 2; the statistics
# options shared with `jtlscope stats` (--granularity, --jmeter-compat); a
# file with 20 000 labels (the throttling scopes cap, statistics.json too big
# to embed in the page).
# Args: $1 jtlscope  $2 tests/data  $3 samples  $4 scratch dir
set -u
BIN=$1
SAMPLES=$3
OUT=$4
IN=$SAMPLES/fixed-window.csv.jtl
fail=0
rm -rf "$OUT"
mkdir -p "$OUT"

ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fail=1; }
no_images() { ! ls "$1" | grep -q -e '\.png$' -e '\.svg$'; }

# 1. gnuplot missing (an explicit path that does not exist)
D=$OUT/nognuplot
"$BIN" report --gnuplot /nonexistent/gnuplot -o "$D" "$IN" 2>"$OUT/err1"
rc=$?
[ $rc -eq 0 ] && ok "no gnuplot: exit 0" || bad "no gnuplot: exit 0 (got $rc)"
grep -q "jtlscope: warning: gnuplot not found" "$OUT/err1" &&
    ok "no gnuplot: warning on stderr" || bad "no gnuplot: warning on stderr"
for f in index.html statistics.json throttle.json summary.md \
    chart-01-throughput.gp chart-01-throughput.dat; do
    [ -s "$D/$f" ] && ok "no gnuplot: $f written" ||
        bad "no gnuplot: $f written"
done
no_images "$D" && ok "no gnuplot: no image" || bad "no gnuplot: no image"
grep -q 'gnuplot was not found' "$D/index.html" &&
    grep -q 'gnuplot \*.gp' "$D/index.html" &&
    ok "no gnuplot: the page says how to get the charts" ||
    bad "no gnuplot: the page says how to get the charts"
grep -q 'gnuplot \*.gp' "$D/summary.md" &&
    ok "no gnuplot: summary.md says how to draw them" ||
    bad "no gnuplot: summary.md says how to draw them"

# ... and not in PATH either
D=$OUT/nopath
PATH=/nonexistent "$BIN" report -o "$D" "$IN" 2>"$OUT/err2"
rc=$?
[ $rc -eq 0 ] && grep -q "gnuplot not found" "$OUT/err2" && no_images "$D" &&
    ok "gnuplot not in PATH: warning, exit 0" ||
    bad "gnuplot not in PATH: warning, exit 0 (rc $rc)"
"$BIN" report -q --gnuplot /nonexistent/gnuplot -o "$OUT/quiet" "$IN" \
    2>"$OUT/err3"
[ ! -s "$OUT/err3" ] && ok "--quiet: no warning" || bad "--quiet: no warning"

# 2. --no-render and --title (user text, escaped)
D=$OUT/norender
"$BIN" report -q --no-render --title 'Run <42> & "B"' -o "$D" "$IN"
[ $? -eq 0 ] && no_images "$D" && ok "--no-render: scripts only" ||
    bad "--no-render: scripts only"
grep -q -- '--no-render' "$D/index.html" && ok "--no-render: noted in page" ||
    bad "--no-render: noted in page"
grep -q '<h1>Run &lt;42&gt; &amp; &quot;B&quot;</h1>' "$D/index.html" &&
    ok "--title shown, escaped" || bad "--title shown, escaped"

# 3. --template-dir: files found there replace the built-in ones
T=$OUT/tpl
mkdir -p "$T"
printf '/* custom css */ body { color: #123456; }\n' >"$T/report.css"
"$BIN" report -q --no-render --template-dir "$T" -o "$OUT/tpl-out" "$IN" &&
    grep -q 'color: #123456' "$OUT/tpl-out/index.html" &&
    grep -q 'id="stats-table"' "$OUT/tpl-out/index.html" &&
    ok "--template-dir: report.css replaced, the rest built in" ||
    bad "--template-dir: report.css replaced, the rest built in"

# 4. a failing run leaves the previous report untouched, no temp folder
D=$OUT/keep
"$BIN" report -q --no-render -o "$D" "$IN" || bad "first report"
(cd "$D" && ls -l && cat ./*) >"$OUT/before" 2>/dev/null
printf '<html>\n<body>\n{{#cards}}\n{{label}}\n</body>\n' >"$T/report.html"
"$BIN" report -q --no-render --template-dir "$T" -o "$D" \
    "$SAMPLES/random.csv.jtl.gz" 2>"$OUT/err4"
rc=$?
[ $rc -eq 1 ] && ok "bad template: exit 1" || bad "bad template: exit 1 (got $rc)"
grep -q "report.html:3: unclosed {{#cards}}" "$OUT/err4" &&
    ok "bad template: message names file and line" ||
    bad "bad template: message names file and line: $(cat "$OUT/err4")"
(cd "$D" && ls -l && cat ./*) >"$OUT/after" 2>/dev/null
cmp -s "$OUT/before" "$OUT/after" &&
    ok "bad template: previous report untouched" ||
    bad "bad template: previous report untouched"
ls -A "$D" | grep -q '^\.jtlscope-tmp' &&
    bad "bad template: temporary folder left" ||
    ok "bad template: no temporary folder left"
printf '{{nosuchname}}\n' >"$T/report.html"
"$BIN" report -q --no-render --template-dir "$T" -o "$D" "$IN" 2>"$OUT/err5"
[ $? -eq 1 ] && grep -q "report.html:1: unknown name 'nosuchname'" \
    "$OUT/err5" && ok "unknown template name: exit 1 with line" ||
    bad "unknown template name: exit 1 with line"

# 5. output folder problems and usage errors
: >"$OUT/afile"
"$BIN" report -q --no-render -o "$OUT/afile" "$IN" 2>"$OUT/err6"
[ $? -eq 1 ] && grep -q "is not a folder" "$OUT/err6" &&
    ok "-o names a file: exit 1" || bad "-o names a file: exit 1"
"$BIN" report -q --no-render -o "$OUT/no/such/parent" "$IN" 2>/dev/null
[ $? -eq 1 ] && [ ! -e "$OUT/no" ] && ok "-o under a missing folder: exit 1" ||
    bad "-o under a missing folder: exit 1"
"$BIN" report "$IN" 2>/dev/null
[ $? -eq 2 ] && ok "no -o: usage error" || bad "no -o: usage error"
"$BIN" report -f json -o "$OUT/x" "$IN" 2>/dev/null
[ $? -eq 2 ] && ok "--format: usage error" || bad "--format: usage error"
"$BIN" report --template-dir "$OUT/none" -o "$OUT/x" "$IN" 2>/dev/null
[ $? -eq 2 ] && ok "--template-dir not a folder: usage error" ||
    bad "--template-dir not a folder: usage error"
"$BIN" report -q -o "$OUT/x" "$OUT/missing.jtl" 2>/dev/null
rc=$?
[ $rc -eq 1 ] && [ ! -e "$OUT/x/index.html" ] &&
    ok "unreadable input: exit 1, no report" ||
    bad "unreadable input: exit 1, no report (rc $rc)"

# 6. the statistics options of `jtlscope stats` reach the report
D=$OUT/gran
"$BIN" report -q --no-render --granularity 5s -o "$D" "$IN"
# rows of the per-interval charts 5 s apart (the default here is 1 s)
steps=$(awk -F'\t' 'NR > 2 && NF > 1 { printf "%.3f\n", $1 - prev }
    NF > 1 { prev = $1 }' "$D/chart-06-response-time-percentiles.dat" |
    sort -u)
[ "$steps" = "5.000" ] && ok "--granularity 5s: percentile rows 5 s apart" ||
    bad "--granularity 5s: percentile rows 5 s apart (steps: $steps)"
grep -q 'per second' "$D/chart-05-response-codes.gp" &&
    ok "--granularity 5s: codes still per second" ||
    bad "--granularity 5s: codes still per second"
D=$OUT/compat
"$BIN" report -q --no-render --jmeter-compat -o "$D" "$IN"
"$BIN" stats -q --jmeter-compat -f json -o "$OUT/compat.json" "$IN"
cmp -s "$D/statistics.json" "$OUT/compat.json" &&
    ok "--jmeter-compat: statistics.json as stats --jmeter-compat" ||
    bad "--jmeter-compat: statistics.json as stats --jmeter-compat"
"$BIN" stats -q -f json -o "$OUT/exact.json" "$IN"
cmp -s "$OUT/compat.json" "$OUT/exact.json" &&
    bad "--jmeter-compat: differs from the exact default" ||
    ok "--jmeter-compat: differs from the exact default"
"$BIN" report --jmeter-compat --percentile-method exact -o "$OUT/y" "$IN" \
    2>"$OUT/err7"
[ $? -eq 2 ] && grep -q 'legacy percentile method' "$OUT/err7" &&
    [ ! -e "$OUT/y" ] && ok "--jmeter-compat with exact: usage error" ||
    bad "--jmeter-compat with exact: usage error"
"$BIN" report --granularity 5parsecs -o "$OUT/y" "$IN" 2>"$OUT/err8"
[ $? -eq 2 ] && grep -q "granularity takes a duration" "$OUT/err8" &&
    ok "bad --granularity: usage error" || bad "bad --granularity: usage error"

# 7. many labels (an id in the label): 20 000 labels, 3 of them busy.  The
# throttling analysis takes the 200 busiest one by one and counts the
# rest; statistics.json (over 16 MB) stays beside the page, not inside it.
MANY=$OUT/many-labels.csv
awk 'BEGIN {
    print "timeStamp,elapsed,label,responseCode,responseMessage,threadName,success,bytes,grpThreads,allThreads"
    t = 1700000000000
    for (i = 0; i < 26000; i++) {
        if (i % 4 == 0) lab = "busy " (i % 3); else lab = "GET /item/" i
        code = (i % 5 == 0) ? 429 : 200
        printf "%d,%d,%s,%d,m,T 1-%d,%s,100,5,5\n", t + i * 3, 5 + i % 7, lab, code, i % 5 + 1, (code == 200 ? "true" : "false")
    }
}' >"$MANY"
D=$OUT/many
"$BIN" report -q --no-render -o "$D" "$MANY"
rc=$?
[ $rc -eq 0 ] && ok "20 000 labels: report written" ||
    bad "20 000 labels: report written (rc $rc)"
if command -v python3 >/dev/null 2>&1; then
    python3 - "$D" <<'PY' && ok "20 000 labels: 200 busiest analysed, the rest counted; big JSON not embedded" ||
import json, os, re, sys
d = sys.argv[1]
t = json.load(open(os.path.join(d, "throttle.json")))
labels = [s for s in t["scopes"] if s["scope"] == "label"]
om = t["scopes_omitted"]
assert len(labels) == 200, len(labels)
names = {s["name"] for s in labels}
assert {"busy 0", "busy 1", "busy 2"} <= names, "the busy labels are kept"
# 19 500 one-sample labels + 3 busy ones: 19 503 labels, 200 kept
assert om["labels"] == 19503 - 200 and om["label_samples"] == om["labels"], om
assert om["groups"] == 0, om
assert any("200 busiest" in n for n in t["notes"]), t["notes"]
assert t["samples"] == 26000
size = os.path.getsize(os.path.join(d, "statistics.json"))
assert size > 16 << 20, size
page = open(os.path.join(d, "index.html"), encoding="utf-8").read()
m = re.search(r'<script type="application/json" id="jtl-data">(.*?)</script>', page, re.S)
data = json.loads(m.group(1))
assert data["statistics"] is None and data["throttle"]["samples"] == 26000
assert data["not_embedded"] == {"statistics.json": size}, data["not_embedded"]
assert len(page) < 8 << 20, len(page)
PY
        bad "20 000 labels: 200 busiest analysed, the rest counted; big JSON not embedded"
fi
exit $fail
