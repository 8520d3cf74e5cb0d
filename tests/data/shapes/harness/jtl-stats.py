#!/usr/bin/env python3
"""jtl-stats.py: counts for the truth.json of the shape scenarios (python3, stdlib only).

Used by run-scenarios.sh for the scenarios added for the "shapes" (tc-*, status-503*,
two-generators*, id-labels*, shared-limit*, ratelimit-headers*); the classic scenarios are
still counted with the awk functions in run-scenarios.sh. Every sub-command prints one JSON
object on stdout:

  jtl-stats.py csv FILE                 what the JMeter CSV holds
  jtl-stats.py xml FILE                 what the JMeter XML holds (nested sub-samples too)
  jtl-stats.py nginx LOG [--by KEY] [--rate R --burst B]
                                        nginx's own count (access log); KEY = gen | txn | rem
                                        adds per-value counts of that log field (rem with R and B
                                        also replays the bucket to check RateLimit-Remaining)
  jtl-stats.py tc JTL LOG               Transaction Controller files against nginx's log:
                                        which transactions JMeter wrote, their codes derived
                                        from the server side, what was not written
  jtl-stats.py labels JTL...            distinct labels over the given files
"""
import csv
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TX_MSG = "Number of samples in transaction"
RL_HEADERS = ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy",
              "X-RateLimit-Limit"]
MAX_LABELS = 30   # by_label is written only up to this many distinct labels


def template(s):
    return UUID.sub("{flowId}", s)


def nested(counter_pairs):
    out = defaultdict(dict)
    for (a, b), n in sorted(counter_pairs.items()):
        out[a][b] = n
    return dict(out)


def label_block(lc):
    """by_label (if few labels), distinct_labels, by_label_template from a Counter of (label, code)."""
    labels = {lb for lb, _ in lc}
    tl = Counter()
    for (lb, c), n in lc.items():
        tl[(template(lb), c)] += n
    return {"distinct_labels": len(labels),
            "by_label": nested(lc) if len(labels) <= MAX_LABELS else None,
            "by_label_template": nested(tl)}


def cmd_csv(path):
    with open(path, newline="") as f:
        text = f.read()
    first = text.split("\n", 1)[0]
    rows = list(csv.DictReader(text.splitlines()))
    n = len(rows)
    code = Counter(r["responseCode"] for r in rows)
    lc = Counter((r["label"], r["responseCode"]) for r in rows)
    ts = [int(r["timeStamp"]) for r in rows]
    ends = [int(r["timeStamp"]) + int(r["elapsed"]) for r in rows]
    tx = [r for r in rows if r["responseMessage"].startswith(TX_MSG)]
    http = [r for r in rows if not r["responseMessage"].startswith(TX_MSG)]
    out = {"samples": n, "header_line": first.startswith("timeStamp"), "columns": len(first.split(",")),
           "first_timestamp_ms": min(ts) if ts else None, "last_end_ms": max(ends) if ends else None,
           "rows_with_quotes": sum(1 for line in text.splitlines()[1:] if '"' in line),
           "rows_out_of_timestamp_order": sum(1 for a, b in zip(ts, ts[1:]) if b < a),
           "by_code": dict(sorted(code.items()))}
    out.update(label_block(lc))
    out["threads"] = {"distinct_thread_names": len({r["threadName"] for r in rows}),
                      "max_grpThreads": max((int(r["grpThreads"]) for r in rows), default=0)}
    if tx:
        out["transaction_rows"] = {"rows": len(tx), "by_code": dict(sorted(Counter(r["responseCode"] for r in tx).items())),
                                   "by_failing_samples": dict(sorted(Counter(
                                       r["responseMessage"].rsplit(":", 1)[1].strip() for r in tx).items()))}
        out["http_rows"] = {"rows": len(http), "by_code": dict(sorted(Counter(r["responseCode"] for r in http).items()))}
    return out


