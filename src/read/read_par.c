/* SPDX-License-Identifier: MIT
 * pipeline_par.c - the threaded readers: a plain CSV file decoded in blocks
 * by several workers, and reading (gzip inflation) overlapped with
 * decoding for everything else.
 *
 * Parallel blocks.  The main thread reads the file in blocks of block_size bytes
 * and cuts each block just after its last record end; the bytes after the
 * cut start the next block.  Finding a record end needs the quote state,
 * which depends on everything before: scan_block() tracks it with the
 * parity of quote characters (64 bytes at a time, SSE2 compares and a
 * prefix xor) and counts physical lines on the way, so every block starts
 * at an exact record boundary with its exact line number.  Parity equals
 * libcsv's state only for well-formed quoting, so the scan also checks that
 * every quote that opens by parity follows a delimiter, a line end or a
 * closing quote, and that every closing quote is followed by a delimiter, a
 * line end, a quote or the end of the file.  Together these mean libcsv
 * opened and closed exactly there (libcsv.c's state machine has no other
 * transitions on quotes), so the cuts are the sequential decoder's record
 * ends.  Anything else (a quote inside an unquoted field, text after a
 * closing quote) or a record longer than a block stops the parallel
 * decoding at the last good cut: the workers finish, their states are
 * joined, and the main decoder reads the rest of the file alone.
 *
 * The first lines go to the main decoder, which learns the delimiter and
 * the columns; workers decode the blocks with clones of it, each block by
 * whichever worker is free (a fixed assignment stalls the reader whenever
 * one worker is descheduled on a busy machine), each into its own sink
 * state from fork(), joined in worker order at the end.  Which worker got
 * which block varies from run to run, so JOIN must not depend on it (the
 * totals are sums, histograms and extremes).  Worker warnings are held and
 * printed in file order.
 * Memory is the blocks in flight: (2 N + 2) x block_size.
 *
 * The source may be gzip: the main thread then inflates while the workers
 * decode, when there are three threads or more (inflation is about as
 * costly as decoding plus aggregating; with two threads the overlap below
 * is faster, as the cutting scan would slow the inflating thread).
 *
 * Overlap.  For pipes, and gzip read into a sink without fork/join, one
 * thread reads (inflates) into a ring of buffers while the caller's thread
 * decodes, so the slower of the two sets the pace instead of their sum. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "io/decode_csv_priv.h"
#include "jtl/base/xalloc.h"
#include "read_internal.h"

static size_t block_size = 1u << 20;
#define MIN_PARALLEL_SIZE (4 * (int64_t)block_size)
#define OVERLAP_BUFS 4

/* ------------------------------------------------------------------ */
/* record boundaries */

struct scan_out {
    size_t cut;      /* just past the last record-ending LF; 0 = none */
    uint64_t lines;  /* physical line ends in [0, cut) */
    bool broken;     /* quoting a parity scan cannot follow */
};

/* Bit masks of LF, CR, quote and delimiter over 64 bytes (LEN <= 64). */
static void masks64(const char *p, size_t len, char delim, uint64_t *n,
                    uint64_t *r, uint64_t *q, uint64_t *d)
{
    uint64_t mn = 0, mr = 0, mq = 0, md = 0;
    size_t i;

#if defined(__SSE2__)
    if (len == 64) {
        const __m128i vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
        const __m128i vq = _mm_set1_epi8('"'), vd = _mm_set1_epi8(delim);
        for (i = 0; i < 4; i++) {
            __m128i v = _mm_loadu_si128(
                (const __m128i *)(const void *)(p + 16 * i));
            mn |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vn))
                  << (16 * i);
            mr |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vr))
                  << (16 * i);
            mq |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vq))
                  << (16 * i);
        }
        if (mq)
            for (i = 0; i < 4; i++) {
                __m128i v = _mm_loadu_si128(
                    (const __m128i *)(const void *)(p + 16 * i));
                md |= (uint64_t)(unsigned)_mm_movemask_epi8(
                          _mm_cmpeq_epi8(v, vd))
                      << (16 * i);
            }
        *n = mn;
        *r = mr;
        *q = mq;
        *d = md;
        return;
    }
#endif
    for (i = 0; i < len; i++) {
        uint64_t bit = (uint64_t)1 << i;
        char c = p[i];
        if (c == '\n')
            mn |= bit;
        else if (c == '\r')
            mr |= bit;
        else if (c == '"')
            mq |= bit;
        else if (c == delim)
            md |= bit;
    }
    *n = mn;
    *r = mr;
    *q = mq;
    *d = md;
}

/* Inline: the baseline x86-64 ISA has no popcnt, and GCC's fallback is a
 * libgcc call per use. */
