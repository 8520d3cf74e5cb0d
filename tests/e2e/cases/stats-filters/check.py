import os

from jtlcheck import DATA, equal, load, rows

r = rows(os.path.join(DATA, "jmeter-nginx/per-endpoint.csv.jtl"))
inc = load("inc.json")
equal(sorted(inc), ["POST /api/v2/architect/flows/{flowId}/sessions", "Total"],
      "--include: the matching label only")
equal(inc["Total"]["sampleCount"], sum(1 for x in r if x["label"].endswith("sessions")),
      "--include: its samples")
t0 = min(int(x["timeStamp"]) for x in r)
want = [x for x in r if not x["label"].endswith("sessions")
        and t0 + 5000 <= int(x["timeStamp"]) <= t0 + 15000]
equal(load("exc.json")["Total"]["sampleCount"], len(want),
      "--exclude with --from/--to: the other labels' samples from 5 s to 15 s")
