#!/bin/sh
# SPDX-License-Identifier: MIT
# `jtlscope throttle` options and outputs: text / md / json, -o by
# extension, bad options (exit 2), --throttle-codes, --throttle-message,
# --retry-after-column, stdin, small inputs (never a confident wrong
# verdict), and a CSV without headers saying what it could not check.
set -eu
jtl=$1 data=$2 out=$4
nx=$data/jmeter-nginx
mkdir -p "$out"
fail=0
ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fail=1; }
has() { grep -q -- "$2" "$1" && ok "$3" || bad "$3"; }

"$jtl" throttle -q "$nx/threshold-rate.csv.jtl" > "$out/t.txt"
has "$out/t.txt" "^VERDICT: threshold / rate" "text: verdict line"
has "$out/t.txt" "^Evidence" "text: evidence table"
has "$out/t.txt" "Constant Throughput Timer" "text: pacing in JMeter terms"
has "$out/t.txt" "no values in the file" "text: says why Retry-After was not checked"

"$jtl" throttle -q -o "$out/t.md" "$nx/fixed-window.xml.jtl"
has "$out/t.md" "^# Throttling" "md by -o extension"
has "$out/t.md" "| test | on | statistic | threshold | result |" "md: evidence table"
has "$out/t.md" "dynamic: counts down" "md: Retry-After counts down to the window edge"

"$jtl" throttle -q -o "$out/t.json" "$nx/per-endpoint.xml.jtl.gz"
if command -v python3 >/dev/null 2>&1; then
    python3 - "$out/t.json" <<'PY' && ok "json: issue #3 keys" || bad "json: issue #3 keys"
import json, sys
j = json.load(open(sys.argv[1]))
for k in ("verdict", "mechanism", "limit", "retry_after", "pacing", "evidence", "scopes"):
    assert k in j, k
for k in ("rate_per_s", "burst", "window_s", "per_window", "concurrency"):
    assert k in j["limit"], k
for k in ("count", "values", "compliance"):
    assert k in j["retry_after"], k
for k in ("target_rate_per_s", "constant_throughput_per_min"):
    assert k in j["pacing"], k
e = j["evidence"][0]
assert set(("test", "statistic", "threshold", "pass")) <= set(e)
s = j["scopes"][0]
assert s["scope"] in ("label", "group") and "name" in s and "verdict" in s
assert j["limit"]["window_s"] is None   # unknown numbers are null
PY
fi

# usage errors exit 2
for args in "--format=xml" "--throttle-codes=42x" "--margin=2" "--throttle-message=(" ; do
    set +e
    "$jtl" throttle -q $args "$nx/none.csv.jtl" > /dev/null 2> "$out/err.txt"
    rc=$?
    set -e
    [ $rc -eq 2 ] && ok "usage error $args" || bad "usage error $args (exit $rc)"
done

# codes: nginx's limit_req default is 503; 429s are then not throttling
"$jtl" throttle -q --throttle-codes 503 -f json "$nx/threshold-rate.csv.jtl" > "$out/c.json"
has "$out/c.json" '"verdict": "none"' "--throttle-codes 503: 429 is not throttling"

# message pattern: AWS-style 400 ThrottlingException
awk -F, 'NR == 1 { print; next }
         $4 == "429" { $4 = "400"; $5 = "ThrottlingException: Rate exceeded" }
         { print }' OFS=, "$nx/threshold-rate.csv.jtl" > "$out/aws.csv"
"$jtl" throttle -q -f json "$out/aws.csv" > "$out/aws0.json"
has "$out/aws0.json" '"verdict": "none"' "400s are not throttling by default"
"$jtl" throttle -q -f json --throttle-message 'ThrottlingException' "$out/aws.csv" > "$out/aws1.json"
has "$out/aws1.json" '"mechanism": "rate"' "--throttle-message finds the limiter"

