from jtlcheck import equal, stats

t = stats()["Total"]
equal(t["sampleCount"], 12, "samples")
equal(t["_meta"]["skippedRecords"], 2, "skipped records")
