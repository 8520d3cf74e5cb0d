from jtlcheck import equal, stats

equal(stats()["Total"]["sampleCount"], 20, "samples")
