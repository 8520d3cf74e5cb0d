/* SPDX-License-Identifier: MIT
 * window.c - per-second series for the criteria with a window ("for 10s"):
 * a sink beside the aggregator keeps, for each windowed criterion and each
 * label it applies to, one bucket per second of the run (by start time):
 * counts, sums and, for percentiles, maximum and spread, an exact histogram.
 * Memory grows with the duration and the windowed criteria, not the rows.
 * check.c slides the windows over them. */
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "jtl/base/buf.h"
#include "jtl/base/strtab.h"
#include "jtl/base/xalloc.h"
#include "jtl/io/labels.h"

#define NONE UINT32_MAX

static bool needs_hist(const struct jtl_criterion *c)
{
    return c->subject == JTL_CRIT_PCT || c->subject == JTL_CRIT_MAX_RT ||
           c->subject == JTL_CRIT_STDEV_RT;
}

static void bucket_release(struct jtl_win_bucket *b)
{
    if (b->vals) {
        free(b->vals->p);
        free(b->vals);
    }
}

static void series_release(struct jtl_win_series *s)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        bucket_release(&s->b[i]);
    free(s->b);
    free(s->label);
}

/* The bucket of second SEC, the series grown to hold it (either side);
 * NULL, the series marked, when it would span more than JTL_WIN_MAX_SPAN. */
static struct jtl_win_bucket *bucket_at(struct jtl_win_series *s, int64_t sec)
{
    if (sec < s->lo)
        s->lo = sec;
    if (sec > s->hi)
        s->hi = sec;
    if (s->n && (sec < s->base ? s->base + (int64_t)s->n - sec
                               : sec - s->base + 1) > JTL_WIN_MAX_SPAN) {
        s->too_long = true;
        return NULL;
    }
    if (s->n == 0) {
        s->b = jtl_xcalloc(16, sizeof(*s->b));
        s->cap = 16;
        s->n = 1;
        s->base = sec;
        return &s->b[0];
    }
    if (sec < s->base) {
        size_t add = (size_t)(s->base - sec), grow = add + s->n;
        struct jtl_win_bucket *nb;
        if (grow < s->n * 2)
            grow = s->n * 2;
        nb = jtl_xcalloc(grow, sizeof(*nb));
        memcpy(nb + add, s->b, s->n * sizeof(*nb));
        free(s->b);
        s->b = nb;
        s->cap = grow;
        s->n += add;
        s->base = sec;
        return &s->b[0];
    }
    if ((uint64_t)(sec - s->base) >= s->n) {
        size_t need = (size_t)(sec - s->base) + 1;
        if (need > s->cap) {
            size_t cap = s->cap * 2 > need ? s->cap * 2 : need;
            s->b = jtl_xrealloc(s->b, cap * sizeof(*s->b));
            memset(s->b + s->cap, 0, (cap - s->cap) * sizeof(*s->b));
            s->cap = cap;
        }
        s->n = need;
    }
    return &s->b[sec - s->base];
}

/* The slot of V in a table of 2^BITS slots: Fibonacci hashing, so that
 * values that share their low bits (multiples of 1000 ms) spread too. */
static uint32_t slot_of(uint32_t v, uint32_t cap)
{
    return (uint32_t)((v * 2654435769u) >> (32 - __builtin_ctz(cap)));
}

static void vals_put(struct jtl_win_vals *b, uint32_t v, uint32_t c)
{
    uint32_t mask = b->cap - 1, h = slot_of(v, b->cap);

    /* a slot of V whose count would overflow is passed: V then takes a
     * second slot */
    while (b->p[h].c && (b->p[h].v != v || b->p[h].c > UINT32_MAX - c))
        h = (h + 1) & mask;
    if (!b->p[h].c) {
        b->p[h].v = v;
        b->n++;
        if (v > b->max)
            b->max = v;
    }
    b->p[h].c += c;
}

static void vals_add(struct jtl_win_bucket *bk, uint32_t v, uint32_t c)
{
    struct jtl_win_vals *b = bk->vals;

    if (!b)
        b = bk->vals = jtl_xcalloc(1, sizeof(*b));
    if ((b->n + 1) * 2 > b->cap) {
        struct jtl_win_vals old = *b;
        uint32_t i;
        b->cap = old.cap ? old.cap * 2 : 16;
        b->p = jtl_xcalloc(b->cap, sizeof(*b->p));
        b->n = 0;
        for (i = 0; i < old.cap; i++)
            if (old.p[i].c)
                vals_put(b, old.p[i].v, old.p[i].c);
        free(old.p);
    }
    vals_put(b, v, c);
}

/* Adds S to D.  S's values move to D when D has none: the workers read
 * blocks of many seconds each, so most seconds are one worker's alone. */
