/* SPDX-License-Identifier: MIT
 * mechanism.c - Stage B: which limiter, and its limit.
 *
 * Order (reference §5.3 with the lessons of §8):
 *  1. concurrency: "accepted in flight" AUC >= 0.90 and the top predictor
 *     (within 0.01); C = its balanced threshold; Little's law as a check;
 *  2. fixed window: a window-count predictor (epoch-aligned, or phased at
 *     the recoveries' Rayleigh mean) with AUC >= 0.95 and balanced error
 *     <= 3 %; L = median accepted over saturated windows;
 *  3. sliding window: a trailing count with AUC >= 0.95 and never more
 *     than L + 1 accepted in any W;
 *  4. otherwise replay one bucket: AUC >= 0.95 -> rate (r, b from the
 *     replay); 0.90..0.95 -> rate from the envelope; below -> hidden state
 *     (distributed; shared_limits.c turns it into stacked/shared for labels),
 *     unless the requests' times are estimates (controller rows standing
 *     for their requests) and accepted/s held at the envelope's rate.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "jtl/base/xalloc.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

void an_limit_init(struct jtl_throttle_limit *l)
{
    l->rate_per_s = l->burst = l->window_s = l->per_window = NAN;
    l->concurrency = l->window_phase_s = NAN;
    l->window_aligned = false;
    l->envelope_rate_per_s = l->envelope_burst = NAN;
    l->max_accepted_1s = l->max_accepted_10s = l->max_accepted_60s = NAN;
    l->max_offered_1s = NAN;
    l->saturated_accepted_per_s = l->mean_accepted_elapsed_ms = NAN;
    l->little_concurrency = NAN;
}

/* The most requests started in any second (two pointers): the load the
 * limit was offered, said beside it. */
static void max_offered(const struct an_series *s, struct jtl_throttle_limit *l)
{
    size_t i, j = 0, best = 0;

    if (!s->n || s->t_end - s->t0 < 1000)
        return;
    for (i = 0; i < s->n; i++) {
        while (s->t[i] - s->t[j] >= 1000)
            j++;
        if (i + 1 - j > best)
            best = i + 1 - j;
    }
    l->max_offered_1s = (double)best;
}

void an_describe_limit(const struct an_pass *p, struct jtl_throttle_limit *l)
{
    const struct an_series *s = &p->s;
    double span = (double)(s->t_end - s->t0) / 1000.0;

    if (s->n0 == 0)
        return;
    {
        static const uint32_t w[3] = {1000, 10000, 60000};
        uint64_t m[3];
        an_max_in_windows(s, w, m, 3);
        if (span >= 1)
            l->max_accepted_1s = (double)m[0];
        if (span >= 10)
            l->max_accepted_10s = (double)m[1];
        if (span >= 60)
            l->max_accepted_60s = (double)m[2];
    }
    if (p->first1 != INT64_MIN && p->last1 - p->first1 >= 1000) {
        l->saturated_accepted_per_s =
            (double)p->sat_acc / ((double)(p->last1 - p->first1) / 1000.0);
        if (p->sat_elapsed_n) {
            l->mean_accepted_elapsed_ms =
                p->sat_elapsed_sum / (double)p->sat_elapsed_n;
            l->little_concurrency = l->saturated_accepted_per_s *
                                    l->mean_accepted_elapsed_ms / 1000.0;
        }
    }
}

static int best_of(const struct an_pass *p, enum an_pred_kind k)
{
    int i, b = -1;

    for (i = 0; i < p->npred; i++)
        if (p->pred[i].kind == k && p->pred[i].ev.auc == p->pred[i].ev.auc &&
            (b < 0 || p->pred[i].ev.auc > p->pred[b].ev.auc + 1e-12))
            b = i;
    return b;
}

static double auc_of(const struct an_pass *p, int i)
{
    return i >= 0 ? p->pred[i].ev.auc : NAN;
}

