import xml.etree.ElementTree as ET

from jtlcheck import check, equal, load

up = {l["name"]: l for l in load("up20.json")["labels"]}
equal(up["JR-OK"]["change"], "slower", "x1.2: JR-OK slower")
check(abs(up["JR-OK"]["delta_pct"]["p95"] - 20) <= 1,
      "x1.2: +20 %% at p95 (+-1): %.2f" % up["JR-OK"]["delta_pct"]["p95"])
check(up["JR-OK"]["p_value"] < 0.01, "x1.2: beyond noise (p %.2g)" % up["JR-OK"]["p_value"])
equal(up["JR-KO"]["change"], "same", "x1.2: the other label the same")
j = load("up20.json")
equal(sorted(j["failed"]), sorted(["slower", "p95 of JR-OK +10%"]),
      "the rules that fired (fail +1 held)")
one = load("up1.json")
equal(sorted({l["change"] for l in one["labels"]}), ["same"], "x1.01: every label the same")
x = ET.parse("j.xml").getroot()
equal((x.get("tests"), x.get("failures")), ("3", "2"), "JUnit: 3 rules, 2 failures")
