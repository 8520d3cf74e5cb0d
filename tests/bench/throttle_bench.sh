#!/bin/sh
# SPDX-License-Identifier: MIT
# throttle_bench.sh - `jtlscope throttle` on the 10 M-row benchmark CSV
# (tests/bench/gen_jtl.c: 20 labels, ~1 % 429s) against DuckDB with 2
# threads computing the per-label statistics, in the same rounds; plus a
# 10 M-row worst case where 72 % of the rows are 429s of one token bucket
# (tests/gen/jtlsim.c), and the memory per million samples.  Not in ctest.
#
#   tests/bench/throttle_bench.sh             10 M rows, 3 rounds
#   ROWS=2000000 RUNS=1 tests/bench/throttle_bench.sh
#
# Interleaved rounds (machine noise hits every command alike), medians.
# Target (issue #3): throttle, 2 threads <= DuckDB, 2 threads.
set -eu
ROWS=${ROWS:-10000000}
RUNS=${RUNS:-3}

echo "== build (release preset)"
. "$(dirname "$0")/common.sh"
cc -O2 -o "$OUT/jtlsim" "$ROOT/tests/gen/jtlsim.c" -lm
cc -O2 -I"$ROOT/include" -o "$OUT/throttle_phases" "$HERE/throttle_phases.c" \
    "$ROOT/build/release/libjtlcore.a" -lcsv -lxml2 -lz $(pkg-config --libs libpcre2-8 jansson) $(pkg-config --libs libisal 2>/dev/null) -lpthread -lm

bench_file "$ROWS"
BIG=$BENCH_FILE
# worst case: a 5000/s bucket under 400 threads, 20 labels, ~72 % 429s;
# the duration scales the row count (560 s is about 10 M rows)
HEAVY=$OUT/heavy-$ROWS.csv
if [ ! -s "$HEAVY" ]; then
    dur=$(echo "$ROWS" | awk '{printf "%d", $1 / 17800}')
    echo "== generate $(basename "$HEAVY") (${dur} s simulated)"
    "$OUT/jtlsim" limiter=bucket r=5000 b=200 threads=400 ramp=60 \
        duration="$dur" think_lo=0.01 think_hi=0.03 svc=0.002 \
        label_copies=20 >"$HEAVY.tmp" && mv "$HEAVY.tmp" "$HEAVY"
fi

DUCK=""
if command -v node >/dev/null 2>&1; then
    if [ ! -d "$OUT/duckdb/node_modules/@duckdb/node-api" ] &&
        command -v npm >/dev/null 2>&1; then
        echo "== npm install @duckdb/node-api"
        mkdir -p "$OUT/duckdb"
        (cd "$OUT/duckdb" && [ -f package.json ] ||
            printf '{"name":"bench","private":true}\n' >package.json
        npm install --prefix "$OUT/duckdb" --no-audit --no-fund \
            @duckdb/node-api >/dev/null 2>&1) || true
    fi
    if [ -d "$OUT/duckdb/node_modules/@duckdb/node-api" ]; then
        cp "$HERE/duckdb_stats.mjs" "$OUT/duckdb/"
        DUCK="node $OUT/duckdb/duckdb_stats.mjs"
    fi
fi
[ -n "$DUCK" ] || echo "== DuckDB not available: its rows are skipped"

CASES=$OUT/throttle-cases.txt
cat >"$CASES" <<EOF2
throttle-2t|$BIN throttle -q --threads 2 $BIG
throttle-heavy-2t|$BIN throttle -q --threads 2 $HEAVY
stats-2t|$BIN stats -q --threads 2 $BIG
EOF2
[ -z "$DUCK" ] || echo "duckdb-2t|$DUCK $BIG 2" >>"$CASES"

RES=$OUT/throttle-results.txt
: >"$RES"
echo "== $RUNS rounds; load: $(cut -d' ' -f1-3 /proc/loadavg)"
r=1
while [ "$r" -le "$RUNS" ]; do
    while IFS='|' read -r name cmd; do
        if /usr/bin/time -f '%e %U %M' -o "$OUT/time.txt" $cmd >/dev/null 2>&1
        then
            read -r sec usr kb <"$OUT/time.txt"
            echo "$name $sec $kb $usr" >>"$RES"
            printf '  round %d %-18s %6.2f s wall %6.2f s user %7.1f MB\n' \
                "$r" "$name" "$sec" "$usr" "$(echo "$kb" | awk '{print $1/1024}')"
        else
            echo "  round $r $name FAILED: $cmd"
        fi
    done <"$CASES"
    r=$((r + 1))
done

median() { # NAME FIELD(2 = s, 3 = KB, 4 = user s)
    awk -v n="$1" -v f="$2" '$1 == n { print $f }' "$RES" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) print "";
               else if (NR % 2) print v[(NR + 1) / 2];
               else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo
echo "Rows: $ROWS ($(du -m "$BIG" | cut -f1) MB), $RUNS rounds, $(nproc) cores"
printf '| %-18s | %9s | %9s | %12s |\n' case "wall s" "user s" "peak RSS MB"
printf '|%s|%s|%s|%s|\n' -------------------- ----------- ----------- --------------
while IFS='|' read -r name cmd; do
    s=$(median "$name" 2)
    [ -n "$s" ] || continue
    printf '| %-18s | %9.2f | %9.2f | %12.1f |\n' "$name" "$s" \
        "$(median "$name" 4)" "$(median "$name" 3 | awk '{print $1 / 1024}')"
done <"$CASES"
d=$(median duckdb-2t 2)
t=$(median throttle-2t 2)
if [ -n "$d" ]; then
    printf '\nthrottle 2 threads / DuckDB 2 threads: %.3f (target <= 1)\n' \
        "$(echo "$t $d" | awk '{print $1 / $2}')"
fi
"$BIN" throttle -q --threads 2 -f json "$BIG" >"$OUT/throttle.json"
rb=$(sed -n 's/.*"record_bytes": \([0-9]*\).*/\1/p' "$OUT/throttle.json")
pb=$(sed -n 's/.*"peak_bytes": \([0-9]*\).*/\1/p' "$OUT/throttle.json")
kb=$(median throttle-2t 3)
echo "$rb $pb $kb $ROWS" | awk '{
    printf "memory: %d bytes kept per sample; analyzer peak %.1f bytes per ", $1, $2 / $4
    printf "sample (%.0f MB per million); process peak RSS %.0f MB per million\n",
        $2 / $4, $3 / 1024 / ($4 / 1e6) }'
echo
echo "== the analysis phase by phase (tests/bench/throttle_phases.c)"
"$OUT/throttle_phases" --threads 2 "$BIG"
