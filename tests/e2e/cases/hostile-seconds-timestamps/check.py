from jtlcheck import equal, stats

equal(stats()["Total"]["sampleCount"], 3, "samples")
