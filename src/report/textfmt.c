/* SPDX-License-Identifier: MIT
 * textfmt.c - number, time and verdict wording shared by the report
 * writers (see report_internal.h). */
#include "textfmt.h"
#include "jtl/io/timefmt.h"

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

const char *jtl_rfmt_figure(char *out, size_t cap, double v, const char *none)
{
    if (v != v)
        snprintf(out, cap, "%s", none);
    else
        snprintf(out, cap, "%.*f", v == floor(v) ? 0 : 1, v);
    return out;
}

const char *jtl_rfmt_change(char *out, size_t cap, double v, const char *none)
{
    if (v != v)
        snprintf(out, cap, "%s", none);
    else
        snprintf(out, cap, "%+.1f %%", v);
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

const char *jtl_rfmt_time(char *out, size_t cap, int64_t ms, const char *tz)
{
    jtl_clock_format(ms, tz, JTL_CLOCK_DATETIME, out, cap);
    return out;
}

const char *jtl_rfmt_when(char *out, size_t cap, int64_t ms, int64_t t0,
                          const char *tz)
{
    char clock[64];

    jtl_clock_format(ms, tz, JTL_CLOCK_TIME, clock, sizeof(clock));
    snprintf(out, cap, "%s (+%.1f s)", clock, (double)(ms - t0) / 1000);
    return out;
}

const char *jtl_rfmt_headline(char *out, size_t cap,
                              const struct jtl_throttle_scope *sc)
{
    const struct jtl_throttle_limit *l = &sc->limit;
    char lim[160];
    size_t n;

    switch (sc->verdict) {
    case JTL_VERDICT_THRESHOLD:
        if (sc->limit_scope && strncmp(sc->limit_scope, "per ", 4) == 0) {
            /* no limit for the run: one for each label (or group) */
            snprintf(
                out, cap, "threshold-based, one %s %s (see each)",
                sc->mechanism == JTL_MECH_RATE             ? "rate limit"
                : sc->mechanism == JTL_MECH_FIXED_WINDOW   ? "fixed window"
                : sc->mechanism == JTL_MECH_SLIDING_WINDOW ? "sliding window"
                : sc->mechanism == JTL_MECH_CONCURRENCY    ? "concurrency limit"
                                                           : "limit",
                sc->limit_scope);
        } else if (sc->mechanism == JTL_MECH_RATE &&
                   l->rate_per_s == l->rate_per_s) {
            snprintf(out, cap,
                     "threshold-based rate limit of about %.1f requests/s",
                     l->rate_per_s);
            if (l->burst == l->burst) {
                n = strlen(out);
                snprintf(out + n, cap - n, ", burst %g", l->burst);
            }
        } else if (sc->mechanism == JTL_MECH_FIXED_WINDOW &&
                   l->per_window == l->per_window) {
            snprintf(out, cap,
                     "threshold-based fixed window of %g requests per %g s",
                     l->per_window, l->window_s);
        } else if (sc->mechanism == JTL_MECH_SLIDING_WINDOW &&
                   l->per_window == l->per_window) {
            snprintf(out, cap,
                     "threshold-based sliding window of %g requests per %g s",
                     l->per_window, l->window_s);
        } else if (sc->mechanism == JTL_MECH_CONCURRENCY &&
                   l->concurrency == l->concurrency) {
            snprintf(out, cap,
                     "threshold-based concurrency limit of %g requests in "
                     "flight",
                     l->concurrency);
        } else {
            jtl_rfmt_limit(lim, sizeof(lim), sc->mechanism, l);
            if (strcmp(lim, JTL_DASH) != 0)
                snprintf(out, cap, "threshold-based, %s: %s",
                         jtl_rfmt_mechanism(sc->mechanism), lim);
            else
                snprintf(out, cap, "threshold-based");
        }
        /* whose limit it is: "shared by all labels", "label 'X' only" */
        if (sc->limit_scope && strncmp(sc->limit_scope, "per ", 4) != 0 &&
            (strncmp(sc->limit_scope, "shared", 6) == 0 ||
             strstr(sc->limit_scope, " only"))) {
            n = strlen(out);
            snprintf(out + n, cap - n, ", %s", sc->limit_scope);
        }
        break;
    case JTL_VERDICT_RANDOM:
        snprintf(out, cap, "%s",
                 sc->dose.load_varied
                     ? "random (the refusals do not depend on the load)"
                     : "random (no count of recent requests predicts the "
                       "refusals; the load hardly varied)");
        break;
    case JTL_VERDICT_NONE:
        snprintf(out, cap, "no throttling");
        break;
    case JTL_VERDICT_INCONCLUSIVE:
        snprintf(out, cap, "inconclusive");
        break;
    }
    if (sc->confidence) {
        n = strlen(out);
        snprintf(out + n, cap - n, "; confidence %s", sc->confidence);
    }
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

const struct jtl_report_chart *
jtl_rfmt_chart(const struct jtl_report_charts *charts, const char *name)
{
    size_t i;

    for (i = 0; name && charts && i < charts->n; i++)
        if (strcmp(charts->list[i].name, name) == 0)
            return &charts->list[i];
    return NULL;
}

const char *jtl_rfmt_codes(char *out, size_t cap,
                           const struct jtl_throttle_result *th)
{
    size_t i, n = 0;

    out[0] = 0;
    for (i = 0; th && i < th->nthrottle_codes && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%d", i ? ", " : "",
                              th->throttle_codes[i]);
    if (!out[0])
        snprintf(out, cap, "429");
    return out;
}
