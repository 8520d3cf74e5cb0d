from jtlcheck import equal, stats

t = stats()["Total"]
equal(t["firstStart"], 1600000000000, "the run starts at the earliest sample")
