/* SPDX-License-Identifier: MIT
 * predictors.c - one time-ordered pass over a scope that builds every
 * past-only state predictor (accepted in trailing windows, since aligned
 * window starts, in flight) and the sequence statistics (runs, lag-1).
 *
 * Why past-only: in a closed loop a 429 comes back fast and its thread
 * fires sooner, so anything counted over the same bin as the outcome
 * correlates with 429s even under random shedding (reference §0.3).  Every
 * predictor here is the limiter's plausible state just BEFORE the request:
 * only requests earlier in (start, thread, arrival) order are counted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "jtl/base/bigmem.h"
#include "jtl/base/xalloc.h"

/* clang-format off */
static const double trail_w[] = {0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300,
                                 3600};
static const double align_w[] = {1, 2, 5, 10, 15, 30, 60, 300, 600, 3600};
/* clang-format on */
#define NTRAIL (sizeof(trail_w) / sizeof(trail_w[0]))
#define NALIGN (sizeof(align_w) / sizeof(align_w[0]))

/* Above this many outcomes the predictor tables take every k-th request
 * (state is still updated by every request): 65 536 points pin an AUC to
 * about +-0.004 and still give G in the thousands for any real limiter,
 * and a 10 M-row file costs little more than a 1 M one. */
#define EVAL_MAX (1u << 16)

struct trail {
    uint64_t w; /* ms */
    size_t lo;
};

struct align {
    int64_t w, phase, next; /* ms */
    uint64_t cnt;
    size_t lo; /* first entry of the current window */
};

/* First index in [LO, N) whose start is >= FROM (starts ascend), found by
 * doubling steps from LO and then bisection. */
