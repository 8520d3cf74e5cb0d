/* SPDX-License-Identifier: MIT
 * scope.c - run every analysis on one scope (the run, a label, a thread
 * group) and fill its struct jtl_throttle_scope; deep copy and release. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "jtl/base/xalloc.h"

static void limiter_basics(struct an_ctx *cx, const struct an_view *v,
                           const struct an_outcome *oc, struct an_pass *p,
                           struct an_stage_a *a, struct an_mech *m,
                           struct an_tests *ts)
{
    an_pass_run(v, oc, cx->nthreads, p);
    if (p->too_long) {
        memset(a, 0, sizeof(*a));
        a->verdict = JTL_VERDICT_INCONCLUSIVE;
        a->best = -1;
        a->auc = a->lo = a->g = a->trend_z = a->rise = NAN;
        a->runs.z = a->lag.z = a->lag.delta = NAN;
        snprintf(a->settle, sizeof(a->settle),
                 "a shorter time range (--from/--to): the samples span more "
                 "than 49 days");
        memset(m, 0, sizeof(*m));
        an_limit_init(&m->limit);
        m->replay.auc = m->sharp_auc = NAN;
        return;
    }
    an_pass_align(p);
    p->timing_estimated = cx->st->tc_standing_requests * 2 > cx->st->n;
    an_stage_a(p, ts, a);
    an_stage_b(p, a, ts, m);
}

void an_limiter_analyze(struct an_ctx *cx, const struct an_view *v,
                        const struct an_outcome *oc, struct an_tests *ts,
                        struct an_limiter_res *out)
{
    struct an_pass p;
    struct an_stage_a a;
    struct an_mech m;

    limiter_basics(cx, v, oc, &p, &a, &m, ts);
    out->verdict = a.verdict;
    out->mech = m.mech;
    out->limit = m.limit;
    out->sharp = m.sharp;
    out->sharp_auc = m.sharp_auc;
    out->n1 = p.s.n1;
    an_pass_release(&p);
}

void an_scope_analyze(struct an_ctx *cx, const struct an_view *v,
                      const struct an_outcome *oc, struct an_retry_acc *ra,
                      struct jtl_throttle_scope *sc, struct an_work *w)
{
    struct an_tests ts = {0};
    struct an_pass p;
    struct an_stage_a a;
    struct an_mech m;
    int64_t t0 = INT64_MAX, t1 = INT64_MIN;
    size_t i;

    for (i = 0; i < v->n; i++) {
        const struct an_rec *r = an_view_at(v, i);
        unsigned c = an_cls(r);
        sc->samples++;
        if (c == AN_THR)
            sc->throttled++;
        else if (c == AN_ACC)
            sc->accepted++;
        else
            sc->errors++;
        if (r->start < t0)
            t0 = r->start;
        if (an_end(r) > t1)
            t1 = an_end(r);
    }
    sc->duration_s = v->n ? (double)(t1 - t0) / 1000.0 : 0;
    sc->share = NAN;
    limiter_basics(cx, v, oc, &p, &a, &m, &ts);
    sc->verdict = a.verdict;
    sc->mechanism = m.mech;
    sc->limit = m.limit;
    sc->auc = a.auc;
    sc->g = a.g;
    sc->predictor[0] = '\0';
    if (a.best >= 0)
        snprintf(sc->predictor, sizeof(sc->predictor), "%s",
                 p.pred[a.best].name);
    sc->runs_z = a.runs.z;
    sc->lag1_z = a.lag.z;
    sc->lag1_delta = a.lag.delta;
    sc->trend_z = a.trend_z;
    sc->trend_rise = a.rise;
    sc->dose = a.dose;
    sc->edge_p = p.too_long ? NAN : p.rayleigh_p;
    sc->edge_w_s = p.too_long ? NAN : p.rayleigh_w;
    sc->recoveries = p.nrecov;
    if (a.settle[0])
        sc->settle = jtl_xstrdupf("%s", a.settle);
    if (p.too_long)
        jtl_xstrv_add(&sc->unchecked, &sc->nunchecked,
                      jtl_xstrdupf("everything: the samples span more than 49 "
                                   "days; narrow the range with --from/--to"));
    if (!p.too_long) {
        an_bursts(v, oc, &p.s, cx->run_t0, &cx->thr, sc);
        an_timing(v, oc, sc);
    } else {
        sc->first_429_s = sc->first_429_offered_per_s = NAN;
        sc->first_429_before = NAN;
        sc->first_429_accepted_per_s = sc->rampup_end_s = NAN;
        sc->first_429_threads = -1;
        sc->max_threads = -1;
        sc->elapsed_429_ms = sc->elapsed_ok_ms = sc->elapsed_ratio = NAN;
    }
    if (ra) {
        an_retry_result(cx->st, &cx->nx, ra, sc->duration_s, &sc->retry);
    } else {
        struct an_retry_acc none;
        memset(&none, 0, sizeof(none));
        an_retry_result(cx->st, &cx->nx, &none, sc->duration_s, &sc->retry);
    }
    an_words_unchecked(cx, &p, &a, &m, sc);
    sc->tests = ts.t;
    sc->ntests = ts.n;
    sc->sharp = m.sharp;
    if (w) {
        w->sc = sc;
        w->view = *v;
        w->sharp = m.sharp;
        w->sharp_auc = m.sharp_auc;
        w->n1 = p.s.n1;
    }
    an_pass_release(&p);
}

static char *dup(const char *s)
{
    return s ? jtl_xstrdup(s) : NULL;
}

static char **dup_list(char **v, size_t n)
{
    char **o;
    size_t i;

    if (!n)
        return NULL;
    o = jtl_xmalloc(n * sizeof(*o));
    for (i = 0; i < n; i++)
        o[i] = dup(v[i]);
    return o;
}

static void *dup_mem(const void *p, size_t n)
{
    void *o;

    if (!n || !p)
        return NULL;
    o = jtl_xmalloc(n);
    memcpy(o, p, n);
    return o;
}

void an_limiter_copy(struct jtl_throttle_limiter *d,
                     const struct jtl_throttle_limiter *s)
{
    *d = *s;
    d->name = dup(s->name);
    d->labels = dup_list(s->labels, s->nlabels);
}

void an_scope_copy(struct jtl_throttle_scope *d,
                   const struct jtl_throttle_scope *s)
{
    size_t i;

    *d = *s;
    d->name = dup(s->name);
    d->sentence = dup(s->sentence);
    d->confidence_why = dup(s->confidence_why);
    if (s->nwhy) {
        d->why = jtl_xmalloc(s->nwhy * sizeof(*d->why));
        for (i = 0; i < s->nwhy; i++) {
            d->why[i].text = dup(s->why[i].text);
            d->why[i].chart = s->why[i].chart;
        }
    }
    d->settle = dup(s->settle);
    d->limit_scope = dup(s->limit_scope);
    if (s->nlimiters) {
        d->limiters = jtl_xmalloc(s->nlimiters * sizeof(*d->limiters));
        for (i = 0; i < s->nlimiters; i++)
            an_limiter_copy(&d->limiters[i], &s->limiters[i]);
    }
    d->bursts = dup_mem(s->bursts, s->nbursts * sizeof(*s->bursts));
    d->retry.values =
        dup_mem(s->retry.values, s->retry.nvalues * sizeof(*s->retry.values));
    if (s->retry.wait_q)
        d->retry.wait_q =
            dup_mem(s->retry.wait_q, JTL_THROTTLE_WAIT_Q * sizeof(double));
    if (s->retry.wait_success_q)
        d->retry.wait_success_q = dup_mem(s->retry.wait_success_q,
                                          JTL_THROTTLE_WAIT_Q * sizeof(double));
    d->pacing.basis = dup(s->pacing.basis);
    d->tests = dup_mem(s->tests, s->ntests * sizeof(*s->tests));
    d->unchecked = dup_list(s->unchecked, s->nunchecked);
    d->notes = dup_list(s->notes, s->nnotes);
}

static void free_list(char **v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void an_limiter_release(struct jtl_throttle_limiter *l)
{
    free(l->name);
    free_list(l->labels, l->nlabels);
    memset(l, 0, sizeof(*l));
}

void an_scope_release(struct jtl_throttle_scope *sc)
{
    size_t i;

    if (!sc)
        return;
    free(sc->name);
    free(sc->sentence);
    free(sc->confidence_why);
    for (i = 0; i < sc->nwhy; i++)
        free(sc->why[i].text);
    free(sc->why);
    free(sc->settle);
    free(sc->limit_scope);
    for (i = 0; i < sc->nlimiters; i++)
        an_limiter_release(&sc->limiters[i]);
    free(sc->limiters);
    free(sc->bursts);
    free(sc->retry.values);
    free(sc->retry.wait_q);
    free(sc->retry.wait_success_q);
    free(sc->pacing.basis);
    free(sc->tests);
    free_list(sc->unchecked, sc->nunchecked);
    free_list(sc->notes, sc->nnotes);
    memset(sc, 0, sizeof(*sc));
}
