/* SPDX-License-Identifier: MIT
 * throttle.c - the public throttle analyzer: options, the sink, and
 * jtl_throttle_finish(), which sorts the store once and analyses the run,
 * every label and every thread group. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "jtl/base/bigmem.h"
#include "jtl/base/bin.h"
#include "jtl/base/buf.h"
#include "jtl/base/xalloc.h"

struct jtl_throttle {
    struct an_opts o;
    struct an_store st;
    double margin;
    bool scopes;
    unsigned threads;
    char *regex;
    bool finished;
    void (*on_phase)(const char *phase, void *ctx);
    void *phase_ctx;
    char *tz;
};

void jtl_throttle_opts_init(struct jtl_throttle_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->codes[0] = 429;
    o->codes[1] = 503;
    o->ncodes = 2;
    o->margin = 0.2;
    o->scopes = true;
    o->group_labels = true;
}

enum jtl_err jtl_throttle_new(const struct jtl_throttle_opts *opts,
                              struct jtl_throttle **out, struct jtl_diag *diag)
{
    struct jtl_throttle *t = jtl_xcalloc(1, sizeof(*t));

    memcpy(t->o.codes, opts->codes, sizeof(t->o.codes));
    t->o.ncodes = opts->ncodes;
    t->o.group_labels = opts->group_labels;
    if (opts->message_regex) {
        enum jtl_err err = jtl_regex_new(opts->message_regex, JTL_REGEX_SEARCH,
                                         "--throttle-message", &t->o.re, diag);
        if (err) {
            free(t);
            return err;
        }
        t->regex = jtl_xstrdup(opts->message_regex);
    }
    if (opts->retry_after_column)
        t->o.ra_column = jtl_xstrdup(opts->retry_after_column);
    if (opts->generator)
        t->o.generator = jtl_xstrdup(opts->generator);
    t->margin = opts->margin >= 0 && opts->margin < 1 ? opts->margin : 0.2;
    t->scopes = opts->scopes;
    t->threads = opts->threads;
    t->on_phase = opts->on_phase;
    t->tz = opts->timezone ? jtl_xstrdup(opts->timezone) : NULL;
    t->phase_ctx = opts->phase_ctx;
    an_store_init(&t->st, &t->o);
    *out = t;
    return JTL_OK;
}

int jtl_throttle_add(const struct jtl_sample *s, void *ctx)
{
    struct jtl_throttle *t = ctx;

    return an_store_add(&t->st, s);
}

static int sink_add(const struct jtl_sample *s, void *ctx)
{
    return an_store_add(ctx, s);
}

static void *sink_fork(void *ctx)
{
    struct an_store *parent = ctx, *child = jtl_xmalloc(sizeof(*child));

    an_store_init(child, parent->opts);
    return child;
}

static void sink_join(void *ctx, void *child)
{
    an_store_join(ctx, child);
    free(child);
}

void jtl_throttle_sink(struct jtl_throttle *t, struct jtl_sink *sink)
{
    memset(sink, 0, sizeof(*sink));
    sink->add = sink_add;
    sink->ctx = &t->st;
    sink->fork = sink_fork;
    sink->join = sink_join;
}

void jtl_throttle_save(const struct jtl_throttle *t, struct jtl_bw *w)
{
    an_store_save(&t->st, w);
}

struct jtl_throttle_part {
    struct an_store st;
};

struct jtl_throttle_part *jtl_throttle_load(const struct jtl_throttle *like,
                                            struct jtl_br *r)
{
    struct jtl_throttle_part *p = jtl_xmalloc(sizeof(*p));

    an_store_init(&p->st, like->st.opts);
    if (!an_store_load(&p->st, r)) {
        r->bad = true;
        jtl_throttle_part_free(p);
        return NULL;
    }
    return p;
}

void jtl_throttle_join(struct jtl_throttle *t, struct jtl_throttle_part *p)
{
    an_store_join(&t->st, &p->st);
    free(p);
}

void jtl_throttle_part_free(struct jtl_throttle_part *p)
{
    if (!p)
        return;
    an_store_release(&p->st);
    free(p);
}

bool jtl_throttle_hostnames(const struct jtl_throttle *t)
{
    return t->st.has_hostname;
}

void jtl_throttle_free(struct jtl_throttle *t)
{
    if (!t)
        return;
    an_store_release(&t->st);
    jtl_regex_free(t->o.re);
    free(t->o.ra_column);
    free(t->o.generator);
    free(t->regex);
    free(t->tz);
    free(t);
}

/* ------------------------------------------------------------------ */
/* Finishing                                                           */

