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
 * (BOM, prologues, split tags and attributes, captured texts).  libxml2's
 * error also counts when it ends the input before any <testResults>: the
 * decoder then quotes it in parentheses after "no <testResults> element"
 * (an encoding conversion that fails inside the first chunk refuses the
 * file, the same bytes after a chunk end that held the root only warn:
 * fuzz crash-8f9199a4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/xalloc.h"
#include "jtl/io/decoder.h"
#include "samples.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct side {
    struct trace t; /* samples.h */
    unsigned long warnings;
    bool malformed; /* libxml2 reported an error */
};

static int keep(const struct jtl_sample *s, void *ctx)
{
    struct side *d = ctx;

    trace_sample(&d->t, s, SAMPLE_LINE);
    return 0;
}

static void warned(const char *where, const char *msg, void *ctx)
{
    struct side *t = ctx;

    (void)where;
    t->warnings++;
    if (strncmp(msg, "malformed XML", 13) == 0 ||
        strncmp(msg, "cannot recover", 14) == 0)
        t->malformed = true;
}

static void decode(const uint8_t *p, size_t n, size_t chunk, size_t small,
                   struct side *t)
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
    if (err == JTL_ERR_FORMAT &&
        strstr(diag.msg, "no <testResults> element (") != NULL)
        t->malformed = true;
    jtl_decoder_counts(dec, &c);
    trace_put(&t->t, &err, sizeof(err));
    trace_put(&t->t, &c.records, sizeof(c.records));
    trace_put(&t->t, &c.samples, sizeof(c.samples));
    jtl_decoder_free(dec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct side a = {0}, b = {0};
    size_t chunk;

    if (size < 2)
        return 0;
    chunk = data[0] ? data[0] : 1;
    data++;
    size--;
    decode(data, size, size ? size : 1, 0, &a);
    if (!a.malformed)
        decode(data, size, chunk, data[0] & 1 ? 64 : 0, &b);
    if (!a.malformed &&
        (a.t.len != b.t.len || memcmp(a.t.p, b.t.p, a.t.len) != 0)) {
        fprintf(stderr,
                "xmlchunk: chunks of %zu give another result than "
                "one feed\n",
                chunk);
        trace_differ("xmlchunk", "one feed and chunks", &a.t, &b.t);
    }
    free(a.t.p);
    free(b.t.p);
    return 0;
}
