#!/bin/sh
# Sample counts and per-code counts of every jmeter-nginx run (CSV, XML and
# the header-less 2.13 default CSV) against the counts in its truth.json,
# which agree with nginx's own access log: Total and per label, from the
# JSON output; also the run's first start and last end.
set -eu
BIN=$1 DATA=$2 OUT=$4
command -v python3 >/dev/null 2>&1 || exit 77
mkdir -p "$OUT"
python3 - "$BIN" "$DATA/jmeter-nginx" "$OUT" <<'PY'
import glob, json, os, subprocess, sys
binary, ndir, out = sys.argv[1:4]
checked = 0
for truth in sorted(glob.glob(os.path.join(ndir, "*.truth.json"))):
    t = json.load(open(truth))
    runs = []
    if "files" in t:
        runs = [(f["file"], f["observed"]) for f in t["files"].values()]
    else:
        runs = [(t["file"], t["observed"])]
    for name, obs in runs:
        dst = os.path.join(out, name + ".json")
        subprocess.run([binary, "stats", "-q", "--format", "json", "-o", dst,
                        os.path.join(ndir, name)], check=True)
        s = json.load(open(dst))
        tot = s["Total"]
        assert tot["sampleCount"] == obs["samples"], (name, tot["sampleCount"])
        assert tot["codes"] == obs["by_code"], (name, tot["codes"], obs["by_code"])
        errs = sum(n for c, n in obs["by_code"].items() if c != "200")
        assert tot["errorCount"] == errs, (name, tot["errorCount"], errs)
        for label, codes in obs["by_label"].items():
            assert s[label]["codes"] == codes, (name, label, s[label]["codes"])
            assert s[label]["sampleCount"] == sum(codes.values()), (name, label)
        assert sorted(k for k in s if k != "Total") == sorted(obs["by_label"]), name
        assert tot["firstStart"] == obs["first_timestamp_ms"], name
        assert tot["lastEnd"] == obs["last_end_ms"], name
        print("%s: %d samples, codes %s ok" % (name, tot["sampleCount"], tot["codes"]))
        checked += 1
assert checked >= 17, checked
print("%d files checked" % checked)
PY
