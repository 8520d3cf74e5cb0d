from jtlcheck import check, equal, stats

d = stats()
equal(d["Total"]["sampleCount"], 1, "samples")
check("a" in d, "the label is what is left without the entities: a")
