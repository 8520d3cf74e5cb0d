/* SPDX-License-Identifier: MIT
 * timefmt.c - JMeter timestamps: a SimpleDateFormat pattern compiled into a
 * small program of fields and literals, parsed non-leniently.
 *
 * Semantics follow java.text.SimpleDateFormat as JMeter uses it
 * (setLenient(false)):
 *   - a numeric field takes as many digits as are there, unless the next
 *     pattern item is also a numeric field ("yyyyMMdd"), in which case it
 *     takes exactly as many digits as it has letters (Java's abutting-field
 *     rule);
 *   - S is a count of milliseconds, not a fraction: "12:00:00.5" with SSS is
 *     5 ms, as in Java;
 *   - y or yy with exactly two digits is a year within 80 years before and
 *     20 years after now; yyyy takes the year literally;
 *   - every field is range checked (month 13, day 31 in April, hour 24 with
 *     H, second 60 all fail) because JMeter's reader is non-lenient.
 * One deliberate difference: Java's parse(String) ignores text after the
 * pattern; we require the whole field to match, so "2020/01/01 12:00:00.123"
 * is not silently read by "yyyy/MM/dd HH:mm:ss" with the milliseconds lost.
 * Times without a zone are local time of this process (TZ), as JMeter wrote
 * them in its JVM's zone. */
#include "jtl/io/timefmt.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ops[] holds (kind, arg) pairs: arg is the letter count of a field or the
 * byte of a literal. */
enum {
    OP_END = 0,
    OP_LIT,
    OP_YEAR,
    OP_MONTH,    /* M: 1-2 letters numeric, 3+ English name */
    OP_DAY,      /* d */
    OP_HOUR23,   /* H 0-23 */
    OP_HOUR24,   /* k 1-24 */
    OP_HOUR11,   /* K 0-11 */
    OP_HOUR12,   /* h 1-12 */
    OP_MINUTE,   /* m */
    OP_SECOND,   /* s */
    OP_MILLIS,   /* S: a count of milliseconds */
    OP_FRACTION, /* internal (ISO 8601): a decimal fraction of a second */
    OP_AMPM,     /* a */
    OP_ZONE_RFC, /* Z: +hhmm (also accepts Z, +hh:mm, GMT/UTC) */
    OP_ZONE_ISO, /* X: Z, +hh, +hhmm, +hh:mm */
    OP_WEEKDAY,  /* E: English day name, checked then ignored */
    OP_EPOCH,    /* internal: the whole field is epoch milliseconds */
};

#define MAX_OPS (sizeof(((struct jtl_timefmt *)0)->ops) / 2)

static bool is_numeric_op(unsigned char op, unsigned char count)
{
    switch (op) {
    case OP_YEAR:
    case OP_DAY:
    case OP_HOUR23:
    case OP_HOUR24:
    case OP_HOUR11:
    case OP_HOUR12:
    case OP_MINUTE:
    case OP_SECOND:
    case OP_MILLIS:
        return true;
    case OP_MONTH:
        return count < 3;
    default:
        return false;
    }
}

static bool add_op(struct jtl_timefmt *tf, unsigned char op, unsigned char arg)
{
    if (tf->nops >= MAX_OPS)
        return false;
    tf->ops[2 * tf->nops] = op;
    tf->ops[2 * tf->nops + 1] = arg;
    tf->nops++;
    return true;
}

static unsigned char letter_op(char c)
{
    switch (c) {
    case 'y':
        return OP_YEAR;
    case 'M':
        return OP_MONTH;
    case 'd':
        return OP_DAY;
    case 'H':
        return OP_HOUR23;
    case 'k':
        return OP_HOUR24;
    case 'K':
        return OP_HOUR11;
    case 'h':
        return OP_HOUR12;
    case 'm':
        return OP_MINUTE;
    case 's':
        return OP_SECOND;
    case 'S':
        return OP_MILLIS;
    case 'a':
        return OP_AMPM;
    case 'Z':
        return OP_ZONE_RFC;
    case 'X':
        return OP_ZONE_ISO;
    case 'E':
        return OP_WEEKDAY;
    default:
        return OP_END;
    }
}

