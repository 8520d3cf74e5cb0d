/* report.js - progressive enhancements of the jtlscope report: the page is
   complete without it.  Sorts tables on a header click (numbers
   numerically, "-" last), draws the interactive charts (below), closes an
   enlarged chart with Escape.  Loads nothing and uses no data but what is
   already in the page. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function cellValue(td) {
    var t = (td.textContent || "").trim();
    var n = parseFloat(t.replace(/[\s,%+]/g, ""));
    if (t === "" || t === "-" || t === "\u2013") return { empty: true };
    if (!isNaN(n) && /^[+\-]?[\d\s.,]+(e[+\-]?\d+)?\s*(%|ms|s|req\/s)?$/i.test(t)) return { num: n };
    return { str: t.toLowerCase() };
  }

  function compare(a, b) {
    if (a.empty || b.empty) return (a.empty ? 1 : 0) - (b.empty ? 1 : 0);
    if (a.num !== undefined && b.num !== undefined) return a.num - b.num;
    var x = a.num !== undefined ? String(a.num) : a.str;
    var y = b.num !== undefined ? String(b.num) : b.str;
    return x < y ? -1 : x > y ? 1 : 0;
  }

  function makeSortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    var body = null;
    var i;
    /* sort the last tbody: a Total row sits in its own tbody above it */
    for (i = 0; i < table.tBodies.length; i++) body = table.tBodies[i];
    if (!body || body.rows.length < 2) return;
    table.classList.add("js");
    Array.prototype.forEach.call(heads, function (th, col) {
      th.setAttribute("tabindex", "0");
      th.setAttribute("role", "button");
      function sort() {
        var dir = th.getAttribute("aria-sort") === "descending" ? 1 : -1;
        var rows = Array.prototype.slice.call(body.rows);
        var keyed = rows.map(function (tr, idx) {
          var td = tr.cells[col];
          return { tr: tr, v: td ? cellValue(td) : { empty: true }, idx: idx };
        });
        keyed.sort(function (p, q) {
          var c = compare(p.v, q.v);
          if (p.v.empty || q.v.empty) return c || p.idx - q.idx;
          return dir * c || p.idx - q.idx;
        });
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        keyed.forEach(function (k) { body.appendChild(k.tr); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);

  /* ---- interactive charts -------------------------------------------
   * When the page carries Chart.js (embedded at build time from Debian's
   * libjs-chart.js) and the charts' data (#jtl-charts: the same series,
   * colours, axes and markers as the gnuplot images), each chart with data
   * gets a canvas above its image: values on hover, a legend entry hides
   * or shows its series, dragging across the plot zooms the x axis,
   * shift-dragging pans it, a double-click (or "Reset zoom") goes back.
   * The image stays for print and for readers without scripts. */
  var markerPlugin = {
    id: "jtlMarkers",
    afterDatasetsDraw: function (chart) {
      var marks = chart.options.plugins.jtlMarkers || [];
      var a = chart.chartArea, ctx = chart.ctx, sx = chart.scales.x;
      marks.forEach(function (m, i) {
        var px = sx.getPixelForValue(m.x);
        if (!(px >= a.left && px <= a.right)) return;
        ctx.save();
        ctx.strokeStyle = "#555555";
        ctx.lineWidth = 1.5;
        ctx.setLineDash([5, 4]);
        ctx.beginPath();
        ctx.moveTo(px, a.top);
        ctx.lineTo(px, a.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = "#333333";
        ctx.font = "12px system-ui, sans-serif";
        var right = px > a.left + 0.75 * (a.right - a.left);
        ctx.textAlign = right ? "right" : "left";
        ctx.fillText(m.text, px + (right ? -5 : 5), a.top + 14 + 16 * (i % 4));
        ctx.restore();
      });
    }
  };

  var zoomPlugin = {
    id: "jtlZoom",
    afterDraw: function (chart) {
      var z = chart.$jtlZoom;
      if (!z || z.from === null || z.pan) return;
      var a = chart.chartArea, ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = "rgba(0, 114, 178, 0.15)";
      ctx.fillRect(Math.min(z.from, z.to), a.top, Math.abs(z.to - z.from), a.bottom - a.top);
      ctx.restore();
    }
  };

  function setRange(chart, min, max) {
    chart.options.scales.x.min = min;
    chart.options.scales.x.max = max;
    chart.update("none");
    var b = chart.$jtlReset;
    if (b) b.hidden = min === chart.$jtlHome.min && max === chart.$jtlHome.max;
  }

  function attachZoom(chart, canvas) {
    var z = chart.$jtlZoom = { from: null, to: null, pan: false, min: 0, max: 0 };
    function xOf(e) { var r = canvas.getBoundingClientRect(); return e.clientX - r.left; }
    function inside(e) {
      var a = chart.chartArea, r = canvas.getBoundingClientRect();
      var x = e.clientX - r.left, y = e.clientY - r.top;
      return x >= a.left && x <= a.right && y >= a.top && y <= a.bottom;
    }
    canvas.addEventListener("mousedown", function (e) {
      if (e.button !== 0 || !inside(e)) return;
      z.from = z.to = xOf(e);
      z.pan = e.shiftKey;
      z.min = chart.scales.x.min;
      z.max = chart.scales.x.max;
      e.preventDefault();
    });
    window.addEventListener("mousemove", function (e) {
      if (z.from === null) return;
      var a = chart.chartArea;
      z.to = Math.max(a.left, Math.min(a.right, xOf(e)));
      if (z.pan) {
        var sx = chart.scales.x;
        var d = sx.getValueForPixel(z.from) - sx.getValueForPixel(z.to);
        setRange(chart, z.min + d, z.max + d);
        z.from = z.to;
        z.min = chart.scales.x.min;
        z.max = chart.scales.x.max;
      } else {
        chart.draw();
      }
    });
    window.addEventListener("mouseup", function () {
      if (z.from === null) return;
      var from = z.from, to = z.to, pan = z.pan, sx = chart.scales.x;
      z.from = null;
      if (!pan && Math.abs(to - from) > 5) {
        var a = sx.getValueForPixel(Math.min(from, to));
        var b = sx.getValueForPixel(Math.max(from, to));
        setRange(chart, a, b);
      } else {
        chart.draw();
      }
    });
    canvas.addEventListener("dblclick", function () {
      setRange(chart, chart.$jtlHome.min, chart.$jtlHome.max);
    });
  }

  function datasets(spec) {
    var n = spec.series.length, base = null;
    spec.series.forEach(function (s) { if (!base && s.x) base = s.x; });
    return spec.series.map(function (s, i) {
      var xs = s.x || base || [spec.xmin || 0, spec.xmax || 1];
      var data = xs.map(function (x, k) {
        return { x: x, y: s.constant !== undefined ? s.constant : s.y[k] };
      });
      var d = {
        label: s.name || "", data: data, parsing: false, normalized: true,
        borderColor: s.color, backgroundColor: s.color, borderWidth: s.width,
        pointRadius: 0, pointHoverRadius: 4, pointHitRadius: 6,
        yAxisID: s.y2 ? "y2" : "y", spanGaps: false, order: n - i,
        stepped: false, fill: false, showLine: true
      };
      if (s.dashed) d.borderDash = [6, 4];
      d.pointStyle = s.style === "fill" ? "rect" : s.style === "points" ? "circle" : "line";
      /* gnuplot's steps: a value holds until the next x */
      if (s.style === "steps") d.stepped = "before";
      if (s.style === "fill") { d.stepped = "before"; d.fill = "origin"; d.borderWidth = 0; }
      if (s.style === "points") { d.showLine = false; d.pointRadius = 3; }
      if (s.style === "linespoints") d.pointRadius = 2.5;
      return d;
    });
  }

  /* x: the range the gnuplot chart has; y: at least its range, on round
     ticks (its top makes room for the markers' words) */
  function axis(title, min, max, log, soft) {
    var a = { title: { display: !!title, text: title || "" }, grid: { color: "#eeeeee" } };
    a.type = log ? "logarithmic" : "linear";
    if (min !== undefined) a.min = min;
    if (max !== undefined) a[soft ? "suggestedMax" : "max"] = max;
    return a;
  }

  function liveChart(fig, spec) {
    var title = (fig.querySelector("figcaption strong") || {}).textContent || "";
    var box = document.createElement("div");
    var canvas = document.createElement("canvas");
    var bar = document.createElement("div");
    var reset = document.createElement("button");
    box.className = "live";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", title.replace(/\.$/, "") + " (interactive)");
    box.appendChild(canvas);
    bar.className = "live-tools";
    bar.appendChild(document.createTextNode(
      "Hover for values; click a legend entry to hide or show it; drag across the plot to zoom, shift-drag to pan, double-click to reset. "));
    reset.type = "button";
    reset.textContent = "Reset zoom";
    reset.hidden = true;
    bar.appendChild(reset);
    fig.insertBefore(bar, fig.firstChild);
    fig.insertBefore(box, fig.firstChild);
    var y2 = spec.series.some(function (s) { return s.y2; });
    var scales = {
      x: axis(spec.xlabel, spec.xmin, spec.xmax, spec.xlog),
      y: axis(spec.ylabel, spec.ymin, spec.ymax, false, true)
    };
    if (y2) {
      scales.y2 = axis(spec.y2label, spec.y2min, spec.y2max, false, true);
      scales.y2.position = "right";
      scales.y2.grid = { drawOnChartArea: false };
    }
    var chart = new window.Chart(canvas, {
      type: "line",
      data: { datasets: datasets(spec) },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: scales,
        plugins: {
          legend: {
            position: "bottom",
            labels: {
              usePointStyle: true,
              filter: function (it) { return it.text !== ""; },
              sort: function (a, b) { return a.datasetIndex - b.datasetIndex; }
            }
          },
          tooltip: {
            filter: function (it) { return it.dataset.label !== "" && it.parsed.y !== null; },
            callbacks: {
              title: function (items) {
                return items.length ? spec.xlabel + ": " + Number(items[0].parsed.x.toPrecision(6)) : "";
              }
            }
          },
          jtlMarkers: spec.markers || []
        }
      },
      plugins: [markerPlugin, zoomPlugin]
    });
    chart.$jtlHome = { min: spec.xmin, max: spec.xmax };
    chart.$jtlReset = reset;
    reset.addEventListener("click", function () {
      setRange(chart, chart.$jtlHome.min, chart.$jtlHome.max);
    });
    attachZoom(chart, canvas);
    fig.classList.add("live-on");
    canvas.jtlChart = chart;
    return chart;
  }

  (function interactive() {
    var el = document.getElementById("jtl-charts");
    var specs;
    if (!el || typeof window.Chart !== "function") return;
    try { specs = JSON.parse(el.textContent); } catch (e) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("figure.chart[data-chart]"), function (fig) {
      var spec = specs[fig.getAttribute("data-chart")];
      if (spec && spec.series && spec.series.length) liveChart(fig, spec);
    });
    document.documentElement.classList.add("live-charts");
  })();

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && location.hash && document.querySelector("figure.chart:target")) {
      location.hash = "#charts";
    }
  });
})();
