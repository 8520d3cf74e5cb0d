#!/bin/sh
# SPDX-License-Identifier: MIT
# hostile_input.sh - whatever a customer sends: every case must not crash or
# hang (bounded time; bounded memory where no sanitizer reserves address
# space), must print a clear message naming the file (and the line where
# known), must still report what was readable (the sample count is checked,
# computed independently where it is not obvious), and must exit with the
# documented code:
#   0 ok, 1 nothing readable, 2 usage, 4 output written but input damaged
#   (skipped records, truncation, read damage, one of several files
#   unreadable).  Warnings alone (epoch seconds, future times, a repeated
#   header, Latin-1 labels) keep exit 0.
# Usage: hostile_input.sh JTLSCOPE DATA SAMPLES SCRATCH
set -u
BIN=$1 DATA=$2 OUT=$4
rm -rf "$OUT" && mkdir -p "$OUT/in" || exit 1
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
command -v gzip >/dev/null || { echo "SKIP: gzip missing"; exit 77; }
F=$OUT/in
fail=0 pass=0 skip=0

# ASan/UBSan builds reserve terabytes of address space: no ulimit -v there.
VLIMIT=1048576
if [ -n "${ASAN_OPTIONS:-}" ] || ldd "$BIN" 2>/dev/null | grep -q 'lib[at]san'; then
    VLIMIT=
fi

HDR='timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect'
row() { # ts elapsed label code
    printf '%s,%s,%s,%s,OK,TG 1-1,text,true,,100,50,1,1,null,%s,0,0\n' \
        "$1" "$2" "$3" "$4" "$2"
}
good_rows() { # n [first ts]
    python3 - "$1" "${2:-1700000000000}" <<'PY'
import sys
n, t0 = int(sys.argv[1]), int(sys.argv[2])
out = []
for i in range(n):
    code = 429 if i % 4 == 0 else 200
    out.append(f"{t0 + i * 10},{i % 50 + 1},L,{code},OK,TG 1-1,text,true,,100,50,1,1,null,{i % 50 + 1},0,0\n")
sys.stdout.write("".join(out))
PY
}

# ---- running one case ------------------------------------------------------
# run NAME [ENV-PREFIX...] -- FILE...: `jtlscope stats --format json FILE...`
# with stdout in NAME.json, stderr in NAME.err, the exit code in NAME.rc;
# at most 30 s (then KILL), 1 GB of address space without sanitizers.
run() {
    name=$1; shift
    pre=
    while [ "$1" != "--" ]; do pre="$pre $1"; shift; done
    shift
    (
        [ -n "$VLIMIT" ] && ulimit -v "$VLIMIT"
        exec $pre timeout -s KILL 30 "$BIN" stats --format json "$@"
    ) >"$OUT/$name.json" 2>"$OUT/$name.err" </dev/null
    echo $? >"$OUT/$name.rc"
}
# Same, reading stdin from FILE.
run_stdin() {
    name=$1 file=$2
    (
        [ -n "$VLIMIT" ] && ulimit -v "$VLIMIT"
        exec timeout -s KILL 30 "$BIN" stats --format json -
    ) >"$OUT/$name.json" 2>"$OUT/$name.err" <"$file"
    echo $? >"$OUT/$name.rc"
}

