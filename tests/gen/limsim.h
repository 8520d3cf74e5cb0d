/* SPDX-License-Identifier: MIT
 * limsim.h - a closed-loop JMeter simulator against known rate limiters,
 * header-only, for tests and benchmarks: threads ramp up, each sends its
 * samplers in turn, waits for the response, thinks, and repeats; the server
 * decides accept or 429 at arrival (token bucket / leaky bucket with nginx
 * burst semantics, fixed window aligned or anchored, sliding log,
 * concurrency, random shedding, several nodes behind a random balancer,
 * stacked gateway + endpoint limits, a limiter per label).
 * Ownership: limsim_run() returns a malloc'd array the caller frees.
 * Deterministic for a given seed (splitmix64). */
#ifndef JTL_LIMSIM_H
#define JTL_LIMSIM_H
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum limsim_kind {
    LS_NONE = 0,
    LS_BUCKET,  /* rate r, burst b (nginx limit_req burst=b nodelay) */
    LS_FIXED,   /* L per W, windows start at phase + k*W */
    LS_SLIDING, /* at most L accepted in any trailing W */
    LS_CONC,    /* at most C accepted in flight */
    LS_RANDOM,  /* reject with probability p */
};

#define LS_MAXNODES 8
#define LS_MAXLABELS 4

struct limsim_lim {
    enum limsim_kind kind;
    double r, b;        /* bucket */
    double L, W, phase; /* windows */
    double C;           /* concurrency */
    double p;           /* random */
    double ra;          /* constant Retry-After, 0 = dynamic or 1 */
    int nodes;          /* > 1: that many copies behind a random balancer */
    int bytes;          /* size of its 429 */
    double epoch_s;     /* set by limsim_run: epoch of the run start */
    /* state */
    double lvl[LS_MAXNODES], last[LS_MAXNODES];
    double win[LS_MAXNODES];
    double cnt[LS_MAXNODES];
    double *log;
    size_t nlog, caplog, head;
};

struct limsim_cfg {
    int threads;
    double ramp_s, duration_s;
    double think_lo_s, think_hi_s;
    double svc_s, svc_jitter_s; /* accepted: uniform svc +- jitter */
    double rej_s;               /* 429 elapsed */
    double net_s;               /* client start -> server arrival, max */
    int nlabels;                /* samplers per iteration */
    struct limsim_lim up;       /* applies to every label (or NONE) */
    struct limsim_lim own[LS_MAXLABELS]; /* per label, after up */
    uint64_t seed;
    int64_t epoch_ms;
};

struct limsim_sample {
    int64_t start_ms;
    int32_t elapsed_ms;
    int16_t label, code;
    int32_t thread;
    int32_t active;
    int32_t bytes;
    float ra;  /* NAN on 200 */
    int8_t by; /* 0 accepted, 1 upstream, 2 own */
};

static inline uint64_t limsim_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline double limsim_u01(uint64_t *s)
{
    return (double)(limsim_rand(s) >> 11) / 9007199254740992.0;
}

static inline void limsim_cfg_init(struct limsim_cfg *c)
{
    memset(c, 0, sizeof(*c));
    c->threads = 30;
    c->ramp_s = 10;
    c->duration_s = 30;
    c->think_lo_s = 0.15;
    c->think_hi_s = 0.25;
    c->svc_s = 0.002;
    c->svc_jitter_s = 0.001;
    c->rej_s = 0.001;
    c->net_s = 0.0005;
    c->nlabels = 1;
    c->seed = 1;
    c->epoch_ms = 1795336242000LL;
}

/* Decide at server time T (s); INFLIGHT: accepted requests in flight. */
static inline int limsim_allow(struct limsim_lim *l, double t, int inflight,
                               uint64_t *rng, double *ra)
{
    int k = l->nodes > 1 ? (int)(limsim_rand(rng) % (uint64_t)l->nodes) : 0;
    double x;

    *ra = l->ra > 0 ? l->ra : 1;
    switch (l->kind) {
    case LS_NONE:
        return 1;
    case LS_BUCKET:
        x = l->lvl[k] - (t - l->last[k]) * l->r;
        if (x < 0)
            x = 0;
        if (x > l->b) {
            if (l->ra <= 0)
                *ra = ceil((x - l->b) / l->r);
            return 0;
        }
        l->lvl[k] = x + 1;
        l->last[k] = t;
        return 1;
    case LS_FIXED: {
        /* T is seconds since the run start; windows follow the epoch clock
         * (plus PHASE for anchored windows) */
        double w = floor((t + l->epoch_s - l->phase) / l->W);
        if (w != l->win[k]) {
            l->win[k] = w;
            l->cnt[k] = 0;
        }
        if (l->cnt[k] < l->L) {
            l->cnt[k]++;
            return 1;
        }
        if (l->ra <= 0)
            *ra = ceil((w + 1) * l->W + l->phase - l->epoch_s - t);
        return 0;
    }
    case LS_SLIDING:
        while (l->head < l->nlog && l->log[l->head] <= t - l->W)
            l->head++;
        if ((double)(l->nlog - l->head) < l->L) {
            if (l->nlog == l->caplog) {
                l->caplog = l->caplog ? 2 * l->caplog : 1024;
                l->log = (double *)realloc(l->log, l->caplog * sizeof(*l->log));
            }
            l->log[l->nlog++] = t;
            return 1;
        }
        if (l->ra <= 0)
            *ra = ceil(l->log[l->head] + l->W - t);
        return 0;
    case LS_CONC:
        return inflight < (int)l->C;
    case LS_RANDOM:
        return limsim_u01(rng) >= l->p;
    }
    return 1;
}

