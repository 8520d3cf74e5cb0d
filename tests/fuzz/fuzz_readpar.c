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

#include "jtl/read/read.h"
#include "jtl/base/xalloc.h"
#include "read/read_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct acc {
    uint64_t n, sum, x;
    int forks;
};

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;

    while (n--) {
        h ^= *s++;
        h *= 1099511628211ull;
    }
    return h;
}

static uint64_t mix_str(uint64_t h, struct jtl_str s)
{
    h = mix(h, &s.len, sizeof(s.len));
    return s.len ? mix(h, s.p, s.len) : h;
}

static int acc_add(const struct jtl_sample *s, void *ctx)
{
    struct acc *a = ctx;
    uint64_t h = 1469598103934665603ull;
    size_t i;

    h = mix(h, &s->present, sizeof(s->present));
    h = mix(h, &s->flags, sizeof(s->flags));
    h = mix(h, &s->timestamp, sizeof(s->timestamp));
    h = mix(h, &s->elapsed, sizeof(s->elapsed));
    h = mix(h, &s->latency, sizeof(s->latency));
    h = mix(h, &s->connect, sizeof(s->connect));
    h = mix(h, &s->bytes, sizeof(s->bytes));
    h = mix(h, &s->success, sizeof(s->success));
    h = mix_str(h, s->label);
    h = mix_str(h, s->code);
    h = mix_str(h, s->message);
    h = mix_str(h, s->thread);
    h = mix_str(h, s->failure_message);
    h = mix_str(h, s->url);
    for (i = 0; i < s->nvars; i++)
        h = mix_str(mix_str(h, s->vars[i].name), s->vars[i].value);
    h = mix(h, &s->line, sizeof(s->line));
    a->n++;
    a->sum += h;
    a->x ^= h * 0x9E3779B97F4A7C15ull;
    return 0;
}

static void *acc_fork(void *ctx)
{
    ((struct acc *)ctx)->forks++;
    return jtl_xcalloc(1, sizeof(struct acc));
}

static void acc_join(void *ctx, void *child)
{
    struct acc *a = ctx, *c = child;

    a->n += c->n;
    a->sum += c->sum;
    a->x ^= c->x;
    free(c);
}

struct outcome {
    struct acc acc;
    struct jtl_run_info info;
    enum jtl_err err;
};

static void run(const char *path, unsigned threads, struct outcome *o)
{
    struct jtl_config cfg;
    struct jtl_sink sink = {0};
    struct jtl_diag diag = {0};
    const char *inputs[1] = {path};

    memset(o, 0, sizeof(*o));
    jtl_config_init(&cfg);
    cfg.inputs = inputs;
    cfg.ninputs = 1;
    cfg.threads = threads;
    cfg.quiet = true;           /* warnings are counted, not printed */
    cfg.max_warnings = 1000000; /* no cap: the counts must agree */
    sink.add = acc_add;
    sink.ctx = &o->acc;
    sink.fork = acc_fork;
    sink.join = acc_join;
    o->err = jtl_pipeline_run(&cfg, &sink, &o->info, &diag);
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
    jtl_pipe_set_block_size(16 + (size_t)data[0] * 4);
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
