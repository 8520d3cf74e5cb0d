/* SPDX-License-Identifier: MIT
 * an_record.c - the compact per-request store of the throttle analysis:
 * 32 bytes per sample, sorted once by (start, thread, arrival). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_internal.h"
#include "jtl/headers.h"
#include "jtl/xalloc.h"

void an_store_init(struct an_store *st, const struct an_opts *opts)
{
    memset(st, 0, sizeof(*st));
    st->opts = opts;
    jtl_strtab_init(&st->labels);
    jtl_strtab_init(&st->threads);
    jtl_strtab_init(&st->groups);
    st->lcache = jtl_xcalloc(1, sizeof(*st->lcache));
    st->tcache = jtl_xcalloc(1, sizeof(*st->tcache));
}

void an_store_release(struct an_store *st)
{
    if (!st)
        return;
    free(st->rec);
    free(st->msgbuf);
    free(st->group_of);
    free(st->scratch);
    free(st->lcache);
    free(st->tcache);
    jtl_strtab_release(&st->labels);
    jtl_strtab_release(&st->threads);
    jtl_strtab_release(&st->groups);
    memset(st, 0, sizeof(*st));
}

/* ------------------------------------------------------------------ */
/* Retry-After                                                         */

static bool ieq(struct jtl_str n, const char *want)
{
    size_t i;

    if (n.len != strlen(want))
        return false;
    for (i = 0; i < n.len; i++)
        if (tolower((unsigned char)n.p[i]) != tolower((unsigned char)want[i]))
            return false;
    return true;
}

/* headers.h reads the header, then a retryAfter-like variable, then the
 * Genesys body; a column named with --retry-after-column comes first. */
static float retry_after(struct an_store *st, const struct jtl_sample *s)
{
    int64_t ref = s->timestamp + (s->elapsed > 0 ? s->elapsed : 0);
    double v;
    size_t i;

    if (st->opts->ra_column) {
        for (i = 0; i < s->nvars; i++) {
            if (ieq(s->vars[i].name, st->opts->ra_column) &&
                jtl_retry_after_parse(s->vars[i].value, ref, &v, NULL)) {
                st->ra_sources |= AN_RA_VAR;
                return (float)v;
            }
        }
    }
    switch (jtl_retry_after_seconds(s, &v)) {
    case JTL_RA_HEADER:
        st->ra_sources |= AN_RA_HEADER;
        return (float)v;
    case JTL_RA_VAR:
        st->ra_sources |= AN_RA_VAR;
        return (float)v;
    case JTL_RA_BODY:
        st->ra_sources |= AN_RA_BODY;
        return (float)v;
    case JTL_RA_NONE:
        break;
    }
    return NAN;
}

/* ------------------------------------------------------------------ */
/* Adding samples                                                      */

static bool re_match(struct an_store *st, struct jtl_str m)
{
    if (m.len == 0)
        return false;
    if (m.len + 1 > st->msgcap) {
        st->msgcap = m.len + 64;
        st->msgbuf = jtl_xrealloc(st->msgbuf, st->msgcap);
    }
    memcpy(st->msgbuf, m.p, m.len);
    st->msgbuf[m.len] = '\0';
    return regexec(&st->opts->re, st->msgbuf, 0, NULL, 0) == 0;
}

/* The numeric HTTP status, or -1 ("Non HTTP response code: ..."). */
static int http_code(struct jtl_str c)
{
    int v = 0;
    size_t i;

    if (c.len != 3)
        return -1;
    for (i = 0; i < 3; i++) {
        if (!isdigit((unsigned char)c.p[i]))
            return -1;
        v = v * 10 + (c.p[i] - '0');
    }
    return v;
}

static uint16_t sat16(int32_t v)
{
    if (v < 0)
        return AN_THREADS_UNKNOWN;
    return v >= (int32_t)AN_THREADS_UNKNOWN ? AN_THREADS_UNKNOWN - 1
                                            : (uint16_t)v;
}

