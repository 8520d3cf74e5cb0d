from jtlcheck import equal, stats

equal(stats()["Total"]["sampleCount"], 10, "samples")
