from jtlcheck import check, load

j = load("t.json")
for k in ("verdict", "mechanism", "limit", "retry_after", "pacing", "evidence", "scopes"):
    check(k in j, "key " + k)
for k in ("rate_per_s", "burst", "window_s", "per_window", "concurrency"):
    check(k in j["limit"], "key limit." + k)
for k in ("count", "values", "compliance"):
    check(k in j["retry_after"], "key retry_after." + k)
for k in ("target_rate_per_s", "constant_throughput_per_min"):
    check(k in j["pacing"], "key pacing." + k)
e = j["evidence"][0]
check(set(("test", "statistic", "threshold", "pass")) <= set(e),
      "an evidence row has test, statistic, threshold, pass")
s = j["scopes"][0]
check(s["scope"] in ("label", "group") and "name" in s and "verdict" in s,
      "a scope has its kind, name and verdict")
check(j["limit"]["window_s"] is None, "unknown numbers are null (window_s)")
