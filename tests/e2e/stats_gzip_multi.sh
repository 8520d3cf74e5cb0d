#!/bin/sh
# gzip input gives the same statistics as the plain file; several files at
# once merge (sum of counts, codes, and exact percentiles over the union,
# checked against Python's own reading of the CSVs); stdin works.
set -eu
BIN=$1 DATA=$2 OUT=$4
command -v python3 >/dev/null 2>&1 || exit 77
mkdir -p "$OUT"
N=$DATA/jmeter-nginx

"$BIN" stats -q -f json -o "$OUT/plain.json" "$N/random.csv.jtl"
"$BIN" stats -q -f json -o "$OUT/gz.json" "$N/random.csv.jtl.gz"
"$BIN" stats -q -f json -o "$OUT/xplain.json" "$N/per-endpoint.xml.jtl"
"$BIN" stats -q -f json -o "$OUT/xgz.json" "$N/per-endpoint.xml.jtl.gz"
"$BIN" stats -q -f json - < "$N/none.csv.jtl" > "$OUT/stdin.json"
"$BIN" stats -q -f json -o "$OUT/multi.json" "$N/threshold-rate.csv.jtl" \
    "$N/none.csv.jtl" "$N/random.csv.jtl.gz"
for f in threshold-rate.csv.jtl none.csv.jtl; do
    "$BIN" stats -q -f json -o "$OUT/$f.json" "$N/$f"
done

python3 - "$OUT" "$N" <<'PY'
import csv, gzip, json, math, sys
out, ndir = sys.argv[1:3]
def load(n):
    return json.load(open("%s/%s" % (out, n)))
def strip(s):
    for row in s.values():
        row.pop("_meta", None)
    return s
assert strip(load("plain.json")) == strip(load("gz.json")), "gzip CSV differs"
assert strip(load("xplain.json")) == strip(load("xgz.json")), "gzip XML differs"
assert load("stdin.json")["Total"]["sampleCount"] == 1080
assert load("stdin.json")["Total"]["_meta"]["files"][0]["name"] == "-"

m = load("multi.json")
parts = [load("threshold-rate.csv.jtl.json"), load("none.csv.jtl.json"),
         load("plain.json")]
assert m["Total"]["sampleCount"] == sum(p["Total"]["sampleCount"] for p in parts)
assert m["Total"]["errorCount"] == sum(p["Total"]["errorCount"] for p in parts)
codes = {}
for p in parts:
    for c, n in p["Total"]["codes"].items():
        codes[c] = codes.get(c, 0) + n
assert m["Total"]["codes"] == codes, (m["Total"]["codes"], codes)
assert m["Total"]["minResTime"] == min(p["Total"]["minResTime"] for p in parts)
assert m["Total"]["maxResTime"] == max(p["Total"]["maxResTime"] for p in parts)
assert m["Total"]["firstStart"] == min(p["Total"]["firstStart"] for p in parts)
assert m["Total"]["lastEnd"] == max(p["Total"]["lastEnd"] for p in parts)

# exact percentiles over the union, from the raw rows
v = []
for f, op in (("threshold-rate.csv.jtl", open), ("none.csv.jtl", open),
              ("random.csv.jtl.gz", gzip.open)):
    with op("%s/%s" % (ndir, f), "rt", newline="") as fh:
        v += [int(r["elapsed"]) for r in csv.DictReader(fh)]
v.sort()
n = len(v)
assert n == m["Total"]["sampleCount"]
for key, p in (("medianResTime", 50), ("pct1ResTime", 90),
               ("pct2ResTime", 95), ("pct3ResTime", 99)):
    assert m["Total"][key] == float(v[math.ceil(p * n / 100) - 1]), key
assert m["Total"]["meanResTime"] == sum(v) / n
print("gzip, stdin and %d-file merge ok (%d samples)" % (3, n))
PY