static void bucket_merge(struct jtl_win_bucket *d, struct jtl_win_bucket *s)
{
    uint32_t i;

    d->n += s->n;
    d->err += s->err;
    d->match += s->match;
    d->timed += s->timed;
    d->sum += s->sum;
    d->lat_n += s->lat_n;
    d->lat_sum += s->lat_sum;
    d->con_n += s->con_n;
    d->con_sum += s->con_sum;
    d->bytes += s->bytes;
    d->sat += s->sat;
    d->tol += s->tol;
    if (s->vals && (!d->vals || d->vals->n == 0)) {
        bucket_release(d);
        d->vals = s->vals;
        s->vals = NULL;
        return;
    }
    for (i = 0; s->vals && i < s->vals->cap; i++)
        if (s->vals->p[i].c)
            vals_add(d, s->vals->p[i].v, s->vals->p[i].c);
}

/* Whether code CODE is the criterion's (rcNNN) or in its class (rcNxx). */
static bool code_matches(const struct jtl_criterion *c, struct jtl_str code)
{
    int v;

    if (code.len != 3 || code.p[0] < '1' || code.p[0] > '9')
        return false;
    if (c->rc_cls)
        return code.p[0] - '0' == c->rc;
    if (code.p[1] < '0' || code.p[1] > '9' || code.p[2] < '0' ||
        code.p[2] > '9')
        return false;
    v = (code.p[0] - '0') * 100 + (code.p[1] - '0') * 10 + (code.p[2] - '0');
    return v == c->rc;
}

static void add_to(struct jtl_win_series *s, const struct jtl_criterion *c,
                   const struct jtl_sample *x, const struct jtl_check_win *w)
{
    int64_t sec = x->timestamp >= 0 ? x->timestamp / 1000
                                    : -((-x->timestamp + 999) / 1000);
    struct jtl_win_bucket *b = bucket_at(s, sec);

    if (!b)
        return;
    b->n++;
    b->err += !x->success;
    if (c->subject == JTL_CRIT_RC)
        b->match += code_matches(c, x->code);
    if (JTL_HAS(x, JTL_F_ELAPSED)) {
        b->timed++;
        b->sum += (double)x->elapsed;
        if (needs_hist(c))
            vals_add(b,
                     x->elapsed < 0             ? 0
                     : x->elapsed >= UINT32_MAX ? UINT32_MAX - 1
                                                : (uint32_t)x->elapsed,
                     1);
        if (x->success && x->elapsed <= w->apdex_t)
            b->sat++;
        else if (x->success && x->elapsed <= w->apdex_f)
            b->tol++;
    }
    if (JTL_HAS(x, JTL_F_LATENCY)) {
        b->lat_n++;
        b->lat_sum += (double)x->latency;
    }
    if (JTL_HAS(x, JTL_F_CONNECT)) {
        b->con_n++;
        b->con_sum += (double)x->connect;
    }
    if (JTL_HAS(x, JTL_F_BYTES) && x->bytes > 0)
        b->bytes += (uint64_t)x->bytes;
}

/* The series of criterion K for KEY (a label, or "" for the Total);
 * NULL when the criterion has too many. */
static struct jtl_win_series *series_of(struct jtl_win_crit *wc,
                                        const char *key, size_t len)
{
    uint32_t id;

    /* rows repeat labels: the last series found first */
    if (wc->last_s < wc->ns && wc->s[wc->last_s].len == len &&
        memcmp(wc->s[wc->last_s].label, key, len) == 0)
        return &wc->s[wc->last_s];
    id = jtl_strtab_find(&wc->keys, key, len);

    if (id == NONE) {
        if (wc->ns >= JTL_WIN_MAX_SERIES) {
            wc->too_many = true;
            return NULL;
        }
        id = jtl_strtab_intern(&wc->keys, key, len);
        jtl_xgrow((void **)&wc->s, &wc->caps, (size_t)id + 1, sizeof(*wc->s));
        memset(&wc->s[id], 0, sizeof(wc->s[id]));
        wc->s[id].label = jtl_xstrndup(key, len);
        wc->s[id].lo = INT64_MAX;
        wc->s[id].hi = INT64_MIN;
        wc->s[id].len = len;
        wc->ns = (size_t)id + 1;
    }
    wc->last_s = id;
    return &wc->s[id];
}

/* Whether LABEL is in criterion C's scope (TOTAL is decided by the
 * caller). */
static bool decide(const struct jtl_criterion *c, struct jtl_str label)
{
    struct jtl_buf b;
    bool in;

    switch (c->scope) {
    case JTL_CRIT_LABEL:
        return strlen(c->label) == label.len &&
               memcmp(c->label, label.p, label.len) == 0;
    case JTL_CRIT_TEMPLATE:
        jtl_buf_init(&b, 0);
        in = jtl_label_template(label.p, label.len, &b) &&
             strcmp(b.p, c->label) == 0;
        jtl_buf_release(&b);
        return in;
    case JTL_CRIT_REGEX:
        return jtl_regex_match(c->re, label.p, label.len);
    case JTL_CRIT_TOTAL:
        break;
    }
    return true;
}