struct limsim_ev {
    double t;
    int thread, step;
};

static inline void limsim_push(struct limsim_ev *h, size_t *n,
                               struct limsim_ev e)
{
    size_t i = (*n)++;
    while (i > 0 &&
           (h[(i - 1) / 2].t > e.t ||
            (h[(i - 1) / 2].t == e.t && h[(i - 1) / 2].thread > e.thread))) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = e;
}

static inline struct limsim_ev limsim_pop(struct limsim_ev *h, size_t *n)
{
    struct limsim_ev top = h[0], x = h[--(*n)];
    size_t i = 0, c;
    while ((c = 2 * i + 1) < *n) {
        if (c + 1 < *n &&
            (h[c + 1].t < h[c].t ||
             (h[c + 1].t == h[c].t && h[c + 1].thread < h[c].thread)))
            c++;
        if (h[c].t > x.t || (h[c].t == x.t && h[c].thread >= x.thread))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
    return top;
}

static inline int limsim_cmp_end(const void *pa, const void *pb)
{
    const struct limsim_sample *a = (const struct limsim_sample *)pa,
                               *b = (const struct limsim_sample *)pb;
    int64_t ea = a->start_ms + a->elapsed_ms, eb = b->start_ms + b->elapsed_ms;
    return (ea > eb) - (ea < eb);
}

/* Simulate; returns the samples in completion order (as JMeter writes
 * them) and their number in *N. */
static inline struct limsim_sample *limsim_run(struct limsim_cfg *c, size_t *n)
{
    struct limsim_ev *h =
        (struct limsim_ev *)malloc(((size_t)c->threads + 1) * sizeof(*h));
    double *ends = NULL; /* accepted end times (server), unsorted */
    size_t nh = 0, nends = 0, capends = 0, ns = 0, caps = 0;
    struct limsim_sample *out = NULL;
    uint64_t rng = c->seed;
    int i;

    c->up.epoch_s = (double)c->epoch_ms / 1000.0;
    for (i = 0; i < LS_MAXLABELS; i++)
        c->own[i].epoch_s = c->up.epoch_s;
    for (i = 0; i < LS_MAXNODES; i++) {
        int k;
        c->up.win[i] = c->up.last[i] = -1e18;
        for (k = 0; k < LS_MAXLABELS; k++)
            c->own[k].win[i] = c->own[k].last[i] = -1e18;
    }
    for (i = 0; i < c->threads; i++) {
        struct limsim_ev e;
        e.t = c->threads > 1 ? c->ramp_s * i / c->threads : 0;
        e.thread = i;
        e.step = 0;
        limsim_push(h, &nh, e);
    }
    while (nh) {
        struct limsim_ev e = limsim_pop(h, &nh);
        struct limsim_sample s;
        double ta, el, ra = NAN, ra1;
        int inflight = 0, lab = e.step % c->nlabels, ok;
        size_t k, w = 0;

        if (e.t > c->duration_s)
            continue;
        ta = e.t + c->net_s * limsim_u01(&rng);
        for (k = 0; k < nends; k++)
            if (ends[k] > ta)
                ends[w++] = ends[k];
        nends = w;
        inflight = (int)nends;
        memset(&s, 0, sizeof(s));
        s.by = 0;
        ok = limsim_allow(&c->up, ta, inflight, &rng, &ra1);
        if (!ok) {
            s.by = 1;
            ra = ra1;
            s.bytes = c->up.bytes ? c->up.bytes : 264;
        } else if (!limsim_allow(&c->own[lab], ta, inflight, &rng, &ra1)) {
            ok = 0;
            s.by = 2;
            ra = ra1;
            s.bytes = c->own[lab].bytes ? c->own[lab].bytes : 270;
        }
        if (ok) {
            el = c->svc_s + c->svc_jitter_s * (2 * limsim_u01(&rng) - 1);
            if (el < 0.0005)
                el = 0.0005;
            if (nends == capends) {
                capends = capends ? 2 * capends : 64;
                ends = (double *)realloc(ends, capends * sizeof(*ends));
            }
            ends[nends++] = ta + el;
            s.bytes = 221;
        } else {
            el = c->rej_s;
        }
        s.start_ms = c->epoch_ms + (int64_t)floor(e.t * 1000);
        s.elapsed_ms = (int32_t)floor(el * 1000 + 0.5);
        s.label = (int16_t)lab;
        s.code = (int16_t)(ok ? 200 : 429);
        s.thread = e.thread;
        s.active =
            c->ramp_s > 0
                ? (int)fmin(c->threads, floor(e.t * c->threads / c->ramp_s) + 1)
                : c->threads;
        s.ra = (float)ra;
        if (ns == caps) {
            caps = caps ? 2 * caps : 4096;
            out = (struct limsim_sample *)realloc(out, caps * sizeof(*out));
        }
        out[ns++] = s;
        e.t += el + c->think_lo_s +
               (c->think_hi_s - c->think_lo_s) * limsim_u01(&rng);
        e.step++;
        limsim_push(h, &nh, e);
    }
    qsort(out, ns, sizeof(*out), limsim_cmp_end);
    free(h);
    free(ends);
    free(c->up.log);
    c->up.log = NULL;
    for (i = 0; i < LS_MAXLABELS; i++) {
        free(c->own[i].log);
        c->own[i].log = NULL;
    }
    *n = ns;
    return out;
}

#endif /* JTL_LIMSIM_H */
