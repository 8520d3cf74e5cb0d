import re

from jtlcheck import check, text

dom = text("hostile.dom.html")
log = text("hostile.log", errors="replace")
want = 4 if 'id="jtl-charts"' in dom else 2  # + the charts' data and Chart.js
check(len(re.findall(r"<script\b", dom)) == want, "our %d script elements" % want)
check(not re.search(r'<img[^>]*src="x"', dom), "no injected img")
check(not re.search(r"<b>1</b>", dom), "no injected markup")
check("&lt;script&gt;alert(1)&lt;/script&gt;" in dom, "label rendered as text")
check("CONSOLE" not in log, "no console message")