/* Which labels (or groups) are analysed one by one: the
 * JTL_THROTTLE_MAX_SCOPES busiest.  NULL when there are no more than that
 * (all are kept); else KEEP[id] != 0 for the kept ones, and *OMITTED /
 * *OMITTED_SAMPLES count the others. */
static uint8_t *busiest(const struct an_store *st, bool by_group,
                        size_t *omitted, uint64_t *omitted_samples)
{
    const struct jtl_strtab *tab = by_group ? &st->groups : &st->labels;
    size_t nk = jtl_strtab_count(tab), i, used = 0;
    uint64_t *cnt;
    uint32_t *ids;
    uint8_t *keep;

    *omitted = 0;
    *omitted_samples = 0;
    if (nk <= JTL_THROTTLE_MAX_SCOPES)
        return NULL;
    cnt = jtl_xcalloc(nk + 1, sizeof(*cnt));
    for (i = 0; i < st->n; i++)
        cnt[by_group ? st->group_of[st->rec[i].thread] : st->rec[i].label]++;
    ids = jtl_xmalloc((nk + 1) * sizeof(*ids));
    for (i = 0; i < nk; i++)
        if (cnt[i])
            ids[used++] = (uint32_t)i;
    keep = jtl_xcalloc(nk + 1, 1);
    /* most samples first; equal counts by name, so the choice does not
     * depend on the order in which threads interned the names */
    jtl_strtab_sort_ids(tab, ids, used, cnt);
    for (i = 0; i < used; i++) {
        if (i < JTL_THROTTLE_MAX_SCOPES) {
            keep[ids[i]] = 1;
        } else {
            (*omitted)++;
            *omitted_samples += cnt[ids[i]];
        }
    }
    free(ids);
    free(cnt);
    return keep;
}

/* Retry-After accumulators for the N ids of a kind: one for each kept id
 * (KEEP NULL: all), NULL for the others. */
static struct an_retry_acc **retry_accs(size_t n, const uint8_t *keep)
{
    struct an_retry_acc **v = jtl_xcalloc(n + 1, sizeof(*v));
    size_t i;

    for (i = 0; i < n; i++)
        if (!keep || keep[i])
            v[i] = jtl_xcalloc(1, sizeof(**v));
    return v;
}

static void retry_accs_free(struct an_retry_acc **v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++) {
        if (v[i])
            an_retry_acc_release(v[i]);
        free(v[i]);
    }
    free(v);
}

/* Record indices grouped by key (label id or group id), time order kept
 * within each key (a counting sort): one 4-byte index per record. */
static uint32_t *partition(const struct an_store *st, bool by_group,
                           size_t nkeys, size_t *off)
{
    uint32_t *idx = jtl_big_alloc((st->n + 1) * sizeof(*idx));
    size_t i;

    memset(off, 0, (nkeys + 1) * sizeof(*off));
    for (i = 0; i < st->n; i++) {
        uint32_t k =
            by_group ? st->group_of[st->rec[i].thread] : st->rec[i].label;
        off[k + 1]++;
    }
    for (i = 0; i < nkeys; i++)
        off[i + 1] += off[i];
    {
        size_t *pos = jtl_xmalloc((nkeys + 1) * sizeof(*pos));
        memcpy(pos, off, (nkeys + 1) * sizeof(*pos));
        for (i = 0; i < st->n; i++) {
            uint32_t k =
                by_group ? st->group_of[st->rec[i].thread] : st->rec[i].label;
            idx[pos[k]++] = (uint32_t)i;
        }
        free(pos);
    }
    return idx;
}

