#!/bin/sh
# Options may follow the files, as in `jtlscope convert FILE... -o OUT.csv`
# and `jtlscope report FILE... -o DIR`; `--` ends the options.
set -u
BIN=$1 DATA=$2 OUT=$4
rm -rf "$OUT" && mkdir -p "$OUT" || exit 1
F=$DATA/jmeter-nginx/none.csv.jtl
fail=0 pass=0
ok() { if [ "$1" = 0 ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL $2"; fi; }

"$BIN" stats "$F" -o "$OUT/after.json" --format json 2>"$OUT/err"
ok $? "stats FILE -o OUT --format json exits 0"
"$BIN" stats --format json -o "$OUT/before.json" "$F" 2>>"$OUT/err"
ok $? "stats --format json -o OUT FILE exits 0"
cmp -s "$OUT/after.json" "$OUT/before.json"
ok $? "option order does not change the output"
grep -q '"sampleCount" *: *1080' "$OUT/after.json"
ok $? "the 1080 samples of none.csv.jtl are counted"
cp "$F" "$OUT/-q"
"$BIN" stats --format csv -- "$OUT/-q" >/dev/null 2>>"$OUT/err"
ok $? "-- ends the options: a file named -q is read"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
