/* SPDX-License-Identifier: MIT
 * agg.c - the aggregation sink: routes each sample to its label row, the
 * Total row, the errors tables and the timeline, with JMeter's rules for
 * Transaction Controllers (see stats.h), then builds the results.
 *
 * Hot path (10 M calls in the benchmark): the label and the response code
 * are compared against the previous sample's first (JTL rows of one test
 * plan repeat a few labels and mostly "200"), then hashed; no allocation
 * once a label is known; failed samples build their error key in a fixed
 * buffer.  Errors per (label, key) live in one open-addressing map instead
 * of a list per label. */
#include "jtl/stats/agg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/bin.h"
#include "jtl/base/buf.h"
#include "jtl/base/strtab.h"
#include "jtl/base/xalloc.h"
#include "jtl/io/labels.h"
#include "stats_internal.h"
#include "timeline_internal.h"

#define NONE UINT32_MAX
#define OTHER_LABELS "(other labels)"
#define OTHER_CODES "(other codes)"
#define OTHER_ERRORS "(other errors)"
#define OTHER_GROUPS "(other)"

/* (label id, key id) -> count */
struct pairmap {
    uint64_t *keys; /* (label << 32 | key) + 1; 0 = empty */
    uint64_t *vals;
    size_t cap, n;
};

/* A direct-mapped cache in front of a string table: JTL rows interleave a
 * few labels (one per thread) and mostly one code, so a cheap hash of the
 * length and the first and last 8 bytes finds them without hashing every
 * byte.  Entries point at interned (stable) bytes and are verified with
 * memcmp, so a collision only costs a table lookup. */
#define CACHE_SLOTS 64

struct cache_entry {
    const char *s;
    size_t len;
    uint32_t id;
};

struct str_cache {
    struct cache_entry e[CACHE_SLOTS];
};

struct jtl_agg {
    struct jtl_agg_opts o;
    struct jtl_strtab labels, codes, keys, groups;
    struct jtl_stats_acc *acc; /* by label id */
    size_t nacc, capacc;
    struct jtl_stats_acc total;
    uint64_t *key_total; /* by key id, non-TC failures */
    size_t capkey;
    struct pairmap errmap;
    struct str_cache lc, cc, gc, kc;
    char keybuf[JTL_AGG_KEY_MAX + 1];
    struct jtl_tl *tl;
    uint64_t samples_counted, tc_parents, empty_controllers;
    uint64_t subresults_skipped, labels_folded, keys_folded;
    uint64_t errors_total, errors_base;
    /* Labels each label id stands for (NULL: one each); set when labels
     * were grouped into endpoint templates. */
    uint64_t *raws;
    uint64_t labels_grouped;

    bool finished;
    struct jtl_stats_result res;
    struct jtl_timeline tlres;
    struct jtl_code_count *total_codes;
    struct jtl_code_count **row_codes;
    struct jtl_error_count *top_store; /* all rows' top-5 lists */
    bool *label_is_tc;
};

void jtl_agg_opts_init(struct jtl_agg_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->pct_list[0] = 90;
    o->pct_list[1] = 95;
    o->pct_list[2] = 99;
    o->npct = 3;
    o->method = JTL_PCT_EXACT;
    o->apdex_t = 500;
    o->apdex_f = 1500;
    o->timeline = true;
    o->refusal_codes[0] = 429;
    o->nrefusal_codes = 1;
}

struct jtl_agg *jtl_agg_new(const struct jtl_agg_opts *opts)
{
    struct jtl_agg *a = jtl_xcalloc(1, sizeof(*a));

