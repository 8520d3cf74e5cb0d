#!/bin/sh
# SPDX-License-Identifier: MIT
# memcheck.sh - valgrind memcheck over a small run of `jtlscope stats`: a
# CSV file, a gzip XML file and a damaged (truncated gzip) file, so the
# normal and the recovery paths are both checked.  Any invalid read/write,
# use of uninitialised memory or definite/possible leak fails the test
# (valgrind --error-exitcode=99).  Skips (77) without valgrind, in a
# sanitizer build (ASan and valgrind cannot share a process) and outside the
# release build (valgrind is slow; the sanitizer presets cover the rest).
# Usage: memcheck.sh JTLSCOPE DATA SCRATCH BUILD_TYPE SANITIZED
set -u
BIN=$1 DATA=$2 OUT=$3 TYPE=$4 SAN=$5
command -v valgrind >/dev/null || { echo "SKIP: valgrind not installed"; exit 77; }
case "$SAN" in
ON | on | 1 | yes | TRUE | true) echo "SKIP: sanitizer build"; exit 77 ;;
esac
case "$TYPE" in
Release | RelWithDebInfo | MinSizeRel) ;;
*) echo "SKIP: memcheck runs in the release build (this is '$TYPE')"; exit 77 ;;
esac
rm -rf "$OUT" && mkdir -p "$OUT" || exit 1
head -c 40000 "$DATA/jmeter-nginx/fixed-window.csv.jtl" | gzip -c >"$OUT/cut.csv.gz.full"
head -c 9000 "$OUT/cut.csv.gz.full" >"$OUT/cut.csv.gz"

fail=0
check() { # name args...
    name=$1; shift
    valgrind --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite,possible --track-origins=yes \
        --log-file="$OUT/$name.vg" "$BIN" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
    rc=$?
    if [ $rc = 99 ]; then
        echo "FAIL $name: valgrind reports errors:"
        grep -E '^==[0-9]+== ' "$OUT/$name.vg" | sed -n '/ERROR SUMMARY\|Invalid\|uninitialised\|definitely\|possibly/{p}' | head -20
        fail=1
    elif [ $rc -gt 4 ]; then
        echo "FAIL $name: exit $rc"; cat "$OUT/$name.err"; fail=1
    else
        echo "ok   $name: exit $rc, $(grep -o 'ERROR SUMMARY: [0-9]* errors' "$OUT/$name.vg")"
    fi
}
check stats_csv stats --format json "$DATA/jmeter-nginx/fixed-window.csv.jtl"
check stats_xml_gz stats --format table "$DATA/jmeter-nginx/per-endpoint.xml.jtl.gz"
check stats_truncated_gz stats --format csv "$OUT/cut.csv.gz"
exit $fail
