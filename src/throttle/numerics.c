/* SPDX-License-Identifier: MIT
 * numerics.c - the statistics of the throttle analysis, in plain C: grouped
 * AUC, balanced thresholds and logistic likelihood ratios, runs and lag-1
 * tests, Wilson intervals, isotonic fits, trend and Rayleigh tests. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "jtl/base/xalloc.h"

#ifndef M_SQRT2
#define M_SQRT2 1.41421356237309504880
#endif
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ------------------------------------------------------------------ */
/* Grouped counts                                                      */

/* Predictor values are counts.  Keeping one cell per distinct value makes
 * AUC and the logistic fit cost O(distinct values), not O(n); above 4096
 * the cells get coarser (2048 per octave) so a 60 s count at thousands of
 * requests per second cannot blow the table up. */
#define EXACT 4096u
#define SUB 2048u

size_t an_gtab_slot(uint64_t x)
{
    int k;

    if (x < EXACT)
        return (size_t)x;
    k = 63 - __builtin_clzll(x); /* >= 12 */
    return EXACT + (size_t)(k - 12) * SUB + (size_t)((x >> (k - 11)) - SUB);
}

double an_gtab_value(size_t slot)
{
    size_t k, m;

    if (slot < EXACT)
        return (double)slot;
    k = (slot - EXACT) / SUB + 12;
    m = (slot - EXACT) % SUB + SUB;
    return ldexp((double)m, (int)k - 11);
}

void an_gtab_grow(struct an_gtab *g, size_t s)
{
    size_t old = g->cap, cap = old ? old : 64;

    while (cap <= s)
        cap *= 2;
    g->c = jtl_xrealloc(g->c, cap * 2 * sizeof(*g->c));
    memset(g->c + old * 2, 0, (cap - old) * 2 * sizeof(*g->c));
    g->cap = cap;
}

void an_gtab_release(struct an_gtab *g)
{
    if (!g)
        return;
    free(g->c);
    memset(g, 0, sizeof(*g));
}

static double xlogy(double x, double y)
{
    return x > 0 ? x * log(y) : 0.0;
}

/* log(1 + e^eta) without overflow. */
static double softplus(double eta)
{
    return eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta));
}

/* Two-parameter logistic regression on grouped data, Newton-Raphson with
 * step halving on the standardised predictor (reference §5.10). */
static void logistic(const struct an_gtab *g, struct an_eval *ev)
{
    double n = (double)(g->n0 + g->n1), p = (double)g->n1 / n;
    double mean = 0, var = 0, sd, b0, b1, ll, ll0;
    size_t s;
    int it;

    ll0 = xlogy((double)g->n1, p) + xlogy((double)g->n0, 1 - p);
    for (s = 0; s < g->hi; s++) {
        double w = (double)g->c[2 * s] + g->c[2 * s + 1];
        mean += w * an_gtab_value(s);
    }
    mean /= n;
    for (s = 0; s < g->hi; s++) {
        double w = (double)g->c[2 * s] + g->c[2 * s + 1];
        double d = an_gtab_value(s) - mean;
        var += w * d * d;
    }
    sd = sqrt(var / n);
    ev->g = 0;
    ev->separated = false;
    if (!(sd > 0) || g->n0 == 0 || g->n1 == 0) {
        ev->p = 1;
        ev->r2 = 0;
        return;
    }
    b0 = log(p / (1 - p));
    b1 = 0;
    ll = ll0;
    for (it = 0; it < 60; it++) {
        double g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0, det, d0, d1;
        double step = 1, nll;
        for (s = 0; s < g->hi; s++) {
            double k1 = g->c[2 * s + 1], m = g->c[2 * s] + k1, z, e, q;
            if (m == 0)
                continue;
            z = (an_gtab_value(s) - mean) / sd;
            e = b0 + b1 * z;
            q = 1 / (1 + exp(-e));
            g0 += k1 - m * q;
            g1 += (k1 - m * q) * z;
            h00 += m * q * (1 - q);
            h01 += m * q * (1 - q) * z;
            h11 += m * q * (1 - q) * z * z;
        }
        det = h00 * h11 - h01 * h01;
        if (!(det > 1e-300))
            break;
        d0 = (h11 * g0 - h01 * g1) / det;
        d1 = (h00 * g1 - h01 * g0) / det;
        for (;;) {
            double nb0 = b0 + step * d0, nb1 = b1 + step * d1;
            nll = 0;
            for (s = 0; s < g->hi; s++) {
                double k1 = g->c[2 * s + 1], m = g->c[2 * s] + k1, e;
                if (m == 0)
                    continue;
                e = nb0 + nb1 * (an_gtab_value(s) - mean) / sd;
                nll += k1 * e - m * softplus(e);
            }
            if (nll >= ll - 1e-12 || step < 1e-6)
                break;
            step /= 2;
        }
        if (nll < ll - 1e-12)
            break;
        b0 += step * d0;
        b1 += step * d1;
        if (fabs(nll - ll) < 1e-10 * (1 + fabs(ll)) && fabs(step * d1) < 1e-8) {
            ll = nll;
            break;
        }
        ll = nll;
        if (fabs(b1) > 30) {
            ev->separated = true;
            break;
        }
    }
    /* Under separation the maximum is at infinity with l1 -> 0: G is at
     * most -2 l0, and that bound is itself the proof of a sharp edge. */
    ev->g = ev->separated ? -2 * ll0 : 2 * (ll - ll0);
    if (ev->g < 0)
        ev->g = 0;
    ev->p = an_chi2_sf1(ev->g);
    ev->r2 = ll0 < 0 ? 1 - (ev->separated ? 0 : ll) / ll0 : 0;
}

