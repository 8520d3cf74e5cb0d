import re

from jtlcheck import check, equal, load, require, text

w = load("w.json")["retry_after"]["wait_after_429_s"]
m = re.search(r"wait from a 429 to the next request: ([0-9.]+) s \(p10\), "
              r"([0-9.]+) s \(median\), ([0-9.]+) s \(p90\)", text("w.txt"))
require(m, "the text has the wait line")
equal([float(x) for x in m.groups()], [w["p10"], w["p50"], w["p90"]],
      "text p10/median/p90 = the JSON's")
check(w["count"] > 1000 and 0 < w["p10"] <= w["p50"] <= w["p90"] < 2,
      "over 1000 waits, ordered, under 2 s: %s" % w)
