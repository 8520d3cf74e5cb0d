/* SPDX-License-Identifier: MIT
 * limits.c - limit estimates from the accepted requests: most accepted in
 * any W, the b + r*W envelope, counts per saturated window, and the replay
 * of one token/leaky bucket (GCRA) fitted to the accepted starts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "jtl/base/bigmem.h"
#include "jtl/base/xalloc.h"

void an_max_in_windows(const struct an_series *s, const uint32_t *w_ms,
                       uint64_t *best, size_t nw)
{
    size_t lo[16] = {0}, j, k;
    uint64_t span = s->n0 ? (uint64_t)s->acc[s->n0 - 1] + 1 : 0;

    for (k = 0; k < nw; k++)
        best[k] = 0;
    if (s->n0 && span <= 4 * (uint64_t)s->n0 + 65536) {
        /* dense traffic: P[x] = accepted before ms x, and the most in any
         * (t - W, t] is max P[t+1] - P[t+1-W], a loop without branches */
        uint32_t *P = jtl_big_alloc((span + 1) * sizeof(*P));
        uint64_t x;
        j = 0;
        for (x = 0; x <= span; x++) {
            while (j < s->n0 && s->acc[j] < x)
                j++;
            P[x] = (uint32_t)j;
        }
        for (k = 0; k < nw; k++) {
            uint64_t w = w_ms[k], b = 0;
            for (x = 1; x <= span; x++) {
                uint64_t from = x > w ? x - w : 0;
                uint64_t d = P[x] - P[from];
                b = d > b ? d : b;
            }
            best[k] = b;
        }
        jtl_big_free(P);
        return;
    }
    /* windows (t - W, t] ending at each accepted start, all in one sweep */
    for (j = 0; j < s->n0; j++) {
        uint32_t t = s->acc[j];
        for (k = 0; k < nw && k < 16; k++) {
            while ((uint64_t)s->acc[lo[k]] + w_ms[k] <= t)
                lo[k]++;
            if (j + 1 - lo[k] > best[k])
                best[k] = j + 1 - lo[k];
        }
    }
}

uint64_t an_max_in_window(const struct an_series *s, uint32_t w_ms)
{
    uint64_t best = 0;
    size_t i, j = 0, n = s->n0;

    for (i = 0; i < n; i++) {
        while (j < n && (uint64_t)s->acc[j] < (uint64_t)s->acc[i] + w_ms)
            j++;
        if (j - i > best)
            best = j - i;
    }
    return best;
}

/* Network calculus (Cruz 1991): traffic that passed a (r, b) bucket fits
 * the arrival curve b + r*W, so the slope of max-accepted-in-W over the
 * longer windows estimates r and the largest excess over it b. */
