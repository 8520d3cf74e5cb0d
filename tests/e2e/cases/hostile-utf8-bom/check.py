from jtlcheck import equal, stats

d = stats()
equal(sorted(d), ["L", "Total"], "rows: the label L and Total (the BOM is not in a name)")
equal(d["Total"]["codes"], {"200": 15, "429": 5}, "codes")