bool jtl_timefmt_compile(struct jtl_timefmt *tf, const char *pattern)
{
    const char *p = pattern;

    memset(tf, 0, sizeof(*tf));
    if (!pattern || !*pattern)
        return false;
    while (*p) {
        char c = *p;
        if (c == '\'') {
            /* '' is a literal quote; 'text' is literal text ('' inside). */
            if (p[1] == '\'') {
                if (!add_op(tf, OP_LIT, '\''))
                    return false;
                p += 2;
                continue;
            }
            p++;
            for (;;) {
                if (!*p)
                    return false; /* unterminated quote */
                if (*p == '\'') {
                    if (p[1] != '\'')
                        break;
                    p++;
                }
                if (!add_op(tf, OP_LIT, (unsigned char)*p))
                    return false;
                p++;
            }
            p++;
            continue;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            unsigned char op = letter_op(c);
            size_t n = 0;
            if (op == OP_END)
                return false; /* a letter we do not support (z, D, w, ...) */
            while (p[n] == c)
                n++;
            if (n > 9 || (op == OP_ZONE_ISO && n > 3))
                return false;
            if (!add_op(tf, op, (unsigned char)n))
                return false;
            p += n;
            continue;
        }
        if (!add_op(tf, OP_LIT, (unsigned char)c))
            return false;
        p++;
    }
    tf->valid = true;
    return true;
}

/* ------------------------------------------------------------------ */

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

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : dim[m - 1];
}

/* Offset of local time from UTC (seconds) for the local wall-clock hour
 * starting at LOCAL_HOUR_S (seconds since the epoch as if local were UTC).
 * One mktime() per distinct hour: a thread-local cache keeps formatted
 * timestamps fast (consecutive rows share the hour) and thread-safe. */
static _Thread_local struct {
    int64_t key;
    int64_t offset;
    bool valid;
    char tz[64];
} tz_cache;

static int64_t local_offset(int64_t local_hour_s)
{
    const char *tz = getenv("TZ");
    struct tm tm;
    time_t t, r;
    int64_t days, rem;

    if (!tz)
        tz = "";
    if (tz_cache.valid && tz_cache.key == local_hour_s &&
        strncmp(tz_cache.tz, tz, sizeof(tz_cache.tz)) == 0)
        return tz_cache.offset;
    memset(&tm, 0, sizeof(tm));
    days = local_hour_s / 86400;
    rem = local_hour_s % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    {
        /* civil_from_days, inverse of days_from_civil */
        int64_t z = days + 719468;
        int64_t era = (z >= 0 ? z : z - 146096) / 146097;
        unsigned doe = (unsigned)(z - era * 146097);
        unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        int64_t y = (int64_t)yoe + era * 400;
        unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        unsigned mp = (5 * doy + 2) / 153;
        unsigned d = doy - (153 * mp + 2) / 5 + 1;
        unsigned m = mp < 10 ? mp + 3 : mp - 9;
        y += m <= 2;
        tm.tm_year = (int)(y - 1900);
        tm.tm_mon = (int)m - 1;
        tm.tm_mday = (int)d;
    }
    tm.tm_hour = (int)(rem / 3600);
    tm.tm_isdst = -1;
    t = (time_t)local_hour_s;
    r = mktime(&tm);
    tz_cache.offset = r == (time_t)-1 ? 0 : (int64_t)t - (int64_t)r;
    tz_cache.key = local_hour_s;
    tz_cache.valid = true;
    snprintf(tz_cache.tz, sizeof(tz_cache.tz), "%s", tz);
    return tz_cache.offset;
}

struct parsed {
    int64_t year;
    int month, day, hour, minute, second, millis;
    int ampm; /* -1 none, 0 AM, 1 PM */
    int hour_kind;
    bool has_zone;
    int zone_s;
    bool two_digit_year;
};

/* Read digits at *I: exactly WIDTH when WIDTH > 0, else 1..9 greedily. */
static bool read_num(const char *s, size_t len, size_t *i, unsigned width,
                     int64_t *out, unsigned *ndigits)
{
    size_t j = *i;
    int64_t v = 0;
    unsigned n = 0, max = width ? width : 9;

    while (j < len && n < max && s[j] >= '0' && s[j] <= '9') {
        v = v * 10 + (s[j] - '0');
        j++;
        n++;
    }
    if (n == 0 || (width && n != width))
        return false;
    /* Greedy: more digits than we accept means the field is too long. */
    if (!width && j < len && s[j] >= '0' && s[j] <= '9')
        return false;
    *i = j;
    *out = v;
    *ndigits = n;
    return true;
}

static bool match_name(const char *s, size_t len, size_t *i,
                       const char *const *names, int count, int *out)
{
    int k;

    /* Full names first, then three-letter abbreviations. */
    for (k = 0; k < count; k++) {
        size_t n = strlen(names[k]);
        if (len - *i >= n && strncasecmp(s + *i, names[k], n) == 0) {
            *i += n;
            *out = k;
            return true;
        }
    }
    for (k = 0; k < count; k++) {
        if (len - *i >= 3 && strncasecmp(s + *i, names[k], 3) == 0) {
            *i += 3;
            *out = k;
            return true;
        }
    }
    return false;
}

