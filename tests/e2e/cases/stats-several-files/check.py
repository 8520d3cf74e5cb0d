import os

from jtlcheck import DATA, equal, load, nearest_rank, rows

m = load("multi.json")["Total"]
parts = [load(f + ".json")["Total"]
         for f in ("threshold-rate.csv.jtl", "none.csv.jtl", "random.csv.jtl")]
equal(m["sampleCount"], sum(p["sampleCount"] for p in parts), "samples: the sum")
equal(m["errorCount"], sum(p["errorCount"] for p in parts), "errors: the sum")
codes = {}
for p in parts:
    for c, n in p["codes"].items():
        codes[c] = codes.get(c, 0) + n
equal(m["codes"], codes, "codes: the sums")
equal(m["minResTime"], min(p["minResTime"] for p in parts), "min")
equal(m["maxResTime"], max(p["maxResTime"] for p in parts), "max")
equal(m["firstStart"], min(p["firstStart"] for p in parts), "first start")
equal(m["lastEnd"], max(p["lastEnd"] for p in parts), "last end")

v = []
for f in ("threshold-rate.csv.jtl", "none.csv.jtl", "random.csv.jtl.gz"):
    v += [int(r["elapsed"]) for r in rows(os.path.join(DATA, "jmeter-nginx", f))]
equal(m["sampleCount"], len(v), "samples: the rows of the three files")
for key, p in (("medianResTime", 50), ("pct1ResTime", 90),
               ("pct2ResTime", 95), ("pct3ResTime", 99)):
    equal(m[key], nearest_rank(v, p), "%s: p%d over the union" % (key, p))
equal(m["meanResTime"], sum(v) / len(v), "mean over the union")
