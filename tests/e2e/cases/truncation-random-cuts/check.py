# 3. each cut file's run against the expectations cmd wrote in "cases"
import json
import os

from jtlcheck import check, equal, path, text

n_cases = 0
for line in open(path("cases")):
    case, rc, n, want = line.split(" ", 3)
    rc, n, want = int(rc), int(n), want.strip()
    n_cases += 1
    err = text(case + ".err", errors="replace")
    equal(int(text(case + ".rc")), rc, "%s: exit status" % case)
    if want != "-":
        check(want in err, "%s: stderr says %r" % (case, want))
    if rc != 0:
        check(os.path.basename(case).split(".gz")[0] in err, "%s: stderr names the file" % case)
    if n:
        try:
            got = json.load(open(path(case + ".json")))["Total"]["sampleCount"]
        except (OSError, ValueError, KeyError) as e:
            got = "no JSON (%s)" % e
        equal(got, n, "%s: samples" % case)
    else:
        equal(os.path.getsize(path(case + ".json")), 0,
              "%s: no output when nothing was readable" % case)
equal(n_cases, 80, "cut files checked")
