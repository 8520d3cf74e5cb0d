# The same test names and outcomes as Lightning's expected JUnit.
import xml.etree.ElementTree as ET

from jtlcheck import DATA, check, equal, load

want = ET.parse(DATA + "/upstream/lightning/cipassfail_2_transactions.expected-junit.xml").getroot()
got = ET.parse("junit.xml").getroot()


def outcomes(suite):
    out = {}
    for tc in suite.iter("testcase"):
        kind = "pass"
        if tc.find("failure") is not None:
            kind = "failure"
        if tc.find("error") is not None:
            kind = "error"
        out[tc.get("name")] = kind
    return out


equal(outcomes(got), outcomes(want), "test names and outcomes = Lightning's")
for k in ("tests", "failures", "errors"):
    equal(got.get(k), want.get(k), "testsuite %s = Lightning's" % k)
err = [tc for tc in got.iter("testcase") if tc.find("error") is not None]
check(err and "Sear" in err[0].find("error").get("message"),
      "the error names the missing label")
j = load("check.json")
equal(j["passed"], False, "JSON: not passed")
equal([c["status"] for c in j["criteria"]], ["fail", "pass", "error"],
      "JSON: statuses in criteria order")
cpu = j["criteria"][0]
check(cpu["value"] == 10000.5 and cpu["threshold"] == 10000 and cpu["samples"] == 2,
      "JSON: the CPU metric's mean of 10000 and 10001 is 10000.5: %s" % cpu)