static inline uint64_t pop64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (x * 0x0101010101010101ull) >> 56;
}

static uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/* How many bytes of P[0..N) equal A, and (when COUNT_B) how many equal B:
 * compares subtracted into byte counters, 64 bytes a step, summed every
 * 255 steps with psadbw (a quarter instruction per byte and count). */
static void count2(const char *p, size_t n, char a, char b, bool count_b,
                   uint64_t *na, uint64_t *nb)
{
    uint64_t ka = 0, kb = 0;
    size_t i = 0;

#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
    const __m128i zero = _mm_setzero_si128();
    __m128i ta = zero, tb = zero;
    while (i + 64 <= n) {
        size_t steps = (n - i) / 64, k;
        __m128i acca = zero, accb = zero;
        if (steps > 255)
            steps = 255;
        for (k = 0; k < steps; k++, i += 64) {
            const __m128i *q = (const __m128i *)(const void *)(p + i);
            __m128i v0 = _mm_loadu_si128(q), v1 = _mm_loadu_si128(q + 1);
            __m128i v2 = _mm_loadu_si128(q + 2), v3 = _mm_loadu_si128(q + 3);
            acca = _mm_sub_epi8(acca, _mm_cmpeq_epi8(v0, va));
            acca = _mm_sub_epi8(acca, _mm_cmpeq_epi8(v1, va));
            acca = _mm_sub_epi8(acca, _mm_cmpeq_epi8(v2, va));
            acca = _mm_sub_epi8(acca, _mm_cmpeq_epi8(v3, va));
            if (count_b) {
                accb = _mm_sub_epi8(accb, _mm_cmpeq_epi8(v0, vb));
                accb = _mm_sub_epi8(accb, _mm_cmpeq_epi8(v1, vb));
                accb = _mm_sub_epi8(accb, _mm_cmpeq_epi8(v2, vb));
                accb = _mm_sub_epi8(accb, _mm_cmpeq_epi8(v3, vb));
            }
        }
        ta = _mm_add_epi64(ta, _mm_sad_epu8(acca, zero));
        tb = _mm_add_epi64(tb, _mm_sad_epu8(accb, zero));
    }
    {
        uint64_t lanes[2];
        _mm_storeu_si128((__m128i *)(void *)lanes, ta);
        ka = lanes[0] + lanes[1];
        _mm_storeu_si128((__m128i *)(void *)lanes, tb);
        kb = lanes[0] + lanes[1];
    }
#endif
    for (; i < n; i++) {
        ka += p[i] == a;
        kb += count_b && p[i] == b;
    }
    *na = ka;
    *nb = kb;
}

static uint64_t count_lf(const char *p, size_t n)
{
    uint64_t k, unused;

    count2(p, n, '\n', 0, false, &k, &unused);
    return k;
}

/* CR bytes of P[0..N) followed by a LF (rare: CRLF files only). */
static uint64_t count_crlf(const char *p, size_t n)
{
    uint64_t k = 0;
    const char *q = p, *end = p + n;

    while ((q = memchr(q, '\r', (size_t)(end - q))) != NULL) {
        if (q + 1 < end && q[1] == '\n')
            k++;
        q++;
    }
    return k;
}

/* Few quotes, no lone CR (so every line end is a LF): walk the quotes with
 * memchr; between them count LFs in bulk.  The same well-formedness checks
 * as the 64-byte scan, one quote at a time.  False: odd quoting. */
static bool scan_sparse(const char *p, size_t n, char delim, bool at_eof,
                        struct scan_out *o)
{
    size_t pos = 0;
    uint64_t lines = 0;
    bool inq = false;

    for (;;) {
        const char *q = memchr(p + pos, '"', n - pos);
        size_t qpos = q ? (size_t)(q - p) : n;
        uint64_t k = count_lf(p + pos, qpos - pos);
        if (!inq && k) {
            /* outside quotes every LF ends a record: cut after the last */
            size_t e = qpos;
            while (p[e - 1] != '\n')
                e--;
            o->cut = e;
            o->lines = lines + k;
        }
        lines += k;
        if (!q)
            return true;
        if (!inq) {
            /* opens: at a record or field start */
            char c = qpos ? p[qpos - 1] : '\n';
            if (c != delim && c != '\n' && c != '\r')
                return false;
            inq = true;
            pos = qpos + 1;
        } else {
            /* closes, or the first of a doubled quote */
            int next = qpos + 1 < n ? (unsigned char)p[qpos + 1]
                                    : (at_eof ? -1 : -2);
            if (next == '"') {
                pos = qpos + 2;
            } else if (next < 0 || next == (unsigned char)delim ||
                       next == '\n' || next == '\r') {
                inq = false;
                pos = qpos + 1;
            } else {
                return false;
            }
        }
        if (pos >= n)
            return true;
    }
}

