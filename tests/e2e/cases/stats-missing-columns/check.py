# With success cut out, the errors are the samples whose code is not 2xx or
# 3xx: the same as the run's own success column says (nginx answers 200 or
# 429, and JMeter marks the 429s failed).
from jtlcheck import equal, load, rows, DATA

orig = rows(DATA + "/jmeter-nginx/per-endpoint.csv.jtl")
bad = sum(1 for r in orig if not r["responseCode"][:1] in ("2", "3"))
failed = sum(1 for r in orig if r["success"] != "true")
equal(failed, bad, "in the real run, success is false exactly for the non-2xx/3xx codes")
equal(load("cut.json")["Total"]["errorCount"], bad, "without the column: errors from the codes")
equal(load("cut.json")["Total"]["errorCount"], load("full.json")["Total"]["errorCount"],
      "the same errors as with the column")
