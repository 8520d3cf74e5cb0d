/* SPDX-License-Identifier: MIT
 * test_headers.c - response header blocks, HTTP-dates, rate-limit header
 * families and the per-sample Retry-After lookup, on real header blocks from
 * the fixtures and on hostile ones. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jtl/io/decoder.h"
#include "jtl/io/headers.h"
#include "jtl/io/source.h"

static struct jtl_str S(const char *s) {
    struct jtl_str r = {s, strlen(s)};
    return r;
}

static struct jtl_str
SN(const char *s, size_t n) {
    struct jtl_str r = {s, n};
    return r;
}

static bool
get_is(const char *block, const char *name, const char *want)
{
    struct jtl_str v;

    if (!jtl_headers_get(S(block), name, &v))
        return want == NULL;
    return want && jtl_str_eq(v, want);
}

/* Real blocks, verbatim from the fixtures. */
static const char nginx429[] = /* jmeter-nginx/fixed-window.xml.jtl */
    "HTTP/1.1 429 Too Many Requests\n"
    "Server: nginx\n"
    "Date: Sun, 22 Nov 2026 08:34:27 GMT\n"
    "Content-Type: application/json\n"
    "Content-Length: 117\n"
    "Connection: keep-alive\n"
    "Retry-After: 3\n"
    "X-RateLimit-Window: 08:34:5\n";
static const char bzm401[] = /* taurus/xml_5x_401s_headers_body.jtl */
    "HTTP/1.1 401 Unauthorized\n"
    "Date: Tue, 16 Jan 2024 10:05:54 GMT\n"
    "Content-Type: application/json; charset=utf-8\n"
    "Content-Length: 156\n"
    "Connection: keep-alive\n"
    "Set-Cookie: bzm_sess=b44464a305bf3b97bbaf7f4e2e08cc8d; expires=Thu, "
    "15-Feb-2024 10:05:54 GMT; Max-Age=2592000; path=/; "
    "domain=.blazemeter.com; secure; HttpOnly\n"
    "Expires: 0\n"
    "Cache-Control: no-cache, must-revalidate\n"
    "Pragma: no-cache\n"
    "Vary: Accept\n"
    "Content-Language: en\n"
    "WWW-Authenticate: Basic realm=api\n"
    "Strict-Transport-Security: max-age=15724800; includeSubDomains\n";