static bool read_zone(const char *s, size_t len, size_t *i, bool iso,
                      int *zone_s)
{
    size_t j = *i;
    int sign, hh, mm = 0;

    if (j < len && s[j] == 'Z') {
        *i = j + 1;
        *zone_s = 0;
        return true;
    }
    if (!iso && len - j >= 3 &&
        (strncmp(s + j, "GMT", 3) == 0 || strncmp(s + j, "UTC", 3) == 0)) {
        j += 3;
        if (j == len || (s[j] != '+' && s[j] != '-')) {
            *i = j;
            *zone_s = 0;
            return true;
        }
    }
    if (j >= len || (s[j] != '+' && s[j] != '-'))
        return false;
    sign = s[j] == '-' ? -1 : 1;
    j++;
    if (len - j < 2 || s[j] < '0' || s[j] > '9' || s[j + 1] < '0' ||
        s[j + 1] > '9')
        return false;
    hh = (s[j] - '0') * 10 + (s[j + 1] - '0');
    j += 2;
    if (j < len && s[j] == ':')
        j++;
    if (len - j >= 2 && s[j] >= '0' && s[j] <= '9' && s[j + 1] >= '0' &&
        s[j + 1] <= '9') {
        mm = (s[j] - '0') * 10 + (s[j + 1] - '0');
        j += 2;
    } else if (j > 0 && s[j - 1] == ':') {
        return false;
    }
    if (hh > 23 || mm > 59)
        return false;
    *zone_s = sign * (hh * 3600 + mm * 60);
    *i = j;
    return true;
}

static int current_year(void)
{
    time_t now = time(NULL);
    struct tm tm;

    if (!gmtime_r(&now, &tm))
        return 2000;
    return tm.tm_year + 1900;
}

static bool run_ops(const struct jtl_timefmt *tf, const char *s, size_t len,
                    struct parsed *pd)
{
    static const char *const months[12] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    static const char *const weekdays[7] = {"Monday",   "Tuesday", "Wednesday",
                                            "Thursday", "Friday",  "Saturday",
                                            "Sunday"};
    size_t i = 0, k;

    memset(pd, 0, sizeof(*pd));
    pd->year = 1970;
    pd->month = 1;
    pd->day = 1;
    pd->ampm = -1;
    for (k = 0; k < tf->nops; k++) {
        unsigned char op = tf->ops[2 * k], arg = tf->ops[2 * k + 1];
        unsigned width = 0, nd = 0;
        int64_t v = 0;
        int idx;

        if (k + 1 < tf->nops && is_numeric_op(op, arg) &&
            is_numeric_op(tf->ops[2 * k + 2], tf->ops[2 * k + 3]))
            width = arg;
        switch (op) {
        case OP_LIT:
            if (i >= len || (unsigned char)s[i] != arg)
                return false;
            i++;
            continue;
        case OP_MONTH:
            if (arg >= 3) {
                if (!match_name(s, len, &i, months, 12, &idx))
                    return false;
                pd->month = idx + 1;
                continue;
            }
            break;
        case OP_WEEKDAY:
            if (!match_name(s, len, &i, weekdays, 7, &idx))
                return false;
            continue;
        case OP_AMPM:
            if (len - i >= 2 && strncasecmp(s + i, "AM", 2) == 0)
                pd->ampm = 0;
            else if (len - i >= 2 && strncasecmp(s + i, "PM", 2) == 0)
                pd->ampm = 1;
            else
                return false;
            i += 2;
            continue;
        case OP_ZONE_RFC:
        case OP_ZONE_ISO:
            if (!read_zone(s, len, &i, op == OP_ZONE_ISO, &pd->zone_s))
                return false;
            pd->has_zone = true;
            continue;
        case OP_FRACTION: {
            /* Decimal fraction: keep three digits, accept up to nine. */
            unsigned n = 0;
            int64_t ms = 0;
            while (i < len && s[i] >= '0' && s[i] <= '9' && n < 9) {
                if (n < 3)
                    ms = ms * 10 + (s[i] - '0');
                i++;
                n++;
            }
            if (n == 0)
                return false;
            while (n < 3) {
                ms *= 10;
                n++;
            }
            pd->millis = (int)ms;
            continue;
        }
        default:
            break;
        }
        /* numeric fields; the sign of a year is not supported */
        if (!read_num(s, len, &i, width, &v, &nd))
            return false;
        switch (op) {
        case OP_YEAR:
            pd->year = v;
            pd->two_digit_year = arg <= 2 && nd == 2;
            break;
        case OP_MONTH:
            if (v < 1 || v > 12)
                return false;
            pd->month = (int)v;
            break;
        case OP_DAY:
            if (v < 1 || v > 31)
                return false;
            pd->day = (int)v;
            break;
        case OP_HOUR23:
            if (v > 23)
                return false;
            pd->hour = (int)v;
            pd->hour_kind = OP_HOUR23;
            break;
        case OP_HOUR24:
            if (v < 1 || v > 24)
                return false;
            pd->hour = v == 24 ? 0 : (int)v;
            pd->hour_kind = OP_HOUR24;
            break;
        case OP_HOUR11:
            if (v > 11)
                return false;
            pd->hour = (int)v;
            pd->hour_kind = OP_HOUR11;
            break;
        case OP_HOUR12:
            if (v < 1 || v > 12)
                return false;
            pd->hour = v == 12 ? 0 : (int)v;
            pd->hour_kind = OP_HOUR12;
            break;
        case OP_MINUTE:
            if (v > 59)
                return false;
            pd->minute = (int)v;
            break;
        case OP_SECOND:
            if (v > 59)
                return false;
            pd->second = (int)v;
            break;
        case OP_MILLIS:
            if (v > 999)
                return false;
            pd->millis = (int)v;
            break;
        default:
            return false;
        }
    }
    return i == len;
}

