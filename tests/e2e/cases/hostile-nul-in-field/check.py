from jtlcheck import equal, stats

d = stats()
equal(d.get("A\x00B", {}).get("sampleCount"), 1, "the label A<NUL>B has its sample")
