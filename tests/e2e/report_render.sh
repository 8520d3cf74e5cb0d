#!/bin/sh
# SPDX-License-Identifier: MIT
# report_render.sh - with gnuplot installed: every chart script of a report
# is drawn as a real PNG and SVG, both are inlined in index.html, the
# scripts draw the same files again when run by hand in the report folder
# (`gnuplot *.gp`), and --gnuplot PATH is honoured.
# Skips (77) when gnuplot is not installed: CI installs gnuplot-nox.
# Args: $1 jtlscope  $2 tests/data  $3 samples  $4 scratch dir
set -u
BIN=$1
SAMPLES=$3
OUT=$4
fail=0
GP=$(command -v gnuplot 2>/dev/null) || {
    echo "SKIP: gnuplot is not installed (apt-get install gnuplot-nox)"
    exit 77
}
rm -rf "$OUT"
mkdir -p "$OUT"

ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fail=1; }

D=$OUT/r
"$BIN" report -q --gnuplot "$GP" -o "$D" "$SAMPLES/threshold-rate.xml.jtl.gz" \
    2>"$OUT/err"
rc=$?
[ $rc -eq 0 ] && ok "report with --gnuplot $GP exits 0" ||
    { bad "report exits 0 (got $rc)"; cat "$OUT/err"; }
[ -s "$OUT/err" ] && bad "no warning on stderr: $(cat "$OUT/err")" ||
    ok "no warning on stderr"

n=0
for gp in "$D"/*.gp; do
    c=$(basename "$gp" .gp)
    n=$((n + 1))
    sig=$(od -An -tx1 -N8 "$D/$c.png" 2>/dev/null | tr -d ' \n')
    [ "$sig" = 89504e470d0a1a0a ] && ok "$c.png is a PNG" ||
        bad "$c.png is a PNG"
    if grep -q '<svg' "$D/$c.svg" 2>/dev/null &&
        grep -q '</svg>' "$D/$c.svg"; then
        ok "$c.svg is a complete SVG"
    else
        bad "$c.svg is a complete SVG"
    fi
done
[ $n -ge 8 ] && ok "$n charts for a throttled XML run" ||
    bad "$n charts for a throttled XML run (want at least 8)"
m=$(grep -o -E 'src="data:image/(svg\+xml|png);base64,' "$D/index.html" | wc -l)
[ "$m" -eq "$n" ] && ok "all $n charts inlined in index.html" ||
    bad "charts inlined in index.html: $m of $n"
grep -q 'id="charts-note"' "$D/index.html" &&
    bad "no 'charts missing' note when everything was drawn" ||
    ok "no 'charts missing' note when everything was drawn"

# Users edit and re-run the scripts: from the folder, as documented.
mkdir -p "$OUT/again"
cp "$D"/*.gp "$D"/*.dat "$OUT/again/"
if (cd "$OUT/again" && gnuplot ./*.gp) 2>"$OUT/again.err"; then
    ok "gnuplot *.gp in the folder runs"
else
    bad "gnuplot *.gp in the folder runs: $(head -3 "$OUT/again.err")"
fi
k=$(ls "$OUT/again"/*.png 2>/dev/null | wc -l)
[ "$k" -eq "$n" ] && ok "re-run draws every PNG again" ||
    bad "re-run draws every PNG again ($k of $n)"
for f in "$D"/*.svg; do
    cmp -s "$f" "$OUT/again/$(basename "$f")" ||
        { bad "re-drawn $(basename "$f") identical"; continue; }
done
ok "re-drawn SVG files are identical to the report's"

# A second report into the same folder replaces it; charts it no longer
# has (none.csv has no 429 charts) are removed, nothing else is touched.
touch "$D/my-notes.txt"
"$BIN" report -q -o "$D" "$(dirname "$0")/../data/jmeter-nginx/none.csv.jtl" 2>/dev/null ||
    bad "second report into the same folder"
if [ ! -e "$D/chart-02-429-share.png" ] && [ -e "$D/my-notes.txt" ] &&
    [ -e "$D/chart-01-throughput.png" ]; then
    ok "old charts replaced, stale ones removed, other files kept"
else
    bad "old charts replaced, stale ones removed, other files kept"
fi
exit $fail
