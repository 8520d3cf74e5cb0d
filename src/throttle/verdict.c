/* SPDX-License-Identifier: MIT
 * verdict.c - Stage A: are 429s state-dependent (threshold) or random?
 *
 * Rules (reference §5.2, with the corrections of §8 from real nginx data):
 *  - gate: at least 20 throttled and 20 accepted samples, else inconclusive;
 *  - threshold if a past-only predictor has G >= 30 with AUC >= 0.58 and
 *    its lower 95 % bound > 0.55, or the dose-response trend z >= 4 with an
 *    isotonic rise of the 429 share >= 0.30, or 429s cluster in time (runs
 *    Z <= -5 or lag-1 z >= 5, with P(429|429) - P(429|ok) >= 0.05: a window
 *    whose phase no predictor caught still shows this way);
 *  - random only with >= 50 of each and every test null: max AUC < 0.55,
 *    max G < 15, |runs Z| < 3, lag-1 null, |trend z| < 3;
 *  - runs and lag-1 are never required: a saturated leaky bucket
 *    interleaves accepts and 429s and shows almost no clustering. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "jtl/base/xalloc.h"

struct jtl_throttle_test *an_test_add(struct an_tests *ts, const char *test,
                                      const char *detail, double stat,
                                      const char *op, double thr,
                                      enum jtl_test_role role)
{
    struct jtl_throttle_test *t;

    if (ts->n == ts->cap)
        jtl_xgrow((void **)&ts->t, &ts->cap, ts->n + 1, sizeof(*ts->t));
    t = &ts->t[ts->n++];
    memset(t, 0, sizeof(*t));
    t->test = test;
    snprintf(t->detail, sizeof(t->detail), "%s", detail ? detail : "");
    t->statistic = stat;
    t->op = op;
    t->threshold = thr;
    t->role = role;
    if (stat != stat)
        t->pass = -1;
    else if (strcmp(op, ">=") == 0)
        t->pass = stat >= thr;
    else if (strcmp(op, ">") == 0)
        t->pass = stat > thr;
    else if (strcmp(op, "<=") == 0)
        t->pass = stat <= thr;
    else
        t->pass = stat < thr;
    return t;
}

/* Quantile of the offered-load distribution from the grouped counts. */
static double gtab_quantile(const struct an_gtab *g, double q)
{
    double n = (double)(g->n0 + g->n1), want = q * n, cum = 0;
    size_t s;

    for (s = 0; s < g->hi; s++) {
        cum += (double)g->c[2 * s] + g->c[2 * s + 1];
        if (cum >= want && cum > 0)
            return an_gtab_value(s);
    }
    return NAN;
}

/* Dose-response of the 429 share against the offered rate measured over
 * the trailing window (past only): quantile bins of >= 30 requests,
 * Cochran-Armitage trend, isotonic rise, and the capacity "hinge". */
