from jtlcheck import check, load

t = load("damaged.json")["Total"]
check(t["sampleCount"] == 1933 and t["_meta"]["skippedRecords"] == 1,
      "the 1933 good samples, 1 record skipped")
