/* SPDX-License-Identifier: MIT
 * sourcecheck.h - what the byte source's fuzzers share: a whole read of a
 * file with a given inflater, peek size and read cap (bytes, error,
 * message), and a gzip member made with zlib.
 * Header-only (static functions): each fuzzer is one executable. */
#ifndef JTL_TEST_SOURCECHECK_H
#define JTL_TEST_SOURCECHECK_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "jtl/base/xalloc.h"
#include "jtl/io/source.h"

struct got {
    unsigned char *p;
    size_t len, cap;
    enum jtl_err err;
    char msg[256];
};

static void drain(const char *path, enum jtl_inflater engine, size_t peek,
                  size_t cap, struct got *g)
{
    struct jtl_source *src = NULL;
    struct jtl_diag diag = {0};
    unsigned char *buf = jtl_xmalloc(cap > peek ? cap : peek ? peek : 1);
    size_t n = 0, rounds = 0;

    memset(g, 0, sizeof(*g));
    if (!jtl_source_use_inflater(engine))
        abort(); /* the caller asked for one that is not built in */
    g->err = jtl_source_open(path, &src, &diag);
    jtl_source_use_inflater(JTL_INFLATER_AUTO);
    if (g->err) {
        snprintf(g->msg, sizeof(g->msg), "%s", diag.msg);
        free(buf);
        return;
    }
    if (peek)
        jtl_source_peek(src, buf, peek, &n, NULL);
    for (;;) {
        g->err = jtl_source_read(src, buf, cap, &n, &diag);
        if (g->err) {
            snprintf(g->msg, sizeof(g->msg), "%s", diag.msg);
            break;
        }
        if (n == 0)
            break;
        if (n > cap)
            abort(); /* more than asked */
        if (g->len + n > g->cap) {
            g->cap = (g->len + n) * 2;
            g->p = jtl_xrealloc(g->p, g->cap);
        }
        memcpy(g->p + g->len, buf, n);
        g->len += n;
        if (++rounds > (1u << 24))
            abort(); /* no end in sight */
    }
    jtl_source_close(src);
    free(buf);
}

static size_t gzip_member(const uint8_t *p, size_t n, unsigned char *out,
                          size_t cap)
{
    z_stream zs;
    size_t k;

    memset(&zs, 0, sizeof(zs));
    deflateInit2(&zs, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    zs.next_in = (unsigned char *)(uintptr_t)p;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    deflate(&zs, Z_FINISH);
    k = cap - zs.avail_out;
    deflateEnd(&zs);
    return k;
}

#endif /* JTL_TEST_SOURCECHECK_H */
