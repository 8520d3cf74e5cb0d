# Each windowed value recomputed from the rows of the file: the 10 s window
# with the most 429s (sliding by 1 s, a sample counts in the second it
# started in), its share, the status.
import csv
import math

from jtlcheck import DATA, check, equal, load

rows = list(csv.DictReader(open(DATA + "/jmeter-nginx/threshold-rate.csv.jtl")))
secs = {}
for r in rows:
    s = int(r["timeStamp"]) // 1000
    n, k = secs.get(s, (0, 0))
    secs[s] = (n + 1, k + (r["responseCode"] == "429"))
lo, hi = min(secs), max(secs)
best = None
for s in range(lo, hi - 10 + 2):
    n = sum(secs.get(t, (0, 0))[0] for t in range(s, s + 10))
    k = sum(secs.get(t, (0, 0))[1] for t in range(s, s + 10))
    if n and (best is None or k / n > best[0]):
        best = (k / n, s)
j = load("w.json")
c = {x["criterion"]: x for x in j["criteria"]}
rc = c["rc429 > 50% for 10s"]
equal(rc["status"], "fail", "rc429 > 50% for 10s fails")
check(abs(rc["value"] - 100 * best[0]) < 1e-9,
      "its worst window's share %.4f %% = recomputed %.4f %%" % (rc["value"], 100 * best[0]))
check(rc["window"]["length_s"] == 10 and rc["window"]["start"].endswith(":%02d.000Z" % (best[1] % 60)),
      "the window named is the worst one: %s" % rc["window"])
equal(c["p95 > 1s for 5s"]["status"], "pass", "p95 over 5 s never above 1 s")
first = sum(secs.get(t, (0, 0))[0] for t in range(lo, lo + 3)) / 3
h = c["hits < 20/s for 3s"]
check(h["status"] == "fail" and h["value"] <= first + 1e-9,
      "hits < 20/s for 3s: the ramp-up's first seconds (%s/s, first window %.2f/s)" % (h["value"], first))
equal(c["fail > 99% for 5s"]["status"], "pass", "never 99 % failures over 5 s")
long_ = c["avg-rt > 1h for 2m"]
check(long_["status"] == "error" and "shorter than the 120 s window" in long_["message"],
      "a window longer than the run: an error that says so")
equal(j["passed"], False, "not passed")

# p95 over 5 s windows, nearest rank, every sample: the item reports the
# window closest to the bound (the highest p95), recomputed here.
el = {}
for r in rows:
    el.setdefault(int(r["timeStamp"]) // 1000, []).append(int(r["elapsed"]))
worst = None
for s in range(lo, hi - 5 + 2):
    v = sorted(x for t in range(s, s + 5) for x in el.get(t, []))
    if not v:
        continue
    p = v[math.ceil(0.95 * len(v)) - 1]
    if worst is None or p > worst[0]:
        worst = (p, s)
p95 = c["p95 > 1s for 5s"]
check(p95["value"] == worst[0],
      "the highest p95 of any 5 s window: %s = recomputed %s" % (p95["value"], worst[0]))