/* One scope to analyse.  A small scope is gathered into a contiguous copy
 * while it is analysed: its records are scattered over the store, and
 * every pass jumping through the index would touch a cache line per
 * record.  A large scope is dense in the store and is read through its
 * index.  The copy is freed when the analysis is done, so the copies in
 * flight cost at most THREADS x 1/COPY_FRACTION of the records. */
#define COPY_FRACTION 16
struct job {
    struct an_ctx *cx;
    struct an_view v;
    bool gather;
    struct an_retry_acc *ra;
    struct jtl_throttle_scope *sc;
    struct an_work *w;
};

struct pool {
    struct job *jobs;
    size_t n, next;
    pthread_mutex_t mu;
};

static void do_job(struct job *jb)
{
    struct an_rec *copy;
    struct an_view v;
    size_t j;

    if (!jb->gather) {
        an_scope_analyze(jb->cx, &jb->v, NULL, jb->ra, jb->sc, jb->w);
        return;
    }
    copy = jtl_big_alloc((jb->v.n + 1) * sizeof(*copy));
    for (j = 0; j < jb->v.n; j++)
        copy[j] = *an_view_at(&jb->v, j);
    v.rec = copy;
    v.idx = NULL;
    v.n = jb->v.n;
    an_scope_analyze(jb->cx, &v, NULL, jb->ra, jb->sc, jb->w);
    /* the cross-scope step reads the scope through its index */
    jb->w->view = jb->v;
    jtl_big_free(copy);
}

static void *worker(void *arg)
{
    struct pool *pl = arg;

    for (;;) {
        size_t i;
        pthread_mutex_lock(&pl->mu);
        i = pl->next++;
        pthread_mutex_unlock(&pl->mu);
        if (i >= pl->n)
            break;
        do_job(&pl->jobs[i]);
    }
    return NULL;
}

/* Scopes are independent until the cross-scope step: analyse them on
 * THREADS threads (largest first, so the run does not come last). */
