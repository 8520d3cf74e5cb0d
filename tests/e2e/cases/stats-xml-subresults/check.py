from jtlcheck import check, equal, load

n = load("nested.json")["Total"]["_meta"]
ns = load("nested_sub.json")["Total"]["_meta"]
check(n["subresultsSkipped"] > 0, "by default the sub-samples are skipped (%d)" % n["subresultsSkipped"])
equal(ns["subresultsSkipped"], 0, "--subresults: none skipped")
equal(ns["samplesCounted"], n["samplesCounted"] + n["subresultsSkipped"],
      "--subresults: top level and sub-samples counted")
