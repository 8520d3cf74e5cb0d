import os

from jtlcheck import DATA, equal, stats

total = open(os.path.join(DATA, "jmeter-nginx/none.xml.jtl"), "rb").read().count(b"</httpSample>")
t = stats()["Total"]
equal(t["sampleCount"], total - 1, "samples: all but the one hit")
equal(t["_meta"]["skippedRecords"], 1, "skipped records")
