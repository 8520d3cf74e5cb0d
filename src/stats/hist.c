/* SPDX-License-Identifier: MIT
 * hist.c - exact count histogram over integer milliseconds (see hist.h).
 *
 * Why this shape: the hot path is jtl_hist_add() for every sample (per label,
 * for Total and for a timeline bucket), so the common case must be a couple
 * of loads and an increment.  A label with a handful of distinct response
 * times stays in a small sorted array (binary search); a label with many
 * goes to paged counters indexed directly by the value.  Pages of 256
 * counters keep a label whose times cluster in 100..900 ms at ~4 KB instead
 * of a full array, which is what keeps thousands of labels small; a
 * three-level radix (256 x 256 x 256) reaches 4.6 hours without a big
 * directory.  Anything the primary store cannot hold (values outside
 * 0..2^24-1 in dense mode, outside 0..2^32-2 in sparse mode, or a 32-bit
 * counter that would overflow) goes to the sorted overflow table with 64-bit
 * counts; readers merge both stores, so a value may legitimately appear in
 * both. */
#include "jtl/stats/hist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/bin.h"
#include "jtl/base/xalloc.h"

#define FANOUT 256 /* entries per radix level */

__extension__ typedef __int128 i128;

void jtl_hist_init(struct jtl_hist *h)
{
    memset(h, 0, sizeof(*h));
}

void jtl_hist_release(struct jtl_hist *h)
{
    uint32_t i;

    if (!h)
        return;
    if (h->dir) {
        for (i = 0; i < FANOUT; i++) {
            uint32_t j;
            if (!h->dir[i])
                continue;
            for (j = 0; j < FANOUT; j++)
                free(h->dir[i][j]);
            free(h->dir[i]);
        }
        free(h->dir);
    }
    free(h->sv);
    free(h->sc);
    free(h->over);
    jtl_hist_init(h);
}

