/* SPDX-License-Identifier: MIT
 * decode_bench.c - the decoder alone through jtl_read_run(), with a
 * small sink that does what a statistics pass must at least do per sample:
 * intern the label and count, sum and bound the elapsed time per label.
 * Offers fork/join, so --threads N exercises the parallel reader.
 * Prints "samples=N labels=L skipped=S" and a checksum of the sums, so runs
 * with different thread counts can be compared for identical results.
 *
 * Usage: decode_bench [--threads N] FILE... */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/strtab.h"
#include "jtl/base/xalloc.h"
#include "jtl/read/read.h"

struct acc {
    struct jtl_strtab labels;
    uint64_t *count;
    int64_t *sum, *max;
    size_t cap;
    uint64_t n, lines;
};

static struct acc *acc_new(void)
{
    struct acc *a = jtl_xcalloc(1, sizeof(*a));
    jtl_strtab_init(&a->labels);
    return a;
}

static void acc_free(struct acc *a)
{
    jtl_strtab_release(&a->labels);
    free(a->count);
    free(a->sum);
    free(a->max);
    free(a);
}

static void grow(struct acc *a, size_t need)
{
    size_t old = a->cap, cap = old;
    if (need <= old)
        return;
    jtl_xgrow((void **)&a->count, &cap, need, sizeof(*a->count));
    cap = old;
    jtl_xgrow((void **)&a->sum, &cap, need, sizeof(*a->sum));
    cap = old;
    jtl_xgrow((void **)&a->max, &cap, need, sizeof(*a->max));
    memset(a->count + old, 0, (cap - old) * sizeof(*a->count));
    memset(a->sum + old, 0, (cap - old) * sizeof(*a->sum));
    memset(a->max + old, 0, (cap - old) * sizeof(*a->max));
    a->cap = cap;
}

static int add(const struct jtl_sample *s, void *ctx)
{
    struct acc *a = ctx;
    uint32_t id = jtl_strtab_intern(&a->labels, s->label.p, s->label.len);

    grow(a, (size_t)id + 1);
    a->count[id]++;
    a->sum[id] += s->elapsed;
    if (s->elapsed > a->max[id])
        a->max[id] = s->elapsed;
    a->n++;
    a->lines += s->line; /* checks line numbers stay right in parallel */
    return 0;
}

static void *fork_acc(void *ctx)
{
    (void)ctx;
    return acc_new();
}

static void join_acc(void *ctx, void *child)
{
    struct acc *a = ctx, *c = child;
    size_t i;

    for (i = 0; i < jtl_strtab_count(&c->labels); i++) {
        uint32_t id = jtl_strtab_intern(
            &a->labels, jtl_strtab_str(&c->labels, (uint32_t)i),
            jtl_strtab_len(&c->labels, (uint32_t)i));
        grow(a, (size_t)id + 1);
        a->count[id] += c->count[i];
        a->sum[id] += c->sum[i];
        if (c->max[i] > a->max[id])
            a->max[id] = c->max[i];
    }
    a->n += c->n;
    a->lines += c->lines;
    acc_free(c);
}

int main(int argc, char **argv)
{
    struct jtl_read_opts opts;
    struct jtl_sink sink = {0};
    struct jtl_run_info info;
    struct jtl_diag diag = {0};
    struct acc *a = acc_new();
    uint64_t check = 1469598103934665603ull;
    int i = 1;
    size_t k;

    jtl_read_opts_init(&opts);
    if (i + 1 < argc && strcmp(argv[i], "--threads") == 0) {
        opts.threads = (unsigned)strtoul(argv[i + 1], NULL, 10);
        i += 2;
    }
    opts.inputs = (const char *const *)(argv + i);
    opts.ninputs = (size_t)(argc - i);
    sink.add = add;
    sink.ctx = a;
    sink.fork = fork_acc;
    sink.join = join_acc;
    if (jtl_read_run(&opts, &sink, &info, &diag) != JTL_OK) {
        fprintf(stderr, "decode_bench: %s\n", diag.msg);
        return 1;
    }
    /* order-independent checksum of the per-label results */
    for (k = 0; k < jtl_strtab_count(&a->labels); k++) {
        uint64_t h = jtl_hash_bytes(jtl_strtab_str(&a->labels, (uint32_t)k),
                                    jtl_strtab_len(&a->labels, (uint32_t)k));
        check += h ^ (a->count[k] * 31 + (uint64_t)a->sum[k] * 7 +
                      (uint64_t)a->max[k]);
    }
    printf("samples=%" PRIu64 " labels=%zu skipped=%" PRIu64 " lines=%" PRIu64
           " check=%016" PRIx64 "\n",
           a->n, jtl_strtab_count(&a->labels), info.skipped, a->lines, check);
    jtl_run_info_release(&info);
    acc_free(a);
    return 0;
}