# ---- checks on the last run of NAME ------------------------------------------
cur= ok=1
begin() { cur=$1; ok=1; }
bad() { ok=0; echo "FAIL $cur: $*"; }
end() {
    rc=$(cat "$OUT/$cur.rc")
    # A sanitizer report, a signal or a timeout is a failure whatever else.
    if grep -Eq 'Sanitizer|runtime error:|LeakSanitizer' "$OUT/$cur.err"; then
        bad "sanitizer report:"; sed 's/^/    /' "$OUT/$cur.err" | head -20
    fi
    if [ "$rc" -ge 124 ]; then bad "crashed, killed or hung (exit $rc)"; fi
    # every diagnostic is ours ("jtlscope: ..."), none printed raw by a
    # library
    if grep -qv '^jtlscope: ' "$OUT/$cur.err"; then
        bad "stderr has lines not from jtlscope:"; grep -v '^jtlscope: ' "$OUT/$cur.err" | head -3 | sed 's/^/    /'
    fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); echo "ok   $cur"
    else fail=$((fail + 1)); sed 's/^/    stderr: /' "$OUT/$cur.err" | head -8; fi
}
skip_case() { skip=$((skip + 1)); echo "skip $1: $2"; }
want_rc() {
    rc=$(cat "$OUT/$cur.rc")
    [ "$rc" = "$1" ] || bad "exit $rc, expected $1"
}
# stderr must match every extended regex given
want_err() {
    for re in "$@"; do
        grep -Eq -- "$re" "$OUT/$cur.err" || bad "stderr lacks /$re/"
    done
}
lacks_err() { grep -Eq -- "$1" "$OUT/$cur.err" && bad "stderr has /$1/"; }
quiet() { [ -s "$OUT/$cur.err" ] && bad "stderr is not empty"; }
no_output() { [ -s "$OUT/$cur.json" ] && bad "an output was written although nothing was readable"; }
# py EXPR: a Python expression over d (the JSON), t = d["Total"], m = its
# _meta, must be true.
py() {
    python3 - "$OUT/$cur.json" "$1" <<'PY' || bad "not true: $1"
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print("    (no JSON: %s)" % e); sys.exit(1)
t = d["Total"]; m = t["_meta"]
ok = eval(sys.argv[2])
if not ok:
    print("    (Total.sampleCount=%s skipped=%s damaged=%s)" % (t["sampleCount"], m.get("skippedRecords"), m.get("damaged")))
sys.exit(0 if ok else 1)
PY
}
# count N: Total.sampleCount (the first "sampleCount" of the JSON: Total
# comes first) without a Python start per case
count() {
    got=$(sed -n 's/^ *"sampleCount": \([0-9]*\),*$/\1/p' "$OUT/$cur.json" | head -n 1)
    [ "$got" = "$1" ] || bad "${got:-no} samples reported, expected $1"
}

# ============================================================================
# empty, blank, header only, BOM, binary, NUL, encodings
# ============================================================================
: >"$F/empty.csv"
run empty -- "$F/empty.csv"
begin empty; want_rc 1; want_err "empty.csv: file is empty" "no input could be read"; no_output; end

printf '\n\r\n   \n\t\n' >"$F/blank.csv"
run blank_only -- "$F/blank.csv"
begin blank_only; want_rc 1; want_err "blank.csv: file holds only blank space"; no_output; end

echo "$HDR" >"$F/header-only.csv"
run header_only -- "$F/header-only.csv"
begin header_only; want_rc 1; want_err "header-only.csv: file has a header but no samples"; no_output; end

{ printf '\357\273\277'; echo "$HDR"; good_rows 20; } >"$F/bom.csv"
run utf8_bom -- "$F/bom.csv"
begin utf8_bom; want_rc 0; quiet; count 20; py "sorted(d) == ['L', 'Total'] and t['codes'] == {'200': 15, '429': 5}"; end

printf '\357\273\277<?xml version="1.0" encoding="UTF-8"?>\n<testResults version="1.2">\n<httpSample t="5" ts="1700000000000" s="true" lb="x" rc="200" rm="OK" tn="T"/>\n<httpSample t="6" ts="1700000000001" s="true" lb="x" rc="200" rm="OK" tn="T"/>\n</testResults>\n' >"$F/bom.xml"
run utf8_bom_xml -- "$F/bom.xml"
begin utf8_bom_xml; want_rc 0; quiet; count 2; end

# random bytes, fixed seed, never starting like XML, gzip or a BOM
python3 -c '
import random, sys
r = random.Random(5); b = bytearray(r.getrandbits(8) for _ in range(4096))
b[0] = 0x07
sys.stdout.buffer.write(bytes(b) + b"\0\0\0")' >"$F/garbage.bin"
run binary_garbage -- "$F/garbage.bin"
begin binary_garbage; want_rc 1; want_err "garbage.bin: not a JMeter CSV or XML file \(binary data\)"; no_output; end

{ echo "$HDR"; good_rows 10; printf '1700000001000,5,A\000B,200,OK,TG 1-1,text,true,,100,50,1,1,null,5,0,0\n'; good_rows 5; } >"$F/nul.csv"
run nul_in_field -- "$F/nul.csv"
begin nul_in_field; want_rc 0; quiet; count 16; py "d['A\\x00B']['sampleCount'] == 1"; end

python3 -c "
import sys
h = '$HDR\n'
rows = h + '1700000000000,5,L,200,OK,T,text,true,,100,50,1,1,null,5,0,0\n'
sys.stdout.buffer.write(rows.encode('utf-16'))" >"$F/utf16.csv"
run csv_utf16 -- "$F/utf16.csv"
begin csv_utf16; want_rc 1; want_err "utf16.csv: the file is UTF-16 text; jtlscope reads UTF-8 \(convert it first: iconv"; no_output; end

