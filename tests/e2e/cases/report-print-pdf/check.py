# On A4 and Letter, portrait: every statistics column header is printed, the
# Total row's p99 and throughput are on it, and each half of the statistics
# table has its last column's header on the page of its Total row (nothing
# cut); the verdict and its first finding are on page 1.  And, with the
# print stylesheet at the page's content width, no table is wider than
# the page and nothing scrolls sideways.
import html
import os
import re
import subprocess

import cdp
from jtlcheck import check, load, path, require, text

LAYOUT = r"""
const offenders = [];
for (const el of document.querySelectorAll("body *")) {
  if (el.offsetParent === null && getComputedStyle(el).position !== "fixed") continue;
  const r = el.getBoundingClientRect();
  if (r.width === 0) continue;
  if (r.right > innerWidth + 1) offenders.push(el.tagName + "#" + el.id + "." + el.className + " right " + Math.round(r.right));
  const ox = getComputedStyle(el).overflowX;
  if ((ox === "auto" || ox === "scroll") && el.scrollWidth > el.clientWidth + 1)
    offenders.push(el.tagName + "." + el.className + " scrolls");
}
return {width: innerWidth, offenders: offenders.slice(0, 5), count: offenders.length};
"""


def screen_total(report):
    """Header and Total row of the screen statistics table, as text."""
    page = text(report + "/index.html")
    table = page[page.index('id="stats-table"'):]
    table = table[:table.index("</table>")]
    cells = lambda row: [html.unescape(re.sub(r"<[^>]*>", "", c)).strip()
                         for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
    head = cells(table[table.index("<thead>"):table.index("</thead>")])
    body = table[table.index('<tbody class="total">'):]
    total = cells(body[:body.index("</tbody>")])
    return head, dict(zip(head, total))


def pages(pdf):
    out = subprocess.run(["pdftotext", "-layout", pdf, "-"], check=True,
                         capture_output=True, text=True).stdout
    return out.split("\f")


def squeeze(s):
    return " ".join(s.split())


browser = cdp.Browser()
try:
    for report in ("sample", "wide"):
        head, total = screen_total(path(report))
        st = load(report + "/statistics.json")["Total"]
        check(len(head) >= 16, "%s: the screen table has %d columns" % (report, len(head)))
        p99 = [h for h in head if h.lower() == "p99"]
        require(p99, "%s: a p99 column" % report)
        check(abs(float(total["p99"].replace(",", "")) - st["percentiles"]["99"]) < 0.5,
              "%s: the Total p99 shown (%s) is statistics.json's (%s)" % (report, total["p99"], st["percentiles"]["99"]))
        check(abs(float(total["Throughput"].replace(",", "")) - st["throughput"]) < 0.01,
              "%s: the Total throughput shown (%s) is statistics.json's (%.3f)" % (report, total["Throughput"], st["throughput"]))
        sess = browser.open(path(report + "/index.html"))
        for paper in ("a4", "letter"):
            pdf = path("%s-%s.pdf" % (report, paper))
            with open(pdf, "wb") as f:
                f.write(browser.pdf(sess, paper))
            pg = pages(pdf)
            tag = "%s on %s" % (report, paper)
            check(len(pg) >= 2, "%s: %d pages" % (tag, len(pg)))
            first = squeeze(pg[0])
            if report == "sample":
                thr = load("sample/throttle.json")
                check("Verdict:" in first and squeeze(thr["why"][0])[:60] in first,
                      "%s: the verdict and its first finding on page 1" % tag)
            alltext = squeeze(" ".join(pg))
            missing = [h for h in head if h not in alltext]
            check(not missing, "%s: every statistics column header printed (missing %s)" % (tag, missing))
            # each half of the table: the page with its Total row also has
            # the half's last column header, and the Total row carries the
            # values of its columns
            halves = [("Median", [total["Samples"], total["Median"]]),
                      ("APDEX", [total["p99"], total["Throughput"]])]
            for last, values in halves:
                hits = []
                for i, p in enumerate(pg):
                    lines = p.splitlines()
                    for j, line in enumerate(lines):
                        words = line.split()
                        if words[:1] == ["Total"] and all(v in words for v in values):
                            hits.append((i, lines[:j]))
                ok = any(any(last in l.split() and "Label" in l.split() for l in before)
                         for _, before in hits)
                check(ok, "%s: a Total row with %s, under a header ending at %s on the same page"
                      % (tag, values, last))
            # the layout itself, at the paper's content width
            w, _ = cdp.PAPER[paper]
            browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=sess)
            browser.send("Emulation.setDeviceMetricsOverride",
                         {"width": int((w * 25.4 - 20) / 25.4 * 96), "height": 1000,
                          "deviceScaleFactor": 1, "mobile": False}, session=sess)
            lay = browser.evaluate(sess, LAYOUT)
            check(lay["count"] == 0, "%s: at %d px in print, nothing wider than the page, "
                  "nothing scrolling (%s)" % (tag, lay["width"], lay["offenders"]))
            browser.send("Emulation.setEmulatedMedia", {"media": ""}, session=sess)
finally:
    browser.close()
