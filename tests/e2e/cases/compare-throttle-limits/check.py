from jtlcheck import check, equal, load

j = load("t.json")
t = j["throttle"]
check(abs(t["baseline"]["limit_per_s"] - 50) < 2 and abs(t["current"]["limit_per_s"] - 30) < 2,
      "limits 50 and 30 found: %s, %s" % (t["baseline"]["limit_per_s"], t["current"]["limit_per_s"]))
check("the limit moved from 50.0 to 30.0 requests/s" in t["change"],
      "the change names both limits: %s" % t["change"])
equal(j["failed"], ["limit -20%"], "limit -20% fired")
