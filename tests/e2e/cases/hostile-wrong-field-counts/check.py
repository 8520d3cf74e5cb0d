from jtlcheck import equal, stats

t = stats()["Total"]
equal(t["_meta"]["skippedRecords"], 2, "skipped records")
