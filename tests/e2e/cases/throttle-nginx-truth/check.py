# Each run's throttle JSON (written by cmd) against its scenario's
# truth.json: verdict, mechanism, limit within 10 % (per label where the
# limiter is per endpoint or stacked), Retry-After value counts exactly,
# compliance about 0 %.  The expected values are read from truth.json only.
import glob
import json
import os

from jtlcheck import DATA, check, load, near, path

data = os.path.join(DATA, "jmeter-nginx")
checked = 0


def labels(j):
    return {s["name"]: s for s in j["scopes"] if s["scope"] == "label"}


def ra_truth(truth, fmt):
    f = truth.get("files", {}).get(fmt, {}).get("observed", {})
    return f.get("retry_after_values_on_429"), f.get("retry_after_on_429_by_label")


def check_limit(name, got, lim):
    kind = lim.get("kind")
    if kind == "rate":
        check(got["mechanism"] == "rate", f"{name}: mechanism rate, got {got['mechanism']}")
        check(near(got["limit"]["rate_per_s"], lim["rate_per_s"]),
              f"{name}: rate {got['limit']['rate_per_s']} vs {lim['rate_per_s']}")
    elif kind == "concurrency":
        check(got["mechanism"] == "concurrency", f"{name}: mechanism concurrency, got {got['mechanism']}")
        check(near(got["limit"]["concurrency"], lim["max_in_flight"]),
              f"{name}: concurrency {got['limit']['concurrency']} vs {lim['max_in_flight']}")
    elif kind == "fixed-window":
        check(got["mechanism"] == "fixed-window", f"{name}: mechanism fixed-window, got {got['mechanism']}")
        check(near(got["limit"]["per_window"], lim["limit"]),
              f"{name}: per_window {got['limit']['per_window']} vs {lim['limit']}")
        check(near(got["limit"]["window_s"], lim["window_s"], 0.0001),
              f"{name}: window {got['limit']['window_s']} vs {lim['window_s']}")
    elif kind == "distributed":
        check(got["mechanism"] == "distributed", f"{name}: mechanism distributed, got {got['mechanism']}")
        check(near(got["limit"]["rate_per_s"], lim["total_rate_per_s"]),
              f"{name}: total rate {got['limit']['rate_per_s']} vs {lim['total_rate_per_s']}")


for tpath in sorted(glob.glob(os.path.join(data, "*.truth.json"))):
    truth = json.load(open(tpath))
    stem = os.path.basename(tpath)[:-len(".truth.json")]
    paths = sorted(glob.glob(os.path.join(data, stem + ".*.jtl")) +
                   glob.glob(os.path.join(data, stem + ".*.jtl.gz")))
    def fmt_of(p):
        return os.path.basename(p)[len(stem) + 1:].split(".")[0]
    paths = [p for p in paths if fmt_of(p) in ("csv", "xml")]
    for p in paths:
        checked += 1
        name = os.path.basename(p)
        fmt = fmt_of(p)
        if not check(os.path.exists(path(name + ".json")), "%s: analysed" % name):
            continue
        j = load(name + ".json")
        lim = truth.get("limiter", {})
        kind = lim.get("kind")
        check(j["verdict"] == truth["expected_verdict"],
              f"{name}: verdict {j['verdict']} vs {truth['expected_verdict']}")
        if kind == "rate-per-endpoint":
            check(j["mechanism"] == "rate", f"{name}: mechanism rate, got {j['mechanism']}")
            lab = labels(j)
            for label, pl in lim["per_label"].items():
                check(label in lab, f"{name}: label {label} analysed")
                if label in lab:
                    check_limit(f"{name} [{label}]", lab[label], pl)
        elif kind == "stacked":
            check(j["mechanism"] == "stacked", f"{name}: mechanism stacked, got {j['mechanism']}")
            lab = labels(j)
            for label, pl in lim["per_label"].items():
                got = lab.get(label)
                check(got is not None, f"{name}: label {label} analysed")
                if got:
                    check(near(got["limit"]["rate_per_s"], pl["bound_rate_per_s"]),
                          f"{name} [{label}]: rate {got['limit']['rate_per_s']} vs {pl['bound_rate_per_s']}")
            check(len(j["limiters"]) >= 2, f"{name}: the limiters are listed")
        elif kind in ("random", "none"):
            check(j["mechanism"] is None, f"{name}: mechanism null, got {j['mechanism']}")
        else:
            check_limit(name, j, lim)
        # Retry-After: exact counts per value (XML saves the header)
        ra = j["retry_after"]
        values, by_label = ra_truth(truth, fmt) if "files" in truth else (None, None)
        if fmt == "xml" and values is not None:
            check(ra["values"] == {str(k): v for k, v in values.items()},
                  f"{name}: Retry-After values {ra['values']} vs {values}")
            if by_label:
                lab = labels(j)
                for label, vals in by_label.items():
                    got = lab.get(label, {}).get("retry_after", {}).get("values")
                    check(got == vals, f"{name} [{label}]: Retry-After {got} vs {vals}")
            if truth.get("clients_honor_retry_after") is False and ra["pairs"]:
                check(ra["compliance"] is not None and ra["compliance"] < 0.02,
                      f"{name}: compliance {ra['compliance']} should be about 0")
                # the waits behind that figure: a client that ignores
                # Retry-After sends again well before the shortest value
                w = ra["wait_after_429_s"]
                shortest = min(float(v) for v in ra["values"])
                check(w["count"] >= ra["pairs"] and w["p90"] is not None
                      and w["p90"] < shortest,
                      f"{name}: 90 % of waits {w} under Retry-After {shortest}")
                check(w["p10"] <= w["p25"] <= w["p50"] <= w["p75"] <= w["p90"]
                      and w["p50"] == ra["median_gap_s"],
                      f"{name}: wait percentiles {w} ordered, p50 = median gap")
            dyn = (truth.get("retry_after") or {}).get("dynamic")
            if dyn is not None:
                check(ra["dynamic"] == dyn, f"{name}: Retry-After dynamic {ra['dynamic']} vs {dyn}")
        elif fmt == "csv":
            check(ra["count"] == 0 and ra["compliance"] is None,
                  f"{name}: a CSV without headers has no Retry-After")
            if j["throttled"]:
                check(any("Retry-After" in u for u in j["unchecked"]),
                      f"{name}: says Retry-After could not be checked")
        print(f"{name:34s} {j['verdict']:12s} {str(j['mechanism']):13s} "
              f"rate={j['limit']['rate_per_s']} C={j['limit']['concurrency']} "
              f"L={j['limit']['per_window']}/{j['limit']['window_s']} RA={ra['values']}")

# a glob that finds nothing must not pass
check(checked >= 19, "19 runs or more checked (%d)" % checked)
