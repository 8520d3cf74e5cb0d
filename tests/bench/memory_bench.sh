#!/bin/sh
# SPDX-License-Identifier: MIT
# memory_bench.sh - the memory of throttle, report (its data: --no-render)
# and summarize as the run grows, with the default --memory budget (128 MiB)
# and with everything kept in memory (--memory unlimited), at 10 M and
# 100 M rows of tests/bench/gen_jtl.c (generated beside the others if
# missing; the 100 M-row file, 13.8 GB, is removed afterwards unless KEEP=1).
#
# Three figures per run:
#   anon MB   the process's own memory at its peak (RssAnon of
#             /proc/PID/status, sampled every 20 ms): the heap, the budgeted
#             arrays, the threads' buffers;
#   RSS MB    peak RSS as /usr/bin/time reports it (VmHWM): it also counts
#             the pages of the spill file the process has mapped, which are
#             the kernel's page cache (written back and dropped under
#             memory pressure), so it is the upper figure;
#   wall s    one run, wall clock.
# Then, where a memory cgroup can be made (root, cgroup v1 or v2), the same
# commands with their defaults under a hard limit of LIMIT_MB (256) MB of
# memory, page cache included (a container that size): the run completes
# or is killed.
# Not in ctest.
#
#   tests/bench/memory_bench.sh
#   SIZES=10000000 tests/bench/memory_bench.sh
set -eu
SIZES=${SIZES:-"10000000 100000000"}
LIMIT_MB=${LIMIT_MB:-256}
. "$(dirname "$0")/common.sh"

# anon_peak FILE CMD...: run CMD (/usr/bin/time and its command); the
# peak RssAnon (kB) of CMD's child, jtlscope, into FILE.
anon_peak() {
    ap_out=$1; shift
    "$@" >/dev/null 2>&1 &
    pid=$!
    max=0
    while kill -0 "$pid" 2>/dev/null; do
        child=$(pgrep -P "$pid" | head -n 1 || true)
        a=""
        [ -z "$child" ] || a=$(awk '/^RssAnon/ {print $2}' "/proc/$child/status" 2>/dev/null || true)
        [ -n "$a" ] && [ "$a" -gt "$max" ] && max=$a
        sleep 0.02
    done
    rc=0
    wait "$pid" || rc=$?
    echo "$max" >"$ap_out"
    return $rc
}

# A memory cgroup with a hard limit, or nothing (then no limited runs).
CG=""
mkcg() {
    v1=/sys/fs/cgroup/memory
    if [ -w "$v1" ] || [ -d "$v1" ]; then
        own=$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup)
        d=$v1$own/jtlscope-bench-$$
        if mkdir "$d" 2>/dev/null &&
            echo $((LIMIT_MB * 1048576)) >"$d/memory.limit_in_bytes" 2>/dev/null; then
            CG=$d
            CG_PROCS=$d/cgroup.procs
            CG_PEAK=$d/memory.max_usage_in_bytes
            return
        fi
        rmdir "$d" 2>/dev/null || true
    fi
    v2=/sys/fs/cgroup
    if [ -f "$v2/cgroup.controllers" ]; then
        d=$v2/jtlscope-bench-$$
        if mkdir "$d" 2>/dev/null && echo $((LIMIT_MB * 1048576)) >"$d/memory.max" 2>/dev/null; then
            CG=$d
            CG_PROCS=$d/cgroup.procs
            CG_PEAK=$d/memory.peak
            return
        fi
        rmdir "$d" 2>/dev/null || true
    fi
}
mkcg
trap '[ -z "$CG" ] || rmdir "$CG" 2>/dev/null || true' EXIT

RES=$OUT/memory-results.txt
: >"$RES"
printf '%-10s %-10s %-10s %8s %9s %9s\n' rows command memory "wall s" "anon MB" "RSS MB"
for rows in $SIZES; do
    bench_file "$rows"
    f=$BENCH_FILE
    made=$BENCH_MADE
    for c in throttle report summarize; do
        for m in 128M unlimited; do
            rm -rf "$OUT/mem-report" "$OUT/mem.jtls"
            case $c in
            throttle) set -- "$BIN" throttle -q -f json --memory "$m" "$f" ;;
            report) set -- "$BIN" report -q --no-render --memory "$m" "$f" -o "$OUT/mem-report" ;;
            summarize) set -- "$BIN" summarize -q --memory "$m" "$f" -o "$OUT/mem.jtls" ;;
            esac
            if anon_peak "$OUT/anon.txt" /usr/bin/time -f '%e %M' -o "$OUT/time.txt" "$@"; then
                read -r sec kb <"$OUT/time.txt"
                anon=$(cat "$OUT/anon.txt")
                echo "$rows $c $m $sec $anon $kb" >>"$RES"
                printf '%-10s %-10s %-10s %8.2f %9.1f %9.1f\n' "$rows" "$c" "$m" "$sec" \
                    "$(echo "$anon" | awk '{print $1/1024}')" "$(echo "$kb" | awk '{print $1/1024}')"
            else
                printf '%-10s %-10s %-10s FAILED\n' "$rows" "$c" "$m"
            fi
        done
        if [ -n "$CG" ]; then
            half=default
            rm -rf "$OUT/mem-report" "$OUT/mem.jtls"
            case $c in
            throttle) set -- "$BIN" throttle -q -f json "$f" ;;
            report) set -- "$BIN" report -q --no-render "$f" -o "$OUT/mem-report" ;;
            summarize) set -- "$BIN" summarize -q "$f" -o "$OUT/mem.jtls" ;;
            esac
            echo 0 >"$CG_PEAK" 2>/dev/null || true
            rc=0
            rm -f "$OUT/cg-time.txt"
            sh -c 'echo $$ >"$1"; t=$2; shift 2; exec /usr/bin/time -f "%e" -o "$t" "$@"' \
                sh "$CG_PROCS" "$OUT/cg-time.txt" "$@" >/dev/null 2>&1 || rc=$?
            sec=$(tail -n 1 "$OUT/cg-time.txt" 2>/dev/null || echo "?")
            peak=$(cat "$CG_PEAK" 2>/dev/null || echo 0)
            printf '%-10s %-10s %-10s %8s  under a %d MB limit: %s, peak charged %.1f MB\n' \
                "$rows" "$c" "$half" "$sec" "$LIMIT_MB" \
                "$([ $rc -eq 0 ] && echo completed || echo "killed (exit $rc)")" \
                "$(echo "$peak" | awk '{print $1/1048576}')"
            echo "$rows $c limited-$half $sec $rc $peak" >>"$RES"
        fi
    done
    [ -z "$made" ] || rm -f "$made"
done
rm -rf "$OUT/mem-report" "$OUT/mem.jtls"