/* Count since window start (phase PH, length W, ms) as a predictor: AUC. */
static double phase_auc(const struct an_series *s, int64_t w, int64_t ph,
                        struct an_gtab *g)
{
    int64_t next = INT64_MIN;
    uint64_t cnt = 0;
    double auc, thr, bal;
    size_t i;

    an_gtab_clear(g);
    for (i = 0; i < s->n; i++) {
        int64_t t = s->t0 + s->t[i];
        if (t >= next) {
            int64_t k = (t - ph) / w - ((t - ph) % w < 0);
            next = (k + 1) * w + ph;
            cnt = 0;
        }
        an_gtab_add(g, cnt, s->y[i]);
        cnt += s->y[i] == 0;
    }
    an_gtab_auc(g, &auc, &thr, &bal);
    return auc;
}

/* Windows that do not start at epoch multiples (anchored at the first
 * request, or a server clock offset): the recoveries (first accepted after
 * 3+ 429s) come just after each window start, so their circular mean per
 * window length gives the phase.  The window-count AUC decides whether the
 * phase is real (§5.3 rules 2-3), so a handful of windows is enough; the
 * Rayleigh test (n >= 10) is reported as evidence.  Under random shedding
 * recoveries have no common phase and nothing sharp comes out. */
void an_pass_align(struct an_pass *p)
{
    static const double ws[] = {1, 2, 5, 10, 15, 30, 60, 300, 600, 3600};
    double span = (double)(p->s.t_end - p->s.t0) / 1000.0;
    double *th, addw[10], addph[10], bestp = NAN;
    size_t k, i, n = p->nrecov, nadd = 0;
    struct an_gtab g = {0};

    p->rayleigh_p = p->rayleigh_w = p->rayleigh_rbar = NAN;
    if (n < 3)
        return;
    /* a strided subset is plenty for a phase: at most 20 000 recoveries */
    if (n > 20000) {
        size_t st = (n + 19999) / 20000, m = 0;
        for (i = 0; i < n; i += st)
            p->recov[m++] = p->recov[i];
        n = p->nrecov = m;
    }
    th = jtl_xmalloc(n * sizeof(*th));
    for (k = 0; k < sizeof(ws) / sizeof(ws[0]); k++) {
        double rbar, mean, pv, w = ws[k], est, best = -1, bestph = 0;
        int j;
        /* A 22 s run gave p = 1e-14 at W = 60: only W <= duration/3. */
        if (w > span / 3)
            break;
        for (i = 0; i < n; i++) {
            double ph = fmod((double)p->recov[i] / 1000.0, w) / w;
            th[i] = 2 * M_PI * ph;
        }
        pv = an_rayleigh(th, n, &rbar, &mean);
        if (n >= 10 && (bestp != bestp || pv < bestp)) {
            bestp = pv;
            p->rayleigh_p = pv;
            p->rayleigh_w = w;
            p->rayleigh_rbar = rbar;
        }
        if (!(rbar >= 0.5))
            continue;
        /* recoveries lag the window start by up to a think time: try the
         * mean and a little before it, keep the sharpest */
        est = fmod(mean / (2 * M_PI) * w + w, w);
        for (j = 0; j < 4; j++) {
            static const double back[] = {0, 0.01, 0.03, 0.08};
            double ph = fmod(est - fmin(back[j] * w, back[j] * 5) + w, w);
            double auc;
            ph = floor(ph * 1000 + 0.5) / 1000;
            auc = phase_auc(&p->s, (int64_t)(w * 1000 + 0.5),
                            (int64_t)(ph * 1000 + 0.5), &g);
            if (auc > best) {
                best = auc;
                bestph = ph;
            }
        }
        if (bestph > 0.001 && bestph < w - 0.001 && best >= 0.9 && nadd < 10) {
            addw[nadd] = w;
            addph[nadd] = bestph;
            nadd++;
        }
    }
    an_gtab_release(&g);
    free(th);
    if (nadd)
        an_pass_phased(p, addw, addph, nadd);
}