/* P[0..N) starts at a record boundary.  AT_EOF: nothing follows N. */
static void scan_block(const char *p, size_t n, char delim, bool at_eof,
                       struct scan_out *o)
{
    uint64_t inq = 0;       /* all ones inside quotes */
    uint64_t prev_ok = 1;   /* the byte before is a separator or a closer */
    uint64_t lines = 0;
    size_t off;

    o->cut = 0;
    o->lines = 0;
    o->broken = false;
    {
        /* Nearly every block has no lone CR and few quotes (a message
         * with a comma now and then): the sparse walk is ~10 x cheaper
         * than the 64-byte masks.  Files that quote everything, or use
         * lone CRs, take the masks. */
        uint64_t nq, nr;
        count2(p, n, '"', '\r', true, &nq, &nr);
        if ((nr == 0 || nr == count_crlf(p, n)) && nq * 64 < n) {
            if (!scan_sparse(p, n, delim, at_eof, o)) {
                o->cut = 0;
                o->lines = 0;
                o->broken = true;
            }
            return;
        }
    }
    for (off = 0; off < n; off += 64) {
        size_t len = n - off < 64 ? n - off : 64;
        uint64_t valid = len == 64 ? ~(uint64_t)0 : ((uint64_t)1 << len) - 1;
        uint64_t last = (uint64_t)1 << (len - 1);
        uint64_t mn, mr, mq, md, le, in_before, bound;
        /* the byte after this group: known, the end of the file, or
         * unknown (more data to come; anything there is after the cut) */
        int next = off + len < n ? (unsigned char)p[off + len]
                                 : (at_eof ? -1 : -2);

        masks64(p + off, len, delim, &mn, &mr, &mq, &md);
        /* a CR ends a line unless a LF follows it */
        le = mn | (mr & ~((mn >> 1) | (next == '\n' ? last : 0)));
        if (!mq) {
            in_before = inq;
        } else {
            uint64_t x = prefix_xor(mq) ^ inq;
            uint64_t openers, closers, sep = mn | mr | md, next_ok;
            in_before = (x << 1) | (inq & 1);
            openers = mq & ~in_before;
            closers = mq & in_before;
            next_ok = (sep | mq) >> 1;
            if (next < 0 || next == '\n' || next == '\r' || next == '"' ||
                next == (unsigned char)delim)
                next_ok |= last;
            if ((openers & ~(((sep | closers) << 1) | prev_ok)) ||
                (closers & ~next_ok & valid)) {
                o->broken = true;
                return;
            }
            inq = (x >> (len - 1)) & 1 ? ~(uint64_t)0 : 0;
        }
        {
            /* may a quote open right after this group's last byte? */
            char c = p[off + len - 1];
            prev_ok = c == '\n' || c == '\r' || c == delim ||
                      (mq & in_before & last) != 0;
        }
        bound = mn & ~in_before & valid;
        if (bound) {
            unsigned b = 63 - (unsigned)__builtin_clzll(bound);
            uint64_t upto = b == 63 ? ~(uint64_t)0 : ((uint64_t)2 << b) - 1;
            o->cut = off + b + 1;
            o->lines = lines + pop64(le & upto);
        }
        lines += pop64(le & valid);
    }
}

/* ------------------------------------------------------------------ */
/* parallel blocks */

struct block {
    char *buf;
    size_t len;
    uint64_t line;  /* physical line of buf[0] */
    uint64_t idx;   /* position in the file, for warnings */
    bool eof;       /* the file ends with this block */
};

struct held_warning {
    uint64_t idx, seq;
    char *where, *msg;
    unsigned once; /* JTL_PIPE_W_* kind: print only the first in the file */
};

struct par;

struct worker {
    struct par *par;
    pthread_t th;
    bool started;
    struct jtl_dcsv *dec;
    struct run_state st;
    struct jtl_run_info info;
    struct jtl_sink sink;
    void *child;
    uint64_t cur_idx;
    struct held_warning *warns;
    size_t nwarns, warn_cap;
    uint64_t nwarn_total, warn_seq;
    struct jtl_pipe_blk blk;   /* the block being decoded */
    struct jtl_pipe_blk *sums; /* blocks decoded, for drain() */
    size_t nsums, sums_cap;
    enum jtl_err err;
    struct jtl_diag diag;
};

