import json
import os
import re

from jtlcheck import check, equal, load, path, require, text

t = load("many/throttle.json")
labels = [s for s in t["scopes"] if s["scope"] == "label"]
om = t["scopes_omitted"]
equal(len(labels), 200, "labels analysed one by one")
names = {s["name"] for s in labels}
check({"busy 0", "busy 1", "busy 2"} <= names, "the busy labels are kept")
# 19 500 one-sample labels + 3 busy ones: 19 503 labels, 200 kept
check(om["labels"] == 19503 - 200 and om["label_samples"] == om["labels"],
      "the other 19 303 labels and their samples counted: %s" % om)
equal(om["groups"], 0, "thread groups omitted")
check(any("200 busiest" in n for n in t["notes"]), "a note says so: %s" % t["notes"])
equal(t["samples"], 26000, "samples")
size = os.path.getsize(path("many/statistics.json"))
check(size > 16 << 20, "statistics.json is over 16 MB (%d)" % size)
page = text("many/index.html")
m = re.search(r'<script type="application/json" id="jtl-data">(.*?)</script>', page, re.S)
require(m, "the page has its data block")
data = json.loads(m.group(1))
check(data["statistics"] is None and data["throttle"]["samples"] == 26000,
      "the page embeds throttle.json, not statistics.json")
equal(data["not_embedded"], {"statistics.json": size}, "not_embedded")
check(len(page) < 8 << 20, "the page stays under 8 MB (%d)" % len(page))

g = load("grouped.json")
glabels = {s["name"]: s for s in g["scopes"] if s["scope"] == "label"}
equal(sorted(glabels), ["GET /item/{id}", "busy 0", "busy 1", "busy 2"],
      "grouped: the ids are one endpoint")
equal(glabels["GET /item/{id}"]["labels"], 19500, "the endpoint stands for 19 500 labels")
equal(g["scopes_omitted"]["labels"], 0, "grouped: no label omitted")
