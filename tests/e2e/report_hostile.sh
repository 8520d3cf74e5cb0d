#!/bin/sh
# SPDX-License-Identifier: MIT
# report_hostile.sh - labels, messages, codes and thread names from a JTL are
# untrusted.  A CSV JTL full of hostile strings (script tags, attribute
# breakers, gnuplot backticks and system(), shell $(...), ../ paths, U+2028,
# invalid UTF-8, template tags) goes through `jtlscope report`, with gnuplot
# when it is installed.  Nothing may execute, nothing may be written outside
# the report folder, file names never come from labels, the HTML shows the
# text literally (escaped), the JSON in the page cannot end its <script>,
# summary.md is escaped, and no .gp script contains any of the strings.
# Args: $1 jtlscope  $2 tests/data  $3 samples  $4 scratch dir
set -u
BIN=$1
OUT=$4
fail=0
rm -rf "$OUT"
mkdir -p "$OUT/in"

ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fail=1; }

JTL=$OUT/in/hostile.csv
# Rising load over 14 s; above 20 requests in a second the rest get 429,
# so every chart (throughput, 429 share, envelope, labels ...) is drawn
# and every label reaches the .dat files and the HTML tables.
awk -v out="$OUT" 'BEGIN {
    n = 0
    lab[n++] = "<script>alert(1)</script>"
    lab[n++] = "\"\"><img src=x onerror=alert(1)>"
    lab[n++] = "`touch " out "/pwned-bt`"
    lab[n++] = "system(\"\"touch " out "/pwned-sys\"\")"
    lab[n++] = "$(touch " out "/pwned-dollar)"
    lab[n++] = "../../x"
    lab[n++] = "../../../tmp/jtl-evil-label"
    lab[n++] = "line\342\200\250sep and para\342\200\251sep"
    lab[n++] = "bad \377\376 utf8 \300\257"
    lab[n++] = "</script><script>alert(2)</script>"
    lab[n++] = "{{title}} {{{css}}} {{#cards}}"
    lab[n++] = "^{sup}_{sub}@ \\n %s %n"
    long = ""
    for (i = 0; i < 40; i++) long = long "long-label-"
    lab[n++] = long
    print "timeStamp,elapsed,label,responseCode,responseMessage,threadName,success,bytes,sentBytes,grpThreads,allThreads,Latency,Connect"
    t0 = 1700000000000  # printed with %.0f: 32-bit awks overflow %d
    for (sec = 0; sec < 14; sec++) {
        per = 4 + 3 * sec
        for (k = 0; k < per; k++) {
            ts = t0 + sec * 1000 + int(k * 1000 / per)
            l = lab[(sec * 7 + k) % n]
            if (k >= 20) {
                code = "429"; msg = "\"Too Many <b>Requests</b> \"\"q\"\"\""; okf = "false"
            } else if (k == 3 && sec % 4 == 1) {
                code = "<i>500</i>`id`"; msg = "\"Server <script>x</script>\""; okf = "false"
            } else {
                code = "200"; msg = "OK"; okf = "true"
            }
            th = "\"TG <u>x</u> `id` 1-" (k % 8 + 1) "\""
            printf "%.0f,%d,\"%s\",%s,%s,%s,%s,100,50,%d,%d,%d,1\n", ts, 5 + k % 7, l, code, msg, th, okf, 8, 8, 4 + k % 5
        }
    }
}' >"$JTL"

touch "$OUT/in/marker"
sleep 1
D=$OUT/report
"$BIN" report -q -o "$D" "$JTL" >"$OUT/stdout" 2>"$OUT/stderr"
rc=$?
[ $rc -eq 0 ] && ok "report on hostile labels exits 0" ||
    { bad "report on hostile labels exits 0 (got $rc)"; cat "$OUT/stderr"; }

# 1. nothing executed
for p in pwned-bt pwned-sys pwned-dollar; do
    [ ! -e "$OUT/$p" ] && ok "no $p file: nothing ran" || bad "$p exists"
done
[ ! -e /tmp/jtl-evil-label ] && ok "no file from a ../ label" ||
    bad "a ../ label became a path"

# 2. nothing outside the report folder, only names we choose inside it
extra=$(find "$OUT" -newer "$OUT/in/marker" ! -path "$OUT" ! -path "$D" \
    ! -path "$D/*" ! -name stdout ! -name stderr -print)
[ -z "$extra" ] && ok "nothing written outside the report folder" ||
    bad "written outside the report folder: $extra"
odd=$(cd "$D" && ls -A | grep -v -E '^(index\.html|statistics\.json|throttle\.json|summary\.md|chart-[0-9][0-9]-[a-z0-9-]+\.(png|svg|gp|dat))$')
[ -z "$odd" ] && ok "every file name is one of ours" ||
    bad "unexpected files: $odd"
[ "$(find "$D" -mindepth 1 -type d | wc -l)" -eq 0 ] &&
    ok "no sub-folder (no path from a label)" || bad "sub-folder created"

