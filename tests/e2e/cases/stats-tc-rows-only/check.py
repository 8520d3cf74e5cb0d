from jtlcheck import check, equal, stats

t = stats()
check(t["Total"]["sampleCount"] == 0 and t["Total"]["errors"] == [], "Total: no sample, no error")
equal(sum(t[k]["sampleCount"] for k in t if k != "Total"), 2, "samples in the label rows")
check(all(t[k]["isController"] and t[k]["topErrors"] == [] for k in t if k != "Total"),
      "every label a controller without errors")