static void test_blocks(void)
{
    struct jtl_header_iter it;
    struct jtl_header h;
    int code = 0, n = 0;
    char buf[64];
    struct jtl_str v;

    CHECK(jtl_headers_status(S(nginx429), &code) && code == 429,
          "status line of a real nginx 429");
    CHECK(get_is(nginx429, "Retry-After", "3"), "Retry-After value");
    CHECK(get_is(nginx429, "retry-after", "3") &&
              get_is(nginx429, "RETRY-AFTER", "3"),
          "names match case-insensitively");
    CHECK(get_is(nginx429, "X-RateLimit-Window", "08:34:5"),
          "a value containing ':' is kept whole");
    CHECK(get_is(nginx429, "Retry", NULL) && get_is(nginx429, "Server:", NULL),
          "no prefix matches");
    CHECK(get_is(bzm401, "WWW-Authenticate", "Basic realm=api"),
          "real 401 block: WWW-Authenticate");
    CHECK(get_is(bzm401, "Set-Cookie",
                 "bzm_sess=b44464a305bf3b97bbaf7f4e2e08cc8d; expires=Thu, "
                 "15-Feb-2024 10:05:54 GMT; Max-Age=2592000; path=/; "
                 "domain=.blazemeter.com; secure; HttpOnly"),
          "Set-Cookie with a date inside is one value");
    jtl_headers_iter_init(&it, S(bzm401));
    while (jtl_headers_next(&it, &h))
        n++;
    CHECK_EQ_INT(n, 12, "the 401 block has 12 headers after its status");

    CHECK(get_is("HTTP/1.1 429 x\r\nRetry-After:   5  \r\nA: b\r\n",
                 "Retry-After", "5"),
          "CRLF lines, value trimmed");
    CHECK(get_is("HTTP/1.1 429 x\r\nRetry-After: 5", "Retry-After", "5"),
          "last line without a newline");
    CHECK(get_is("Retry-After : 6\n", "Retry-After", "6"),
          "blank before the colon tolerated, no status line needed");
    CHECK(get_is("HTTP/1.1 100 Continue\r\nRetry-After: 1\r\n\r\n"
                 "HTTP/1.1 429 Too Many\r\nRetry-After: 9\r\n",
                 "Retry-After", "9"),
          "the last response section wins");
    CHECK(get_is("HTTP/1.1 100 Continue\r\nRetry-After: 1\r\n\r\n"
                 "HTTP/1.1 200 OK\r\n",
                 "Retry-After", NULL),
          "a header of an interim response is not the final one's");
    CHECK(jtl_headers_status(S("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 "
                               "Busy\r\n"),
                             &code) &&
              code == 503,
          "status of the last status line");
    CHECK(!jtl_headers_status(S("HTTP/1.1 abc\n"), &code) &&
              !jtl_headers_status(S("Retry-After: 1\n"), &code),
          "no status without a 3-digit code");

    /* folding */
    CHECK(jtl_headers_get(S("X-Long: part one\r\n   part two\r\n\tthree\r\n"
                            "Next: 1\r\n"),
                          "X-Long", &v),
          "folded header found");
    jtl_headers_unfold(v, buf, sizeof(buf));
    CHECK_EQ_STR(buf, "part one part two three",
                 "folded value unfolds to single spaces");
    CHECK(get_is("X-Long: a\r\n b\r\nNext: 1\r\n", "Next", "1"),
          "the header after a fold is intact");
    CHECK(jtl_headers_unfold(S("abcdef"), buf, 4) == 3 &&
              strcmp(buf, "abc") == 0,
          "unfold truncates to the buffer");

    /* garbage lines */
    CHECK(get_is("HTTP/1.1 429 x\nno colon here\n: empty name\n  orphan "
                 "fold\nRetry-After: 4\n",
                 "Retry-After", "4"),
          "lines without a colon, with an empty name, or a stray fold are "
          "skipped");
    {
        static const char nul[] = "HTTP/1.1 429 x\nRetry\0After: 1\n"
                                  "Retry-After: 2\0junk\nX: y\n";
        struct jtl_str blk = SN(nul, sizeof(nul) - 1);
        double secs = 0;
        CHECK(jtl_headers_get(blk, "Retry-After", &v) && v.len == 6,
              "NUL bytes are ordinary bytes: the name with a NUL does not "
              "match, the value keeps its NUL");
        CHECK(!jtl_retry_after_parse(v, 0, &secs, NULL),
              "a value with a NUL inside is not a number");
        CHECK(jtl_headers_get(blk, "X", &v) && jtl_str_eq(v, "y"),
              "parsing goes on after NULs");
    }
    {
        size_t big = 1 << 20, i;
        char *b = malloc(big + 64);
        memcpy(b, "HTTP/1.1 429 x\nA: ", 18);
        for (i = 18; i < big; i++)
            b[i] = 'A';
        memcpy(b + big, "\nRetry-After: 1\n", 16);
        CHECK(jtl_headers_get(SN(b, big + 16), "Retry-After", &v) &&
                  jtl_str_eq(v, "1"),
              "a 1 MiB header value does not hide the next header");
        memcpy(b, "Retry-After: ", 13);
        for (i = 13; i < big; i++)
            b[i] = '9';
        CHECK(jtl_headers_get(SN(b, big), "Retry-After", &v),
              "a 1 MiB digit string is found");
        {
            double secs = -1;
            CHECK(!jtl_retry_after_parse(v, 0, &secs, NULL) && secs == -1,
                  "and refused as a number (no overflow)");
        }
        free(b);
    }
    CHECK(!jtl_headers_get(SN(NULL, 0), "Retry-After", &v),
          "an empty block has no headers");
}