python3 -c "
import sys
x = '<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<testResults version=\"1.2\">\n<httpSample t=\"5\" ts=\"1700000000000\" s=\"true\" lb=\"caf\u00e9\" rc=\"200\" rm=\"OK\" tn=\"T\"/>\n</testResults>\n'
sys.stdout.buffer.write(x.encode('utf-16'))" >"$F/utf16.xml"
run xml_utf16 -- "$F/utf16.xml"
begin xml_utf16; want_rc 0; quiet; count 1; py "d['caf\\u00e9']['sampleCount'] == 1"; end

printf '<?xml version="1.0" encoding="ISO-8859-1"?>\n<testResults version="1.2">\n<httpSample t="5" ts="1700000000000" s="true" lb="caf\351" rc="200" rm="OK" tn="TG 1-1"/>\n</testResults>\n' >"$F/latin1.xml"
run xml_latin1 -- "$F/latin1.xml"
begin xml_latin1; want_rc 0; quiet; count 1; py "d['caf\\u00e9']['sampleCount'] == 1"; end

# declared UTF-8, written in Latin-1: libxml2 says so and reads on
printf '<?xml version="1.0" encoding="UTF-8"?>\n<testResults version="1.2">\n<httpSample t="5" ts="1700000000000" s="true" lb="caf\351" rc="200" rm="OK" tn="T"/>\n<httpSample t="5" ts="1700000000001" s="true" lb="ok" rc="200" rm="OK" tn="T"/>\n</testResults>\n' >"$F/liar.xml"
run xml_wrong_declared_encoding -- "$F/liar.xml"
begin xml_wrong_declared_encoding; want_rc 0; want_err "liar.xml:3: malformed XML: input is not proper UTF-8"; count 2; end

# bytes invalid in the declared encoding: libxml2 gives up converting; the
# message is ours and names the file (no raw "encoding error :" lines)
printf '<?xml version="1.0" encoding="Shift_JIS"?>\n<testResults version="1.2">\n<httpSample t="5" ts="1700000000000" s="true" lb="\201\040\202" rc="200"/>\n</testResults>\n' >"$F/sjis.xml"
run xml_invalid_shift_jis -- "$F/sjis.xml"
begin xml_invalid_shift_jis; want_rc 1; want_err "sjis.xml:[0-9]+: malformed XML: input conversion failed due to input error, bytes 0x81 0x20 0x82"; no_output; end

python3 -c "
import sys
x = '<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<testResults version=\"1.2\">\n<httpSample t=\"5\" ts=\"1700000000000\" s=\"true\" lb=\"x\"/>\n</testResults>\n'.encode('utf-16')
sys.stdout.buffer.write(x[:60] + b'\x00\xd8\x41\x00' + x[60:])" >"$F/surrogate.xml"
run xml_utf16_lone_surrogate -- "$F/surrogate.xml"
# broken before the root: one error that quotes libxml2's (the same for
# every read size), not a warning and then the error
begin xml_utf16_lone_surrogate; want_rc 1; want_err "surrogate.xml:[0-9]+: not a JMeter XML result file: no <testResults> element \(input conversion failed due to input error"; no_output; end

{ echo "$HDR"; printf '1700000000000,5,caf\351 \377\376,200,OK,TG 1-1,text,true,,100,50,1,1,null,5,0,0\n'; good_rows 3 1700000000010; } >"$F/latin1.csv"
run csv_latin1 -- "$F/latin1.csv"
begin csv_latin1; want_rc 0; want_err "latin1.csv:2: label 'caf\? \?\?' is not valid UTF-8 \(a Latin-1 or Windows-1252 file\?\)"; count 4; py "'caf\\ufffd \\ufffd\\ufffd' in d"; end

# ============================================================================
# sizes: a 10 MB field, an unbalanced quote, 100 000 columns
# ============================================================================
{ echo "$HDR"; good_rows 3; printf '1700000001000,5,'; head -c 10485760 /dev/zero | tr '\0' x; printf ',200,OK,TG 1-1,text,true,,100,50,1,1,null,5,0,0\n'; good_rows 3 1700000002000; } >"$F/bigfield.csv"
run ten_mb_field -- "$F/bigfield.csv"
begin ten_mb_field; want_rc 4; want_err "bigfield.csv:5: field 3 is longer than 1 MiB \(an unbalanced quote\?\); record skipped, reading resumes at the next line"; count 6; py "m['skippedRecords'] == 1 and m['damaged']"; end

