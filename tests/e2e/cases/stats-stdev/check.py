import csv
import math

from jtlcheck import DATA, check, load

a = load("a.json")["Total"]
exp = [l for l in open(DATA + "/upstream/jmeter-analysis-maven-plugin/"
                       "xml_2011_mixed_sample_httpSample.expected-summary.txt")
       if "standard deviation" in l][0]
want = int(exp.split(":")[1])
check(int(a["stdevResTime"]) == want,
      "the plugin's expected std dev %d = ours truncated (%.3f)" % (want, a["stdevResTime"]))
rows = list(csv.DictReader(open(DATA + "/jmeter-nginx/per-endpoint.csv.jtl")))
f = load("f.json")
for label in ["Total"] + sorted({r["label"] for r in rows}):
    v = [int(r["elapsed"]) for r in rows if label == "Total" or r["label"] == label]
    m = sum(v) / len(v)
    sd = math.sqrt(sum((x - m) ** 2 for x in v) / len(v))
    check(abs(f[label]["stdevResTime"] - sd) < 1e-9,
          "%s: %.6f = recomputed population std dev %.6f" % (label, f[label]["stdevResTime"], sd))
