/* SPDX-License-Identifier: MIT
 * textfmt.c - number, time and verdict wording shared by the report
 * writers (see report_internal.h). */
#include "textfmt.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const char *jtl_rfmt_num(char *out, size_t cap, double v, int decimals)
{
    if (!isfinite(v))
        snprintf(out, cap, "%s", JTL_DASH);
    else if (v == 0)
        snprintf(out, cap, "%.*f", decimals, 0.0); /* never "-0.0" */
    else
        snprintf(out, cap, "%.*f", decimals, v);
    return out;
}

const char *jtl_rfmt_u64(char *out, size_t cap, uint64_t v)
{
    snprintf(out, cap, "%" PRIu64, v);
    return out;
}

const char *jtl_rfmt_pct(char *out, size_t cap, double v)
{
    char n[48];

    if (!isfinite(v))
        snprintf(out, cap, "%s", JTL_DASH);
    else
        snprintf(out, cap, "%s %%", jtl_rfmt_num(n, sizeof(n), v, 2));
    return out;
}

const char *jtl_rfmt_time(char *out, size_t cap, int64_t ms)
{
    time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    int frac = (int)(ms - (int64_t)t * 1000);
    struct tm tm;

    if (!gmtime_r(&t, &tm)) {
        snprintf(out, cap, "%s", JTL_DASH);
        return out;
    }
    snprintf(out, cap, "%04d-%02d-%02d %02d:%02d:%02d.%03d UTC",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, frac);
    return out;
}

const char *jtl_rfmt_duration(char *out, size_t cap, double s)
{
    if (!isfinite(s) || s < 0) {
        snprintf(out, cap, "%s", JTL_DASH);
    } else if (s < 120) {
        snprintf(out, cap, "%.1f s", s);
    } else if (s < 7200) {
        long long t = llround(s);
        snprintf(out, cap, "%lld min %02lld s", t / 60, t % 60);
    } else {
        long long t = llround(s / 60);
        snprintf(out, cap, "%lld h %02lld min", t / 60, t % 60);
    }
    return out;
}

const char *jtl_rfmt_verdict_word(enum jtl_verdict v)
{
    switch (v) {
    case JTL_VERDICT_NONE:
        return "No throttling";
    case JTL_VERDICT_THRESHOLD:
        return "Threshold-based throttling";
    case JTL_VERDICT_RANDOM:
        return "Random throttling";
    case JTL_VERDICT_INCONCLUSIVE:
        break;
    }
    return "Inconclusive";
}

const char *jtl_rfmt_mechanism(enum jtl_mechanism m)
{
    switch (m) {
    case JTL_MECH_NULL:
        return JTL_DASH;
    case JTL_MECH_RATE:
        return "rate limit (token or leaky bucket)";
    case JTL_MECH_FIXED_WINDOW:
        return "fixed window";
    case JTL_MECH_SLIDING_WINDOW:
        return "sliding window";
    case JTL_MECH_CONCURRENCY:
        return "concurrency limit";
    case JTL_MECH_DISTRIBUTED:
        return "several counters (distributed)";
    case JTL_MECH_STACKED:
        return "stacked limits";
    case JTL_MECH_UNKNOWN:
        break;
    }
    return "threshold, mechanism not identified";
}

const char *jtl_rfmt_limit(char *out, size_t cap, enum jtl_mechanism m,
                           const struct jtl_throttle_limit *l)
{
    bool rate = isfinite(l->rate_per_s);

    if ((m == JTL_MECH_FIXED_WINDOW || m == JTL_MECH_SLIDING_WINDOW) &&
        isfinite(l->per_window) && isfinite(l->window_s))
        snprintf(out, cap, "%.0f per %g s window%s", l->per_window, l->window_s,
                 m == JTL_MECH_FIXED_WINDOW && l->window_aligned
                     ? " (aligned to the clock)"
                     : "");
    else if (m == JTL_MECH_CONCURRENCY && isfinite(l->concurrency))
        snprintf(out, cap, "%.0f requests in flight", l->concurrency);
    else if (rate && isfinite(l->burst))
        snprintf(out, cap, "%.1f req/s, burst %.0f", l->rate_per_s, l->burst);
    else if (rate)
        snprintf(out, cap, "%.1f req/s", l->rate_per_s);
    else if (isfinite(l->concurrency))
        snprintf(out, cap, "%.0f requests in flight", l->concurrency);
    else if (isfinite(l->per_window) && isfinite(l->window_s))
        snprintf(out, cap, "%.0f per %g s window", l->per_window, l->window_s);
    else
        snprintf(out, cap, "%s", JTL_DASH);
    return out;
}

const char *jtl_rfmt_title(char *out, size_t cap,
                           const struct jtl_report_input *in,
                           const struct jtl_run_info *run)
{

    if (in->title && *in->title)
        snprintf(out, cap, "%s", in->title);
    else if (run && run->nfiles == 1) {
        const char *n = run->files[0].name, *slash = strrchr(n, '/');
        /* the base name: the path is in the file table */
        snprintf(out, cap, "Load test %s", slash && slash[1] ? slash + 1 : n);
    } else if (run)
        snprintf(out, cap, "Load test (%zu files)", run->nfiles);
    else
        snprintf(out, cap, "Load test");
    return out;
}
