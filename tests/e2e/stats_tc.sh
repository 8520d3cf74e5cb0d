#!/bin/sh
# Transaction Controller semantics as in JMeter's dashboard, checked against
# an independent count with Python's csv module: TC parents ("Number of
# samples in transaction" messages) get their own rows but are not in Total;
# APDEX Total includes them; errors ignore them.  Also XML sub-samples
# (top level only unless --subresults) and a file of TC rows only.
set -eu
BIN=$1 DATA=$2 OUT=$4
command -v python3 >/dev/null 2>&1 || exit 77
mkdir -p "$OUT"
U=$DATA/upstream
"$BIN" stats -q -f json -o "$OUT/tc.json" \
    "$U/jenkins-performance-plugin/csv_5x_tc_rows_after_children.csv"
"$BIN" stats -q -f json -o "$OUT/tconly.json" \
    "$U/taurus/csv_transaction_controller_rows.jtl"
"$BIN" stats -q -f json -o "$OUT/nested.json" \
    "$U/taurus/xml_SYNTHETIC_nested_tc_429.jtl"
"$BIN" stats -q -f json --subresults -o "$OUT/nested_sub.json" \
    "$U/taurus/xml_SYNTHETIC_nested_tc_429.jtl"

python3 - "$OUT" "$U" <<'PY'
import csv, json, math, sys
out, u = sys.argv[1:3]
s = json.load(open(out + "/tc.json"))
rows = list(csv.DictReader(open(u + "/jenkins-performance-plugin/csv_5x_tc_rows_after_children.csv", newline="")))
is_tc = lambda r: r["responseMessage"].startswith("Number of samples in transaction")
tc = [r for r in rows if is_tc(r)]
plain = [r for r in rows if not is_tc(r)]
assert len(rows) == 313 and len(tc) == 103, (len(rows), len(tc))
assert s["Total"]["sampleCount"] == len(plain)
assert s["Total"]["apdex"]["total"] == len(rows), "APDEX Total includes TC"
assert s["Total"]["_meta"]["transactionControllerSamples"] == len(tc)
labels = {}
for r in rows:
    labels.setdefault(r["label"], []).append(r)
assert sorted(k for k in s if k != "Total") == sorted(labels)
for label, rs in labels.items():
    row = s[label]
    assert row["sampleCount"] == len(rs), label
    assert row["isController"] == is_tc(rs[0]), label
    el = sorted(int(r["elapsed"]) for r in rs)
    assert row["pct1ResTime"] == float(el[math.ceil(0.9 * len(el)) - 1]), label
    sat = sum(1 for r in rs if r["success"] == "true" and int(r["elapsed"]) <= 500)
    tol = sum(1 for r in rs if r["success"] == "true" and 500 < int(r["elapsed"]) <= 1500)
    assert (row["apdex"]["satisfied"], row["apdex"]["tolerated"]) == (sat, tol), label
    assert row["apdex"]["score"] == (sat + tol / 2) / len(rs), label
el = sorted(int(r["elapsed"]) for r in plain)
assert s["Total"]["maxResTime"] == float(el[-1])
assert s["Total"]["meanResTime"] == sum(el) / len(el)

# Only TC rows, both failed: label rows exist, Total is empty, no errors
t = json.load(open(out + "/tconly.json"))
assert t["Total"]["sampleCount"] == 0 and t["Total"]["errors"] == []
assert sum(t[k]["sampleCount"] for k in t if k != "Total") == 2
assert all(t[k]["isController"] and t[k]["topErrors"] == [] for k in t if k != "Total")

# XML nesting: top level only by default, everything with --subresults
n = json.load(open(out + "/nested.json"))
ns = json.load(open(out + "/nested_sub.json"))
assert n["Total"]["_meta"]["subresultsSkipped"] > 0
assert ns["Total"]["_meta"]["subresultsSkipped"] == 0
assert ns["Total"]["_meta"]["samplesCounted"] == n["Total"]["_meta"]["samplesCounted"] + n["Total"]["_meta"]["subresultsSkipped"]
print("TC ok: %d rows, %d TC, Total %d; nested %d top + %d sub" % (
    len(rows), len(tc), len(plain), n["Total"]["_meta"]["samplesCounted"],
    n["Total"]["_meta"]["subresultsSkipped"]))
PY
