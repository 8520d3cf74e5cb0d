#!/bin/sh
# SPDX-License-Identifier: MIT
# convert.sh - `jtlscope convert` end to end: a file JMeter wrote comes out
# byte for byte, converting the output again changes nothing (same samples),
# gzip and stdin read like the plain file, failures leave no file behind,
# damaged input gives exit 4 with the good samples written.
# Args: $1 jtlscope  $2 tests/data  $3 samples  $4 scratch dir
set -u
BIN=$1
DATA=$2
OUT=$4
fail=0
rm -rf "$OUT"
mkdir -p "$OUT"

ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fail=1; }

# 1. JMeter's own 5.x file: identical bytes (quoting, header, column order).
F=$DATA/upstream/apache-jmeter/dashboard_5x_default_header.csv
if "$BIN" convert -q -o "$OUT/5x.csv" "$F" && cmp -s "$F" "$OUT/5x.csv"; then
    ok "JMeter 5.x file converts to identical bytes"
else
    bad "JMeter 5.x file converts to identical bytes"
fi
for F in \
    upstream/jenkins-performance-plugin/csv_embedded_newlines_doubled_quotes.jtl \
    upstream/taurus/csv_sample_variables_quoted_header.jtl; do
    if "$BIN" convert -q -o "$OUT/same.csv" "$DATA/$F" &&
        cmp -s "$DATA/$F" "$OUT/same.csv"; then
        ok "identical bytes: $F"
    else
        bad "identical bytes: $F"
    fi
done

# (csv_5x_tc_rows_after_children.csv lacks a final newline: not identical,
# but covered by the round trip below.)

# 2. Every CSV fixture: convert, convert the result again, same bytes (the
#    samples survive the trip), and the header uses JMeter's names/order.
for F in $(cd "$DATA" && ls upstream/*/*.csv upstream/*/csv_*.jtl \
    upstream/taurus/pair1_kpi.csv.jtl jmeter-nginx/*.csv.jtl); do
    case $F in
    *MALFORMED* | *invalid_month* | *no_timing_no_header* | *perfmon*) continue ;;
    esac
    if ! "$BIN" convert -q -o "$OUT/a.csv" "$DATA/$F"; then
        bad "convert $F"
        continue
    fi
    "$BIN" convert -q -o "$OUT/b.csv" "$OUT/a.csv" &&
        cmp -s "$OUT/a.csv" "$OUT/b.csv" && ok "round trip $F" ||
        bad "round trip $F"
done

# 3. Headerless 2.13 file: written with a header, same 903 rows + header.
"$BIN" convert -q -o "$OUT/def.csv" "$DATA/jmeter-nginx/threshold-rate.default.csv.jtl"
n=$(wc -l <"$OUT/def.csv")
h=$(head -1 "$OUT/def.csv")
[ "$n" -eq 904 ] &&
    [ "$h" = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,bytes,grpThreads,allThreads,Latency" ] &&
    ok "headerless file gets its 12 columns named, 903 rows" ||
    bad "headerless file: $n lines, header '$h'"
[ "$(grep -c ',429,' "$OUT/def.csv")" -eq 649 ] &&
    ok "headerless file: 649 rows with 429 (truth.json)" || bad "429 count"

# 4. gzip and stdin read like the plain file.
"$BIN" convert -q -o "$OUT/plain.csv" "$DATA/jmeter-nginx/random.csv.jtl"
"$BIN" convert -q -o "$OUT/gz.csv" "$DATA/jmeter-nginx/random.csv.jtl.gz"
cmp -s "$OUT/plain.csv" "$OUT/gz.csv" && ok "gzip input" || bad "gzip input"
"$BIN" convert -q - <"$DATA/jmeter-nginx/random.csv.jtl.gz" >"$OUT/stdin.csv"
cmp -s "$OUT/plain.csv" "$OUT/stdin.csv" && ok "stdin to stdout" ||
    bad "stdin to stdout"

# 5. Several files: rows in the order given.
"$BIN" convert -q -o "$OUT/two.csv" "$DATA/jmeter-nginx/none.csv.jtl" \
    "$DATA/jmeter-nginx/none.csv.jtl"
[ "$(wc -l <"$OUT/two.csv")" -eq $((2 * 1080 + 1)) ] &&
    ok "two inputs, one header" || bad "two inputs"

# 6. Failures leave nothing: binary input, header only, missing file.
printf '\211PNG\r\n\032\n\0\0\0\rIHDR' >"$OUT/bin.png"
printf 'timeStamp,elapsed,label\n' >"$OUT/hdr.csv"
for F in "$OUT/bin.png" "$OUT/hdr.csv" "$OUT/missing.csv"; do
    rm -f "$OUT/fail.csv"
    "$BIN" convert -q -o "$OUT/fail.csv" "$F" 2>"$OUT/err.txt"
    rc=$?
    if [ $rc -eq 1 ] && [ ! -e "$OUT/fail.csv" ] &&
        [ -z "$(ls -A "$OUT" | grep -e '\.tmp\.' -e spool)" ]; then
        ok "failure on $(basename "$F"): exit 1, no file, no temp left"
    else
        bad "failure on $(basename "$F"): exit $rc"
    fi
done
grep -q "not a JMeter CSV or XML file" "$OUT/err.txt" 2>/dev/null ||
    "$BIN" convert -q -o "$OUT/fail.csv" "$OUT/bin.png" 2>&1 |
    grep -q "not a JMeter CSV or XML file" && ok "binary: clear message" ||
    bad "binary: clear message"

# 7. Damaged input: the good samples are written, exit 4, warning on stderr.
{
    head -3 "$DATA/upstream/apache-jmeter/dashboard_5x_default_header.csv"
    printf '1551783627191,oops,JR-OK,200\n'
    sed -n '4,5p' "$DATA/upstream/apache-jmeter/dashboard_5x_default_header.csv"
} >"$OUT/damaged.csv"
"$BIN" convert -o "$OUT/dam.out" "$OUT/damaged.csv" 2>"$OUT/err.txt"
rc=$?
[ $rc -eq 4 ] && [ "$(wc -l <"$OUT/dam.out")" -eq 5 ] &&
    grep -q "damaged.csv:4: expected 17 fields, got 4" "$OUT/err.txt" &&
    ok "damaged input: exit 4, 4 samples, file:line warning" ||
    bad "damaged input: exit $rc"

# 8. XML input, once the XML decoder is in (skipped before).
X=$DATA/jmeter-nginx/threshold-rate.xml.jtl
if "$BIN" convert -q -o "$OUT/x.csv" "$X" 2>/dev/null; then
    [ "$(grep -c ',429,' "$OUT/x.csv")" -eq 1712 ] &&
        ok "XML input: 1712 rows with 429 (truth.json)" || bad "XML input"
else
    printf 'skip XML input (no XML decoder in this build)\n'
fi

exit $fail