struct par {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct block *blocks;
    size_t nblocks;
    struct block **freel;
    size_t nfree;
    struct block **q;    /* blocks waiting for any worker, in file order */
    size_t qhead, qlen;
    bool done;           /* no more blocks will come */
    struct worker *w;
    unsigned nw;
    bool abort;
    struct run_state *st;
};

static void worker_warn(const char *where, const char *msg, void *ctx)
{
    struct worker *w = ctx;
    struct held_warning *h;

    w->nwarn_total++;
    if (w->nwarns >= w->st.cfg->max_warnings + 1u)
        return;
    jtl_xgrow((void **)&w->warns, &w->warn_cap, w->nwarns + 1,
              sizeof(*w->warns));
    h = &w->warns[w->nwarns++];
    h->idx = w->cur_idx;
    h->seq = w->warn_seq++;
    h->where = jtl_xstrdup(where);
    h->msg = jtl_xstrdup(msg);
    h->once = w->st.once;
}

void jtl_pipe_set_block_size(size_t n)
{
    block_size = n ? n : 1u << 20;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct par *par = w->par;

    pthread_mutex_lock(&par->mu);
    for (;;) {
        struct block *b;
        while (par->qlen == 0 && !par->done)
            pthread_cond_wait(&par->cv, &par->mu);
        if (par->qlen == 0)
            break;
        b = par->q[par->qhead];
        par->qhead = (par->qhead + 1) % par->nblocks;
        par->qlen--;
        pthread_cond_broadcast(&par->cv);
        pthread_mutex_unlock(&par->mu);
        if (!w->err && !par->abort) {
            w->cur_idx = b->idx;
            memset(&w->blk, 0, sizeof(w->blk));
            w->blk.idx = b->idx;
            w->blk.seq = &w->warn_seq;
            w->st.blk = &w->blk;
            w->st.prev_end = INT64_MIN;
            jtl_dcsv_set_line(w->dec, b->line);
            w->err = jtl_dcsv_feed(w->dec, b->buf, b->len, &w->diag);
            if (!w->err && b->eof) {
                /* the final record's warnings come after everything,
                 * as in a sequential read (after any read damage) */
                w->cur_idx = UINT64_MAX;
                w->err = jtl_dcsv_end_part(w->dec, &w->diag);
            }
            jtl_xgrow((void **)&w->sums, &w->sums_cap, w->nsums + 1,
                      sizeof(*w->sums));
            w->sums[w->nsums++] = w->blk;
        }
        pthread_mutex_lock(&par->mu);
        if (w->err)
            par->abort = true;
        par->freel[par->nfree++] = b;
        pthread_cond_broadcast(&par->cv);
    }
    pthread_mutex_unlock(&par->mu);
    return NULL;
}

