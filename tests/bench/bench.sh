#!/bin/sh
# SPDX-License-Identifier: MIT
# bench.sh - jtlscope's read speed and memory against DuckDB and gzread, on
# generated realistic JMeter 5.x CSV files.  Not part of ctest (minutes).
#
#   tests/bench/bench.sh                 10 M rows (1.39 GB), 5 rounds
#   ROWS=2000000 RUNS=3 tests/bench/bench.sh
#
# Generates under tests/bench/out/ (gitignored): the big CSV, a 1 M-row CSV
# (RSS growth), an all-quoted CSV (a writer that quotes every string), a
# 2000-label CSV (memory with many labels) and the big CSV gzip'd.  DuckDB
# comes from npm (@duckdb/node-api) into tests/bench/out/duckdb when npm
# can reach its registry; without it those rows are skipped.
# The rounds interleave the commands, so machine noise hits all alike; the
# table shows medians (wall seconds, peak RSS) and the ratios the targets
# are about:
#   stats 10 M, 2 threads / DuckDB 2 threads       <= 0.25
#   peak RSS of that run                            <= 32 MB
#   peak RSS 10 M / peak RSS 1 M                    <= 1.2
#   stats on the .gz / gzread alone                 <= 1.0
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tests/bench
OUT=$HERE/out
ROWS=${ROWS:-10000000}
SMALL=${SMALL:-1000000}
RUNS=${RUNS:-5}
mkdir -p "$OUT"

echo "== build (release preset)"
(cd "$ROOT" && cmake --preset release -G Ninja >/dev/null &&
    cmake --build --preset release -j2 >/dev/null)
BIN=$ROOT/build/release/jtlscope
cc -O2 -o "$OUT/gen_jtl" "$HERE/gen_jtl.c" -lm
cc -O2 -o "$OUT/gzread_bench" "$HERE/gzread_bench.c" -lz
cc -O2 -I"$ROOT/include" -o "$OUT/decode_bench" "$HERE/decode_bench.c" \
    "$ROOT/build/release/libjtlcore.a" -lcsv -lxml2 -lz $(pkg-config --libs libpcre2-8 jansson) $(pkg-config --libs libisal 2>/dev/null) -lpthread -lm

gen() { # FILE ARGS...
    f=$1
    shift
    if [ ! -s "$f" ]; then
        echo "== generate $(basename "$f") ($*)"
        "$OUT/gen_jtl" "$@" >"$f.tmp" && mv "$f.tmp" "$f"
    fi
}
BIG=$OUT/bench-$ROWS.csv
SMALLF=$OUT/bench-$SMALL.csv
QUOTED=$OUT/bench-$ROWS-quoted.csv
LABELS=$OUT/bench-$SMALL-2000labels.csv
gen "$BIG" --rows "$ROWS"
gen "$SMALLF" --rows "$SMALL"
gen "$QUOTED" --rows "$ROWS" --quote-all --seed 2
gen "$LABELS" --rows "$SMALL" --labels 2000 --seed 3
if [ ! -s "$BIG.gz" ]; then
    echo "== gzip $(basename "$BIG")"
    gzip -6 -c "$BIG" >"$BIG.gz.tmp" && mv "$BIG.gz.tmp" "$BIG.gz"
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

# The cases: NAME|COMMAND.  Output goes to /dev/null; the time is GNU
# time's wall clock, maximum resident set size and CPU (user + system).
# decode-only is the reader and decoder with a minimal sink (label, count,
# sum, max), to separate decoding from the statistics.
CASES=$OUT/cases.txt
cat >"$CASES" <<EOF
stats-2t|$BIN stats -q --threads 2 $BIG
stats-1t|$BIN stats -q --threads 1 $BIG
decode-only-2t|$OUT/decode_bench --threads 2 $BIG
stats-2t-1M|$BIN stats -q --threads 2 $SMALLF
stats-2t-quoted|$BIN stats -q --threads 2 $QUOTED
stats-2t-2000labels|$BIN stats -q --threads 2 $LABELS
stats-gz|$BIN stats -q --threads 2 $BIG.gz
stats-gz-zlib|env JTLSCOPE_INFLATER=zlib $BIN stats -q --threads 2 $BIG.gz
gzread|$OUT/gzread_bench $BIG.gz
EOF
# ISA-L's own inflate, the floor of the gzip case (Debian package isal)
if command -v igzip >/dev/null 2>&1; then
    printf '#!/bin/sh\nexec igzip -dc "$1" >/dev/null\n' >"$OUT/igzip_dc"
    chmod +x "$OUT/igzip_dc"
    echo "igzip-dc|$OUT/igzip_dc $BIG.gz" >>"$CASES"
