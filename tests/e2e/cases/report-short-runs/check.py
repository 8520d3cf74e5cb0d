# The time charts' x values are never left of the axis, and the first
# interval's values are there (the percentile chart's first row); the label
# bars grow from the bottom to the top of the chart.
import glob
import os

from jtlcheck import OUT, check, load

for d in ("one", "short", "labels"):
    for dat in sorted(glob.glob(os.path.join(OUT, d, "chart-0[15-7]-*.dat"))):
        rows = [l.rstrip("\n").split("\t") for l in open(dat, encoding="utf-8")][1:]
        xs = [float(r[0]) for r in rows if r and r[0]]
        check(xs and min(xs) >= 0, "%s/%s: no x left of 0 (min %s)" %
              (d, os.path.basename(dat), min(xs) if xs else None))
st = load("short/statistics.json")["Total"]
p = [l.rstrip("\n").split("\t") for l in open(os.path.join(OUT, "short",
     "chart-06-response-time-percentiles.dat"), encoding="utf-8")][1:]
check(max(float(r[-1]) for r in p) <= st["maxResTime"] and
      float(p[0][-1]) > 0, "the first interval's percentiles are drawn")
bars = [l.rstrip("\n").split("\t") for l in open(os.path.join(OUT, "labels",
        "chart-09-labels.dat"), encoding="utf-8")][1:]
length = [sum(float(x) for x in r[1:4]) for r in bars]
check(length == sorted(length), "per-label bars ordered by length, busiest on top")
