/* SPDX-License-Identifier: MIT
 * records.c - the compact per-request store of the throttle analysis:
 * 32 bytes per sample, sorted once by (start, thread, arrival). */
/* MAP_ANONYMOUS is not in POSIX 2008 (glibc shows it with _DEFAULT_SOURCE) */
#define _DEFAULT_SOURCE 1
#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "analysis.h"
#include "jtl/base/xalloc.h"
#include "jtl/io/headers.h"

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

/* ------------------------------------------------------------------ */
/* Chunks                                                              */

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AN_CHUNK_MALLOC 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || !defined(MAP_ANONYMOUS)
#define AN_CHUNK_MALLOC 1
#endif

#define AN_CHUNK_BYTES ((size_t)AN_CHUNK_RECS * sizeof(struct an_rec))

/* Chunks are mapped, not malloc'ed: the merge frees them in time order,
 * not in allocation order, and glibc keeps freed heap memory below the
 * mmap threshold (which grows to 32 MB) resident, so RSS would not go down
 * as the merge uses the chunks up.  Pages are touched only when written,
 * so a part-filled last chunk costs what it holds.  Under ASan, malloc, so
 * that the sanitizer sees the chunks. */
static struct an_rec *chunk_alloc(void)
{
#ifdef AN_CHUNK_MALLOC
    return jtl_xmalloc(AN_CHUNK_BYTES);
#else
    void *p = mmap(NULL, AN_CHUNK_BYTES, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        jtl_out_of_memory(AN_CHUNK_BYTES);
    return p;
#endif
}

static void chunk_free(struct an_rec *p)
{
    if (!p)
        return;
#ifdef AN_CHUNK_MALLOC
    free(p);
#else
    munmap(p, AN_CHUNK_BYTES);
#endif
}

static void chunks_free(struct an_store *st)
{
    size_t i;

    for (i = 0; i < st->nchunks; i++)
        chunk_free(st->chunks[i].rec);
    free(st->chunks);
    st->chunks = NULL;
    st->nchunks = st->capchunks = 0;
}

void an_store_release(struct an_store *st)
{
    if (!st)
        return;
    chunks_free(st);
    free(st->rec);
    free(st->msgbuf);
    free(st->group_of);
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

static uint32_t intern(struct jtl_strtab *t, struct an_icache *c, const char *p,
                       size_t len)
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
                  len) >>
                 54) %
        AN_ICACHE;
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

    if (st->nchunks == 0 || st->chunks[st->nchunks - 1].n == AN_CHUNK_RECS) {
        jtl_xgrow((void **)&st->chunks, &st->capchunks, st->nchunks + 1,
                  sizeof(*st->chunks));
        st->chunks[st->nchunks].rec = chunk_alloc();
        st->chunks[st->nchunks].n = 0;
        st->nchunks++;
    }
    {
        struct an_chunk *c = &st->chunks[st->nchunks - 1];
        r = &c->rec[c->n++];
    }
    st->n++;
    r->start = s->timestamp;
    r->ec = (uint32_t)((s->elapsed < 0                ? 0
                        : s->elapsed > AN_ELAPSED_MAX ? AN_ELAPSED_MAX
                                                      : s->elapsed)
                       << 2) |
            cls;
    r->label = intern(&st->labels, st->lcache, s->label.p, s->label.len);
    r->thread = intern(&st->threads, st->tcache, s->thread.p, s->thread.len);
    r->bytes = s->bytes < 0                     ? 0
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
        lmap[i] = jtl_strtab_intern(
            &st->labels, jtl_strtab_str(&child->labels, (uint32_t)i),
            jtl_strtab_len(&child->labels, (uint32_t)i));
    for (i = 0; i < nt; i++)
        tmap[i] = jtl_strtab_intern(
            &st->threads, jtl_strtab_str(&child->threads, (uint32_t)i),
            jtl_strtab_len(&child->threads, (uint32_t)i));
    /* the child's chunks are renumbered in place and then linked after
     * ours: arrival order is ours, then the child's, as if appended */
    for (i = 0; i < child->nchunks; i++) {
        struct an_chunk *c = &child->chunks[i];
        size_t j;
        for (j = 0; j < c->n; j++) {
            c->rec[j].label = lmap[c->rec[j].label];
            c->rec[j].thread = tmap[c->rec[j].thread];
        }
    }
    jtl_xgrow((void **)&st->chunks, &st->capchunks,
              st->nchunks + child->nchunks, sizeof(*st->chunks));
    memcpy(st->chunks + st->nchunks, child->chunks,
           child->nchunks * sizeof(*st->chunks));
    st->nchunks += child->nchunks;
    st->n += child->n;
    child->nchunks = 0;
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

/* Rank of each id when the strings are sorted by bytes, so tie order does
 * not depend on which decoding thread saw a thread name first. */