static void run_jobs(struct job *jobs, size_t n, unsigned threads)
{
    struct pool pl;
    pthread_t tid[8];
    unsigned k, started = 0;

    pl.jobs = jobs;
    pl.n = n;
    pl.next = 0;
    if (threads > 8)
        threads = 8;
    if (threads > n)
        threads = (unsigned)n;
    pthread_mutex_init(&pl.mu, NULL);
    for (k = 1; k < threads; k++)
        if (pthread_create(&tid[started], NULL, worker, &pl) == 0)
            started++;
    worker(&pl);
    for (k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
    pthread_mutex_destroy(&pl.mu);
}

static int cmp_job_size(const void *pa, const void *pb)
{
    const struct job *a = pa, *b = pb;

    return (a->v.n < b->v.n) - (a->v.n > b->v.n);
}

/* Analyse the scopes of one kind (labels or groups), sorted by name; with
 * RUN_SC set, the run itself is analysed in the same pool. */
static size_t analyse_kind(struct an_ctx *cx, struct an_work *run,
                           struct jtl_throttle_scope *run_sc, bool by_group,
                           struct jtl_throttle_scope *out, uint32_t **idx_out,
                           bool *copy_of_run)
{
    const struct an_store *st = cx->st;
    const struct jtl_strtab *tab = by_group ? &st->groups : &st->labels;
    struct an_retry_acc **ra = by_group ? cx->ra_groups : cx->ra_labels;
    size_t nk = jtl_strtab_count(tab), i, m = 0, nj = 0;
    size_t *off = jtl_xmalloc((nk + 1) * sizeof(*off));
    uint32_t *ids = jtl_xmalloc((nk + 1) * sizeof(*ids));
    uint32_t *idx = partition(st, by_group, nk, off);
    struct an_work *w = jtl_xcalloc(nk + 1, sizeof(*w));
    struct job *jobs = jtl_xcalloc(nk + 2, sizeof(*jobs));
    uint32_t *key = jtl_xmalloc((nk + 1) * sizeof(*key));

    for (i = 0; i < nk; i++)
        ids[i] = (uint32_t)i;
    jtl_strtab_sort_ids(tab, ids, nk, NULL);
    if (run_sc) {
        jobs[nj].cx = cx;
        jobs[nj].v.rec = st->rec;
        jobs[nj].v.idx = NULL;
        jobs[nj].v.n = st->n;
        jobs[nj].sc = run_sc;
        jobs[nj].w = run;
        jobs[nj].ra = cx->ra_run;
        nj++;
    }
    for (i = 0; i < nk; i++) {
        uint32_t k = ids[i];
        size_t n = off[k + 1] - off[k];
        if (n == 0 || !ra[k])
            continue;
        memset(&out[m], 0, sizeof(out[m]));
        key[m] = k;
        copy_of_run[m] = n == st->n;
        if (!copy_of_run[m]) {
            jobs[nj].cx = cx;
            jobs[nj].v.rec = st->rec;
            jobs[nj].v.idx = idx + off[k];
            jobs[nj].v.n = n;
            jobs[nj].gather = n <= st->n / COPY_FRACTION;
            jobs[nj].ra = ra[k];
            jobs[nj].sc = &out[m];
            jobs[nj].w = &w[m];
            nj++;
        }
        m++;
    }
    qsort(jobs, nj, sizeof(*jobs), cmp_job_size);
    run_jobs(jobs, nj, cx->cpus);
    for (i = 0; i < m; i++) {
        struct jtl_throttle_scope *sc = &out[i];
        if (copy_of_run[i]) {
            w[i] = *run;
            w[i].sc = sc;
            an_scope_copy(sc, run->sc);
        }
        sc->kind = by_group ? JTL_SCOPE_GROUP : JTL_SCOPE_LABEL;
        sc->labels = by_group ? 0 : st->label_raws[key[i]];
        free(sc->name);
        sc->name = jtl_xstrndup(jtl_strtab_str(tab, key[i]),
                                jtl_strtab_len(tab, key[i]));
    }
    if (run_sc) {
        run_sc->kind = JTL_SCOPE_RUN;
        run_sc->name = jtl_xstrdup("run");
        for (i = 0; i < jtl_strtab_count(&st->labels); i++)
            run_sc->labels += st->label_raws[i];
    }
    if (by_group)
        an_multi_groups(cx, run, w, m);
    else
        an_multi_labels(cx, run, w, m);
    free(jobs);
    free(key);
    free(w);
    free(off);
    free(ids);
    *idx_out = idx;
    return m;
}

/* The end of a phase of the analysis, for benchmarks (opts.on_phase). */
static void phase(const struct jtl_throttle *t, const char *what)
{
    if (t->on_phase)
        t->on_phase(what, t->phase_ctx);
}

/* HTTP error codes (4xx, 5xx) only: a 3-digit number. */
static int http_status(const char *s, size_t len)
{
    if (len != 3 || s[0] < '1' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
        s[2] < '0' || s[2] > '9')
        return -1;
    return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

/* Codes that are not analysed but may behave like a limit: does each one's
 * share rise with the offered load as a limit's refusals do?  The offered
 * load is the run pass's (requests started in the trailing w_off, at most
 * EVAL points), computed here in one sweep for every code at once: a sweep
 * of starts and codes, not a predictor pass per code. */
#define DOSE_CODES 16
#define DOSE_EVAL (1u << 16)

static void dose_of_codes(struct an_ctx *cx, const uint32_t *ids, size_t k,
                          struct jtl_throttle_code **outs)
{
    const struct an_store *st = cx->st;
    struct an_gtab tab[DOSE_CODES];
    size_t i, j = 0, n = 0, c, stride, countdown = 1;
    int64_t t0 = 0, t_end = INT64_MIN;
    uint64_t inwin = 0, w_off;
    double dur_s, w_off_s;
    bool started = false;

    for (i = 0; i < st->n; i++) {
        const struct an_rec *r = &st->rec[i];
        if (an_cls(r) == AN_NOHTTP)
            continue;
        if (!started)
            t0 = r->start;
        started = true;
        n++;
        if (an_end(r) > t_end)
            t_end = an_end(r);
    }
    if (!started || (uint64_t)t_end - (uint64_t)t0 >= UINT32_MAX)
        return;
    dur_s = (double)(t_end - t0) / 1000.0;
    w_off_s = dur_s / 10 < 1 ? 1 : dur_s / 10 > 10 ? 10 : dur_s / 10;
    w_off = (uint64_t)(w_off_s * 1000 + 0.5);
    stride = n > DOSE_EVAL ? (n + DOSE_EVAL - 1) / DOSE_EVAL : 1;
    memset(tab, 0, sizeof(tab));
    for (i = 0; i < st->n; i++) {
        const struct an_rec *r = &st->rec[i];
        uint64_t t = (uint64_t)(r->start - t0);
        if (an_cls(r) == AN_NOHTTP)
            continue;
        /* requests that started in the trailing w_off, before this one */
        for (; j < i && (uint64_t)(st->rec[j].start - t0) + w_off <= t; j++)
            if (an_cls(&st->rec[j]) != AN_NOHTTP)
                inwin--;
        if (--countdown == 0) {
            countdown = stride;
            for (c = 0; c < k; c++)
                an_gtab_add(&tab[c], inwin, an_ext_of(st, r)->code == ids[c]);
        }
        inwin++;
    }
    for (c = 0; c < k; c++) {
        struct an_stage_a a;
        memset(&a, 0, sizeof(a));
        an_dose(&tab[c], w_off_s, &a);
        outs[c]->trend_z = a.dose_ok ? a.trend_z : NAN;
        outs[c]->rise = a.dose_ok ? a.rise : NAN;
        an_gtab_release(&tab[c]);
    }
}

static int cmp_code(const void *pa, const void *pb)
{
    const struct jtl_throttle_code *a = pa, *b = pb;

    return jtl_bytes_cmp(a->code, strlen(a->code), b->code, strlen(b->code));
}

/* Every response code with its count, sorted by code; the ones not
 * analysed that behave like a limit are marked. */
static void list_codes(struct an_ctx *cx, struct jtl_throttle_result *out)
{
    const struct an_store *st = cx->st;
    size_t n = jtl_strtab_count(&st->codes), i, k = 0;

    uint32_t ids[DOSE_CODES];
    struct jtl_throttle_code *test[DOSE_CODES];
    size_t ntest = 0;

    out->rcodes = jtl_xcalloc(n + 1, sizeof(*out->rcodes));
    for (i = 0; i < n && i < st->code_init; i++) {
        const struct an_code_count *c = &st->code_n[i];
        struct jtl_throttle_code *o = &out->rcodes[k];
        const char *name = jtl_strtab_str(&st->codes, (uint32_t)i);
        size_t len = jtl_strtab_len(&st->codes, (uint32_t)i);
        int status = http_status(name, len);
        if (!c->n)
            continue;
        o->code = jtl_xstrndup(name, len);
        o->count = c->n;
        o->with_retry_after = c->with_ra;
        o->analysed = c->throttled;
        o->trend_z = o->rise = NAN;
        if (!o->analysed && status >= 400 && c->n >= 20 && ntest < DOSE_CODES) {
            ids[ntest] = (uint32_t)i;
            test[ntest++] = o;
        }
        k++;
    }
    dose_of_codes(cx, ids, ntest, test);
    for (i = 0; i < ntest; i++)
        test[i]->limit_like = test[i]->with_retry_after > 0 ||
                              (test[i]->trend_z >= 4 && test[i]->rise >= 0.30);
    out->nrcodes = k;
    qsort(out->rcodes, k, sizeof(*out->rcodes), cmp_code);
}

/* The most common value of D (the smallest on a tie); NAN when empty. */
static double most_common(const struct an_distinct *d)
{
    double v = NAN;
    uint64_t best = 0;
    size_t i;

    for (i = 0; i < d->n; i++)
        if (d->v[i].count > best ||
            (d->v[i].count == best && d->v[i].seconds < v)) {
            best = d->v[i].count;
            v = d->v[i].seconds;
        }
    return v;
}

/* The median of D's values by count, and the smallest; NAN when empty.
 * Uses D up. */
static double median_of(struct an_distinct *d, double *min)
{
    size_t n, i;
    struct jtl_throttle_ra_value *v = an_distinct_sorted(d, &n);
    uint64_t total = 0, cum = 0;
    double m = NAN;

    *min = n ? v[0].seconds : NAN;
    for (i = 0; i < n; i++)
        total += v[i].count;
    for (i = 0; i < n; i++) {
        cum += v[i].count;
        if (cum * 2 >= total) {
            m = v[i].seconds;
            break;
        }
    }
    free(v);
    return m;
}

/* What the responses advertised, against the limit the traffic shows. */
static struct jtl_throttle_advertised *
advertised(struct an_adv *a, const struct jtl_throttle_scope *run)
{
    struct jtl_throttle_advertised *o;
    double unused, found = NAN;

    if (!a || !a->responses)
        return NULL;
    o = jtl_xcalloc(1, sizeof(*o));
    o->responses = a->responses;
    o->source = a->families & 1u ? "RateLimit" : "X-RateLimit";
    o->limit = most_common(&a->limit);
    o->window_s = most_common(&a->window_s);
    o->rate_per_s = o->window_s > 0 ? o->limit / o->window_s : NAN;
    o->remaining_median = median_of(&a->remaining, &o->remaining_min);
    o->reset_median_s = median_of(&a->reset_s, &unused);
    if (run->verdict == JTL_VERDICT_THRESHOLD)
        found = run->limit.rate_per_s;
    o->agrees = o->rate_per_s == o->rate_per_s && found == found
                    ? fabs(found / o->rate_per_s - 1) <= 0.15
                    : -1;
    return o;
}

static void finish_scope(struct an_ctx *cx, struct jtl_throttle_scope *sc)
{
    free(sc->pacing.basis);
    an_pacing(sc, cx->margin, cx->nx.think_ms, cx->threads, &sc->pacing);
    an_words_finish(cx, sc);
    sc->too_few =
        sc->kind != JTL_SCOPE_RUN &&
        (sc->samples < 40 || (sc->verdict == JTL_VERDICT_INCONCLUSIVE &&
                              (sc->throttled < 20 || sc->accepted < 20)));
    an_words_why(cx, sc, sc->sharp);
}

/* What needs only the sorted records: the run's span, the threads
 * (active per instant) and the response codes; beside the next-request
 * index and the Retry-After sweep, which do not use them. */
struct side_job {
    struct an_ctx *cx;
    struct jtl_throttle_result *out;
};

static void *side_work(void *arg)
{
    struct side_job *j = arg;
    struct an_ctx *cx = j->cx;
    const struct an_store *st = cx->st;
    size_t i;

    cx->run_t0 = st->n ? st->rec[0].start : 0;
    cx->run_end = cx->run_t0;
    for (i = 0; i < st->n; i++)
        if (an_end(&st->rec[i]) > cx->run_end)
            cx->run_end = an_end(&st->rec[i]);
    an_threads_build(st, &cx->thr);
    list_codes(cx, j->out);
    return NULL;
}

enum jtl_err jtl_throttle_finish(struct jtl_throttle *t,
                                 struct jtl_throttle_result *out,
                                 struct jtl_diag *diag)
{
    struct an_store *st = &t->st;
    struct an_ctx cx;
    struct an_work run;
    struct jtl_throttle_scope *scopes = NULL;
    bool *copy = NULL;
    uint8_t *keep_label = NULL, *keep_group = NULL;
    uint32_t *lidx = NULL, *gidx = NULL;
    size_t nl = 0, ng = 0, i, k, nlab, ngrp, n;
    struct side_job side;
    pthread_t side_tid;
    bool side_started;

    if (t->finished)
        return jtl_diag_set(diag, JTL_ERR_USAGE, NULL,
                            "throttle analysis finished twice");
    t->finished = true;
    memset(out, 0, sizeof(*out));
    phase(t, "decoded and joined");
    memset(&cx, 0, sizeof(cx));
    cx.cpus = t->threads;
    if (cx.cpus == 0) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        cx.cpus = nc < 1 ? 1 : nc > 4 ? 4 : (unsigned)nc;
    }
    an_store_sort(st, cx.cpus);
    phase(t, "sort");
    cx.st = st;
    cx.margin = t->margin;
    cx.tz = t->tz;
    cx.nthreads = jtl_strtab_count(&st->threads);
    side.cx = &cx;
    side.out = out;
    /* the threads and the response codes meanwhile, on another core */
    side_started =
        cx.cpus > 1 && pthread_create(&side_tid, NULL, side_work, &side) == 0;
    an_next_build(st, &cx.nx);
    nlab = jtl_strtab_count(&st->labels);
    ngrp = jtl_strtab_count(&st->groups);
    cx.ra_run = jtl_xcalloc(1, sizeof(*cx.ra_run));
    if (t->scopes) {
        keep_label = busiest(st, false, &out->labels_omitted,
                             &out->labels_omitted_samples);
        keep_group = busiest(st, true, &out->groups_omitted,
                             &out->groups_omitted_samples);
        cx.ra_labels = retry_accs(nlab, keep_label);
        cx.ra_groups = retry_accs(ngrp, keep_group);
        free(keep_label);
        free(keep_group);
    }
    an_retry_sweep(st, &cx.nx, cx.ra_run, cx.ra_labels, cx.ra_groups);
    if (side_started)
        pthread_join(side_tid, NULL);
    else
        side_work(&side);
    phase(t, "next request, threads");
    cx.threads = cx.thr.max_active > 0 ? (double)cx.thr.max_active : NAN;

    out->first_ts = cx.run_t0;
    out->last_end = cx.run_end;
    out->excluded = st->excluded;
    out->unusable = st->unusable + st->dropped;
    {
        size_t len = 0;
        for (i = 0; i < t->o.ncodes; i++)
            len += (size_t)snprintf(
                out->codes + len,
                len < sizeof(out->codes) ? sizeof(out->codes) - len : 0, "%s%d",
                i ? "," : "", t->o.codes[i]);
    }
    out->message_regex = t->regex ? jtl_xstrdup(t->regex) : NULL;
    memcpy(out->throttle_codes, t->o.codes, sizeof(out->throttle_codes));
    out->nthrottle_codes = t->o.ncodes;
    out->record_bytes = sizeof(struct an_rec);

    memset(&run, 0, sizeof(run));
    if (t->scopes && st->n) {
        scopes = jtl_xcalloc(nlab + ngrp + 1, sizeof(*scopes));
        copy = jtl_xcalloc(nlab + ngrp + 1, sizeof(*copy));
        nl = analyse_kind(&cx, &run, &out->run, false, scopes, &lidx, copy);
        jtl_big_free(lidx);
        lidx = NULL;
        phase(t, "run and labels");
        ng = analyse_kind(&cx, &run, NULL, true, scopes + nl, &gidx, copy + nl);
        phase(t, "thread groups");
    } else {
        struct an_view all = {st->rec, NULL, st->n};
        an_scope_analyze(&cx, &all, NULL, cx.ra_run, &out->run, &run);
        out->run.kind = JTL_SCOPE_RUN;
        out->run.name = jtl_xstrdup("run");
        for (i = 0; i < jtl_strtab_count(&st->labels); i++)
            out->run.labels += st->label_raws[i];
    }
    if (out->labels_omitted || out->groups_omitted)
        jtl_xstrv_add(
            &out->run.notes, &out->run.nnotes,
            jtl_xstrdupf("Only the %d busiest labels and thread groups "
                         "were analysed one by one: %zu more labels "
                         "(%llu samples) and %zu more groups (%llu "
                         "samples) are in the whole run's analysis "
                         "only",
                         JTL_THROTTLE_MAX_SCOPES, out->labels_omitted,
                         (unsigned long long)out->labels_omitted_samples,
                         out->groups_omitted,
                         (unsigned long long)out->groups_omitted_samples));
    finish_scope(&cx, &out->run);
    out->advertised = advertised(st->adv, &out->run);
    out->ngenerators = cx.thr.ngens;
    out->generators = jtl_xcalloc(cx.thr.ngens + 1, sizeof(*out->generators));
    {
        /* by name, not in the order they were first seen: that order
         * depends on the order of the inputs (and of files and states) */
        uint32_t *ids = jtl_xcalloc(cx.thr.ngens + 1, sizeof(*ids));
        for (i = 0; i < cx.thr.ngens; i++)
            ids[i] = (uint32_t)i;
        jtl_strtab_sort_ids(&st->gens, ids, cx.thr.ngens, NULL);
        for (i = 0; i < cx.thr.ngens; i++) {
            struct jtl_str name = an_gen_name(st, ids[i]);
            out->generators[i].name = jtl_xstrndup(name.p, name.len);
            out->generators[i].is_host =
                jtl_strtab_str(&st->gens, ids[i])[0] == 'H';
            out->generators[i].named =
                jtl_strtab_str(&st->gens, ids[i])[0] == 'G';
            out->generators[i].threads = cx.thr.gen_threads[ids[i]];
        }
        free(ids);
    }
    out->transactions = st->transactions;
    out->requests_in_transactions = st->in_transactions;
    out->standing_rows = st->tc_standing;
    out->standing_requests = st->tc_standing_requests;
    n = nl + ng;
    for (k = 0; k < n; k++) {
        if (copy[k]) {
            /* the scope is the whole run: the run's final words */
            enum jtl_scope_kind kind = scopes[k].kind;
            char *name = scopes[k].name;
            scopes[k].name = NULL;
            an_scope_release(&scopes[k]);
            an_scope_copy(&scopes[k], &out->run);
            free(scopes[k].name);
            scopes[k].name = name;
            scopes[k].kind = kind;
        } else {
            finish_scope(&cx, &scopes[k]);
        }
    }
    out->scopes = scopes;
    out->nscopes = n;
    an_words_per_scope(&out->run, scopes, n);
    an_words_limit_like(&out->run, out->rcodes, out->nrcodes, out->codes);
    phase(t, "words and pacing");
    /* memory (an estimate of the analyzer's high-water mark): the records
     * (the sort merges chunks into one array and frees each chunk as it is
     * used up, so they never exist twice; two chunks of slack), then one
     * partition of 4-byte indices, the run's series while its pass runs
     * (start 4 + outcome 1 + running count 8 bytes per request), the
     * early-retry bitset and the next-request index of the 429s; the
     * interned rest of the records beside them */
    {
        size_t rec = st->n * sizeof(struct an_rec) +
                     st->ext_slots * (sizeof(struct an_ext) / 2 + 4);
        size_t sortp = rec + 2 * (size_t)AN_CHUNK_RECS * sizeof(struct an_rec);
        size_t anal = rec + st->n * (sizeof(uint32_t) + 13) + st->n / 8 +
                      cx.nx.n * (sizeof(uint32_t) + sizeof(int64_t) + 1);
        out->peak_bytes = sortp > anal ? sortp : anal;
    }
    free(copy);
    jtl_big_free(lidx);
    jtl_big_free(gidx);
    an_retry_acc_release(cx.ra_run);
    free(cx.ra_run);
    retry_accs_free(cx.ra_labels, nlab);
    retry_accs_free(cx.ra_groups, ngrp);
    an_next_release(&cx.nx);
    an_threads_release(&cx.thr);
    return JTL_OK;
}

void jtl_throttle_result_release(struct jtl_throttle_result *r)
{
    size_t i;

    if (!r)
        return;
    an_scope_release(&r->run);
    for (i = 0; i < r->nscopes; i++)
        an_scope_release(&r->scopes[i]);
    free(r->scopes);
    free(r->message_regex);
    for (i = 0; i < r->nrcodes; i++)
        free(r->rcodes[i].code);
    free(r->rcodes);
    free(r->advertised);
    for (i = 0; i < r->ngenerators; i++)
        free(r->generators[i].name);
    free(r->generators);
    memset(r, 0, sizeof(*r));
}
