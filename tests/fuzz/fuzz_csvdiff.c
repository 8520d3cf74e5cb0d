/* SPDX-License-Identifier: MIT
 * fuzz_csvdiff.c - the CSV fast path against libcsv on arbitrary bytes: the
 * same records (fields, field counts, line numbers, flags) or the same error,
 * at the record layer (jtl_csvsplit: libcsv only, fast path with the SSE2
 * line scan, fast path with the byte loop) and at the sample layer (the CSV
 * decoder with and without the fast path: same samples, same warnings, same
 * counts, same error).  libcsv fed everything at once is the reference; the
 * other side is fed in chunks chosen by the input, so chunk boundaries are
 * fuzzed too.  A difference abort()s, which libFuzzer reports as a crash.
 *
 * Input: byte 0 picks the chunk size (0 = all at once), byte 1 the
 * delimiter for the record layer (, ; TAB |), the rest is the CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/decode_csv_priv.h"
#include "io/decode_csv_split.h"
#include "io/decode_internal.h"
#include "jtl/base/xalloc.h"
#include "samples.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Everything one side produced, serialized (samples.h), so two sides
 * compare with memcmp and a difference can be located. */
static void differ(const char *what, const struct trace *a,
                   const struct trace *b)
{
    trace_differ("csvdiff", what, a, b);
}

/* ------------------------------------------------------------------ */
/* record layer */

static enum jtl_err keep_rec(void *ctx, const struct jtl_csvrec *rec,
                             struct jtl_diag *diag)
{
    struct trace *t = ctx;
    unsigned flags = rec->flags & ~(unsigned)JTL_CSVREC_FAST;
    size_t i;

    (void)diag;
    trace_put(t, &rec->nfields, sizeof(rec->nfields));
    trace_put(t, &rec->nstored, sizeof(rec->nstored));
    trace_put(t, &rec->line, sizeof(rec->line));
    trace_put(t, &flags, sizeof(flags));
    for (i = 0; i < rec->nstored; i++)
        trace_str(t, rec->fields[i]);
    return JTL_OK;
}

/* MODE 0: libcsv only; 1: fast path, SSE2 scan; 2: fast path, byte loop. */
static void split_all(const uint8_t *p, size_t n, char delim, int mode,
                      size_t chunk, struct trace *t)
{
    struct jtl_csvsplit sp;
    struct jtl_diag diag;
    enum jtl_err err = JTL_OK;
    size_t pos = 0;
    uint64_t lines;

    jtl_csvsplit_init(&sp, delim, mode != 0, "fuzz", keep_rec, t);
    sp.simd = mode == 1;
    if (!chunk)
        chunk = n ? n : 1;
    while (pos < n && !err) {
        size_t k = n - pos < chunk ? n - pos : chunk;
        err = jtl_csvsplit_feed(&sp, (const char *)p + pos, k, &diag);
        pos += k;
    }
    if (!err)
        err = jtl_csvsplit_finish(&sp, &diag);
    lines = jtl_csvsplit_lines(&sp);
    trace_put(t, &lines, sizeof(lines));
    trace_put(t, &err, sizeof(err));
    jtl_csvsplit_release(&sp);
}

/* ------------------------------------------------------------------ */
/* sample layer */

static void on_warn(const char *where, const char *msg, void *ctx)
{
    struct trace *t = ctx;

    trace_cstr(t, "W");
    trace_cstr(t, where);
    trace_cstr(t, msg);
}

static int keep_sample(const struct jtl_sample *s, void *ctx)
{
    struct trace *t = ctx;

    trace_cstr(t, "S");
    trace_sample(t, s, SAMPLE_LINE | SAMPLE_SEQ);
    return 0;
}

static void decode_all(const uint8_t *p, size_t n, bool fast, size_t chunk,
                       struct trace *t)
{
    struct jtl_decode_opts opts = {0};
    struct jtl_decode_counts c;
    struct jtl_dcsv *d = NULL;
    struct jtl_diag diag = {0};
    enum jtl_err err;
    size_t pos = 0;

    opts.format = JTL_FORMAT_CSV;
    opts.name = "fuzz";
    opts.warn = on_warn;
    opts.warn_ctx = t;
    err = jtl_dcsv_new(&opts, keep_sample, t, &d, &diag);
    if (err)
        abort(); /* no option given: cannot fail */
    jtl_dcsv_set_fast(d, fast);
    if (!chunk)
        chunk = n ? n : 1;
    while (pos < n && !err) {
        size_t k = n - pos < chunk ? n - pos : chunk;
        err = jtl_dcsv_feed(d, (const char *)p + pos, k, &diag);
        pos += k;
    }
    if (!err)
        err = jtl_dcsv_finish(d, &diag);
    trace_put(t, &err, sizeof(err));
    if (err) {
        trace_cstr(t, diag.where);
        trace_cstr(t, diag.msg);
    }
    jtl_dcsv_counts(d, &c);
    trace_put(t, &c.records, sizeof(c.records));
    trace_put(t, &c.samples, sizeof(c.samples));
    trace_put(t, &c.skipped, sizeof(c.skipped));
    trace_put(t, &c.lines, sizeof(c.lines));
    trace_put(t, &c.truncated, sizeof(c.truncated));
    trace_put(t, &c.had_header, sizeof(c.had_header));
    trace_put(t, &c.delimiter, sizeof(c.delimiter));
    jtl_dcsv_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {',', ';', '\t', '|'};
    struct trace ref = {0}, alt = {0};
    size_t chunk;
    char delim;
    int mode;

    if (size < 2)
        return 0;
    chunk = data[0];
    delim = delims[data[1] & 3];
    data += 2;
    size -= 2;

    split_all(data, size, delim, 0, 0, &ref);
    for (mode = 0; mode < 3; mode++) {
        if (mode == 0 && chunk == 0)
            continue;
        alt.len = 0;
        split_all(data, size, delim, mode, chunk, &alt);
        if (alt.len != ref.len || memcmp(alt.p, ref.p, ref.len))
            differ(mode == 0   ? "chunked libcsv records"
                   : mode == 1 ? "fast path (SSE2) records"
                               : "fast path (byte loop) records",
                   &alt, &ref);
    }

    ref.len = 0;
    alt.len = 0;
    decode_all(data, size, false, 0, &ref);
    decode_all(data, size, true, chunk, &alt);
    if (alt.len != ref.len || memcmp(alt.p, ref.p, ref.len))
        differ("decoder with the fast path", &alt, &ref);
    free(ref.p);
    free(alt.p);
    return 0;
}
