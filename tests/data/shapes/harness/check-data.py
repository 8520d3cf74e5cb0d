#!/usr/bin/env python3
"""check-data.py DATADIR -- sanity report on the JTL files made by run-scenarios.sh.

Python 3 standard library only. Every limit it checks against is read from the
<scenario>.truth.json next to the data (the values the run was configured with),
never assumed. For every scenario it reads <s>.csv.jtl and <s>.xml.jtl and
prints what an analyzer should be able to see:
  - status counts, overall and per label (and that they equal <s>.truth.json,
    which also has nginx's own counts)
  - the thread count seen in grpThreads against the configured THREADS
  - Retry-After presence/values on 429s in the XML (against the configured value)
  - threshold-rate / per-endpoint: accepted requests per second once throttling starts (~R)
  - random: 429 fraction per load level (grpThreads bins and offered-rate bins)
  - fixed-window: accepted per aligned W-second window, Retry-After vs seconds-to-reset
  - concurrency: accepted requests in flight (from timeStamp/elapsed) at each 429
  - distributed (N nodes, each its own bucket, random balancing): accepted/s at full
    load ~ total R; 429s start while the offered rate is still below R; share of 429s
    whose trailing-1s accepted count is below R (~0 for one bucket); 429 share by
    offered-rate level; per-node counts and the per-node cap from truth.json
  - stacked (per-client limit in front of a per-endpoint limit): the limited label's
    accepted/s ~ its limit, it throttles first; Retry-After per label; calls that passed
    the per-client limit (all but its 429s) per second ~ the per-client rate
  - threshold-rate.default.csv.jtl (headerless, 12 columns): counts and accepted/s
  - every *.gz: decompresses to the same bytes as the plain file beside it
  - the shapes (tc-parent, tc-default, status-503, two-generators, id-labels, shared-limit,
    ratelimit-headers) and their plain twins (*-plain, tc-plain), where their truth.json exists:
    counts against truth.json and nginx (per engine, per written transaction), the limit from
    the HTTP-level samples (for tc-parent's CSV rebuilt from "number of failing samples"), the
    file layout of each shape (nesting, row order, labels, shares, RateLimit headers), and that a
    shape and its twin were made for the same limiter
Exit status 1 if a hard check fails, 2 on usage errors.
"""
import bisect
import csv
import gzip
import json
import math
import os
import re
import statistics
import sys
from collections import Counter, defaultdict

FAIL = []
SCENARIOS = ["threshold-rate", "random", "none", "per-endpoint", "fixed-window", "concurrency",
             "distributed", "stacked"]
# JMeter 2.13's CSV columns when no result-file properties are set (no header line)
DEFAULT_COLUMNS = ["timeStamp", "elapsed", "label", "responseCode", "responseMessage", "threadName",
                   "dataType", "success", "bytes", "grpThreads", "allThreads", "Latency"]


def check(cond, msg):
    print(("  ok   " if cond else "  FAIL ") + msg)
    if not cond:
        FAIL.append(msg)


def _rows(dict_rows):
    rows = []
    for r in dict_rows:
        r["ts"] = int(r["timeStamp"])
        r["el"] = int(r["elapsed"])
        r["rc"] = r["responseCode"]
        r["lb"] = r["label"]
        r["ng"] = int(r["grpThreads"])
        rows.append(r)
    return rows


def read_csv(path, fieldnames=None):
    """CSV with a header line, or headerless with the given column names."""
    with open(path, newline="") as f:
        return _rows(csv.DictReader(f, fieldnames=fieldnames))


SAMPLE_RE = re.compile(r'^<httpSample ([^>]*)>')
ATTR_RE = re.compile(r'(\w+)="([^"]*)"')


def read_xml(path):
    out, cur, in_hdr = [], None, False
    with open(path) as f:
        for line in f:
            m = SAMPLE_RE.match(line)
            if m:
                a = dict(ATTR_RE.findall(m.group(1)))
                cur = {"ts": int(a["ts"]), "el": int(a["t"]), "rc": a["rc"], "lb": a["lb"].replace("&amp;", "&"),
                       "ng": int(a["ng"]), "ra": None, "hdr": 0}
                out.append(cur)
                continue
            if "<responseHeader" in line:
                in_hdr = True
                cur["hdr"] += 1
            if in_hdr and line.lower().startswith("retry-after:"):
                cur["ra"] = line.split(":", 1)[1].strip()
            if "</responseHeader>" in line:
                in_hdr = False
    return out