void an_auc_scan(const uint32_t *c, size_t nslot, double n0, double n1,
                 struct an_auc *out)
{
    double below0 = 0, below1 = 0, sum = 0, best = -1;
    size_t s;

    out->thr_slot = 0;
    /* Mann-Whitney with ties counted half; the balanced threshold scans
     * "1 iff slot >= s" over the same cumulative counts. */
    for (s = 0; s < nslot; s++) {
        double c0 = c[2 * s], c1 = c[2 * s + 1], j;
        if (c0 == 0 && c1 == 0)
            continue;
        sum += c1 * (below0 + 0.5 * c0);
        /* threshold at this slot: TPR = (n1 - below1)/n1, TNR = below0/n0 */
        j = (n1 - below1) / n1 + below0 / n0;
        if (j > best) {
            best = j;
            out->thr_slot = s;
        }
        below0 += c0;
        below1 += c1;
    }
    out->auc = sum / (n1 * n0);
    out->bal_err = 1 - best / 2;
}

void an_gtab_eval(const struct an_gtab *g, struct an_eval *ev)
{
    double n1 = (double)g->n1, n0 = (double)g->n0, a, q1, q2;
    struct an_auc scan;

    memset(ev, 0, sizeof(*ev));
    ev->auc = ev->se = ev->lo = ev->thr = ev->bal_err = NAN;
    ev->g = 0;
    ev->p = 1;
    if (n1 == 0 || n0 == 0)
        return;
    an_auc_scan(g->c, g->hi, n0, n1, &scan);
    a = scan.auc;
    ev->auc = a;
    ev->thr = an_gtab_value(scan.thr_slot);
    ev->bal_err = scan.bal_err;
    q1 = a / (2 - a);
    q2 = 2 * a * a / (1 + a);
    ev->se = sqrt(fmax(
        0, (a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n0 - 1) * (q2 - a * a)) /
               (n1 * n0)));
    /* A perfect AUC has SE 0 by that formula; keep a floor from the
     * sample size so tiny samples never look certain. */
    ev->se = fmax(ev->se, sqrt((n1 + n0 + 1) / (12 * n1 * n0)) / 4);
    ev->lo = a - 1.96 * ev->se;
    logistic(g, ev);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

double an_norm_sf2(double z)
{
    return erfc(fabs(z) / M_SQRT2);
}

double an_chi2_sf1(double x)
{
    return x > 0 ? erfc(sqrt(x / 2)) : 1.0;
}

void an_wilson(double k, double n, double *lo, double *hi)
{
    const double z = 1.959964;
    double p, c, h;

    if (!(n > 0)) {
        *lo = *hi = NAN;
        return;
    }
    p = k / n;
    c = (p + z * z / (2 * n)) / (1 + z * z / n);
    h = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
    *lo = fmax(0, c - h);
    *hi = fmin(1, c + h);
}

void an_runs_test(uint64_t n1, uint64_t n0, uint64_t runs, struct an_runs *out)
{
    double a = (double)n1, b = (double)n0, n = a + b, mu, var;

    out->runs = runs;
    out->z = NAN;
    out->p = NAN;
    if (n1 < 2 || n0 < 2)
        return;
    mu = 2 * a * b / n + 1;
    var = 2 * a * b * (2 * a * b - n) / (n * n * (n - 1));
    if (!(var > 0))
        return;
    out->z = ((double)runs - mu) / sqrt(var);
    out->p = an_norm_sf2(out->z);
}

