/* SPDX-License-Identifier: MIT
 * bin.c - the byte writer and the bounds-checked reader of bin.h. */
#include "jtl/base/bin.h"

#include <stdlib.h>
#include <string.h>

#include "jtl/base/xalloc.h"

void jtl_bw_init(struct jtl_bw *w)
{
    memset(w, 0, sizeof(*w));
}

void jtl_bw_release(struct jtl_bw *w)
{
    free(w->p);
    memset(w, 0, sizeof(*w));
}

void jtl_bw_flush_point(struct jtl_bw *w)
{
    if (w->flush && w->len >= w->flush_at)
        w->flush(w, w->flush_ctx);
}

void jtl_bw_bytes(struct jtl_bw *w, const void *p, size_t n)
{
    if (n == 0)
        return;
    jtl_xgrow((void **)&w->p, &w->cap, w->len + n, 1);
    memcpy(w->p + w->len, p, n);
    w->len += n;
}

void jtl_bw_u8(struct jtl_bw *w, unsigned v)
{
    unsigned char b = (unsigned char)v;

    jtl_bw_bytes(w, &b, 1);
}

void jtl_bw_u32(struct jtl_bw *w, uint32_t v)
{
    unsigned char b[4];
    int i;

    for (i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    jtl_bw_bytes(w, b, 4);
}

void jtl_bw_u64(struct jtl_bw *w, uint64_t v)
{
    unsigned char b[8];
    int i;

    for (i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    jtl_bw_bytes(w, b, 8);
}

void jtl_bw_i64(struct jtl_bw *w, int64_t v)
{
    jtl_bw_u64(w, (uint64_t)v);
}

void jtl_bw_f64(struct jtl_bw *w, double v)
{
    uint64_t u;

    memcpy(&u, &v, 8);
    jtl_bw_u64(w, u);
}

void jtl_bw_uv(struct jtl_bw *w, uint64_t v)
{
    unsigned char b[10];
    size_t n = 0;

    while (v >= 0x80) {
        b[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    b[n++] = (unsigned char)v;
    jtl_bw_bytes(w, b, n);
}

void jtl_bw_sv(struct jtl_bw *w, int64_t v)
{
    jtl_bw_uv(w, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

void jtl_bw_str(struct jtl_bw *w, const char *s, size_t n)
{
    jtl_bw_uv(w, n);
    jtl_bw_bytes(w, s, n);
}

void jtl_br_init(struct jtl_br *r, const void *p, size_t n)
{
    r->p = p;
    r->end = r->p + n;
    r->bad = false;
    r->refill = NULL;
    r->refill_ctx = NULL;
    r->after = 0;
}

void jtl_br_boundary(struct jtl_br *r)
{
    if (!r->bad && r->p == r->end && r->refill)
        r->refill(r, r->refill_ctx);
}

size_t jtl_br_left(const struct jtl_br *r)
{
    return r->bad ? 0 : (size_t)(r->end - r->p);
}

const void *jtl_br_bytes(struct jtl_br *r, size_t n)
{
    const unsigned char *p = r->p;

    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        return NULL;
    }
    r->p += n;
    return p;
}

unsigned jtl_br_u8(struct jtl_br *r)
{
    const unsigned char *p = jtl_br_bytes(r, 1);

    return p ? p[0] : 0;
}

uint32_t jtl_br_u32(struct jtl_br *r)
{
    const unsigned char *p = jtl_br_bytes(r, 4);
    uint32_t v = 0;
    int i;

    for (i = 3; p && i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

uint64_t jtl_br_u64(struct jtl_br *r)
{
    const unsigned char *p = jtl_br_bytes(r, 8);
    uint64_t v = 0;
    int i;

    for (i = 7; p && i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

int64_t jtl_br_i64(struct jtl_br *r)
{
    return (int64_t)jtl_br_u64(r);
}

double jtl_br_f64(struct jtl_br *r)
{
    uint64_t u = jtl_br_u64(r);
    double v;

    memcpy(&v, &u, 8);
    return v;
}

uint64_t jtl_br_uv(struct jtl_br *r)
{
    uint64_t v = 0;
    unsigned shift = 0;

    while (!r->bad) {
        unsigned b;
        if (r->p == r->end || shift > 63) {
            r->bad = true;
            break;
        }
        b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
        shift += 7;
    }
    return 0;
}

int64_t jtl_br_sv(struct jtl_br *r)
{
    uint64_t u = jtl_br_uv(r);

    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

const char *jtl_br_str(struct jtl_br *r, size_t *n)
{
    uint64_t len = jtl_br_uv(r);
    const char *p;

    if (len > jtl_br_left(r)) {
        r->bad = true;
        *n = 0;
        return "";
    }
    p = jtl_br_bytes(r, (size_t)len);
    *n = p ? (size_t)len : 0;
    return p ? p : "";
}

size_t jtl_br_count(struct jtl_br *r, size_t min_bytes, size_t max)
{
    uint64_t n = jtl_br_uv(r);

    if (min_bytes == 0)
        min_bytes = 1;
    if (r->bad || n > (jtl_br_left(r) + r->after) / min_bytes ||
        (max && n > max)) {
        r->bad = true;
        return 0;
    }
    return (size_t)n;
}

uint64_t jtl_br_below(struct jtl_br *r, uint64_t limit)
{
    uint64_t v = jtl_br_uv(r);

    if (r->bad || v >= limit) {
        r->bad = true;
        return 0;
    }
    return v;
}
