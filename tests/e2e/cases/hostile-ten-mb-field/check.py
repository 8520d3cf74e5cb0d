from jtlcheck import check, equal, stats

t = stats()["Total"]
equal(t["sampleCount"], 6, "samples")
check(t["_meta"]["skippedRecords"] == 1 and t["_meta"]["damaged"],
      "one record skipped, the input marked damaged")