    a->o = *opts;
    if (a->o.npct == 0 || a->o.npct > JTL_STATS_MAX_PCT) {
        jtl_agg_opts_init(&a->o);
        a->o.jmeter_compat = opts->jmeter_compat;
        a->o.subresults = opts->subresults;
        a->o.granularity_ms = opts->granularity_ms;
        a->o.timeline = opts->timeline;
        a->o.group_labels = opts->group_labels;
    }
    if (a->o.jmeter_compat) {
        a->o.group_labels = false;
        a->o.method = JTL_PCT_LEGACY;
        if (a->o.window == 0)
            a->o.window = JTL_STATS_JMETER_WINDOW;
    } else {
        a->o.window = 0;
    }
    jtl_strtab_init(&a->labels);
    jtl_strtab_init(&a->codes);
    jtl_strtab_init(&a->keys);
    jtl_strtab_init(&a->groups);
    jtl_stats_acc_init(&a->total, a->o.window);
    if (a->o.timeline)
        a->tl = jtl_tl_new(a->o.granularity_ms, a->o.refusal_codes,
                           a->o.nrefusal_codes);
    return a;
}

void jtl_agg_free(struct jtl_agg *a)
{
    size_t i;

    if (!a)
        return;
    for (i = 0; i < a->nacc; i++)
        jtl_stats_acc_release(&a->acc[i]);
    free(a->acc);
    jtl_stats_acc_release(&a->total);
    free(a->key_total);
    free(a->errmap.keys);
    free(a->errmap.vals);
    jtl_timeline_release(&a->tlres);
    jtl_tl_free(a->tl);
    free(a->res.rows);
    free(a->res.errors);
    free(a->total_codes);
    if (a->row_codes)
        for (i = 0; i < a->nacc; i++)
            free(a->row_codes[i]);
    free(a->row_codes);
    free(a->top_store);
    free(a->label_is_tc);
    free(a->raws);
    jtl_strtab_release(&a->labels);
    jtl_strtab_release(&a->codes);
    jtl_strtab_release(&a->keys);
    jtl_strtab_release(&a->groups);
    free(a);
}

/* ------------------------------------------------------------------ */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

static void pairmap_add(struct pairmap *m, uint32_t label, uint32_t key,
                        uint64_t n)
{
    uint64_t k = (((uint64_t)label << 32) | key) + 1;
    size_t i;

    if ((m->n + 1) * 4 > m->cap * 3) {
        size_t ncap = m->cap ? m->cap * 2 : 64, j;
        uint64_t *nk = jtl_xcalloc(ncap, sizeof(*nk));
        uint64_t *nv = jtl_xcalloc(ncap, sizeof(*nv));
        for (j = 0; j < m->cap; j++) {
            if (!m->keys[j])
                continue;
            i = (size_t)mix64(m->keys[j]) & (ncap - 1);
            while (nk[i])
                i = (i + 1) & (ncap - 1);
            nk[i] = m->keys[j];
            nv[i] = m->vals[j];
        }
        free(m->keys);
        free(m->vals);
        m->keys = nk;
        m->vals = nv;
        m->cap = ncap;
    }
    i = (size_t)mix64(k) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != k)
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) {
        m->keys[i] = k;
        m->n++;
    }
    m->vals[i] += n;
}

static unsigned cache_slot(struct jtl_str s)
{
    uint64_t a = 0, b = 0, h;
    size_t i;

    if (s.len >= 8) {
        memcpy(&a, s.p, 8);
        memcpy(&b, s.p + s.len - 8, 8);
    } else {
        for (i = 0; i < s.len; i++)
            a = a << 8 | (unsigned char)s.p[i];
    }
    h = (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full) ^ s.len;
    h ^= h >> 31;
    h *= 0xff51afd7ed558ccdull;
    return (unsigned)(h >> 58); /* 64 slots */
}

/* Intern S in TAB with a cap: past CAP distinct strings every new one maps
 * to OTHER (counted in *FOLDED).  CACHE (may be NULL) short-circuits
 * repeats. */
static uint32_t lookup(struct jtl_strtab *tab, struct str_cache *cache,
                       struct jtl_str s, size_t cap, const char *other,
                       uint64_t *folded)
{
    struct cache_entry *ce = NULL;
    uint32_t id;

    if (cache) {
        ce = &cache->e[cache_slot(s)];
        if (ce->s && s.len == ce->len &&
            (s.len == 0 || memcmp(s.p, ce->s, s.len) == 0))
            return ce->id;
    }
    id = jtl_strtab_find(tab, s.p, s.len);
    if (id == NONE) {
        if (jtl_strtab_count(tab) >= cap) {
            if (folded)
                (*folded)++;
            return jtl_strtab_intern(tab, other, strlen(other));
        }
        id = jtl_strtab_intern(tab, s.p, s.len);
    }
    if (ce) {
        ce->id = id;
        ce->s = jtl_strtab_str(tab, id);
        ce->len = s.len;
    }
    return id;
}