static void test_dates(void)
{
    int64_t t = 0;

    CHECK(jtl_http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", 29, &t) &&
              t == 784111777,
          "IMF-fixdate (RFC 9110 example)");
    CHECK(jtl_http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", 30, &t) &&
              t == 784111777,
          "RFC 850 date (RFC 9110 example)");
    CHECK(jtl_http_date_parse("Sun Nov  6 08:49:37 1994", 24, &t) &&
              t == 784111777,
          "asctime date (RFC 9110 example)");
    CHECK(jtl_http_date_parse("Sun, 22 Nov 2026 08:34:27 GMT", 29, &t) &&
              t == 1795336467,
          "the fixed-window Date header");
    CHECK(jtl_http_date_parse("Thu, 29 Feb 2024 00:00:00 GMT", 29, &t) &&
              t == 1709164800,
          "29 February of a leap year");
    CHECK(jtl_http_date_parse("Monday, 01-Jan-01 00:00:00 GMT", 30, &t) &&
              t == 978307200,
          "RFC 850 two-digit year 01 is 2001");
    CHECK(!jtl_http_date_parse("Thu, 29 Feb 2023 00:00:00 GMT", 29, &t),
          "29 February of a common year is refused");
    CHECK(!jtl_http_date_parse("Sun, 31 Apr 2026 08:00:00 GMT", 29, &t),
          "31 April is refused");
    CHECK(!jtl_http_date_parse("Sun, 06 Nov 1994 24:00:00 GMT", 29, &t),
          "hour 24 is refused");
    CHECK(!jtl_http_date_parse("Sun, 06 Foo 1994 08:49:37 GMT", 29, &t),
          "unknown month is refused");
    CHECK(!jtl_http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT x", 31, &t),
          "trailing junk is refused");
    CHECK(!jtl_http_date_parse("Sun, 06 Nov 1994 08:49:37", 25, &t),
          "a missing zone is refused");
    CHECK(!jtl_http_date_parse("06 Nov 1994 08:49:37 GMT", 24, &t),
          "a missing weekday is refused");
    CHECK(!jtl_http_date_parse("", 0, &t) &&
              !jtl_http_date_parse("Sun, 99999999999999 Nov 1994", 28, &t),
          "empty and absurd dates are refused");
}

static bool ra(const char *v, int64_t ref, double want, enum jtl_time_kind k)
{
    double s = -1;
    enum jtl_time_kind kind = JTL_TK_NONE;

    if (!jtl_retry_after_parse(S(v), ref, &s, &kind))
        return false;
    return s == want && kind == k;
}

static bool ra_bad(const char *v)
{
    double s = -1;

    return !jtl_retry_after_parse(S(v), 1795336467000LL, &s, NULL) && s == -1;
}

static void test_retry_after_values(void)
{
    CHECK(ra("2", INT64_MIN, 2, JTL_TK_DELTA), "delta seconds");
    CHECK(ra(" 120 ", INT64_MIN, 120, JTL_TK_DELTA), "delta with blanks");
    CHECK(ra("1.5", INT64_MIN, 1.5, JTL_TK_DELTA),
          "a decimal fraction is accepted");
    CHECK(ra("0", INT64_MIN, 0, JTL_TK_DELTA), "zero");
    CHECK(ra("Sun, 22 Nov 2026 08:34:30 GMT", 1795336467000LL, 3, JTL_TK_DATE),
          "an HTTP-date 3 s after the reference");
    CHECK(ra("Sun, 22 Nov 2026 08:34:20 GMT", 1795336467000LL, 0, JTL_TK_DATE),
          "an HTTP-date in the past gives 0");
    CHECK(ra("Sun Nov 22 08:34:37 2026", 1795336467500LL, 9.5, JTL_TK_DATE),
          "asctime relative to a reference with milliseconds");
    CHECK(!jtl_retry_after_parse(S("Sun, 22 Nov 2026 08:34:30 GMT"), INT64_MIN,
                                 &(double){0}, NULL),
          "a date without a reference time cannot be converted");
    CHECK(ra_bad("-5"), "negative delta refused");
    CHECK(ra_bad("+5"), "signed delta refused");
    CHECK(ra_bad("99999999999999999999"), "huge delta refused");
    CHECK(ra_bad("1000000001"), "more than 1e9 seconds is garbage");
    CHECK(ra_bad("1e3"), "exponent refused");
    CHECK(ra_bad("5s"), "unit suffix refused");
    CHECK(ra_bad(""), "empty refused");
    CHECK(ra_bad("."), "a lone dot refused");
    CHECK(ra_bad("Sun, 32 Nov 2026 08:34:30 GMT"), "garbage date refused");
    CHECK(ra_bad("tomorrow"), "words refused");
    CHECK(ra_bad("Fri, 31 Dec 9999 23:59:59 GMT"),
          "a date 8000 years ahead is refused as garbage");
}

