/* SPDX-License-Identifier: MIT
 * sentences.c - the finding in words: one sentence per scope, what could not
 * be checked and why, and remarks a performance engineer should read. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "jtl/base/buf.h"
#include "jtl/base/xalloc.h"
#include "jtl/io/timefmt.h"

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
                sc,
                jtl_xstrdupf(
                    "Retry-After: the refusals carry no Retry-After header, so "
                    "neither its values nor client compliance could be "
                    "checked"));
        else
            unchecked(
                sc,
                jtl_xstrdupf(
                    "Retry-After: not in the file (a CSV, or XML saved "
                    "without response headers, and no retryAfter column), so "
                    "neither its values nor the clients' reaction to it "
                    "could be checked; save it with a Regular Expression "
                    "Extractor on the response headers (Retry-After: (\\d+)) "
                    "into the variable retryAfter and "
                    "sample_variables=retryAfter, or as XML with "
                    "jmeter.save.saveservice.output_format=xml and "
                    "jmeter.save.saveservice.responseHeaders=true"));
    } else if (sc->retry.count && sc->retry.pairs < 20) {
        unchecked(sc, jtl_xstrdupf("Retry-After compliance: only %llu "
                                   "(refusal, next request) pairs; "
                                   "20 or more are needed for a firm figure",
                                   (unsigned long long)sc->retry.pairs));
    }
    if (!st->has_thread)
        unchecked(sc,
                  jtl_xstrdupf("threads: the file has no threadName "
                               "column, so active threads, the ramp-up "
                               "and the wait of each thread after a refusal "
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
                                       "the refused share follows the load"));
    }
    if (sc->verdict == JTL_VERDICT_THRESHOLD && p->nrecov < 10 &&
        m->mech != JTL_MECH_CONCURRENCY && m->mech != JTL_MECH_FIXED_WINDOW)
        unchecked(sc,
                  jtl_xstrdupf("window alignment (Rayleigh test): %zu "
                               "recoveries after runs of "
                               "3 or more refusals, fewer than the 10 needed",
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
                "too fast to tell a refusal by a gateway from one passed "
                "through "
                "from the service",
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
                 "Refusals depend on recent traffic, but the limiter type "
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

    snprintf(share, sizeof(share), "%llu of %llu requests (%.1f %%) refused",
             (unsigned long long)sc->throttled, (unsigned long long)sc->samples,
             pct);
    free(sc->sentence);
    switch (sc->verdict) {
    case JTL_VERDICT_NONE:
        sc->sentence = jtl_xstrdupf("No throttling: none of the %llu requests "
                                    "was refused.",
                                    (unsigned long long)sc->samples);
        break;
    case JTL_VERDICT_RANDOM:
        sc->sentence = jtl_xstrdupf(
            "Random: %s, independent of %s; consistent with random load "
            "shedding (or a limiter whose state this client cannot see, e.g. "
            "many nodes or one shared with other consumers).",
            share,
            sc->dose.load_varied
                ? "the load and of recent traffic"
                : "recent traffic (the load hardly varied, so a limit above "
                  "it is not ruled out)");
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
                 "before the previous refusal's Retry-After ran out) %.1f %% "
                 "were "
                 "refused, of all requests %.1f %%.",
                 ra->compliance * 100, (unsigned long long)ra->early,
                 ra->amplification * 100, ra->first_attempt_429_share * 100,
                 sc->samples
                     ? 100.0 * (double)sc->throttled / (double)sc->samples
                     : 0));
    if (sc->throttled && sc->elapsed_ratio <= 0.2 && sc->elapsed_ok_ms >= 20 &&
        cx->nx.think_ms < 50)
        note(sc,
             jtl_xstrdupf(
                 "Refusals return in %.0f ms against %.0f ms for accepted "
                 "requests "
                 "and "
                 "threads hardly wait (median %.0f ms): the refused share is "
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
        note(sc, jtl_xstrdupf(
                     "The first refusal came while only %.0f requests/s were "
                     "offered, "
                     "below the total of %.1f/s: one counter filled before the "
                     "others.",
                     sc->first_429_offered_per_s, l->rate_per_s));
    if (sc->where && strcmp(sc->where, "pass-through") == 0)
        note(sc,
             jtl_xstrdupf(
                 "Refusals take %.0f ms, as long as accepted requests (%.0f "
                 "ms): the "
                 "limit is probably a dependency's, passed through; this "
                 "client's own rate explains it only in part.",
                 sc->elapsed_429_ms, sc->elapsed_ok_ms));
}

/* ------------------------------------------------------------------ */
/* What each test says about the verdict and mechanism found           */

