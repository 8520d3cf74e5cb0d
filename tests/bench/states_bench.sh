#!/bin/sh
# SPDX-License-Identifier: MIT
# states_bench.sh - partial states against the files: a run of ROWS rows
# (tests/bench/gen_jtl.c) as PARTS load generators' files, and
#   direct     `jtlscope report` over the files
#   summarize  `jtlscope summarize` of each file alone (as each generator
#              would, on its own machine: the slowest one sets the pace)
#   states     `jtlscope report` over the states
#   merge      `jtlscope merge` of the states, and `stats` of the merged one
# plus the same summarize step run here with GNU parallel on this
# machine's cores.  Interleaved rounds, medians; wall s and peak RSS.
# Target (issue 13): max(summarize) + report over the states <= 0.6 x the
# direct report.  Not in ctest.
#
#   tests/bench/states_bench.sh                 3 M rows, 4 parts, 3 rounds
#   ROWS=10000000 RUNS=1 tests/bench/states_bench.sh
set -eu
ROWS=${ROWS:-3000000}
PARTS=${PARTS:-4}
RUNS=${RUNS:-3}
. "$(dirname "$0")/common.sh"
bench_file "$ROWS"
BIG=$BENCH_FILE
W=$OUT/states-$ROWS-$PARTS
rm -rf "$W"
mkdir -p "$W"
head -n 1 "$BIG" >"$W/hdr"
tail -n +2 "$BIG" >"$W/body"
(cd "$W" && split -n "l/$PARTS" -d body part && rm body)
for p in "$W"/part*; do cat "$W/hdr" "$p" >"$p.csv"; rm "$p"; done
FILES=$(ls "$W"/part*.csv)
export SOURCE_DATE_EPOCH=1700000000

# one timed command: "name wall_s rss_kb" appended to $W/times
timed() {
    name=$1; shift
    /usr/bin/time -f "$name %e %M" -a -o "$W/times" "$@" >/dev/null 2>&1
}
: >"$W/times"
r=0
while [ "$r" -lt "$RUNS" ]; do
    r=$((r + 1))
    rm -rf "$W/rep-direct" "$W/rep-states"
    timed direct "$BIN" report -q --no-render $FILES -o "$W/rep-direct"
    for f in $FILES; do
        timed "summarize-$(basename "$f")" "$BIN" summarize -q "$f" -o "$f.jtls"
    done
    timed states "$BIN" report -q --no-render "$W"/part*.csv.jtls -o "$W/rep-states"
    timed merge "$BIN" merge -q "$W"/part*.csv.jtls -o "$W/all.jtls"
    timed stats-merged "$BIN" stats -q -f json "$W/all.jtls"
    timed stats-direct "$BIN" stats -q -f json $FILES
    if command -v parallel >/dev/null; then
        timed parallel-summarize parallel "$BIN" summarize -q {} -o {}.jtls ::: $FILES
    fi
    diff -r "$W/rep-direct" "$W/rep-states" >/dev/null ||
        echo "WARNING: the reports differ"
done
ls -l "$W"/part*.csv "$W"/part*.jtls "$W/all.jtls" | awk '{s[$NF ~ /jtls$/]+=$5} END {printf "files %.1f MB, states %.1f MB (with the merged one)\n", s[0]/1e6, s[1]/1e6}'
python3 - "$W/times" "$RUNS" <<'PY'
import sys, statistics, collections
t = collections.defaultdict(list); m = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, wall, rss = line.split()
    t[name].append(float(wall)); m[name].append(int(rss))
runs = int(sys.argv[2])
parts = sorted(k for k in t if k.startswith("summarize-"))
slow = [max(t[p][i] for p in parts) for i in range(runs)]
med = lambda v: statistics.median(v)
print("%-28s %8s %10s" % ("step", "wall s", "peak RSS"))
for k in ["direct", "states", "merge", "stats-direct", "stats-merged", "parallel-summarize"]:
    if k in t:
        print("%-28s %8.2f %8.0f MB" % (k, med(t[k]), max(m[k]) / 1024))
print("%-28s %8.2f %8.0f MB" % ("summarize, slowest part", med(slow), max(max(m[p]) for p in parts) / 1024))
dist = [slow[i] + t["states"][i] for i in range(runs)]
print("summarize on each generator + report over the states: %.2f s = %.2fx the direct report (target 0.6x)"
      % (med(dist), med(dist) / med(t["direct"])))
if "parallel-summarize" in t:
    loc = [t["parallel-summarize"][i] + t["states"][i] for i in range(runs)]
    print("summarize here with GNU parallel + report over the states: %.2f s = %.2fx" % (med(loc), med(loc) / med(t["direct"])))
PY