static struct jtl_stats_acc *label_acc(struct jtl_agg *a, uint32_t id)
{
    if (id >= a->nacc) {
        size_t i;
        jtl_xgrow((void **)&a->acc, &a->capacc, (size_t)id + 1,
                  sizeof(*a->acc));
        for (i = a->nacc; i <= id; i++)
            jtl_stats_acc_init(&a->acc[i], a->o.window);
        a->nacc = (size_t)id + 1;
    }
    return &a->acc[id];
}

static void key_count(struct jtl_agg *a, uint32_t key, uint64_t n)
{
    if (key >= a->capkey) {
        size_t old = a->capkey;
        jtl_xgrow((void **)&a->key_total, &a->capkey, (size_t)key + 1,
                  sizeof(*a->key_total));
        memset(a->key_total + old, 0, (a->capkey - old) * sizeof(uint64_t));
    }
    a->key_total[key] += n;
}

/* Thread group: threadName cut at its last space ("Thread Group 1-5"). */
static uint32_t group_id(struct jtl_agg *a, struct jtl_str thread)
{
    size_t n = thread.len;

    if (n == 0)
        return NONE;
    while (n > 0 && thread.p[n - 1] != ' ')
        n--;
    if (n > 0)
        thread.len = n - 1;
    return lookup(&a->groups, &a->gc, thread, JTL_TIMELINE_MAX_GROUPS * 4,
                  OTHER_GROUPS, NULL);
}

