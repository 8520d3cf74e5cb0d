from jtlcheck import equal, stats

t = stats()["Total"]
equal(t["sampleCount"], 1080, "samples")
equal(t["_meta"]["files"][0]["name"], "-", "the input's name")