void an_dose(const struct an_gtab *g, double w_off_s, struct an_stage_a *a)
{
    double n = (double)(g->n0 + g->n1), target, q10, q90;
    double s[16], bn[16], bk[16], fit[16], sx = 0, sn = 0, sk = 0;
    size_t m = 0, i;

    a->trend_z = a->rise = a->hinge_c = a->hinge_dll = NAN;
    a->dose_ok = false;
    if (n < 150 || g->n1 == 0)
        return;
    q10 = gtab_quantile(g, 0.10);
    q90 = gtab_quantile(g, 0.90);
    /* The load must have varied for a trend to mean anything (§5.1). */
    a->load_varied = q10 <= 0 || q90 / q10 >= 1.5;
    a->dose.load_varied = a->load_varied;
    if (!a->load_varied)
        return;
    target = fmax(30, n / 12);
    for (i = 0; i < g->hi; i++) {
        double c0 = g->c[2 * i], c1 = g->c[2 * i + 1];
        if (c0 + c1 == 0)
            continue;
        sx += (c0 + c1) * an_gtab_value(i) / w_off_s;
        sn += c0 + c1;
        sk += c1;
        if (sn >= target && m < 15) {
            s[m] = sx / sn;
            bn[m] = sn;
            bk[m] = sk;
            m++;
            sx = sn = sk = 0;
        }
    }
    if (sn > 0) {
        if (m > 0 && sn < 30) {
            /* fold a short tail into the last bin */
            s[m - 1] = (s[m - 1] * bn[m - 1] + sx) / (bn[m - 1] + sn);
            bn[m - 1] += sn;
            bk[m - 1] += sk;
        } else if (m < 16) {
            s[m] = sx / sn;
            bn[m] = sn;
            bk[m] = sk;
            m++;
        }
    }
    if (m < 5)
        return;
    a->dose_ok = true;
    a->dose.n = m;
    for (i = 0; i < m; i++) {
        a->dose.rate[i] = s[i];
        a->dose.count[i] = bn[i];
        a->dose.share[i] = bk[i] / bn[i];
    }
    a->trend_z = an_trend_z(s, bn, bk, m);
    {
        double pr[16];
        for (i = 0; i < m; i++)
            pr[i] = bk[i] / bn[i];
        an_pava(pr, bn, m, fit);
        a->rise = fit[m - 1] - fit[0];
    }
    /* Capacity model P(429 | rate) = max(eps, 1 - c / rate) against a
     * constant share: descriptive (a plateau of accepted/s). */
    {
        double pbar = 0, ll0 = 0, best = -INFINITY, bestc = NAN;
        double lo = s[0] * 0.5, hi = s[m - 1];
        int k;
        for (i = 0; i < m; i++)
            pbar += bk[i];
        pbar /= n;
        for (i = 0; i < m; i++)
            ll0 += bk[i] * log(fmax(pbar, 1e-12)) +
                   (bn[i] - bk[i]) * log(fmax(1 - pbar, 1e-12));
        for (k = 0; k <= 200; k++) {
            double c = lo + (hi - lo) * k / 200.0, ll = 0;
            for (i = 0; i < m; i++) {
                double eps = 0.5 / bn[i];
                double q = fmin(1 - eps, fmax(eps, 1 - c / s[i]));
                ll += bk[i] * log(q) + (bn[i] - bk[i]) * log(1 - q);
            }
            if (ll > best) {
                best = ll;
                bestc = c;
            }
        }
        a->hinge_c = bestc;
        a->hinge_dll = best - ll0;
    }
}

void an_stage_a(const struct an_pass *p, struct an_tests *ts,
                struct an_stage_a *a)
{
    const struct an_series *s = &p->s;
    double auc_max = NAN, g_max = 0;
    int i, cand = -1;
    bool thr1, thr2, thr3, null_all;
    char det[96];

    memset(a, 0, sizeof(*a));
    a->best = -1;
    a->auc = a->lo = a->g = NAN;
    if (s->n1 == 0) {
        a->verdict = JTL_VERDICT_NONE;
        return;
    }
    an_runs_test(s->n1, s->n0, p->runs, &a->runs);
    an_lag1(p->a, p->b, p->c, p->d, &a->lag);
    an_lag1(p->ta, p->tb, p->tc, p->td, &a->tlag);
    an_dose(&p->offered, p->w_off_s, a);

    a->gate_ok = s->n1 >= 20 && s->n0 >= 20;
    an_test_add(ts, "throttled samples", NULL, (double)s->n1, ">=", 20,
                JTL_TEST_GATE);
    an_test_add(ts, "accepted samples", NULL, (double)s->n0, ">=", 20,
                JTL_TEST_GATE);

