# The generators and their threads, from the truth of the shape (two
# engines of 8 threads), not from jtlscope.
import json, os
from jtlcheck import check, load

truth = json.load(open(os.path.join(os.environ["DATA"], "shapes", "b",
                                    "two-generators.truth.json")))
same, named, files = load("same.json"), load("named.json"), load("files.json")
gens = lambda r: [(g["name"], g["threads"]) for g in r["generators"]["list"]]
check(same["generators"]["count"] == 1, "same names: one generator (the trap)")
check([g["from"] for g in named["generators"]["list"]] == ["--generator"] * 2, "--generator names say so")
check(gens(named) == [("gen1", truth["parameters"]["THREADS"]), ("gen2", truth["parameters"]["THREADS"])],
      "--generator: gen1 and gen2, each with the plan's threads: %s" % gens(named))
n = truth["parameters"]["THREADS"]
check([t for _, t in gens(files)] == [n, n], "the files side by side: two generators of %d" % n)
strip = lambda r: {k: v for k, v in r.items() if k not in ("generators", "input")}
check(json.dumps(strip(named), sort_keys=True) == json.dumps(strip(files), sort_keys=True),
      "--generator states: the analysis of the files side by side (all but the names)")