void an_lag1(uint64_t a, uint64_t b, uint64_t c, uint64_t d, struct an_lag *out)
{
    double A = (double)a + 0.5, B = (double)b + 0.5, C = (double)c + 0.5,
           D = (double)d + 0.5;

    out->p11 = a + b ? (double)a / (double)(a + b) : NAN;
    out->p01 = c + d ? (double)c / (double)(c + d) : NAN;
    out->delta = out->p11 - out->p01;
    out->log_or = log(A * D / (B * C));
    out->z = out->log_or / sqrt(1 / A + 1 / B + 1 / C + 1 / D);
    if (a + b == 0 || c + d == 0)
        out->z = NAN;
}

void an_pava(const double *y, const double *w, size_t n, double *fit)
{
    double *sy = jtl_xmalloc((n + 1) * sizeof(double));
    double *sw = jtl_xmalloc((n + 1) * sizeof(double));
    size_t *len = jtl_xmalloc((n + 1) * sizeof(size_t));
    size_t top = 0, i, j, k = 0;

    for (i = 0; i < n; i++) {
        sy[top] = y[i] * w[i];
        sw[top] = w[i];
        len[top] = 1;
        top++;
        while (top > 1 &&
               sy[top - 2] * sw[top - 1] > sy[top - 1] * sw[top - 2]) {
            sy[top - 2] += sy[top - 1];
            sw[top - 2] += sw[top - 1];
            len[top - 2] += len[top - 1];
            top--;
        }
    }
    for (i = 0; i < top; i++)
        for (j = 0; j < len[i]; j++)
            fit[k++] = sw[i] > 0 ? sy[i] / sw[i] : 0;
    free(sy);
    free(sw);
    free(len);
}

double an_trend_z(const double *s, const double *n, const double *k, size_t m)
{
    double N = 0, K = 0, sn = 0, sn2 = 0, num = 0, p, var;
    size_t i;

    for (i = 0; i < m; i++) {
        N += n[i];
        K += k[i];
        sn += n[i] * s[i];
        sn2 += n[i] * s[i] * s[i];
    }
    if (!(N > 0))
        return NAN;
    p = K / N;
    for (i = 0; i < m; i++)
        num += s[i] * (k[i] - n[i] * p);
    var = p * (1 - p) * (sn2 - sn * sn / N);
    return var > 0 ? num / sqrt(var) : NAN;
}

double an_rayleigh(const double *theta, size_t n, double *rbar, double *mean)
{
    double c = 0, s = 0, r, rn, p, nn = (double)n;
    size_t i;

    *rbar = NAN;
    *mean = NAN;
    if (n == 0)
        return NAN;
    for (i = 0; i < n; i++) {
        c += cos(theta[i]);
        s += sin(theta[i]);
    }
    c /= nn;
    s /= nn;
    r = sqrt(c * c + s * s);
    *rbar = r;
    *mean = atan2(s, c);
    rn = nn * r;
    /* Zar's approximation (reference §5.3 rule 5). */
    p = exp(sqrt(1 + 4 * nn + 4 * (nn * nn - rn * rn)) - (1 + 2 * nn));
    return fmin(1, fmax(0, p));
}

int an_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Hoare quickselect with a median-of-three pivot: the K-th smallest of
 * V[0..N) in place, O(n) on average (medians of millions of gaps). */
static double select_k(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, i = lo, j = hi;
        double a = v[lo], b = v[mid], c = v[hi], piv, t;
        piv = a < b ? (b < c ? b : (a < c ? c : a))
                    : (a < c ? a : (b < c ? c : b));
        for (;;) {
            while (v[i] < piv)
                i++;
            while (v[j] > piv)
                j--;
            if (i >= j)
                break;
            t = v[i];
            v[i] = v[j];
            v[j] = t;
            i++;
            j--;
        }
        if (k <= j)
            hi = j;
        else
            lo = j + 1;
    }
    return v[k];
}

double an_median(double *v, size_t n)
{
    double hi, lo;
    size_t i;

    if (n == 0)
        return NAN;
    hi = select_k(v, n, n / 2);
    if (n % 2)
        return hi;
    /* the other middle element is the largest of the lower part */
    lo = v[0];
    for (i = 1; i < n / 2; i++)
        if (v[i] > lo)
            lo = v[i];
    return (lo + hi) / 2;
}

/* ------------------------------------------------------------------ */
/* Distinct values with counts                                          */

static uint64_t hash_double(double x)
{
    uint64_t u;

    memcpy(&u, &x, sizeof(u));
    u ^= u >> 33;
    u *= 0xff51afd7ed558ccdull;
    u ^= u >> 33;
    return u;
}

