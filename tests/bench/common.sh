# SPDX-License-Identifier: MIT
# common.sh - what the benchmark scripts share; sourced, not run.  Sets
# ROOT, HERE (tests/bench), OUT (tests/bench/out, made) and BIN, after
# building the release preset and tests/bench/gen_jtl.c.
#
#   bench_file ROWS   BENCH_FILE: the generated file of ROWS rows
#                     (out/bench-ROWS.csv), made when missing; BENCH_MADE:
#                     the same path when this call made it and KEEP is not 1
#                     (the caller removes it when done), else empty.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tests/bench
OUT=$HERE/out
mkdir -p "$OUT"
(cd "$ROOT" && cmake --preset release -G Ninja >/dev/null &&
    cmake --build --preset release -j2 >/dev/null)
BIN=$ROOT/build/release/jtlscope
cc -O2 -o "$OUT/gen_jtl" "$HERE/gen_jtl.c" -lm

bench_file() {
    BENCH_FILE=$OUT/bench-$1.csv
    BENCH_MADE=""
    if [ ! -s "$BENCH_FILE" ]; then
        echo "== generate $(basename "$BENCH_FILE")"
        "$OUT/gen_jtl" --rows "$1" >"$BENCH_FILE.tmp" &&
            mv "$BENCH_FILE.tmp" "$BENCH_FILE"
        [ "${KEEP:-0}" = 1 ] || BENCH_MADE=$BENCH_FILE
    fi
}