static void test_ratelimit(void)
{
    struct jtl_ratelimit rl;
    const int64_t now = 1372700000000LL;

    CHECK(jtl_ratelimit_parse(S(nginx429), INT64_MIN, &rl) &&
              rl.has_retry_after && rl.retry_after_s == 3 &&
              rl.retry_after_kind == JTL_TK_DELTA && rl.has_date &&
              rl.date_ms == 1795336467000LL,
          "nginx 429: Retry-After and Date");
    CHECK(!rl.x.has_limit && !rl.sf.has_limit && !rl.draft.has_limit,
          "X-RateLimit-Window alone is not a counter");
    CHECK(!jtl_ratelimit_parse(S(bzm401), now, &rl) && rl.has_date,
          "401 block: no rate-limit information, but a Date");

    /* GitHub: epoch seconds, relative to the server's Date */
    CHECK(jtl_ratelimit_parse(S("HTTP/1.1 403 Forbidden\r\n"
                                "Date: Mon, 01 Jul 2013 17:27:53 GMT\r\n"
                                "X-RateLimit-Limit: 60\r\n"
                                "X-RateLimit-Remaining: 0\r\n"
                                "X-RateLimit-Reset: 1372700873\r\n"),
                              now, &rl),
          "GitHub X-RateLimit block");
    CHECK(rl.x.has_limit && rl.x.limit == 60 && rl.x.has_remaining &&
              rl.x.remaining == 0,
          "X-RateLimit limit/remaining");
    CHECK(rl.x.has_reset && rl.x.reset_kind == JTL_TK_EPOCH_S &&
              rl.x.reset_s == 1372700873.0 - 1372699673.0,
          "epoch-seconds reset relative to Date (20 min)");
    CHECK(jtl_ratelimit_parse(S("X-Rate-Limit-Limit: 10\n"
                                "X-Rate-Limit-Reset: 1372700030000\n"),
                              now, &rl) &&
              rl.x.limit == 10 && rl.x.reset_kind == JTL_TK_EPOCH_MS &&
              rl.x.reset_s == 30,
          "hyphenated X-Rate-Limit, epoch ms relative to the sample end");
    CHECK(jtl_ratelimit_parse(S("X-RateLimit-Reset: 1372700873\n"
                                "X-RateLimit-Reset-After: 1.25\n"),
                              now, &rl) &&
              rl.x.reset_s == 1.25 && rl.x.reset_kind == JTL_TK_DELTA,
          "Discord Reset-After wins over the epoch reset");
    CHECK(jtl_ratelimit_parse(S("X-RateLimit-Reset: 1372700873\n"), INT64_MIN,
                              &rl) == false &&
              !rl.x.has_reset,
          "an epoch reset without any reference time is not guessed");

    /* draft <= 06 */
    CHECK(jtl_ratelimit_parse(S("RateLimit-Limit: 100, 100;w=60\n"
                                "RateLimit-Remaining: 7\n"
                                "RateLimit-Reset: 42\n"),
                              now, &rl) &&
              rl.draft.limit == 100 && rl.draft.remaining == 7 &&
              rl.draft.reset_s == 42 && rl.draft.reset_kind == JTL_TK_DELTA,
          "RateLimit-Limit/-Remaining/-Reset (draft 03-06)");

    /* draft 07 */
    CHECK(jtl_ratelimit_parse(S("RateLimit: limit=100, remaining=50, "
                                "reset=5\nRateLimit-Policy: 100;w=60\n"),
                              now, &rl) &&
              rl.sf.has_limit && rl.sf.limit == 100 && rl.sf.remaining == 50 &&
              rl.sf.reset_s == 5 && rl.sf.has_window && rl.sf.window_s == 60,
          "RateLimit dictionary + RateLimit-Policy (draft 07)");

    /* draft 08+: several policies, keep the tightest */
    CHECK(jtl_ratelimit_parse(
              S("RateLimit: \"daily\";r=500;t=3600, \"burst\";r=0;t=30\n"
                "RateLimit-Policy: \"daily\";q=1000;w=86400, "
                "\"burst\";q=100;w=60\n"),
              now, &rl),
          "RateLimit list of items (draft 08+)");
    CHECK(rl.sf.remaining == 0 && rl.sf.reset_s == 30 &&
              jtl_str_eq(rl.sf.policy, "burst"),
          "the item with the fewest remaining is kept");
    CHECK(rl.sf.limit == 100 && rl.sf.window_s == 60,
          "its policy (same name) gives limit and window");
    CHECK(jtl_ratelimit_parse(S("Ratelimit: \"default\";r=50;t=30\n"
                                "Ratelimit-Policy: \"burst\";q=100;w=60\n"),
                              now, &rl) &&
              rl.sf.remaining == 50 && rl.sf.limit == 100,
          "Cloudflare's shape; no name match -> first policy");

    /* Genesys, before 2021 */
    CHECK(jtl_ratelimit_parse(S("inin-ratelimit-allowed: 180\n"
                                "inin-ratelimit-count: 3\n"
                                "inin-ratelimit-reset: 3\n"),
                              now, &rl) &&
              rl.inin.limit == 180 && rl.inin.used == 3 &&
              rl.inin.remaining == 177 && rl.inin.reset_s == 3,
          "inin-ratelimit-allowed/count/reset");

    /* hostile */
    CHECK(!jtl_ratelimit_parse(S("RateLimit: ;;;,,,\"unterminated\n"
                                 "RateLimit-Policy: ===\n"
                                 "X-RateLimit-Limit: -5\n"
                                 "X-RateLimit-Reset: Sun, 99 Nov\n"),
                               now, &rl),
          "garbage values give no information and no crash");
    {
        char big[2000];
        size_t i, o = 0;
        o += (size_t)snprintf(big, sizeof(big), "RateLimit: ");
        for (i = 0; i < 60; i++)
            o += (size_t)snprintf(big + o, sizeof(big) - o,
                                  "\"p%zu\";r=%zu;t=1, ", i, 100 - i);
        CHECK(jtl_ratelimit_parse(S(big), now, &rl) && rl.sf.remaining == 93,
              "more members than kept: the first 8 are read, no overflow");
    }
}

