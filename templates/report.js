/* report.js - small progressive enhancements of the jtlscope report: the
   page is complete without it.  Sorts tables on a header click (numbers
   numerically, "-" last), closes an enlarged chart with Escape.  Loads
   nothing and uses no data but what is already in the page. */
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

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && location.hash && document.querySelector("figure.chart:target")) {
      location.hash = "#charts";
    }
  });
})();
