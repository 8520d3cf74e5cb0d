/* SPDX-License-Identifier: MIT
 * decode.c - format detection and dispatch to the CSV or XML decoder.
 *
 * With JTL_FORMAT_AUTO the first bytes are held back until the first
 * significant byte is seen (a UTF-8 BOM and leading blank space can arrive in
 * any chunk split), then the chosen decoder gets everything from the start. */
#include "jtl/io/decoder.h"

#include <stdlib.h>
#include <string.h>

#include "decode_internal.h"
#include "jtl/base/xalloc.h"

#define HOLD_MAX 4096

struct jtl_decoder {
    struct jtl_decode_opts opts;
    jtl_sample_fn fn;
    void *ctx;
    enum jtl_format format; /* AUTO until decided */
    struct jtl_dcsv *csv;
    struct jtl_dxml *xml;
    char hold[HOLD_MAX];
    size_t hold_len;
    uint64_t fed;
};

enum jtl_format jtl_detect_format(const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t i = 0;

    /* A BOM split across chunks: wait for all its bytes. */
    if ((n == 1 && (s[0] == 0xEF || s[0] == 0xFF || s[0] == 0xFE)) ||
        (n == 2 && s[0] == 0xEF && s[1] == 0xBB))
        return JTL_FORMAT_AUTO;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        i = 3;
    /* UTF-16 with a BOM: libxml2 reads it (the BOM tells it the
     * encoding); a UTF-16 CSV is refused by the CSV decoder with a hint. */
    if (n >= 2 &&
        ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        size_t lo = s[0] == 0xFF ? 0 : 1;
        for (i = 2; i + 1 < n; i += 2) {
            unsigned c = s[i + lo], z = s[i + 1 - lo];
            if (z || (c != ' ' && c != '\t' && c != '\r' && c != '\n'))
                return z == 0 && c == '<' ? JTL_FORMAT_XML : JTL_FORMAT_CSV;
        }
        return JTL_FORMAT_AUTO;
    }
    while (i < n &&
           (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    if (i == n)
        return JTL_FORMAT_AUTO;
    return s[i] == '<' ? JTL_FORMAT_XML : JTL_FORMAT_CSV;
}

enum jtl_err jtl_decoder_new(const struct jtl_decode_opts *opts,
                             jtl_sample_fn fn, void *ctx,
                             struct jtl_decoder **out, struct jtl_diag *diag)
{
    struct jtl_decoder *dec = jtl_xcalloc(1, sizeof(*dec));

    (void)diag;
    dec->opts = *opts;
    if (!dec->opts.name)
        dec->opts.name = "<input>";
    dec->fn = fn;
    dec->ctx = ctx;
    dec->format = opts->format;
    *out = dec;
    return JTL_OK;
}

static enum jtl_err start(struct jtl_decoder *dec, enum jtl_format f,
                          struct jtl_diag *diag)
{
    dec->format = f;
    dec->opts.format = f;
    if (f == JTL_FORMAT_XML)
        return jtl_dxml_new(&dec->opts, dec->fn, dec->ctx, &dec->xml, diag);
    return jtl_dcsv_new(&dec->opts, dec->fn, dec->ctx, &dec->csv, diag);
}

static enum jtl_err forward(struct jtl_decoder *dec, const char *p, size_t n,
                            struct jtl_diag *diag)
{
    if (dec->xml)
        return jtl_dxml_feed(dec->xml, p, n, diag);
    return jtl_dcsv_feed(dec->csv, p, n, diag);
}

enum jtl_err jtl_decoder_feed(struct jtl_decoder *dec, const void *p, size_t n,
                              struct jtl_diag *diag)
{
    enum jtl_err err;
    enum jtl_format f;

    if (dec->fed == 0 && n >= JTL_STATE_MAGIC_LEN &&
        memcmp(p, JTL_STATE_MAGIC, JTL_STATE_MAGIC_LEN) == 0)
        return jtl_diag_set(diag, JTL_ERR_FORMAT, dec->opts.name,
                            "a jtlscope state (made by summarize), not a JTL "
                            "file: states are read from files given by name, "
                            "not from stdin or a pipe");
    dec->fed += n;
    if (dec->csv || dec->xml)
        return forward(dec, p, n, diag);
    if (dec->format != JTL_FORMAT_AUTO) {
        err = start(dec, dec->format, diag);
        return err ? err : forward(dec, p, n, diag);
    }
    /* Still undecided: look at what is held plus this chunk. */
    if (dec->hold_len + n <= HOLD_MAX) {
        memcpy(dec->hold + dec->hold_len, p, n);
        dec->hold_len += n;
        f = jtl_detect_format(dec->hold, dec->hold_len);
        if (f == JTL_FORMAT_AUTO)
            return JTL_OK;
        err = start(dec, f, diag);
        return err ? err : forward(dec, dec->hold, dec->hold_len, diag);
    }
    {
        /* Held bytes are only BOM/blank; decide from the new chunk. */
        f = jtl_detect_format(p, n);
        if (f == JTL_FORMAT_AUTO)
            f = JTL_FORMAT_CSV;
        err = start(dec, f, diag);
        if (!err && dec->hold_len)
            err = forward(dec, dec->hold, dec->hold_len, diag);
        return err ? err : forward(dec, p, n, diag);
    }
}

enum jtl_err jtl_decoder_finish(struct jtl_decoder *dec, struct jtl_diag *diag)
{
    if (!dec->csv && !dec->xml) {
        if (dec->fed == 0)
            return jtl_diag_set(diag, JTL_ERR_EMPTY, dec->opts.name,
                                "file is empty");
        return jtl_diag_set(diag, JTL_ERR_EMPTY, dec->opts.name,
                            "file holds only blank space");
    }
    if (dec->xml)
        return jtl_dxml_finish(dec->xml, diag);
    return jtl_dcsv_finish(dec->csv, diag);
}

void jtl_decoder_counts(const struct jtl_decoder *dec,
                        struct jtl_decode_counts *out)
{
    memset(out, 0, sizeof(*out));
    if (dec->xml)
        jtl_dxml_counts(dec->xml, out);
    else if (dec->csv)
        jtl_dcsv_counts(dec->csv, out);
    out->format = dec->format;
}

void jtl_decoder_free(struct jtl_decoder *dec)
{
    if (!dec)
        return;
    jtl_dcsv_free(dec->csv);
    jtl_dxml_free(dec->xml);
    free(dec);
}
