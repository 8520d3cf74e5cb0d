/* SPDX-License-Identifier: MIT
 * fuzz_common.h - feed fuzz input to a decoder in chunk sizes chosen by the
 * input itself, so one target also fuzzes the chunk boundaries, and check
 * the decoder contract on the way:
 *   - every string of a sample is readable (ASan sees a read past a
 *     borrowed field) and non-NULL when not empty;
 *   - the samples the callback saw are the samples the counts report;
 *   - CSV: every data record is either a sample or a skipped record;
 *   - an error comes with a message. */
#ifndef JTL_FUZZ_COMMON_H
#define JTL_FUZZ_COMMON_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/io/decoder.h"

struct fuzz_acc {
    size_t sum;
    uint64_t samples;
};

static inline void fuzz_must(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "fuzz: decoder contract broken: %s\n", what);
        abort();
    }
}

static inline size_t fuzz_touch(struct jtl_str s)
{
    fuzz_must(s.len == 0 || s.p != NULL, "a non-empty string without bytes");
    /* Touch the last byte so ASan sees any read past a borrowed field. */
    return s.len ? s.len + (unsigned char)s.p[s.len - 1] : 0;
}

static inline int fuzz_sink(const struct jtl_sample *s, void *ctx)
{
    struct fuzz_acc *acc = ctx;

    acc->samples++;
    acc->sum += fuzz_touch(s->label) + fuzz_touch(s->code) +
                fuzz_touch(s->message) + fuzz_touch(s->thread) +
                fuzz_touch(s->data_type) + fuzz_touch(s->failure_message) +
                fuzz_touch(s->url) + fuzz_touch(s->filename) +
                fuzz_touch(s->encoding) + fuzz_touch(s->hostname) +
                fuzz_touch(s->response_headers);
    fuzz_must(s->nvars == 0 || s->vars != NULL, "variables without array");
    for (size_t i = 0; i < s->nvars; i++)
        acc->sum += fuzz_touch(s->vars[i].name) + fuzz_touch(s->vars[i].value);
    fuzz_must(s->file != NULL, "a sample without a file name");
    return 0;
}

static inline void fuzz_decode_opts(const uint8_t *data, size_t size,
                                    struct jtl_decode_opts opts)
{
    struct jtl_decoder *dec = NULL;
    struct jtl_decode_counts c;
    struct jtl_diag diag = {0};
    struct fuzz_acc acc = {0, 0};
    enum jtl_err err = JTL_OK;
    size_t pos = 0, chunk;

    if (size == 0)
        return;
    /* First byte picks the chunk size: 1..255 bytes or everything. */
    chunk = data[0] == 0 ? size : (size_t)data[0];
    data++;
    size--;
    opts.name = "fuzz";
    if (jtl_decoder_new(&opts, fuzz_sink, &acc, &dec, &diag) != JTL_OK)
        return;
    while (pos < size && !err) {
        size_t n = size - pos < chunk ? size - pos : chunk;
        err = jtl_decoder_feed(dec, data + pos, n, &diag);
        pos += n;
    }
    if (!err)
        err = jtl_decoder_finish(dec, &diag);
    if (err)
        fuzz_must(diag.msg[0] != '\0', "an error without a message");
    jtl_decoder_counts(dec, &c);
    fuzz_must(c.samples == acc.samples, "counts.samples differs from the "
                                        "samples delivered");
    if (c.format == JTL_FORMAT_CSV)
        fuzz_must(c.records == c.samples + c.skipped,
                  "a CSV record neither delivered nor skipped");
    jtl_decoder_free(dec);
}

static inline void fuzz_decode(const uint8_t *data, size_t size,
                               enum jtl_format format)
{
    struct jtl_decode_opts opts = {0};

    opts.format = format;
    fuzz_decode_opts(data, size, opts);
}
#endif /* JTL_FUZZ_COMMON_H */
