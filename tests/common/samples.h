/* SPDX-License-Identifier: MIT
 * samples.h - what the unit tests and the fuzzers compare samples with,
 * written once: every field of a sample visited in one fixed order (and,
 * on request, where it came from), as an FNV hash or as a byte trace that
 * two sides can memcmp; and reading a whole file.
 * Header-only (static functions): each test is one executable. */
#ifndef JTL_TEST_SAMPLES_H
#define JTL_TEST_SAMPLES_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/xalloc.h"
#include "jtl/io/sample.h"

/* Where a sample came from, beside its content (which is always visited):
 * the line is exact everywhere; seq counts a decoding thread's samples, so
 * a threaded read differs there by design. */
enum {
    SAMPLE_LINE = 1u << 0,
    SAMPLE_SEQ = 1u << 1,
    SAMPLE_SOURCE = 1u << 2,
    /* only what a CSV row can hold: not the nesting depth nor the XML
     * response headers (a CSV round trip loses both) */
    SAMPLE_CSV_ONLY = 1u << 3,
};

typedef void (*sample_visit_fn)(void *ctx, const void *p, size_t n);

/* Each string as its length then its bytes, so "ab"+"c" and "a"+"bc"
 * differ. */
static inline void sample_visit_str(sample_visit_fn fn, void *ctx,
                                    struct jtl_str s)
{
    fn(ctx, &s.len, sizeof(s.len));
    if (s.len)
        fn(ctx, s.p, s.len);
}

static inline void sample_visit(const struct jtl_sample *s, unsigned where,
                                sample_visit_fn fn, void *ctx)
{
    int64_t nums[] = {s->timestamp,        s->elapsed,       s->latency,
                      s->connect,          s->idle,          s->bytes,
                      s->sent_bytes,       s->grp_threads,   s->all_threads,
                      s->sample_count,     s->error_count,   s->success,
                      (int64_t)s->present, (int64_t)s->flags};
    struct jtl_str strs[] = {
        s->label,           s->code, s->message,  s->thread,   s->data_type,
        s->failure_message, s->url,  s->filename, s->encoding, s->hostname};
    size_t i;

    fn(ctx, nums, sizeof(nums));
    for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
        sample_visit_str(fn, ctx, strs[i]);
    if (!(where & SAMPLE_CSV_ONLY)) {
        fn(ctx, &s->depth, sizeof(s->depth));
        sample_visit_str(fn, ctx, s->response_headers);
    }
    fn(ctx, &s->nvars, sizeof(s->nvars));
    for (i = 0; i < s->nvars; i++) {
        sample_visit_str(fn, ctx, s->vars[i].name);
        sample_visit_str(fn, ctx, s->vars[i].value);
    }
    if (where & SAMPLE_LINE)
        fn(ctx, &s->line, sizeof(s->line));
    if (where & SAMPLE_SEQ)
        fn(ctx, &s->seq, sizeof(s->seq));
    if (where & SAMPLE_SOURCE)
        fn(ctx, &s->source, sizeof(s->source));
}

/* ---- as a hash ------------------------------------------------------------
 */

#define SAMPLE_HASH_INIT 1469598103934665603ull /* FNV-1a offset basis */

static inline void sample_fnv(void *ctx, const void *p, size_t n)
{
    uint64_t *h = ctx;
    const unsigned char *b = p;
    size_t i;

    for (i = 0; i < n; i++) {
        *h ^= b[i];
        *h *= 1099511628211ull;
    }
}

static inline uint64_t sample_hash(uint64_t h, const struct jtl_sample *s,
                                   unsigned where)
{
    sample_visit(s, where, sample_fnv, &h);
    return h;
}

/* ---- as a trace of bytes --------------------------------------------------
 */

struct trace {
    char *p;
    size_t len, cap;
};

static inline void trace_put(void *ctx, const void *p, size_t n)
{
    struct trace *t = ctx;

    if (t->len + n > t->cap) {
        t->cap = (t->len + n) * 2 + 256;
        t->p = jtl_xrealloc(t->p, t->cap);
    }
    if (n)
        memcpy(t->p + t->len, p, n);
    t->len += n;
}

static inline void trace_str(struct trace *t, struct jtl_str s)
{
    sample_visit_str(trace_put, t, s);
}

static inline void trace_cstr(struct trace *t, const char *s)
{
    struct jtl_str x = {s, s ? strlen(s) : 0};

    trace_str(t, x);
}

static inline void trace_sample(struct trace *t, const struct jtl_sample *s,
                                unsigned where)
{
    sample_visit(s, where, trace_put, t);
}

/* The first byte where two traces differ, with some context, then abort:
 * how a fuzzer reports a difference. */
static inline void trace_differ(const char *who, const char *what,
                                const struct trace *a, const struct trace *b)
{
    size_t i = 0, n = a->len < b->len ? a->len : b->len;

    while (i < n && a->p[i] == b->p[i])
        i++;
    fprintf(stderr, "%s: %s differ at trace byte %zu (lengths %zu, %zu)\n", who,
            what, i, a->len, b->len);
    abort();
}

/* ---- files ----------------------------------------------------------------
 */

/* The whole file PATH, NUL-terminated (*N: its length; may be NULL), or
 * NULL when it cannot be read. */
static inline char *slurp_file(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    long len;
    char *p;

    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    p = calloc(1, (size_t)(len < 0 ? 0 : len) + 1);
    if (len < 0 || fread(p, 1, (size_t)len, fp) != (size_t)len) {
        free(p);
        p = NULL;
    } else if (n) {
        *n = (size_t)len;
    }
    fclose(fp);
    return p;
}

#endif /* JTL_TEST_SAMPLES_H */
