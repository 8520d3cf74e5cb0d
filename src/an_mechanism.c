/* SPDX-License-Identifier: MIT
 * an_mechanism.c - Stage B: which limiter, and its limit.
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
 *     (distributed; an_multi.c turns it into stacked/shared for labels). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "an_internal.h"

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
    l->saturated_accepted_per_s = l->mean_accepted_elapsed_ms = NAN;
    l->little_concurrency = NAN;
}

void an_describe_limit(const struct an_pass *p, struct jtl_throttle_limit *l)
{
    const struct an_series *s = &p->s;
    double span = (double)(s->t_end - s->t0) / 1000.0;

    if (s->n0 == 0)
        return;
    if (span >= 1)
        l->max_accepted_1s = (double)an_max_in_window(s, 1000);
    if (span >= 10)
        l->max_accepted_10s = (double)an_max_in_window(s, 10000);
    if (span >= 60)
        l->max_accepted_60s = (double)an_max_in_window(s, 60000);
    an_envelope(s, &l->envelope_rate_per_s, &l->envelope_burst);
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

/* Rayleigh test of recovery phases for each window length; phases of the
 * significant ones become extra window predictors (anchored windows). */
static void alignment(const struct an_view *view, const struct an_outcome *oc,
                      struct an_pass *p, struct an_tests *ts,
                      struct an_mech *m)
{
    static const double ws[] = {1, 2, 5, 10, 15, 30, 60, 300, 600, 3600};
    double span = (double)(p->s.t_end - p->s.t0) / 1000.0;
    double th[4096], addw[4], addph[4], bestp = NAN;
    size_t k, i, n = p->nrecov < 4096 ? p->nrecov : 4096, nadd = 0;
    char det[96];

    m->rayleigh_p = m->rayleigh_w = m->rayleigh_rbar = NAN;
    if (n < 10)
        return;
    for (k = 0; k < sizeof(ws) / sizeof(ws[0]); k++) {
        double rbar, mean, pv, w = ws[k];
        /* A 22 s run gave p = 1e-14 at W = 60: only W <= duration/3. */
        if (w > span / 3)
            break;
        for (i = 0; i < n; i++) {
            double ph = fmod((double)p->recov[i] / 1000.0, w) / w;
            th[i] = 2 * M_PI * ph;
        }
        pv = an_rayleigh(th, n, &rbar, &mean);
        if (bestp != bestp || pv < bestp) {
            bestp = pv;
            m->rayleigh_p = pv;
            m->rayleigh_w = w;
            m->rayleigh_rbar = rbar;
        }
        if (pv < 0.001 && rbar >= 0.5 && nadd < 4) {
            /* recoveries come just after the window start */
            double phase = fmod(mean / (2 * M_PI) * w + w, w);
            phase = fmod(phase - 0.05 + w, w);
            if (phase > 0.02 && phase < w - 0.02) {
                addw[nadd] = w;
                addph[nadd] = phase;
                nadd++;
            }
        }
    }
    snprintf(det, sizeof(det), "recoveries mod %g s, R %.2f, n %zu",
             m->rayleigh_w, m->rayleigh_rbar, n);
    an_test_add(ts, "Rayleigh window alignment p", det, m->rayleigh_p, "<",
                0.001, JTL_TEST_SUPPORT);
    if (nadd)
        an_pass_phased(view, oc, p, addw, addph, nadd);
}

void an_stage_b(const struct an_view *view, const struct an_outcome *oc,
                struct an_pass *p, const struct an_stage_a *a,
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
    alignment(view, oc, p, ts, m);
    in = best_of(p, AN_P_INFLIGHT);
    al = best_of(p, AN_P_ALIGNED);
    tr = best_of(p, AN_P_TRAIL);
    top = p->best;
    auc_top = auc_of(p, top);

    /* 1. concurrency */
    an_test_add(ts, "in-flight AUC", in >= 0 ? p->pred[in].name : "",
                auc_of(p, in), ">=", 0.90, JTL_TEST_MECHANISM);
    if (in >= 0 && auc_of(p, in) >= 0.90 && auc_of(p, in) >= auc_top - 0.01) {
        m->mech = JTL_MECH_CONCURRENCY;
        l->concurrency = p->pred[in].ev.thr;
        m->sharp = auc_of(p, in) >= 0.95;
        m->sharp_auc = auc_of(p, in);
        snprintf(det, sizeof(det), "saturated accepted/s x mean elapsed");
        an_test_add(ts, "Little's law in-flight / C", det,
                    l->little_concurrency / l->concurrency, ">=", 0.6,
                    JTL_TEST_SUPPORT);
        return;
    }
    /* 2. fixed window */
    if (al >= 0) {
        const struct an_pred *pr = &p->pred[al];
        an_test_add(ts, "window-count AUC", pr->name, pr->ev.auc, ">=", 0.95,
                    JTL_TEST_MECHANISM);
        an_test_add(ts, "window-count balanced error", pr->name,
                    pr->ev.bal_err, "<=", 0.03, JTL_TEST_MECHANISM);
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
            snprintf(det, sizeof(det), "%zu saturated windows, median %g",
                     nsat, med);
            an_test_add(ts, "IQR of accepted per saturated window", det, iqr,
                        "<=", 1, JTL_TEST_SUPPORT);
            return;
        }
    }
    /* 3. sliding window */
    if (tr >= 0) {
        const struct an_pred *pr = &p->pred[tr];
        an_test_add(ts, "trailing-count AUC", pr->name, pr->ev.auc, ">=", 0.95,
                    JTL_TEST_MECHANISM);
        if (pr->ev.auc >= 0.95) {
            double mw = (double)an_max_in_window(
                &p->s, (uint32_t)(pr->w_s * 1000 + 0.5));
            snprintf(det, sizeof(det), "most accepted in any %g s", pr->w_s);
            an_test_add(ts, "never more than L + 1 per window", det, mw, "<=",
                        pr->ev.thr + 1, JTL_TEST_MECHANISM);
            if (mw <= pr->ev.thr + 1) {
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
    an_bucket_replay(&p->s, l->envelope_rate_per_s, &m->replay);
    snprintf(det, sizeof(det), "r = %.2f/s, burst %g", m->replay.rate,
             m->replay.burst);
    an_test_add(ts, "bucket replay AUC", det, m->replay.auc, ">=", 0.95,
                JTL_TEST_MECHANISM);
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
