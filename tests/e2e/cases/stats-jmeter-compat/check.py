import json
import os
import re
import struct

from jtlcheck import DATA, check, equal, text

got_text = text("statistics.json")
exp_text = open(os.path.join(
    DATA, "upstream/apache-jmeter/dashboard_5x_default_header.expected-statistics.json")).read()
got, exp = json.loads(got_text), json.loads(exp_text)


def f32(x):
    return struct.unpack('f', struct.pack('f', x))[0]


fields = 0
for label, row in exp.items():
    if not check(label in got, "label %s present" % label):
        continue
    for key, want in row.items():
        fields += 1
        have = got[label].get(key)
        if key == "errorPct":  # a Java float in JMeter
            check(have is not None and f32(have) == f32(want),
                  "%s.%s: got %r, expected %r (as float)" % (label, key, have, want))
        else:
            check(have == want and type(have) == type(want),
                  "%s.%s: got %r, expected %r" % (label, key, have, want))
# every numeric token of the expected file also appears verbatim in ours
# (Java's Double.toString / Float.toString forms, e.g. 6.1894261494177E-4)
toks = set(re.findall(r':\s*(-?[0-9][0-9.E-]*)', exp_text))
mine = set(re.findall(r':\s*(-?[0-9][0-9.E-]*)', got_text))
equal(sorted(toks - mine), [], "numbers not printed as JMeter prints them")
equal(fields, 3 * 14, "fields compared")
equal(sorted(got), sorted(exp), "labels")
