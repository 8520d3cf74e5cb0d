/* SPDX-License-Identifier: MIT
 * fuzz_readpar.c - the threaded readers against the sequential one on
 * arbitrary bytes: the parallel CSV reader (blocks cut at record ends,
 * decoded by workers, joined in file order) with tiny blocks so that every
 * input crosses many block boundaries, and the read-ahead reader on gzip.
 * Same samples (an order-independent hash over every field and line
 * number), same counts per file, same number of warnings, same error, or
 * abort().
 *
 * Input: byte 0 picks the block size (16..1036 bytes), byte 1 bits 0-1 the
 * threads (2..5), bit 2 gzip; the rest is the file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "jtl/base/xalloc.h"
#include "jtl/read/read.h"
#include "read/read_internal.h"
#include "readcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct outcome {
    struct digest acc;
    struct jtl_run_info info;
    enum jtl_err err;
};

/* Warnings are counted, not kept: with no cap the counts must agree. */
static void run(const char *path, unsigned threads, struct outcome *o)
{
    struct jtl_sink sink;

    memset(o, 0, sizeof(*o));
    digest_sink(&o->acc, &sink);
    o->err = read_one(path, threads, NULL, 1000000, &sink, &o->info, NULL);
}

static void must(bool cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "readpar: threaded reader differs: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    struct outcome seq, par;
    const struct jtl_decode_counts *x, *y;
    unsigned threads;
    bool gz;
    FILE *fp;

    if (size < 3)
        return 0;
    if (!path[0])
        snprintf(path, sizeof(path), "/tmp/jtl-fuzz-readpar-%ld",
                 (long)getpid());
    jtl_read_set_block_size(16 + (size_t)data[0] * 4);
    threads = 2 + (data[1] & 3);
    gz = data[1] & 4;
    data += 2;
    size -= 2;

    fp = fopen(path, "wb");
    if (!fp)
        return 0;
    if (gz) {
        uLongf zn = compressBound((uLong)size) + 32;
        unsigned char *z = jtl_xmalloc(zn);
        z_stream zs;
        memset(&zs, 0, sizeof(zs));
        deflateInit2(&zs, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
        zs.next_in = (unsigned char *)(uintptr_t)data;
        zs.avail_in = (uInt)size;
        zs.next_out = z;
        zs.avail_out = (uInt)zn;
        deflate(&zs, Z_FINISH);
        fwrite(z, 1, zn - zs.avail_out, fp);
        deflateEnd(&zs);
        free(z);
    } else {
        fwrite(data, 1, size, fp);
    }
    fclose(fp);

    run(path, 1, &seq);
    run(path, threads, &par);
    x = &seq.info.files[0].counts;
    y = &par.info.files[0].counts;
    must(seq.err == par.err, "error");
    must(seq.acc.n == par.acc.n && seq.acc.sum == par.acc.sum &&
             seq.acc.x == par.acc.x,
         "samples");
    must(seq.info.samples == par.info.samples &&
             seq.info.skipped == par.info.skipped &&
             seq.info.first_ts == par.info.first_ts &&
             seq.info.last_end == par.info.last_end &&
             seq.info.any_damage == par.info.any_damage,
         "run counts");
    must(x->records == y->records && x->samples == y->samples &&
             x->skipped == y->skipped && x->lines == y->lines &&
             x->truncated == y->truncated && x->had_header == y->had_header,
         "file counts");
    must(seq.info.files[0].failed == par.info.files[0].failed &&
             seq.info.files[0].damaged == par.info.files[0].damaged,
         "file state");
    must(seq.info.warnings == par.info.warnings, "number of warnings");
    jtl_run_info_release(&seq.info);
    jtl_run_info_release(&par.info);
    return 0;
}