static uint32_t intern(struct jtl_strtab *t, struct an_icache *c,
                       const char *p, size_t len)
{
    uint64_t a = 0, b = 0;
    size_t h;
    uint32_t id;

    if (len >= 8) {
        memcpy(&a, p, 8);
        memcpy(&b, p + len - 8, 8);
    } else if (len) {
        memcpy(&a, p, len);
    }
    h = (size_t)(((a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full) ^
                  len) >> 54) % AN_ICACHE;
    if (c->str[h] && c->len[h] == len && memcmp(c->str[h], p, len) == 0)
        return c->id[h];
    id = jtl_strtab_intern(t, p, len);
    if (len <= UINT32_MAX) {
        c->str[h] = jtl_strtab_str(t, id);
        c->len[h] = (uint32_t)len;
        c->id[h] = id;
    }
    return id;
}

int an_store_add(struct an_store *st, const struct jtl_sample *s)
{
    const struct an_opts *o = st->opts;
    struct an_rec *r;
    unsigned cls;
    int code;
    size_t i;
    bool thr = false;

    if ((s->flags & (JTL_SAMPLE_TC_PARENT | JTL_SAMPLE_SUBRESULT)) ||
        s->depth > 0) {
        st->excluded++;
        return 0;
    }
    if (!JTL_HAS(s, JTL_F_TIMESTAMP)) {
        st->unusable++;
        return 0;
    }
    if (st->n >= UINT32_MAX - 1) {
        st->dropped++;
        return 0;
    }
    code = http_code(s->code);
    for (i = 0; i < o->ncodes && !thr; i++)
        thr = code == o->codes[i];
    if (!thr && o->has_re)
        thr = re_match(st, s->message) || re_match(st, s->failure_message);
    if (thr)
        cls = AN_THR;
    else if (s->success)
        cls = AN_ACC;
    else
        cls = code < 0 ? AN_NOHTTP : AN_ERR;

    if (st->n == st->cap)
        jtl_xgrow((void **)&st->rec, &st->cap, st->n + 1, sizeof(*st->rec));
    r = &st->rec[st->n++];
    r->start = s->timestamp;
    r->ec = (uint32_t)((s->elapsed < 0 ? 0
                        : s->elapsed > AN_ELAPSED_MAX ? AN_ELAPSED_MAX
                                                      : s->elapsed)
                       << 2) |
            cls;
    r->label = intern(&st->labels, st->lcache, s->label.p, s->label.len);
    r->thread = intern(&st->threads, st->tcache, s->thread.p, s->thread.len);
    r->bytes = s->bytes < 0 ? 0
               : s->bytes > (int64_t)UINT32_MAX ? UINT32_MAX
                                                : (uint32_t)s->bytes;
    r->ra = thr ? retry_after(st, s) : NAN;
    r->grp = JTL_HAS(s, JTL_F_GRP_THREADS) ? sat16(s->grp_threads)
                                           : AN_THREADS_UNKNOWN;
    r->all = JTL_HAS(s, JTL_F_ALL_THREADS) ? sat16(s->all_threads)
                                           : AN_THREADS_UNKNOWN;
    st->has_bytes |= JTL_HAS(s, JTL_F_BYTES);
    st->has_grp |= JTL_HAS(s, JTL_F_GRP_THREADS);
    st->has_all |= JTL_HAS(s, JTL_F_ALL_THREADS);
    st->has_thread |= JTL_HAS(s, JTL_F_THREAD);
    st->has_headers |= s->response_headers.len > 0;
    return 0;
}