{ echo "$HDR"; good_rows 3; printf '1700000001000,5,"'; head -c 10485760 /dev/zero | tr '\0' y; printf '",200,OK,TG 1-1,text,true,,100,50,1,1,null,5,0,0\n'; good_rows 3 1700000002000; } >"$F/bigquoted.csv"
run ten_mb_quoted_field -- "$F/bigquoted.csv"
begin ten_mb_quoted_field; want_rc 4; want_err "bigquoted.csv:5: field 3 is longer than 1 MiB"; count 6; end

# A quote opened at line 5 and never closed swallows the lines after it
# until the field reaches the 1 MiB cap; reading resumes after the line where
# that happens.  Expected count: rows whose line starts after that line.
{ echo "$HDR"; good_rows 3; printf '1700000001000,5,"oops,200,OK,TG 1-1,text,true,,100,50,1,1,null,5,0,0\n'; good_rows 30000 1700000002000; } >"$F/unbalanced.csv"
want_unbal=$(python3 - "$F/unbalanced.csv" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
q = b.index(b'"oops')
cap = q + 1 + (1 << 20)           # first byte that no longer fits the field
resume = b.index(b"\n", cap) + 1  # the rest of that line is dropped
print(3 + b[resume:].count(b"\n"))
PY
)
run unbalanced_quote -- "$F/unbalanced.csv"
begin unbalanced_quote; want_rc 4; want_err "unbalanced.csv:5: field 3 is longer than 1 MiB"; count "$want_unbal"; end

python3 -c 'print(",".join("c%d" % i for i in range(100000)))' >"$F/wide.csv"
run hundred_thousand_columns -- "$F/wide.csv"
begin hundred_thousand_columns; want_rc 1; want_err "wide.csv:1: first record has more than 1024 fields"; no_output; end

{ echo "$HDR"; good_rows 5; python3 -c 'print(",".join("1" for i in range(100000)))'; good_rows 5 1700000001000; } >"$F/wide-row.csv"
run hundred_thousand_fields_row -- "$F/wide-row.csv"
begin hundred_thousand_fields_row; want_rc 4; want_err "wide-row.csv:7: expected 17 fields, got 100000 \(over the cap of 1024\)"; count 10; end

# ============================================================================
# records: field counts, numbers, timestamps
# ============================================================================
{ echo "$HDR"; good_rows 10; echo "1700000001000,5,short,200"; good_rows 2 1700000001100; echo "$(row 1700000002000 5 L 200),extra,fields"; } >"$F/fieldcount.csv"
run wrong_field_counts -- "$F/fieldcount.csv"
begin wrong_field_counts; want_rc 4; want_err "fieldcount.csv:12: expected 17 fields, got 4$" "fieldcount.csv:15: expected 17 fields, got 19$" "2 malformed records skipped"; count 12; py "m['skippedRecords'] == 2"; end

# the last line cut short (a crashed JMeter)
{ echo "$HDR"; good_rows 10; printf '1700000001000,5,L,20'; } >"$F/lastline.csv"
run last_line_cut -- "$F/lastline.csv"
begin last_line_cut; want_rc 4; want_err "lastline.csv:12: expected 17 fields, got 4 \(last line cut short\?\)"; count 10; end

{
    echo "$HDR"; good_rows 10
    row 1700000001000 abc L 200                      # 12 not a number
    row 1700000001000 -5 L 200                       # 13 negative
    row 1700000001000 99999999999999999999999 L 200  # 14 overflows int64
    row x17 5 L 200                                  # 15 bad timestamp
    row 1700000001000 9223372036854775807 L 200      # 16 fits int64, absurd
    echo "1700000001000,5,L,200,OK,TG 1-1,text,true,,100,50,1,1,null,-3,0,0"   # 17 negative latency
    echo "1700000001000,5,L,200,OK,TG 1-1,text,true,,99999999999999,50,1,1,null,5,0,0"  # 18 100 TB
    echo "1700000001000,5,L,200,OK,TG 1-1,text,maybe,,100,50,1,1,null,5,0,0"  # 19 success
} >"$F/numbers.csv"
run bad_numbers -- "$F/numbers.csv"
begin bad_numbers; want_rc 4
want_err "numbers.csv:12: elapsed 'abc' is not a number" "numbers.csv:13: elapsed is negative \(-5\)" \
    "numbers.csv:14: elapsed '99999999999999999999999' is not a number" \
    "numbers.csv:15: timeStamp 'x17' is neither epoch milliseconds nor a known date format" \
    "numbers.csv:16: elapsed 9223372036854775807 is out of range \(0 to 2147483647 ms\)" \
    "numbers.csv:17: Latency -3 is out of range" "numbers.csv:18: bytes 99999999999999 is out of range" \
    "numbers.csv:19: success 'maybe' is neither true nor false"