static void test_body(void)
{
    double s = 0;

    CHECK(jtl_body_retry_in(S("{\"message\":\"Rate limit exceeded the "
                              "maximum. Retry the request in [42] seconds\","
                              "\"code\":\"too.many.requests.retry.after\"}"),
                            &s) &&
              s == 42,
          "Genesys normalized 429 body");
    CHECK(jtl_body_retry_in(S("retry the request in 7 seconds"), &s) && s == 7,
          "without brackets, lower case");
    CHECK(jtl_body_retry_in(S("Retry the request in [x] seconds. Retry the "
                              "request in [3] second"),
                            &s) &&
              s == 3,
          "a broken first match does not hide a later one");
    CHECK(!jtl_body_retry_in(S("Retry the request in [5] minutes"), &s),
          "minutes are not seconds");
    CHECK(!jtl_body_retry_in(S("Rate limit exceeded the maximum. [60] "
                               "requests for [5] seconds"),
                             &s),
          "the fixed-window body is a limit, not a retry hint");
    CHECK(!jtl_body_retry_in(S("Retry the request in"), &s) &&
              !jtl_body_retry_in(S(""), &s),
          "cut or empty text");
}

static void test_sample_lookup(void)
{
    struct jtl_sample s;
    struct jtl_var vars[2];
    double secs = -1;

    memset(&s, 0, sizeof(s));
    s.present = (1u << JTL_F_TIMESTAMP) | (1u << JTL_F_ELAPSED);
    s.timestamp = 1795336466000LL;
    s.elapsed = 1000;
    CHECK(jtl_retry_after_seconds(&s, &secs) == JTL_RA_NONE && secs == -1,
          "nothing to go on: NONE, secs untouched");

    s.response_headers = S(nginx429);
    CHECK(jtl_retry_after_seconds(&s, &secs) == JTL_RA_HEADER && secs == 3,
          "header first");
    s.response_headers = S("HTTP/1.1 429 x\nRetry-After: Sun, 22 Nov 2026 "
                           "08:34:37 GMT\n");
    CHECK(jtl_retry_after_seconds(&s, &secs) == JTL_RA_HEADER && secs == 10,
          "HTTP-date relative to the sample end without a Date header");
    s.response_headers = S("HTTP/1.1 429 x\nDate: Sun, 22 Nov 2026 08:34:30 "
                           "GMT\nRetry-After: Sun, 22 Nov 2026 08:34:37 GMT\n");
    CHECK(jtl_retry_after_seconds(&s, &secs) == JTL_RA_HEADER && secs == 7,
          "HTTP-date relative to the Date header");

    s.response_headers = S("HTTP/1.1 429 x\nRetry-After: soon\n");
    vars[0].name = S("Retry_After");
    vars[0].value = S("null");
    vars[1].name = S("RETRY-after");
    vars[1].value = S(" 4 ");
    s.vars = vars;
    s.nvars = 2;
    CHECK(jtl_retry_after_seconds(&s, &secs) == JTL_RA_VAR && secs == 4,
          "unreadable header falls through; 'null' variable skipped; name "
          "matched ignoring case, '-' and '_'");
    vars[1].name = S("retryAfterX");
    s.message = S("Too Many Requests");
    s.failure_message = S("Rate limit exceeded the maximum. Retry the "
                          "request in [12] seconds");
    CHECK(jtl_retry_after_seconds(&s, &secs) == JTL_RA_BODY && secs == 12,
          "Genesys body in failure_message, after the variables");
    s.message = S("Retry the request in [8] seconds");
    CHECK(jtl_retry_after_seconds(&s, &secs) == JTL_RA_BODY && secs == 8,
          "message is tried before failure_message");
}