static enum jtl_bearing yes_no(int pass, bool pass_supports)
{
    if (pass < 0)
        return JTL_BEARING_NA;
    return (pass != 0) == pass_supports ? JTL_BEARING_SUPPORTS
                                        : JTL_BEARING_AGAINST;
}

/* A test of another mechanism says nothing unless it passed (then it is a
 * competing explanation); a sequence test reads one sequence of requests,
 * which many interleaved threads blur: it cannot speak to a rate or a
 * concurrency limit, whatever it found. */
static enum jtl_bearing bearing(const struct jtl_throttle_scope *sc,
                                const struct jtl_throttle_test *t)
{
    bool window = sc->mechanism == JTL_MECH_FIXED_WINDOW ||
                  sc->mechanism == JTL_MECH_SLIDING_WINDOW;

    switch (sc->verdict) {
    case JTL_VERDICT_THRESHOLD:
        if (t->role == JTL_TEST_GATE)
            return yes_no(t->pass, true);
        if (t->sequence && !window)
            return JTL_BEARING_NA;
        if (t->about == JTL_MECH_NULL)
            return yes_no(t->pass, t->role != JTL_TEST_RANDOM);
        if (t->about == sc->mechanism)
            return yes_no(t->pass, true);
        /* "no window edge" is what a refilling bucket shows */
        if (t->about == JTL_MECH_FIXED_WINDOW && t->role == JTL_TEST_SUPPORT &&
            !window)
            return yes_no(t->pass, false);
        return t->pass > 0 ? JTL_BEARING_AGAINST : JTL_BEARING_NA;
    case JTL_VERDICT_RANDOM:
        if (t->role == JTL_TEST_GATE || t->role == JTL_TEST_RANDOM)
            return yes_no(t->pass, true);
        if (t->role == JTL_TEST_THRESHOLD)
            return yes_no(t->pass, false);
        return JTL_BEARING_NA;
    case JTL_VERDICT_INCONCLUSIVE:
        return t->role == JTL_TEST_GATE && t->pass == 0 ? JTL_BEARING_AGAINST
                                                        : JTL_BEARING_NA;
    case JTL_VERDICT_NONE:
        break;
    }
    return JTL_BEARING_NA;
}

/* ------------------------------------------------------------------ */
/* Why, in a performance engineer's words                              */

static void finding(struct jtl_throttle_scope *sc, const char *chart,
                    char *text)
{
    sc->why = jtl_xrealloc(sc->why, (sc->nwhy + 1) * sizeof(*sc->why));
    sc->why[sc->nwhy].text = text;
    sc->why[sc->nwhy].chart = chart;
    sc->nwhy++;
}

static bool known(double v)
{
    return v == v && !isinf(v);
}

static double pct(uint64_t k, uint64_t n)
{
    return n ? 100.0 * (double)k / (double)n : 0;
}

/* "10:30:46.512 UTC (+4.4 s)" */
static void when(const struct an_ctx *cx, int64_t ts, char *out, size_t n)
{
    char clock[64];

    jtl_clock_format(ts, cx->tz, JTL_CLOCK_TIME, clock, sizeof(clock));
    snprintf(out, n, "%s (+%.1f s)", clock, (double)(ts - cx->run_t0) / 1000);
}

