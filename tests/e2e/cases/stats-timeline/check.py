import csv
import os

from jtlcheck import DATA, check, equal, load, path, rows

r = rows(os.path.join(DATA, "jmeter-nginx/per-endpoint.csv.jtl"))
t = load("t.json")
check(t["intervalAuto"] and t["intervalMs"] == 1000, "interval chosen: 1 s")
check(sum(t["hits"]) == len(r) == sum(t["samples"]), "hits and samples: every row")
equal(sum(t["perSecond"]["hits"]), len(r), "hits per second: every row")
equal(sum(t["perSecond"]["code429"]), sum(1 for x in r if x["responseCode"] == "429"),
      "429s per second: every 429")
equal(sum(t["perSecond"]["accepted"]), sum(1 for x in r if x["success"] == "true"),
      "accepted per second: every success")
equal(sum(sum(v) for v in t["codes"].values()), len(r), "codes: every row")
t0 = min(int(x["timeStamp"]) for x in r)
equal(t["perSecond"]["t0"], t0 - t0 % 1000, "the series starts at the first second")
equal(t["perSecond"]["hits"][0],
      sum(1 for x in r if int(x["timeStamp"]) // 1000 == t0 // 1000),
      "hits of the first second, by start time")
tc = list(csv.DictReader(open(path("t.csv"), newline="")))
check(len(tc) >= 4 and int(tc[1]["time"]) - int(tc[0]["time"]) == 5000,
      "CSV: rows 5 s apart")
equal(sum(int(x["hits"]) for x in tc), len(r), "CSV: hits, every row")
equal(sum(int(x["code 429"]) for x in tc), sum(t["perSecond"]["code429"]), "CSV: 429s")
