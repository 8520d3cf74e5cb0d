/* SPDX-License-Identifier: MIT
 * an_limit.c - limit estimates from the accepted requests: most accepted in
 * any W, the b + r*W envelope, counts per saturated window, and the replay
 * of one token/leaky bucket (GCRA) fitted to the accepted starts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_internal.h"
#include "jtl/xalloc.h"

uint64_t an_max_in_window(const struct an_series *s, uint32_t w_ms)
{
    uint64_t best = 0, cnt = 0;
    size_t i, j = 0;

    for (i = 0; i < s->n; i++) {
        if (s->y[i])
            continue;
        while (j < s->n && (uint64_t)s->t[j] < (uint64_t)s->t[i] + w_ms) {
            if (!s->y[j])
                cnt++;
            j++;
        }
        if (cnt > best)
            best = cnt;
        cnt--; /* request i leaves the window */
    }
    return best;
}

/* Network calculus (Cruz 1991): traffic that passed a (r, b) bucket fits
 * the arrival curve b + r*W, so the slope of max-accepted-in-W over the
 * longer windows estimates r and the largest excess over it b. */
void an_envelope(const struct an_series *s, double *rate, double *burst)
{
    double w[40], m[40], span = (double)(s->t_end - s->t0) / 1000.0;
    double sw = 0, sm = 0, sww = 0, swm = 0, r, b = -INFINITY;
    size_t n = 0, i, h;

    *rate = *burst = NAN;
    for (i = 0; i < 40; i++) {
        double x = 0.1 * pow(1.5, (double)i);
        if (x > span / 5)
            break;
        w[n] = x;
        m[n] = (double)an_max_in_window(s, (uint32_t)(x * 1000 + 0.5));
        n++;
    }
    if (n < 6)
        return;
    h = n / 2;
    for (i = h; i < n; i++) {
        sw += w[i];
        sm += m[i];
        sww += w[i] * w[i];
        swm += w[i] * m[i];
    }
    {
        double k = (double)(n - h), den = k * sww - sw * sw;
        if (!(den > 0))
            return;
        r = (k * swm - sw * sm) / den;
    }
    for (i = 0; i < n; i++)
        if (m[i] - r * w[i] > b)
            b = m[i] - r * w[i];
    *rate = r;
    *burst = b;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

void an_window_counts(const struct an_series *s, double w_s, double phase_s,
                      double *median, double *iqr, size_t *nsat)
{
    int64_t w = (int64_t)(w_s * 1000 + 0.5), ph = (int64_t)(phase_s * 1000 + 0.5);
    int64_t cur = INT64_MIN;
    double *v = NULL;
    size_t nv = 0, cap = 0, i;
    uint64_t cnt = 0;
    bool sat = false;

    *median = *iqr = NAN;
    *nsat = 0;
    if (w <= 0)
        return;
    for (i = 0; i <= s->n; i++) {
        int64_t k = i < s->n ? floor_div(s->t0 + s->t[i] - ph, w) : INT64_MAX;
        if (k != cur) {
            if (cur != INT64_MIN && sat) {
                if (nv == cap)
                    jtl_xgrow((void **)&v, &cap, nv + 1, sizeof(*v));
                v[nv++] = (double)cnt;
            }
            cur = k;
            cnt = 0;
            sat = false;
        }
        if (i == s->n)
            break;
        if (s->y[i])
            sat = true;
        else
            cnt++;
    }
    if (nv) {
        qsort(v, nv, sizeof(*v), an_cmp_double);
        *median = nv % 2 ? v[nv / 2] : (v[nv / 2 - 1] + v[nv / 2]) / 2;
        *iqr = v[(3 * nv) / 4] - v[nv / 4];
    }
    *nsat = nv;
    free(v);
}

/* ------------------------------------------------------------------ */
/* Bucket replay                                                       */

/* Replays longer than this many requests are cut: the AUC peak is about
 * 1/T wide, so a shorter stretch only makes the search coarser, and the
 * cost stays at (candidates x CAP). */
#define REPLAY_CAP 200000u
#define QUANT 16.0 /* level resolution: 1/16 request */

struct replay_range {
    size_t a, first, last, b; /* replay [a, b), scored [first, last] */
    double span_s;
};

static double replay_auc(const struct an_series *s,
                         const struct replay_range *rr, double r,
                         struct an_gtab *g, double *thr, double *bal)
{
    double d = 0, auc, rm = r / 1000.0;
    uint32_t tl = s->t[rr->a];
    size_t i;

    an_gtab_clear(g);
    for (i = rr->a; i < rr->b; i++) {
        double x = d - rm * (double)(s->t[i] - tl);
        if (x < 0)
            x = 0;
        if (i >= rr->first && i <= rr->last)
            an_gtab_add(g, (uint64_t)(x * QUANT), s->y[i]);
        if (!s->y[i]) {
            d = x + 1;
            tl = s->t[i];
        }
    }
    an_gtab_auc(g, &auc, thr, bal);
    return auc;
}

/* Is "at most r*dt + 3 accepted between any two 429s >= 1 s apart" true?
 * With g = accepted-before - r*t at each 429, the condition is
 * g_j - min{g_i : t_i <= t_j - 1 s} <= 3 for every j. */
static bool feasible(const uint32_t *rt, const double *ra, size_t n, double r)
{
    double mn = INFINITY;
    size_t i, j = 0;

    for (i = 0; i < n; i++) {
        double gi = ra[i] - r * (double)rt[i] / 1000.0;
        while (j < i && (uint64_t)rt[j] + 1000 <= rt[i]) {
            double gj = ra[j] - r * (double)rt[j] / 1000.0;
            if (gj < mn)
                mn = gj;
            j++;
        }
        if (gi - mn > 3)
            return false;
    }
    return true;
}

static double start_rate(const struct an_series *s,
                         const struct replay_range *rr)
{
    uint32_t *rt = NULL;
    double *ra = NULL, acc = 0, lo = 0, hi;
    size_t n = 0, cap = 0, i;
    int it;

    for (i = rr->first; i <= rr->last; i++) {
        if (s->y[i]) {
            if (n == cap) {
                size_t c2 = cap;
                jtl_xgrow((void **)&rt, &cap, n + 1, sizeof(*rt));
                jtl_xgrow((void **)&ra, &c2, n + 1, sizeof(*ra));
            }
            rt[n] = s->t[i];
            ra[n] = acc;
            n++;
        } else {
            acc++;
        }
    }
    hi = acc + 4;
    if (n < 2 || (uint64_t)rt[0] + 1000 > rt[n - 1] || feasible(rt, ra, n, 0)) {
        free(rt);
        free(ra);
        return NAN;
    }
    for (it = 0; it < 60; it++) {
        double mid = (lo + hi) / 2;
        if (feasible(rt, ra, n, mid))
            hi = mid;
        else
            lo = mid;
    }
    free(rt);
    free(ra);
    return hi;
}

static void scan(const struct an_series *s, const struct replay_range *rr,
                 double from, double to, int steps, struct an_gtab *g,
                 struct an_replay *best)
{
    double bauc = -1, first_r = NAN, last_r = NAN;
    int k;

    for (k = 0; k <= steps; k++) {
        double r = from + (to - from) * k / steps, thr, bal, auc;
        if (!(r > 0))
            continue;
        auc = replay_auc(s, rr, r, g, &thr, &bal);
        if (!(auc == auc))
            continue;
        if (auc > bauc + 1e-9) {
            bauc = auc;
            first_r = last_r = r;
        } else if (auc >= bauc - 1e-9 && last_r == last_r) {
            last_r = r;
        }
    }
    if (bauc > best->auc || best->auc != best->auc) {
        double r = (first_r + last_r) / 2, thr, bal;
        /* middle of a plateau of equal AUC */
        best->auc = replay_auc(s, rr, r, g, &thr, &bal);
        best->rate = r;
        best->bal_err = bal;
        best->burst = floor(thr / QUANT + 0.5);
        best->ok = true;
    }
}

void an_bucket_replay(const struct an_series *s, double env_rate,
                      struct an_replay *out)
{
    struct replay_range rr;
    struct an_gtab g = {0};
    double r0, T;
    size_t i;
    bool have = false;

    memset(out, 0, sizeof(*out));
    out->rate = out->burst = out->auc = out->bal_err = NAN;
    for (i = 0; i < s->n; i++)
        if (s->y[i]) {
            if (!have)
                rr.first = i;
            rr.last = i;
            have = true;
        }
    if (!have || s->n0 < 10)
        return;
    rr.a = rr.first > REPLAY_CAP / 4 ? rr.first - REPLAY_CAP / 4 : 0;
    rr.b = s->n - rr.a > REPLAY_CAP ? rr.a + REPLAY_CAP : s->n;
    if (rr.last >= rr.b)
        rr.last = rr.b - 1;
    while (rr.last > rr.first && !s->y[rr.last])
        rr.last--;
    T = (double)(s->t[rr.last] - s->t[rr.first]) / 1000.0;
    rr.span_s = T;
    if (T < 1)
        return;
    r0 = start_rate(s, &rr);
    /* The AUC peak is about 1/T wide (0.986 at 120.00/s, 0.86 at 119.98 on
     * a 120/s nginx bucket), so the grid steps in 0.05/T around r0. */
    if (r0 == r0 && r0 > 0)
        scan(s, &rr, r0 - 2 / T, r0 + 6 / T, 160, &g, out);
    if ((!(out->auc >= 0.95)) && env_rate == env_rate && env_rate > 0)
        scan(s, &rr, env_rate * 0.92, env_rate * 1.08, 160, &g, out);
    an_gtab_release(&g);
}
