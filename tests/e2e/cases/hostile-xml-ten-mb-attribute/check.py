from jtlcheck import equal, stats

d = stats()
equal(d["Total"]["sampleCount"], 2, "samples")
equal(sorted(d), ["Total", "a", "c"], "rows: the samples before and after")