void an_stage_b(struct an_pass *p, const struct an_stage_a *a,
                struct an_tests *ts, struct an_mech *m)
{
    struct jtl_throttle_limit *l = &m->limit;
    int in, al, tr, top;
    double auc_top;
    char det[96];

    memset(m, 0, sizeof(*m));
    an_limit_init(l);
    m->replay.rate = m->replay.burst = m->replay.auc = NAN;
    m->sharp_auc = NAN;
    an_describe_limit(p, l);
    if (a->verdict != JTL_VERDICT_THRESHOLD) {
        m->mech = JTL_MECH_NULL;
        return;
    }
    /* the b + r*W envelope: a dozen passes over the accepted starts, so
     * only where a limit is being estimated */
    an_envelope(&p->s, l);
    max_offered(&p->s, l);
    if (p->rayleigh_p == p->rayleigh_p) {
        snprintf(det, sizeof(det), "recoveries mod %g s, R %.2f, n %zu",
                 p->rayleigh_w, p->rayleigh_rbar, p->nrecov);
        an_test_add(ts, "Rayleigh window alignment p", det, p->rayleigh_p, "<",
                    0.001, JTL_TEST_SUPPORT)
            ->about = JTL_MECH_FIXED_WINDOW;
    }
    in = best_of(p, AN_P_INFLIGHT);
    al = best_of(p, AN_P_ALIGNED);
    tr = best_of(p, AN_P_TRAIL);
    top = p->best;
    auc_top = auc_of(p, top);