void an_store_join(struct an_store *st, struct an_store *child)
{
    uint32_t *lmap, *tmap;
    size_t i, nl = jtl_strtab_count(&child->labels),
              nt = jtl_strtab_count(&child->threads);

    if (st->n == 0 && jtl_strtab_count(&st->labels) == 0 &&
        jtl_strtab_count(&st->threads) == 0) {
        /* the first part: take it over whole, ids and all */
        struct an_store tmp = *st;
        *st = *child;
        st->opts = tmp.opts;
        *child = tmp;
        an_store_release(child);
        return;
    }
    lmap = jtl_xmalloc((nl + 1) * sizeof(*lmap));
    tmap = jtl_xmalloc((nt + 1) * sizeof(*tmap));
    for (i = 0; i < nl; i++)
        lmap[i] = jtl_strtab_intern(&st->labels,
                                    jtl_strtab_str(&child->labels, (uint32_t)i),
                                    jtl_strtab_len(&child->labels, (uint32_t)i));
    for (i = 0; i < nt; i++)
        tmap[i] = jtl_strtab_intern(
            &st->threads, jtl_strtab_str(&child->threads, (uint32_t)i),
            jtl_strtab_len(&child->threads, (uint32_t)i));
    if (st->n + child->n > st->cap)
        jtl_xgrow((void **)&st->rec, &st->cap, st->n + child->n,
                  sizeof(*st->rec));
    for (i = 0; i < child->n; i++) {
        struct an_rec r = child->rec[i];
        r.label = lmap[r.label];
        r.thread = tmap[r.thread];
        st->rec[st->n++] = r;
    }
    st->excluded += child->excluded;
    st->unusable += child->unusable;
    st->dropped += child->dropped;
    st->ra_sources |= child->ra_sources;
    st->has_bytes |= child->has_bytes;
    st->has_grp |= child->has_grp;
    st->has_all |= child->has_all;
    st->has_thread |= child->has_thread;
    st->has_headers |= child->has_headers;
    free(lmap);
    free(tmap);
    an_store_release(child);
}

/* ------------------------------------------------------------------ */
/* Sorting                                                             */

static const struct jtl_strtab *cmp_tab;

static int cmp_name(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    size_t lx = jtl_strtab_len(cmp_tab, x), ly = jtl_strtab_len(cmp_tab, y);
    int c = memcmp(jtl_strtab_str(cmp_tab, x), jtl_strtab_str(cmp_tab, y),
                   lx < ly ? lx : ly);

    return c ? c : (lx > ly) - (lx < ly);
}

/* Rank of each id when the strings are sorted by bytes, so tie order does
 * not depend on which decoding thread saw a thread name first. */
static uint32_t *name_ranks(const struct jtl_strtab *t)
{
    size_t n = jtl_strtab_count(t), i;
    uint32_t *ids = jtl_xmalloc((n + 1) * sizeof(*ids));
    uint32_t *rank = jtl_xmalloc((n + 1) * sizeof(*rank));

    for (i = 0; i < n; i++)
        ids[i] = (uint32_t)i;
    cmp_tab = t;
    qsort(ids, n, sizeof(*ids), cmp_name);
    cmp_tab = NULL;
    for (i = 0; i < n; i++)
        rank[ids[i]] = (uint32_t)i;
    free(ids);
    return rank;
}

#define RBITS 11
#define RSIZE (1u << RBITS)

/* LSD radix sort of the records on key (start - tmin) << tbits | rank: a
 * handful of linear passes (stable, so arrival order breaks full ties),
 * 32 extra bytes per record while it runs. */
static void radix_sort(struct an_store *st, const uint32_t *rank,
                       int64_t tmin, unsigned tbits, unsigned kbits)
{
    unsigned npass = (kbits + RBITS - 1) / RBITS, ps, d;
    size_t (*hist)[RSIZE] = jtl_xcalloc(npass ? npass : 1, sizeof(*hist));
    struct an_rec *a = st->rec, *b = jtl_xmalloc(st->n * sizeof(*b));
    size_t i, n = st->n;

    for (i = 0; i < n; i++) {
        uint64_t k = (((uint64_t)a[i].start - (uint64_t)tmin) << tbits) |
                     rank[a[i].thread];
        for (ps = 0; ps < npass; ps++)
            hist[ps][(k >> (ps * RBITS)) & (RSIZE - 1)]++;
    }
    for (ps = 0; ps < npass; ps++) {
        size_t sum = 0;
        bool trivial = false;
        for (d = 0; d < RSIZE; d++) {
            size_t c = hist[ps][d];
            if (c == n)
                trivial = true;
            hist[ps][d] = sum;
            sum += c;
        }
        if (trivial)
            continue;
        for (i = 0; i < n; i++) {
            uint64_t k = (((uint64_t)a[i].start - (uint64_t)tmin) << tbits) |
                         rank[a[i].thread];
            b[hist[ps][(k >> (ps * RBITS)) & (RSIZE - 1)]++] = a[i];
        }
        {
            struct an_rec *t = a;
            a = b;
            b = t;
        }
    }
    st->rec = a;
    /* the other buffer is kept: the per-scope copies reuse its pages */
    st->scratch = b;
    free(hist);
}

