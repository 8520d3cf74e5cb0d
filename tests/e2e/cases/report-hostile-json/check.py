import json
import re

from jtlcheck import check, require, text


def parsed(what, read):
    """The JSON READ() returns; what cannot be read or parsed stops here."""
    try:
        v = json.loads(read())
    except (ValueError, OSError) as e:  # UnicodeDecodeError is a ValueError
        require(False, "%s is a valid UTF-8 JSON object (%s)" % (what, e))
    require(isinstance(v, dict), "%s is a valid UTF-8 JSON object" % what)
    return v


def page_data():
    m = re.search(r'<script type="application/json" id="jtl-data">(.*?)</script>',
                  text("report/index.html"), re.S)
    require(m, "the page has its data block")
    return m.group(1)


st = parsed("statistics.json", lambda: text("report/statistics.json"))
parsed("throttle.json", lambda: text("report/throttle.json"))
page = parsed("the page's data block", page_data)
check("<script>alert(1)</script>" in st, "label kept in statistics.json")
check("line\u2028sep and para\u2029sep" in st, "U+2028 label kept")
check("<script>alert(1)</script>" in page["statistics"], "label in the page data")