static uint32_t *name_ranks(const struct jtl_strtab *t)
{
    size_t n = jtl_strtab_count(t), i;
    uint32_t *ids = jtl_xmalloc((n + 1) * sizeof(*ids));
    uint32_t *rank = jtl_xmalloc((n + 1) * sizeof(*rank));

    for (i = 0; i < n; i++)
        ids[i] = (uint32_t)i;
    jtl_strtab_sort_ids(t, ids, n, NULL);
    for (i = 0; i < n; i++)
        rank[ids[i]] = (uint32_t)i;
    free(ids);
    return rank;
}

#define RBITS 11
#define RSIZE (1u << RBITS)

/* LSD radix sort of the N records of A on key (start - tmin) << tbits |
 * rank: a handful of linear passes over one chunk (stable, so arrival
 * order breaks full ties).  The sorted records end up in *A; *B is the
 * other buffer (the two may have been swapped). */
#define RPASS_MAX ((64 + RBITS - 1) / RBITS)
static void radix_sort(struct an_rec **pa, struct an_rec **pb, size_t n,
                       const uint32_t *rank, int64_t tmin, unsigned tbits,
                       unsigned kbits, size_t (*hist)[RSIZE])
{
    unsigned npass = (kbits + RBITS - 1) / RBITS, ps, d;
    struct an_rec *a = *pa, *b = *pb;
    size_t i;

    memset(hist, 0, npass * sizeof(hist[0]));
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
    *pa = a;
    *pb = b;
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
static void index_sort(struct an_rec **pa, struct an_rec **pb, size_t n,
                       const uint32_t *rank)
{
    uint32_t *idx = jtl_xmalloc((n + 1) * sizeof(*idx));
    struct an_rec *a = *pa, *b = *pb;
    size_t i;

    for (i = 0; i < n; i++)
        idx[i] = (uint32_t)i;
    cmp_rank = rank;
    cmp_recs = a;
    qsort(idx, n, sizeof(*idx), cmp_rec_idx);
    for (i = 0; i < n; i++)
        b[i] = a[idx[i]];
    *pa = b;
    *pb = a;
    free(idx);
}

static unsigned bits_for(uint64_t v)
{
    return v ? 64u - (unsigned)__builtin_clzll(v) : 0u;
}

/* Sort one chunk by (start, thread name rank), stable; SPARE is a free
 * chunk-sized buffer that may be swapped with the chunk's. */
static void chunk_sort(struct an_chunk *c, struct an_rec **spare,
                       const uint32_t *rank, unsigned tbits,
                       size_t (*hist)[RSIZE])
{
    int64_t tmin = INT64_MAX, tmax = INT64_MIN;
    bool sorted = true;
    size_t i;
    unsigned kbits;

    for (i = 0; i < c->n; i++) {
        const struct an_rec *r = &c->rec[i];
        if (r->start < tmin)
            tmin = r->start;
        if (r->start > tmax)
            tmax = r->start;
        if (i && sorted &&
            (r[-1].start > r->start ||
             (r[-1].start == r->start && rank[r[-1].thread] > rank[r->thread])))
            sorted = false;
    }
    if (sorted)
        return;
    if (!*spare)
        *spare = chunk_alloc();
    kbits = bits_for((uint64_t)tmax - (uint64_t)tmin) + tbits;
    if (kbits <= 64)
        radix_sort(&c->rec, spare, c->n, rank, tmin, tbits, kbits, hist);
    else
        index_sort(&c->rec, spare, c->n, rank);
}

/* The merge's view of one sorted chunk. */
struct run {
    const struct an_rec *p, *end;
    struct an_rec *mem; /* the chunk, freed when used up */
    size_t seq;         /* arrival order of the chunk */
};

/* (start, thread rank, chunk arrival): the sort key, with arrival order
 * of the chunks breaking ties, so the merge of stably sorted chunks is
 * the stable sort of all records. */
static bool run_before(const struct run *a, const struct run *b,
                       const uint32_t *rank)
{
    if (a->p->start != b->p->start)
        return a->p->start < b->p->start;
    if (rank[a->p->thread] != rank[b->p->thread])
        return rank[a->p->thread] < rank[b->p->thread];
    return a->seq < b->seq;
}

static const uint32_t *cmp_run_rank;

static int cmp_run(const void *pa, const void *pb)
{
    const struct run *a = pa, *b = pb;

    if (run_before(a, b, cmp_run_rank))
        return -1;
    return run_before(b, a, cmp_run_rank) ? 1 : 0;
}

static void heap_down(struct run *h, size_t n, size_t i, const uint32_t *rank)
{
    struct run x = h[i];

    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && run_before(&h[c + 1], &h[c], rank))
            c++;
        if (!run_before(&h[c], &x, rank))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

static void heap_up(struct run *h, size_t i, const uint32_t *rank)
{
    struct run x = h[i];

    while (i > 0 && run_before(&x, &h[(i - 1) / 2], rank)) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = x;
}

/* Merge the sorted chunks into ST->rec.  The chunks are taken up in the
 * order of their first records, so the heap holds only those whose time
 * ranges overlap the merge front (two or three for a JMeter file: a
 * chunk is out of order by at most the longest response time), and each
 * chunk is freed as soon as it is used up: the output grows as the
 * chunks shrink. */
static void merge_chunks(struct an_store *st, const uint32_t *rank)
{
    size_t nr = 0, next = 0, hn = 0, o = 0, i;
    struct run *pend = jtl_xmalloc((st->nchunks + 1) * sizeof(*pend));
    struct run *heap = jtl_xmalloc((st->nchunks + 1) * sizeof(*heap));
    struct an_rec *out = jtl_xmalloc((st->n + 1) * sizeof(*out));

    for (i = 0; i < st->nchunks; i++) {
        struct an_chunk *c = &st->chunks[i];
        if (c->n == 0) {
            chunk_free(c->rec);
            continue;
        }
        pend[nr].p = c->rec;
        pend[nr].end = c->rec + c->n;
        pend[nr].mem = c->rec;
        pend[nr].seq = i;
        nr++;
    }
    free(st->chunks);
    st->chunks = NULL;
    st->nchunks = st->capchunks = 0;
    cmp_run_rank = rank;
    qsort(pend, nr, sizeof(*pend), cmp_run);
    cmp_run_rank = NULL;
    while (hn || next < nr) {
        /* a pending chunk joins once its first record could come next */
        while (next < nr &&
               (hn == 0 || run_before(&pend[next], &heap[0], rank))) {
            heap[hn] = pend[next++];
            heap_up(heap, hn, rank);
            hn++;
        }
        out[o++] = *heap[0].p++;
        if (heap[0].p == heap[0].end) {
            chunk_free(heap[0].mem);
            heap[0] = heap[--hn];
        }
        if (hn > 1)
            heap_down(heap, hn, 0, rank);
    }
    assert(o == st->n);
    free(pend);
    free(heap);
    st->rec = out;
}

static const uint32_t *tie_label_rank;

/* Everything but (start, thread) of two records: for a full tie, order by
 * content, label by name.  Records equal here are interchangeable. */
static int cmp_tie(const void *pa, const void *pb)
{
    const struct an_rec *a = pa, *b = pb;
    uint32_t fa, fb;

    if (a->ec != b->ec)
        return a->ec < b->ec ? -1 : 1;
    if (a->label != b->label)
        return tie_label_rank[a->label] < tie_label_rank[b->label] ? -1 : 1;
    if (a->bytes != b->bytes)
        return a->bytes < b->bytes ? -1 : 1;
    memcpy(&fa, &a->ra, sizeof(fa)); /* bits: NAN compares too */
    memcpy(&fb, &b->ra, sizeof(fb));
    if (fa != fb)
        return fa < fb ? -1 : 1;
    if (a->grp != b->grp)
        return a->grp < b->grp ? -1 : 1;
    return (a->all > b->all) - (a->all < b->all);
}

/* Records of one thread that start in the same millisecond (a 0 ms
 * response, then the next request) come out of the merge in arrival order,
 * and with several decoding threads arrival order changes from run to run:
 * the analysis would too.  Order each such run by content instead. */
static void settle_ties(struct an_store *st)
{
    uint32_t *lrank = NULL;
    size_t i = 0, j;

    while (i < st->n) {
        for (j = i + 1; j < st->n && st->rec[j].start == st->rec[i].start &&
                        st->rec[j].thread == st->rec[i].thread;
             j++)
            ;
        if (j - i > 1) {
            if (!lrank)
                lrank = name_ranks(&st->labels);
            tie_label_rank = lrank;
            qsort(st->rec + i, j - i, sizeof(*st->rec), cmp_tie);
            tie_label_rank = NULL;
        }
        i = j;
    }
    free(lrank);
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
    struct an_rec *spare = NULL;
    size_t(*hist)[RSIZE];
    size_t i;
    unsigned tbits;

    if (st->sorted)
        return;
    rank = name_ranks(&st->threads);
    tbits = bits_for(jtl_strtab_count(&st->threads));
    hist = jtl_xmalloc(RPASS_MAX * sizeof(*hist));
    for (i = 0; i < st->nchunks; i++)
        chunk_sort(&st->chunks[i], &spare, rank, tbits, hist);
    free(hist);
    chunk_free(spare);
    merge_chunks(st, rank);
    free(rank);
    settle_ties(st);
    build_groups(st);
    st->sorted = true;
}
