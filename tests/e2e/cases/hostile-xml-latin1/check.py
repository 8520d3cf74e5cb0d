from jtlcheck import equal, stats

d = stats()
equal(d.get("caf\u00e9", {}).get("sampleCount"), 1, "the label caf\u00e9, decoded")