fi
if [ -n "$DUCK" ]; then
    cat >>"$CASES" <<EOF
duckdb-2t|$DUCK $BIG 2
duckdb-2t-quoted|$DUCK $QUOTED 2
EOF
fi

RES=$OUT/results.txt
: >"$RES"
echo "== $RUNS rounds (medians below); load: $(cut -d' ' -f1-3 /proc/loadavg)"
r=1
while [ "$r" -le "$RUNS" ]; do
    while IFS='|' read -r name cmd; do
        if /usr/bin/time -f '%e %M %U %S' -o "$OUT/time.txt" $cmd \
            >/dev/null 2>&1; then
            read -r sec kb us ss <"$OUT/time.txt"
            cpu=$(echo "$us $ss" | awk '{print $1 + $2}')
            echo "$name $sec $kb $cpu" >>"$RES"
            printf '  round %d %-20s %6.2f s %7.1f MB %6.2f s CPU\n' "$r" \
                "$name" "$sec" "$(echo "$kb" | awk '{print $1 / 1024}')" "$cpu"
        else
            echo "  round $r $name FAILED: $cmd"
        fi
    done <"$CASES"
    r=$((r + 1))
done

median() { # NAME FIELD(2 = s, 3 = KB, 4 = CPU s)
    awk -v n="$1" -v f="$2" '$1 == n { print $f }' "$RES" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) print "";
               else if (NR % 2) print v[(NR + 1) / 2];
               else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo
echo "Rows: $ROWS ($(du -m "$BIG" | cut -f1) MB), $RUNS rounds, $(nproc) cores"
printf '| %-20s | %9s | %9s | %12s |\n' case "median s" "CPU s" \
    "peak RSS MB"
printf '|%s|%s|%s|%s|\n' ---------------------- ----------- ----------- \
    --------------
while IFS='|' read -r name cmd; do
    s=$(median "$name" 2)
    kb=$(median "$name" 3)
    cpu=$(median "$name" 4)
    [ -n "$s" ] || continue
    printf '| %-20s | %9.2f | %9.2f | %12.1f |\n' "$name" "$s" "$cpu" \
        "$(echo "$kb" | awk '{print $1 / 1024}')"
done <"$CASES"

ratio() { # LABEL A B TARGET-TEXT
    if [ -n "$2" ] && [ -n "$3" ]; then
        printf '%-40s %6.3f   (%s)\n' "$1" \
            "$(echo "$2 $3" | awk '{print $1 / $2}')" "$4"
    fi
}
echo
ratio "stats 2 threads / DuckDB 2 threads" "$(median stats-2t 2)" \
    "$(median duckdb-2t 2)" "target <= 0.25"
ratio "  same, CPU seconds" "$(median stats-2t 4)" "$(median duckdb-2t 4)" \
    "more stable on a loaded machine"
ratio "quoted: stats / DuckDB" "$(median stats-2t-quoted 2)" \
    "$(median duckdb-2t-quoted 2)" "target < 1, the all-quoted trap"
ratio "stats 2 threads / 1 thread" "$(median stats-2t 2)" \
    "$(median stats-1t 2)" "about 0.5 on 2 idle cores"
ratio "peak RSS 10 M / 1 M" "$(median stats-2t 3)" "$(median stats-2t-1M 3)" \
    "target <= 1.2"
ratio "gzip: stats / gzread alone" "$(median stats-gz 2)" \
    "$(median gzread 2)" "target <= 1.0"
ratio "  gzip, CPU seconds" "$(median stats-gz 4)" "$(median gzread 4)" \
    "on 2 cores wall >= CPU / 2"
printf '%-40s %6.1f MB (target <= 32 MB)\n' "peak RSS, stats 2 threads" \
    "$(median stats-2t 3 | awk '{print $1 / 1024}')"
