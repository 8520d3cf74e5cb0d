/* SPDX-License-Identifier: MIT
 * fuzz_timefmt.c - SimpleDateFormat compiler and parser: the input is
 * "pattern\0value"; both halves are untrusted (the pattern comes from the
 * command line, the value from the file). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jtl/io/timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Round trip: an instant (from 6 input bytes, years 1970-2100) written as
 * JMeter would write it with a pattern must parse back to the same ms (leap
 * years, month lengths, 12-hour clock, zones).  Times are read in TZ, so
 * TZ is UTC here. */
static void round_trip(const uint8_t *data, size_t size)
{
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed",
                                     "Thu", "Fri", "Sat"};
    static bool tz_set;
    struct jtl_timefmt tf;
    struct tm tm;
    uint64_t v = 0;
    int64_t ms, got;
    time_t t;
    char buf[96];
    size_t i;
    int h12;

    if (!tz_set) {
        setenv("TZ", "UTC0", 1);
        tzset();
        tz_set = true;
    }
    if (size < 6)
        return;
    for (i = 0; i < 6; i++)
        v = v << 8 | data[i];
    ms = (int64_t)(v % INT64_C(4102444800000)); /* to 2100-01-01 */
    t = (time_t)(ms / 1000);
    if (!gmtime_r(&t, &tm))
        return;
    h12 = tm.tm_hour % 12 ? tm.tm_hour % 12 : 12;

    snprintf(buf, sizeof(buf), "%04d/%02d/%02d %02d:%02d:%02d.%03d",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, (int)(ms % 1000));
    if (!jtl_timefmt_compile(&tf, "yyyy/MM/dd HH:mm:ss.SSS") ||
        !jtl_timefmt_parse(&tf, buf, strlen(buf), &got) || got != ms) {
        fprintf(stderr, "timefmt: '%s' does not read back as %lld\n", buf,
                (long long)ms);
        abort();
    }
    if (!jtl_timefmt_parse_auto(buf, strlen(buf), &got, NULL) || got != ms) {
        fprintf(stderr, "timefmt: auto: '%s' is not %lld\n", buf,
                (long long)ms);
        abort();
    }
    snprintf(buf, sizeof(buf), "%s, %d %s %04d %02d:%02d:%02d.%03d %s +0000",
             wd[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900, h12,
             tm.tm_min, tm.tm_sec, (int)(ms % 1000),
             tm.tm_hour < 12 ? "AM" : "PM");
    if (!jtl_timefmt_compile(&tf, "EEE, d MMM yyyy hh:mm:ss.SSS a Z") ||
        !jtl_timefmt_parse(&tf, buf, strlen(buf), &got) || got != ms) {
        fprintf(stderr, "timefmt: '%s' does not read back as %lld\n", buf,
                (long long)ms);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char pattern[128];
    const char *s = (const char *)data;
    const char *nul = memchr(s, '\0', size);
    size_t plen = nul ? (size_t)(nul - s) : size;
    struct jtl_timefmt tf;
    const struct jtl_timefmt *which = NULL;
    int64_t ms;

    if (plen >= sizeof(pattern))
        plen = sizeof(pattern) - 1;
    memcpy(pattern, s, plen);
    pattern[plen] = '\0';
    if (jtl_timefmt_compile(&tf, pattern) && nul)
        jtl_timefmt_parse(&tf, nul + 1, size - (size_t)(nul + 1 - s), &ms);
    jtl_timefmt_parse_auto(s, size, &ms, &which);
    round_trip(data, size);
    if (size < 200) {
        char iso[200];
        memcpy(iso, s, size);
        iso[size] = '\0';
        jtl_time_parse_iso(iso, &ms);
    }
    return 0;
}