static const uint32_t *cmp_rank;
static const struct an_rec *cmp_recs;

static int cmp_rec_idx(const void *pa, const void *pb)
{
    uint32_t x = *(const uint32_t *)pa, y = *(const uint32_t *)pb;
    const struct an_rec *a = &cmp_recs[x], *b = &cmp_recs[y];

    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (cmp_rank[a->thread] != cmp_rank[b->thread])
        return cmp_rank[a->thread] < cmp_rank[b->thread] ? -1 : 1;
    return (x > y) - (x < y);
}

/* Fallback for absurd time ranges (a hostile file mixing 1970 and 2026
 * timestamps with many threads): comparison sort on an index. */
static void index_sort(struct an_store *st, const uint32_t *rank)
{
    uint32_t *idx = jtl_xmalloc(st->n * sizeof(*idx));
    struct an_rec *b = jtl_xmalloc(st->n * sizeof(*b));
    size_t i;

    for (i = 0; i < st->n; i++)
        idx[i] = (uint32_t)i;
    cmp_rank = rank;
    cmp_recs = st->rec;
    qsort(idx, st->n, sizeof(*idx), cmp_rec_idx);
    for (i = 0; i < st->n; i++)
        b[i] = st->rec[idx[i]];
    free(st->rec);
    st->rec = b;
    st->cap = st->n;
    free(idx);
}

static unsigned bits_for(uint64_t v)
{
    return v ? 64u - (unsigned)__builtin_clzll(v) : 0u;
}

static void build_groups(struct an_store *st)
{
    size_t nt = jtl_strtab_count(&st->threads), i;

    st->group_of = jtl_xmalloc((nt + 1) * sizeof(*st->group_of));
    for (i = 0; i < nt; i++) {
        const char *s = jtl_strtab_str(&st->threads, (uint32_t)i);
        size_t len = jtl_strtab_len(&st->threads, (uint32_t)i), cut = len;
        /* JMeter names threads "<group name> <group>-<thread>". */
        while (cut > 0 && s[cut - 1] != ' ')
            cut--;
        if (cut > 1)
            len = cut - 1;
        st->group_of[i] = jtl_strtab_intern(&st->groups, s, len);
    }
}

void an_store_sort(struct an_store *st)
{
    uint32_t *rank;
    int64_t tmin = INT64_MAX, tmax = INT64_MIN;
    size_t i;
    bool sorted = true;
    unsigned tbits, kbits;

    if (st->sorted)
        return;
    rank = name_ranks(&st->threads);
    for (i = 0; i < st->n; i++) {
        const struct an_rec *r = &st->rec[i];
        if (r->start < tmin)
            tmin = r->start;
        if (r->start > tmax)
            tmax = r->start;
        if (i && sorted &&
            (r[-1].start > r->start ||
             (r[-1].start == r->start && rank[r[-1].thread] > rank[r->thread])))
            sorted = false;
    }
    if (!sorted) {
        tbits = bits_for(jtl_strtab_count(&st->threads));
        uint64_t range = (uint64_t)tmax - (uint64_t)tmin;
        kbits = bits_for(range) + tbits;
        if (kbits <= 64)
            radix_sort(st, rank, tmin, tbits, kbits);
        else
            index_sort(st, rank);
    }
    free(rank);
    build_groups(st);
    st->sorted = true;
}
