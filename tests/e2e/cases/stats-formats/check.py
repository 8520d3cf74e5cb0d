# The CSV holds the JSON's rows, Total first, with every number at full
# precision.
import csv

from jtlcheck import equal, load, path

s = load("s.json")
c = list(csv.DictReader(open(path("s.csv"), newline="")))
equal([r["transaction"] for r in c], ["Total"] + sorted(k for k in s if k != "Total"),
      "CSV rows: Total, then the labels in order")
for r in c:
    j = s[r["transaction"]]
    name = r["transaction"]
    equal(int(r["sampleCount"]), j["sampleCount"], "%s: sampleCount" % name)
    equal(float(r["pct99ResTime"]), j["pct3ResTime"], "%s: pct99ResTime = pct3ResTime" % name)
    equal(float(r["throughput"]), j["throughput"], "%s: throughput at full precision" % name)
    equal(r["codes"], " ".join("%s:%d" % kv for kv in j["codes"].items()), "%s: codes" % name)
