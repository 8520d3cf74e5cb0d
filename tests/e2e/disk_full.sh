#!/bin/sh
# SPDX-License-Identifier: MIT
# disk_full.sh - every output path when the disk fills up.  A file size
# limit (prlimit --fsize, with SIGXFSZ ignored so write() fails with EFBIG, as
# it fails with ENOSPC on a full disk) stops the writes at a few kB:
# each command must exit 1, name the file and the reason, leave no output
# and no temporary file behind, and leave an earlier report as it was.
# Args: $1 jtlscope  $2 tests/data  $3 samples  $4 scratch dir
set -u
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
BIN=$(abs "$1")
SAMPLES=$(abs "$3")
OUT=$4
IN=$SAMPLES/threshold-rate.xml.jtl.gz
fail=0
rm -rf "$OUT"
mkdir -p "$OUT"
cd "$OUT" || exit 1

ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fail=1; }

# at most BYTES per file (prlimit, util-linux: bytes, where the shell's
# ulimit -f counts blocks of 512 or 1024 bytes depending on the shell)
command -v prlimit >/dev/null 2>&1 || exit 77
limited() {
    bytes=$1
    shift
    sh -c 'trap "" XFSZ; exec prlimit --fsize="$0" "$@"' "$bytes" "$@"
}

# no temporary file or folder of ours anywhere under the scratch folder
no_temp() {
    ! find . -name '.jtlscope-*' -o -name 'jtlscope-spool*' -o -name '*.tmp.*' |
        grep -q .
}

expect_full() { # NAME FILE-IN-MESSAGE COMMAND...
    name=$1 file=$2
    shift 2
    limited 1024 "$@" 2>err.txt
    rc=$?
    [ $rc -eq 1 ] && ok "$name: exit 1" || bad "$name: exit 1 (got $rc)"
    grep -q "$file" err.txt && grep -q 'File too large' err.txt &&
        ok "$name: message names the file and the reason" ||
        bad "$name: message names the file and the reason: $(cat err.txt)"
    no_temp && ok "$name: no temporary file left" ||
        bad "$name: no temporary file left"
}

expect_full "stats -o" "cannot write 'stats.json'" \
    "$BIN" stats -q -f json -o stats.json "$IN"
[ ! -e stats.json ] && ok "stats -o: no half file" || bad "stats -o: no half file"

expect_full "throttle -o" "cannot write 'throttle.txt'" \
    "$BIN" throttle -q -o throttle.txt "$IN"
[ ! -e throttle.txt ] && ok "throttle -o: no half file" ||
    bad "throttle -o: no half file"

expect_full "convert -o" "beside 'out.csv'" "$BIN" convert -q -o out.csv "$IN"
[ ! -e out.csv ] && ok "convert -o: no half file" || bad "convert -o: no half file"
grep -q 'stopped by the sample' err.txt &&
    bad "convert -o: no decoder message about a stop" ||
    ok "convert -o: no decoder message about a stop"

# the same from a CSV (the other decoder's stop)
expect_full "convert -o, CSV input" "beside 'out2.csv'" \
    "$BIN" convert -q -o out2.csv "$SAMPLES/fixed-window.csv.jtl"
[ ! -e out2.csv ] && ! grep -q 'stopped by the sample' err.txt &&
    ok "convert -o, CSV input: no half file, no decoder message" ||
    bad "convert -o, CSV input: no half file, no decoder message"

# a new report folder: not left behind, empty or half full
expect_full "report -o new folder" "cannot write 'new/statistics.json'" \
    "$BIN" report -q --no-render -o new "$IN"
[ ! -e new ] && ok "report -o new folder: folder removed" ||
    bad "report -o new folder: folder removed"

# an earlier report stays as it was, whichever file fails
"$BIN" report -q --no-render -o old "$IN" || bad "first report written"
(cd old && cksum ./* | sort) >before.txt
expect_full "report over an earlier one" "cannot write 'old/" \
    "$BIN" report -q --no-render -o old "$SAMPLES/fixed-window.csv.jtl"
(cd old && cksum ./* | sort) >after.txt
cmp -s before.txt after.txt &&
    ok "report over an earlier one: the earlier report is untouched" ||
    bad "report over an earlier one: the earlier report is untouched"
# a later file failing (the JSON files fit, the 57 kB page does not)
limited 40000 "$BIN" report -q --no-render -o old \
    "$SAMPLES/fixed-window.csv.jtl" 2>err.txt
rc=$?
(cd old && cksum ./* | sort) >after.txt
[ $rc -eq 1 ] && grep -q "cannot write 'old/index.html': File too large" err.txt &&
    cmp -s before.txt after.txt && no_temp &&
    ok "report, page too big: exit 1, named, earlier report untouched" ||
    bad "report, page too big: exit 1, named, earlier report untouched (rc $rc: $(cat err.txt))"

# to standard output: the write error is reported, not swallowed
limited 1024 sh -c 'exec "$0" stats -q -f json "$1" >stdout.json' "$BIN" "$IN" \
    2>err.txt
rc=$?
[ $rc -eq 1 ] && grep -q 'cannot write to standard output: File too large' err.txt &&
    ok "stats to a full stdout: exit 1 with the reason" ||
    bad "stats to a full stdout: exit 1 with the reason (rc $rc: $(cat err.txt))"

# out of memory (an address space limit): exit 1 with a message, not a
# crash, and no temporary file or half report.  Not under ASan, whose
# shadow memory needs more address space than any limit that bites.
if grep -q __asan_init "$BIN"; then
    echo "skip out of memory: sanitizer build"
else
    awk 'BEGIN {
        print "timeStamp,elapsed,label,responseCode,responseMessage,threadName,success,bytes,grpThreads,allThreads"
        for (i = 0; i < 300000; i++)
            printf "%d,%d,GET /item/%d,%d,m,T 1-%d,%s,100,5,5\n", 1700000000000 + i, i % 50, i, (i % 3 ? 200 : 429), i % 5 + 1, (i % 3 ? "true" : "false")
    }' >many.csv
    for as in 50000000 80000000 110000000; do
        sh -c 'exec prlimit --as="$0" "$@"' "$as" \
            "$BIN" report -q --no-render -o oom "$PWD/many.csv" 2>err.txt
        rc=$?
        # fits, or too little even to load the shared libraries
        [ $rc -eq 0 ] && { rm -rf oom; continue; }
        grep -q 'error while loading shared libraries' err.txt && continue
        [ $rc -eq 1 ] && grep -q 'out of memory' err.txt && no_temp &&
            [ ! -e oom/index.html ] &&
            ok "out of memory ($as bytes): exit 1, said, nothing left" ||
            bad "out of memory ($as bytes): exit 1, said, nothing left (rc $rc: $(cat err.txt))"
        rm -rf oom
    done
fi
exit $fail
