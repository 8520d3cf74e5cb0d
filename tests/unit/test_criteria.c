/* SPDX-License-Identifier: MIT
 * test_criteria.c - reading pass/fail criteria: every measure, operator,
 * unit and window; labels with spaces, operators and '=' in them; and the
 * column of each error. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jtl/check/criteria.h"

static struct jtl_criterion c;

static int ok(const char *text)
{
    size_t col = 0;
    char msg[256];

    jtl_criterion_release(&c);
    if (jtl_criterion_parse(text, &c, &col, msg, sizeof(msg)))
        return 1;
    fprintf(stderr, "  '%s': column %zu: %s\n", text, col, msg);
    return 0;
}

/* The column of TEXT's error, 0 when it reads. */
static size_t bad(const char *text, const char *want_in_msg)
{
    size_t col = 0;
    char msg[256];
    struct jtl_criterion x;

    if (jtl_criterion_parse(text, &x, &col, msg, sizeof(msg))) {
        jtl_criterion_release(&x);
        return 0;
    }
    if (want_in_msg && !strstr(msg, want_in_msg))
        fprintf(stderr, "  '%s': message '%s' lacks '%s'\n", text, msg,
                want_in_msg);
    return want_in_msg && !strstr(msg, want_in_msg) ? 999 : col;
}

static void test_measures(void)
{
    CHECK(ok("avg-rt > 250ms") && c.subject == JTL_CRIT_AVG_RT &&
              c.op == JTL_OP_GT && c.value == 250 &&
              c.scope == JTL_CRIT_TOTAL && c.window == 0,
          "avg-rt > 250ms: the Total's mean above 250 ms");
    CHECK(ok("p95.5>=1.2s") && c.subject == JTL_CRIT_PCT && c.pct == 95.5 &&
              c.op == JTL_OP_GE && c.value == 1200,
          "p95.5>=1.2s: no spaces needed, seconds into ms");
    CHECK(ok("max-rt<=900") && c.subject == JTL_CRIT_MAX_RT && c.value == 900,
          "a time without unit is in ms");
    CHECK(ok("fail > 5%") && c.subject == JTL_CRIT_FAIL && c.value == 5,
          "fail in percent");
    CHECK(ok("fail > 5") && c.value == 5, "a share without unit is in %");
    CHECK(ok("rc429 > 10% for 10s") && c.subject == JTL_CRIT_RC &&
              c.rc == 429 && !c.rc_cls && c.window == 10000,
          "rc429 over a 10 s window");
    CHECK(ok("rc5xx >= 1%") && c.rc == 5 && c.rc_cls, "rc5xx: a class");
    CHECK(ok("hits < 40/s for 2m") && c.subject == JTL_CRIT_HITS &&
              c.value == 40 && c.window == 120000,
          "hits per second, a window in minutes");
    CHECK(ok("bytes < 100 KB/s") && c.subject == JTL_CRIT_BYTES &&
              c.value == 100,
          "bytes in KB/s");
    CHECK(ok("apdex < 0.85") && c.subject == JTL_CRIT_APDEX && c.value == 0.85,
          "apdex without unit");
    CHECK(ok("stdev-rt > 100ms") && c.subject == JTL_CRIT_STDEV_RT, "stdev-rt");
    CHECK(ok("avg-lt > 50") && c.subject == JTL_CRIT_AVG_LT, "avg-lt");
    CHECK(ok("avg-ct > 5ms") && c.subject == JTL_CRIT_AVG_CT, "avg-ct");
    CHECK(ok("throttled > 1%") && c.subject == JTL_CRIT_THROTTLED,
          "throttled share");
    CHECK(ok("limit < 40/s") && c.subject == JTL_CRIT_LIMIT && c.value == 40,
          "limit in requests/s");
    CHECK(ok("verdict == random") && c.subject == JTL_CRIT_VERDICT &&
              c.verdict == JTL_VERDICT_RANDOM,
          "verdict == random");
    CHECK(ok("verdict = threshold") && c.verdict == JTL_VERDICT_THRESHOLD,
          "= is ==");
    CHECK(ok("p99 < 2s as \"Slow search\"") && c.name &&
              strcmp(c.name, "Slow search") == 0 && c.value == 2000,
          "as \"NAME\" names the test case");
    CHECK(ok("avg-rt > 1.5m for 10 s") && c.value == 90000 && c.window == 10000,
          "minutes as a time; a space between a window and its unit");
    CHECK(ok("max-rt >= 2h") && c.value == 7200000, "hours as a time");
    CHECK(ok("  AVG-RT   >   250ms   ") && c.subject == JTL_CRIT_AVG_RT &&
              strcmp(c.text, "AVG-RT   >   250ms") == 0,
          "case-insensitive, text kept trimmed");
}

