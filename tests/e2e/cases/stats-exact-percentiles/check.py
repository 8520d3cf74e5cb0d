import os

from jtlcheck import DATA, check, equal, nearest_rank, rows, stats

s = stats()
r = rows(os.path.join(DATA, "upstream/apache-jmeter/dashboard_5x_default_header.csv"))
by = {}
for x in r:
    by.setdefault(x["label"], []).append(int(x["elapsed"]))
by["Total"] = [int(x["elapsed"]) for x in r]
for label, v in by.items():
    for key, p in (("medianResTime", 50), ("pct1ResTime", 90),
                   ("pct2ResTime", 95), ("pct3ResTime", 99)):
        equal(s[label][key], nearest_rank(v, p), "%s %s (p%d)" % (label, key, p))
    equal(s[label]["meanResTime"], sum(v) / len(v), "%s mean" % label)
    equal(s[label]["sampleCount"], len(v), "%s samples" % label)
equal(s["JR-OK"]["pct2ResTime"], 339.0, "JR-OK p95: an observed value")
check(s["Total"]["_meta"]["percentileMethod"].startswith("exact nearest-rank over all 255"),
      "the method is stated")