static void why_limit(struct jtl_throttle_scope *sc)
{
    const struct jtl_throttle_limit *l = &sc->limit;
    char offered[96] = "";

    if (known(l->max_offered_1s) && known(l->max_accepted_1s) &&
        l->max_offered_1s > l->max_accepted_1s)
        snprintf(offered, sizeof(offered),
                 "; up to %.0f requests/s were offered", l->max_offered_1s);
    switch (sc->mechanism) {
    case JTL_MECH_FIXED_WINDOW:
        finding(sc, "chart-03-window-envelope",
                jtl_xstrdupf("At most %g requests were accepted in any %g s "
                             "window%s; once a window's %g were used up, the "
                             "rest of it was refused.",
                             l->per_window, l->window_s,
                             l->window_aligned ? " (windows start at clock "
                                                 "multiples of the window)"
                                               : "",
                             l->per_window));
        return;
    case JTL_MECH_SLIDING_WINDOW:
        finding(sc, "chart-03-window-envelope",
                jtl_xstrdupf("Never more than %g requests were accepted in "
                             "any %g s (a sliding window)%s.",
                             l->per_window, l->window_s, offered));
        return;
    case JTL_MECH_CONCURRENCY:
        finding(sc, "chart-07-active-threads",
                jtl_xstrdupf("Requests were refused when %g accepted "
                             "requests were already in flight; while "
                             "refusing, %.1f accepted/s of %.0f ms each "
                             "kept %.1f in flight on average (Little's law).",
                             l->concurrency, l->saturated_accepted_per_s,
                             l->mean_accepted_elapsed_ms,
                             l->little_concurrency));
        return;
    default:
        break;
    }
    if (known(l->max_accepted_1s) && known(l->saturated_accepted_per_s))
        finding(sc, "chart-01-throughput",
                jtl_xstrdupf("Accepted requests never exceeded %.0f in any "
                             "second and held at %.1f/s while requests were "
                             "refused%s.",
                             l->max_accepted_1s, l->saturated_accepted_per_s,
                             offered));
    else if (known(l->max_accepted_1s))
        finding(sc, "chart-01-throughput",
                jtl_xstrdupf("Accepted requests never exceeded %.0f in any "
                             "second%s.",
                             l->max_accepted_1s, offered));
}

/* The refused share at the lowest and the highest load. */
static void why_dose(struct jtl_throttle_scope *sc)
{
    const struct jtl_throttle_dose *d = &sc->dose;
    double lo = 1, hi = 0;
    size_t i, k = d->n - 1;

    if (d->n < 2 || !d->load_varied)
        return;
    for (i = 0; i < d->n; i++) {
        lo = fmin(lo, d->share[i]);
        hi = fmax(hi, d->share[i]);
    }
    if (sc->verdict == JTL_VERDICT_RANDOM)
        finding(sc, "chart-02-429-share",
                jtl_xstrdupf("The refused share stayed between %.0f %% and "
                             "%.0f %% whether %.0f or %.0f requests/s were "
                             "offered: the refusals do not follow the load.",
                             lo * 100, hi * 100, d->rate[0], d->rate[k]));
    else
        finding(sc, "chart-02-429-share",
                jtl_xstrdupf("At %.0f requests/s offered %.0f %% were "
                             "refused, at %.0f requests/s %.0f %%: %s.",
                             d->rate[0], d->share[0] * 100, d->rate[k],
                             d->share[k] * 100,
                             d->share[k] > d->share[0] + 0.1
                                 ? "the refusals follow the load"
                                 : "the refused share hardly changed with "
                                   "the load"));
}

static void why_mechanism(const struct an_ctx *cx,
                          struct jtl_throttle_scope *sc)
{
    const struct jtl_throttle_limit *l = &sc->limit;
    const struct jtl_throttle_test *replay = NULL;
    char edge[160] = "";
    size_t i;

