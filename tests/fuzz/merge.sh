#!/bin/sh
# Fold what the fuzzers found into the checked-in corpus, within a budget:
# libFuzzer -merge=1 keeps the inputs of build/fuzzwork/corpus/<t> that add
# coverage to corpus/<t> (inputs up to MAXLEN bytes), and the smallest of
# them are copied in, as fuzz-<sha1>, until BUDGET bytes were added (the
# whole corpus stays well under 2 MB).  Needs the fuzz preset build.
# Usage: tests/fuzz/merge.sh [BUDGET [MAXLEN]] TARGET...
set -eu
budget=${1:-80000}; maxlen=${2:-512}; shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
for t in "$@"; do
    tmp=$(mktemp -d)
    cp "$root/tests/fuzz/corpus/$t/"* "$tmp/"
    before=$(ls "$tmp" | sort)
    nice -n 10 "$root/build/fuzz/tests/fuzz/fuzz_$t" -merge=1 -max_len="$maxlen" \
        "$tmp" "$root/build/fuzzwork/corpus/$t" >"$tmp.log" 2>&1 || {
        echo "$t: merge failed"; tail -5 "$tmp.log"; rm -rf "$tmp" "$tmp.log"; continue; }
    added=0 n=0
    for f in $(cd "$tmp" && ls -S -r); do
        echo "$before" | grep -qx "$f" && continue
        size=$(wc -c <"$tmp/$f")
        [ $((added + size)) -gt "$budget" ] && break
        cp "$tmp/$f" "$root/tests/fuzz/corpus/$t/fuzz-$f"
        added=$((added + size)) n=$((n + 1))
    done
    echo "$t: $(tail -n 1 "$tmp.log" | sed 's/^MERGE-OUTER: //'); kept $n ($added bytes)"
    rm -rf "$tmp" "$tmp.log"
done
