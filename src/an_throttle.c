/* SPDX-License-Identifier: MIT
 * an_throttle.c - the public throttle analyzer: options, the sink, and
 * jtl_throttle_finish(), which sorts the store once and analyses the run,
 * every label and every thread group. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "an_internal.h"
#include "jtl/buf.h"
#include "jtl/xalloc.h"

struct jtl_throttle {
    struct an_opts o;
    struct an_store st;
    double margin;
    bool scopes;
    char *regex;
    bool finished;
};

char *an_strdupf(const char *fmt, ...)
{
    struct jtl_buf b;
    va_list ap;

    jtl_buf_init(&b, 0);
    va_start(ap, fmt);
    jtl_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (!b.p)
        return jtl_xstrdup("");
    return jtl_buf_detach(&b, NULL);
}

void an_list_add(char ***v, size_t *n, char *s)
{
    *v = jtl_xrealloc(*v, (*n + 1) * sizeof(**v));
    (*v)[(*n)++] = s;
}

const char *jtl_throttle_verdict_name(enum jtl_verdict v)
{
    switch (v) {
    case JTL_VERDICT_THRESHOLD:
        return "threshold";
    case JTL_VERDICT_RANDOM:
        return "random";
    case JTL_VERDICT_INCONCLUSIVE:
        return "inconclusive";
    case JTL_VERDICT_NONE:
        break;
    }
    return "none";
}

const char *jtl_throttle_mechanism_name(enum jtl_mechanism m)
{
    switch (m) {
    case JTL_MECH_RATE:
        return "rate";
    case JTL_MECH_FIXED_WINDOW:
        return "fixed-window";
    case JTL_MECH_SLIDING_WINDOW:
        return "sliding-window";
    case JTL_MECH_CONCURRENCY:
        return "concurrency";
    case JTL_MECH_DISTRIBUTED:
        return "distributed";
    case JTL_MECH_STACKED:
        return "stacked";
    case JTL_MECH_UNKNOWN:
        return "unknown";
    case JTL_MECH_NULL:
        break;
    }
    return NULL;
}

const char *jtl_throttle_scope_kind_name(enum jtl_scope_kind k)
{
    return k == JTL_SCOPE_LABEL ? "label"
           : k == JTL_SCOPE_GROUP ? "group"
                                  : "run";
}

void jtl_throttle_opts_init(struct jtl_throttle_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->codes[0] = 429;
    o->ncodes = 1;
    o->margin = 0.2;
    o->scopes = true;
}

enum jtl_err jtl_throttle_opts_codes(struct jtl_throttle_opts *o,
                                     const char *list, struct jtl_diag *diag)
{
    const char *p = list;
    size_t n = 0;

    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int64_t v;
        if (!jtl_parse_i64(p, len, &v) || v < 100 || v > 999)
            return jtl_diag_set(diag, JTL_ERR_USAGE, NULL,
                                "--throttle-codes takes HTTP codes such as "
                                "429,503, not '%s'", list);
        if (n == JTL_THROTTLE_MAX_CODES)
            return jtl_diag_set(diag, JTL_ERR_USAGE, NULL,
                                "--throttle-codes: at most %d codes",
                                JTL_THROTTLE_MAX_CODES);
        o->codes[n++] = (int)v;
        p = e ? e + 1 : p + len;
    }
    if (n == 0)
        return jtl_diag_set(diag, JTL_ERR_USAGE, NULL,
                            "--throttle-codes needs at least one code");
    o->ncodes = n;
    return JTL_OK;
}

enum jtl_err jtl_throttle_new(const struct jtl_throttle_opts *opts,
                              struct jtl_throttle **out,
                              struct jtl_diag *diag)
{
    struct jtl_throttle *t = jtl_xcalloc(1, sizeof(*t));

    memcpy(t->o.codes, opts->codes, sizeof(t->o.codes));
    t->o.ncodes = opts->ncodes;
    if (opts->message_regex) {
        if (regcomp(&t->o.re, opts->message_regex, REG_EXTENDED | REG_NOSUB)) {
            free(t);
            return jtl_diag_set(diag, JTL_ERR_USAGE, NULL,
                                "invalid --throttle-message regex '%s'",
                                opts->message_regex);
        }
        t->o.has_re = true;
        t->regex = jtl_xstrdup(opts->message_regex);
    }
    if (opts->retry_after_column)
        t->o.ra_column = jtl_xstrdup(opts->retry_after_column);
    t->margin = opts->margin >= 0 && opts->margin < 1 ? opts->margin : 0.2;
    t->scopes = opts->scopes;
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

void jtl_throttle_free(struct jtl_throttle *t)
{
    if (!t)
        return;
    an_store_release(&t->st);
    if (t->o.has_re)
        regfree(&t->o.re);
    free(t->o.ra_column);
    free(t->regex);
    free(t);
}

/* ------------------------------------------------------------------ */
/* Finishing                                                           */