void an_distinct_add(struct an_distinct *d, double x, uint64_t n)
{
    size_t i, mask;

    /* Retry-After is mostly the same value many times in a row */
    if (d->n && d->v[d->last].seconds == x) {
        d->v[d->last].count += n;
        return;
    }

    if (d->n * 2 >= d->nslots) {
        size_t ns = d->nslots ? d->nslots * 2 : 64, k;
        free(d->slots);
        d->slots = jtl_xmalloc(ns * sizeof(*d->slots));
        for (k = 0; k < ns; k++)
            d->slots[k] = UINT32_MAX;
        d->nslots = ns;
        for (k = 0; k < d->n; k++) {
            i = hash_double(d->v[k].seconds) & (ns - 1);
            while (d->slots[i] != UINT32_MAX)
                i = (i + 1) & (ns - 1);
            d->slots[i] = (uint32_t)k;
        }
    }
    mask = d->nslots - 1;
    i = hash_double(x) & mask;
    while (d->slots[i] != UINT32_MAX) {
        if (d->v[d->slots[i]].seconds == x) {
            d->v[d->slots[i]].count += n;
            d->last = d->slots[i];
            return;
        }
        i = (i + 1) & mask;
    }
    if (d->n == d->cap)
        jtl_xgrow((void **)&d->v, &d->cap, d->n + 1, sizeof(*d->v));
    d->v[d->n].seconds = x;
    d->v[d->n].count = n;
    d->last = d->n;
    d->slots[i] = (uint32_t)d->n++;
}

static int cmp_ra_value(const void *pa, const void *pb)
{
    const struct jtl_throttle_ra_value *a = pa, *b = pb;

    return (a->seconds > b->seconds) - (a->seconds < b->seconds);
}

struct jtl_throttle_ra_value *an_distinct_sorted(struct an_distinct *d,
                                                 size_t *n)
{
    struct jtl_throttle_ra_value *v = d->v;

    if (v)
        qsort(v, d->n, sizeof(*v), cmp_ra_value);
    *n = d->n;
    free(d->slots);
    memset(d, 0, sizeof(*d));
    return v;
}

void an_gtab_auc(const struct an_gtab *g, double *auc, double *thr,
                 double *bal_err)
{
    struct an_auc scan;

    *auc = *thr = *bal_err = NAN;
    if (g->n1 == 0 || g->n0 == 0)
        return;
    an_auc_scan(g->c, g->hi, (double)g->n0, (double)g->n1, &scan);
    *auc = scan.auc;
    *thr = an_gtab_value(scan.thr_slot);
    *bal_err = scan.bal_err;
}

void an_gtab_clear(struct an_gtab *g)
{
    if (g->c)
        memset(g->c, 0, g->hi * 2 * sizeof(*g->c));
    g->hi = 0;
    g->n0 = g->n1 = 0;
}

void an_gtab_quantiles(const struct an_gtab *g, double *q, size_t nq)
{
    uint64_t n = g->n0 + g->n1, cum = 0, d = (uint64_t)(nq - 1);
    size_t s = 0, k;

    for (k = 0; k < nq; k++) {
        /* nearest rank: the smallest value with at least ceil(k n / d) at
         * or below it (rank 1 for k = 0); integers, as 0.07 * 100 is not 7
         * in floating point */
        uint64_t want = ((uint64_t)k * n + d - 1) / d;

        if (want < 1)
            want = 1;
        q[k] = NAN;
        if (n == 0)
            continue;
        while (s < g->hi && cum + g->c[2 * s] + g->c[2 * s + 1] < want) {
            cum += (uint64_t)g->c[2 * s] + g->c[2 * s + 1];
            s++;
        }
        if (s < g->hi)
            q[k] = an_gtab_value(s);
    }
}

double an_gtab_median(const struct an_gtab *g)
{
    double q[3]; /* 0, 50 and 100 %: the middle one is rank ceil(n / 2) */

    an_gtab_quantiles(g, q, 3);
    return q[1];
}

void an_distinct_merge(struct an_distinct *d, const struct an_distinct *from)
{
    size_t i;

    for (i = 0; i < from->n; i++)
        an_distinct_add(d, from->v[i].seconds, from->v[i].count);
}

static void distinct_release(struct an_distinct *d)
{
    free(d->v);
    free(d->slots);
    memset(d, 0, sizeof(*d));
}

void an_adv_release(struct an_adv *a)
{
    if (!a)
        return;
    distinct_release(&a->limit);
    distinct_release(&a->window_s);
    distinct_release(&a->remaining);
    distinct_release(&a->reset_s);
}
