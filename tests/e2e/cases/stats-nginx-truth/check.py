import glob
import json
import os

from jtlcheck import DATA, check, equal, load, path

checked = 0
for truth in sorted(glob.glob(os.path.join(DATA, "jmeter-nginx", "*.truth.json"))):
    t = json.load(open(truth))
    if "files" in t:
        runs = [(f["file"], f["observed"]) for f in t["files"].values()]
    else:
        runs = [(t["file"], t["observed"])]
    for name, obs in runs:
        if not check(os.path.exists(path(name + ".json")), "%s: statistics written" % name):
            continue
        s = load(name + ".json")
        tot = s["Total"]
        equal(tot["sampleCount"], obs["samples"], "%s: samples" % name)
        equal(tot["codes"], obs["by_code"], "%s: codes" % name)
        errs = sum(n for c, n in obs["by_code"].items() if c != "200")
        equal(tot["errorCount"], errs, "%s: errors (every code but 200)" % name)
        for label, codes in obs["by_label"].items():
            equal(s[label]["codes"], codes, "%s [%s]: codes" % (name, label))
            equal(s[label]["sampleCount"], sum(codes.values()), "%s [%s]: samples" % (name, label))
        equal(sorted(k for k in s if k != "Total"), sorted(obs["by_label"]), "%s: labels" % name)
        equal(tot["firstStart"], obs["first_timestamp_ms"], "%s: first start" % name)
        equal(tot["lastEnd"], obs["last_end_ms"], "%s: last end" % name)
        checked += 1
check(checked >= 17, "17 runs or more checked (%d)" % checked)