static bool parse_fmt(const struct jtl_timefmt *tf, const char *s, size_t len,
                      bool utc_default, int64_t *ms)
{
    struct parsed pd;
    int64_t days, local_s, r;

    if (!tf || !tf->valid)
        return false;
    if (tf->nops == 1 && tf->ops[0] == OP_EPOCH) {
        int64_t v = 0;
        size_t i;
        if (len == 0 || len > 15)
            return false;
        for (i = 0; i < len; i++) {
            if (s[i] < '0' || s[i] > '9')
                return false;
            v = v * 10 + (s[i] - '0');
        }
        *ms = v;
        return true;
    }
    if (!run_ops(tf, s, len, &pd))
        return false;
    if (pd.two_digit_year) {
        /* Java: the century that puts the date within 80 years before
         * and 20 years after now. */
        int64_t now = current_year();
        int64_t y = (now - 80) - ((now - 80) % 100) + pd.year;
        if (y < now - 80)
            y += 100;
        pd.year = y;
    }
    if (pd.year > 99999)
        return false;
    if (pd.ampm == 1 &&
        (pd.hour_kind == OP_HOUR12 || pd.hour_kind == OP_HOUR11))
        pd.hour += 12;
    if ((unsigned)pd.day > days_in_month(pd.year, (unsigned)pd.month))
        return false;
    days = days_from_civil(pd.year, (unsigned)pd.month, (unsigned)pd.day);
    local_s = days * 86400 + pd.hour * 3600 + pd.minute * 60 + pd.second;
    r = local_s % 3600;
    if (r < 0)
        r += 3600;
    if (pd.has_zone)
        local_s -= pd.zone_s;
    else if (!utc_default)
        local_s -= local_offset(local_s - r);
    *ms = local_s * 1000 + pd.millis;
    return true;
}

bool jtl_timefmt_parse(const struct jtl_timefmt *tf, const char *s, size_t len,
                       int64_t *ms)
{
    return parse_fmt(tf, s, len, false, ms);
}

/* ------------------------------------------------------------------ */

/* JMeter's fallback formats (CSVSaveService), then ISO 8601. */
static const char *const auto_patterns[] = {
    "yyyy/MM/dd HH:mm:ss.SSS",  "yyyy/MM/dd HH:mm:ss",
    "yyyy-MM-dd HH:mm:ss.SSS",  "yyyy-MM-dd HH:mm:ss",
    "MM/dd/yy HH:mm:ss",        "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
    "yyyy-MM-dd'T'HH:mm:ssXXX", "yyyy-MM-dd'T'HH:mm:ss.SSS",
    "yyyy-MM-dd'T'HH:mm:ss",
};
#define NAUTO (sizeof(auto_patterns) / sizeof(auto_patterns[0]))

static struct jtl_timefmt auto_fmts[NAUTO + 1]; /* [0] = epoch ms */
static pthread_once_t auto_once = PTHREAD_ONCE_INIT;

