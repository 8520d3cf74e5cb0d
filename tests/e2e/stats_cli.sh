#!/bin/sh
# stats command line: the four formats (format from -o's extension too),
# the timeline series, filters, and exit codes (0 ok, 1 nothing readable,
# 2 usage, 4 output written but input damaged).
set -eu
BIN=$1 DATA=$2 OUT=$4
command -v python3 >/dev/null 2>&1 || exit 77
mkdir -p "$OUT"
F=$DATA/jmeter-nginx/per-endpoint.csv.jtl

expect_rc() { # want, command...
    want=$1; shift
    set +e; "$@" >"$OUT/last.out" 2>"$OUT/last.err"; rc=$?; set -e
    if [ "$rc" != "$want" ]; then
        echo "exit $rc, expected $want: $*"; cat "$OUT/last.err"; exit 1
    fi
}

"$BIN" stats -q -o "$OUT/s.json" "$F"
"$BIN" stats -q -o "$OUT/s.csv" "$F"
"$BIN" stats -q -o "$OUT/s.md" "$F"
"$BIN" stats -q -o "$OUT/s.txt" "$F"
"$BIN" stats -q "$F" > "$OUT/stdout.txt"
cmp "$OUT/s.txt" "$OUT/stdout.txt"
grep -q '^Percentiles: exact nearest-rank over all 1933 samples$' "$OUT/s.txt"
grep -q '^| Label ' "$OUT/s.md"
grep -q '^## Top 5 errors by sampler$' "$OUT/s.md"
"$BIN" stats -q --timeline -f json -o "$OUT/t.json" "$F"
"$BIN" stats -q --timeline --granularity=5s -o "$OUT/t.csv" "$F"
"$BIN" stats -q --timeline -f md "$F" > "$OUT/t.md"
"$BIN" stats -q --percentiles=50,99.9 --apdex=100,400 -f json \
    -o "$OUT/p.json" "$F"
"$BIN" stats -q --include='sessions$' -f json -o "$OUT/inc.json" "$F"
"$BIN" stats -q --exclude='sessions$' --from=+5s --to=+15s -f json \
    -o "$OUT/exc.json" "$F"

python3 - "$OUT" "$F" <<'PY'
import csv, json, math, sys
out, src = sys.argv[1:3]
rows = list(csv.DictReader(open(src, newline="")))
s = json.load(open(out + "/s.json"))
c = list(csv.DictReader(open(out + "/s.csv", newline="")))
assert [r["transaction"] for r in c] == ["Total"] + sorted(k for k in s if k != "Total")
for r in c:
    j = s[r["transaction"]]
    assert int(r["sampleCount"]) == j["sampleCount"]
    assert float(r["pct99ResTime"]) == j["pct3ResTime"]
    assert float(r["throughput"]) == j["throughput"], "CSV keeps full precision"
    assert r["codes"] == " ".join("%s:%d" % kv for kv in j["codes"].items())

t = json.load(open(out + "/t.json"))
assert t["intervalAuto"] and t["intervalMs"] == 1000
assert sum(t["hits"]) == len(rows) == sum(t["samples"])
assert sum(t["perSecond"]["hits"]) == len(rows)
assert sum(t["perSecond"]["code429"]) == sum(1 for r in rows if r["responseCode"] == "429")
assert sum(t["perSecond"]["accepted"]) == sum(1 for r in rows if r["success"] == "true")
assert sum(sum(v) for v in t["codes"].values()) == len(rows)
t0 = min(int(r["timeStamp"]) for r in rows)
assert t["perSecond"]["t0"] == t0 - t0 % 1000
# hits of the first second, by start time
assert t["perSecond"]["hits"][0] == sum(1 for r in rows if int(r["timeStamp"]) // 1000 == t0 // 1000)
tc = list(csv.DictReader(open(out + "/t.csv", newline="")))
assert len(tc) >= 4 and int(tc[1]["time"]) - int(tc[0]["time"]) == 5000
assert sum(int(r["hits"]) for r in tc) == len(rows)
assert sum(int(r["code 429"]) for r in tc) == sum(t["perSecond"]["code429"])

p = json.load(open(out + "/p.json"))
el = sorted(int(r["elapsed"]) for r in rows)
n = len(el)
assert p["Total"]["percentiles"]["99.9"] == float(el[math.ceil(99.9 * n / 100) - 1])
assert p["Total"]["pct1ResTime"] == float(el[math.ceil(50 * n / 100) - 1])
assert p["Total"]["pct2ResTime"] == p["Total"]["percentiles"]["99.9"]
assert p["Total"]["pct3ResTime"] is None, "only two percentiles asked"
assert p["Total"]["apdex"]["T"] == 100 and p["Total"]["apdex"]["F"] == 400
ok = [int(r["elapsed"]) for r in rows if r["success"] == "true"]
assert p["Total"]["apdex"]["satisfied"] == sum(1 for e in ok if e <= 100)

inc = json.load(open(out + "/inc.json"))
assert sorted(inc) == ["POST /api/v2/architect/flows/{flowId}/sessions", "Total"]
assert inc["Total"]["sampleCount"] == sum(1 for r in rows if r["label"].endswith("sessions"))
exc = json.load(open(out + "/exc.json"))
want = [r for r in rows if not r["label"].endswith("sessions")
        and t0 + 5000 <= int(r["timeStamp"]) <= t0 + 15000]
assert exc["Total"]["sampleCount"] == len(want), (exc["Total"]["sampleCount"], len(want))
print("formats, timeline and filters ok")
PY

# exit codes
expect_rc 2 "$BIN" stats --percentiles=0 "$F"
expect_rc 2 "$BIN" stats --apdex=900,100 "$F"
expect_rc 2 "$BIN" stats --granularity=fast "$F"
expect_rc 2 "$BIN" stats -f xml "$F"
expect_rc 2 "$BIN" stats --jmeter-compat --percentile-method=exact "$F"
expect_rc 2 "$BIN" stats
expect_rc 1 "$BIN" stats "$OUT/does-not-exist.csv"
: > "$OUT/empty.csv"
expect_rc 1 "$BIN" stats "$OUT/empty.csv"
# a damaged file (one short row) still gives its statistics, exit 4
{ cat "$F"; echo "1795336421000,5,broken"; } > "$OUT/damaged.csv"
expect_rc 4 "$BIN" stats -q -f json -o "$OUT/damaged.json" "$OUT/damaged.csv"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]));
assert d["Total"]["sampleCount"] == 1933 and d["Total"]["_meta"]["skippedRecords"] == 1' \
    "$OUT/damaged.json"
# an unreadable file among several: the others are reported, exit 4
expect_rc 4 "$BIN" stats -q -f json "$F" "$OUT/does-not-exist.csv"
grep -q does-not-exist "$OUT/last.err"
# --help
expect_rc 0 "$BIN" stats --help
grep -q -- '--jmeter-compat' "$OUT/last.out"
echo "exit codes ok"
