#!/bin/sh
# Run one libFuzzer target for a while (never from ctest): new inputs go to a
# scratch corpus under build/, the checked-in corpus is only read; the log
# (with -print_final_stats) is kept for tests/fuzz/stats.sh, which sums the
# hours and executions per target for README.md.
# Usage: tests/fuzz/run.sh TARGET SECONDS [extra libFuzzer flags]
set -eu
t=$1 secs=$2; shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/build/fuzz/tests/fuzz/fuzz_$t
work=$root/build/fuzzwork
mkdir -p "$work/corpus/$t" "$work/logs" "$work/crashes/$t"
log=$work/logs/$t-$(date +%Y%m%dT%H%M%S).log
echo "fuzz $t for ${secs}s -> $log"
# readpar prints the reader's own error lines for every input: keep the
# log readable (libFuzzer still reports crashes on a dup of stderr)
extra=
[ "$t" = readpar ] && extra=-close_fd_mask=2
rc=0
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
    nice -n 10 "$bin" -max_total_time="$secs" -print_final_stats=1 \
    -timeout=10 -rss_limit_mb=1536 -max_len="${JTL_FUZZ_MAX_LEN:-8192}" \
    -artifact_prefix="$work/crashes/$t/" $extra "$@" \
    "$work/corpus/$t" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1 || rc=$?
echo "exit $rc"
tail -n 12 "$log"
exit $rc