# 3. gnuplot scripts carry no JTL text at all
if grep -l -e alert -e touch -e pwned -e '<' -e '\.\./' -e '\$(' \
    -e '{{' -e 'TG ' -e 'long-label' -e 'sup}' -e 'bad ' "$D"/*.gp \
    >"$OUT/gp.hits"; then
    bad "JTL text found in .gp: $(cat "$OUT/gp.hits")"
else
    ok "no label, code or thread name in any .gp script"
fi
if grep -q 'columnheader' "$D"/chart-09-labels.gp &&
    grep -q 'ticlabels(1)' "$D"/chart-09-labels.gp &&
    grep -q 'noenhanced' "$D"/chart-09-labels.gp; then
    ok "labels reach gnuplot as data (columnheader/ticlabels, noenhanced)"
else
    bad "labels reach gnuplot as data (columnheader/ticlabels, noenhanced)"
fi
grep -q 'system(.touch' "$D"/chart-09-labels.dat &&
    ok "the labels are in the .dat file" || bad "the labels are in the .dat file"

# 4. the HTML shows the text literally
H=$D/index.html
nscript=$(grep -o -i '<script' "$H" | wc -l)
[ "$nscript" -eq 2 ] && ok "exactly our 2 script elements" ||
    bad "script elements: $nscript (want 2)"
grep -q -i '<img src=x' "$H" && bad "raw <img src=x> in HTML" ||
    ok "no injected img element"
grep -q -i '<b>Requests' "$H" && bad "raw <b> from a message in HTML" ||
    ok "no injected markup from messages"
for lit in '&lt;script&gt;alert(1)&lt;/script&gt;' \
    '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;' \
    '&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;' \
    'line&#x2028;sep and para&#x2029;sep' \
    'Too Many &lt;b&gt;Requests&lt;/b&gt; &quot;q&quot;' \
    '&lt;i&gt;500&lt;/i&gt;&#96;id&#96;' \
    '{{title}} {{{css}}} {{#cards}}' \
    '&#96;touch ' 'system(&quot;touch '; do
    grep -q -F -- "$lit" "$H" && ok "HTML shows literally: $lit" ||
        bad "HTML shows literally: $lit"
done
grep -q -F "bad $(printf '\357\277\275\357\277\275') utf8" "$H" &&
    ok "invalid UTF-8 shown as U+FFFD" || bad "invalid UTF-8 shown as U+FFFD"
if grep -q "$(printf '\342\200\250')" "$H"; then
    bad "raw U+2028 in HTML"
else
    ok "no raw U+2028 anywhere in the HTML"
fi
# the data block: no '<' at all between its tags (\u003c instead)
awk 'BEGIN { RS = "\001" } {
    tag = "<script type=\"application/json\" id=\"jtl-data\">"
    a = index($0, tag)
    if (!a) exit 1
    rest = substr($0, a + length(tag))
    b = index(rest, "</script>")
    printf "%s", substr(rest, 1, b - 1)
}' "$H" >"$OUT/data.json"
if [ -s "$OUT/data.json" ] && ! grep -q '<' "$OUT/data.json" &&
    grep -q 'u003cscript' "$OUT/data.json"; then
    ok "JSON in the page is escaped (\\u003c), cannot end its script"
else
    bad "JSON in the page is escaped (\\u003c), cannot end its script"
fi

# 5. JSON files are valid and keep the exact label bytes
if command -v python3 >/dev/null 2>&1; then
    if python3 - "$D" "$OUT/data.json" <<'PY'
import json, sys
d = sys.argv[1]
st = json.load(open(d + "/statistics.json", encoding="utf-8", errors="strict"))
json.load(open(d + "/throttle.json", encoding="utf-8"))
page = json.load(open(sys.argv[2], encoding="utf-8"))
assert "<script>alert(1)</script>" in st, "label kept in statistics.json"
assert "line\u2028sep and para\u2029sep" in st, "U+2028 label kept"
assert "<script>alert(1)</script>" in page["statistics"], "label in page data"
PY
    then ok "statistics.json, throttle.json and the page data parse; labels exact"
    else bad "statistics.json, throttle.json and the page data parse; labels exact"
    fi
fi

# 6. summary.md is escaped Markdown
M=$D/summary.md
if grep -q -e '<script' -e '<img' -e '<b>' "$M"; then
    bad "raw HTML in summary.md"
else
    ok "no raw HTML in summary.md"
fi
grep -q -F '&lt;script&gt;alert(1)&lt;/script&gt;' "$M" &&
    ok "summary.md shows the label as text" || bad "summary.md shows the label"
grep -q -F '\`touch' "$M" && ok "backticks escaped in summary.md" ||
    bad "backticks escaped in summary.md"

# 7. with gnuplot: images drawn, labels are text in the SVG, still nothing ran
if command -v gnuplot >/dev/null 2>&1; then
    n=$(ls "$D"/*.png 2>/dev/null | wc -l)
    [ "$n" -ge 5 ] && ok "gnuplot drew the charts ($n PNG)" ||
        bad "gnuplot drew the charts ($n PNG)"
    if grep -q -i '<script' "$D"/*.svg; then
        bad "script element inside an SVG"
    else
        ok "no script element in any SVG"
    fi
    grep -q -F '&lt;script>alert(1)&lt;/script>' "$D"/chart-09-labels.svg &&
        ok "SVG shows the label as text" || bad "SVG shows the label as text"
    grep -q -F '^{sup}_{sub}@' "$D"/chart-09-labels.svg &&
        ok "no enhanced-text interpretation of labels" ||
        bad "no enhanced-text interpretation of labels"
else
    echo "note: gnuplot not installed: rendering part not run"
fi
exit $fail
