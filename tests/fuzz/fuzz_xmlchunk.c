/* SPDX-License-Identifier: MIT
 * fuzz_xmlchunk.c - the XML decoder must deliver the same samples whatever
 * the chunk sizes (decoder.h: "every decoder is tested split at every chunk
 * size"): every field, line and depth of the samples, and the error, of
 * one feed of everything against chunks of the size byte 0 picks (and
 * 1-byte chunks over the first 64 bytes when byte 1 is odd), or abort().
 * Only inputs that libxml2 parses without error are compared (a file cut
 * anywhere still is): on malformed XML libxml2's push parser notices an
 * error at a different place, or recovers differently, depending on where
 * a chunk ends (a start tag broken by NUL bytes), which is libxml2's
 * business; what this checks is the decoder's own holding back of bytes
 * (BOM, prologues, split tags and attributes, captured texts). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/io/decoder.h"
#include "jtl/base/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct trace {
    char *p;
    size_t len, cap;
    unsigned long warnings;
    bool malformed; /* libxml2 reported an error */
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
    struct trace *t = ctx;

    (void)where;
    t->warnings++;
    if (strncmp(msg, "malformed XML", 13) == 0 ||
        strncmp(msg, "cannot recover", 14) == 0)
        t->malformed = true;
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
    if (!a.malformed)
        decode(data, size, chunk, data[0] & 1 ? 64 : 0, &b);
    if (!a.malformed && (a.len != b.len || memcmp(a.p, b.p, a.len) != 0)) {
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
