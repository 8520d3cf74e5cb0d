/* SPDX-License-Identifier: MIT
 * pacing.c - a safe target rate and the JMeter settings that produce it
 * (reference §5.6): Constant Throughput Timer per minute (shared, or per
 * thread), threads needed by Little's law, and a ramp-up long enough for
 * the burst the limiter allows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

void an_pacing(const struct jtl_throttle_scope *sc, double margin,
               double think_ms, double threads, struct jtl_throttle_pacing *out)
{
    const struct jtl_throttle_limit *l = &sc->limit;
    double k = 1 - margin, svc, lam = NAN;

    memset(out, 0, sizeof(*out));
    out->target_rate_per_s = out->constant_throughput_per_min = NAN;
    out->per_thread_per_min = out->threads_needed = NAN;
    out->max_threads = out->ramp_up_s = NAN;
    out->threads = threads > 0 ? threads : NAN;
    out->margin = margin;
    out->share = out->shared_target_rate_per_s = NAN;
    svc = l->mean_accepted_elapsed_ms == l->mean_accepted_elapsed_ms
              ? l->mean_accepted_elapsed_ms
              : sc->elapsed_ok_ms;

    switch (sc->verdict) {
    case JTL_VERDICT_NONE:
        out->basis = jtl_xstrdupf("no throttling seen: no pacing needed at "
                                  "this load");
        return;
    case JTL_VERDICT_RANDOM:
        out->basis =
            jtl_xstrdupf("refusals do not depend on the load, so no rate "
                         "avoids them: handle them with Retry-After / "
                         "backoff in the plan instead");
        return;
    case JTL_VERDICT_INCONCLUSIVE:
        if (l->saturated_accepted_per_s == l->saturated_accepted_per_s) {
            lam = k * k * l->saturated_accepted_per_s;
            out->basis = jtl_xstrdupf(
                "no limiter identified: %.0f %% below the accepted rate "
                "while throttled (%.1f/s), to be confirmed by a step-load run",
                (1 - k * k) * 100, l->saturated_accepted_per_s);
        } else {
            out->basis = jtl_xstrdupf("not enough evidence for a safe rate");
            return;
        }
        break;
    case JTL_VERDICT_THRESHOLD:
        break;
    }
    if (sc->verdict == JTL_VERDICT_THRESHOLD && sc->limit_scope &&
        strcmp(sc->limit_scope, "per label") == 0) {
        out->basis = jtl_xstrdupf("one limit per label: pace each sampler with "
                                  "its own Constant Throughput Timer (see the "
                                  "labels)");
        return;
    }
    if (sc->verdict == JTL_VERDICT_THRESHOLD) {
        switch (sc->mechanism) {
        case JTL_MECH_CONCURRENCY:
            out->max_threads = floor(k * l->concurrency);
            if (svc > 0)
                lam = k * l->concurrency / (svc / 1000.0);
            out->basis = jtl_xstrdupf(
                "at most %.0f requests in flight (%.0f %% below the limit of "
                "%g); throughput then stays below C / service time",
                out->max_threads, margin * 100, l->concurrency);
            break;
        case JTL_MECH_FIXED_WINDOW:
        case JTL_MECH_SLIDING_WINDOW:
            lam = k * l->per_window / l->window_s;
            out->basis = jtl_xstrdupf(
                "%.0f %% below %g requests per %g s, evenly spaced (a burst "
                "of %g at the window start would still hit the limit)",
                margin * 100, l->per_window, l->window_s, l->per_window);
            if (threads > l->per_window)
                out->ramp_up_s =
                    (threads - l->per_window) / (l->per_window / l->window_s);
            break;
        case JTL_MECH_DISTRIBUTED:
            lam = k * k * l->rate_per_s;
            out->basis = jtl_xstrdupf(
                "twice the margin below the total of about %.1f/s: several "
                "counters fill unevenly, so refusals start below the total",
                l->rate_per_s);
            break;
        case JTL_MECH_RATE:
        case JTL_MECH_STACKED:
            lam = k * l->rate_per_s;
            out->basis = jtl_xstrdupf("%.0f %% below the limit of %.1f "
                                      "requests/s",
                                      margin * 100, l->rate_per_s);
            if (l->burst == l->burst && threads > l->burst + 1 &&
                l->rate_per_s > 0)
                out->ramp_up_s = (threads - (l->burst + 1)) / l->rate_per_s;
            break;
        default:
            if (l->saturated_accepted_per_s == l->saturated_accepted_per_s) {
                lam = k * l->saturated_accepted_per_s;
                out->basis = jtl_xstrdupf(
                    "%.0f %% below the accepted rate while throttled "
                    "(%.1f/s); the limiter type is unknown",
                    margin * 100, l->saturated_accepted_per_s);
            } else {
                out->basis = jtl_xstrdupf("the limit could not be estimated");
            }
            break;
        }
    }
    if (!(lam > 0))
        return;
    if (sc->share == sc->share && sc->share < 1) {
        /* a limit shared with other labels: the budget is shared too, in
         * proportion to the traffic, so the paces add up to the target */
        char *basis = out->basis;
        out->shared_target_rate_per_s = lam;
        out->share = sc->share;
        lam *= sc->share;
        out->basis =
            jtl_xstrdupf("its share of the traffic (%.0f %%) of the "
                         "shared target of %.1f requests/s; the "
                         "target: %s",
                         sc->share * 100, out->shared_target_rate_per_s, basis);
        free(basis);
    }
    out->target_rate_per_s = lam;
    out->constant_throughput_per_min = 60 * lam;
    if (threads > 0)
        out->per_thread_per_min = 60 * lam / threads;
    if (svc == svc)
        out->threads_needed =
            ceil(lam * (svc + (think_ms == think_ms ? think_ms : 0)) / 1000.0);
}