    for (i = 0; i < sc->ntests; i++)
        if (sc->tests[i].about == JTL_MECH_RATE &&
            sc->tests[i].role == JTL_TEST_MECHANISM)
            replay = &sc->tests[i];
    if (known(sc->edge_p) && sc->recoveries >= 10 && sc->edge_p >= 0.001 &&
        sc->mechanism != JTL_MECH_FIXED_WINDOW)
        snprintf(edge, sizeof(edge),
                 "; no %g s window edge in the pattern of refusals: the "
                 "limit refills continuously",
                 sc->edge_w_s);
    switch (sc->mechanism) {
    case JTL_MECH_RATE:
        if (cx->st->tc_standing_requests * 2 > cx->st->n)
            finding(
                sc, "chart-01-throughput",
                jtl_xstrdupf("The requests' own times are not in the file "
                             "(%llu controller rows stand for their "
                             "%llu requests), so the limit is read from "
                             "the counts per second: %.1f accepted/s "
                             "held while refusing%s.",
                             (unsigned long long)cx->st->tc_standing,
                             (unsigned long long)cx->st->tc_standing_requests,
                             l->saturated_accepted_per_s, edge));
        else if (replay && replay->pass > 0)
            finding(sc, "chart-03-window-envelope",
                    jtl_xstrdupf("Replaying one token bucket of %.1f "
                                 "requests/s with a burst of %g against the "
                                 "requests reproduces which ones were refused "
                                 "(AUC %.2f; 1 would be every one)%s.",
                                 l->rate_per_s, l->burst, replay->statistic,
                                 edge));
        else
            finding(sc, "chart-03-window-envelope",
                    jtl_xstrdupf("The accepted requests stay under a line of "
                                 "%.1f + %.1f/s x the window (the envelope "
                                 "of a token bucket)%s.",
                                 l->envelope_burst, l->envelope_rate_per_s,
                                 edge));
        break;
    case JTL_MECH_DISTRIBUTED:
        finding(sc, "chart-03-window-envelope",
                jtl_xstrdupf("No single counter explains which requests were "
                             "refused, yet the total accepted held at about "
                             "%.1f/s: consistent with several counters "
                             "(nodes) behind a balancer, or a limit shared "
                             "with other clients.",
                             l->rate_per_s));
        break;
    case JTL_MECH_FIXED_WINDOW:
        if (known(sc->edge_p) && sc->edge_p < 0.001)
            finding(sc, "chart-03-window-envelope",
                    jtl_xstrdupf("The first accepted requests after runs of "
                                 "refusals line up with %g s window edges "
                                 "(Rayleigh p %.2g): the counter resets on "
                                 "a clock.",
                                 sc->edge_w_s, sc->edge_p));
        break;
    case JTL_MECH_STACKED:
        finding(sc, NULL,
                jtl_xstrdupf("Two or more limits act on the same requests "
                             "(%zu told apart by their Retry-After or "
                             "response size); the binding one is about "
                             "%.1f requests/s.",
                             sc->nlimiters, l->rate_per_s));
        break;
    default:
        if (edge[0])
            finding(sc, NULL,
                    jtl_xstrdupf("The refusals depend on the recent traffic, "
                                 "but no one limiter type explains them%s.",
                                 edge));
        break;
    }
}

static void why_first(const struct an_ctx *cx, struct jtl_throttle_scope *sc)
{
    char at[128], load[160], ramp[160] = "";

    if (!known(sc->first_429_s) || !sc->first_429_ts)
        return;
    when(cx, sc->first_429_ts, at, sizeof(at));
    /* at the very start the trailing second is not a second yet */
    if (sc->first_429_s < 1.0)
        snprintf(load, sizeof(load),
                 "%.0f requests had started in the %.1f s before it",
                 sc->first_429_before, sc->first_429_s);
    else
        snprintf(load, sizeof(load),
                 "%.0f requests were offered and %.0f accepted in the "
                 "second before it",
                 sc->first_429_offered_per_s, sc->first_429_accepted_per_s);
    if (sc->max_threads > 1 && known(sc->rampup_end_s) &&
        sc->first_429_s < sc->rampup_end_s)
        snprintf(ramp, sizeof(ramp),
                 ", during the ramp-up (the last of %d threads started at "
                 "+%.1f s)",
                 sc->max_threads, sc->rampup_end_s);
    if (sc->first_429_threads >= 0)
        finding(sc, "chart-07-active-threads",
                jtl_xstrdupf("The first request was refused at %s with %d "
                             "thread%s active; %s%s.",
                             at, sc->first_429_threads,
                             sc->first_429_threads == 1 ? "" : "s", load,
                             ramp));
    else
        finding(
            sc, "chart-01-throughput",
            jtl_xstrdupf("The first request was refused at %s; %s.", at, load));
}

