#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# xml_gen.py - write a large, realistic JMeter XML result file for the XML
# decoder benchmark: N top-level samples shaped like JMeter 2.13-5.x output
# (the jmeter-nginx fixtures): <httpSample> with the full attribute set,
# a <responseHeader> block on every sample (Retry-After on 429s), a
# <java.net.URL>, assertion results on failures, and every 25th sample a
# transaction controller <sample> with two nested <httpSample> children.
# Deterministic (fixed seed).  Usage: xml_gen.py N OUT
# xml_gen.py --huge-text MIB OUT writes one sample whose <responseData> is
# MIB MiB (a single text node), for the memory check.
import random
import sys
import time

def huge(mib, out):
    line = "0123456789abcdefghijklmnopqrstuvwxyz &amp; ABCDEFGHIJKLMNOPQRSTUVWXYZ!\n"
    block = line * (1048576 // len(line))
    with open(out, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<testResults version="1.2">\n'
                '<httpSample t="1" lt="1" ts="1795336269629" s="false" lb="huge" rc="500" '
                'rm="Internal Server Error" tn="t 1-1" dt="text" by="1">\n'
                '  <responseHeader class="java.lang.String">HTTP/1.1 500 x\n</responseHeader>\n'
                '  <responseData class="java.lang.String">')
        for _ in range(mib):
            f.write(block)
        f.write('</responseData>\n</httpSample>\n'
                '<httpSample t="2" ts="1795336269700" s="true" lb="after" rc="200"/>\n'
                '</testResults>\n')

def main():
    if sys.argv[1] == "--huge-text":
        huge(int(sys.argv[2]), sys.argv[3])
        return
    n = int(sys.argv[1])
    out = sys.argv[2]
    rnd = random.Random(1795336269)
    labels = ["POST /api/v2/architect/flows/{flowId}/sessions",
              "GET /api/v2/architect/flows/{flowId}",
              "GET /api/v2/users/me", "PUT /api/v2/architect/ivrs/{ivrId}",
              "GET /api/v2/analytics/conversations/details?pageSize=100&amp;pageNumber=1"]
    ts = 1795336269629
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<testResults version="1.2">\n']
    cache = {}
    def date(ms):
        s = ms // 1000
        if s not in cache:
            cache.clear()
            cache[s] = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(s))
        return cache[s]
    def http(ind, t, lb, code, thread, ng):
        nonlocal ts
        ok = code == 200
        el = rnd.randint(1, 250) if ok else rnd.randint(1, 5)
        hdr = ("HTTP/1.1 200 OK\nServer: nginx\nDate: %s\nContent-Type: application/json\n"
               "Transfer-Encoding: chunked\nConnection: keep-alive\n" % date(t)) if ok else (
               "HTTP/1.1 429 Too Many Requests\nServer: nginx\nDate: %s\nContent-Type: application/json\n"
               "Content-Length: 86\nConnection: keep-alive\nRetry-After: %d\n" % (date(t), rnd.randint(1, 5)))
        x = ('%s<httpSample t="%d" it="0" lt="%d" ct="%d" ts="%d" s="%s" lb="%s" rc="%d" rm="%s" '
             'tn="%s" dt="text" by="%d" sby="%d" ng="%d" na="%d">\n'
             % (ind, el, el, rnd.randint(0, 2), t, "true" if ok else "false", lb, code,
                "OK" if ok else "Too Many Requests", thread, 221 if ok else 264,
                rnd.randint(150, 400), ng, ng))
        if not ok:
            x += ('%s  <assertionResult>\n%s    <name>Response Assertion</name>\n'
                  '%s    <failure>true</failure>\n%s    <error>false</error>\n'
                  '%s    <failureMessage>Test failed: code expected to match /200/</failureMessage>\n'
                  '%s  </assertionResult>\n' % ((ind,) * 6))
        x += '%s  <responseHeader class="java.lang.String">%s</responseHeader>\n' % (ind, hdr)
        x += ('%s  <java.net.URL>http://127.0.0.1:18081/api/v2/architect/flows/%08x-3b71-47cd-ac5d-a1a3433a09b0/sessions</java.net.URL>\n'
              % (ind, rnd.getrandbits(32)))
        x += '%s</httpSample>\n' % ind
        return x, el
    with open(out, "w", encoding="utf-8") as f:
        f.write(parts[0])
        buf = []
        for i in range(n):
            ts += rnd.randint(0, 40)
            ng = min(30, 1 + i // 1000)
            thread = "API users 1-%d" % rnd.randint(1, ng)
            code = 200 if rnd.random() < 0.7 else 429
            if i % 25 == 24:
                c1, e1 = http("  ", ts, labels[0], code, thread, ng)
                c2, e2 = http("  ", ts + e1, labels[1], 200, thread, ng)
                buf.append('<sample t="%d" it="0" lt="0" ct="0" ts="%d" s="%s" lb="Transaction" rc="%d" '
                           'rm="Number of samples in transaction : 2, number of failing samples : %d" '
                           'tn="%s" dt="" by="%d" sby="0" ng="%d" na="%d">\n%s%s</sample>\n'
                           % (e1 + e2, ts, "true" if code == 200 else "false", code,
                              0 if code == 200 else 1, thread, 442, ng, ng, c1, c2))
            else:
                x, _ = http("", ts, labels[rnd.randrange(len(labels))], code, thread, ng)
                buf.append(x)
            if len(buf) >= 4096:
                f.write("".join(buf))
                buf = []
        f.write("".join(buf))
        f.write("</testResults>\n")

if __name__ == "__main__":
    main()
