from jtlcheck import equal, path, stats

n = open(path("appended.xml"), "rb").read().count(b"</httpSample>")
t = stats()["Total"]
equal(t["sampleCount"], n, "samples: those of both runs")
equal(t["_meta"]["skippedRecords"], 0, "skipped records")