/* First index in the overflow table whose value is >= V. */
static uint32_t over_lower(const struct jtl_hist *h, int64_t v)
{
    uint32_t lo = 0, hi = h->nover;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (h->over[mid].value < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void over_add(struct jtl_hist *h, int64_t v, uint64_t c)
{
    uint32_t i = over_lower(h, v);

    if (i < h->nover && h->over[i].value == v) {
        h->over[i].count += c;
        return;
    }
    if (h->nover == h->capover) {
        size_t cap = h->capover;
        jtl_xgrow((void **)&h->over, &cap, (size_t)h->nover + 1,
                  sizeof(*h->over));
        h->capover = (uint32_t)cap;
    }
    memmove(h->over + i + 1, h->over + i,
            (size_t)(h->nover - i) * sizeof(*h->over));
    h->over[i].value = v;
    h->over[i].count = c;
    h->nover++;
}

static uint32_t sparse_lower(const struct jtl_hist *h, uint32_t v)
{
    uint32_t lo = 0, hi = h->nsparse;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (h->sv[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Add C to a 32-bit counter, spilling what does not fit to the overflow
 * table (a counter past 4 G samples of one value is rare, never lost). */
static void counter_add(struct jtl_hist *h, uint32_t *slot, int64_t v,
                        uint64_t c)
{
    uint64_t room = UINT32_MAX - *slot;

    if (c <= room) {
        *slot += (uint32_t)c;
        return;
    }
    *slot = UINT32_MAX;
    over_add(h, v, c - room);
}

static void dense_add(struct jtl_hist *h, int64_t v, uint64_t c)
{
    uint32_t u, **mid, *page;

    if (v < 0 || v >= JTL_HIST_DENSE_SPAN) {
        over_add(h, v, c);
        return;
    }
    u = (uint32_t)v;
    mid = h->dir[u >> 16];
    if (!mid) {
        mid = jtl_xcalloc(FANOUT, sizeof(*mid));
        h->dir[u >> 16] = mid;
        h->nmids++;
    }
    page = mid[(u >> 8) & 255];
    if (!page) {
        page = jtl_xcalloc(JTL_HIST_PAGE, sizeof(*page));
        mid[(u >> 8) & 255] = page;
        h->npages++;
    }
    counter_add(h, &page[u & 255], v, c);
}

static void to_dense(struct jtl_hist *h)
{
    uint32_t i, *sv = h->sv, *sc = h->sc, n = h->nsparse;

    h->dir = jtl_xcalloc(FANOUT, sizeof(*h->dir));
    h->sv = h->sc = NULL;
    h->nsparse = h->capsparse = 0;
    for (i = 0; i < n; i++)
        dense_add(h, sv[i], sc[i]);
    free(sv);
    free(sc);
}

static void sparse_add(struct jtl_hist *h, int64_t v, uint64_t c)
{
    uint32_t i, u;

    if (v < 0 || v >= (int64_t)UINT32_MAX) {
        over_add(h, v, c);
        return;
    }
    u = (uint32_t)v;
    i = sparse_lower(h, u);
    if (i < h->nsparse && h->sv[i] == u) {
        counter_add(h, &h->sc[i], v, c);
        return;
    }
    if (h->nsparse >= JTL_HIST_SPARSE_MAX) {
        to_dense(h);
        dense_add(h, v, c);
        return;
    }
    if (h->nsparse == h->capsparse) {
        size_t cap = h->capsparse;
        size_t cap2 = cap;
        jtl_xgrow((void **)&h->sv, &cap, (size_t)h->nsparse + 1,
                  sizeof(*h->sv));
        jtl_xgrow((void **)&h->sc, &cap2, (size_t)h->nsparse + 1,
                  sizeof(*h->sc));
        h->capsparse = (uint32_t)(cap < cap2 ? cap : cap2);
    }
    memmove(h->sv + i + 1, h->sv + i,
            (size_t)(h->nsparse - i) * sizeof(*h->sv));
    memmove(h->sc + i + 1, h->sc + i,
            (size_t)(h->nsparse - i) * sizeof(*h->sc));
    h->sv[i] = u;
    h->sc[i] = 0;
    h->nsparse++;
    counter_add(h, &h->sc[i], v, c);
}

void jtl_hist_add(struct jtl_hist *h, int64_t value, uint64_t count)
{
    if (count == 0)
        return;
    if (h->n == 0 || value < h->min)
        h->min = value;
    if (h->n == 0 || value > h->max)
        h->max = value;
    h->n += count;
    if (!h->dir && h->nsparse >= JTL_HIST_BUSY_DISTINCT &&
        h->n >= JTL_HIST_BUSY_N)
        to_dense(h);
    if (h->dir)
        dense_add(h, value, count);
    else
        sparse_add(h, value, count);
}

void jtl_hist_merge(struct jtl_hist *dst, const struct jtl_hist *src)
{
    struct jtl_hist_iter it;
    int64_t v;
    uint64_t c;

    if (src->n == 0)
        return;
    jtl_hist_iter_init(&it, src);
    while (jtl_hist_iter_next(&it, &v, &c))
        jtl_hist_add(dst, v, c);
}

/* ------------------------------------------------------------------ */
/* Iteration: the primary store and the overflow table, merged.        */

void jtl_hist_iter_init(struct jtl_hist_iter *it, const struct jtl_hist *h)
{
    it->h = h;
    it->si = 0;
    it->di = 0;
    it->oi = 0;
}

/* Next nonzero value of the primary store at or after the cursor, without
 * consuming it. */
static bool primary_peek(struct jtl_hist_iter *it, int64_t *v, uint64_t *c)
{
    const struct jtl_hist *h = it->h;

    if (!h->dir) {
        if (it->si >= h->nsparse)
            return false;
        *v = h->sv[it->si];
        *c = h->sc[it->si];
        return true;
    }
    while (it->di < JTL_HIST_DENSE_SPAN) {
        uint32_t u = (uint32_t)it->di;
        uint32_t *const *mid = h->dir[u >> 16];
        const uint32_t *page;
        if (!mid) {
            it->di = (int64_t)((u >> 16) + 1) << 16;
            continue;
        }
        page = mid[(u >> 8) & 255];
        if (!page) {
            it->di = (int64_t)((u >> 8) + 1) << 8;
            continue;
        }
        if (page[u & 255]) {
            *v = it->di;
            *c = page[u & 255];
            return true;
        }
        it->di++;
    }
    return false;
}

static void primary_skip(struct jtl_hist_iter *it)
{
    if (it->h->dir)
        it->di++;
    else
        it->si++;
}

bool jtl_hist_iter_next(struct jtl_hist_iter *it, int64_t *value,
                        uint64_t *count)
{
    const struct jtl_hist *h = it->h;
    int64_t pv = 0;
    uint64_t pc = 0;
    bool hp = primary_peek(it, &pv, &pc);
    bool ho = it->oi < h->nover;

    if (!hp && !ho)
        return false;
    if (hp && (!ho || pv < h->over[it->oi].value)) {
        primary_skip(it);
        *value = pv;
        *count = pc;
        return true;
    }
    *value = h->over[it->oi].value;
    *count = h->over[it->oi].count;
    it->oi++;
    if (hp && pv == *value) {
        *count += pc;
        primary_skip(it);
    }
    return true;
}

size_t jtl_hist_distinct(const struct jtl_hist *h)
{
    struct jtl_hist_iter it;
    int64_t v;
    uint64_t c;
    size_t n = 0;

    jtl_hist_iter_init(&it, h);
    while (jtl_hist_iter_next(&it, &v, &c))
        n++;
    return n;
}

size_t jtl_hist_bytes(const struct jtl_hist *h)
{
    size_t b = (size_t)h->capsparse * 2 * sizeof(uint32_t) +
               (size_t)h->capover * sizeof(*h->over);

    if (h->dir)
        b += FANOUT * sizeof(*h->dir) +
             (size_t)h->nmids * FANOUT * sizeof(**h->dir) +
             (size_t)h->npages * JTL_HIST_PAGE * sizeof(uint32_t);
    return b;
}

double jtl_hist_sum(const struct jtl_hist *h)
{
    struct jtl_hist_iter it;
    int64_t v;
    uint64_t c;
    /* 128-bit accumulation keeps the sum exact whatever the run
     * (value * count can pass 2^63 with ~10^12 samples of 10 s). */
    i128 s = 0;

    jtl_hist_iter_init(&it, h);
    while (jtl_hist_iter_next(&it, &v, &c))
        s += (i128)v * (i128)c;
    return (double)s;
}

/* ------------------------------------------------------------------ */
/* Ranks and percentiles.                                              */

/* Resolve N ranks (1-based, sorted ascending) into values in one walk. */
static void ranks_resolve(const struct jtl_hist *h, const uint64_t *ranks,
                          size_t n, int64_t *out)
{
    struct jtl_hist_iter it;
    int64_t v = h->max;
    uint64_t c, cum = 0;
    size_t i = 0;

    jtl_hist_iter_init(&it, h);
    while (i < n && jtl_hist_iter_next(&it, &v, &c)) {
        cum += c;
        while (i < n && ranks[i] <= cum)
            out[i++] = v;
    }
    while (i < n)
        out[i++] = h->max;
}

int64_t jtl_hist_rank(const struct jtl_hist *h, uint64_t k)
{
    int64_t v;

    if (h->n == 0)
        return 0;
    if (k < 1)
        k = 1;
    if (k > h->n)
        k = h->n;
    ranks_resolve(h, &k, 1, &v);
    return v;
}

/* Nearest rank: ceil(P/100 * N).  A relative nudge of 1e-12 absorbs the
 * binary rounding of P (99.9 * 1000 is 99900.00000000001, which must give
 * rank 99900, not 99901); true fractions are never that close to an
 * integer for N below 10^12. */
uint64_t jtl_pct_exact_rank(double p, uint64_t n)
{
    double x;
    uint64_t r;

    if (!(p > 0))
        return 1;
    if (p >= 100)
        return n;
    x = p * (double)n / 100.0;
    x = ceil(x - x * 1e-12);
    r = x < 1 ? 1 : (uint64_t)x;
    return r > n ? n : r;
}

struct rank_req {
    uint64_t rank;
    size_t slot; /* 2 * percentile index + (0 lower | 1 upper) */
};

static int cmp_rank(const void *a, const void *b)
{
    const struct rank_req *x = a, *y = b;

    return (x->rank > y->rank) - (x->rank < y->rank);
}

/* Commons-Math LEGACY, evaluated as it does: the quantile is divided by 100
 * first, then scaled by (N + 1). */
double jtl_pct_legacy_pos(double p, uint64_t n)
{
    double q = p / 100.0;

    return q <= 0 ? 0 : q >= 1 ? (double)n : q * ((double)n + 1);
}

#define PCT_CHUNK 64

/* Up to PCT_CHUNK percentiles: collect the ranks each needs, resolve them
 * all in one sorted walk, then combine. */
static void pct_chunk(const struct jtl_hist *h, const double *p, size_t n,
                      enum jtl_pct_method method, double *out)
{
    struct rank_req req[2 * PCT_CHUNK];
    uint64_t ranks[2 * PCT_CHUNK] = {0}; /* GCC -O2 cannot see nreq bounds */
    int64_t vals[2 * PCT_CHUNK], pair[2 * PCT_CHUNK];
    double pos[PCT_CHUNK];
    bool pending[PCT_CHUNK];
    size_t i, nreq = 0;

    for (i = 0; i < n; i++) {
        pending[i] = false;
        if (method == JTL_PCT_EXACT) {
            req[nreq].rank = jtl_pct_exact_rank(p[i], h->n);
            req[nreq++].slot = 2 * i;
            pending[i] = true;
            continue;
        }
        pos[i] = jtl_pct_legacy_pos(p[i], h->n);
        if (pos[i] < 1) {
            out[i] = (double)h->min;
        } else if (pos[i] >= (double)h->n) {
            out[i] = (double)h->max;
        } else {
            uint64_t lo = (uint64_t)floor(pos[i]);
            req[nreq].rank = lo;
            req[nreq++].slot = 2 * i;
            req[nreq].rank = lo + 1;
            req[nreq++].slot = 2 * i + 1;
            pending[i] = true;
        }
    }
    qsort(req, nreq, sizeof(req[0]), cmp_rank);
    for (i = 0; i < nreq; i++)
        ranks[i] = req[i].rank;
    ranks_resolve(h, ranks, nreq, vals);
    for (i = 0; i < nreq; i++)
        pair[req[i].slot] = vals[i];
    for (i = 0; i < n; i++) {
        double lower, upper, dif;
        if (!pending[i])
            continue;
        if (method == JTL_PCT_EXACT) {
            out[i] = (double)pair[2 * i];
            continue;
        }
        dif = pos[i] - floor(pos[i]);
        lower = (double)pair[2 * i];
        upper = (double)pair[2 * i + 1];
        out[i] = lower + dif * (upper - lower);
    }
}

void jtl_hist_percentiles(const struct jtl_hist *h, const double *p, size_t n,
                          enum jtl_pct_method method, double *out)
{
    size_t i, chunk;

    if (h->n == 0) {
        for (i = 0; i < n; i++)
            out[i] = NAN;
        return;
    }
    for (i = 0; i < n; i += chunk) {
        chunk = n - i > PCT_CHUNK ? PCT_CHUNK : n - i;
        pct_chunk(h, p + i, chunk, method, out + i);
    }
}

double jtl_hist_percentile(const struct jtl_hist *h, double p,
                           enum jtl_pct_method method)
{
    double out;

    jtl_hist_percentiles(h, &p, 1, method, &out);
    return out;
}

double jtl_hist_stdev(const struct jtl_hist *h)
{
    struct jtl_hist_iter it;
    int64_t v;
    uint64_t k;
    double mean, ss = 0;

    if (!h || h->n == 0)
        return NAN;
    mean = jtl_hist_sum(h) / (double)h->n;
    jtl_hist_iter_init(&it, h);
    while (jtl_hist_iter_next(&it, &v, &k)) {
        double d = (double)v - mean;
        ss += d * d * (double)k;
    }
    return sqrt(ss / (double)h->n);
}

/* ------------------------------------------------------------------ */
/* Partial states                                                      */

void jtl_hist_save(const struct jtl_hist *h, struct jtl_bw *w)
{
    struct jtl_hist_iter it;
    int64_t v, prev = 0;
    uint64_t c;

    jtl_bw_uv(w, jtl_hist_distinct(h));
    jtl_hist_iter_init(&it, h);
    while (jtl_hist_iter_next(&it, &v, &c)) {
        /* the first value whole, then the (positive) steps */
        jtl_bw_uv(w, (uint64_t)v - (uint64_t)prev);
        jtl_bw_uv(w, c);
        prev = v;
    }
}

bool jtl_hist_load(struct jtl_hist *h, struct jtl_br *r)
{
    size_t n = jtl_br_count(r, 2, 0), i;
    uint64_t v = 0, total = 0;

    for (i = 0; i < n && !r->bad; i++) {
        uint64_t step = jtl_br_uv(r), c = jtl_br_uv(r);
        /* values ascending: a zero step only for the first one */
        if (r->bad || c == 0 || (i > 0 && step == 0) || total + c < total)
            return false;
        if (i > 0 && (int64_t)(v + step) <= (int64_t)v)
            return false;
        v += step;
        total += c;
        jtl_hist_add(h, (int64_t)v, c);
    }
    return !r->bad;
}