void an_envelope(const struct an_series *s, struct jtl_throttle_limit *l)
{
    double *rate = &l->envelope_rate_per_s, *burst = &l->envelope_burst;
    double w[40], m[40], span = (double)(s->t_end - s->t0) / 1000.0;
    double sw = 0, sm = 0, sww = 0, swm = 0, r, b = -INFINITY;
    uint32_t wm[16];
    uint64_t mm[16];
    size_t n = 0, i, h;

    *rate = *burst = NAN;
    /* a log grid of at most 12 windows from 0.1 s to T/5 */
    double f = fmax(1.5, pow(span / 5 / 0.1, 1.0 / 11));
    for (i = 0; i < 40; i++) {
        double x = 0.1 * pow(f, (double)i);
        if (x > span / 5)
            break;
        w[n] = x;
        wm[n] = (uint32_t)(x * 1000 + 0.5);
        n++;
        if (n == 16)
            break;
    }
    an_max_in_windows(s, wm, mm, n);
    for (i = 0; i < n; i++)
        m[i] = (double)mm[i];
    /* The points themselves, for the report's envelope chart. */
    l->nenvelope = 0;
    for (i = 0; i < n && i < JTL_THROTTLE_ENVELOPE_POINTS; i++) {
        l->envelope_w_s[i] = w[i];
        l->envelope_max[i] = m[i];
        l->nenvelope++;
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
    /* a staircase (fixed windows) or too short a run gives no slope */
    if (!(r > 0))
        return;
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
    int64_t w = (int64_t)(w_s * 1000 + 0.5),
            ph = (int64_t)(phase_s * 1000 + 0.5);
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

/* The rate is searched on a short stretch from the first 429 on (cheap,
 * coarse) and refined on a longer one only where one bucket fits: the
 * score peak is about 1/T wide for a stretch of T seconds, so the longer
 * stretch gives the precision and the shorter one the speed. */
#define REPLAY_SHORT 20000u
#define REPLAY_LONG 100000u
#define QUANT 16.0 /* level resolution: 1/16 request below 256 */
#define NSLOT 8192

struct replay_range {
    size_t a, first, last, b; /* replay [a, b), scored [first, last] */
    double span_s;
};

struct lvlhist {
    uint32_t c[NSLOT][2];
    size_t hi;
};

/* Rounded up: a request is refused when the level is ABOVE the burst, so
 * level b itself must not share a cell with b + 0.01. */
static size_t lvl_slot(double x)
{
    double q = ceil(x * QUANT - 1e-9);

    if (q < 4096)
        return (size_t)q;
    q = 4096 + ceil(x - 256 - 1e-9);
    return q < NSLOT - 1 ? (size_t)q : NSLOT - 1;
}

static double slot_lvl(size_t s)
{
    return s < 4096 ? (double)s / QUANT : 256 + (double)(s - 4096);
}

/* Replay one bucket of rate R over RR; score "429 iff level > b" on the
 * scored part.  Requests that started in the same millisecond all see the
 * level at the start of that millisecond: their order within it is not
 * known from the file, and guessing it would fake sharpness. */
static void replay_one(const struct an_series *s, const struct replay_range *rr,
                       double r, struct lvlhist *h, double *auc, double *burst,
                       double *bal)
{
    double d = 0, rm = r / 1000.0, x = 0, n0 = 0, n1 = 0;
    struct an_auc scan;
    uint32_t tl = s->t[rr->a], tg = UINT32_MAX;
    size_t i, k, hi = 0;
    unsigned acc_in_group = 0;

    memset(h->c, 0, (h->hi + 1) * sizeof(h->c[0]));
    for (i = rr->a; i < rr->b; i++) {
        uint32_t t = s->t[i];
        if (t != tg) {
            if (acc_in_group) {
                d = x + acc_in_group;
                tl = tg;
            }
            acc_in_group = 0;
            tg = t;
            x = d - rm * (double)(t - tl);
            if (x < 0)
                x = 0;
        }
        if (i >= rr->first && i <= rr->last) {
            k = lvl_slot(x);
            h->c[k][s->y[i]]++;
            if (k > hi)
                hi = k;
        }
        if (!s->y[i])
            acc_in_group++;
    }
    h->hi = hi;
    for (k = 0; k <= hi; k++) {
        n0 += h->c[k][0];
        n1 += h->c[k][1];
    }
    *auc = *burst = *bal = NAN;
    if (n0 == 0 || n1 == 0)
        return;
    an_auc_scan(&h->c[0][0], hi + 1, n0, n1, &scan);
    /* 429 iff slot >= k: the burst is the level just below */
    *burst = scan.thr_slot ? slot_lvl(scan.thr_slot - 1) : 0;
    *auc = scan.auc;
    *bal = scan.bal_err;
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

/* r0: the smallest rate for which at most r*dt + 3 requests were accepted
 * between any two 429s at least 1 s apart (closer pairs are skipped:
 * client start times reorder requests by a few ms).  Reference §8. */
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
    for (it = 0; it < 50; it++) {
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

static double score(const struct an_replay *r)
{
    return r->ok ? (1 - r->bal_err) + 1e-3 * r->auc : -1;
}

/* Pick the rate whose replay best obeys the bucket's own rule "429 iff
 * the level is above the burst": lowest balanced error, then highest AUC
 * (AUC alone only ranks levels and is flat near the true rate when the
 * burst is 0).  On a plateau of equal score, its middle. */
static void scan(const struct an_series *s, const struct replay_range *rr,
                 double from, double to, int steps, struct lvlhist *h,
                 struct an_replay *best)
{
    struct an_replay cur;
    double bscore = -1, first_r = NAN, last_r = NAN;
    int k;

    for (k = 0; k <= steps; k++) {
        double r = from + (to - from) * k / steps, sc;
        if (!(r > 0))
            continue;
        replay_one(s, rr, r, h, &cur.auc, &cur.burst, &cur.bal_err);
        if (!(cur.auc == cur.auc))
            continue;
        cur.ok = true;
        sc = score(&cur);
        if (sc > bscore + 1e-9) {
            bscore = sc;
            first_r = last_r = r;
        } else if (sc >= bscore - 1e-9 && last_r == last_r) {
            last_r = r;
        }
    }
    if (first_r != first_r)
        return;
    cur.rate = (first_r + last_r) / 2;
    replay_one(s, rr, cur.rate, h, &cur.auc, &cur.burst, &cur.bal_err);
    cur.ok = cur.auc == cur.auc;
    if (cur.ok && score(&cur) > score(best))
        *best = cur;
}

/* Coarse scan of [FROM, TO], then a fine one around its best. */
static void search(const struct an_series *s, const struct replay_range *rr,
                   double from, double to, struct lvlhist *h,
                   struct an_replay *best)
{
    struct an_replay b = *best;
    double step = (to - from) / 40;

    b.ok = false;
    scan(s, rr, from, to, 40, h, &b);
    if (b.ok)
        scan(s, rr, b.rate - step, b.rate + step, 20, h, &b);
    if (score(&b) > score(best))
        *best = b;
}

static bool make_range(const struct an_series *s, size_t first, size_t last,
                       size_t cap, struct replay_range *rr)
{
    rr->first = first;
    rr->a = first > cap / 4 ? first - cap / 4 : 0;
    rr->b = s->n - rr->a > cap ? rr->a + cap : s->n;
    rr->last = last < rr->b ? last : rr->b - 1;
    while (rr->last > rr->first && !s->y[rr->last])
        rr->last--;
    rr->span_s = (double)(s->t[rr->last] - s->t[rr->first]) / 1000.0;
    return rr->span_s >= 1;
}

void an_bucket_replay(const struct an_series *s, double env_rate,
                      struct an_replay *out)
{
    struct replay_range rs, rl;
    struct lvlhist *h;
    double r0, T;
    size_t i, first = 0, last = 0;
    bool have = false;

    memset(out, 0, sizeof(*out));
    out->rate = out->burst = out->auc = out->bal_err = NAN;
    for (i = 0; i < s->n; i++)
        if (s->y[i]) {
            if (!have)
                first = i;
            last = i;
            have = true;
        }
    if (!have || s->n0 < 10 || !make_range(s, first, last, REPLAY_SHORT, &rs))
        return;
    h = jtl_xcalloc(1, sizeof(*h));
    h->hi = NSLOT - 1;
    T = rs.span_s;
    r0 = start_rate(s, &rs);
    if (r0 == r0 && r0 > 0) {
        search(s, &rs, r0 - 2 / T, r0 + 6 / T, h, out);
        /* Accepted throughput reaches r only when requests arrive densely;
         * with a small burst and gaps between arrivals it stays below, so
         * also look above r0. */
        search(s, &rs, r0 + 6 / T, fmax(r0 * 1.6, r0 + 7 / T), h, out);
    }
    if (!(out->auc >= 0.95) && env_rate == env_rate && env_rate > 0)
        search(s, &rs, env_rate * 0.92, env_rate * 1.08, h, out);
    /* refine on the long stretch where one bucket fits */
    if (out->ok && out->bal_err <= 0.10 && rs.b < s->n &&
        make_range(s, first, last, REPLAY_LONG, &rl) && rl.span_s > T) {
        struct an_replay fine = *out;
        fine.ok = false;
        search(s, &rl, out->rate - 2 / T, out->rate + 2 / T, h, &fine);
        if (fine.ok)
            *out = fine;
    }
    if (out->ok)
        out->burst = floor(out->burst + 0.5);
    free(h);
}
