/* SPDX-License-Identifier: MIT
 * fuzz_xmlchunk.c - the XML decoder must give the same result whatever the
 * chunk sizes (decoder.h: "every decoder is tested split at every chunk
 * size"): the samples (every field, line, depth), the counts and the error
 * of one feed of everything, of chunks of the size byte 0 picks and of
 * 1-byte chunks of the first 64 bytes, or abort().  Warnings are compared
 * by count only: libxml2's push parser may word a recovery differently
 * when an error straddles a chunk boundary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/decoder.h"
#include "jtl/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct trace {
    char *p;
    size_t len, cap;
    unsigned long warnings;
};

static void put(struct trace *t, const void *p, size_t n)
{
    if (t->len + n > t->cap) {
        t->cap = (t->len + n) * 2 + 256;
        t->p = jtl_xrealloc(t->p, t->cap);
    }
    if (n)
        memcpy(t->p + t->len, p, n);
    t->len += n;
}

static void put_str(struct trace *t, struct jtl_str s)
{
    put(t, &s.len, sizeof(s.len));
    put(t, s.p, s.len);
}

static int keep(const struct jtl_sample *s, void *ctx)
{
    struct trace *t = ctx;
    size_t i;

    put(t, &s->present, sizeof(s->present));
    put(t, &s->flags, sizeof(s->flags));
    put(t, &s->depth, sizeof(s->depth));
    put(t, &s->timestamp, sizeof(s->timestamp));
    put(t, &s->elapsed, sizeof(s->elapsed));
    put(t, &s->latency, sizeof(s->latency));
    put(t, &s->connect, sizeof(s->connect));
    put(t, &s->bytes, sizeof(s->bytes));
    put(t, &s->success, sizeof(s->success));
    put_str(t, s->label);
    put_str(t, s->code);
    put_str(t, s->message);
    put_str(t, s->thread);
    put_str(t, s->failure_message);
    put_str(t, s->url);
    put_str(t, s->response_headers);
    for (i = 0; i < s->nvars; i++) {
        put_str(t, s->vars[i].name);
        put_str(t, s->vars[i].value);
    }
    put(t, &s->line, sizeof(s->line));
    return 0;
}

static void warned(const char *where, const char *msg, void *ctx)
{
    (void)where;
    (void)msg;
    ((struct trace *)ctx)->warnings++;
}

static void decode(const uint8_t *p, size_t n, size_t chunk, size_t small,
                   struct trace *t)
{
    struct jtl_decode_opts opts = {0};
    struct jtl_decode_counts c;
    struct jtl_decoder *dec = NULL;
    struct jtl_diag diag = {0};
    enum jtl_err err = JTL_OK;
    size_t pos = 0;

    opts.format = JTL_FORMAT_XML;
    opts.name = "fuzz";
    opts.warn = warned;
    opts.warn_ctx = t;
    jtl_decoder_new(&opts, keep, t, &dec, &diag);
    while (pos < n && !err) {
        size_t k = pos < small ? 1 : chunk;
        if (k > n - pos)
            k = n - pos;
        err = jtl_decoder_feed(dec, p + pos, k, &diag);
        pos += k;
    }
    if (!err)
        err = jtl_decoder_finish(dec, &diag);
    jtl_decoder_counts(dec, &c);
    put(t, &err, sizeof(err));
    put(t, &c.records, sizeof(c.records));
    put(t, &c.samples, sizeof(c.samples));
    put(t, &c.skipped, sizeof(c.skipped));
    put(t, &c.lines, sizeof(c.lines));
    put(t, &c.truncated, sizeof(c.truncated));
    jtl_decoder_free(dec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct trace a = {0}, b = {0};
    size_t chunk;

    if (size < 2)
        return 0;
    chunk = data[0] ? data[0] : 1;
    data++;
    size--;
    decode(data, size, size ? size : 1, 0, &a);
    decode(data, size, chunk, data[0] & 1 ? 64 : 0, &b);
    if (a.len != b.len || memcmp(a.p, b.p, a.len) != 0) {
        fprintf(stderr,
                "xmlchunk: chunks of %zu give another result than "
                "one feed (trace %zu vs %zu bytes)\n",
                chunk, b.len, a.len);
        abort();
    }
    free(a.p);
    free(b.p);
    return 0;
}