count 10; py "m['skippedRecords'] == 8 and t['maxResTime'] == 10.0 and t['receivedBytes'] == 1000"; end

{ echo "$HDR"; row 1700000000 5 L 200; row 1700000001 7 L 200; row 1700000002 9 L 429; } >"$F/seconds.csv"
run seconds_timestamps -- "$F/seconds.csv"
begin seconds_timestamps; want_rc 0; want_err "seconds.csv:2: timeStamp 1700000000 looks like epoch seconds, not milliseconds \(read as ms it is 1970-01-20 16:13:20 UTC\)"; count 3; end

{ echo "$HDR"; row 0 5 L 200; row 1500 7 L 200; } >"$F/relative.csv"
run relative_timestamps -- "$F/relative.csv"
begin relative_timestamps; want_rc 0; want_err "relative.csv:2: timeStamp 0 is not an epoch time \(1970-01-01 00:00:00 UTC\): relative times\?"; count 2; end

{ echo "$HDR"; row 1700000000000 5 L 200; row 4102444800000 5 L 200; row 1600000000000 5 L 200; row 1700000000500 5 L 200; } >"$F/backwards.csv"
run future_and_backwards -- "$F/backwards.csv"
begin future_and_backwards; want_rc 0
want_err "backwards.csv:3: timeStamp 4102444800000 \(2100-01-01 00:00:00 UTC\) is in the future" \
    "backwards.csv:4: time goes back 2502444800 s \(a sample ending at 2020-09-13 12:26:40 UTC follows one ending at 2100-01-01 00:00:00 UTC\)"
count 4; py "t['firstStart'] == 1600000000000"; end

{ echo "$HDR"; row 999999999999999 5 L 200; good_rows 2; } >"$F/hugets.csv"
run timestamp_out_of_range -- "$F/hugets.csv"
begin timestamp_out_of_range; want_rc 4; want_err "hugets.csv:2: timeStamp 999999999999999 is out of range \(years 0 to 9999\)"; count 2; end

# The same in a file big enough for the parallel reader (blocks decoded by
# several threads): one warning of each kind, for the first line in file
# order, whatever thread saw it; the jump back lies mid-block.
python3 - "$F/big-seconds.csv" <<'PY'
import sys
hdr = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n"
rows = []
for i in range(70000):
    ts = 1700000000 + i if i < 45000 else 1698000000 + i
    rows.append("%d,%03d,L,200,OK,TG 1-1,text,true,,100,50,1,1,null,5,0,0\n" % (ts, i % 500))
open(sys.argv[1], "w").write(hdr + "".join(rows))
PY
run parallel_once_per_file -- --threads=4 "$F/big-seconds.csv"
begin parallel_once_per_file; want_rc 0; count 70000
want_err "big-seconds.csv:2: timeStamp 1700000000 looks like epoch seconds" "big-seconds.csv:45002: time goes back 2000 s"
[ "$(grep -c 'looks like epoch seconds' "$OUT/$cur.err")" = 1 ] || bad "the epoch warning is not given exactly once"
[ "$(grep -c 'goes back' "$OUT/$cur.err")" = 1 ] || bad "the jump-back warning is not given exactly once"
end

# cat run1.csv run2.csv: the header again in the middle
{ echo "$HDR"; good_rows 10; echo "$HDR"; good_rows 10 1700000005000; } >"$F/joined.csv"
run csv_concatenated -- "$F/joined.csv"
begin csv_concatenated; want_rc 0; want_err "joined.csv:12: the header line again \(concatenated files\?\); skipped"; count 20; end

{ echo "$HDR"; good_rows 10; } | sed 's/$/\r/' >"$F/crlf.csv"
{ echo "$HDR"; good_rows 10; } | tr '\n' '\r' >"$F/cr.csv"
run crlf -- "$F/crlf.csv"
begin crlf; want_rc 0; quiet; count 10; end
run cr_only -- "$F/cr.csv"
begin cr_only; want_rc 0; quiet; count 10; end

# ============================================================================
# gzip: truncated, trailing garbage, concatenated members, member boundaries
# ============================================================================
{ echo "$HDR"; good_rows 2000; } >"$F/ok.csv"
gzip -c "$F/ok.csv" >"$F/ok.csv.gz"
size=$(wc -c <"$F/ok.csv.gz")
head -c $((size / 2)) "$F/ok.csv.gz" >"$F/cut.csv.gz"
want_cut=$(python3 - "$F/cut.csv.gz" <<'PY'
import sys, zlib
d = zlib.decompressobj(31).decompress(open(sys.argv[1], "rb").read())
print(d.count(b"\n") - 1)  # complete lines minus the header
PY
)
run gzip_truncated -- "$F/cut.csv.gz"
begin gzip_truncated; want_rc 4; want_err "cut.csv.gz: gzip stream is truncated \(unexpected end of file\); the data before the cut was read" "cut.csv.gz:[0-9]+: expected 17 fields, got [0-9]+ \(last line cut short\?\)"; count "$want_cut"; end