static int cmp_blk(const void *a, const void *b)
{
    const struct jtl_pipe_blk *x = a, *y = b;

    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The jump-back check across the boundary before block B (see
 * check_sample() in pipeline.c); *PREV_END: the end of the last sample
 * before B in file order. */
static void judge_blk(struct run_state *st, const struct jtl_pipe_blk *b,
                      int64_t *prev_end)
{
    if (!b->has)
        return;
    jtl_pipe_warn_back(st, b->file, b->first_line, *prev_end, b->first_end);
    *prev_end = b->last_end;
}

static int cmp_warn(const void *a, const void *b)
{
    const struct held_warning *x = a, *y = b;

    if (x->idx != y->idx)
        return x->idx < y->idx ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Stop the workers, join their sink states into the run (worker order),
 * add their counts to MAIN and print their warnings in file order.
 * Returns the first worker error. */
static enum jtl_err drain(struct par *par, struct jtl_dcsv *main_dec,
                          const char *damage_where, const char *damage,
                          struct jtl_diag *diag)
{
    struct run_state *st = par->st;
    struct held_warning *all = NULL;
    struct jtl_pipe_blk *sums = NULL;
    size_t nall = 0, cap = 0, i, k, nsums = 0, scap = 0, j = 0;
    uint64_t extra = 0;
    int64_t prev_end = st->prev_end;
    enum jtl_err err = JTL_OK;

    pthread_mutex_lock(&par->mu);
    par->done = true;
    pthread_cond_broadcast(&par->cv);
    pthread_mutex_unlock(&par->mu);
    for (i = 0; i < par->nw; i++) {
        struct worker *w = &par->w[i];
        if (w->started)
            pthread_join(w->th, NULL);
        w->started = false;
    }
    for (i = 0; i < par->nw; i++) {
        struct worker *w = &par->w[i];
        if (w->err && !err) {
            err = w->err;
            if (diag)
                *diag = w->diag;
        }
        if (!w->dec)
            continue;
        jtl_dcsv_absorb(main_dec, w->dec);
        if (w->child)
            st->sink->join(st->sink->ctx, w->child);
        w->child = NULL;
        st->info->samples += w->info.samples;
        st->info->filtered += w->info.filtered;
        if (w->info.first_ts < st->info->first_ts)
            st->info->first_ts = w->info.first_ts;
        if (w->info.last_end > st->info->last_end)
            st->info->last_end = w->info.last_end;
        for (k = 0; k < w->nwarns; k++) {
            jtl_xgrow((void **)&all, &cap, nall + 1, sizeof(*all));
            all[nall++] = w->warns[k];
        }
        extra += w->nwarn_total - w->nwarns;
        w->nwarns = w->nwarn_total = 0;
        jtl_xgrow((void **)&sums, &scap, nsums + w->nsums + 1, sizeof(*sums));
        if (w->nsums)
            memcpy(sums + nsums, w->sums, w->nsums * sizeof(*sums));
        nsums += w->nsums;
        w->nsums = 0;
    }
    if (nall)
        qsort(all, nall, sizeof(*all), cmp_warn);
    if (nsums)
        qsort(sums, nsums, sizeof(*sums), cmp_blk);
    for (k = 0; k < nall || damage; k++) {
        /* block boundaries before this warning, in file order */
        while (j < nsums &&
               (k == nall || sums[j].idx < all[k].idx ||
                (sums[j].idx == all[k].idx && sums[j].first_seq <= all[k].seq)))
            judge_blk(st, &sums[j++], &prev_end);
        if (damage && (k == nall || all[k].idx == UINT64_MAX)) {
            jtl_pipe_on_warn(damage_where, damage, st);
            damage = NULL;
        }
        if (k == nall)
            break;
        /* each worker says a once-per-file warning once: keep the first in
         * file order (the main decoder's, if any, came before) */
        if (!(all[k].once & st->warned)) {
            st->warned |= all[k].once;
            jtl_pipe_on_warn(all[k].where, all[k].msg, st);
        }
        free(all[k].where);
        free(all[k].msg);
    }
    while (j < nsums)
        judge_blk(st, &sums[j++], &prev_end);
    st->prev_end = prev_end; /* the main decoder may read on alone */
    st->info->warnings += extra;
    free(all);
    free(sums);
    return err;
}

static void par_free(struct par *par)
{
    size_t i;

    for (i = 0; i < par->nw; i++) {
        struct worker *w = &par->w[i];
        jtl_dcsv_free(w->dec);
        if (w->st.has_include)
            regfree(&w->st.include);
        if (w->st.has_exclude)
            regfree(&w->st.exclude);
        free(w->st.label_buf);
        free(w->warns);
        free(w->sums);
    }
    for (i = 0; i < par->nblocks; i++)
        free(par->blocks[i].buf);
    free(par->blocks);
    free(par->freel);
    free(par->q);
    free(par->w);
    pthread_cond_destroy(&par->cv);
    pthread_mutex_destroy(&par->mu);
}

static bool start_workers(struct par *par, struct jtl_dcsv *main_dec,
                          const struct jtl_decode_opts *opts)
{
    struct run_state *st = par->st;
    unsigned i;

    for (i = 0; i < par->nw; i++) {
        struct worker *w = &par->w[i];
        struct jtl_decode_opts wo = *opts;
        w->par = par;
        w->st = *st;
        memset(&w->info, 0, sizeof(w->info));
        w->info.first_ts = INT64_MAX;
        w->info.last_end = INT64_MIN;
        w->st.info = &w->info;
        w->st.progress = false;
        w->st.label_buf = NULL;
        w->st.label_cap = 0;
        w->st.has_include = w->st.has_exclude = false;
        /* each worker its own compiled regex: no shared matcher state */
        if (st->has_include &&
            regcomp(&w->st.include, st->cfg->filter.include,
                    REG_EXTENDED | REG_NOSUB) == 0)
            w->st.has_include = true;
        if (st->has_exclude &&
            regcomp(&w->st.exclude, st->cfg->filter.exclude,
                    REG_EXTENDED | REG_NOSUB) == 0)
            w->st.has_exclude = true;
        w->child = st->sink->fork(st->sink->ctx);
        w->sink = *st->sink;
        w->sink.ctx = w->child;
        w->sink.fork = NULL;
        w->sink.join = NULL;
        w->st.sink = &w->sink;
        wo.warn = worker_warn;
        wo.warn_ctx = w;
        w->st.warn = worker_warn;
        w->st.warn_ctx = w;
        w->dec = jtl_dcsv_clone(main_dec, &wo, jtl_pipe_on_sample, &w->st);
        if (pthread_create(&w->th, NULL, worker_main, w) != 0)
            return false;
        w->started = true;
    }
    return true;
}

/* Read up to the block's capacity; *EOF when the source is done. */
static enum jtl_err fill(struct jtl_source *src, char *buf, size_t *len,
                         size_t cap, bool *eof, struct jtl_diag *diag)
{
    while (*len < cap) {
        size_t n = 0;
        enum jtl_err err = jtl_source_read(src, buf + *len, cap - *len, &n,
                                           diag);
        if (err)
            return err;
        if (n == 0) {
            *eof = true;
            break;
        }
        *len += n;
    }
    return JTL_OK;
}

static unsigned thread_count(const struct run_state *st)
{
    long n = st->cfg->threads;

    if (n == 0)
        n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > 64)
        n = 64;
    return (unsigned)n;
}

/* Physical line ends in P[0..N) (CR, LF, CRLF once); a CR as the last
 * byte counts only when nothing follows (AT_EOF). */
static uint64_t line_ends(const char *p, size_t n, bool at_eof)
{
    uint64_t k = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (p[i] == '\n')
            k++;
        else if (p[i] == '\r' && (i + 1 < n ? p[i + 1] != '\n' : at_eof))
            k++;
    }
    return k;
}