def parse_headers(text):
    h = {}
    for line in (text or "").splitlines()[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            h[k.strip().lower()] = v.strip()
    return h


def xml_samples(path):
    """[(element, attrs, headers, url, [children...])] for the top-level samples."""
    root = ET.parse(path).getroot()

    def conv(el):
        kids = [conv(c) for c in el if c.tag in ("httpSample", "sample")]
        rh = el.find("responseHeader")
        url = el.find("java.net.URL")
        return {"tag": el.tag, "a": el.attrib, "h": parse_headers(rh.text if rh is not None else ""),
                "has_hdr": rh is not None, "url": url.text if url is not None else None, "kids": kids}
    return [conv(el) for el in root if el.tag in ("httpSample", "sample")]


def walk(samples):
    for s in samples:
        yield s
        yield from walk(s["kids"])


def cmd_xml(path):
    top = xml_samples(path)
    allh = [s for s in walk(top) if s["tag"] == "httpSample"]
    code = Counter(s["a"]["rc"] for s in top)
    lc = Counter((s["a"]["lb"], s["a"]["rc"]) for s in top)
    ts = [int(s["a"]["ts"]) for s in top]
    ends = [int(s["a"]["ts"]) + int(s["a"]["t"]) for s in top]
    out = {"samples": len(top), "elements": dict(Counter(s["tag"] for s in top)),
           "first_timestamp_ms": min(ts) if ts else None, "last_end_ms": max(ends) if ends else None,
           "by_code": dict(sorted(code.items()))}
    out.update(label_block(lc))
    out["threads"] = {"distinct_thread_names": len({s["a"]["tn"] for s in top}),
                      "max_grpThreads": max((int(s["a"]["ng"]) for s in top), default=0)}
    subs = [k for s in top for k in walk(s["kids"])]
    if subs:
        slc = Counter((k["a"]["lb"], k["a"]["rc"]) for k in subs)
        out["sub_samples"] = {"samples": len(subs), "elements": dict(Counter(k["tag"] for k in subs)),
                              "per_parent": dict(sorted(Counter(len(s["kids"]) for s in top).items())),
                              "by_code": dict(sorted(Counter(k["a"]["rc"] for k in subs).items()))}
        out["sub_samples"].update(label_block(slc))
    # every HTTP response at any depth: Retry-After and RateLimit-* header values by status code
    ra = Counter((s["a"]["rc"], s["h"].get("retry-after", "(none)")) for s in allh)
    out["http_responses"] = {"samples": len(allh), "by_code": dict(sorted(Counter(s["a"]["rc"] for s in allh).items())),
                             "with_response_header": sum(1 for s in allh if s["has_hdr"]),
                             "retry_after_by_code": nested(ra)}
    rl = {}
    for name in RL_HEADERS:
        c = Counter((s["a"]["rc"], s["h"][name.lower()]) for s in allh if name.lower() in s["h"])
        if c:
            rl[name] = nested(c)
    if rl:
        out["http_responses"]["ratelimit_headers_by_code"] = rl
    # backward-compatible keys of the classic truth.json
    out["retry_after_on_429"] = sum(n for (c, v), n in ra.items() if c == "429" and v != "(none)")
    out["retry_after_on_other"] = sum(n for (c, v), n in ra.items() if c != "429" and v != "(none)")
    return out


LOG_RE = re.compile(r'^(\S+) (\d+) (\S+) "(\S+) (\S+)"(.*)$')


def read_log(path):
    out = []
    with open(path) as f:
        for line in f:
            m = LOG_RE.match(line.rstrip("\n"))
            if not m:
                continue
            kv = dict(t.split("=", 1) for t in m.group(6).split() if "=" in t)
            req = m.group(4) + " " + re.sub(r"/flows/[^/ ]+", "/flows/{flowId}", m.group(5))
            out.append({"t": float(m.group(1)), "rt": m.group(3), "st": m.group(2), "req": req, "uri": m.group(5), "kv": kv})
    return out


def log_counts(recs):
    return {"requests": len(recs), "by_status": dict(sorted(Counter(r["st"] for r in recs).items())),
            "by_request": nested(Counter((r["req"], r["st"]) for r in recs))}


def remaining_model(recs, rate, burst):
    """Replays nginx's limit_req arithmetic (excess in 1/1000 requests, ms clock, nodelay) over the
    requests in the order of their start time by nginx's own log ($msec - $request_time), counting
    the requests nginx accepted, and compares BURST - ceil(fill) with the RateLimit-Remaining the
    server sent on each 200 (and the replay's accept/reject decision with nginx's). Only an
    independent sanity check: the log clock is not the limiter's cached clock, so small differences
    are expected."""
    ev = sorted(((round(r["t"] * 1000) - round(float(r.get("rt", 0)) * 1000), i, r) for i, r in enumerate(recs)))
    excess, last = 0, None
    same_status = rem_equal = rem_off1 = rem_other = n200 = 0
    for ms, _, r in ev:
        # nginx: a new node starts at excess 0; else excess = lr->excess - rate * ms + 1000, clamped at 0
        e = 0 if last is None else max(0, excess - rate * max(0, ms - last) + 1000)
        ok = e <= burst * 1000
        same_status += ("200" if ok else "429") == r["st"]
        ok = r["st"] == "200"      # follow what nginx decided, so the replay does not drift
        if ok:
            excess, last = e, ms
        if r["st"] == "200":
            n200 += 1
            model = burst - (-(-e // 1000)) if ok else 0
            sent = r["kv"].get("rem")
            if sent is not None and sent.isdigit():
                d = abs(int(sent) - model)
                rem_equal += d == 0
                rem_off1 += d == 1
                rem_other += d > 1
    return {"requests": len(recs), "status_same_as_model": same_status, "remaining_on_200": n200,
            "remaining_equal_model": rem_equal, "remaining_off_by_1": rem_off1, "remaining_off_more": rem_other,
            "note": "model = nginx limit_req arithmetic replayed over nginx's own log times (start = $msec - $request_time), counting what nginx accepted; the log clock differs from the limiter's cached clock by a ms or so, so small differences are expected"}


def cmd_nginx(path, by=None, rate=None, burst=None):
    recs = read_log(path)
    out = log_counts(recs)
    if by:
        groups = defaultdict(list)
        for r in recs:
            groups[r["kv"].get(by, "-")].append(r)
        if by == "rem":
            out["ratelimit_remaining_by_status"] = nested(Counter((r["st"], r["kv"].get("rem", "-")) for r in recs))
            out["ratelimit_reset_by_status"] = nested(Counter((r["st"], r["kv"].get("reset", "-")) for r in recs))
            tr = [r["kv"].get("trace", "-") for r in recs if r["st"] == "200"]
            mono = sum(1 for t in tr if re.fullmatch(r"D*P*", t))
            out["remaining_trace"] = {"on_200": len(tr), "monotonic": mono,
                                      "note": "trace = P/D per tier k = 0..BURST-1 (P: fill <= k); monotonic = D*P*"}
            if rate and burst is not None:
                out["remaining_model_check"] = remaining_model(recs, rate, burst)
        else:
            out["by_" + {"gen": "generator", "txn": "transaction"}.get(by, by)] = {
                k: {"requests": len(v), "by_status": dict(sorted(Counter(r["st"] for r in v).items()))}
                for k, v in sorted(groups.items())} if by != "txn" else len(groups)
    return out


def parent_code(codes, default_mode=False):
    """Parent mode (JMeter 2.13 TransactionSampler): the parent takes each sub-sample's code until
    the first failing one, so: the first non-2xx/3xx code, else the last code.
    Default mode (the transaction row after the requests): 200 if no request failed, else an
    EMPTY code (JMeter sets only the OK code)."""
    if default_mode:
        return "200" if all(c.startswith(("2", "3")) for c in codes) else ""
    for c in codes:
        if not c.startswith(("2", "3")):
            return c
    return codes[-1]


def cmd_tc(jtl, log):
    """Which transactions JMeter wrote, against the X-Txn groups of nginx's log."""
    is_xml = open(jtl).read(64).lstrip().startswith("<?xml")
    if is_xml:
        top = xml_samples(jtl)
        parents = [(s["a"]["tn"], s["a"]["rc"], s) for s in top if s["tag"] == "sample"]
        default_mode = any(s["tag"] == "httpSample" for s in top)
    else:
        with open(jtl, newline="") as f:
            rows = list(csv.DictReader(f))
        parents = [(r["threadName"], r["responseCode"], r) for r in rows if r["responseMessage"].startswith(TX_MSG)]
        default_mode = any(not r["responseMessage"].startswith(TX_MSG) for r in rows)
    written = Counter(int(tn.rsplit("-", 1)[1]) for tn, _, _ in parents)
    tx = defaultdict(list)
    for r in read_log(log):
        th, it = r["kv"]["txn"].split("-")
        tx[(int(th), int(it))].append(r)
    threads = sorted({th for th, _ in tx} | set(written))
    derived, lost, lost_req, bad = Counter(), Counter(), [], []
    inside = []
    for th in threads:
        its = sorted(it for t, it in tx if t == th)
        m = written.get(th, 0)
        if its != list(range(1, len(its) + 1)):
            bad.append(f"thread {th}: transaction numbers {its[:3]}... not 1..n")
        if not (len(its) - 1 <= m <= len(its)):
            bad.append(f"thread {th}: {m} written, {len(its)} in nginx")
        for it in its:
            reqs = tx[(th, it)]
            if it <= m:
                derived[parent_code([r["st"] for r in reqs], default_mode)] += 1
                inside.extend(reqs)
            else:
                lost[len(reqs)] += 1
                lost_req.extend(reqs)
    jtl_codes = Counter(c for _, c, _ in parents)
    out = {"parent_samples": len(parents), "parent_by_code": dict(sorted(jtl_codes.items())),
           "nginx_transactions": len(tx),
           "nginx_requests_per_transaction": dict(sorted(Counter(len(v) for v in tx.values()).items())),
           "written_transactions_from_nginx": {
               "transactions": sum(min(written.get(th, 0), sum(1 for t, _ in tx if t == th)) for th in threads),
               "parent_by_code_derived": dict(sorted(derived.items())),
               "requests": len(inside), "requests_by_status": dict(sorted(Counter(r["st"] for r in inside).items()))},
           "not_written": {"transactions": sum(lost.values()),
                           "by_requests_sent": {str(k): v for k, v in sorted(lost.items())},
                           "requests": len(lost_req),
                           "requests_by_status": dict(sorted(Counter(r["st"] for r in lost_req).items()))},
           "mode": "default (transaction rows after the requests)" if default_mode else "parent sample",
           "parent_code_rule": ("200 if no request of the transaction failed, else EMPTY (JMeter 2.13 sets only the OK code)" if default_mode
                                else "code of the first failing sub-sample, else of the last sub-sample (JMeter 2.13 TransactionSampler)"),
           "consistent": not bad and dict(derived) == dict(jtl_codes)}
    if bad:
        out["problems"] = bad[:10]
    if is_xml:
        subs = [k for _, _, s in parents for k in s["kids"]]
        out["requests_inside_parents"] = {"sub_samples": len(subs),
                                          "by_code": dict(sorted(Counter(k["a"]["rc"] for k in subs).items()))}
        uris = Counter(r["uri"] for r in inside)
        sub_uris = Counter(re.sub(r"^https?://[^/]+", "", k["url"] or "") for k in subs)
        out["requests_inside_parents"]["urls_equal_nginx_written"] = uris == sub_uris
    return out


def cmd_labels(paths):
    labels = set()
    for p in paths:
        if open(p).read(64).lstrip().startswith("<?xml"):
            labels |= {s["a"]["lb"] for s in walk(xml_samples(p))}
        else:
            with open(p, newline="") as f:
                labels |= {r["label"] for r in csv.DictReader(f)}
    return {"distinct_labels": len(labels)}


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    cmd = argv[1]
    if cmd == "csv":
        out = cmd_csv(argv[2])
    elif cmd == "xml":
        out = cmd_xml(argv[2])
    elif cmd == "nginx":
        opts = dict(zip(argv[3::2], argv[4::2]))
        out = cmd_nginx(argv[2], opts.get("--by"), int(opts["--rate"]) if "--rate" in opts else None,
                        int(opts["--burst"]) if "--burst" in opts else None)
    elif cmd == "tc":
        out = cmd_tc(argv[2], argv[3])
    elif cmd == "labels":
        out = cmd_labels(argv[2:])
    else:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    print(json.dumps(out, separators=(", ", ": ")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
