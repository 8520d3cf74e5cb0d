/* SPDX-License-Identifier: MIT
 * buf.c - capped growable buffer. */
#include "jtl/base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/xalloc.h"

void jtl_buf_init(struct jtl_buf *b, size_t max)
{
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max ? max : (size_t)-1 / 2;
}

void jtl_buf_release(struct jtl_buf *b)
{
    if (!b)
        return;
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

void jtl_buf_clear(struct jtl_buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

enum jtl_err jtl_buf_add(struct jtl_buf *b, const void *p, size_t n)
{
    if (n > b->max || b->len > b->max - n)
        return JTL_ERR_LIMIT;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = jtl_xrealloc(b->p, cap);
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
    return JTL_OK;
}

enum jtl_err jtl_buf_adds(struct jtl_buf *b, const char *s)
{
    return jtl_buf_add(b, s, strlen(s));
}

enum jtl_err jtl_buf_addc(struct jtl_buf *b, char c)
{
    return jtl_buf_add(b, &c, 1);
}

enum jtl_err jtl_buf_vprintf(struct jtl_buf *b, const char *fmt, va_list ap)
{
    char small[256];
    va_list ap2;
    int n;
    enum jtl_err err;

    va_copy(ap2, ap);
    n = vsnprintf(small, sizeof(small), fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return JTL_ERR_IO;
    if ((size_t)n < sizeof(small))
        return jtl_buf_add(b, small, (size_t)n);
    err = jtl_buf_add(b, NULL, 0);
    if (err)
        return err;
    {
        char *tmp = jtl_xmalloc((size_t)n + 1);
        vsnprintf(tmp, (size_t)n + 1, fmt, ap);
        err = jtl_buf_add(b, tmp, (size_t)n);
        free(tmp);
    }
    return err;
}

enum jtl_err jtl_buf_printf(struct jtl_buf *b, const char *fmt, ...)
{
    va_list ap;
    enum jtl_err err;

    va_start(ap, fmt);
    err = jtl_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return err;
}

char *jtl_buf_detach(struct jtl_buf *b, size_t *len)
{
    char *p = b->p;

    if (!p)
        p = jtl_xcalloc(1, 1);
    if (len)
        *len = b->len;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}