static struct block *take_free(struct par *par)
{
    struct block *b;

    pthread_mutex_lock(&par->mu);
    while (par->nfree == 0)
        pthread_cond_wait(&par->cv, &par->mu);
    b = par->freel[--par->nfree];
    pthread_mutex_unlock(&par->mu);
    return b;
}

static void give_free(struct par *par, struct block *b)
{
    pthread_mutex_lock(&par->mu);
    par->freel[par->nfree++] = b;
    pthread_cond_broadcast(&par->cv);
    pthread_mutex_unlock(&par->mu);
}

/* The rest of the file through the main decoder alone, starting with
 * B[0..len) (B's buffer is reused for reading). */
static enum jtl_err sequential_rest(struct jtl_dcsv *dec,
                                    struct jtl_source *src, struct block *b,
                                    bool eof, struct run_state *st,
                                    enum jtl_err *rerr, struct jtl_diag *rdiag,
                                    struct jtl_diag *diag)
{
    enum jtl_err err = JTL_OK;

    if (b->len)
        err = jtl_dcsv_feed(dec, b->buf, b->len, diag);
    while (!err && !eof) {
        size_t n = 0;
        *rerr = jtl_source_read(src, b->buf, block_size, &n, rdiag);
        if (*rerr || n == 0)
            break;
        st->bytes += n;
        err = jtl_dcsv_feed(dec, b->buf, n, diag);
    }
    return err;
}

int jtl_pipe_read_parallel(struct run_state *st, struct jtl_source *src,
                           const struct jtl_decode_opts *opts,
                           struct jtl_file_info *fi, enum jtl_err *errp,
                           struct jtl_diag *diag)
{
    struct par par;
    struct jtl_dcsv *main_dec = NULL;
    struct jtl_decode_counts dc;
    struct block *b;
    char head[4096];
    size_t hn = 0, i, carry_len = 0, pos = 0;
    const char *carry = NULL;
    enum jtl_err err = JTL_OK, rerr = JTL_OK;
    enum jtl_format fmt = opts->format;
    unsigned nw = thread_count(st), nlines = 0;
    uint64_t line = 1, idx = 1, total_lines = 0;
    bool eof = false, workers = false, alone = false, damage_shown = false;
    struct jtl_diag rdiag = {0};
    char delim;

    /* gzip too, with three threads or more: the main thread inflates and
     * cuts, and decoding is spread over the workers.  With two, one thread
     * inflating and one decoding (jtl_pipe_read_overlap) is faster: the
     * cutting scan would land on the inflating thread, which sets the pace
     * (3 M rows, 2 cores: 0.53 s against 0.61 s; gzread alone 0.52 s). */
    if (nw < (jtl_source_is_gzip(src) ? 3u : 2u) || !st->sink->fork ||
        !st->sink->join || opts->strict ||
        jtl_source_size(src) <
            (jtl_source_is_gzip(src) ? MIN_PARALLEL_SIZE / 8
                                     : MIN_PARALLEL_SIZE))
        return 1;
    if (fmt == JTL_FORMAT_AUTO) {
        if (jtl_source_peek(src, head, sizeof(head), &hn, NULL) != JTL_OK)
            return 1;
        fmt = jtl_detect_format(head, hn);
    }
    if (fmt != JTL_FORMAT_CSV)
        return 1;
    err = jtl_dcsv_new(opts, jtl_pipe_on_sample, st, &main_dec, diag);
    if (err) {
        fi->failed = true;
        *errp = err;
        return 0;
    }
    memset(&par, 0, sizeof(par));
    pthread_mutex_init(&par.mu, NULL);
    pthread_cond_init(&par.cv, NULL);
    par.st = st;
    par.nw = nw;
    par.w = jtl_xcalloc(nw, sizeof(*par.w));
    par.nblocks = 2 * (size_t)nw + 2;
    par.blocks = jtl_xcalloc(par.nblocks, sizeof(*par.blocks));
    par.freel = jtl_xcalloc(par.nblocks, sizeof(*par.freel));
    par.q = jtl_xcalloc(par.nblocks, sizeof(*par.q));
    for (i = 0; i < par.nblocks; i++) {
        par.blocks[i].buf = jtl_xmalloc(block_size);
        par.freel[par.nfree++] = &par.blocks[i];
    }

