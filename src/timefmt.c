/* SPDX-License-Identifier: MIT
 * timefmt.c - placeholder: only ISO parsing so far; the CSV decoder work
 * replaces this with the SimpleDateFormat compiler. */
#include "jtl/timefmt.h"

#include <stdio.h>
#include <string.h>

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Howard Hinnant's algorithm: proleptic Gregorian, no time zone. */
    y -= m <= 2;
    {
        const int64_t era = (y >= 0 ? y : y - 399) / 400;
        const unsigned yoe = (unsigned)(y - era * 400);
        const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + (int64_t)doe - 719468;
    }
}

bool jtl_time_parse_iso(const char *s, int64_t *ms)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, n = 0;

    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
        return false;
    s += n;
    if (*s == 'T' || *s == ' ') {
        if (sscanf(s + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &n) != 3)
            return false;
        s += 1 + n;
        if (*s == '.') {
            if (sscanf(s + 1, "%3d%n", &frac, &n) != 1)
                return false;
            s += 1 + n;
        }
    }
    if (*s == 'Z')
        s++;
    if (*s)
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return false;
    *ms = ((days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
            mi * 60 + sec) * 1000) + frac;
    return true;
}

bool jtl_timefmt_compile(struct jtl_timefmt *tf, const char *pattern)
{
    (void)pattern;
    memset(tf, 0, sizeof(*tf));
    return false;
}

bool jtl_timefmt_parse(const struct jtl_timefmt *tf, const char *s, size_t len,
                       int64_t *ms)
{
    (void)tf;
    (void)s;
    (void)len;
    (void)ms;
    return false;
}

bool jtl_timefmt_parse_auto(const char *s, size_t len, int64_t *ms,
                            const struct jtl_timefmt **which)
{
    (void)s;
    (void)len;
    (void)ms;
    if (which)
        *which = NULL;
    return false;
}
