from jtlcheck import check, equal, load

j = load("c.json")
equal(sorted(l["name"] for l in j["labels"]), ["JR-KO", "JR-OK", "Total"], "labels matched")
for l in j["labels"]:
    nz = {k: v for k, v in l["delta"].items() if v != 0}
    equal(nz, {}, "%s: every delta 0" % l["name"])
    check("deltas only" in l["why"], "%s: says it has deltas only" % l["name"])