int jtl_agg_add(const struct jtl_sample *s, void *ctx)
{
    struct jtl_agg *a = ctx;
    bool tc = (s->flags & JTL_SAMPLE_TC_PARENT) != 0;
    uint32_t lid, cid;
    struct jtl_stats_acc *acc;

    if (s->depth > 0 && !a->o.subresults) {
        a->subresults_skipped++;
        return 0;
    }
    if (s->flags & JTL_SAMPLE_TC_EMPTY) {
        a->empty_controllers++;
        return 0;
    }
    lid = lookup(&a->labels, &a->lc, s->label, JTL_AGG_MAX_LABELS, OTHER_LABELS,
                 &a->labels_folded);
    cid = lookup(&a->codes, &a->cc, s->code, JTL_AGG_MAX_CODES, OTHER_CODES,
                 NULL);
    acc = label_acc(a, lid);
    jtl_stats_acc_add(acc, s, cid);
    jtl_stats_acc_apdex(acc, s, a->o.apdex_t, a->o.apdex_f);
    /* APDEX Total includes TC parents; the statistics Total does not. */
    jtl_stats_acc_apdex(&a->total, s, a->o.apdex_t, a->o.apdex_f);
    a->samples_counted++;
    if (tc) {
        a->tc_parents++;
    } else {
        jtl_stats_acc_add(&a->total, s, cid);
        a->errors_base++;
        if (!s->success) {
            size_t len = jtl_stats_error_key(s, a->keybuf, sizeof(a->keybuf));
            struct jtl_str k = {a->keybuf, len};
            uint32_t kid = lookup(&a->keys, &a->kc, k, JTL_AGG_MAX_KEYS,
                                  OTHER_ERRORS, &a->keys_folded);
            a->errors_total++;
            key_count(a, kid, 1);
            pairmap_add(&a->errmap, lid, kid, 1);
        }
    }
    if (a->tl)
        jtl_tl_add(a->tl, s, lid, cid, group_id(a, s->thread), tc);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Fork / join                                                         */

void *jtl_agg_fork(void *ctx)
{
    struct jtl_agg *a = ctx;

    if (a->o.jmeter_compat)
        return NULL;
    return jtl_agg_new(&a->o);
}

/* Map every id of child table SRC to the parent table DST. */
static uint32_t *id_map(struct jtl_strtab *dst, const struct jtl_strtab *src,
                        size_t cap, const char *other)
{
    size_t n = jtl_strtab_count(src), i;
    uint32_t *map = jtl_xcalloc(n ? n : 1, sizeof(*map));

    for (i = 0; i < n; i++) {
        const char *s = jtl_strtab_str(src, (uint32_t)i);
        size_t len = jtl_strtab_len(src, (uint32_t)i);
        uint32_t id = jtl_strtab_find(dst, s, len);
        if (id == NONE)
            id = jtl_strtab_count(dst) >= cap
                     ? jtl_strtab_intern(dst, other, strlen(other))
                     : jtl_strtab_intern(dst, s, len);
        map[i] = id;
    }
    return map;
}

static bool maps_to_itself(const uint32_t *map, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (map[i] != (uint32_t)i)
            return false;
    return true;
}

/* Add everything of C into A, C's label I counting as A's label LMAP[I]. */
static void merge(struct jtl_agg *a, struct jtl_agg *c, const uint32_t *lmap)
{
    uint32_t *cmap, *kmap, *gmap;
    size_t i;

    cmap = id_map(&a->codes, &c->codes, JTL_AGG_MAX_CODES, OTHER_CODES);
    kmap = id_map(&a->keys, &c->keys, JTL_AGG_MAX_KEYS, OTHER_ERRORS);
    gmap = id_map(&a->groups, &c->groups, JTL_TIMELINE_MAX_GROUPS * 4,
                  OTHER_GROUPS);
    for (i = 0; i < c->nacc; i++)
        if (c->acc[i].samples || c->acc[i].ap_total)
            jtl_stats_acc_merge(label_acc(a, lmap[i]), &c->acc[i], cmap);
    jtl_stats_acc_merge(&a->total, &c->total, cmap);
    for (i = 0; i < c->capkey && i < jtl_strtab_count(&c->keys); i++)
        if (c->key_total[i])
            key_count(a, kmap[i], c->key_total[i]);
    for (i = 0; i < c->errmap.cap; i++) {
        uint64_t k = c->errmap.keys[i];
        if (!k)
            continue;
        k--;
        pairmap_add(&a->errmap, lmap[k >> 32], kmap[k & 0xffffffffu],
                    c->errmap.vals[i]);
    }
    a->samples_counted += c->samples_counted;
    a->tc_parents += c->tc_parents;
    a->empty_controllers += c->empty_controllers;
    a->subresults_skipped += c->subresults_skipped;
    a->labels_folded += c->labels_folded;
    a->keys_folded += c->keys_folded;
    a->errors_total += c->errors_total;
    a->errors_base += c->errors_base;
    if (a->tl && c->tl) {
        /* The first reading thread joined into a parent that read nothing
         * takes its timeline over instead of copying it: the copy made the
         * parent's, the two threads' (all up to the timeline's budget)
         * exist at once, 235 MB for a 100 M-row run.  Merging into an
         * empty timeline with ids that map to themselves is that timeline. */
        if (jtl_tl_empty(a->tl) &&
            maps_to_itself(lmap, jtl_strtab_count(&c->labels)) &&
            maps_to_itself(cmap, jtl_strtab_count(&c->codes)) &&
            maps_to_itself(gmap, jtl_strtab_count(&c->groups))) {
            struct jtl_tl *t = a->tl;
            a->tl = c->tl;
            c->tl = t;
        } else {
            jtl_tl_merge(a->tl, c->tl, lmap, cmap, gmap);
        }
    }
    free(cmap);
    free(kmap);
    free(gmap);
}

void jtl_agg_join(void *ctx, void *child)
{
    struct jtl_agg *a = ctx, *c = child;
    uint32_t *lmap;

    if (!c)
        return;
    lmap = id_map(&a->labels, &c->labels, JTL_AGG_MAX_LABELS, OTHER_LABELS);
    merge(a, c, lmap);
    /* the caches may point at strings of the same table; still valid */
    free(lmap);
    jtl_agg_free(c);
}

/* ------------------------------------------------------------------ */
/* Partial states                                                      */

void jtl_agg_save(const struct jtl_agg *a, struct jtl_bw *w)
{
    size_t nkeys = jtl_strtab_count(&a->keys), i;

    jtl_strtab_save(&a->labels, w);
    jtl_strtab_save(&a->codes, w);
    jtl_strtab_save(&a->keys, w);
    jtl_strtab_save(&a->groups, w);
    jtl_bw_uv(w, a->nacc);
    for (i = 0; i < a->nacc; i++)
        jtl_stats_acc_save(&a->acc[i], w);
    jtl_stats_acc_save(&a->total, w);
    for (i = 0; i < nkeys; i++)
        jtl_bw_uv(w, i < a->capkey ? a->key_total[i] : 0);
    jtl_bw_uv(w, a->errmap.n);
    for (i = 0; i < a->errmap.cap; i++) {
        uint64_t k = a->errmap.keys[i];
        if (!k)
            continue;
        k--;
        jtl_bw_uv(w, k >> 32);
        jtl_bw_uv(w, k & 0xffffffffu);
        jtl_bw_uv(w, a->errmap.vals[i]);
    }
    jtl_bw_uv(w, a->samples_counted);
    jtl_bw_uv(w, a->tc_parents);
    jtl_bw_uv(w, a->empty_controllers);
    jtl_bw_uv(w, a->subresults_skipped);
    jtl_bw_uv(w, a->labels_folded);
    jtl_bw_uv(w, a->keys_folded);
    jtl_bw_uv(w, a->errors_total);
    jtl_bw_uv(w, a->errors_base);
    jtl_bw_u8(w, a->tl ? 1 : 0);
    if (a->tl)
        jtl_tl_save(a->tl, w);
}

struct jtl_agg *jtl_agg_load(const struct jtl_agg *like, struct jtl_br *r)
{
    struct jtl_agg *a;
    size_t nlabels, ncodes, nkeys, n, i;

    if (like->o.jmeter_compat)
        return NULL;
    a = jtl_agg_new(&like->o);
    if (!jtl_strtab_load(&a->labels, r, JTL_AGG_MAX_LABELS + 1) ||
        !jtl_strtab_load(&a->codes, r, JTL_AGG_MAX_CODES + 1) ||
        !jtl_strtab_load(&a->keys, r, JTL_AGG_MAX_KEYS + 1) ||
        !jtl_strtab_load(&a->groups, r, JTL_TIMELINE_MAX_GROUPS * 4 + 1))
        goto bad;
    nlabels = jtl_strtab_count(&a->labels);
    ncodes = jtl_strtab_count(&a->codes);
    nkeys = jtl_strtab_count(&a->keys);
    n = jtl_br_count(r, 20, nlabels);
    for (i = 0; i < n; i++)
        if (!jtl_stats_acc_load(label_acc(a, (uint32_t)i), r, ncodes))
            goto bad;
    if (!jtl_stats_acc_load(&a->total, r, ncodes))
        goto bad;
    for (i = 0; i < nkeys && !r->bad; i++) {
        uint64_t c = jtl_br_uv(r);
        if (c)
            key_count(a, (uint32_t)i, c);
    }
    n = jtl_br_count(r, 3, 0);
    for (i = 0; i < n && !r->bad; i++) {
        uint32_t l = (uint32_t)jtl_br_below(r, nlabels);
        uint32_t k = (uint32_t)jtl_br_below(r, nkeys);
        uint64_t c = jtl_br_uv(r);
        if (!r->bad)
            pairmap_add(&a->errmap, l, k, c);
    }
    if (a->errmap.n != n)
        goto bad; /* a pair twice */
    a->samples_counted = jtl_br_uv(r);
    a->tc_parents = jtl_br_uv(r);
    a->empty_controllers = jtl_br_uv(r);
    a->subresults_skipped = jtl_br_uv(r);
    a->labels_folded = jtl_br_uv(r);
    a->keys_folded = jtl_br_uv(r);
    a->errors_total = jtl_br_uv(r);
    a->errors_base = jtl_br_uv(r);
    /* a state always holds a timeline (summarize keeps one); an agg that
     * keeps none reads it and lets it go */
    if (jtl_br_u8(r) != 1u || r->bad)
        goto bad;
    {
        struct jtl_tl *tl = jtl_tl_load(
            r, a->o.granularity_ms, a->o.refusal_codes, a->o.nrefusal_codes,
            nlabels, ncodes, jtl_strtab_count(&a->groups));
        if (!tl)
            goto bad;
        jtl_tl_free(a->tl);
        a->tl = a->o.timeline ? tl : NULL;
        if (!a->o.timeline)
            jtl_tl_free(tl);
    }
    if (!r->bad)
        return a;
bad:
    r->bad = true;
    jtl_agg_free(a);
    return NULL;
}

/* Labels that differ only in ids become one row per endpoint template: a
 * fresh agg takes every label's counts under its template (the merge a
 * worker's join does), then the two swap places.  Once, at finish, so the
 * per-sample path pays nothing. */
static void regroup(struct jtl_agg *a)
{
    size_t n = jtl_strtab_count(&a->labels), i;
    uint32_t *lmap;
    struct jtl_agg *g, swap;
    struct jtl_buf b;
    bool any = false;

    jtl_buf_init(&b, 0);
    for (i = 0; i < n && !any; i++)
        any = jtl_label_template(jtl_strtab_str(&a->labels, (uint32_t)i),
                                 jtl_strtab_len(&a->labels, (uint32_t)i), &b);
    if (!any) {
        jtl_buf_release(&b);
        return;
    }
    g = jtl_agg_new(&a->o);
    lmap = jtl_xcalloc(n ? n : 1, sizeof(*lmap));
    for (i = 0; i < n; i++) {
        const char *l = jtl_strtab_str(&a->labels, (uint32_t)i);
        size_t len = jtl_strtab_len(&a->labels, (uint32_t)i);
        if (jtl_label_template(l, len, &b))
            lmap[i] = jtl_strtab_intern(&g->labels, b.p, b.len);
        else
            lmap[i] = jtl_strtab_intern(&g->labels, l, len);
    }
    merge(g, a, lmap);
    g->raws = jtl_xcalloc(jtl_strtab_count(&g->labels) + 1, sizeof(*g->raws));
    for (i = 0; i < n; i++)
        if (i < a->nacc && (a->acc[i].samples || a->acc[i].ap_total))
            g->raws[lmap[i]]++;
    g->labels_grouped = n;
    swap = *a;
    *a = *g;
    *g = swap;
    jtl_agg_free(g);
    free(lmap);
    jtl_buf_release(&b);
}

void jtl_agg_sink(struct jtl_agg *agg, struct jtl_sink *sink)
{
    memset(sink, 0, sizeof(*sink));
    sink->add = jtl_agg_add;
    sink->ctx = agg;
    if (!agg->o.jmeter_compat) {
        sink->fork = jtl_agg_fork;
        sink->join = jtl_agg_join;
    }
}

/* ------------------------------------------------------------------ */
/* Results                                                             */

struct err_entry {
    uint32_t label, key;
    uint64_t count;
    const struct jtl_strtab *keys;
};

/* label ascending, count descending, key bytes ascending */
static int cmp_err_entry(const void *x, const void *y)
{
    const struct err_entry *a = x, *b = y;

    if (a->label != b->label)
        return a->label < b->label ? -1 : 1;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return jtl_bytes_cmp(
        jtl_strtab_str(a->keys, a->key), jtl_strtab_len(a->keys, a->key),
        jtl_strtab_str(b->keys, b->key), jtl_strtab_len(b->keys, b->key));
}

static int cmp_row(const void *x, const void *y)
{
    const struct jtl_stats_row *a = x, *b = y;

    return jtl_bytes_cmp(a->label, a->label_len, b->label, b->label_len);
}

static int cmp_error_row(const void *x, const void *y)
{
    const struct jtl_stats_error *a = x, *b = y;

    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return jtl_bytes_cmp(a->key, a->len, b->key, b->len);
}

void jtl_agg_finish(struct jtl_agg *a)
{
    struct jtl_stats_result *r = &a->res;
    struct jtl_stats_fill fill;
    struct err_entry *ee;
    size_t i, j, nee = 0, nrows = 0, nkeys = jtl_strtab_count(&a->keys);
    size_t *row_of_label;
    size_t ntop = 0;

    if (a->finished)
        return;
    if (a->o.group_labels)
        regroup(a);
    r = &a->res;
    a->finished = true;
    memset(r, 0, sizeof(*r));
    for (i = 0; i < a->o.npct; i++)
        r->pct_list[i] = a->o.pct_list[i];
    r->npct = a->o.npct;
    r->method = a->o.method;
    r->window = a->o.window;
    r->jmeter_compat = a->o.jmeter_compat;
    r->subresults = a->o.subresults;
    r->apdex_t = a->o.apdex_t;
    r->apdex_f = a->o.apdex_f;
    r->samples_counted = a->samples_counted;
    r->tc_parents = a->tc_parents;
    r->empty_controllers = a->empty_controllers;
    r->subresults_skipped = a->subresults_skipped;
    r->labels_folded = a->labels_folded;
    r->keys_folded = a->keys_folded;
    r->errors_total = a->errors_total;
    r->errors_base = a->errors_base;
    if (a->raws) {
        r->labels_grouped = a->labels_grouped;
        r->label_groups = jtl_strtab_count(&a->labels);
    }

    fill.pct_list = a->o.pct_list;
    fill.npct = a->o.npct;
    fill.method = a->o.method;
    fill.compat = a->o.jmeter_compat;
    fill.codetab = &a->codes;

    /* rows: labels with at least one counted sample */
    a->row_codes = jtl_xcalloc(a->nacc ? a->nacc : 1, sizeof(*a->row_codes));
    a->label_is_tc = jtl_xcalloc(a->nacc ? a->nacc : 1, sizeof(bool));
    row_of_label = jtl_xcalloc(a->nacc ? a->nacc : 1, sizeof(size_t));
    r->rows = jtl_xcalloc(a->nacc ? a->nacc : 1, sizeof(*r->rows));
    r->first_start = INT64_MAX;
    r->last_end = INT64_MIN;
    for (i = 0; i < a->nacc; i++) {
        struct jtl_stats_row *row;
        a->label_is_tc[i] = a->acc[i].is_controller;
        if (!a->acc[i].samples)
            continue;
        row = &r->rows[nrows];
        row->label = jtl_strtab_str(&a->labels, (uint32_t)i);
        row->label_len = jtl_strtab_len(&a->labels, (uint32_t)i);
        jtl_stats_row_fill(row, &a->acc[i], &fill, &a->row_codes[i]);
        row->labels = a->raws ? a->raws[i] : 1;
        if (a->acc[i].has_time) {
            if (a->acc[i].first_start < r->first_start)
                r->first_start = a->acc[i].first_start;
            if (a->acc[i].last_end > r->last_end)
                r->last_end = a->acc[i].last_end;
        }
        nrows++;
    }
    if (r->first_start == INT64_MAX)
        r->first_start = r->last_end = 0;
    r->nrows = nrows;
    r->total.label = "Total";
    r->total.label_len = 5;
    r->total.is_total = true;
    jtl_stats_row_fill(&r->total, &a->total, &fill, &a->total_codes);

    /* top errors per label from the (label, key) map */
    ee = jtl_xcalloc(a->errmap.n ? a->errmap.n : 1, sizeof(*ee));
    for (i = 0; i < a->errmap.cap; i++) {
        uint64_t k = a->errmap.keys[i];
        if (!k)
            continue;
        k--;
        ee[nee].label = (uint32_t)(k >> 32);
        ee[nee].key = (uint32_t)(k & 0xffffffffu);
        ee[nee].count = a->errmap.vals[i];
        ee[nee].keys = &a->keys;
        nee++;
    }
    qsort(ee, nee, sizeof(*ee), cmp_err_entry);
    /* errors table (also the Total's top-5) */
    r->errors = jtl_xcalloc(nkeys ? nkeys : 1, sizeof(*r->errors));
    for (i = 0; i < nkeys && i < a->capkey; i++) {
        struct jtl_stats_error *e;
        if (!a->key_total[i])
            continue;
        e = &r->errors[r->nerrors++];
        e->key = jtl_strtab_str(&a->keys, (uint32_t)i);
        e->len = jtl_strtab_len(&a->keys, (uint32_t)i);
        e->count = a->key_total[i];
        e->pct_errors = (double)e->count * 100 / (double)a->errors_total;
        e->pct_samples = (double)e->count * 100 / (double)a->errors_base;
    }
    qsort(r->errors, r->nerrors, sizeof(*r->errors), cmp_error_row);

    a->top_store =
        jtl_xcalloc((nrows + 1) * JTL_STATS_TOP_ERRORS, sizeof(*a->top_store));
    {
        /* rows are still in label-id order here */
        size_t ri = 0;
        for (i = 0; i < a->nacc; i++)
            if (a->acc[i].samples)
                row_of_label[i] = ri++;
    }
    for (i = 0; i < nee; i = j) {
        struct jtl_stats_row *row;
        size_t k = 0;
        for (j = i; j < nee && ee[j].label == ee[i].label; j++)
            ;
        if (!a->acc[ee[i].label].samples)
            continue;
        row = &r->rows[row_of_label[ee[i].label]];
        row->top_errors = a->top_store + ntop;
        for (k = 0; k < j - i && k < JTL_STATS_TOP_ERRORS; k++) {
            struct jtl_error_count *t = &a->top_store[ntop++];
            t->key = jtl_strtab_str(&a->keys, ee[i + k].key);
            t->len = jtl_strtab_len(&a->keys, ee[i + k].key);
            t->count = ee[i + k].count;
        }
        row->ntop_errors = k;
    }
    r->total.top_errors = a->top_store + ntop;
    for (i = 0; i < r->nerrors && i < JTL_STATS_TOP_ERRORS; i++) {
        struct jtl_error_count *t = &a->top_store[ntop++];
        t->key = r->errors[i].key;
        t->len = r->errors[i].len;
        t->count = r->errors[i].count;
    }
    r->total.ntop_errors = i;
    free(ee);
    free(row_of_label);
    qsort(r->rows, r->nrows, sizeof(*r->rows), cmp_row);

    if (a->tl) {
        struct jtl_tl_names names;
        memset(&names, 0, sizeof(names));
        names.labels = &a->labels;
        names.codes = &a->codes;
        names.groups = &a->groups;
        names.label_is_tc = a->label_is_tc;
        names.nlabel_is_tc = a->nacc;
        names.pct_list = a->o.pct_list;
        names.npct = a->o.npct;
        names.method =
            a->o.method == JTL_PCT_LEGACY ? JTL_PCT_LEGACY : JTL_PCT_EXACT;
        jtl_tl_finish(a->tl, &names, &a->tlres);
    }
}

const struct jtl_stats_result *jtl_agg_stats(const struct jtl_agg *agg)
{
    return agg->finished ? &agg->res : NULL;
}

const struct jtl_timeline *jtl_agg_timeline(const struct jtl_agg *agg)
{
    return agg->finished && agg->tl ? &agg->tlres : NULL;
}

size_t jtl_agg_bytes(const struct jtl_agg *a)
{
    size_t b = sizeof(*a), i;

    for (i = 0; i < a->nacc; i++)
        b += jtl_stats_acc_bytes(&a->acc[i]);
    b += a->capacc * sizeof(*a->acc);
    b += jtl_stats_acc_bytes(&a->total);
    b += a->capkey * sizeof(uint64_t);
    b += a->errmap.cap * 2 * sizeof(uint64_t);
    if (a->tl)
        b += jtl_tl_bytes(a->tl);
    return b;
}
