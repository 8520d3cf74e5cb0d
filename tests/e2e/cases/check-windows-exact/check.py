# Every windowed value recomputed from the rows: the window with the
# highest value (the earliest of equals), sliding by 1 s, a sample in the
# second it started in; nearest-rank percentiles; population spread.
import csv
import math

from jtlcheck import check, load, nearest_rank

rows = list(csv.DictReader(open("run.csv")))
by = {"A": {}, "B": {}, "": {}}
for r in rows:
    s, v = int(r["timeStamp"]) // 1000, int(r["elapsed"])
    by[r["label"]].setdefault(s, []).append(v)
    by[""].setdefault(s, []).append(v)


def pstdev(v):
    m = sum(v) / len(v)
    return math.sqrt(max(sum(x * x for x in v) / len(v) - m * m, 0))


def worst(label, w, f):
    secs = by[label]
    lo, hi = min(secs), max(secs)
    best = None
    for s in range(lo, hi - w + 2):
        v = [x for t in range(s, s + w) for x in secs.get(t, [])]
        if v:
            y = f(v)
            if best is None or y > best[0]:
                best = (y, s)
    return best


j = load("par.json")
for item in j["criteria"]:
    crit = item["criterion"]
    subj, rest = crit.split(" ", 1)
    label = rest.split(" ")[1].strip("/^$") if rest.startswith("of ") else ""
    w = int(crit.rsplit(" ", 1)[1][:-1])
    if subj.startswith("p"):
        p = float(subj[1:])
        f = lambda v, p=p: nearest_rank(v, p)
    elif subj == "max-rt":
        f = max
    else:
        f = pstdev
    want, start = worst(label, w, f)
    got = item["value"]
    ok = abs(got - want) <= 1e-9 * max(1.0, abs(want)) * (1e3 if subj == "stdev-rt" else 1)
    check(ok, "%s: %s = recomputed %s" % (crit, got, want))
    check(item["window"]["start"].endswith(":%02d.000Z" % (start % 60)),
          "%s: the window from second %d (%s)" % (crit, start % 60, item["window"]["start"]))