static const struct jtl_strtab *sort_tab;

static int cmp_id_name(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    size_t lx = jtl_strtab_len(sort_tab, x), ly = jtl_strtab_len(sort_tab, y);
    int c = memcmp(jtl_strtab_str(sort_tab, x), jtl_strtab_str(sort_tab, y),
                   lx < ly ? lx : ly);

    return c ? c : (lx > ly) - (lx < ly);
}

/* Record indices grouped by key (label id or group id), time order kept
 * within each key (a counting sort): one 4-byte index per record. */
static uint32_t *partition(const struct an_store *st, bool by_group,
                           size_t nkeys, size_t *off)
{
    uint32_t *idx = jtl_xmalloc((st->n + 1) * sizeof(*idx));
    size_t i;

    memset(off, 0, (nkeys + 1) * sizeof(*off));
    for (i = 0; i < st->n; i++) {
        uint32_t k = by_group ? st->group_of[st->rec[i].thread]
                              : st->rec[i].label;
        off[k + 1]++;
    }
    for (i = 0; i < nkeys; i++)
        off[i + 1] += off[i];
    {
        size_t *pos = jtl_xmalloc((nkeys + 1) * sizeof(*pos));
        memcpy(pos, off, (nkeys + 1) * sizeof(*pos));
        for (i = 0; i < st->n; i++) {
            uint32_t k = by_group ? st->group_of[st->rec[i].thread]
                                  : st->rec[i].label;
            idx[pos[k]++] = (uint32_t)i;
        }
        free(pos);
    }
    return idx;
}

/* Analyse the scopes of one kind (labels or groups), sorted by name. */
static size_t analyse_kind(struct an_ctx *cx, struct an_work *run,
                           bool by_group, struct jtl_throttle_scope *out,
                           uint32_t **idx_out, bool *copy_of_run)
{
    const struct an_store *st = cx->st;
    const struct jtl_strtab *tab = by_group ? &st->groups : &st->labels;
    size_t nk = jtl_strtab_count(tab), i, m = 0;
    size_t *off = jtl_xmalloc((nk + 1) * sizeof(*off));
    uint32_t *ids = jtl_xmalloc((nk + 1) * sizeof(*ids));
    uint32_t *idx = partition(st, by_group, nk, off);
    struct an_work *w = jtl_xcalloc(nk + 1, sizeof(*w));

    for (i = 0; i < nk; i++)
        ids[i] = (uint32_t)i;
    sort_tab = tab;
    qsort(ids, nk, sizeof(*ids), cmp_id_name);
    sort_tab = NULL;
    for (i = 0; i < nk; i++) {
        uint32_t k = ids[i];
        struct an_view v = {st->rec, idx + off[k], off[k + 1] - off[k]};
        struct jtl_throttle_scope *sc = &out[m];
        if (v.n == 0)
            continue;
        memset(sc, 0, sizeof(*sc));
        copy_of_run[m] = v.n == st->n;
        if (!copy_of_run[m]) {
            an_scope_analyze(cx, &v, NULL, sc, &w[m]);
        } else {
            w[m] = *run;
            w[m].sc = sc;
            an_scope_copy(sc, run->sc);
        }
        sc->kind = by_group ? JTL_SCOPE_GROUP : JTL_SCOPE_LABEL;
        free(sc->name);
        sc->name = jtl_xstrndup(jtl_strtab_str(tab, k), jtl_strtab_len(tab, k));
        m++;
    }
    if (by_group)
        an_multi_groups(cx, run, w, m);
    else
        an_multi_labels(cx, run, w, m);
    free(w);
    free(off);
    free(ids);
    *idx_out = idx;
    return m;
}

