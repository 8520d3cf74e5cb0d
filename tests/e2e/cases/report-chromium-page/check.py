# The page in Chromium: no console message at all (no error, no CSP
# violation), no network request (Chromium's net log records every URL
# request; none may come from the page), the scripts ran (html marked), and
# the verdict, its findings and the Total statistics in the rendered DOM are
# those of throttle.json and statistics.json.
import html.parser
import json

from jtlcheck import check, load, path, text


class DOM(html.parser.HTMLParser):
    """Text of id'd elements, table rows, script and img elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.scripts, self.imgs = [], {}, 0, []
        self.classes, self.rows, self.row, self.cell = {}, {}, None, None
        self.table = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "html":
            self.classes["<html>"] = a.get("class", "")
        if tag == "img":
            self.imgs.append(a.get("src", ""))
        if tag == "table":
            self.table = a.get("id")
            if self.table:
                self.classes[self.table] = a.get("class", "")
        if tag == "tr":
            self.row = []
        if tag in ("td", "th") and self.row is not None:
            self.cell = ""
        if tag not in ("img", "meta", "br", "link", "input"):
            self.stack.append(a.get("id"))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        if tag == "tr" and self.row is not None:
            self.rows.setdefault(self.table, []).append(self.row)
            self.row = None
        if tag not in ("img", "meta", "br", "link", "input") and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        for i in self.stack:
            if i:
                self.text[i] = self.text.get(i, "") + data
        if self.cell is not None:
            self.cell += data


dom = DOM()
dom.feed(text("normal.dom.html"))
thr = load("report/throttle.json")
st = load("report/statistics.json")

head = dom.text.get("verdict-headline", "")
check("confidence " + thr["confidence"] in head and thr["verdict"] in head.lower(),
      "verdict headline in the DOM has throttle.json's verdict and confidence")
why = " ".join(dom.text.get("verdict-why", "").split())
check(thr["why"] and all(" ".join(w.split()) in why for w in thr["why"]),
      "every finding of throttle.json's why is in the DOM's list")
total = [r for r in dom.rows.get("stats-table", []) if r and r[0] == "Total"]
check(len(total) == 1, "Total row in the rendered statistics table")
if total:
    check(total[0][1] == str(st["Total"]["sampleCount"]),
          "Total samples in the DOM = statistics.json (%s)" % total[0][1])
    check(total[0][2] == str(st["Total"]["errorCount"]),
          "Total errors in the DOM = statistics.json (%s)" % total[0][2])
check("js" in dom.classes.get("<html>", "").split(),
      "the page's script ran without error (html marked)")
check(dom.scripts == 4, "four script elements: the data, the charts' data, "
      "Chart.js, report.js")
check(len(dom.imgs) >= 8 or not any(dom.imgs),
      "chart images present (%d)" % len(dom.imgs))
check(all(s.startswith("data:image/") for s in dom.imgs if s),
      "every image is a data: URI")

console = [l for l in text("normal.log", errors="replace").splitlines() if "CONSOLE" in l]
check(not console, "no console message (%s)" % (console[:2],))

net = json.load(open(path("normal.netlog.json"), encoding="utf-8"))
types = {v: k for k, v in net["constants"]["logEventTypes"].items()}
page = []
for e in net.get("events", []):
    p = e.get("params") or {}
    if types.get(e["type"]) != "URL_REQUEST_START_JOB" or "url" not in p:
        continue
    # requests made for the page carry its file:// network isolation key;
    # Chromium's own background requests have none
    if "file://" in p.get("network_isolation_key", "") and \
            not p["url"].startswith(("file:", "data:")):
        page.append(p["url"])
check(not page, "no network request from the page %s" % (page[:3],))
