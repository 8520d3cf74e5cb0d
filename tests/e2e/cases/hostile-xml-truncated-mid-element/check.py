import re

from jtlcheck import check, equal, path, stats, text

# complete top-level samples before the cut (this file has no sub-samples)
n = open(path("cut-elem.xml"), "rb").read().count(b"</httpSample>")
check(re.search(r"cut-elem\.xml:[0-9]+: file ends inside <httpSample> \(truncated\): "
                r"%d complete samples read" % n, text("stderr", errors="replace")),
      "stderr says where the file ends and that %d samples were read" % n)
equal(stats()["Total"]["sampleCount"], n, "samples")
