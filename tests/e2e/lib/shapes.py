# SPDX-License-Identifier: MIT
"""The acceptance of the throttling analysis on real result shapes.

A data set (tests/data/shapes/<set>/) holds real JMeter runs against nginx
limiters in the shapes real results take (Transaction Controllers, 503,
one file per load generator, ids in labels, one limit shared by two
endpoints, RateLimit headers), each with its plain twin: the same limiter,
one sampler, one file, 429.  run() analyses every shape and twin, CSV and
XML, and checks that the shape gets the twin's verdict, mechanism and limit
(within 10 %, and within 10 % of truth.json), plus what each shape is about.
Expected values come from truth.json only; jtlscope never sees it.
"""
import glob
import json
import os
import subprocess

from jtlcheck import BIN, DATA, check, near

TWINS = {
    "tc-parent": "tc-plain",
    "tc-default": "tc-plain",
    "status-503": "status-503-plain",
    "two-generators": "two-generators-plain",
    "id-labels": "id-labels-plain",
    "shared-limit": "shared-limit-plain",
    "ratelimit-headers": "ratelimit-headers-plain",
}


def throttle(files, *opts, quiet=True):
    """jtlscope throttle --format json FILES: (exit code, JSON, stderr)."""
    q = ["-q"] if quiet else []
    p = subprocess.run([BIN, "throttle", *q, "--format", "json", *opts,
                        *files], capture_output=True, text=True)
    try:
        j = json.loads(p.stdout)
    except ValueError:
        j = None
    return p.returncode, j, p.stderr


def shape_files(d, stem, fmt):
    if stem == "two-generators":
        return sorted(glob.glob(os.path.join(d, f"{stem}.gen*.{fmt}.jtl.gz")))
    return [os.path.join(d, f"{stem}.{fmt}.jtl.gz")]


def rate_of(truth):
    return truth["limiter"]["rate_per_s"]


def run(set_name):
    d = os.path.join(DATA, "shapes", set_name)
    shapes = 0
    for stem, twin in TWINS.items():
        tpath = os.path.join(d, stem + ".truth.json")
        if not check(os.path.exists(tpath), f"{set_name}/{stem}: truth.json"):
            continue
        truth = json.load(open(tpath))
        rate = rate_of(truth)
        for fmt in ("csv", "xml"):
            name = f"{set_name}/{stem}.{fmt}"
            files = shape_files(d, stem, fmt)
            if not check(files and all(map(os.path.exists, files)),
                         f"{name}: files present"):
                continue
            rc, j, err = throttle(files)
            rt, t, _ = throttle([os.path.join(d, f"{twin}.{fmt}.jtl.gz")])
            if not check(rc == 0 and j and rt == 0 and t,
                         f"{name}: shape and twin analysed (exit {rc}, {rt})"):
                continue
            shapes += 1
            check(j["verdict"] == t["verdict"] == truth["expected_verdict"],
                  f"{name}: verdict {j['verdict']}, twin {t['verdict']}, "
                  f"truth {truth['expected_verdict']}")
            check(j["mechanism"] == t["mechanism"] == "rate",
                  f"{name}: mechanism {j['mechanism']}, twin {t['mechanism']}")
            got = (j["limit"] or {}).get("rate_per_s")
            tw = (t["limit"] or {}).get("rate_per_s")
            check(got and tw and near(got, tw) and near(got, rate),
                  f"{name}: limit {got}/s, twin {tw}/s, truth {rate}/s "
                  "(10 %)")
            check(j["why"] and j["confidence"] in ("high", "medium", "low"),
                  f"{name}: why ({len(j['why'] or [])} findings) and a "
                  f"confidence ({j['confidence']})")
            check_shape(stem, fmt, name, files, truth, j, t)
    return shapes


