/* SPDX-License-Identifier: MIT
 * read_blocks.c - a plain CSV file decoded in blocks by several workers.
 *
 * The main thread reads the file in blocks of block_size bytes and cuts
 * each block just after its last record end (jtl_csv_block_cut); the bytes
 * after the cut start the next block.  Odd quoting or a record longer than
 * a block stops the parallel decoding at the last good cut: the workers
 * finish, their states are joined, and the main decoder reads the rest of
 * the file alone.
 *
 * The first lines go to the main decoder, which learns the delimiter and
 * the columns; workers decode the blocks with clones of it, each block by
 * whichever worker is free (a fixed assignment stalls the reader whenever
 * one worker is descheduled on a busy machine), each into its own sink
 * state from fork(), joined in worker order at the end.  Which worker got
 * which block varies from run to run, so JOIN must not depend on it (the
 * totals are sums, histograms and extremes).  Worker warnings are held and
 * delivered in file order.
 * Memory is the blocks in flight: (2 N + 2) x block_size.
 *
 * The source may be gzip: the main thread then inflates while the workers
 * decode, when there are three threads or more (inflation is about as
 * costly as decoding plus aggregating; with two threads read-ahead is
 * faster, as the cutting scan would slow the inflating thread). */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jtl/base/xalloc.h"
#include "jtl/io/csv_blocks.h"
#include "jtl/io/decode_csv.h"
#include "read_internal.h"

static size_t block_size = 1u << 20;
#define MIN_PARALLEL_SIZE (4 * (int64_t)block_size)

struct block {
    char *buf;
    size_t len;
    uint64_t line; /* physical line of buf[0] */
    uint64_t idx;  /* position in the file, for warnings */
    bool eof;      /* the file ends with this block */
};

struct held_warning {
    uint64_t idx, seq;
    char *where, *msg;
    unsigned once; /* READ_W_* kind: print only the first in the file */
};

struct par;

struct worker {
    struct par *par;
    pthread_t th;
    bool started;
    struct jtl_dcsv *dec;
    struct read_state st;
    struct jtl_run_info info;
    struct jtl_sink sink;
    void *child;
    uint64_t cur_idx;
    struct held_warning *warns;
    size_t nwarns, warn_cap;
    uint64_t nwarn_total, warn_seq;
    struct read_blk blk;   /* the block being decoded */
    struct read_blk *sums; /* blocks decoded, for drain() */
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
    struct block **q; /* blocks waiting for any worker, in file order */
    size_t qhead, qlen;
    bool done; /* no more blocks will come */
    struct worker *w;
    unsigned nw;
    bool abort;
    struct read_state *st;
};

