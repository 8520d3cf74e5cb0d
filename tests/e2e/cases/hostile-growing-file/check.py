import re

from jtlcheck import check, equal, stats, text

rc = int(text("rc"))
err = text("stderr", errors="replace")
t = stats()["Total"]
if rc == 4:
    check(re.search(r"grow\.csv:[0-9]+: expected 17 fields, got [0-9]+ "
                    r"\(last line cut short\?\)", err),
          "exit 4: the row cut short is named")
    equal(t["_meta"]["skippedRecords"], 1, "exit 4: skipped records")
else:
    equal(rc, 0, "exit status (0, or 4 for a row cut short)")
    equal(err, "", "exit 0: stderr")
check(2000 <= t["sampleCount"] <= 4000,
      "2000 to 4000 samples (%s)" % t["sampleCount"])