static void why_retry(struct jtl_throttle_scope *sc)
{
    const struct jtl_throttle_retry *r = &sc->retry;
    char ra[160], react[256] = "";
    double u = r->wait_success_q ? r->wait_success_q[50] : NAN;

    if (!sc->throttled)
        return;
    if (r->count && r->nvalues == 1)
        snprintf(ra, sizeof(ra), "%s refusal%s carried Retry-After: %g s",
                 r->missing ? "Most" : "Every", r->missing ? "s" : "",
                 r->values[0].seconds);
    else if (r->count && r->dynamic)
        snprintf(ra, sizeof(ra),
                 "Retry-After counted down to the window's reset "
                 "(%g to %g s)",
                 r->values[0].seconds, r->values[r->nvalues - 1].seconds);
    else if (r->count)
        snprintf(ra, sizeof(ra),
                 "The refusals carried Retry-After of %g to %g s",
                 r->values[0].seconds, r->values[r->nvalues - 1].seconds);
    else
        snprintf(ra, sizeof(ra),
                 "The refusals carry no Retry-After in this "
                 "file");
    if (r->reaction && strcmp(r->reaction, "none") == 0)
        snprintf(react, sizeof(react),
                 "; the clients did not react: their wait after a refusal "
                 "(median %.2f s) is their usual wait after a success "
                 "(%.2f s)",
                 r->median_gap_s, u);
    else if (r->reaction && strcmp(r->reaction, "shorter") == 0)
        snprintf(react, sizeof(react),
                 "; the clients re-sent sooner after a refusal (median %.2f "
                 "s) than after a success (%.2f s)",
                 r->median_gap_s, u);
    else if (r->reaction && r->honoured)
        snprintf(react, sizeof(react),
                 "; the clients honoured it: they waited %.2f s after a "
                 "refusal (%.2f s after a success), at least Retry-After in "
                 "%.0f %% of cases",
                 r->median_gap_s, u, r->compliance * 100);
    else if (r->reaction && r->count)
        snprintf(react, sizeof(react),
                 "; the clients waited longer after a refusal (median %.2f "
                 "s against %.2f s after a success) but not Retry-After: "
                 "%.0f %% of their next requests came after it",
                 r->median_gap_s, u, r->compliance * 100);
    else if (r->reaction)
        snprintf(react, sizeof(react),
                 "; after a refusal the clients waited %.2f s (median), "
                 "after a success %.2f s",
                 r->median_gap_s, u);
    finding(sc, "chart-10-retry-wait", jtl_xstrdupf("%s%s.", ra, react));
}

static void why_random(struct jtl_throttle_scope *sc)
{
    finding(sc, "chart-02-429-share",
            jtl_xstrdupf("%.1f %% of the requests were refused (%llu of "
                         "%llu).",
                         pct(sc->throttled, sc->samples),
                         (unsigned long long)sc->throttled,
                         (unsigned long long)sc->samples));
    why_dose(sc);
    if (known(sc->auc))
        finding(sc, NULL,
                jtl_xstrdupf("No count of recent requests predicts which were "
                             "refused (the best predicts them with an AUC of "
                             "%.2f; 0.50 is chance).",
                             sc->auc));
}

static void why_none(const struct an_ctx *cx, struct jtl_throttle_scope *sc)
{
    const struct jtl_throttle_limit *l = &sc->limit;

    (void)cx;
    finding(sc, "chart-05-response-codes",
            jtl_xstrdupf("None of the %llu requests was refused with a "
                         "throttling code.",
                         (unsigned long long)sc->samples));
    if (known(l->max_accepted_1s))
        finding(sc, "chart-01-throughput",
                jtl_xstrdupf("Up to %.0f requests were accepted in one "
                             "second: any limit lies above that load.",
                             l->max_accepted_1s));
}

