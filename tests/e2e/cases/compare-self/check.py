from jtlcheck import check, equal, load

j = load("self.json")
equal(sorted({l["change"] for l in j["labels"]}), ["same"], "every label the same")
check(all(v == 0 for l in j["labels"] for v in l["delta"].values()),
      "every delta 0")
check(all(l["p_value"] == 1 for l in j["labels"]), "p-value 1 for identical runs")
equal(j["failed"], [], "no --fail-if fired")