def check_shape(stem, fmt, name, files, truth, j, t):
    inp = j["input"]
    if stem in ("tc-parent", "tc-default"):
        # every request that went on the wire and is in the file, once; no
        # controller sample counted as a request
        f = truth["files"][fmt]
        obs = f["observed"]
        if stem == "tc-default":
            want = (obs["http_rows"]["rows"] if fmt == "csv"
                    else obs["elements"]["httpSample"])
            want429 = obs["by_code"].get("429", 0)
        else:
            w = f["transactions"]["written_transactions_from_nginx"]
            want, want429 = w["requests"], w["requests_by_status"]["429"]
        check(j["samples"] == want and j["throttled"] == want429,
              f"{name}: {j['samples']} requests, {j['throttled']} refused "
              f"(truth: {want}, {want429})")
        check(inp["transactions"] == f["transactions"]["parent_samples"],
              f"{name}: {inp['transactions']} transactions said (truth "
              f"{f['transactions']['parent_samples']})")
    elif stem == "status-503":
        codes = {c["code"]: c["count"] for c in inp["throttle_codes"]}
        check(codes.get(503, codes.get("503", 0)) > 0,
              f"{name}: 503 analysed by default {inp['throttle_codes']}")
        # 429 alone: no refusal, but never a confident "no throttling"
        rc, o, _ = throttle(files, "--throttle-codes", "429")
        check(rc == 0 and o and o["confidence"] == "low" and
              any("--throttle-codes 429,503" in w for w in o["why"]),
              f"{name}: with 429 alone: confidence "
              f"{o and o['confidence']}, why {o and o['why']}")
        lim = [c for c in o["input"]["response_codes"] if c["limit_like"]]
        check([c["code"] for c in lim] == ["503"],
              f"{name}: 503 marked as behaving like a limit: {lim}")
    elif stem == "two-generators":
        gens = truth["generators"]
        check(j["generators"]["count"] == gens["engines"],
              f"{name}: {j['generators']['count']} load generators "
              f"(truth {gens['engines']})")
        check(j["max_threads"] == gens["threads_total"] == t["max_threads"],
              f"{name}: active threads {j['max_threads']}, twin "
              f"{t['max_threads']}, truth {gens['threads_total']}")
        w, tw = (j["retry_after"]["wait_after_429_s"]["p50"],
                 t["retry_after"]["wait_after_429_s"]["p50"])
        check(near(w, tw, 0.15),
              f"{name}: median wait after a 429 {w} s, twin {tw} s")
        p, tp = (j["pacing"]["per_thread_per_min"],
                 t["pacing"]["per_thread_per_min"])
        check(p and tp and near(p, tp, 0.15),
              f"{name}: per-thread pacing {p}/min, twin {tp}/min")
        # the same file twice: named, read once
        rc, dup, err = throttle([files[0], files[0]], quiet=False)
        rc1, one, _ = throttle([files[0]])
        check(rc == 0 and dup and one and dup["samples"] == one["samples"],
              f"{name}: {files[0]} given twice: "
              f"{dup and dup['samples']} requests, once "
              f"{one and one['samples']}")
        check(os.path.basename(files[0]) in err and "read once" in err,
              f"{name}: the duplicate named in a warning")
    elif stem == "id-labels":
        labs = [s for s in j["scopes"] if s["scope"] == "label"]
        big = [s for s in labs if (s.get("labels") or 1) >= 50]
        check(len(labs) <= 3 and big,
              f"{name}: {len(labs)} label scope(s), the template holding "
              f"{big[0]['labels'] if big else 0} labels")
        if big:
            check(big[0]["verdict"] == "threshold" and
                  near(big[0]["limit"]["rate_per_s"], rate_of(truth)),
                  f"{name}: the endpoint template's limit "
                  f"{big[0]['limit']['rate_per_s']}/s")
    elif stem == "shared-limit":
        labs = [s for s in j["scopes"] if s["scope"] == "label"
                and s["pacing"]["target_rate_per_s"]]
        total = sum(s["pacing"]["target_rate_per_s"] for s in labs)
        target = j["pacing"]["target_rate_per_s"]
        check(len(labs) >= 2 and near(total, target, 0.02),
              f"{name}: the labels' paces add up to {total:.2f}/s, the "
              f"target {target}/s")
        check(all(s["pacing"]["share"] for s in labs),
              f"{name}: each label's share of the shared budget given")
    elif stem == "ratelimit-headers" and fmt == "xml":
        a = j["advertised_limit"]
        adv = truth.get("advertised", {}) or truth.get("ratelimit_headers", {})
        check(a is not None and a["agrees"] is True,
              f"{name}: advertised limit {a and a['limit']} per "
              f"{a and a['window_s']} s agrees with the limit found")