static void auto_init(void)
{
    size_t i, k;

    auto_fmts[0].ops[0] = OP_EPOCH;
    auto_fmts[0].nops = 1;
    auto_fmts[0].valid = true;
    for (i = 0; i < NAUTO; i++) {
        struct jtl_timefmt *tf = &auto_fmts[i + 1];
        jtl_timefmt_compile(tf, auto_patterns[i]);
        /* In ISO 8601 the digits after the point are a fraction. */
        if (strchr(auto_patterns[i], 'T'))
            for (k = 0; k < tf->nops; k++)
                if (tf->ops[2 * k] == OP_MILLIS)
                    tf->ops[2 * k] = OP_FRACTION;
    }
}

bool jtl_timefmt_parse_auto(const char *s, size_t len, int64_t *ms,
                            const struct jtl_timefmt **which)
{
    size_t i;

    pthread_once(&auto_once, auto_init);
    if (which)
        *which = NULL;
    for (i = 0; i < NAUTO + 1; i++) {
        if (jtl_timefmt_parse(&auto_fmts[i], s, len, ms)) {
            if (which)
                *which = &auto_fmts[i];
            return true;
        }
    }
    return false;
}

bool jtl_time_parse_iso(const char *s, int64_t *ms)
{
    static const char *const iso[] = {
        "yyyy-MM-dd",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm:ss.S",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.S",
        "yyyy-MM-dd HH:mm:ssXXX",
        "yyyy-MM-dd HH:mm:ss.SXXX",
        "yyyy-MM-dd'T'HH:mm:ssXXX",
        "yyyy-MM-dd'T'HH:mm:ss.SXXX",
    };
    struct jtl_timefmt tf;
    size_t i, len = strlen(s);

    for (i = 0; i < sizeof(iso) / sizeof(iso[0]); i++) {
        /* S keeps SimpleDateFormat's meaning (a count of milliseconds, as
         * the header documents .mmm), unlike ISO auto-detection in rows. */
        jtl_timefmt_compile(&tf, iso[i]);
        if (parse_fmt(&tf, s, len, true, ms))
            return true;
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* Clock times for people                                              */

static pthread_mutex_t zone_lock = PTHREAD_MUTEX_INITIALIZER;

bool jtl_clock_zone_valid(const char *tz)
{
    char path[512];
    struct stat st;

    if (!tz || strcmp(tz, "UTC") == 0 || strcmp(tz, "local") == 0)
        return true;
    if (!*tz || tz[0] == '/' || strstr(tz, "..") || strlen(tz) > 200)
        return false;
    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Broken-down time of T in the zone TZ, with the zone's abbreviation. */
static bool zone_time(time_t t, const char *tz, struct tm *tm, char *abbr,
                      size_t n)
{
    bool ok;

    if (!tz || strcmp(tz, "UTC") == 0) {
        snprintf(abbr, n, "UTC");
        return gmtime_r(&t, tm) != NULL;
    }
    pthread_mutex_lock(&zone_lock);
    if (strcmp(tz, "local") == 0) {
        tzset();
        ok = localtime_r(&t, tm) != NULL;
    } else {
        /* C knows named zones only through TZ: set it, read, restore */
        const char *old = getenv("TZ");
        char *saved = old ? strdup(old) : NULL;
        setenv("TZ", tz, 1);
        tzset();
        ok = localtime_r(&t, tm) != NULL;
        if (saved) {
            setenv("TZ", saved, 1);
            free(saved);
        } else {
            unsetenv("TZ");
        }
        tzset();
    }
    if (!ok || strftime(abbr, n, "%Z", tm) == 0)
        snprintf(abbr, n, "%s", tz);
    pthread_mutex_unlock(&zone_lock);
    return ok;
}

void jtl_clock_format(int64_t ms, const char *tz, enum jtl_clock_style style,
                      char *out, size_t n)
{
    int64_t sec = ms / 1000 - (ms % 1000 < 0);
    int frac = (int)(ms - sec * 1000);
    time_t t = (time_t)sec;
    struct tm tm;
    char abbr[64];

    if (n == 0)
        return;
    if (style == JTL_CLOCK_ISO)
        tz = NULL;
    if (!zone_time(t, tz, &tm, abbr, sizeof(abbr))) {
        snprintf(out, n, "?");
        return;
    }
    switch (style) {
    case JTL_CLOCK_ISO:
        snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min, tm.tm_sec, frac);
        break;
    case JTL_CLOCK_DATETIME:
        snprintf(out, n, "%04d-%02d-%02d %02d:%02d:%02d.%03d %s",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min, tm.tm_sec, frac, abbr);
        break;
    case JTL_CLOCK_TIME:
        snprintf(out, n, "%02d:%02d:%02d.%03d %s", tm.tm_hour, tm.tm_min,
                 tm.tm_sec, frac, abbr);
        break;
    }
}
