#!/bin/sh
# SPDX-License-Identifier: MIT
# truncation.sh - real JMeter result files (tests/data/jmeter-nginx, CSV and
# XML) cut at random byte offsets, plain and gzip (the compressed stream cut),
# must report exactly the complete samples before the cut, with the
# documented exit code and a message naming the file.  The expected count is
# computed here, independently of jtlscope, from the bytes before the cut:
#   CSV  lines ended by LF after the header (if the file has one: the
#        ".default" files were written without); a last line without LF counts
#        only when it has every field (a file may lack its final newline;
#        then the record is indistinguishable from a complete one);
#   XML  </httpSample> end tags complete before the cut (these files have
#        no sub-samples);
#   gzip the same, over what zlib can decompress from the cut stream.
# Offsets come from a fixed seed (JTL_TRUNC_SEED=N to try others; the seed is
# printed).  Usage: truncation.sh JTLSCOPE DATA SAMPLES SCRATCH
set -u
BIN=$1 DATA=$2 OUT=$4
rm -rf "$OUT" && mkdir -p "$OUT" || exit 1
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
SEED=${JTL_TRUNC_SEED:-20261122}
echo "seed $SEED"

# 1. cut the files and write the expectations: name rc count regex
python3 - "$DATA/jmeter-nginx" "$OUT" "$SEED" >"$OUT/cases" <<'PY' || exit 1
import gzip, io, os, random, sys, zlib
src, out, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rnd = random.Random(seed)
names = sorted(f for f in os.listdir(src) if f.endswith(".jtl"))
csvs = [f for f in names if f.endswith(".csv.jtl")]
xmls = [f for f in names if f.endswith(".xml.jtl")]
CUTS = 10

def csv_expect(b, whole):
    """(count, damaged) for a CSV prefix B of the file WHOLE."""
    first = whole.split(b"\n", 1)[0]
    ncols = first.count(b",") + 1
    header = not first[:1].isdigit()   # the .default files have none
    lines = b.split(b"\n")
    if header and len(lines) < 2:
        return 0, True  # not even the header line
    done, tail = lines[1 if header else 0:-1], lines[-1]
    n = sum(1 for l in done if l)
    damaged = False
    if tail:
        if tail.count(b",") + 1 == ncols:
            n += 1
        else:
            damaged = True
    return n, damaged

def xml_expect(b):
    return b.count(b"</httpSample>"), b"</testResults>" not in b

def gz(b):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as g:
        g.write(b)
    return buf.getvalue()

for kind, pool in (("csv", csvs), ("xml", xmls)):
    for name in rnd.sample(pool, 2):
        data = open(os.path.join(src, name), "rb").read()
        z = gz(data)
        for i in range(CUTS):
            # plain: anywhere, with one cut in the first 300 bytes (header)
            at = rnd.randrange(1, 300) if i == 0 else rnd.randrange(1, len(data))
            part = data[:at]
            case = "%s-plain-%d-%s" % (kind, at, name)
            open(os.path.join(out, case), "wb").write(part)
            n, dmg = csv_expect(part, data) if kind == "csv" else xml_expect(part)
            rc = 1 if n == 0 else (4 if dmg else 0)
            print(case, rc, n, "-")
            # gzip: the compressed stream cut
            at = rnd.randrange(20, len(z))
            part = zlib.decompressobj(31).decompress(z[:at])
            case = "%s-gzip-%d-%s.gz" % (kind, at, name)
            open(os.path.join(out, case), "wb").write(z[:at])
            n, dmg = csv_expect(part, data) if kind == "csv" else xml_expect(part)
            print(case, 1 if n == 0 else 4, n, "gzip stream is truncated")
PY

# 2. run jtlscope on each cut file
while read -r case rc n re; do
    timeout -s KILL 30 "$BIN" stats --format json "$OUT/$case" \
        >"$OUT/$case.json" 2>"$OUT/$case.err"
    echo $? >"$OUT/$case.rc"
done <"$OUT/cases"

# 3. compare
python3 - "$OUT" <<'PY'
import json, os, re, sys
out = sys.argv[1]
ok = bad = 0
for line in open(os.path.join(out, "cases")):
    case, rc, n, want = line.split(" ", 3)
    rc, n, want = int(rc), int(n), want.strip()
    p = os.path.join(out, case)
    got_rc = int(open(p + ".rc").read())
    err = open(p + ".err", errors="replace").read()
    why = []
    if got_rc != rc:
        why.append("exit %d, expected %d" % (got_rc, rc))
    if re.search("Sanitizer|runtime error:", err) or got_rc >= 124:
        why.append("crash or hang")
    if want != "-" and want not in err:
        why.append("stderr lacks %r" % want)
    if rc != 0 and os.path.basename(case).split(".gz")[0] not in err:
        why.append("stderr does not name the file")
    if n:
        try:
            got = json.load(open(p + ".json"))["Total"]["sampleCount"]
        except Exception as e:
            got = "no JSON (%s)" % e
        if got != n:
            why.append("%s samples reported, expected %d" % (got, n))
    elif os.path.getsize(p + ".json"):
        why.append("an output was written although nothing was readable")
    if why:
        bad += 1
        print("FAIL %s: %s" % (case, "; ".join(why)))
        for l in err.splitlines()[:5]:
            print("    stderr: " + l)
    else:
        ok += 1
        print("ok   %s: %d samples, exit %d" % (case, n, rc))
print("%d passed, %d failed" % (ok, bad))
sys.exit(1 if bad else 0)
PY