    /* The main decoder reads the first lines itself, line by line, until
     * it knows the delimiter and the columns and stands at a record
     * boundary (a header, blank lines, a BOM). */
    b = take_free(&par);
    b->len = 0;
    rerr = fill(src, b->buf, &b->len, block_size, &eof, &rdiag);
    if (rerr)
        eof = true;
    st->bytes += b->len;
    while (!err && pos < b->len && !jtl_dcsv_ready(main_dec) &&
           nlines++ < 64) {
        const char *lf = memchr(b->buf + pos, '\n', b->len - pos);
        size_t k;
        if (!lf)
            break;
        k = (size_t)(lf + 1 - (b->buf + pos));
        err = jtl_dcsv_feed(main_dec, b->buf + pos, k, diag);
        line += line_ends(b->buf + pos, k, false);
        pos += k;
    }
    if (err || eof || !jtl_dcsv_ready(main_dec)) {
        memmove(b->buf, b->buf + pos, b->len - pos);
        b->len -= pos;
        if (!err)
            err = sequential_rest(main_dec, src, b, eof, st, &rerr, &rdiag,
                                  diag);
        give_free(&par, b);
        goto done;
    }
    jtl_dcsv_counts(main_dec, &dc);
    delim = dc.delimiter;
    carry = b->buf + pos;
    carry_len = b->len - pos;
    give_free(&par, b);

    /* Blocks cut at record ends go to the workers. */
    while (!eof && !err) {
        struct scan_out so;
        size_t have;

        b = take_free(&par);
        if (par.abort) {
            give_free(&par, b);
            break;
        }
        memmove(b->buf, carry, carry_len);
        have = b->len = carry_len;
        carry_len = 0;
        rerr = fill(src, b->buf, &b->len, block_size, &eof, &rdiag);
        if (rerr)
            eof = true; /* decode what was read, then report the damage */
        st->bytes += b->len - have;
        if (b->len == 0) {
            give_free(&par, b);
            break;
        }
        scan_block(b->buf, b->len, delim, eof, &so);
        if (!so.broken && eof) {
            /* the last block: everything, the final record included */
            total_lines = line - 1 + so.lines +
                          line_ends(b->buf + so.cut, b->len - so.cut, true);
            if (b->buf[b->len - 1] != '\n' && b->buf[b->len - 1] != '\r')
                total_lines++;
            so.cut = b->len;
        }
        if (!so.broken && so.cut && !workers) {
            if (!start_workers(&par, main_dec, opts))
                so.broken = true; /* no threads: read on alone */
            workers = true;
        }
        if (so.broken || so.cut == 0) {
            /* Odd quoting or a record longer than a block: the main
             * decoder reads the rest alone, from this block's start. */
            alone = true;
            if (workers)
                err = drain(&par, main_dec, NULL, NULL, diag);
            workers = false;
            jtl_dcsv_set_line(main_dec, line);
            if (!err)
                err = sequential_rest(main_dec, src, b, eof, st, &rerr,
                                      &rdiag, diag);
            give_free(&par, b);
            break;
        }
        b->line = line;
        b->idx = idx++;
        b->eof = eof;
        line += so.lines;
        jtl_pipe_progress(st, line - 1);
        carry = b->buf + so.cut;
        carry_len = b->len - so.cut;
        b->len = so.cut;
        pthread_mutex_lock(&par.mu);
        if (par.abort) {
            par.freel[par.nfree++] = b;
        } else {
            par.q[(par.qhead + par.qlen) % par.nblocks] = b;
            par.qlen++;
        }
        pthread_cond_broadcast(&par.cv);
        pthread_mutex_unlock(&par.mu);
    }
    if (workers) {
        enum jtl_err werr =
            drain(&par, main_dec,
                  rdiag.where[0] ? rdiag.where : opts->name,
                  rerr ? rdiag.msg : NULL, diag);
        if (!err)
            err = werr;
        damage_shown = true;
    }
    if (!alone && !total_lines)
        total_lines = line - 1; /* the file ended right at a cut */
    if (alone)
        total_lines = 0; /* the main decoder counted to the end */
done:
    if (rerr) {
        fi->damaged = true;
        snprintf(fi->error, sizeof(fi->error), "%s", rdiag.msg);
        if (!damage_shown)
            jtl_pipe_on_warn(rdiag.where[0] ? rdiag.where : opts->name,
                             rdiag.msg, st);
    }
    if (!err)
        err = jtl_dcsv_finish(main_dec, diag);
    jtl_dcsv_counts(main_dec, &fi->counts);
    if (total_lines)
        fi->counts.lines = total_lines;
    par_free(&par);
    jtl_dcsv_free(main_dec);
    *errp = err;
    return 0;
}

