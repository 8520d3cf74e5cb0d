/* SPDX-License-Identifier: MIT
 * bursts.c - where the 429s are in time: bursts (runs of 429s less than
 * a second apart), the first 429 against load and threads, the ramp-up,
 * and fast (gateway) or slow (pass-through) 429s. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "jtl/base/xalloc.h"

#define BURST_GAP_MS 1000
#define BURSTS_KEPT 20

/* Series entries with start in [from, to) (ms since t0). */
static size_t count_between(const struct an_series *s, int64_t from, int64_t to,
                            bool passed_only)
{
    size_t lo = 0, hi = s->n, a, b, i, n = 0;

    if (to <= 0)
        return 0;
    if (from < 0)
        from = 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((int64_t)s->t[mid] < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    a = lo;
    hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((int64_t)s->t[mid] < to)
            lo = mid + 1;
        else
            hi = mid;
    }
    b = lo;
    if (!passed_only)
        return b - a;
    for (i = a; i < b; i++)
        n += s->y[i] == 0;
    return n;
}

static int cmp_count_desc(const void *pa, const void *pb)
{
    const struct jtl_throttle_burst *a = pa, *b = pb;

    if (a->count != b->count)
        return a->count < b->count ? 1 : -1;
    return (a->start_s > b->start_s) - (a->start_s < b->start_s);
}

static int cmp_start(const void *pa, const void *pb)
{
    const struct jtl_throttle_burst *a = pa, *b = pb;

    return (a->start_s > b->start_s) - (a->start_s < b->start_s);
}

void an_bursts(const struct an_view *view, const struct an_outcome *oc,
               const struct an_series *s, int64_t run_t0,
               const struct an_threads *th, struct jtl_throttle_scope *sc)
{
    struct jtl_throttle_burst *v = NULL, cur;
    size_t nv = 0, cap = 0, i;
    int64_t last = INT64_MIN, *win = NULL, bstart = 0;
    size_t nwin = 0, capwin = 0, wlo = 0;
    bool in = false, first = true;

    memset(&cur, 0, sizeof(cur));
    sc->first_429_s = sc->first_429_offered_per_s = NAN;
    sc->first_429_ts = 0;
    sc->first_429_before = NAN;
    sc->first_429_accepted_per_s = NAN;
    sc->first_429_threads = -1;
    for (i = 0; i <= view->n; i++) {
        const struct an_rec *r = i < view->n ? an_view_at(view, i) : NULL;
        int y = r ? an_outcome_of(oc, r) : 1;

        if (r && y < 0)
            continue;
        if (y != 1)
            continue;
        if (r && first) {
            int64_t t = r->start - s->t0;
            first = false;
            sc->first_429_s = (double)(r->start - run_t0) / 1000.0;
            sc->first_429_ts = r->start;
            sc->first_429_before = (double)count_between(s, 0, t, false);
            sc->first_429_offered_per_s =
                (double)count_between(s, t - 1000, t, false);
            sc->first_429_accepted_per_s =
                (double)count_between(s, t - 1000, t, true);
            sc->first_429_threads = (int)an_threads_active(th, r->start);
        }
        if (in && (!r || r->start - last > BURST_GAP_MS)) {
            cur.end_s = (double)(last - run_t0) / 1000.0;
            cur.end_ts = last;
            if (nv == cap)
                jtl_xgrow((void **)&v, &cap, nv + 1, sizeof(*v));
            v[nv++] = cur;
            in = false;
            nwin = wlo = 0;
        }
        if (!r)
            break;
        if (!in) {
            int64_t t = r->start - s->t0;
            memset(&cur, 0, sizeof(cur));
            in = true;
            bstart = r->start;
            cur.start_s = (double)(r->start - run_t0) / 1000.0;
            cur.start_ts = r->start;
            cur.offered_per_s = (double)count_between(s, t - 1000, t, false);
            cur.accepted_per_s = (double)count_between(s, t - 1000, t, true);
            cur.threads = (int)an_threads_active(th, r->start);
        }
        (void)bstart;
        cur.count++;
        /* peak: most 429s in any 1 s, two pointers over this burst */
        if (nwin == capwin)
            jtl_xgrow((void **)&win, &capwin, nwin + 1, sizeof(*win));
        win[nwin++] = r->start;
        while (win[wlo] <= r->start - 1000)
            wlo++;
        if ((double)(nwin - wlo) > cur.peak_per_s)
            cur.peak_per_s = (double)(nwin - wlo);
        last = r->start;
    }
    free(win);
    sc->bursts_total = nv;
    if (nv > BURSTS_KEPT) {
        qsort(v, nv, sizeof(*v), cmp_count_desc);
        nv = BURSTS_KEPT;
    }
    if (nv)
        qsort(v, nv, sizeof(*v), cmp_start);
    sc->bursts = v;
    sc->nbursts = nv;
    sc->max_threads = th->n ? (int)th->max_active : -1;
    sc->rampup_end_s = th->rampup_end != INT64_MIN
                           ? (double)(th->rampup_end - run_t0) / 1000.0
                           : NAN;
}

/* Median elapsed of 429s and of accepted requests: a limiter at the edge
 * answers in a few ms, a limit passed through from a dependency only
 * after the work (reference §5.3 rule 8). */
void an_timing(const struct an_view *view, const struct an_outcome *oc,
               struct jtl_throttle_scope *sc)
{
    struct an_gtab g = {0};
    double m[2] = {NAN, NAN};
    size_t i;
    int y;

    for (i = 0; i < view->n; i++) {
        const struct an_rec *r = an_view_at(view, i);
        y = an_outcome_of(oc, r);
        if (y < 0 || (y == 0 && an_cls(r) != AN_ACC))
            continue;
        an_gtab_add(&g, an_elapsed(r), y);
    }
    for (y = 0; y < 2; y++) {
        uint64_t want = ((y ? g.n1 : g.n0) + 1) / 2, cum = 0;
        size_t s;
        if (!(y ? g.n1 : g.n0))
            continue;
        for (s = 0; s < g.hi; s++) {
            cum += g.c[2 * s + (size_t)y];
            if (cum >= want) {
                m[y] = an_gtab_value(s);
                break;
            }
        }
    }
    an_gtab_release(&g);
    sc->elapsed_ok_ms = m[0];
    sc->elapsed_429_ms = m[1];
    sc->elapsed_ratio = m[0] > 0 ? m[1] / m[0] : NAN;
    sc->where = NULL;
    /* Only meaningful when accepted requests do real work: against a
     * 1 ms echo server both are fast and nothing can be said. */
    if (m[0] >= 20 && sc->elapsed_ratio == sc->elapsed_ratio) {
        if (sc->elapsed_ratio <= 0.2)
            sc->where = "gateway";
        else if (sc->elapsed_ratio >= 0.8)
            sc->where = "pass-through";
    }
}