{ cat "$F/ok.csv.gz"; printf 'TRAILING GARBAGE'; } >"$F/trail.csv.gz"
run gzip_trailing_garbage -- "$F/trail.csv.gz"
begin gzip_trailing_garbage; want_rc 4; want_err "trail.csv.gz: trailing garbage after the gzip data \(ignored\)"; count 2000; end

{ gzip -c "$F/ok.csv"; good_rows 500 1700001000000 | gzip -c; } >"$F/members.csv.gz"
run gzip_concatenated_members -- "$F/members.csv.gz"
begin gzip_concatenated_members; want_rc 0; quiet; count 2500; end

printf '\037\213this is not deflate data at all' >"$F/fake.csv.gz"
run gzip_corrupt -- "$F/fake.csv.gz"
begin gzip_corrupt; want_rc 1; want_err "fake.csv.gz: corrupt gzip data"; no_output; end

# The second member's magic bytes on either side of the reader's 256 KiB
# raw buffer: first members of 262142..262145 bytes (stored blocks, so the
# size can be chosen), a row split across the two members.
for target in 262142 262143 262144 262145; do
    python3 - "$F/ok.csv" "$F/edge$target.csv.gz" "$target" <<'PY'
import sys, zlib
data = open(sys.argv[1], "rb").read() * 3
target = int(sys.argv[3])
def gz(b):
    c = zlib.compressobj(0, zlib.DEFLATED, 31)
    return c.compress(b) + c.flush()
n = target - 18
while len(gz(data[:n])) > target:
    n -= 1
while len(gz(data[:n + 1])) <= target:
    n += 1
m1 = gz(data[:n])
assert len(m1) == target, (len(m1), target)
open(sys.argv[2], "wb").write(m1 + gz(data[n:]))
PY
    run "gzip_member_edge_$target" -- "$F/edge$target.csv.gz"
    begin "gzip_member_edge_$target"; want_rc 0; want_err "the header line again"; count 6000; end
done

# ============================================================================
# XML: truncation, NUL blocks, huge attributes, depth, entities, DOCTYPE
# ============================================================================
X=$DATA/jmeter-nginx/none.xml.jtl
# complete top-level samples in a prefix (this file has no sub-samples)
xml_complete() { python3 -c 'import sys; print(open(sys.argv[1], "rb").read().count(b"</httpSample>"))' "$1"; }

python3 - "$X" "$F/cut-elem.xml" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
i = b.index(b"<responseHeader", 20000) + 30   # inside a sample's header text
open(sys.argv[2], "wb").write(b[:i])
PY
run xml_truncated_mid_element -- "$F/cut-elem.xml"
begin xml_truncated_mid_element; want_rc 4; want_err "cut-elem.xml:[0-9]+: file ends inside <httpSample> \(truncated\): $(xml_complete "$F/cut-elem.xml") complete samples read"; count "$(xml_complete "$F/cut-elem.xml")"; end

python3 - "$X" "$F/cut-attr.xml" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
i = b.index(b' lb="', 20000) + 8   # inside the value of an lb attribute
open(sys.argv[2], "wb").write(b[:i])
PY
run xml_truncated_mid_attribute -- "$F/cut-attr.xml"
begin xml_truncated_mid_attribute; want_rc 4; want_err "cut-attr.xml:[0-9]+: file ends inside <httpSample> \(truncated\)|cut-attr.xml:[0-9]+: file ends before"; count "$(xml_complete "$F/cut-attr.xml")"; end

python3 - "$X" "$F/between.xml" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
i = b.index(b"</httpSample>\n", 30000) + 14
open(sys.argv[2], "wb").write(b[:i])
PY
run xml_truncated_between_samples -- "$F/between.xml"
begin xml_truncated_between_samples; want_rc 4; want_err "between.xml:[0-9]+: file ends before </testResults> \(truncated\)"; count "$(xml_complete "$F/between.xml")"; py "m['skippedRecords'] == 0"; end

