from jtlcheck import equal, load

a, b = load("first.json"), load("after.json")
for k in ("samples", "throttled", "verdict", "mechanism"):
    equal(a[k], b[k], "controller rows first: %s as with them after (%s)" % (k, b[k]))
equal(a["input"]["transactions"], b["input"]["transactions"], "the same transactions")
equal(a["input"]["rows_standing_for_requests"], 0, "no controller row taken for its requests")
