/* SPDX-License-Identifier: MIT
 * readcheck.h - what the tests and the fuzzers of the reader share: a sink
 * whose result does not depend on how samples were split between threads
 * (a count, a sum and a xor of per-sample hashes over every field), and a
 * read of one file with the warnings captured as the CLI would print them.
 * Header-only (static functions): each test is one executable. */
#ifndef JTL_TEST_READCHECK_H
#define JTL_TEST_READCHECK_H
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/xalloc.h"
#include "jtl/read/read.h"
#include "samples.h"

struct digest {
    uint64_t n, sum, x;
    int forks, joins;
};

/* The content, the line and the file of each sample (not seq: a
 * decoding thread counts its own). */
static inline int digest_add(const struct jtl_sample *s, void *ctx)
{
    struct digest *d = ctx;
    uint64_t h = sample_hash(SAMPLE_HASH_INIT, s, SAMPLE_LINE | SAMPLE_SOURCE);

    d->n++;
    d->sum += h;
    d->x ^= h * 0x9E3779B97F4A7C15ull;
    return 0;
}

static inline void *digest_fork(void *ctx)
{
    ((struct digest *)ctx)->forks++;
    return jtl_xcalloc(1, sizeof(struct digest));
}

static inline void digest_join(void *ctx, void *child)
{
    struct digest *d = ctx, *c = child;

    d->n += c->n;
    d->sum += c->sum;
    d->x ^= c->x;
    d->joins++;
    free(c);
}

static inline void digest_sink(struct digest *d, struct jtl_sink *sink)
{
    memset(d, 0, sizeof(*d));
    memset(sink, 0, sizeof(*sink));
    sink->add = digest_add;
    sink->ctx = d;
    sink->fork = digest_fork;
    sink->join = digest_join;
}

/* The reader's messages, one per line as `jtlscope WHERE: MSG`. */
struct capture {
    char text[8192];
    size_t len;
};

static inline void capture_note(enum jtl_read_note kind, const char *where,
                                const char *msg, void *ctx)
{
    struct capture *c = ctx;
    int n;

    (void)kind;
    if (c->len >= sizeof(c->text) - 1)
        return;
    if (where && where[0])
        n = snprintf(c->text + c->len, sizeof(c->text) - c->len,
                     "jtlscope: %s: %s\n", where, msg);
    else
        n = snprintf(c->text + c->len, sizeof(c->text) - c->len,
                     "jtlscope: %s\n", msg);
    if (n > 0)
        c->len += (size_t)n < sizeof(c->text) - c->len
                      ? (size_t)n
                      : sizeof(c->text) - c->len - 1;
}

/* Read PATH with THREADS into SINK; the messages into CAP (may be NULL:
 * none kept), at most MAX_WARNINGS warnings delivered; COLUMNS as
 * --columns (may be NULL). */
static inline enum jtl_err read_one(const char *path, unsigned threads,
                                    const char *columns, unsigned max_warnings,
                                    const struct jtl_sink *sink,
                                    struct jtl_run_info *info,
                                    struct capture *cap)
{
    struct jtl_read_opts opts;
    struct jtl_diag diag = {0};
    const char *inputs[1];

    inputs[0] = path;
    jtl_read_opts_init(&opts);
    opts.inputs = inputs;
    opts.ninputs = 1;
    opts.threads = threads;
    opts.max_warnings = max_warnings;
    opts.decode.columns = columns;
    if (cap) {
        memset(cap, 0, sizeof(*cap));
        opts.note = capture_note;
        opts.cb_ctx = cap;
    }
    return jtl_read_run(&opts, sink, info, &diag);
}

#endif /* JTL_TEST_READCHECK_H */