# A crash leaves a page of NUL bytes over the middle of the file: the sample
# it hits is lost, the rest is read.
python3 - "$X" "$F/nulblock.xml" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
i = b.index(b"<httpSample", len(b) // 3) + 40
open(sys.argv[2], "wb").write(b[:i] + b"\0" * 4096 + b[i:])
PY
total=$(xml_complete "$X")
run xml_nul_block -- "$F/nulblock.xml"
begin xml_nul_block; want_rc 4; want_err "nulblock.xml:[0-9]+: cannot recover from malformed XML: this <httpSample> is lost; skipping to the next top-level sample" "nulblock.xml:[0-9]+: resuming at this sample"; count $((total - 1)); py "m['skippedRecords'] == 1"; end

python3 -c '
import sys
w = sys.stdout.write
w("<?xml version=\"1.0\"?>\n<testResults version=\"1.2\">\n")
w("<httpSample t=\"5\" ts=\"1700000000000\" s=\"true\" lb=\"a\" rc=\"200\" tn=\"T\"/>\n")
w("<httpSample t=\"5\" ts=\"1700000000001\" s=\"true\" lb=\"" + "x" * (10 << 20) + "\" rc=\"200\" tn=\"T\"/>\n")
w("<httpSample t=\"5\" ts=\"1700000000002\" s=\"true\" lb=\"c\" rc=\"200\" tn=\"T\"/>\n</testResults>\n")' >"$F/bigattr.xml"
run xml_ten_mb_attribute -- "$F/bigattr.xml"
begin xml_ten_mb_attribute; want_rc 4; want_err "bigattr.xml:4: cannot recover from malformed XML: this <httpSample> is lost" "bigattr.xml:5: resuming at this sample"; count 2; py "sorted(d) == ['Total', 'a', 'c']"; end

# 20 MB of <responseData> is not kept, 2 MB of <responseHeader> is cut: the
# sample counts, memory stays flat (ulimit above)
python3 -c '
import sys
w = sys.stdout.write
w("<?xml version=\"1.0\"?>\n<testResults version=\"1.2\">\n")
w("<httpSample t=\"5\" ts=\"1700000000000\" s=\"true\" lb=\"a\" rc=\"200\" tn=\"T\"><responseHeader class=\"java.lang.String\">HTTP/1.1 200 OK\nX: " + "h" * (2 << 20) + "\n</responseHeader><responseData class=\"java.lang.String\">" + "z" * (20 << 20) + "</responseData></httpSample>\n")
w("<httpSample t=\"6\" ts=\"1700000000001\" s=\"true\" lb=\"b\" rc=\"200\" tn=\"T\"/>\n</testResults>\n")' >"$F/bigdata.xml"
run xml_huge_response_data -- "$F/bigdata.xml"
begin xml_huge_response_data; want_rc 0; want_err "bigdata.xml:3: <responseHeader> text longer than 65536 bytes: kept the first 65536"; lacks_err responseData; count 2; end

python3 -c '
import sys
w = sys.stdout.write
w("<?xml version=\"1.0\"?>\n<testResults version=\"1.2\">\n")
w("<httpSample t=\"5\" ts=\"1700000000000\" s=\"true\" lb=\"a\" rc=\"200\" tn=\"T\"/>\n")
w("<a>" * 100000 + "</a>" * 100000 + "\n")
w("<httpSample t=\"5\" ts=\"1700000000002\" s=\"true\" lb=\"c\" rc=\"200\" tn=\"T\"/>\n</testResults>\n")' >"$F/deep.xml"
run xml_deep_nesting -- "$F/deep.xml"
begin xml_deep_nesting; want_rc 4; want_err "deep.xml:4: "; count 2; end

cat >"$F/laughs.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<testResults version="1.2">
<httpSample t="5" lt="5" ts="1700000000000" s="true" lb="&lol9;" rc="200" rm="OK" tn="TG 1-1"/>
<httpSample t="6" lt="6" ts="1700000000010" s="true" lb="plain" rc="200" rm="OK" tn="TG 1-1"/>
</testResults>
XML
run xml_billion_laughs -- "$F/laughs.xml"
begin xml_billion_laughs; want_rc 0; want_err "laughs.xml:15: malformed XML: entity 'lol9' not defined"; count 2
grep -q lollol "$OUT/xml_billion_laughs.json" && bad "an entity was expanded"
end

# External entities and an external DTD: never read, never fetched.  A
# listener on 127.0.0.1 records any connection attempt.
echo "SECRET-$$" >"$F/secret.txt"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$port" "$OUT/connections" <<'PY' &
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5); s.settimeout(8)
open(sys.argv[2], "w").close()
try:
    while True:
        c, a = s.accept(); open(sys.argv[2], "a").write("connection\n"); c.close()
except socket.timeout:
    pass
