#!/bin/sh
# SPDX-License-Identifier: MIT
# report_chromium.sh - index.html opened in headless Chromium: it loads
# with no console message at all (no error, no CSP violation), makes no
# network request (Chromium's net log, which records every URL request, has
# none from the page), the scripts ran (sortable tables marked), and the
# verdict sentence and the Total statistics are in the rendered DOM with
# the values of throttle.json and statistics.json.  A report of hostile
# labels renders with exactly our two script elements and no injected
# element.  Skips (77) without chromium or python3.
# Args: $1 jtlscope  $2 tests/data  $3 samples  $4 scratch dir
set -u
BIN=$1
SAMPLES=$3
OUT=$4
fail=0
CHROME=""
for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then
        CHROME=$c
        break
    fi
done
[ -n "$CHROME" ] || {
    echo "SKIP: chromium is not installed (tests/install-deps.sh --test)"
    exit 77
}
command -v python3 >/dev/null 2>&1 || {
    echo "SKIP: python3 is not installed"
    exit 77
}
rm -rf "$OUT"
mkdir -p "$OUT"

ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fail=1; }

# Headless, a throw-away profile, Chromium's own background traffic off,
# every host name unresolvable; the net log still records any request the
# page would make.
browse() { # name, page
    rm -rf "$OUT/$1.profile"
    timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu \
        --user-data-dir="$OUT/$1.profile" --no-first-run \
        --disable-background-networking --disable-component-update \
        --disable-sync --disable-default-apps --disable-breakpad \
        --disable-features=Translate,OptimizationHints,MediaRouter \
        --host-resolver-rules="MAP * ~NOTFOUND" \
        --enable-logging=stderr --v=0 \
        --log-net-log="$OUT/$1.netlog.json" \
        --virtual-time-budget=3000 \
        --dump-dom "file://$2" >"$OUT/$1.dom.html" 2>"$OUT/$1.log"
}

# --- a normal report ---------------------------------------------------------
D=$OUT/report
"$BIN" report -q -o "$D" "$SAMPLES/threshold-rate.csv.jtl" ||
    bad "report runs"
H=$D/index.html

# static: nothing in the file points outside it
if grep -q -i -E '(src|href|action)=["'"'"']?(https?:|//)|url\(["'"'"']?(https?:|//)|@import' "$H"; then
    bad "no external URL in src/href/url()/@import"
else
    ok "no external URL in src/href/url()/@import"
fi
grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$H" &&
    ok "CSP forbids every network request" ||
    bad "CSP forbids every network request"

browse normal "$H"
[ -s "$OUT/normal.dom.html" ] && ok "chromium rendered the page" ||
    { bad "chromium rendered the page"; tail -5 "$OUT/normal.log"; }

python3 - "$OUT/normal" "$D" <<'PY' || fail=1
import html.parser, json, sys
base, d = sys.argv[1], sys.argv[2]
bad = 0
def check(cond, what):
    global bad
    print(("ok   " if cond else "FAIL ") + what)
    bad |= not cond

class DOM(html.parser.HTMLParser):
    """Text of id'd elements, table rows, script and img elements."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.scripts, self.imgs = [], {}, 0, []
        self.classes, self.rows, self.row, self.cell = {}, {}, None, None
        self.table = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script": self.scripts += 1
        if tag == "html": self.classes["<html>"] = a.get("class", "")
        if tag == "img": self.imgs.append(a.get("src", ""))
        if tag == "table":
            self.table = a.get("id")
            if self.table: self.classes[self.table] = a.get("class", "")
        if tag == "tr": self.row = []
        if tag in ("td", "th") and self.row is not None: self.cell = ""
        if tag not in ("img", "meta", "br", "link", "input"):
            self.stack.append(a.get("id"))
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip()); self.cell = None
        if tag == "tr" and self.row is not None:
            self.rows.setdefault(self.table, []).append(self.row)
            self.row = None
        if tag not in ("img", "meta", "br", "link", "input") and self.stack:
            self.stack.pop()
    def handle_data(self, data):
        for i in self.stack:
            if i: self.text[i] = self.text.get(i, "") + data
        if self.cell is not None: self.cell += data

dom = DOM()
dom.feed(open(base + ".dom.html", encoding="utf-8").read())
thr = json.load(open(d + "/throttle.json", encoding="utf-8"))
st = json.load(open(d + "/statistics.json", encoding="utf-8"))

check(dom.text.get("verdict-sentence", "").strip() == thr["sentence"],
      "verdict sentence in the DOM equals throttle.json")
total = [r for r in dom.rows.get("stats-table", []) if r and r[0] == "Total"]
check(len(total) == 1, "Total row in the rendered statistics table")
if total:
    check(total[0][1] == str(st["Total"]["sampleCount"]),
          "Total samples in the DOM = statistics.json (%s)" % total[0][1])
    check(total[0][2] == str(st["Total"]["errorCount"]),
          "Total errors in the DOM = statistics.json (%s)" % total[0][2])
check("js" in dom.classes.get("<html>", "").split(),
      "the page's script ran without error (html marked)")
check(dom.scripts == 2, "two script elements")
check(len(dom.imgs) >= 8 or not any(dom.imgs) ,
      "chart images present (%d)" % len(dom.imgs))
check(all(s.startswith("data:image/") for s in dom.imgs if s),
      "every image is a data: URI")

log = open(base + ".log", encoding="utf-8", errors="replace").read()
console = [l for l in log.splitlines() if "CONSOLE" in l]
check(not console, "no console message (%s)" % (console[:2],))

net = json.load(open(base + ".netlog.json", encoding="utf-8"))
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
sys.exit(bad)
PY

# --- hostile labels ----------------------------------------------------------
J=$OUT/hostile.csv
awk 'BEGIN {
    print "timeStamp,elapsed,label,responseCode,responseMessage,threadName,success,bytes,grpThreads,allThreads"
    lab[0] = "<script>alert(1)</script>"
    lab[1] = "\"\"><img src=x onerror=alert(1)>"
    lab[2] = "</script><script>alert(2)</script>"
    lab[3] = "a\342\200\250b \377"
    for (i = 0; i < 400; i++)
        printf "%.0f,%d,\"%s\",%s,OK,\"T <b>1</b> 1-%d\",%s,10,4,4\n",
            1700000000000 + i * 40, 3 + i % 5, lab[i % 4],
            (i % 3 == 0 ? "429" : "200"), i % 4 + 1,
            (i % 3 == 0 ? "false" : "true")
}' >"$J"
D2=$OUT/hostile
"$BIN" report -q -o "$D2" "$J" || bad "hostile report runs"
browse hostile "$D2/index.html"
python3 - "$OUT/hostile" <<'PY' || fail=1
import sys, re
dom = open(sys.argv[1] + ".dom.html", encoding="utf-8").read()
log = open(sys.argv[1] + ".log", encoding="utf-8", errors="replace").read()
bad = 0
def check(cond, what):
    global bad
    print(("ok   " if cond else "FAIL ") + what)
    bad |= not cond
check(len(re.findall(r"<script\b", dom)) == 2, "hostile: two script elements")
check(not re.search(r'<img[^>]*src="x"', dom), "hostile: no injected img")
check(not re.search(r"<b>1</b>", dom), "hostile: no injected markup")
check("&lt;script&gt;alert(1)&lt;/script&gt;" in dom,
      "hostile: label rendered as text")
check("CONSOLE" not in log, "hostile: no console message")
sys.exit(bad)
PY
exit $fail
