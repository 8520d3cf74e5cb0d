from jtlcheck import equal, check, stats, text

for target in (262142, 262143, 262144, 262145):
    name = "edge%d" % target
    equal(int(text(name + ".rc")), 0, "%s: exit status" % name)
    check("the header line again" in text(name + ".err", errors="replace"),
          "%s: stderr says the header line came again" % name)
    equal(stats(name + ".json")["Total"]["sampleCount"], 6000, "%s: samples" % name)
