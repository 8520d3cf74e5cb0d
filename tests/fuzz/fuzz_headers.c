/* SPDX-License-Identifier: MIT
 * fuzz_headers.c - the response header parser (headers.h): header blocks,
 * status lines, line folding, HTTP-dates in the three RFC 9110 forms,
 * Retry-After, the rate-limit header families and the per-sample Retry-After
 * lookup, on arbitrary bytes.  Besides "no crash, no read outside the
 * block", it checks what the contract promises:
 *   - every name/value the iterator returns lies inside the block;
 *   - unfold never writes more than CAP bytes and NUL-terminates;
 *   - Retry-After seconds are finite, >= 0 and at most 1e9;
 *   - an HTTP-date that parses is a real instant: formatted back as an
 *     IMF-fixdate it parses again to the same second.
 * The input is the header block; the same bytes are also a Retry-After
 * value, a Genesys body and a sample variable. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jtl/io/headers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(bool cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "headers: contract broken: %s\n", what);
        abort();
    }
}

static void inside(struct jtl_str s, struct jtl_str block, const char *what)
{
    if (s.len == 0)
        return;
    must(s.p >= block.p && s.p + s.len <= block.p + block.len, what);
}

static void check_secs(double secs, const char *what)
{
    must(isfinite(secs) && secs >= 0 && secs <= 1e9, what);
}

/* Format EPOCH_S as an IMF-fixdate without gmtime's range limits mattering:
 * only years 1..9999 can be written in four digits. */
static bool imf_fixdate(int64_t epoch_s, char *buf, size_t cap)
{
    static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed",
                                     "Thu", "Fri", "Sat"};
    static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)epoch_s;
    struct tm tm;

    if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999)
        return false;
    snprintf(buf, cap, "%s, %02d %s %04d %02d:%02d:%02d GMT", wd[tm.tm_wday],
             tm.tm_mday, mo[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
             tm.tm_min, tm.tm_sec);
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct jtl_str block = {(const char *)data, size};
    struct jtl_header_iter it;
    struct jtl_header h;
    struct jtl_str v;
    struct jtl_ratelimit rl;
    struct jtl_sample s;
    struct jtl_var var;
    enum jtl_time_kind kind;
    char buf[64], fix[64];
    size_t n, count = 0;
    int64_t when, again;
    double secs;
    int code;

    jtl_headers_iter_init(&it, block);
    while (jtl_headers_next(&it, &h)) {
        inside(h.name, block, "header name outside the block");
        inside(h.value, block, "header value outside the block");
        memset(buf, 0x55, sizeof(buf));
        n = jtl_headers_unfold(h.value, buf, 16);
        must(n < 16 && buf[n] == '\0' && buf[16] == 0x55,
             "unfold wrote past CAP or did not terminate");
        must(++count <= size + 1, "iterator does not advance");
    }
    if (jtl_headers_get(block, "retry-after", &v)) {
        inside(v, block, "looked-up value outside the block");
        if (jtl_retry_after_parse(v, 1700000000000, &secs, &kind))
            check_secs(secs, "Retry-After header out of range");
    }
    jtl_headers_get(block, "", &v);
    jtl_headers_status(block, &code);

    if (jtl_http_date_parse(block.p, block.len, &when) &&
        imf_fixdate(when, fix, sizeof(fix))) {
        must(jtl_http_date_parse(fix, strlen(fix), &again) && again == when,
             "an HTTP-date does not survive a round trip");
    }
    if (jtl_retry_after_parse(block, 1700000000000, &secs, &kind))
        check_secs(secs, "Retry-After value out of range");
    if (jtl_retry_after_parse(block, INT64_MIN, &secs, &kind))
        check_secs(secs, "Retry-After without reference out of range");
    jtl_retry_after_parse(block, INT64_MAX, &secs, &kind);

    jtl_ratelimit_parse(block, 1700000000000, &rl);
    if (rl.has_retry_after)
        check_secs(rl.retry_after_s, "rate-limit Retry-After out of range");
    jtl_ratelimit_parse(block, INT64_MIN, &rl);
    jtl_ratelimit_parse(block, INT64_MAX, &rl);
    if (jtl_body_retry_in(block, &secs))
        must(isfinite(secs) && secs >= 0, "body retry-in out of range");

    memset(&s, 0, sizeof(s));
    s.timestamp = size & 1 ? INT64_MAX - 5 : 1700000000000;
    s.elapsed = 10;
    s.response_headers = block;
    s.message = block;
    s.failure_message = block;
    var.name.p = "retryAfter";
    var.name.len = 10;
    var.value = block;
    s.vars = &var;
    s.nvars = 1;
    if (jtl_retry_after_seconds(&s, &secs))
        must(isfinite(secs) && secs >= 0, "sample Retry-After out of range");
    return 0;
}
