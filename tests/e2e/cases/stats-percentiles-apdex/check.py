import os

from jtlcheck import DATA, check, equal, load, nearest_rank, rows

r = rows(os.path.join(DATA, "jmeter-nginx/per-endpoint.csv.jtl"))
el = [int(x["elapsed"]) for x in r]
t = load("p.json")["Total"]
equal(t["percentiles"]["99.9"], nearest_rank(el, 99.9), "p99.9")
equal(t["pct1ResTime"], nearest_rank(el, 50), "pct1ResTime: the first asked, p50")
equal(t["pct2ResTime"], t["percentiles"]["99.9"], "pct2ResTime: the second asked, p99.9")
check(t["pct3ResTime"] is None, "pct3ResTime null: only two percentiles asked")
check(t["apdex"]["T"] == 100 and t["apdex"]["F"] == 400, "APDEX T and F as asked")
ok = [int(x["elapsed"]) for x in r if x["success"] == "true"]
equal(t["apdex"]["satisfied"], sum(1 for e in ok if e <= 100), "APDEX satisfied")