static void test_labels(void)
{
    CHECK(ok("avg-rt of Login > 250ms") && c.scope == JTL_CRIT_LABEL &&
              strcmp(c.label, "Login") == 0,
          "of LABEL");
    CHECK(ok("p90 of POST /api/v2/sessions >= 300ms for 30s") &&
              strcmp(c.label, "POST /api/v2/sessions") == 0 &&
              c.window == 30000 && c.pct == 90,
          "a label with spaces and slashes");
    CHECK(ok("fail of GET /search?q=a&b=c > 1%") &&
              strcmp(c.label, "GET /search?q=a&b=c") == 0 && c.value == 1,
          "a label with '=' in it: the rightmost operator counts");
    CHECK(ok("avg-rt of a > b > 5") && strcmp(c.label, "a > b") == 0 &&
              c.value == 5,
          "a label with '>' in it");
    CHECK(ok("avg-rt of \"Step 1 >= 2\" > 5") &&
              strcmp(c.label, "Step 1 >= 2") == 0,
          "a quoted label");
    CHECK(ok("fail of PUT /api/v2/flows/{id} > 0%") &&
              c.scope == JTL_CRIT_TEMPLATE,
          "an endpoint template");
    CHECK(ok("rc429 of /^POST / > 10%") && c.scope == JTL_CRIT_REGEX &&
              jtl_regex_match(c.re, "POST /x", 7) &&
              !jtl_regex_match(c.re, "GET /x", 6),
          "a /REGEX/");
    CHECK(ok("avg-rt of 192.168.0.12 CPU >= 10000 as \"CPU utilisation\"") &&
              strcmp(c.label, "192.168.0.12 CPU") == 0 &&
              strcmp(c.name, "CPU utilisation") == 0,
          "a label ending in a word, then a name");
}

static void test_errors(void)
{
    CHECK_EQ_INT(bad("", "starts with"), 1, "empty: column 1");
    CHECK_EQ_INT(bad("avg-time > 5", "unknown measure"), 1,
                 "unknown measure at column 1");
    CHECK_EQ_INT(bad("p101 > 5", "percentile"), 1, "p101");
    CHECK_EQ_INT(bad("avg-rt 250ms", "operator"), 8, "no operator");
    CHECK_EQ_INT(bad("avg-rt > fast", "number"), 10, "no number");
    CHECK_EQ_INT(bad("avg-rt > 250 parsecs", "unknown unit"), 14,
                 "an unknown unit, at its column");
    CHECK_EQ_INT(bad("fail > 5ms", "not a unit"), 9, "ms is no share");
    CHECK_EQ_INT(bad("avg-rt > 5 for ever", "duration"), 16, "bad window");
    CHECK_EQ_INT(bad("avg-rt > 5 for 10 parsecs", "unit of a duration"), 19,
                 "an unknown window unit, at its column");
    CHECK_EQ_INT(bad("fail > 5m", "not a unit"), 9, "minutes are no share");
    CHECK_EQ_INT(bad("limit < 5/s for 10s", "whole run"), 13,
                 "no window on the throttling analysis");
    CHECK_EQ_INT(bad("verdict > random", "=="), 11, "verdict takes ==");
    CHECK_EQ_INT(bad("verdict == maybe", "verdict"), 12, "unknown verdict");
    CHECK_EQ_INT(bad("avg-rt of > 5", "no label"), 11, "of without label");
    CHECK_EQ_INT(bad("avg-rt of /[/ > 5", "regular expression"), 12,
                 "a bad regex, at its column");
    CHECK_EQ_INT(bad("avg-rt > 5 as Slow", "double quotes"), 15,
                 "a name without quotes");
    CHECK_EQ_INT(bad("avg-rt > 5 garbage", "unknown unit"), 12,
                 "a word after the value is taken for a unit");
    CHECK_EQ_INT(bad("avg-rt > 5ms for 10s later", "unexpected"), 22,
                 "trailing words");
    CHECK_EQ_INT(bad("avg-rt of Login 250", "operator"), 20,
                 "of LABEL without operator: the end");
}

int main(void)
{
    test_measures();
    test_labels();
    test_errors();
    jtl_criterion_release(&c);
    return CHECK_DONE();
}
