#!/bin/sh
# SPDX-License-Identifier: MIT
# report_golden.sh - `jtlscope report` on bundled samples: the gnuplot
# scripts and data (.gp/.dat), summary.md and the list of files written
# match the golden copies in tests/e2e/golden/report/<case>/, and
# statistics.json / throttle.json are byte for byte what `jtlscope stats
# --format json` and `jtlscope throttle --format json` print for the same
# input.  UPDATE=1 rewrites the golden copies.
# Args: $1 jtlscope  $2 tests/data  $3 samples  $4 scratch dir
set -u
abs() { (cd "$1" 2>/dev/null && pwd) || echo "$1"; }
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
DATA=$(abs "$2")
SAMPLES=$(abs "$3")
mkdir -p "$4"
OUT=$(abs "$4")
GOLDEN=$(abs "$(dirname "$0")")/golden/report
fail=0
rm -rf "$OUT"
mkdir -p "$OUT"

ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fail=1; }

# The version string changes with every release; goldens say VERSION.
norm() { sed 's/jtlscope [0-9][0-9.]*[0-9]/jtlscope VERSION/g' "$1"; }

run_case() { # name, input file
    name=$1
    # run from the input's folder: file names in the outputs are stable
    cd "$(dirname "$2")" || exit 1
    in=$(basename "$2")
    dir=$OUT/$name
    if ! "$BIN" report -q --no-render -o "$dir" "$in" 2>"$OUT/$name.err"; then
        bad "$name: report runs"
        cat "$OUT/$name.err"
        return
    fi
    ok "$name: report runs"
    # what a golden holds: the file list, scripts, data, Markdown
    mkdir -p "$OUT/$name.norm"
    (cd "$dir" && ls) >"$OUT/$name.norm/FILES"
    for f in "$dir"/*.gp "$dir"/*.dat "$dir"/summary.md; do
        [ -f "$f" ] && norm "$f" >"$OUT/$name.norm/$(basename "$f")"
    done
    if [ "${UPDATE:-0}" = 1 ]; then
        rm -rf "${GOLDEN:?}/$name"
        mkdir -p "$GOLDEN/$name"
        cp "$OUT/$name.norm"/* "$GOLDEN/$name/"
        ok "$name: golden rewritten"
    elif diff -ru "$GOLDEN/$name" "$OUT/$name.norm" >"$OUT/$name.diff"; then
        ok "$name: .gp/.dat/summary.md/file list match the golden copy"
    else
        bad "$name: differs from golden (diff in $OUT/$name.diff)"
        head -40 "$OUT/$name.diff"
    fi
    # the JSON files are the other commands' output, not a format of ours
    "$BIN" stats -q --format json "$in" >"$OUT/$name.stats.json" 2>/dev/null
    if cmp -s "$OUT/$name.stats.json" "$dir/statistics.json"; then
        ok "$name: statistics.json = jtlscope stats --format json"
    else
        bad "$name: statistics.json = jtlscope stats --format json"
    fi
    "$BIN" throttle -q --format json "$in" >"$OUT/$name.throttle.json" \
        2>/dev/null
    if cmp -s "$OUT/$name.throttle.json" "$dir/throttle.json"; then
        ok "$name: throttle.json = jtlscope throttle --format json"
    else
        bad "$name: throttle.json = jtlscope throttle --format json"
    fi
    # no image without --render, no temporary folder left
    if ls "$dir" | grep -q -e '\.png$' -e '\.svg$' -e '^\.jtlscope-tmp'; then
        bad "$name: --no-render draws nothing and leaves no temp folder"
    else
        ok "$name: --no-render draws nothing and leaves no temp folder"
    fi
}

run_case threshold-rate-csv "$SAMPLES/threshold-rate.csv.jtl"
run_case random-csv-gz "$SAMPLES/random.csv.jtl.gz"
run_case per-endpoint-xml-gz "$SAMPLES/per-endpoint.xml.jtl.gz"
run_case fixed-window-csv "$SAMPLES/fixed-window.csv.jtl"
run_case none-csv "$DATA/jmeter-nginx/none.csv.jtl"

# Bounded chart data: every .dat of these runs is small (no per-sample
# rows); the largest holds a per-second series.
big=$(find "$OUT" -name '*.dat' -size +64k | head -1)
[ -z "$big" ] && ok "chart data files stay small" ||
    bad "chart data files stay small ($big)"

exit $fail