static void finish_scope(struct an_ctx *cx, struct jtl_throttle_scope *sc)
{
    free(sc->pacing.basis);
    an_pacing(sc, cx->margin, cx->nx.think_ms, cx->threads, &sc->pacing);
    an_words_finish(cx, sc);
}

enum jtl_err jtl_throttle_finish(struct jtl_throttle *t,
                                 struct jtl_throttle_result *out,
                                 struct jtl_diag *diag)
{
    struct an_store *st = &t->st;
    struct an_ctx cx;
    struct an_work run;
    struct an_view all;
    struct jtl_throttle_scope *scopes = NULL;
    bool *copy = NULL;
    uint32_t *lidx = NULL, *gidx = NULL;
    size_t nl = 0, ng = 0, i, k, nlab, ngrp, n;
    int maxall = -1;

    if (t->finished)
        return jtl_diag_set(diag, JTL_ERR_USAGE, NULL,
                            "throttle analysis finished twice");
    t->finished = true;
    memset(out, 0, sizeof(*out));
    an_store_sort(st);
    memset(&cx, 0, sizeof(cx));
    cx.st = st;
    cx.margin = t->margin;
    cx.nthreads = jtl_strtab_count(&st->threads);
    an_next_build(st, &cx.nx);
    cx.run_t0 = st->n ? st->rec[0].start : 0;
    cx.run_end = cx.run_t0;
    for (i = 0; i < st->n; i++) {
        if (an_end(&st->rec[i]) > cx.run_end)
            cx.run_end = an_end(&st->rec[i]);
        if (st->rec[i].all != AN_THREADS_UNKNOWN && st->rec[i].all > maxall)
            maxall = st->rec[i].all;
    }
    cx.threads = maxall > 0 ? maxall : (double)cx.nthreads;

    out->first_ts = cx.run_t0;
    out->last_end = cx.run_end;
    out->excluded = st->excluded;
    out->unusable = st->unusable + st->dropped;
    {
        size_t len = 0;
        for (i = 0; i < t->o.ncodes; i++)
            len += (size_t)snprintf(out->codes + len,
                                    len < sizeof(out->codes)
                                        ? sizeof(out->codes) - len
                                        : 0,
                                    "%s%d", i ? "," : "", t->o.codes[i]);
    }
    out->message_regex = t->regex ? jtl_xstrdup(t->regex) : NULL;
    out->record_bytes = sizeof(struct an_rec);

    all.rec = st->rec;
    all.idx = NULL;
    all.n = st->n;
    memset(&run, 0, sizeof(run));
    an_scope_analyze(&cx, &all, NULL, &out->run, &run);
    out->run.kind = JTL_SCOPE_RUN;
    out->run.name = jtl_xstrdup("run");

    nlab = jtl_strtab_count(&st->labels);
    ngrp = jtl_strtab_count(&st->groups);
    if (t->scopes && st->n) {
        scopes = jtl_xcalloc(nlab + ngrp + 1, sizeof(*scopes));
        copy = jtl_xcalloc(nlab + ngrp + 1, sizeof(*copy));
        nl = analyse_kind(&cx, &run, false, scopes, &lidx, copy);
        ng = analyse_kind(&cx, &run, true, scopes + nl, &gidx, copy + nl);
    }
    finish_scope(&cx, &out->run);
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
    /* memory: records, plus the sort's second copy while it runs; then the
     * two partitions, the compact series of the scope being analysed and
     * the next-request index of the 429s */
    {
        size_t rec = st->cap * sizeof(struct an_rec);
        size_t sortp = rec + st->n * sizeof(struct an_rec);
        size_t anal = rec + st->n * (2 * sizeof(uint32_t) + 5 + 1) +
                      cx.nx.n * 8;
        out->peak_bytes = sortp > anal ? sortp : anal;
    }
    free(copy);
    free(lidx);
    free(gidx);
    an_next_release(&cx.nx);
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
    memset(r, 0, sizeof(*r));
}
