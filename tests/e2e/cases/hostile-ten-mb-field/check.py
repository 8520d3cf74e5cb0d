from jtlcheck import check, stats

t = stats()["Total"]
check(t["_meta"]["skippedRecords"] == 1 and t["_meta"]["damaged"],
      "one record skipped, the input marked damaged")
