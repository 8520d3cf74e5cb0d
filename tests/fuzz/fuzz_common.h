/* SPDX-License-Identifier: MIT
 * fuzz_common.h - feed fuzz input to a decoder in chunk sizes chosen by the
 * input itself, so one target also fuzzes the chunk boundaries. */
#ifndef JTL_FUZZ_COMMON_H
#define JTL_FUZZ_COMMON_H
#include <stddef.h>
#include <stdint.h>

#include "jtl/decoder.h"

static int fuzz_sink(const struct jtl_sample *s, void *ctx)
{
    size_t *acc = ctx;

    /* Touch every string so ASan sees any read past a borrowed field. */
    *acc += s->label.len + s->code.len + s->message.len + s->thread.len;
    if (s->label.len)
        *acc += (unsigned char)s->label.p[s->label.len - 1];
    if (s->response_headers.len)
        *acc += (unsigned char)s->response_headers.p[0];
    for (size_t i = 0; i < s->nvars; i++)
        *acc += s->vars[i].name.len + s->vars[i].value.len;
    return 0;
}

static void fuzz_decode(const uint8_t *data, size_t size,
                        enum jtl_format format)
{
    struct jtl_decode_opts opts = {0};
    struct jtl_decoder *dec = NULL;
    struct jtl_diag diag;
    size_t acc = 0, pos = 0, chunk;

    if (size == 0)
        return;
    /* First byte picks the chunk size: 1..256 bytes or everything. */
    chunk = data[0] == 0 ? size : (size_t)data[0];
    data++;
    size--;
    opts.format = format;
    opts.name = "fuzz";
    if (jtl_decoder_new(&opts, fuzz_sink, &acc, &dec, &diag) != JTL_OK)
        return;
    while (pos < size) {
        size_t n = size - pos < chunk ? size - pos : chunk;
        if (jtl_decoder_feed(dec, data + pos, n, &diag) != JTL_OK)
            break;
        pos += n;
    }
    if (pos >= size)
        jtl_decoder_finish(dec, &diag);
    jtl_decoder_free(dec);
}
#endif /* JTL_FUZZ_COMMON_H */