def per_second(rows, code=None, label=None):
    c = Counter()
    for r in rows:
        if (code is None or r["rc"] == code) and (label is None or r["lb"] == label):
            c[r["ts"] // 1000] += 1
    return c


def saturated_accept_rate(rows, label=None):
    """accepted/s over full seconds from the first 429 on (excluding the first and last second).
    Returns (mean, median, offered/s in the second of the first 429, first 429 ts); all None if no 429."""
    sel = [r for r in rows if label is None or r["lb"] == label]
    first429 = min((r["ts"] for r in sel if r["rc"] == "429"), default=None)
    if first429 is None:
        return None, None, None, None
    ok = per_second(sel, "200")
    secs = sorted({r["ts"] // 1000 for r in sel})
    lo, hi = first429 // 1000 + 1, secs[-1] - 1
    vals = [ok.get(s, 0) for s in range(lo, hi + 1)]
    off_at_first = per_second(sel).get(first429 // 1000, 0)
    if not vals:
        return None, None, off_at_first, first429
    return statistics.mean(vals), statistics.median(vals), off_at_first, first429


def check_rate(name, rows, R, label=None):
    """Median accepted/s once throttling has started is R (within 15 %)."""
    what = f"{name} {label}" if label else name
    mean, med, off, f429 = saturated_accept_rate(rows, label)
    if med is None:
        check(False, f"{what}: throttled long enough to measure accepted/s (first 429: {f429})")
        return
    t0 = min(r["ts"] for r in rows)
    print(f"  {what}: accepted/s after first 429: mean {mean:.1f} median {med} (R={R}); "
          f"first 429 at +{(f429 - t0) / 1000:.1f}s, offered/s in that second: {off}")
    check(abs(med - R) <= 0.15 * R, f"{what}: median accepted/s within 15% of R={R}")


def load_truth(d, s):
    with open(os.path.join(d, s + ".truth.json")) as f:
        return json.load(f)


def by_label(rows):
    out = defaultdict(Counter)
    for r in rows:
        out[r["lb"]][r["rc"]] += 1
    return {lb: dict(c) for lb, c in out.items()}


def check_threads(name, rows, load):
    """grpThreads reaches the configured thread count (when the ramp-up ends before the run does)."""
    if not load:
        return
    n, mx = load["threads"], max(r["ng"] for r in rows)
    if load["rampup_s"] < load["duration_s"]:
        check(mx == n, f"{name}: max grpThreads {mx} == configured threads {n}")
    else:
        check(mx <= n, f"{name}: max grpThreads {mx} <= configured threads {n}")


def common(d, s, rows_c, rows_x):
    t = load_truth(d, s)
    if "parameters" in t:
        print("  parameters: " + " ".join(f"{k}={v}" for k, v in t["parameters"].items()))
    cc, cx = Counter(r["rc"] for r in rows_c), Counter(r["rc"] for r in rows_x)
    print(f"  csv: {len(rows_c)} samples {dict(cc)}   xml: {len(rows_x)} samples {dict(cx)}")
    for name, rows, counts in (("CSV", rows_c, cc), ("XML", rows_x, cx)):
        f = t["files"][name.lower()]
        check(dict(counts) == f["observed"]["by_code"], f"{name} counts == truth.json")
        check(by_label(rows) == f["observed"]["by_label"], f"{name} counts per label == truth.json")
        check(dict(counts) == f["server_access_log"]["by_status"], f"{name} counts == nginx access log")
        check(len(rows) == f["server_access_log"]["requests"], f"{name} samples == nginx requests")
        check_threads(name, rows, t.get("load"))
    check(all(r["hdr"] == 1 for r in rows_x), "every XML sample has one <responseHeader>")
    n429 = [r for r in rows_x if r["rc"] == "429"]
    ra = Counter(r["ra"] for r in n429)
    print(f"  XML Retry-After on 429s: {dict(ra)}")
    if n429:
        check(all(r["ra"] is not None for r in n429), "every XML 429 carries Retry-After")
    check(all(r["ra"] is None for r in rows_x if r["rc"] != "429"), "no Retry-After on non-429")
    spec = t.get("retry_after")
    if n429 and spec and not spec.get("dynamic") and isinstance(spec.get("value_s"), int):
        check(set(ra) == {str(spec["value_s"])}, f"XML Retry-After on every 429 == configured {spec['value_s']}")
    unsorted = sum(1 for a, b in zip(rows_c, rows_c[1:]) if b["ts"] < a["ts"])
    print(f"  CSV rows out of timeStamp order (written at completion): {unsorted} of {len(rows_c)}")
    return t


def check_random(name, rows, p, threads):
    width = max(1, math.ceil(threads / 4))   # four load levels by active threads
    bins = defaultdict(Counter)
    for r in rows:
        bins[(r["ng"] - 1) // width][r["rc"]] += 1
    parts = []
    for b in sorted(bins):
        c = bins[b]; n = sum(c.values()); f = c["429"] / n
        rng = f"{b * width + 1}-{b * width + width}"
        parts.append(f"threads {rng}: {f:.3f} (n={n})")
        tol = max(0.01, 4 * (p * (1 - p) / n) ** 0.5)   # 4 binomial standard deviations
        check(abs(f - p) < tol, f"{name}: 429 fraction {f:.3f} at threads {rng} within {tol:.3f} of p={p}")
    print(f"  {name} 429 fraction by active threads: " + "; ".join(parts))
    off = per_second(rows); th = per_second(rows, "429")
    secs = sorted(off)[1:-1]
    if not secs:
        return
    step = max(10, int(math.ceil(max(off[s] for s in secs) / 4 / 10.0)) * 10)   # four offered-rate levels
    lv = defaultdict(lambda: [0, 0])
    for sec in secs:
        k = min(off[sec] // step, 3)
        lv[k][0] += off[sec]; lv[k][1] += th.get(sec, 0)
    print(f"  {name} 429 fraction by offered req/s: " + "; ".join(
        f"{k * step}-{k * step + step - 1 if k < 3 else 'max'}/s: {v[1] / v[0]:.3f} (n={v[0]})" for k, v in sorted(lv.items())))


def check_fixed_window(rc, rx, L, W):
    for name, rows in (("csv", rc), ("xml", rx)):
        win = defaultdict(Counter)
        for r in rows:
            win[r["ts"] // (W * 1000)][r["rc"]] += 1
        print(f"  {name} per aligned {W}s window (200/429): " + ", ".join(f"{c['200']}/{c['429']}" for _, c in sorted(win.items())))
        check(all(c["200"] <= L + 3 for c in win.values()),
              f"{name}: no window has more than L={L} accepted (+3: client timeStamp precedes server arrival at window edges)")
        check(any(c["200"] == L for c in win.values()), f"{name}: some window has exactly L={L} accepted")
    n429 = [r for r in rx if r["rc"] == "429"]
    good = sum(1 for r in n429 if r["ra"] is not None and r["ra"].isdigit()
               and int(r["ra"]) in (W - (r["ts"] // 1000) % W, W - (r["ts"] // 1000) % W - 1))
    print(f"  xml: Retry-After == seconds to window reset (by client timeStamp, -1 for the clock edge): {good}/{len(n429)}")
    check(good >= 0.97 * len(n429), "fixed-window Retry-After counts down to the window reset")


def check_concurrency(rc, rx, C):
    for name, rows in (("csv", rc), ("xml", rx)):
        ev = []
        for r in rows:
            if r["rc"] == "200":
                ev.append((r["ts"], 1)); ev.append((r["ts"] + r["el"], -1))
        ev.sort(key=lambda e: (e[0], e[1]))
        cur = mx = 0
        for _, dlt in ev:
            cur += dlt; mx = max(mx, cur)
        # in flight (accepted) at each request start
        starts = sorted(r["ts"] for r in rows if r["rc"] == "200")
        ends = sorted(r["ts"] + r["el"] for r in rows if r["rc"] == "200")

        def inflight(tm):
            return bisect.bisect_right(starts, tm) - bisect.bisect_right(ends, tm)
        at429 = Counter(min(inflight(r["ts"]), C + 3) for r in rows if r["rc"] == "429")
        at200 = Counter(min(inflight(r["ts"] - 1), C + 3) for r in rows if r["rc"] == "200")
        print(f"  {name}: max accepted in flight (client view) {mx} (C={C}); in-flight at 429 starts "
              f"{dict(sorted(at429.items()))}; before 200 starts {dict(sorted(at200.items()))}")
        check(mx <= C + 2, f"{name}: client-side max in flight {mx} <= C+2")
        check(sum(at429.values()) > 0, f"{name}: there are 429s")
        frac = sum(v for k, v in at429.items() if k >= C - 1) / max(1, sum(at429.values()))
        check(frac > 0.9, f"{name}: {frac:.2%} of 429s start while >= C-1 accepted requests are in flight")
        sat = saturated_accept_rate(rows)
        if sat[1] is not None:
            mean_el = statistics.mean(r["el"] for r in rows if r["rc"] == "200") / 1000
            print(f"  {name}: accepted/s once saturated: median {sat[1]}; x mean elapsed {mean_el * 1000:.0f} ms "
                  f"= {sat[1] * mean_el:.1f} in flight on average (Little; C={C})")


def trailing(sorted_ts, tm):
    """How many of sorted_ts fall in the 1 s before tm: [tm - 1000, tm)."""
    return bisect.bisect_left(sorted_ts, tm) - bisect.bisect_left(sorted_ts, tm - 1000)


def frac_429_below(rows, R):
    """Share of 429s sent while fewer than R requests were accepted in the trailing second
    (client clock). One bucket of rate R rejects only once about R have been accepted, so
    this is near 0 for it; independent buckets behind a balancer reject earlier."""
    acc = sorted(r["ts"] for r in rows if r["rc"] == "200")
    n429 = [r["ts"] for r in rows if r["rc"] == "429"]
    if not n429:
        return None, 0
    return sum(1 for t in n429 if trailing(acc, t) < R) / len(n429), len(n429)


def full_load_seconds(rows, threads):
    """Whole seconds in which every sample ran with all threads active (first one and the
    run's last second left out)."""
    lo = defaultdict(lambda: 10 ** 9)
    for r in rows:
        sec = r["ts"] // 1000
        lo[sec] = min(lo[sec], r["ng"])
    secs = sorted(sec for sec, m in lo.items() if m >= threads)
    last = max(lo)
    return [sec for sec in secs[1:] if sec != last]


def check_distributed(name, rows, lim, load, nodes_truth):
    R, N = lim["total_rate_per_s"], lim["nodes"]
    rows = sorted(rows, key=lambda r: r["ts"])
    ts = [r["ts"] for r in rows]
    ok = per_second(rows, "200"); off = per_second(rows)
    secs, what = full_load_seconds(rows, load["threads"]), f"all {load['threads']} threads"
    if not secs:   # e.g. RAMPUP_S == DURATION_S: use the seconds offered at >= 1.5 R
        secs, what = [sec for sec in sorted(off)[1:-1] if off[sec] >= 1.5 * R], "offered >= 1.5 R"
    if secs:
        acc = [ok.get(sec, 0) for sec in secs]
        print(f"  {name}: full load ({len(secs)} s with {what}): offered/s median "
              f"{statistics.median(off[sec] for sec in secs)}, accepted/s mean {statistics.mean(acc):.1f} "
              f"median {statistics.median(acc)} (total R = {N} x {lim['per_node_rate_per_s']} = {R})")
        check(abs(statistics.median(acc) - R) <= 0.15 * R, f"{name}: accepted/s at full load within 15% of total R={R}")
    else:
        check(False, f"{name}: has seconds at full load (all threads, or offered >= 1.5 R)")
    n429 = [r["ts"] for r in rows if r["rc"] == "429"]
    if not n429:
        check(False, f"{name}: there are 429s"); return
    first = n429[0]
    off_first = trailing(ts, first)
    below_cap = sum(1 for t in n429 if trailing(ts, t) < R)
    print(f"  {name}: first 429 at +{(first - ts[0]) / 1000:.1f}s with {off_first} requests offered in the second "
          f"before it (R={R}); 429s sent while the trailing-1s offered count was below R: {below_cap} of {len(n429)}")
    frac, _ = frac_429_below(rows, R)
    print(f"  {name}: share of 429s sent while fewer than R={R} were accepted in the trailing second: {frac:.2f} "
          f"(one bucket of rate R gives about 0, see threshold-rate)")
    looks_random = lim.get("balancing") == "random"   # round-robin: behaves like one bucket of rate R
    if looks_random:
        check(off_first < R, f"{name}: the first 429 comes while the offered rate ({off_first}/s) is below total R={R}")
        check(below_cap >= 1, f"{name}: some 429s come while the offered rate is below total R")
        check(frac >= 0.2, f"{name}: that share ({frac:.2f}) is substantial (>= 0.20)")
    else:
        print(f"  {name}: balancing {lim.get('balancing')}: the 'looks random' checks are skipped")
    # 429 share by offered load (trailing-1s offered count), in steps of R/4
    step = max(1, R // 4)
    lv = defaultdict(Counter)
    for r in rows:
        lv[min(trailing(ts, r["ts"]) // step, 8)][r["rc"]] += 1
    parts = []
    for k in sorted(lv):
        c = lv[k]; n = sum(c.values())
        parts.append(f"{k * step}-{k * step + step - 1 if k < 8 else 'max'}: {c['429'] / n:.2f} (n={n})")
    print(f"  {name} 429 share by offered req/s in the trailing second: " + "; ".join(parts))
    sub = [lv[k] for k in lv if k * step >= R // 2 and (k + 1) * step <= R]
    high = [lv[k] for k in lv if k * step >= 1.5 * R]
    f_sub = sum(c["429"] for c in sub) / max(1, sum(sum(c.values()) for c in sub))
    f_high = sum(c["429"] for c in high) / max(1, sum(sum(c.values()) for c in high))
    if looks_random:
        check(0 < f_sub < f_high, f"{name}: 429 share grows with load: {f_sub:.2f} at R/2..R offered, {f_high:.2f} at >= 1.5R")
    if nodes_truth:
        tot = sum(v["front_access_log"]["requests"] for v in nodes_truth.values())
        cap = lim["per_node_rate_per_s"] + lim["burst"] + 1
        parts = []
        for nm, v in sorted(nodes_truth.items()):
            fa, na = v["front_access_log"], v["node_access_log"]
            parts.append(f"{nm} {fa['by_status'].get('200', 0)}/{fa['by_status'].get('429', 0)} "
                         f"(max {na['max_accepted_in_any_1s']} accepted in 1 s)")
            check(fa == {k: na[k] for k in ("requests", "by_status")}, f"{name}: {nm}: front log == node log")
            share = fa["requests"] / max(1, tot)
            sd = (1 / N * (1 - 1 / N) / max(1, tot)) ** 0.5   # binomial (random); round-robin is exact
            check(abs(share - 1 / N) <= max(0.02, 5 * sd), f"{name}: {nm} got {share:.3f} of the requests (1/N = {1 / N:.3f})")
            check(na["max_accepted_in_any_1s"] <= cap + 1,
                  f"{name}: {nm} accepted at most {na['max_accepted_in_any_1s']} in any 1 s (rate + burst + 1 = {cap}, +1 for ms rounding)")
        print(f"  {name} per node 200/429 (nginx logs): " + "; ".join(parts))
        check(tot == len(rows), f"{name}: node requests add up to the samples ({tot})")


def check_stacked(rc, rx, t):
    lim = t["limiter"]
    L = {l["name"]: l for l in lim["limits"]}
    cl, ep = L["per-client"], L["per-endpoint"]
    ses = ep["applies_to"][0]
    others = [lb for lb in cl["applies_to"] if lb != ses]
    for name, rows in (("csv", rc), ("xml", rx)):
        rows = sorted(rows, key=lambda r: r["ts"])
        ts = [r["ts"] for r in rows]
        check_rate(name, rows, ep["rate_per_s"], ses)
        f_ses = min((r["ts"] for r in rows if r["lb"] == ses and r["rc"] == "429"), default=None)
        f_oth = min((r["ts"] for r in rows if r["lb"] in others and r["rc"] == "429"), default=None)
        if f_ses is None or f_oth is None:
            check(False, f"{name}: both labels get 429s"); continue
        print(f"  {name}: first 429 of {ses} at +{(f_ses - ts[0]) / 1000:.1f}s "
              f"(that label offered {trailing(sorted(r['ts'] for r in rows if r['lb'] == ses), f_ses)}/s), "
              f"of the other label at +{(f_oth - ts[0]) / 1000:.1f}s (all calls offered {trailing(ts, f_oth)}/s; per-client R={cl['rate_per_s']})")
        check(f_ses < f_oth, f"{name}: the per-endpoint label throttles first")
        ok = per_second(rows, "200")
        secs = sorted(ok)[1:-1]
        print(f"  {name}: accepted/s (both labels) in the last 10 s: {[ok.get(sec, 0) for sec in secs[-10:]]}")
    # XML: which limit answered, from Retry-After
    ra = defaultdict(Counter)
    for r in rx:
        if r["rc"] == "429":
            ra[r["lb"]][r["ra"]] += 1
    print("  xml Retry-After on 429s by label: " + "; ".join(f"{lb}: {dict(c)}" for lb, c in sorted(ra.items())))
    cra, era = str(cl["retry_after_s"]), str(ep["retry_after_s"])
    for lb in others:
        check(set(ra[lb]) == {cra}, f"{lb}: every 429 has the per-client Retry-After {cra}")
    check(era in ra[ses] and set(ra[ses]) <= {cra, era},
          f"{ses}: 429s carry the per-endpoint Retry-After {era} (and the per-client {cra} once the gateway throttles)")
    lo = t["files"]["xml"].get("limits_observed", {}).get("front_access_log_by_limit")
    if lo:
        for lb, c in ra.items():
            want = {cra: lo[lb].get("429_per_client", 0), era: lo[lb].get("429_per_endpoint", 0)}
            check(dict(c) == {k: v for k, v in want.items() if v}, f"{lb}: Retry-After counts == gateway log by limit")
    # calls that passed the per-client limit (200s and per-endpoint 429s) per second
    rx = sorted(rx, key=lambda r: r["ts"])
    first_cl = min((r["ts"] for r in rx if r["rc"] == "429" and r["ra"] == cra), default=None)
    if first_cl is None:
        check(False, "xml: the per-client limit throttles"); return
    passed = Counter(r["ts"] // 1000 for r in rx if not (r["rc"] == "429" and r["ra"] == cra))
    secs = [sec for sec in sorted({r["ts"] // 1000 for r in rx}) if sec > first_cl // 1000][:-1]
    vals = [passed.get(sec, 0) for sec in secs]
    print(f"  xml: calls that passed the per-client limit per second, from its first 429 on: mean {statistics.mean(vals):.1f} "
          f"median {statistics.median(vals)} (per-client R={cl['rate_per_s']}); sessions 200s/s are the per-endpoint share")
    check(abs(statistics.median(vals) - cl["rate_per_s"]) <= 0.15 * cl["rate_per_s"],
          f"xml: median passed/s within 15% of the per-client R={cl['rate_per_s']}")
    by = defaultdict(Counter)
    for r in rc:
        if r["rc"] == "429":
            by[r["lb"]][r["bytes"]] += 1
    print("  csv 429 response sizes (bytes) by label: " + "; ".join(f"{lb}: {dict(c)}" for lb, c in sorted(by.items())))


def check_default_csv(d):
    path = os.path.join(d, "threshold-rate.default.csv.jtl")
    tpath = os.path.join(d, "threshold-rate.default.truth.json")
    if not (os.path.exists(path) and os.path.exists(tpath)):
        return
    print("== threshold-rate.default (headerless CSV)")
    with open(path) as f:
        first = f.readline()
    check(not first.startswith("timeStamp"), "no header line")
    check(len(first.rstrip("\r\n").split(",")) == len(DEFAULT_COLUMNS), f"{len(DEFAULT_COLUMNS)} columns")
    with open(tpath) as f:
        t = json.load(f)
    rows = read_csv(path, DEFAULT_COLUMNS)
    counts = dict(Counter(r["rc"] for r in rows))
    print(f"  {len(rows)} samples {counts}")
    check(counts == t["server_access_log"]["by_status"], "counts == nginx access log")
    if "observed" in t:
        check(counts == t["observed"]["by_code"], "counts == truth.json")
        check(by_label(rows) == t["observed"]["by_label"], "counts per label == truth.json")
    check_threads("csv", rows, t.get("load"))
    R = t["rate_per_s"] if "rate_per_s" in t else t["limiter"]["rate_per_s"]
    check_rate("csv", rows, R)


def check_gzip(d):
    gz = sorted(f for f in os.listdir(d) if f.endswith(".gz"))
    if gz:
        print("== gzip copies")
    for f in gz:
        plain = os.path.join(d, f[:-3])
        with gzip.open(os.path.join(d, f), "rb") as g:
            data = g.read()
        if os.path.exists(plain):
            with open(plain, "rb") as p:
                check(data == p.read(), f"{f} decompresses to {f[:-3]} ({len(data)} bytes)")
        else:
            check(len(data) > 0, f"{f} decompresses ({len(data)} bytes)")


# --- shapes ---------------------------------------------------------------------
# The scenarios added for the "shapes" (see README): each shape and its plain twin.
SHAPES = ["tc-parent", "tc-default", "tc-plain", "status-503", "status-503-plain", "two-generators",
          "two-generators-plain", "id-labels", "id-labels-plain", "shared-limit", "shared-limit-plain",
          "ratelimit-headers", "ratelimit-headers-plain"]
TX_MSG = "Number of samples in transaction"
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def read_xml_tree(path):
    """Top-level samples of an XML JTL, each {ts, el, rc, lb, ng, tn, tag, h (headers, lower-case
    names), url, kids}; sub-samples (Transaction Controller parent mode) nested in kids."""
    import xml.etree.ElementTree as ET

    def conv(e):
        a = e.attrib
        rh = e.find("responseHeader")
        h = {}
        for line in ((rh.text or "") if rh is not None else "").splitlines()[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                h[k.strip().lower()] = v.strip()
        url = e.find("java.net.URL")
        return {"ts": int(a["ts"]), "el": int(a["t"]), "rc": a["rc"], "lb": a["lb"], "ng": int(a["ng"]),
                "tn": a["tn"], "rm": a.get("rm", ""), "by": int(a.get("by", 0)), "tag": e.tag, "h": h,
                "ra": h.get("retry-after"), "hdr": 1 if rh is not None else 0,
                "url": url.text if url is not None else None,
                "kids": [conv(c) for c in e if c.tag in ("httpSample", "sample")]}
    return [conv(e) for e in ET.parse(path).getroot() if e.tag in ("httpSample", "sample")]


def http_level(samples):
    """Every HTTP sample at any depth (parents of a Transaction Controller left out)."""
    out = []
    for s in samples:
        if s["tag"] == "httpSample":
            out.append(s)
        out.extend(http_level(s["kids"]))
    return out


def csv_http_rows(rows):
    return [r for r in rows if not r["responseMessage"].startswith(TX_MSG)]


def reject_code(t):
    return str(t["limiter"].get("status_on_reject", 429))


def check_rate_code(what, rows, R, code):
    """check_rate for a limiter that rejects with `code` (429 or 503)."""
    if code == "429":
        check_rate(what, rows, R)
        return
    conv = [dict(r, rc="429" if r["rc"] == code else r["rc"]) for r in rows]
    check_rate(what + f" ({code} as the rejection)", conv, R)


def check_counts(name, rows, observed, server, label_check=True):
    c = dict(Counter(r["rc"] for r in rows))
    check(c == observed["by_code"], f"{name}: counts == truth.json {c}")
    if label_check and observed.get("by_label") is not None:
        check(by_label(rows) == observed["by_label"], f"{name}: counts per label == truth.json")
    if server is not None:
        check(c == server["by_status"], f"{name}: counts == nginx access log")
        check(len(rows) == server["requests"], f"{name}: samples {len(rows)} == nginx requests {server['requests']}")


def check_retry_after_xml(name, http, t):
    code, ra = reject_code(t), str(t["retry_after"]["value_s"])
    rej = [s for s in http if s["rc"] == code]
    vals = Counter(s["ra"] for s in rej)
    print(f"  {name}: Retry-After on {code}s: {dict(vals)}")
    if rej:
        check(set(vals) == {ra}, f"{name}: every {code} carries Retry-After {ra}")
    check(all(s["ra"] is None for s in http if s["rc"] != code), f"{name}: no Retry-After on other responses")
    check(all(s["hdr"] == 1 for s in http), f"{name}: every HTTP sample has its <responseHeader>")


def tx_accepted_per_second(rows):
    """tc-parent CSV: accepted requests rebuilt from the parent rows, 2 - failing samples, by the
    parent timeStamp (the transaction start)."""
    acc = Counter()
    for r in rows:
        m = int(r["responseMessage"].rsplit(":", 1)[1])
        n = int(r["responseMessage"].split(":")[1].split(",")[0])
        acc[r["ts"] // 1000] += n - m
    return acc


def check_shape_tc(d, s, t, rc, rx):
    R = t["limiter"]["rate_per_s"]
    parent = s == "tc-parent"
    for fmt, rows in (("csv", rc), ("xml", rx)):
        f = t["files"][fmt]
        tx = f["transactions"]
        check(tx["consistent"], f"{fmt}: transactions consistent with nginx (per thread: written = first n, "
                                f"parent code rule holds) ")
        nw = tx["not_written"]
        th = t["load"]["threads"]
        print(f"  {fmt}: {tx['parent_samples']} transaction samples {tx['parent_by_code']}; nginx saw "
              f"{tx['nginx_transactions']} transactions; not written by JMeter: {nw['transactions']} "
              f"({nw['requests']} requests {nw['requests_by_status']}, by requests sent {nw['by_requests_sent']})")
        check(nw["transactions"] <= th, f"{fmt}: at most one unwritten transaction per thread ({nw['transactions']} <= {th})")
    # CSV
    txrows = [r for r in rc if r["responseMessage"].startswith(TX_MSG)]
    http = csv_http_rows(rc)
    f = t["files"]["csv"]
    check_counts("csv", rc, f["observed"], None)
    if parent:
        check(len(http) == 0 and len(txrows) == len(rc), "csv: parent mode writes ONLY the transaction rows")
        check(all(r["URL"] == "null" and r["dataType"] == "" for r in txrows), "csv: parent rows have URL null, empty dataType")
        w = f["transactions"]["written_transactions_from_nginx"]
        check(2 * len(txrows) == w["requests"], f"csv: 2 x parent rows == requests of the written transactions in nginx's log ({w['requests']})")
        acc = tx_accepted_per_second(txrows)
        first = min((r["ts"] for r in txrows if r["rc"] == "429"), default=None)
        if first is not None:
            secs = sorted({r["ts"] // 1000 for r in txrows})
            vals = [acc.get(x, 0) for x in range(first // 1000 + 1, secs[-1])]
            print(f"  csv: accepted requests/s rebuilt from the parent rows (2 - failing samples, by transaction start) "
                  f"after the first failing transaction: median {statistics.median(vals)} (R={R}); "
                  f"accepted TRANSACTIONS/s median {statistics.median([sum(1 for r in txrows if r['rc'] == '200' and r['ts'] // 1000 == x) for x in range(first // 1000 + 1, secs[-1])])}")
            check(abs(statistics.median(vals) - R) <= 0.15 * R, f"csv: rebuilt accepted requests/s within 15% of R={R}")
    else:
        srv = f["server_access_log"]
        check(dict(Counter(r["rc"] for r in http)) == srv["by_status"], "csv: HTTP rows == nginx access log (every request written)")
        check(len(http) == srv["requests"], f"csv: HTTP rows {len(http)} == nginx requests {srv['requests']}")
        # every transaction row right after the last HTTP row of its iteration, same thread
        last_by_thread, ok_order, ok_ts, ok_el = {}, 0, 0, 0
        pending = defaultdict(list)
        for r in rc:
            if r["responseMessage"].startswith(TX_MSG):
                kids = pending.pop(r["threadName"], [])
                ok_order += len(kids) == 2 and last_by_thread.get("prev") is kids[-1]
                ok_ts += bool(kids) and r["ts"] <= min(k["ts"] for k in kids)
                ok_el += bool(kids) and r["el"] == sum(k["el"] for k in kids)
            else:
                pending[r["threadName"]].append(r)
            last_by_thread["prev"] = r
        fails = [int(r["responseMessage"].rsplit(":", 1)[1]) for r in txrows]
        check(all((r["rc"] == "200") == (m == 0) and (r["rc"] in ("200", "")) for r, m in zip(txrows, fails)),
              "csv: transaction rows: responseCode 200 when no request failed, EMPTY otherwise (never 429)")
        print(f"  csv: transaction rows directly after their 2nd HTTP row: {ok_order}/{len(txrows)}; "
              f"timeStamp <= its requests': {ok_ts}; elapsed == sum of its requests': {ok_el}")
        check(ok_order >= 0.9 * len(txrows), "csv: transaction rows follow their own HTTP rows (>= 90% directly)")
        check(ok_ts == len(txrows), "csv: transaction timeStamp is never after its requests")
        check_rate("csv (HTTP rows only)", sorted(http, key=lambda r: r["ts"]), R)
    # XML
    f = t["files"]["xml"]
    top = rx
    hx = http_level(top)
    check(dict(Counter(r["rc"] for r in top)) == f["observed"]["by_code"], "xml: top-level counts == truth.json")
    if parent:
        check(all(s["tag"] == "sample" and len(s["kids"]) == 2 for s in top), "xml: every top-level element is a <sample> with 2 nested <httpSample>")
        w = f["transactions"]["written_transactions_from_nginx"]
        check(dict(Counter(s["rc"] for s in hx)) == w["requests_by_status"], "xml: nested sub-samples == nginx's requests of the written transactions")
        check(f["transactions"]["requests_inside_parents"]["urls_equal_nginx_written"], "xml: nested sub-sample URLs == nginx's URIs of the written transactions")
        check(all(p["rc"] == next((k["rc"] for k in p["kids"] if k["rc"][0] not in "23"), p["kids"][-1]["rc"]) for p in top),
              "xml: parent rc == first failing sub-sample rc, else the last one")
    else:
        srv = f["server_access_log"]
        check(dict(Counter(s["rc"] for s in hx)) == srv["by_status"], "xml: <httpSample>s == nginx access log")
    check_retry_after_xml("xml", hx, t)
    check_rate("xml (HTTP samples)", sorted(hx, key=lambda r: r["ts"]), R)


def check_shape_simple(d, s, t, rc, rx):
    """status-503*, id-labels*, shared-limit*, ratelimit-headers*, *-plain: one file per format."""
    R, code = t["limiter"]["rate_per_s"], reject_code(t)
    for fmt, rows in (("csv", rc), ("xml", rx)):
        f = t["files"][fmt]
        check_counts(fmt, rows, f["observed"], f["server_access_log"], label_check=fmt == "xml" or len({r["lb"] for r in rows}) <= 30)
        check_threads(fmt, rows, t.get("load"))
        check_rate_code(fmt, sorted(rows, key=lambda r: r["ts"]), R, code)
    check_retry_after_xml("xml", rx, t)
    if code == "503":
        check(all(r["rc"] in ("200", "503") for r in rc + rx), "only 200 and 503, no 429")
        rm = Counter(r["responseMessage"] for r in rc if r["rc"] == "503")
        print(f"  csv: responseMessage of the 503s: {dict(rm)}; bytes {dict(Counter(r['bytes'] for r in rc if r['rc'] == '503'))}")
    if s == "id-labels":
        for fmt, rows in (("csv", rc), ("xml", rx)):
            labels = {r["lb"] for r in rows}
            tmpl = {UUID_RE.sub("{flowId}", lb) for lb in labels}
            print(f"  {fmt}: {len(labels)} distinct labels for {len(rows)} samples; as templates: {sorted(tmpl)}")
            check(len(labels) == len(rows), f"{fmt}: every sample has its own label")
            check(tmpl == {"PUT /api/v2/architect/flows/{flowId}"}, f"{fmt}: labels are PUT /api/v2/architect/flows/<uuid>")
            urls = [(r["lb"], r["URL"] if fmt == "csv" else r["url"]) for r in rows]
            same = sum(1 for lb, u in urls if u and lb.split(" ", 1)[1] == re.sub(r"^https?://[^/]+", "", u))
            check(same == len(rows), f"{fmt}: label == 'PUT ' + the URL path of the same sample ({same}/{len(rows)})")
            check(t["distinct_labels"][fmt] == len(labels), f"{fmt}: distinct_labels in truth.json == {len(labels)}")
    if s == "shared-limit":
        sl = t["shared_limit"]
        for fmt, rows in (("csv", rc), ("xml", rx)):
            n = Counter(r["lb"] for r in rows)
            tot = sum(n.values())
            parts = []
            for lb, spec in sl["labels"].items():
                share = n[lb] / tot
                parts.append(f"{lb}: share {share:.3f} (plan {spec['share']})")
                check(abs(share - spec["share"]) < 0.02, f"{fmt}: {lb} share {share:.3f} ~ {spec['share']}")
                _, med, _, _ = saturated_accept_rate(sorted(rows, key=lambda r: r["ts"]), lb)
                parts.append(f"accepted/s median {med} (~{spec['share'] * R:.1f} = share x R)")
            print(f"  {fmt}: " + "; ".join(parts))
    if s == "ratelimit-headers":
        B = t["limiter"]["burst"]
        hs = ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "ratelimit-policy", "x-ratelimit-limit"]
        check(all(all(h in r["h"] for h in hs) for r in rx), "xml: every response has RateLimit-Limit/-Remaining/-Reset/-Policy and X-RateLimit-Limit")
        check(all(r["h"].get("ratelimit-limit") == str(R) and r["h"].get("x-ratelimit-limit") == str(R) for r in rx), f"xml: (X-)RateLimit-Limit == {R}")
        check(all(r["h"].get("ratelimit-policy") == f"{R};w=1" for r in rx), f"xml: RateLimit-Policy == {R};w=1")
        rem = Counter((r["rc"], r["h"].get("ratelimit-remaining")) for r in rx)
        check(all(v == "0" for c, v in rem if c == "429"), "xml: RateLimit-Remaining 0 on every 429")
        check(all(v is not None and v.isdigit() and 0 <= int(v) <= B for c, v in rem), f"xml: RateLimit-Remaining in 0..{B}")
        rem200 = Counter(v for c, v in rem.elements() if c == "200") if False else Counter({v: n for (c, v), n in rem.items() if c == "200"})
        print(f"  xml: RateLimit-Remaining on 200s: {dict(sorted(rem200.items(), key=lambda kv: int(kv[0])))}; "
              f"RateLimit-Reset: {dict(Counter((r['rc'], r['h'].get('ratelimit-reset')) for r in rx))}")
        srv = t["files"]["xml"]["server_access_log"]["ratelimit_remaining_by_status"]
        mine = defaultdict(dict)
        for (c, v), n in rem.items():
            mine[c][v] = n
        check({c: dict(sorted(v.items())) for c, v in mine.items()} == {c: dict(sorted(v.items())) for c, v in srv.items()},
              "xml: RateLimit-Remaining values == the values nginx logged")
        check(len(rem200) >= 3, "xml: RateLimit-Remaining varies on 200s (dynamic)")
        mc = t["files"]["xml"]["server_access_log"].get("remaining_model_check")
        if mc:
            print(f"  xml: Remaining vs a replay of the bucket over nginx's log: equal {mc['remaining_equal_model']}, "
                  f"off by 1 {mc['remaining_off_by_1']}, more {mc['remaining_off_more']} of {mc['remaining_on_200']}; "
                  f"status same as model {mc['status_same_as_model']}/{mc['requests']}")
            check(mc["remaining_equal_model"] >= 0.95 * mc["remaining_on_200"] and mc["remaining_off_more"] == 0,
                  "xml: RateLimit-Remaining equals the replayed bucket on >= 95% of 200s, never off by more than 1")


def check_shape_two_generators(d, s, t):
    R = t["limiter"]["rate_per_s"]
    g = t["generators"]
    for fmt in ("csv", "xml"):
        f = t["files"][fmt]
        files = g["files"][fmt]
        rows = {}
        for gen, name in zip(g["names"], files):
            path = os.path.join(d, name)
            rows[gen] = read_csv(path) if fmt == "csv" else read_xml_tree(path)
            check_counts(f"{fmt} {gen}", rows[gen], f[gen]["observed"], f[gen]["server_access_log"])
            mx = max(r["ng"] for r in rows[gen])
            check(mx == g["threads_per_engine"], f"{fmt} {gen}: max grpThreads {mx} == threads per engine {g['threads_per_engine']} (not the total)")
        names = [{r["tn"] if fmt == "xml" else r["threadName"] for r in rows[gen]} for gen in g["names"]]
        check(names[0] == names[1], f"{fmt}: both files use the same thread names ({len(names[0])} each)")
        both = sorted(rows["gen1"] + rows["gen2"], key=lambda r: r["ts"])
        srv = f["server_access_log"]
        check(dict(Counter(r["rc"] for r in both)) == srv["by_status"], f"{fmt}: both files together == nginx access log")
        print(f"  {fmt}: gen2's first sample - gen1's first sample: {f['start_offset_ms_gen2_minus_gen1']} ms")
        check_rate(f"{fmt} (both files merged)", both, R)
        for gen in g["names"]:
            _, med, _, _ = saturated_accept_rate(sorted(rows[gen], key=lambda r: r["ts"]))
            print(f"  {fmt} {gen} alone: accepted/s median after its first 429: {med} (its share of R={R})")
        if fmt == "xml":
            check_retry_after_xml("xml", both, t)


def check_twin_pair(d, shape, twin):
    """The shape and its plain twin were made for the same limiter: same rate, burst, Retry-After."""
    a, b = load_truth(d, shape), load_truth(d, twin)
    same = all(a["limiter"][k] == b["limiter"][k] for k in ("rate_per_s", "burst")) and \
        a["retry_after"]["value_s"] == b["retry_after"]["value_s"]
    check(same and a["expected_verdict"] == b["expected_verdict"],
          f"{shape} and its twin {twin}: same limiter ({a['limiter']['rate_per_s']} r/s, burst {a['limiter']['burst']}, "
          f"Retry-After {a['retry_after']['value_s']}) and verdict")


def check_shapes(d):
    for s in SHAPES:
        tp = os.path.join(d, s + ".truth.json")
        if not os.path.exists(tp):
            continue
        print(f"== {s} (shape)" if not s.endswith("-plain") else f"== {s} (plain twin)")
        t = load_truth(d, s)
        print("  parameters: " + " ".join(f"{k}={v}" for k, v in t["parameters"].items()))
        if s == "two-generators":
            check_shape_two_generators(d, s, t)
        else:
            rc = read_csv(os.path.join(d, s + ".csv.jtl"))
            rx = read_xml_tree(os.path.join(d, s + ".xml.jtl"))
            for r in rc:
                r["tn"] = r["threadName"]
            if s in ("tc-parent", "tc-default"):
                check_shape_tc(d, s, t, rc, rx)
            else:
                check_shape_simple(d, s, t, rc, rx)
        twin = t.get("plain_twin", {}).get("scenario")
        if twin and os.path.exists(os.path.join(d, twin + ".truth.json")):
            check_twin_pair(d, s, twin)


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        sys.exit(2)
    d = sys.argv[1]
    for s in SCENARIOS:
        pc, px = os.path.join(d, s + ".csv.jtl"), os.path.join(d, s + ".xml.jtl")
        if not (os.path.exists(pc) and os.path.exists(px)):
            if os.path.exists(os.path.join(d, s + ".truth.json")):
                print(f"== {s}: missing")
            continue
        print(f"== {s}")
        rc, rx = read_csv(pc), read_xml(px)
        t = common(d, s, rc, rx)
        if s == "threshold-rate":
            for name, rows in (("csv", rc), ("xml", rx)):
                check_rate(name, rows, t["limiter"]["rate_per_s"])
                frac, n = frac_429_below(rows, t["limiter"]["rate_per_s"])
                if n:
                    print(f"  {name}: share of 429s sent while fewer than R were accepted in the trailing second: "
                          f"{frac:.2f} (contrast for distributed)")
        elif s == "per-endpoint":
            for lb, spec in t["limiter"]["per_label"].items():
                for name, rows in (("csv", rc), ("xml", rx)):
                    check_rate(name, rows, spec["rate_per_s"], lb)
                ra = Counter(r["ra"] for r in rx if r["lb"] == lb and r["rc"] == "429")
                check(set(ra) == {str(spec["retry_after_s"])}, f"{lb}: Retry-After {dict(ra)} == {spec['retry_after_s']}")
        elif s == "random":
            for name, rows in (("csv", rc), ("xml", rx)):
                check_random(name, rows, t["limiter"]["probability"], t["load"]["threads"])
        elif s == "none":
            check(all(r["rc"] == "200" for r in rc + rx), "no 429 at all")
        elif s == "fixed-window":
            check_fixed_window(rc, rx, t["limiter"]["limit"], t["limiter"]["window_s"])
        elif s == "concurrency":
            check_concurrency(rc, rx, t["limiter"]["max_in_flight"])
        elif s == "distributed":
            for name, rows in (("csv", rc), ("xml", rx)):
                check_distributed(name, rows, t["limiter"], t["load"], t["files"][name].get("nodes"))
        elif s == "stacked":
            check_stacked(rc, rx, t)
    check_default_csv(d)
    check_shapes(d)
    check_gzip(d)
    print()
    print("FAILED: %d" % len(FAIL) if FAIL else "all checks passed")
    sys.exit(1 if FAIL else 0)


if __name__ == "__main__":
    main()
