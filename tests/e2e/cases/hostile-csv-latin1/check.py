from jtlcheck import check, equal, stats

d = stats()
equal(d["Total"]["sampleCount"], 4, "samples")
check("caf\ufffd \ufffd\ufffd" in d, "the label kept, its bad bytes U+FFFD")
