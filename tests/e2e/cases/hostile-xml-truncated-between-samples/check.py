from jtlcheck import equal, path, stats

n = open(path("between.xml"), "rb").read().count(b"</httpSample>")
t = stats()["Total"]
equal(t["sampleCount"], n, "samples: every one before the cut")
equal(t["_meta"]["skippedRecords"], 0, "skipped records")
