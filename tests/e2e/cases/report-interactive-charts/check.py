# Hover: the tooltip shows the values of the interval under the pointer,
# the same as the chart's .dat file.  Toggle: a click on a legend entry
# hides its series, a second shows it.  Zoom: a drag across the plot
# narrows the x axis to the dragged span, a double-click restores it.  And
# no script error, and every chart with data is live.
import os
import time

import cdp
from jtlcheck import OUT, check, equal, require

CHART = "chart-01-throughput"


def dat_rows(name):
    rows = [l.rstrip("\n").split("\t") for l in
            open(os.path.join(OUT, "r", name + ".dat"), encoding="utf-8")]
    return rows[0], [[float(x) for x in r] for r in rows[1:]]


def geometry(b, s, name):
    return b.evaluate(s, """
      const f = document.getElementById(%r);
      f.scrollIntoView({block: "center"});
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
      const c = f.querySelector("canvas"), ch = c.jtlChart, r = c.getBoundingClientRect();
      return {left: r.left, top: r.top, area: ch.chartArea,
              legend: ch.legend.legendItems.map((it, i) => ({text: it.text,
                 box: ch.legend.legendHitBoxes[i], index: it.datasetIndex}))};
    """ % name)


def state(b, s, name):
    # Chart.js handles events on the next animation frame
    return b.evaluate(s, """
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
      const ch = document.getElementById(%r).querySelector("canvas").jtlChart;
      const act = ch.tooltip.getActiveElements();
      return {active: act.map(a => ({ds: ch.data.datasets[a.datasetIndex].label,
                                     x: ch.data.datasets[a.datasetIndex].data[a.index].x,
                                     y: ch.data.datasets[a.datasetIndex].data[a.index].y})),
              visible: ch.data.datasets.map((d, i) => ch.isDatasetVisible(i)),
              labels: ch.data.datasets.map(d => d.label),
              min: ch.scales.x.min, max: ch.scales.x.max};
    """ % name)


for page in ("r/index.html", "alone.html"):
    b = cdp.Browser()
    try:
        s = b.open(os.path.join(OUT, page), 1400, 900)
        info = b.evaluate(s, """
          return {live: document.querySelectorAll("figure.live-on").length,
                  wanted: document.querySelectorAll("figure[data-chart]").length,
                  chart: typeof Chart};""")
        check(info["chart"] == "function", "%s: Chart.js ran" % page)
        check(info["live"] == info["wanted"] and info["live"] >= 5,
              "%s: every chart with data is live (%d of %d)" % (page, info["live"], info["wanted"]))
        if page != "r/index.html":
            continue
        g = geometry(b, s, CHART)
        a = g["area"]
        home = state(b, s, CHART)
        # hover over the middle of the plot
        x, y = g["left"] + (a["left"] + a["right"]) / 2, g["top"] + (a["top"] + a["bottom"]) / 2
        b.mouse(s, "mouseMoved", x, y)
        st = state(b, s, CHART)
        require(st["active"], "hover: the tooltip shows values")
        head, rows = dat_rows(CHART)
        acc = [e for e in st["active"] if e["ds"] == "accepted"]
        check(acc, "hover: the accepted requests are among them")
        if acc:
            row = min(rows, key=lambda r: abs(r[0] - acc[0]["x"]))
            equal(acc[0]["y"], row[1], "hover: the accepted value is the .dat's at x=%g" % acc[0]["x"])
        # toggle "accepted" off and on with clicks on its legend entry
        for want in (False, True):
            time.sleep(0.6)  # two clicks closer than this are a double-click
            g = geometry(b, s, CHART)
            item = next(i for i in g["legend"] if i["text"] == "accepted")
            bx = g["left"] + item["box"]["left"] + item["box"]["width"] / 2
            by = g["top"] + item["box"]["top"] + item["box"]["height"] / 2
            b.mouse(s, "mouseMoved", bx, by)
            b.mouse(s, "mousePressed", bx, by, "left", 1)
            b.mouse(s, "mouseReleased", bx, by, "left", 1)
            st = state(b, s, CHART)
            check(st["visible"][item["index"]] is want,
                  "legend click: 'accepted' %s" % ("shown again" if want else "hidden"))
        # drag from 25 % to 50 % of the plot: the x axis shows that span
        x0 = g["left"] + a["left"] + 0.25 * (a["right"] - a["left"])
        x1 = g["left"] + a["left"] + 0.50 * (a["right"] - a["left"])
        b.mouse(s, "mousePressed", x0, y, "left", 1)
        for k in range(1, 6):
            b.mouse(s, "mouseMoved", x0 + (x1 - x0) * k / 5, y, "left")
        b.mouse(s, "mouseReleased", x1, y, "left", 1)
        z = state(b, s, CHART)
        span = home["max"] - home["min"]
        check(abs(z["min"] - (home["min"] + 0.25 * span)) < 0.02 * span and
              abs(z["max"] - (home["min"] + 0.50 * span)) < 0.02 * span,
              "drag: the x axis zoomed to %.2f-%.2f (of %.2f-%.2f)" % (z["min"], z["max"], home["min"], home["max"]))
        b.mouse(s, "mousePressed", x0, y, "left", 2)
        b.mouse(s, "mouseReleased", x0, y, "left", 2)
        r = state(b, s, CHART)
        check(abs(r["min"] - home["min"]) < 1e-9 and abs(r["max"] - home["max"]) < 1e-9,
              "double-click: the whole run again")
        errors = [e for e in b.events if e.get("method") in
                  ("Runtime.exceptionThrown",) or
                  (e.get("method") == "Runtime.consoleAPICalled" and
                   e["params"].get("type") in ("error", "warning"))]
        check(not errors, "no script error or warning (%s)" % errors[:1])
    finally:
        b.close()