/* Every 429 of the real fixed-window run: Retry-After counts down to the
 * next 5-s window boundary of the server's Date (truth.json). */
struct fw {
    uint64_t n429, aligned, near_end, from_header;
};

static int on_fw(const struct jtl_sample *s, void *ctx)
{
    struct fw *f = ctx;
    struct jtl_ratelimit rl;
    int64_t end = s->timestamp + s->elapsed;
    double secs = 0;

    if (!jtl_str_eq(s->code, "429"))
        return 0;
    f->n429++;
    if (jtl_ratelimit_parse(s->response_headers, end, &rl) && rl.has_date &&
        rl.has_retry_after &&
        (rl.date_ms / 1000 + (int64_t)rl.retry_after_s) % 5 == 0)
        f->aligned++;
    if (rl.has_date && rl.date_ms <= end && end - rl.date_ms < 1000)
        f->near_end++;
    if (jtl_retry_after_seconds(s, &secs) == JTL_RA_HEADER &&
        secs == rl.retry_after_s)
        f->from_header++;
    return 0;
}

static void test_fixed_window(void)
{
    struct jtl_source *src = NULL;
    struct jtl_decoder *dec = NULL;
    struct jtl_decode_opts o;
    struct jtl_diag d;
    struct fw f;
    char buf[65536];
    size_t n;

    memset(&o, 0, sizeof(o));
    memset(&f, 0, sizeof(f));
    if (jtl_source_open(JTL_TEST_DATA "/jmeter-nginx/fixed-window.xml.jtl",
                        &src, &d) != JTL_OK) {
        CHECK(0, "fixed-window fixture opens");
        return;
    }
    o.format = JTL_FORMAT_XML;
    jtl_decoder_new(&o, on_fw, &f, &dec, &d);
    while (jtl_source_read(src, buf, sizeof(buf), &n, &d) == JTL_OK && n)
        jtl_decoder_feed(dec, buf, n, &d);
    CHECK_EQ_INT(jtl_decoder_finish(dec, &d), JTL_OK, "fixed-window decodes");
    jtl_decoder_free(dec);
    jtl_source_close(src);
    CHECK_EQ_INT(f.n429, 269, "fixed-window: 269 429s (truth.json)");
    CHECK_EQ_INT(f.aligned, 269,
                 "Date + Retry-After lands on a 5-s boundary on every 429");
    CHECK_EQ_INT(f.near_end, 269,
                 "the server Date is the sample end second (same clock)");
    CHECK_EQ_INT(f.from_header, 269,
                 "jtl_retry_after_seconds agrees with the parsed view");
}

int main(void)
{
    test_blocks();
    test_dates();
    test_retry_after_values();
    test_ratelimit();
    test_body();
    test_sample_lookup();
    test_fixed_window();
    return CHECK_DONE();
}
