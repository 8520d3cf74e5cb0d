# One row per endpoint template with the number of labels it holds; the
# Total unchanged; the template's figures are those of all its labels.
from jtlcheck import check, equal, load

rows, grouped, plain = load("rows.json"), load("grouped.json"), load("plain.json")
labels = [k for k in rows if k != "Total"]
equal(len(labels), 471, "stats: JMeter's one row per label by default")
g = [k for k in grouped if k != "Total"]
equal(g, ["PUT /api/v2/architect/flows/{id}"], "--group-labels auto: one template")
t = grouped[g[0]]
equal(t["labels"], 471, "the template holds the 471 labels")
meta = grouped["Total"]["_meta"]
equal((meta["labelsGrouped"], meta["labelGroups"]), (471, 1), "_meta says so")
for k in ("sampleCount", "errorCount", "meanResTime", "medianResTime",
          "pct1ResTime", "pct2ResTime", "pct3ResTime", "minResTime",
          "maxResTime"):
    equal(grouped["Total"][k], rows["Total"][k], "Total %s unchanged" % k)
    equal(t[k], rows["Total"][k], "template %s = all its labels' (%s)" % (k, t[k]))
equal(sum(rows[k]["errorCount"] for k in labels), t["errorCount"],
      "the template's errors are its labels' sum")
check("(471 labels)" in open("grouped.txt").read(), "the table says (471 labels)")
check("labelsGrouped" not in plain["Total"]["_meta"] and
      all("labels" not in v for k, v in plain.items() if k != "Total"),
      "no id in the labels: nothing grouped, nothing said")
rep = load("rep/statistics.json")
equal([k for k in rep if k != "Total"], g, "report: grouped by default")
equal(len([k for k in load("off/statistics.json") if k != "Total"]), 471,
      "report --group-labels off: every label")
check("(471 labels)" in open("rep/index.html").read(),
      "index.html names the template with its 471 labels")
thr = load("rep/throttle.json")
equal([(s["name"], s["labels"]) for s in thr["scopes"] if s["scope"] == "label"],
      [(g[0], 471)], "throttle.json: one endpoint scope of 471 labels")
