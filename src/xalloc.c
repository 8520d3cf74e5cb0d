/* SPDX-License-Identifier: MIT
 * xalloc.c - abort-on-failure allocation (Redis zmalloc, git xmalloc). */
#include "jtl/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
    fprintf(stderr, "jtlscope: out of memory (%zu bytes)\n", n);
    abort();
}

void *jtl_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        oom(n);
    return p;
}

void *jtl_xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

    if (!p)
        oom(nmemb * size);
    return p;
}

void *jtl_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q)
        oom(n);
    return q;
}

void jtl_xgrow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t n = *cap ? *cap : 16;

    if (need <= *cap)
        return;
    while (n < need) {
        if (n > SIZE_MAX / 2 / size)
            oom(SIZE_MAX);
        n *= 2;
    }
    *p = jtl_xrealloc(*p, n * size);
    *cap = n;
}

char *jtl_xstrndup(const char *s, size_t n)
{
    char *d = jtl_xmalloc(n + 1);

    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *jtl_xstrdup(const char *s)
{
    return jtl_xstrndup(s, strlen(s));
}