static void confidence(struct jtl_throttle_scope *sc, bool sharp)
{
    uint64_t n1 = sc->throttled, n0 = sc->accepted;
    bool follows = sc->dose.n && sc->trend_z >= 4;
    const char *mech = jtl_throttle_mechanism_name(sc->mechanism);

    free(sc->confidence_why);
    switch (sc->verdict) {
    case JTL_VERDICT_THRESHOLD:
        sc->confidence = n1 >= 50 && n0 >= 50 && (sharp || follows) ? "high"
                         : n1 >= 20 && n0 >= 20                     ? "medium"
                                                                    : "low";
        sc->confidence_why = jtl_xstrdupf(
            "%llu refused and %llu accepted requests; %s; %s",
            (unsigned long long)n1, (unsigned long long)n0,
            follows ? "the refusals follow the load"
            : sc->dose.n && !sc->dose.load_varied
                ? "the load hardly varied, so that could not be tested"
                : "the refusals do not clearly follow the load",
            sharp  ? "one limiter of the kind found explains which were "
                     "refused"
            : mech ? "no one limiter reproduces exactly which were "
                     "refused"
                   : "the limiter type is unknown");
        break;
    case JTL_VERDICT_RANDOM:
        sc->confidence = n1 >= 100 && n0 >= 100 && sc->dose.load_varied &&
                                 fabs(sc->trend_z) < 2
                             ? "high"
                             : "medium";
        sc->confidence_why = jtl_xstrdupf(
            "%llu refused and %llu accepted requests; %s",
            (unsigned long long)n1, (unsigned long long)n0,
            sc->dose.load_varied
                ? "the load varied and the refused share did not follow it"
                : "the load hardly varied, so a limit above it cannot be "
                  "ruled out");
        break;
    case JTL_VERDICT_NONE:
        sc->confidence = sc->samples >= 100 ? "high" : "medium";
        sc->confidence_why = jtl_xstrdupf(
            "%llu requests, none refused (at higher load there may be a "
            "limit)",
            (unsigned long long)sc->samples);
        break;
    case JTL_VERDICT_INCONCLUSIVE:
        sc->confidence = "low";
        sc->confidence_why =
            jtl_xstrdupf("%s", sc->settle ? sc->settle : "too little data");
        break;
    }
}

void an_words_why(struct an_ctx *cx, struct jtl_throttle_scope *sc, bool sharp)
{
    size_t i;

    for (i = 0; i < sc->nwhy; i++)
        free(sc->why[i].text);
    free(sc->why);
    sc->why = NULL;
    sc->nwhy = 0;
    for (i = 0; i < sc->ntests; i++)
        sc->tests[i].bearing = bearing(sc, &sc->tests[i]);
    switch (sc->verdict) {
    case JTL_VERDICT_THRESHOLD:
        why_limit(sc);
        why_dose(sc);
        why_mechanism(cx, sc);
        why_first(cx, sc);
        why_retry(sc);
        break;
    case JTL_VERDICT_RANDOM:
        why_random(sc);
        why_first(cx, sc);
        why_retry(sc);
        break;
    case JTL_VERDICT_INCONCLUSIVE:
        finding(sc, NULL,
                jtl_xstrdupf("%.1f %% of the requests were refused (%llu of "
                             "%llu); to tell how: %s.",
                             pct(sc->throttled, sc->samples),
                             (unsigned long long)sc->throttled,
                             (unsigned long long)sc->samples,
                             sc->settle ? sc->settle : "more data"));
        why_dose(sc);
        why_first(cx, sc);
        break;
    case JTL_VERDICT_NONE:
        why_none(cx, sc);
        break;
    }
    confidence(sc, sharp);
}

/* "25.0 requests/s (burst 8)", "60 per 5 s", "5 in flight" */
static void short_limit(const struct jtl_throttle_scope *sc, char *out,
                        size_t n)
{
    const struct jtl_throttle_limit *l = &sc->limit;

    if ((sc->mechanism == JTL_MECH_FIXED_WINDOW ||
         sc->mechanism == JTL_MECH_SLIDING_WINDOW) &&
        known(l->per_window))
        snprintf(out, n, "%g per %g s", l->per_window, l->window_s);
    else if (sc->mechanism == JTL_MECH_CONCURRENCY && known(l->concurrency))
        snprintf(out, n, "%g in flight", l->concurrency);
    else if (known(l->rate_per_s) && known(l->burst))
        snprintf(out, n, "%.1f requests/s (burst %g)", l->rate_per_s, l->burst);
    else if (known(l->rate_per_s))
        snprintf(out, n, "%.1f requests/s", l->rate_per_s);
    else
        snprintf(out, n, "a limit of unknown size");
}

