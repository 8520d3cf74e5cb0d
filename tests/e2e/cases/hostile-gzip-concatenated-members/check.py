from jtlcheck import equal, stats

equal(stats()["Total"]["sampleCount"], 2500, "samples")
