from jtlcheck import equal, stats

equal(stats()["Total"]["sampleCount"], 6, "samples")
