#!/bin/sh
# SPDX-License-Identifier: MIT
# report_bench.sh - what `jtlscope report` costs on top of `jtlscope
# throttle` on the same big file (the goal: at most 2 s more on 10 M rows).
# Generates a JMeter 5.x CSV with tests/bench/gen_jtl.c (kept between runs),
# then prints the median wall time of RUNS runs of
#   throttle -f json         (the 429 analysis alone)
#   report --no-render       (stats + 429 analysis in one pass, all files)
#   report                   (the same and gnuplot drawing every chart)
# and the report's chart data size.  Not part of ctest.
# Usage: tests/bench/report_bench.sh [ROWS] [RUNS]     (build/release first)
set -eu
cd "$(dirname "$0")/../.."
ROWS=${1:-10000000}
RUNS=${2:-3}
BIN=build/release/jtlscope
W=tests/bench/out
mkdir -p "$W"
[ -x "$BIN" ] || { echo "build the release preset first" >&2; exit 1; }
cc -O2 -o "$W/gen_jtl" tests/bench/gen_jtl.c -lm
F=$W/report-$ROWS.csv
[ -s "$F" ] || "$W/gen_jtl" --rows "$ROWS" >"$F"
echo "input: $F, $(wc -c <"$F") bytes, $ROWS rows"

wall() { # command... -> seconds on stdout
    s=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    e=$(date +%s.%N)
    echo "$e - $s" | bc
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
time_it() { # label, command...  (summary on stderr, median on stdout)
    label=$1
    shift
    i=0
    : >"$W/times"
    while [ $i -lt "$RUNS" ]; do
        wall "$@" >>"$W/times"
        i=$((i + 1))
    done
    m=$(median <"$W/times")
    printf '%-22s median %6.2f s   (runs: %s)\n' "$label" "$m" \
        "$(tr '\n' ' ' <"$W/times")" >&2
    echo "$m"
}

cat "$F" >/dev/null # warm the page cache
t=$(time_it "throttle -f json" "$BIN" throttle -q -f json -o "$W/t.json" "$F")
r=$(time_it "report --no-render" "$BIN" report -q --no-render -o "$W/rep" "$F")
g=$(time_it "report (gnuplot)" "$BIN" report -q -o "$W/rep" "$F")
printf 'report --no-render - throttle: %+.2f s\n' "$(echo "$r - $t" | bc)"
printf 'report (gnuplot)   - throttle: %+.2f s\n' "$(echo "$g - $t" | bc)"
printf 'chart data: %s bytes in %s .dat files; index.html %s bytes\n' \
    "$(cat "$W"/rep/*.dat | wc -c)" "$(ls "$W"/rep/*.dat | wc -l)" \
    "$(wc -c <"$W/rep/index.html")"
