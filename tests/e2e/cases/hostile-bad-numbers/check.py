from jtlcheck import check, stats

t = stats()["Total"]
check(t["_meta"]["skippedRecords"] == 8 and t["maxResTime"] == 10.0 and
      t["receivedBytes"] == 1000,
      "8 records skipped; none of their values reached max or bytes")