void an_words_per_scope(struct jtl_throttle_scope *run,
                        const struct jtl_throttle_scope *scopes, size_t n)
{
    struct jtl_buf b;
    double total = 0;
    size_t i, k = 0, shown = 0;
    bool all_rates = true;
    enum jtl_scope_kind kind = JTL_SCOPE_LABEL;
    char lim[96];

    if (run->verdict != JTL_VERDICT_THRESHOLD || !run->limit_scope ||
        strncmp(run->limit_scope, "per ", 4) != 0)
        return;
    if (strcmp(run->limit_scope + 4, "group") == 0)
        kind = JTL_SCOPE_GROUP;
    jtl_buf_init(&b, 0);
    for (i = 0; i < n; i++) {
        const struct jtl_throttle_scope *sc = &scopes[i];
        if (sc->kind != kind || sc->verdict != JTL_VERDICT_THRESHOLD ||
            sc->too_few)
            continue;
        k++;
        if (known(sc->limit.rate_per_s))
            total += sc->limit.rate_per_s;
        else
            all_rates = false;
        if (shown == 5)
            continue;
        short_limit(sc, lim, sizeof(lim));
        jtl_buf_printf(&b, "%s%s %s", shown ? "; " : "", sc->name, lim);
        shown++;
    }
    if (k >= 2) {
        /* the pooled traffic's limit means little here: each has its own */
        if (run->nwhy && run->why[0].chart &&
            strcmp(run->why[0].chart, "chart-01-throughput") == 0) {
            free(run->why[0].text);
            memmove(run->why, run->why + 1,
                    (run->nwhy - 1) * sizeof(*run->why));
            run->nwhy--;
        }
        if (k > shown)
            jtl_buf_printf(&b, "; and %zu more", k - shown);
        if (all_rates)
            jtl_buf_printf(&b, "; %.1f requests/s in all", total);
        finding(run, "chart-09-labels",
                jtl_xstrdupf("Each %s has a limit of its own: %s.",
                             kind == JTL_SCOPE_GROUP ? "thread group" : "label",
                             b.p));
        /* first among the findings */
        {
            struct jtl_throttle_finding f = run->why[run->nwhy - 1];
            memmove(run->why + 1, run->why,
                    (run->nwhy - 1) * sizeof(*run->why));
            run->why[0] = f;
        }
    }
    jtl_buf_release(&b);
}

void an_words_limit_like(struct jtl_throttle_scope *run,
                         const struct jtl_throttle_code *codes, size_t n,
                         const char *analysed)
{
    const struct jtl_throttle_code *c = NULL;
    size_t i;
    char why[160];

    for (i = 0; i < n; i++)
        if (codes[i].limit_like && (!c || codes[i].count > c->count))
            c = &codes[i];
    if (!c || run->verdict != JTL_VERDICT_NONE)
        return;
    /* "no throttling" would be confidently wrong: the limit may answer
     * with this code; what "accepted" counted includes its refusals */
    if (c->with_retry_after)
        snprintf(why, sizeof(why), "%llu of them carry Retry-After",
                 (unsigned long long)c->with_retry_after);
    else
        snprintf(why, sizeof(why),
                 "their share rises with the load, by %.0f %% from the "
                 "lowest to the highest",
                 c->rise * 100);
    for (i = 0; i < run->nwhy; i++)
        free(run->why[i].text);
    run->nwhy = 0;
    finding(run, "chart-05-response-codes",
            jtl_xstrdupf("No request got %s, but %llu got %s and behave like "
                         "refusals by a limit (%s): analyse them with "
                         "--throttle-codes %s,%s.",
                         analysed, (unsigned long long)c->count, c->code, why,
                         analysed, c->code));
    run->confidence = "low";
    free(run->confidence_why);
    run->confidence_why = jtl_xstrdupf(
        "the limit may answer with %s, which was not analysed", c->code);
}