static void worker_warn(const char *where, const char *msg, void *ctx)
{
    struct worker *w = ctx;
    struct held_warning *h;

    w->nwarn_total++;
    if (w->nwarns >= w->st.opts->max_warnings + 1u)
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

void jtl_read_set_block_size(size_t n)
{
    block_size = n ? n : 1u << 20;
}

size_t read_block_size(void)
{
    return block_size;
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
    const struct read_blk *x = a, *y = b;

    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The jump-back check across the boundary before block B (see
 * check_sample() in front.c); *PREV_END: the end of the last sample
 * before B in file order. */
static void judge_blk(struct read_state *st, const struct read_blk *b,
                      int64_t *prev_end)
{
    if (!b->has)
        return;
    read_front_warn_back(st, b->file, b->first_line, *prev_end, b->first_end);
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
    struct read_state *st = par->st;
    struct held_warning *all = NULL;
    struct read_blk *sums = NULL;
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
            read_front_damage(st, damage_where, damage);
            damage = NULL;
        }
        if (k == nall)
            break;
        /* each worker says a once-per-file warning once: keep the first in
         * file order (the main decoder's, if any, came before) */
        if (!(all[k].once & st->warned)) {
            st->warned |= all[k].once;
            read_front_warn(all[k].where, all[k].msg, st);
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
        jtl_dcsv_free(w->dec); /* its filters are the run's (borrowed) */
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
    struct read_state *st = par->st;
    unsigned i;

    for (i = 0; i < par->nw; i++) {
        struct worker *w = &par->w[i];
        struct jtl_decode_opts wo = *opts;
        w->par = par;
        w->st = *st; /* the label filters too: one compiled regex for
                        all threads (jtl_regex_match is thread-safe) */
        memset(&w->info, 0, sizeof(w->info));
        w->info.first_ts = INT64_MAX;
        w->info.last_end = INT64_MIN;
        w->st.info = &w->info;
        w->st.progress = false;
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
        w->dec = jtl_dcsv_clone(main_dec, &wo, read_front_sample, &w->st);
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
        enum jtl_err err =
            jtl_source_read(src, buf + *len, cap - *len, &n, diag);
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

unsigned read_thread_count(const struct jtl_read_opts *opts)
{
    long n = opts->threads;

    if (n == 0)
        n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > 64)
        n = 64;
    return (unsigned)n;
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
                                    bool eof, struct read_state *st,
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

int read_blocks(struct read_state *st, struct jtl_source *src,
                const struct jtl_decode_opts *opts, struct jtl_file_info *fi,
                enum jtl_err *errp, struct jtl_diag *diag)
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
    unsigned nw = read_thread_count(st->opts), nlines = 0, min_threads;
    uint64_t line = 1, idx = 1, total_lines = 0;
    bool eof = false, workers = false, alone = false, damage_shown = false;
    struct jtl_diag rdiag = {0};
    char delim;

    /* gzip too: the main thread inflates and cuts, and decoding is spread
     * over the workers.  With zlib, only from three threads: with two, one
     * thread inflating and one decoding (read_ahead.c) is faster, as the
     * cutting scan would land on the inflating thread, which sets the pace
     * (3 M rows, 2 cores: 0.53 s against 0.61 s; gzread alone 0.52 s).
     * ISA-L inflates about 5x faster and no longer sets the pace: two
     * threads already gain (the same file: 0.44 s against 0.50 s). */
    min_threads =
        jtl_source_is_gzip(src) && jtl_source_inflater(src) != JTL_INFLATER_ISAL
            ? 3
            : 2;
    if (nw < min_threads || !st->sink->fork || !st->sink->join ||
        opts->strict ||
        jtl_source_size(src) < (jtl_source_is_gzip(src) ? MIN_PARALLEL_SIZE / 8
                                                        : MIN_PARALLEL_SIZE))
        return 1;
    if (fmt == JTL_FORMAT_AUTO) {
        if (jtl_source_peek(src, head, sizeof(head), &hn, NULL) != JTL_OK)
            return 1;
        fmt = jtl_detect_format(head, hn);
    }
    if (fmt != JTL_FORMAT_CSV)
        return 1;
    err = jtl_dcsv_new(opts, read_front_sample, st, &main_dec, diag);
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
    while (!err && pos < b->len && !jtl_dcsv_ready(main_dec) && nlines++ < 64) {
        const char *lf = memchr(b->buf + pos, '\n', b->len - pos);
        size_t k;
        if (!lf)
            break;
        k = (size_t)(lf + 1 - (b->buf + pos));
        err = jtl_dcsv_feed(main_dec, b->buf + pos, k, diag);
        line += jtl_csv_line_ends(b->buf + pos, k, false);
        pos += k;
    }
    if (err || eof || !jtl_dcsv_ready(main_dec)) {
        memmove(b->buf, b->buf + pos, b->len - pos);
        b->len -= pos;
        if (!err)
            err =
                sequential_rest(main_dec, src, b, eof, st, &rerr, &rdiag, diag);
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
        struct jtl_csv_cut so;
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
        jtl_csv_block_cut(b->buf, b->len, delim, eof, &so);
        if (!so.broken && eof) {
            /* the last block: everything, the final record included */
            total_lines =
                line - 1 + so.lines +
                jtl_csv_line_ends(b->buf + so.cut, b->len - so.cut, true);
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
                err = sequential_rest(main_dec, src, b, eof, st, &rerr, &rdiag,
                                      diag);
            give_free(&par, b);
            break;
        }
        b->line = line;
        b->idx = idx++;
        b->eof = eof;
        line += so.lines;
        read_front_progress(st, line - 1);
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
            drain(&par, main_dec, rdiag.where[0] ? rdiag.where : opts->name,
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
            read_front_damage(st, rdiag.where[0] ? rdiag.where : opts->name,
                              rdiag.msg);
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
