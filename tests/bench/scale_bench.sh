#!/bin/sh
# SPDX-License-Identifier: MIT
# scale_bench.sh - how time and memory grow with the run: stats, throttle,
# report (its data: --no-render, the charts' time does not grow with the
# rows), summarize and stats of the state, at 1 M, 10 M and 100 M rows of
# tests/bench/gen_jtl.c (20 labels, ~1 % 429s).  The 100 M-row file (13.8
# GB) is generated on the fly beside the others and removed afterwards
# (KEEP=1 keeps it).  One run of each, one after the other: the figures
# are wall time, seconds per million rows, and peak RSS.  Not in ctest.
#
#   tests/bench/scale_bench.sh              1 M, 10 M and 100 M rows
#   SIZES="1000000 10000000" tests/bench/scale_bench.sh
set -eu
SIZES=${SIZES:-"1000000 10000000 100000000"}
. "$(dirname "$0")/common.sh"
RES=$OUT/scale-results.txt
: >"$RES"
for rows in $SIZES; do
    bench_file "$rows"
    f=$BENCH_FILE
    made=$BENCH_MADE
    for c in stats throttle report summarize stats-of-state; do
        rm -rf "$OUT/scale-report" "$OUT/scale.jtls.out"
        case $c in
        stats) set -- "$BIN" stats -q -f json "$f" ;;
        throttle) set -- "$BIN" throttle -q -f json "$f" ;;
        report) set -- "$BIN" report -q --no-render "$f" -o "$OUT/scale-report" ;;
        summarize) set -- "$BIN" summarize -q "$f" -o "$OUT/scale.jtls" ;;
        stats-of-state) set -- "$BIN" stats -q -f json "$OUT/scale.jtls" ;;
        esac
        if /usr/bin/time -f '%e %M' -o "$OUT/time.txt" "$@" >/dev/null 2>&1; then
            read -r sec kb <"$OUT/time.txt"
            echo "$rows $c $sec $kb" >>"$RES"
            printf '  %10s rows %-15s %7.2f s %8.1f MB\n' "$rows" "$c" "$sec" \
                "$(echo "$kb" | awk '{print $1/1024}')"
        else
            echo "  $rows rows $c FAILED"
        fi
    done
    [ -z "$made" ] || rm -f "$made"
done
rm -rf "$OUT/scale-report" "$OUT/scale.jtls"
echo
awk '{ t[$2" "$1] = $3; m[$2" "$1] = $4; rows[$1] = 1; cmd[$2] = 1 }
END {
    printf "%-15s %10s %9s %12s %10s\n", "command", "rows", "wall s", "s/M rows", "peak MB"
    for (c in cmd) for (r in rows) if ((c" "r) in t)
        printf "%-15s %10d %9.2f %12.3f %10.1f\n", c, r, t[c" "r], t[c" "r] / (r / 1e6), m[c" "r] / 1024
}' "$RES" | sort -k1,1 -k2,2n
