import re

from jtlcheck import check, load, require, text

w = load("w.json")["retry_after"]["wait_after_429_s"]
m = re.search(r"wait before the next request after a refusal: ([0-9.]+) s "
              r"\(p10\), ([0-9.]+) s \(median\), ([0-9.]+) s \(p90\)",
              text("w.txt"))
require(m, "the text has the wait line")
got = [float(x) for x in m.groups()]
want = [w[k] for k in ("p10", "p50", "p90")]
check(all(abs(g - x) <= 0.0051 for g, x in zip(got, want)),
      "text p10/median/p90 %s = the JSON's %s to 0.01 s" % (got, want))
check(w["count"] > 1000 and 0 < w["p10"] <= w["p50"] <= w["p90"] < 2,
      "over 1000 waits, ordered, under 2 s: %s" % w)
