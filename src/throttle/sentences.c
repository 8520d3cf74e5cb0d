/* SPDX-License-Identifier: MIT
 * sentences.c - the finding in words: one sentence per scope, what could not
 * be checked and why, and remarks a performance engineer should read. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "jtl/base/xalloc.h"

static void unchecked(struct jtl_throttle_scope *sc, char *s)
{
    jtl_xstrv_add(&sc->unchecked, &sc->nunchecked, s);
}

static void note(struct jtl_throttle_scope *sc, char *s)
{
    jtl_xstrv_add(&sc->notes, &sc->nnotes, s);
}

void an_words_unchecked(struct an_ctx *cx, const struct an_pass *p,
                        const struct an_stage_a *a, const struct an_mech *m,
                        struct jtl_throttle_scope *sc)
{
    const struct an_store *st = cx->st;

    if (sc->throttled && sc->retry.count == 0) {
        if (st->has_headers)
            unchecked(
                sc, jtl_xstrdupf(
                        "Retry-After: the 429s carry no Retry-After header, so "
                        "neither its values nor client compliance could be "
                        "checked"));
        else
            unchecked(
                sc,
                jtl_xstrdupf(
                    "Retry-After: no values in the file (a CSV, or XML saved "
                    "without response headers, and no retryAfter column), so "
                    "neither its values nor client compliance could be "
                    "checked; "
                    "save it with sample_variables=retryAfter or "
                    "jmeter.save.saveservice.response_headers=true"));
    } else if (sc->retry.count && sc->retry.pairs < 20) {
        unchecked(
            sc,
            jtl_xstrdupf(
                "Retry-After compliance: only %llu (429, next request) pairs; "
                "20 or more are needed for a firm figure",
                (unsigned long long)sc->retry.pairs));
    }
    if (!st->has_thread)
        unchecked(sc, jtl_xstrdupf("threads: the file has no threadName "
                                   "column, so active threads, the ramp-up "
                                   "and the wait of each thread after a 429 "
                                   "are unknown"));
    if (sc->throttled && !p->too_long && !a->dose_ok) {
        if (p->s.n < 150)
            unchecked(sc, jtl_xstrdupf("dose-response: %zu samples, fewer than "
                                       "the 150 needed for 5 "
                                       "load bins of 30",
                                       p->s.n));
        else if (!a->load_varied)
            unchecked(sc, jtl_xstrdupf("dose-response: the offered load hardly "
                                       "varied (its 10-90 %% "
                                       "range spans less than 1.5x); a "
                                       "step-load run would show how "
                                       "the 429 share follows the load"));
    }
    if (sc->verdict == JTL_VERDICT_THRESHOLD && p->nrecov < 10 &&
        m->mech != JTL_MECH_CONCURRENCY && m->mech != JTL_MECH_FIXED_WINDOW)
        unchecked(sc, jtl_xstrdupf("window alignment (Rayleigh test): %zu "
                                   "recoveries after runs of "
                                   "3 or more 429s, fewer than the 10 needed",
                                   p->nrecov));
    if ((sc->verdict == JTL_VERDICT_THRESHOLD ||
         sc->verdict == JTL_VERDICT_INCONCLUSIVE) &&
        (m->mech == JTL_MECH_UNKNOWN || m->mech == JTL_MECH_DISTRIBUTED ||
         m->mech == JTL_MECH_NULL) &&
        sc->duration_s / 3 < 3600)
        unchecked(sc, jtl_xstrdupf("window limits longer than %.0f s (a third "
                                   "of the run) could not "
                                   "be tested",
                                   sc->duration_s / 3));
    if (sc->throttled && !sc->where && sc->elapsed_ok_ms < 20)
        unchecked(
            sc,
            jtl_xstrdupf(
                "gateway or pass-through: accepted requests take only %.0f ms, "
                "too fast to tell a 429 from the edge from one passed through",
                sc->elapsed_ok_ms));
}

static const char *mech_words(const struct jtl_throttle_scope *sc, char *buf,
                              size_t n)
{
    const struct jtl_throttle_limit *l = &sc->limit;

    switch (sc->mechanism) {
    case JTL_MECH_RATE:
        if (l->rate_per_s == l->rate_per_s && l->burst == l->burst)
            snprintf(buf, n,
                     "a rate limit (token/leaky bucket) of about "
                     "%.1f requests/s with a burst of %g",
                     l->rate_per_s, l->burst);
        else if (l->rate_per_s == l->rate_per_s)
            snprintf(buf, n,
                     "a rate limit (token/leaky bucket) of about "
                     "%.1f requests/s",
                     l->rate_per_s);
        else
            snprintf(buf, n, "rate limits (token/leaky buckets)");
        break;
    case JTL_MECH_FIXED_WINDOW:
        if (l->per_window == l->per_window)
            snprintf(buf, n, "a fixed window of %g requests per %g s%s",
                     l->per_window, l->window_s,
                     l->window_aligned ? ", aligned to the clock"
                                       : " (anchored, not clock-aligned)");
        else
            snprintf(buf, n, "fixed-window limits");
        break;
    case JTL_MECH_SLIDING_WINDOW:
        if (l->per_window == l->per_window)
            snprintf(buf, n, "a sliding window of %g requests per %g s",
                     l->per_window, l->window_s);
        else
            snprintf(buf, n, "sliding-window limits");
        break;
    case JTL_MECH_CONCURRENCY:
        if (l->concurrency == l->concurrency)
            snprintf(buf, n, "a concurrency limit of %g requests in flight",
                     l->concurrency);
        else
            snprintf(buf, n, "concurrency limits");
        break;
    case JTL_MECH_DISTRIBUTED:
        snprintf(buf, n,
                 "not one visible counter: consistent with several "
                 "counters (nodes) behind a balancer, or a limit shared with "
                 "other consumers; about %.1f requests/s in total",
                 l->rate_per_s);
        break;
    case JTL_MECH_STACKED:
        if (sc->nlimiters >= 2)
            snprintf(buf, n,
                     "stacked limits: %zu limits in series, the "
                     "binding one about %.1f requests/s",
                     sc->nlimiters, l->rate_per_s);
        else
            snprintf(buf, n, "stacked limits");
        break;
    default:
        snprintf(buf, n,
                 "429s depend on recent traffic, but the limiter type "
                 "could not be identified");
        break;
    }
    return buf;
}

static void sentence(struct jtl_throttle_scope *sc)
{
    char mech[320], share[96];
    double pct =
        sc->samples ? 100.0 * (double)sc->throttled / (double)sc->samples : 0;

    snprintf(share, sizeof(share), "%llu of %llu samples (%.1f %%) throttled",
             (unsigned long long)sc->throttled, (unsigned long long)sc->samples,
             pct);
    free(sc->sentence);
    switch (sc->verdict) {
    case JTL_VERDICT_NONE:
        sc->sentence = jtl_xstrdupf("No throttling: none of the %llu samples "
                                    "was throttled.",
                                    (unsigned long long)sc->samples);
        break;
    case JTL_VERDICT_RANDOM:
        sc->sentence = jtl_xstrdupf(
            "Random: %s, independent of the load and of recent traffic; "
            "consistent with random load shedding (or a limiter whose state "
            "this client cannot see, e.g. many nodes or one shared with "
            "other consumers).",
            share);
        break;
    case JTL_VERDICT_INCONCLUSIVE:
        sc->sentence =
            jtl_xstrdupf("Inconclusive: %s; to settle it: %s.", share,
                         sc->settle ? sc->settle : "more data");
        break;
    case JTL_VERDICT_THRESHOLD:
        mech_words(sc, mech, sizeof(mech));
        if (sc->limit_scope && strcmp(sc->limit_scope, "per label") == 0)
            sc->sentence = jtl_xstrdupf("Threshold-based: %s, one limit per "
                                        "label; %s.",
                                        mech, share);
        else if (sc->limit_scope && strncmp(sc->limit_scope, "shared", 6) == 0)
            sc->sentence = jtl_xstrdupf("Threshold-based: %s, %s; %s.", mech,
                                        sc->limit_scope, share);
        else
            sc->sentence =
                jtl_xstrdupf("Threshold-based: %s; %s.", mech, share);
        break;
    }
}

void an_words_finish(struct an_ctx *cx, struct jtl_throttle_scope *sc)
{
    const struct jtl_throttle_retry *ra = &sc->retry;
    const struct jtl_throttle_limit *l = &sc->limit;

    sentence(sc);
    if (ra->pairs >= 20 && ra->compliance < 0.05)
        note(sc,
             jtl_xstrdupf(
                 "The clients ignored Retry-After (%.0f %% compliant; plain "
                 "JMeter "
                 "does not honour it, apache/jmeter#6009): %llu early re-sends "
                 "(%.0f %% of requests). Of the first attempts (requests not "
                 "sent "
                 "before the previous 429's Retry-After ran out) %.1f %% were "
                 "throttled, of all requests %.1f %%.",
                 ra->compliance * 100, (unsigned long long)ra->early,
                 ra->amplification * 100, ra->first_attempt_429_share * 100,
                 sc->samples
                     ? 100.0 * (double)sc->throttled / (double)sc->samples
                     : 0));
    if (sc->throttled && sc->elapsed_ratio <= 0.2 && sc->elapsed_ok_ms >= 20 &&
        cx->nx.think_ms < 50)
        note(sc,
             jtl_xstrdupf(
                 "429s return in %.0f ms against %.0f ms for accepted requests "
                 "and "
                 "threads hardly wait (median %.0f ms): the 429 share is "
                 "inflated "
                 "by immediate re-sends; read the accepted throughput first.",
                 sc->elapsed_429_ms, sc->elapsed_ok_ms, cx->nx.think_ms));
    if (sc->mechanism == JTL_MECH_CONCURRENCY &&
        l->little_concurrency == l->little_concurrency)
        note(sc,
             jtl_xstrdupf(
                 "Little's law: %.1f accepted/s x %.0f ms mean elapsed = %.1f "
                 "requests in flight on average, against the limit of %g.",
                 l->saturated_accepted_per_s, l->mean_accepted_elapsed_ms,
                 l->little_concurrency, l->concurrency));
    if (sc->mechanism == JTL_MECH_DISTRIBUTED &&
        sc->first_429_offered_per_s < l->rate_per_s)
        note(sc,
             jtl_xstrdupf(
                 "The first 429 came while only %.0f requests/s were offered, "
                 "below the total of %.1f/s: one counter filled before the "
                 "others.",
                 sc->first_429_offered_per_s, l->rate_per_s));
    if (sc->where && strcmp(sc->where, "pass-through") == 0)
        note(sc, jtl_xstrdupf(
                     "429s take %.0f ms, as long as accepted requests (%.0f "
                     "ms): the "
                     "limit is probably a dependency's, passed through; this "
                     "client's own rate explains it only in part.",
                     sc->elapsed_429_ms, sc->elapsed_ok_ms));
}
