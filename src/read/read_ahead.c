/* SPDX-License-Identifier: MIT
 * read_ahead.c - for pipes, and gzip read into a sink without fork/join,
 * one thread reads (inflates) into a ring of buffers while the caller's
 * thread decodes, so the slower of the two sets the pace instead of their
 * sum. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/xalloc.h"
#include "read_internal.h"

#define OVERLAP_BUFS 4

struct ring {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *buf[OVERLAP_BUFS];
    size_t len[OVERLAP_BUFS];
    size_t head, count; /* filled buffers waiting */
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
        err = jtl_source_read(r->src, r->buf[slot], read_block_size(), &n,
                              &r->rdiag);
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

int read_ahead(struct read_state *st, struct jtl_source *src,
               struct jtl_decoder *dec, enum jtl_err *errp, enum jtl_err *rerrp,
               struct jtl_diag *diag)
{
    struct ring r;
    pthread_t th;
    enum jtl_err err = JTL_OK;
    size_t i;

    if (read_thread_count(st->opts) < 2 ||
        (!jtl_source_is_gzip(src) && jtl_source_size(src) >= 0))
        return 1;
    memset(&r, 0, sizeof(r));
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    r.src = src;
    for (i = 0; i < OVERLAP_BUFS; i++)
        r.buf[i] = jtl_xmalloc(read_block_size());
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