static size_t gallop(const uint32_t *v, size_t lo, size_t n, uint64_t from)
{
    size_t step = 1, hi;

    if (lo >= n || v[lo] >= from)
        return lo;
    while (lo + step < n && v[lo + step] < from) {
        lo += step;
        step *= 2;
    }
    hi = lo + step < n ? lo + step : n;
    /* v[lo].t < from; answer in (lo, hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < from)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static void align_step(struct align *al, int64_t t)
{
    if (t >= al->next) {
        int64_t k = floor_div(t - al->phase, al->w);
        al->next = (k + 1) * al->w + al->phase;
        al->cnt = 0;
    }
}

static void fmt_w(char *buf, size_t n, double w)
{
    if (w < 1)
        snprintf(buf, n, "%g ms", w * 1000);
    else
        snprintf(buf, n, "%g s", w);
}

static struct an_pred *add_pred(struct an_pass *p, enum an_pred_kind k,
                                double w, double phase)
{
    struct an_pred *pr;
    char ws[32];

    if (p->npred >= AN_MAXPRED)
        return NULL;
    pr = &p->pred[p->npred++];
    memset(pr, 0, sizeof(*pr));
    pr->kind = k;
    pr->w_s = w;
    pr->phase_s = phase;
    fmt_w(ws, sizeof(ws), w);
    switch (k) {
    case AN_P_TRAIL:
        snprintf(pr->name, sizeof(pr->name), "accepted in trailing %s", ws);
        break;
    case AN_P_ALIGNED:
        if (phase != 0)
            snprintf(pr->name, sizeof(pr->name),
                     "accepted since %s window start (phase %.2f s)", ws,
                     phase);
        else
            snprintf(pr->name, sizeof(pr->name),
                     "accepted since aligned %s window start", ws);
        break;
    case AN_P_INFLIGHT:
        snprintf(pr->name, sizeof(pr->name), "accepted in flight");
        break;
    case AN_P_BUCKET:
        snprintf(pr->name, sizeof(pr->name), "bucket level");
        break;
    }
    return pr;
}

/* Binary min-heap of end times (ms since t0). */
struct heap {
    uint32_t *v;
    size_t n, cap;
};

static void heap_push(struct heap *h, uint32_t x)
{
    size_t i;

    if (h->n == h->cap)
        jtl_xgrow((void **)&h->v, &h->cap, h->n + 1, sizeof(*h->v));
    i = h->n++;
    while (i > 0 && h->v[(i - 1) / 2] > x) {
        h->v[i] = h->v[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->v[i] = x;
}

static void heap_pop(struct heap *h)
{
    uint32_t x = h->v[--h->n];
    size_t i = 0, c;

    while ((c = 2 * i + 1) < h->n) {
        if (c + 1 < h->n && h->v[c + 1] < h->v[c])
            c++;
        if (h->v[c] >= x)
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    h->v[i] = x;
}

/* End times of accepted requests as counts per millisecond in a ring of
 * 65.5 s (longer requests go to a small heap), consumed only when the
 * in-flight count is read: the cost is per millisecond of the run, not a
 * heap operation per request. */
#define RING (1u << 16)

struct ring {
    uint32_t *c;
    uint64_t cursor; /* next millisecond not yet counted */
    uint64_t ended;  /* accepted requests that ended before cursor */
    struct heap h;   /* ends beyond the ring */
};

static void ring_add(struct ring *rg, uint64_t end)
{
    if (end < rg->cursor)
        rg->ended++;
    else if (end - rg->cursor < RING)
        rg->c[end & (RING - 1)]++;
    else
        heap_push(&rg->h, end > UINT32_MAX ? UINT32_MAX : (uint32_t)end);
}

/* Count every end <= T. */
static void ring_advance(struct ring *rg, uint64_t t)
{
    if (t >= rg->cursor + RING) {
        /* a long idle gap: everything in the ring has ended */
        size_t k;
        for (k = 0; k < RING; k++) {
            rg->ended += rg->c[k];
            rg->c[k] = 0;
        }
        rg->cursor = t + 1;
    }
    while (rg->cursor <= t) {
        uint32_t *slot = &rg->c[rg->cursor & (RING - 1)];
        rg->ended += *slot;
        *slot = 0;
        rg->cursor++;
    }
    while (rg->h.n && rg->h.v[0] <= t) {
        rg->ended++;
        heap_pop(&rg->h);
    }
}

static void add_recovery(struct an_pass *p, int64_t t)
{
    if (p->nrecov == p->caprecov)
        jtl_xgrow((void **)&p->recov, &p->caprecov, p->nrecov + 1,
                  sizeof(*p->recov));
    p->recov[p->nrecov++] = t;
}

static void eval_all(struct an_pass *p)
{
    int i;

    p->best = -1;
    for (i = 0; i < p->npred; i++) {
        an_gtab_eval(&p->pred[i].tab, &p->pred[i].ev);
        if (p->pred[i].ev.auc == p->pred[i].ev.auc &&
            (p->best < 0 || p->pred[i].ev.auc > p->pred[p->best].ev.auc))
            p->best = i;
    }
}

void an_pass_run(const struct an_view *view, const struct an_outcome *oc,
                 size_t nthreads, struct an_pass *p)
{
    struct trail tr[NTRAIL];
    struct align al[NALIGN];
    struct an_pred *ptr[NTRAIL], *pal[NALIGN], *pin;
    struct ring rg;
    struct an_series *s = &p->s;
    int8_t *prev_thr = NULL;
    uint32_t *cum = NULL;
    size_t ntr = 0, nal = 0, i, k, stride, countdown, lo_off = 0;
    uint64_t w_off, run1 = 0, sat_acc_run = 0;
    int64_t t0 = 0, t_end = INT64_MIN;
    double dur_s, el_sum = 0, el_snap = 0;
    uint64_t el_n = 0, el_nsnap = 0;
    int prev = -1;
    bool started = false;

    memset(p, 0, sizeof(*p));
    p->best = -1;
    p->first1 = p->last1 = INT64_MIN;
    /* First pass over the view: the time base and span. */
    for (i = 0; i < view->n; i++) {
        const struct an_rec *r = an_view_at(view, i);
        if (an_outcome_of(oc, r) < 0)
            continue;
        if (!started) {
            t0 = r->start;
            started = true;
        }
        if (an_end(r) > t_end)
            t_end = an_end(r);
    }
    s->t0 = t0;
    s->t_end = started ? t_end : t0;
    if (!started)
        return;
    if ((uint64_t)t_end - (uint64_t)t0 >= UINT32_MAX) {
        p->too_long = true;
        return;
    }
    dur_s = (double)(t_end - t0) / 1000.0;
    s->t = jtl_big_alloc((view->n + 1) * sizeof(*s->t));
    s->y = jtl_big_alloc(view->n + 1);
    /* passed requests before each one: a window's count is a difference;
     * the starts are searched in S->t itself (no second copy of them, 4
     * bytes a request less on the largest scope) */
    cum = jtl_big_alloc((view->n + 1) * sizeof(*cum));
    memset(&rg, 0, sizeof(rg));
    rg.c = jtl_xcalloc(RING, sizeof(*rg.c));
    prev_thr = jtl_xmalloc(nthreads + 1);
    memset(prev_thr, -1, nthreads + 1);

    /* Windows shorter than a third of the run, so that at least three of
     * them are seen (reference §5.0). */
    for (k = 0; k < NTRAIL; k++)
        if (trail_w[k] <= dur_s / 3 || k == 0) {
            tr[ntr].w = (uint64_t)(trail_w[k] * 1000 + 0.5);
            tr[ntr].lo = 0;
            ptr[ntr] = add_pred(p, AN_P_TRAIL, trail_w[k], 0);
            ntr++;
        }
    for (k = 0; k < NALIGN; k++)
        if (align_w[k] <= dur_s / 3) {
            al[nal].w = (int64_t)(align_w[k] * 1000 + 0.5);
            al[nal].phase = 0;
            al[nal].next = INT64_MIN;
            al[nal].cnt = 0;
            al[nal].lo = 0;
            pal[nal] = add_pred(p, AN_P_ALIGNED, align_w[k], 0);
            nal++;
        }
    pin = add_pred(p, AN_P_INFLIGHT, 0, 0);
    /* Offered load over a window scaled to the run (reference §8). */
    p->w_off_s = dur_s / 10 < 1 ? 1 : dur_s / 10 > 10 ? 10 : dur_s / 10;
    w_off = (uint64_t)(p->w_off_s * 1000 + 0.5);
    stride = view->n > EVAL_MAX ? (view->n + EVAL_MAX - 1) / EVAL_MAX : 1;
    countdown = 1;

    for (i = 0; i < view->n; i++) {
        const struct an_rec *r = an_view_at(view, i);
        int y = an_outcome_of(oc, r);
        uint32_t t;
        bool ev;

        if (y < 0)
            continue;
        t = (uint32_t)(r->start - t0);
        ev = --countdown == 0;
        if (ev)
            countdown = stride;
        /* Window counts are differences of the running passed count, and
         * the window starts are found only where a predictor is read,
         * by galloping forward: the cost is per evaluation, not per
         * request (state still comes from every earlier request). */
        if (ev) {
            for (k = 0; k < ntr; k++) {
                struct trail *w = &tr[k];
                w->lo = gallop(s->t, w->lo, s->n, t >= w->w ? t - w->w + 1 : 0);
                an_gtab_add(&ptr[k]->tab,
                            s->n0 - (w->lo < s->n ? cum[w->lo] : s->n0), y);
            }
            for (k = 0; k < nal; k++) {
                int64_t ws =
                    floor_div(r->start - al[k].phase, al[k].w) * al[k].w +
                    al[k].phase - t0;
                al[k].lo =
                    gallop(s->t, al[k].lo, s->n, ws > 0 ? (uint64_t)ws : 0);
                an_gtab_add(&pal[k]->tab,
                            s->n0 - (al[k].lo < s->n ? cum[al[k].lo] : s->n0),
                            y);
            }
            lo_off = gallop(s->t, lo_off, s->n, t >= w_off ? t - w_off + 1 : 0);
            an_gtab_add(&p->offered, s->n - lo_off, y);
        }
        if (ev) {
            /* in flight = accepted so far - accepted that ended by t */
            ring_advance(&rg, t);
            an_gtab_add(&pin->tab, s->n0 - rg.ended, y);
        }

        /* sequence statistics */
        if (prev >= 0) {
            if (y != prev)
                p->runs++;
            if (prev == 1)
                y ? p->a++ : p->b++;
            else
                y ? p->c++ : p->d++;
        } else {
            p->runs = 1;
        }
        if (r->thread < nthreads) {
            int pt = prev_thr[r->thread];
            if (pt == 1)
                y ? p->ta++ : p->tb++;
            else if (pt == 0)
                y ? p->tc++ : p->td++;
            prev_thr[r->thread] = (int8_t)y;
        }
        prev = y;

        /* state update with this request */
        cum[s->n] = (uint32_t)s->n0;
        s->t[s->n] = t;
        s->y[s->n] = (uint8_t)y;
        s->n++;
        if (y == 0) {
            uint64_t end = (uint64_t)t + an_elapsed(r);
            ring_add(&rg, end);
            s->n0++;
            if (run1 >= 3)
                add_recovery(p, r->start);
            run1 = 0;
            if (p->first1 != INT64_MIN) {
                el_sum += an_elapsed(r);
                el_n++;
                sat_acc_run++;
            }
        } else {
            s->n1++;
            run1++;
            if (p->first1 == INT64_MIN)
                p->first1 = r->start;
            p->last1 = r->start;
            el_snap = el_sum;
            el_nsnap = el_n;
            p->sat_acc = sat_acc_run;
        }
    }
    p->sat_elapsed_sum = el_snap;
    p->sat_elapsed_n = el_nsnap;
    /* the window maxima and the envelope scan only the passed requests */
    s->acc = jtl_big_alloc((s->n0 + 1) * sizeof(*s->acc));
    for (i = 0, k = 0; i < s->n; i++)
        if (!s->y[i])
            s->acc[k++] = s->t[i];
    free(rg.c);
    free(rg.h.v);
    free(prev_thr);
    jtl_big_free(cum);
    eval_all(p);
}

void an_pass_phased(struct an_pass *p, const double *w_s, const double *phase_s,
                    size_t n)
{
    struct align al[10];
    struct an_pred *pa[10];
    const struct an_series *s = &p->s;
    size_t i, k, m = 0, stride;

    for (k = 0; k < n && m < 10; k++) {
        pa[m] = add_pred(p, AN_P_ALIGNED, w_s[k], phase_s[k]);
        if (!pa[m])
            break;
        al[m].w = (int64_t)(w_s[k] * 1000 + 0.5);
        al[m].phase = (int64_t)(phase_s[k] * 1000 + 0.5);
        al[m].next = INT64_MIN;
        al[m].cnt = 0;
        m++;
    }
    stride = s->n > EVAL_MAX ? (s->n + EVAL_MAX - 1) / EVAL_MAX : 1;
    for (i = 0; i < s->n; i++) {
        int64_t t = s->t0 + s->t[i];
        for (k = 0; k < m; k++) {
            align_step(&al[k], t);
            if (i % stride == 0)
                an_gtab_add(&pa[k]->tab, al[k].cnt, s->y[i]);
            if (s->y[i] == 0)
                al[k].cnt++;
        }
    }
    for (k = 0; k < m; k++) {
        an_gtab_eval(&pa[k]->tab, &pa[k]->ev);
        if (p->best < 0 || pa[k]->ev.auc > p->pred[p->best].ev.auc)
            p->best = (int)(pa[k] - p->pred);
    }
}

void an_pass_release(struct an_pass *p)
{
    int i;

    if (!p)
        return;
    for (i = 0; i < p->npred; i++)
        an_gtab_release(&p->pred[i].tab);
    an_gtab_release(&p->offered);
    jtl_big_free(p->s.t);
    jtl_big_free(p->s.y);
    jtl_big_free(p->s.acc);
    free(p->recov);
    memset(p, 0, sizeof(*p));
}