    /* The candidate for the threshold rule: among predictors that pass
     * G and AUC, the best AUC; otherwise the best AUC overall. */
    for (i = 0; i < p->npred; i++) {
        const struct an_eval *e = &p->pred[i].ev;
        if (e->auc != e->auc)
            continue;
        if (auc_max != auc_max || e->auc > auc_max)
            auc_max = e->auc;
        if (e->g > g_max)
            g_max = e->g;
        if (e->g >= 30 && e->auc >= 0.58 && e->lo > 0.55 &&
            (cand < 0 || e->auc > p->pred[cand].ev.auc))
            cand = i;
    }
    if (cand < 0)
        cand = p->best;
    a->best = cand;
    if (cand >= 0) {
        const struct an_eval *e = &p->pred[cand].ev;
        a->auc = e->auc;
        a->lo = e->lo;
        a->g = e->g;
        snprintf(det, sizeof(det), "%s", p->pred[cand].name);
    } else {
        det[0] = '\0';
    }
    an_test_add(ts, "best past-only predictor AUC", det, a->auc, ">=", 0.58,
                JTL_TEST_THRESHOLD);
    an_test_add(ts, "AUC lower 95% bound", det, a->lo, ">", 0.55,
                JTL_TEST_THRESHOLD);
    an_test_add(ts, "likelihood ratio G", det, a->g, ">=", 30,
                JTL_TEST_THRESHOLD);
    snprintf(det, sizeof(det), "offered req/s over trailing %.1f s",
             p->w_off_s);
    an_test_add(ts, "dose-response trend z", det, a->trend_z, ">=", 4,
                JTL_TEST_THRESHOLD);
    an_test_add(ts, "dose-response rise of 429 share", det, a->rise, ">=", 0.30,
                JTL_TEST_THRESHOLD);
    snprintf(det, sizeof(det), "P(429|429) %.2f vs P(429|ok) %.2f", a->lag.p11,
             a->lag.p01);
    an_test_add(ts, "runs test Z", det, a->runs.z, "<=", -5, JTL_TEST_THRESHOLD)
        ->sequence = true;
    an_test_add(ts, "lag-1 dependence z", det, a->lag.z, ">=", 5,
                JTL_TEST_THRESHOLD)
        ->sequence = true;
    an_test_add(ts, "P(429|429) - P(429|ok)", NULL, a->lag.delta, ">=", 0.05,
                JTL_TEST_THRESHOLD)
        ->sequence = true;
    snprintf(det, sizeof(det), "same thread: %.2f vs %.2f", a->tlag.p11,
             a->tlag.p01);
    an_test_add(ts, "per-thread lag-1 z", det, a->tlag.z, ">=", 5,
                JTL_TEST_SUPPORT)
        ->sequence = true;

    thr1 = a->g >= 30 && a->auc >= 0.58 && a->lo > 0.55;
    thr2 = a->dose_ok && a->trend_z >= 4 && a->rise >= 0.30;
    thr3 = (a->runs.z <= -5 || a->lag.z >= 5) && a->lag.delta >= 0.05;
    if (!a->gate_ok) {
        a->verdict = JTL_VERDICT_INCONCLUSIVE;
        snprintf(a->settle, sizeof(a->settle),
                 "at least 20 throttled and 20 accepted samples (here %llu "
                 "and %llu): a longer run, or more load than the limit",
                 (unsigned long long)s->n1, (unsigned long long)s->n0);
        return;
    }
    if (thr1 || thr2 || thr3) {
        a->verdict = JTL_VERDICT_THRESHOLD;
        return;
    }
    /* Random only when every test is null and there is power. */
    an_test_add(ts, "max AUC over predictors", NULL, auc_max, "<", 0.55,
                JTL_TEST_RANDOM);
    an_test_add(ts, "max G over predictors", NULL, g_max, "<", 15,
                JTL_TEST_RANDOM);
    an_test_add(ts, "|runs Z|", NULL, fabs(a->runs.z), "<", 3, JTL_TEST_RANDOM)
        ->sequence = true;
    an_test_add(ts, "|lag-1 z|", NULL, fabs(a->lag.z), "<", 3, JTL_TEST_RANDOM)
        ->sequence = true;
    if (a->dose_ok)
        an_test_add(ts, "|dose-response trend z|", NULL, fabs(a->trend_z), "<",
                    3, JTL_TEST_RANDOM);
    null_all = s->n1 >= 50 && s->n0 >= 50 && auc_max < 0.55 && g_max < 15 &&
               fabs(a->runs.z) < 3 &&
               (fabs(a->lag.z) < 3 || fabs(a->lag.delta) < 0.02) &&
               (!a->dose_ok || fabs(a->trend_z) < 3);
    if (null_all) {
        a->verdict = JTL_VERDICT_RANDOM;
        return;
    }
    a->verdict = JTL_VERDICT_INCONCLUSIVE;
    if (s->n1 < 50 || s->n0 < 50)
        snprintf(a->settle, sizeof(a->settle),
                 "at least 50 throttled and 50 accepted samples to tell "
                 "random from a hidden limiter (here %llu and %llu)",
                 (unsigned long long)s->n1, (unsigned long long)s->n0);
    else if (!a->load_varied)
        snprintf(a->settle, sizeof(a->settle),
                 "a step-load run (several minutes at each of 3-4 load "
                 "levels): the load hardly varied, so the 429 share could "
                 "not be compared across loads");
    else
        snprintf(a->settle, sizeof(a->settle),
                 "the tests disagree: a step-load run, or response headers "
                 "saved (Retry-After / RateLimit-*) would settle it");
}
