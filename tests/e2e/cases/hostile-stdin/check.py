from jtlcheck import equal, stats

equal(stats()["Total"]["sampleCount"], 2000, "samples")