PY
lpid=$!
i=0; while [ ! -e "$OUT/connections" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
cat >"$F/xxe.xml" <<XML
<?xml version="1.0"?>
<!DOCTYPE testResults SYSTEM "http://127.0.0.1:$port/jmeter.dtd" [
 <!ENTITY x SYSTEM "file://$F/secret.txt">
 <!ENTITY y SYSTEM "http://127.0.0.1:$port/y">
 <!ENTITY % p SYSTEM "http://127.0.0.1:$port/p">
 %p;
]>
<testResults version="1.2">
<httpSample t="5" lt="5" ts="1700000000000" s="true" lb="a&x;&y;" rc="200" rm="OK" tn="TG 1-1"/>
</testResults>
XML
run xml_external_entity -- "$F/xxe.xml"
kill $lpid 2>/dev/null; wait $lpid 2>/dev/null
begin xml_external_entity; want_rc 0; want_err "xxe.xml:9: malformed XML: entity 'x' not defined"; count 1; py "'a' in d"
grep -q "SECRET-$$" "$OUT/xml_external_entity.json" && bad "the external file was read"
[ -s "$OUT/connections" ] && bad "a network connection was attempted"
end

# JMeter appended a second run to a file it never closed
python3 - "$X" "$F/appended.xml" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
i = b.index(b"</httpSample>\n", 15000) + 14
open(sys.argv[2], "wb").write(b[:i] + b[:i])
PY
run xml_appended_run -- "$F/appended.xml"
begin xml_appended_run; want_rc 4; want_err "appended.xml:[0-9]+: a new XML prologue starts before </testResults>" "appended.xml:[0-9]+: file ends before </testResults> \(truncated\)"; count "$(xml_complete "$F/appended.xml")"; py "m['skippedRecords'] == 0"; end

# ============================================================================
# not regular files, several files, stdin, permissions, a growing file
# ============================================================================
run directory -- "$F"
begin directory; want_rc 1; want_err "cannot read '.*/in': Is a directory"; no_output; end

run missing_file -- "$F/nope.csv"
begin missing_file; want_rc 1; want_err "cannot open '.*/nope.csv': No such file or directory" "no input could be read"; no_output; end

run one_missing_of_two -- "$F/nope.csv" "$F/ok.csv"
begin one_missing_of_two; want_rc 4; want_err "cannot open '.*/nope.csv': No such file or directory"; count 2000; end

run_stdin stdin "$F/ok.csv"
begin stdin; want_rc 0; quiet; count 2000; end

rm -f "$F/fifo.csv"; mkfifo "$F/fifo.csv"
timeout 20 sh -c 'cat "$1" >"$2"' sh "$F/ok.csv" "$F/fifo.csv" &
wpid=$!
run fifo -- "$F/fifo.csv"
wait $wpid 2>/dev/null
begin fifo; want_rc 0; quiet; count 2000; end

if [ "$(id -u)" = 0 ]; then
    cp "$F/ok.csv" "$F/noperm.csv"; chmod 000 "$F/noperm.csv"
    if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null &&
       setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$BIN"; then
        run unreadable setpriv --reuid=65534 --regid=65534 --clear-groups -- "$F/noperm.csv"
        begin unreadable; want_rc 1; want_err "cannot open '.*/noperm.csv': Permission denied"; no_output; end
    else
        skip_case unreadable "running as root and cannot switch to uid 65534 (setpriv missing or the binary is not reachable)"
    fi
else
    cp "$F/ok.csv" "$F/noperm.csv"; chmod 000 "$F/noperm.csv"
    run unreadable -- "$F/noperm.csv"
    begin unreadable; want_rc 1; want_err "cannot open '.*/noperm.csv': Permission denied"; no_output; end
fi

# A file that grows while it is read (JMeter still running): read up to the
# end seen, never hang.  A row being appended at that moment may be cut
# (then exit 4 and it is named), so the count is a range.
cp "$F/ok.csv" "$F/grow.csv"
good_rows 20 1700009000000 >"$F/block"
( i=0; while [ $i -lt 100 ]; do cat "$F/block" >>"$F/grow.csv"; sleep 0.01; i=$((i + 1)); done ) &
gpid=$!
sleep 0.05
run growing_file -- "$F/grow.csv"
wait $gpid
begin growing_file
rc=$(cat "$OUT/growing_file.rc")
if [ "$rc" = 4 ]; then want_err "grow.csv:[0-9]+: expected 17 fields, got [0-9]+ \(last line cut short\?\)"; py "m['skippedRecords'] == 1"
else want_rc 0; quiet; fi
py "2000 <= t['sampleCount'] <= 4000"
end

echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