# an explicitly named Retry-After column, and stdin
if command -v python3 >/dev/null 2>&1; then
    python3 "$data/throttling_sim.py" --limiter tb --rate 20 --burst 5 --threads 30 \
        --ramp 5 --duration 40 --think 0.3 | sed '1s/retryAfter$/wait_s/' > "$out/ra.csv"
    "$jtl" throttle -q -f json "$out/ra.csv" > "$out/ra0.json"
    has "$out/ra0.json" '"count": 0' "an unknown column is not guessed as Retry-After"
    "$jtl" throttle -q -f json --retry-after-column wait_s - < "$out/ra.csv" > "$out/ra1.json"
    has "$out/ra1.json" '"source": "variable"' "--retry-after-column from stdin"
    has "$out/ra1.json" '"compliance": 0' "clients that ignore Retry-After: compliance 0"
fi

# small inputs: the first rows of a rate-limited run are never "random",
# and never a wrong mechanism
for n in 30 60 120 250 400; do
    head -n "$n" "$nx/threshold-rate.csv.jtl" > "$out/small.csv"
    "$jtl" throttle -q -f json "$out/small.csv" > "$out/small.json"
    v=$(sed -n 's/^  "verdict": "\([a-z]*\)".*/\1/p' "$out/small.json" | head -n 1)
    m=$(sed -n 's/^  "mechanism": \(.*\),$/\1/p' "$out/small.json" | head -n 1)
    case "$v/$m" in
    none/null | inconclusive/null | threshold/\"rate\" | threshold/\"unknown\")
        ok "first $n rows: $v $m" ;;
    *) bad "first $n rows: $v $m" ;;
    esac
done
head -n 150 "$nx/random.csv.jtl" > "$out/small.csv"
"$jtl" throttle -q -f json "$out/small.csv" > "$out/small.json"
if grep -q '"verdict": "threshold"' "$out/small.json"; then
    bad "first rows of a random run: not threshold"
else
    ok "first rows of a random run: not threshold"
fi

# the same answer whatever the decoding threads: 60 000 pairs of requests of
# one thread starting in the same millisecond, 3 MB apart in the file, so
# the parallel reader hands them over in a different order on every run
awk 'BEGIN {
    print "timeStamp,elapsed,label,responseCode,responseMessage,threadName,success,bytes,grpThreads,allThreads"
    for (i = 0; i < 120000; i++) {
        j = i % 60000
        code = (i % 7 == 0 || (i >= 60000 && i % 3 == 0)) ? 429 : 200
        printf "%d,%d,POST /x,%d,m,T 1-%d,%s,%d,20,20\n", 1700000000000 + j * 5, (i < 60000 ? 3 : 9), code, j % 20 + 1, (code == 200 ? "true" : "false"), (code == 200 ? 400 : 120)
    }
}' > "$out/ties.csv"
"$jtl" throttle -q --threads 1 -f json -o "$out/ties1.json" "$out/ties.csv"
same=1
for n in 2 3 3 4 4; do
    "$jtl" throttle -q --threads $n -f json -o "$out/tiesn.json" "$out/ties.csv"
    cmp -s "$out/ties1.json" "$out/tiesn.json" || same=0
done
[ $same -eq 1 ] && ok "same-millisecond requests of a thread: one answer for 1-4 threads" ||
    bad "same-millisecond requests of a thread: one answer for 1-4 threads"

# the waits after a 429: the text line gives the JSON's percentiles
"$jtl" throttle -q "$nx/threshold-rate.xml.jtl" > "$out/w.txt"
"$jtl" throttle -q -f json "$nx/threshold-rate.xml.jtl" > "$out/w.json"
if command -v python3 >/dev/null 2>&1; then
    python3 - "$out/w.txt" "$out/w.json" <<'PY' &&
import json, re, sys
text = open(sys.argv[1]).read()
w = json.load(open(sys.argv[2]))["retry_after"]["wait_after_429_s"]
m = re.search(r"wait from a 429 to the next request: ([0-9.]+) s \(p10\), "
              r"([0-9.]+) s \(median\), ([0-9.]+) s \(p90\)", text)
assert m, "no wait line"
assert [float(x) for x in m.groups()] == [w["p10"], w["p50"], w["p90"]], (m.groups(), w)
assert w["count"] > 1000 and 0 < w["p10"] <= w["p50"] <= w["p90"] < 2, w
PY
        ok "text: wait after a 429 = the JSON's p10/p50/p90" ||
        bad "text: wait after a 429 = the JSON's p10/p50/p90"
fi
exit $fail