    /* 1. concurrency */
    an_test_add(ts, "in-flight AUC", in >= 0 ? p->pred[in].name : "",
                auc_of(p, in), ">=", 0.90, JTL_TEST_MECHANISM)
        ->about = JTL_MECH_CONCURRENCY;
    if (in >= 0 && auc_of(p, in) >= 0.90 && auc_of(p, in) >= auc_top - 0.01) {
        m->mech = JTL_MECH_CONCURRENCY;
        l->concurrency = p->pred[in].ev.thr;
        m->sharp = auc_of(p, in) >= 0.95;
        m->sharp_auc = auc_of(p, in);
        snprintf(det, sizeof(det), "saturated accepted/s x mean elapsed");
        an_test_add(ts, "Little's law in-flight / C", det,
                    l->little_concurrency / l->concurrency, ">=", 0.6,
                    JTL_TEST_SUPPORT)
            ->about = JTL_MECH_CONCURRENCY;
        return;
    }
    /* 2. fixed window */
    if (al >= 0) {
        const struct an_pred *pr = &p->pred[al];
        an_test_add(ts, "window-count AUC", pr->name, pr->ev.auc, ">=", 0.95,
                    JTL_TEST_MECHANISM)
            ->about = JTL_MECH_FIXED_WINDOW;
        an_test_add(ts, "window-count balanced error", pr->name, pr->ev.bal_err,
                    "<=", 0.03, JTL_TEST_MECHANISM)
            ->about = JTL_MECH_FIXED_WINDOW;
        if (pr->ev.auc >= 0.95 && pr->ev.bal_err <= 0.03) {
            double med, iqr;
            size_t nsat;
            an_window_counts(&p->s, pr->w_s, pr->phase_s, &med, &iqr, &nsat);
            m->mech = JTL_MECH_FIXED_WINDOW;
            l->window_s = pr->w_s;
            l->per_window = nsat >= 1 ? med : pr->ev.thr;
            l->window_phase_s = pr->phase_s;
            l->window_aligned = pr->phase_s == 0;
            l->rate_per_s = l->per_window / l->window_s;
            m->sharp = true;
            m->sharp_auc = pr->ev.auc;
            snprintf(det, sizeof(det), "%zu saturated windows, median %g", nsat,
                     med);
            an_test_add(ts, "IQR of accepted per saturated window", det, iqr,
                        "<=", 1, JTL_TEST_SUPPORT)
                ->about = JTL_MECH_FIXED_WINDOW;
            return;
        }
    }
    /* 3. sliding window */
    if (tr >= 0) {
        const struct an_pred *pr = &p->pred[tr];
        an_test_add(ts, "trailing-count AUC", pr->name, pr->ev.auc, ">=", 0.95,
                    JTL_TEST_MECHANISM)
            ->about = JTL_MECH_SLIDING_WINDOW;
        if (pr->ev.auc >= 0.95) {
            double mw = (double)an_max_in_window(
                &p->s, (uint32_t)(pr->w_s * 1000 + 0.5));
            snprintf(det, sizeof(det), "most accepted in any %g s", pr->w_s);
            an_test_add(ts, "never more than L + 1 per window", det, mw,
                        "<=", pr->ev.thr + 1, JTL_TEST_MECHANISM)
                ->about = JTL_MECH_SLIDING_WINDOW;
            /* a bucket without burst is also "at most 1 per 1/r": when
             * one bucket fits as well, it is the simpler reading */
            if (mw <= pr->ev.thr + 1)
                an_bucket_replay(&p->s, l->envelope_rate_per_s, &m->replay);
            if (mw <= pr->ev.thr + 1 && !(m->replay.auc >= pr->ev.auc)) {
                m->mech = JTL_MECH_SLIDING_WINDOW;
                l->window_s = pr->w_s;
                l->per_window = pr->ev.thr;
                l->rate_per_s = pr->ev.thr / pr->w_s;
                m->sharp = true;
                m->sharp_auc = pr->ev.auc;
                return;
            }
        }
    }
    /* 4. one bucket */
    if (!m->replay.ok)
        an_bucket_replay(&p->s, l->envelope_rate_per_s, &m->replay);
    snprintf(det, sizeof(det), "r = %.2f/s, burst %g", m->replay.rate,
             m->replay.burst);
    an_test_add(ts, "bucket replay AUC", det, m->replay.auc, ">=", 0.95,
                JTL_TEST_MECHANISM)
        ->about = JTL_MECH_RATE;
    if (m->replay.auc >= 0.95) {
        m->mech = JTL_MECH_RATE;
        l->rate_per_s = m->replay.rate;
        l->burst = m->replay.burst;
        m->sharp = true;
        m->sharp_auc = m->replay.auc;
    } else if (m->replay.auc >= 0.90) {
        m->mech = JTL_MECH_RATE;
        l->rate_per_s = l->envelope_rate_per_s;
        l->burst = floor(l->envelope_burst);
        m->sharp_auc = m->replay.auc;
    } else if (p->timing_estimated &&
               fabs(l->saturated_accepted_per_s / l->envelope_rate_per_s - 1) <=
                   0.10) {
        /* The requests' own times are estimates (controller rows that
         * stand for their requests): no replay can be sharp, but the
         * per-second counts still show one rate held while throttled. */
        snprintf(det, sizeof(det), "accepted %.1f/s while throttled",
                 l->saturated_accepted_per_s);
        an_test_add(ts, "held rate / envelope rate", det,
                    l->saturated_accepted_per_s / l->envelope_rate_per_s,
                    ">=", 0.90, JTL_TEST_MECHANISM)
            ->about = JTL_MECH_RATE;
        m->mech = JTL_MECH_RATE;
        l->rate_per_s = l->envelope_rate_per_s;
        l->burst = floor(l->envelope_burst);
        m->sharp_auc = m->replay.auc;
    } else if (l->envelope_rate_per_s == l->envelope_rate_per_s) {
        /* Several counters behind a balancer: 429s start below the total
         * and no single bucket explains them; the envelope still caps the
         * total (1-6 % low as the node count grows). */
        m->mech = JTL_MECH_DISTRIBUTED;
        l->rate_per_s = l->envelope_rate_per_s;
        l->burst = floor(l->envelope_burst);
        m->sharp_auc = m->replay.auc;
    } else {
        m->mech = JTL_MECH_UNKNOWN;
    }
}
