import os

from jtlcheck import DATA, check, equal, nearest_rank, rows, stats

s = stats()
r = rows(os.path.join(DATA, "upstream/jenkins-performance-plugin/csv_5x_tc_rows_after_children.csv"))


def is_tc(x):
    return x["responseMessage"].startswith("Number of samples in transaction")


tc = [x for x in r if is_tc(x)]
plain = [x for x in r if not is_tc(x)]
check(len(r) == 313 and len(tc) == 103, "the file: 313 rows, 103 of them TC (%d, %d)" % (len(r), len(tc)))
equal(s["Total"]["sampleCount"], len(plain), "Total: the samples, not the TC rows")
equal(s["Total"]["apdex"]["total"], len(r), "APDEX Total includes TC")
equal(s["Total"]["_meta"]["transactionControllerSamples"], len(tc), "TC rows counted")
labels = {}
for x in r:
    labels.setdefault(x["label"], []).append(x)
equal(sorted(k for k in s if k != "Total"), sorted(labels), "labels")
for label, rs in labels.items():
    row = s[label]
    equal(row["sampleCount"], len(rs), "%s: samples" % label)
    equal(row["isController"], is_tc(rs[0]), "%s: isController" % label)
    equal(row["pct1ResTime"], nearest_rank([int(x["elapsed"]) for x in rs], 90), "%s: p90" % label)
    sat = sum(1 for x in rs if x["success"] == "true" and int(x["elapsed"]) <= 500)
    tol = sum(1 for x in rs if x["success"] == "true" and 500 < int(x["elapsed"]) <= 1500)
    equal((row["apdex"]["satisfied"], row["apdex"]["tolerated"]), (sat, tol),
          "%s: APDEX satisfied, tolerated" % label)
    equal(row["apdex"]["score"], (sat + tol / 2) / len(rs), "%s: APDEX score" % label)
el = sorted(int(x["elapsed"]) for x in plain)
equal(s["Total"]["maxResTime"], float(el[-1]), "Total max without TC")
equal(s["Total"]["meanResTime"], sum(el) / len(el), "Total mean without TC")