static bool in_scope(struct jtl_win_crit *wc, struct jtl_str label)
{
    uint32_t id;
    bool in;

    if (wc->c->scope == JTL_CRIT_LABEL) /* a comparison: nothing to keep */
        return decide(wc->c, label);
    id = jtl_strtab_find(&wc->decided, label.p, label.len);
    if (id != NONE)
        return wc->in[id];
    in = decide(wc->c, label);
    if (jtl_strtab_count(&wc->decided) < JTL_WIN_MAX_DECIDED) {
        id = jtl_strtab_intern(&wc->decided, label.p, label.len);
        jtl_xgrow((void **)&wc->in, &wc->incap, (size_t)id + 1,
                  sizeof(*wc->in));
        wc->in[id] = in;
    }
    return in;
}

struct jtl_check_win *jtl_check_win_new(const struct jtl_criterion *crit,
                                        size_t n,
                                        const struct jtl_check_opts *opts)
{
    struct jtl_check_win *w;
    size_t i, k = 0;

    for (i = 0; i < n; i++)
        k += crit[i].window > 0;
    if (k == 0)
        return NULL;
    w = jtl_xcalloc(1, sizeof(*w));
    w->c = jtl_xcalloc(k, sizeof(*w->c));
    w->apdex_t = opts->apdex_t;
    w->apdex_f = opts->apdex_f;
    w->each_label = opts->each_label;
    w->crit = crit;
    w->ncrit = n;
    for (i = 0; i < n; i++) {
        if (crit[i].window <= 0)
            continue;
        w->c[w->n].c = &crit[i];
        jtl_strtab_init(&w->c[w->n].keys);
        jtl_strtab_init(&w->c[w->n].decided);
        w->n++;
    }
    return w;
}

void jtl_check_win_free(struct jtl_check_win *w)
{
    size_t i, k;

    if (!w)
        return;
    for (i = 0; i < w->n; i++) {
        for (k = 0; k < w->c[i].ns; k++)
            series_release(&w->c[i].s[k]);
        free(w->c[i].s);
        free(w->c[i].in);
        jtl_strtab_release(&w->c[i].decided);
        jtl_strtab_release(&w->c[i].keys);
    }
    free(w->c);
    free(w);
}

int jtl_check_win_add(const struct jtl_sample *x, void *ctx)
{
    struct jtl_check_win *w = ctx;
    bool tc = (x->flags & JTL_SAMPLE_TC_PARENT) != 0;
    size_t i;

    /* the statistics' rules: top-level samples; controllers have their
     * label's row but are not in the Total */
    if (x->depth > 0 || (x->flags & JTL_SAMPLE_TC_EMPTY) ||
        !JTL_HAS(x, JTL_F_TIMESTAMP))
        return 0;
    for (i = 0; i < w->n; i++) {
        struct jtl_win_crit *wc = &w->c[i];
        struct jtl_win_series *s;
        if (wc->c->scope == JTL_CRIT_TOTAL) {
            if (!tc && (s = series_of(wc, "", 0)))
                add_to(s, wc->c, x, w);
            if (!w->each_label)
                continue;
        } else if (!in_scope(wc, x->label)) {
            continue;
        }
        if (wc->c->scope == JTL_CRIT_TEMPLATE)
            s = series_of(wc, wc->c->label, strlen(wc->c->label));
        else
            s = series_of(wc, x->label.p, x->label.len);
        if (s)
            add_to(s, wc->c, x, w);
    }
    return 0;
}

void *jtl_check_win_fork(void *ctx)
{
    struct jtl_check_win *w = ctx;
    struct jtl_check_opts o;

    memset(&o, 0, sizeof(o));
    o.apdex_t = w->apdex_t;
    o.apdex_f = w->apdex_f;
    o.each_label = w->each_label;
    return jtl_check_win_new(w->crit, w->ncrit, &o);
}

void jtl_check_win_join(void *ctx, void *child)
{
    struct jtl_check_win *w = ctx, *c = child;
    size_t i, k, j;

    if (!c)
        return;
    for (i = 0; i < w->n && i < c->n; i++) {
        struct jtl_win_crit *dc = &w->c[i], *sc = &c->c[i];
        dc->too_many |= sc->too_many;
        for (k = 0; k < sc->ns; k++) {
            struct jtl_win_series *from = &sc->s[k], *to;
            to = series_of(dc, from->label, strlen(from->label));
            if (!to)
                continue;
            for (j = 0; j < from->n; j++) {
                struct jtl_win_bucket *b;
                if (!from->b[j].n)
                    continue;
                b = bucket_at(to, from->base + (int64_t)j);
                if (b)
                    bucket_merge(b, &from->b[j]);
            }
            to->too_long |= from->too_long;
            if (from->lo < to->lo)
                to->lo = from->lo;
            if (from->hi > to->hi)
                to->hi = from->hi;
        }
    }
    jtl_check_win_free(c);
}

void jtl_check_win_sink(struct jtl_check_win *w, struct jtl_sink *sink)
{
    memset(sink, 0, sizeof(*sink));
    sink->add = jtl_check_win_add;
    sink->ctx = w;
    sink->fork = jtl_check_win_fork;
    sink->join = jtl_check_win_join;
}