/* ------------------------------------------------------------------ */
/* overlap: one thread reads, the caller decodes */

struct ring {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *buf[OVERLAP_BUFS];
    size_t len[OVERLAP_BUFS];
    size_t head, count;  /* filled buffers waiting */
    bool eof, stop;
    enum jtl_err rerr;
    struct jtl_diag rdiag;
    struct jtl_source *src;
};

static void *reader_main(void *arg)
{
    struct ring *r = arg;
    size_t slot = 0;

    for (;;) {
        size_t n = 0;
        enum jtl_err err;
        pthread_mutex_lock(&r->mu);
        while (r->count == OVERLAP_BUFS && !r->stop)
            pthread_cond_wait(&r->cv, &r->mu);
        if (r->stop) {
            pthread_mutex_unlock(&r->mu);
            break;
        }
        pthread_mutex_unlock(&r->mu);
        err = jtl_source_read(r->src, r->buf[slot], block_size, &n, &r->rdiag);
        pthread_mutex_lock(&r->mu);
        if (err || n == 0) {
            r->rerr = err;
            r->eof = true;
            pthread_cond_broadcast(&r->cv);
            pthread_mutex_unlock(&r->mu);
            break;
        }
        r->len[slot] = n;
        r->count++;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
        slot = (slot + 1) % OVERLAP_BUFS;
    }
    return NULL;
}

int jtl_pipe_read_overlap(struct run_state *st, struct jtl_source *src,
                          struct jtl_decoder *dec, struct jtl_file_info *fi,
                          enum jtl_err *errp, enum jtl_err *rerrp,
                          struct jtl_diag *diag)
{
    struct ring r;
    pthread_t th;
    enum jtl_err err = JTL_OK;
    size_t i;

    (void)fi;
    if (thread_count(st) < 2 ||
        (!jtl_source_is_gzip(src) && jtl_source_size(src) >= 0))
        return 1;
    memset(&r, 0, sizeof(r));
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    r.src = src;
    for (i = 0; i < OVERLAP_BUFS; i++)
        r.buf[i] = jtl_xmalloc(block_size);
    if (pthread_create(&th, NULL, reader_main, &r) != 0) {
        for (i = 0; i < OVERLAP_BUFS; i++)
            free(r.buf[i]);
        pthread_cond_destroy(&r.cv);
        pthread_mutex_destroy(&r.mu);
        return 1;
    }
    for (;;) {
        size_t slot, n;
        pthread_mutex_lock(&r.mu);
        while (r.count == 0 && !r.eof)
            pthread_cond_wait(&r.cv, &r.mu);
        if (r.count == 0) {
            pthread_mutex_unlock(&r.mu);
            break;
        }
        slot = r.head;
        n = r.len[slot];
        pthread_mutex_unlock(&r.mu);
        st->bytes += n;
        err = jtl_decoder_feed(dec, r.buf[slot], n, diag);
        pthread_mutex_lock(&r.mu);
        r.head = (r.head + 1) % OVERLAP_BUFS;
        r.count--;
        if (err)
            r.stop = true;
        pthread_cond_broadcast(&r.cv);
        pthread_mutex_unlock(&r.mu);
        if (err)
            break;
    }
    pthread_join(th, NULL);
    *errp = err;
    *rerrp = err ? JTL_OK : r.rerr;
    if (!err && r.rerr && diag)
        *diag = r.rdiag;
    for (i = 0; i < OVERLAP_BUFS; i++)
        free(r.buf[i]);
    pthread_cond_destroy(&r.cv);
    pthread_mutex_destroy(&r.mu);
    return 0;
}
