/* SPDX-License-Identifier: MIT
 * xalloc.c - abort-on-failure allocation (Redis zmalloc, git xmalloc). */
#include "jtl/base/xalloc.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define XTEMP_MAX 8
#define XTEMP_PATH 4096

/* Fixed storage: registering must not allocate, and the cleanup runs when
 * allocation has just failed. */
static struct {
    char path[XTEMP_PATH];
    bool used, is_dir;
} xtemp[XTEMP_MAX];

void jtl_xtemp_add(const char *path, bool is_dir)
{
    size_t i;

    for (i = 0; i < XTEMP_MAX; i++) {
        if (!xtemp[i].used && strlen(path) < XTEMP_PATH) {
            memcpy(xtemp[i].path, path, strlen(path) + 1);
            xtemp[i].is_dir = is_dir;
            xtemp[i].used = true;
            return;
        }
    }
}

void jtl_xtemp_drop(const char *path)
{
    size_t i;

    for (i = 0; i < XTEMP_MAX; i++)
        if (xtemp[i].used && strcmp(xtemp[i].path, path) == 0)
            xtemp[i].used = false;
}

/* Best effort under out of memory: opendir() may itself need memory that
 * is not there. */
static void remove_flat_dir(const char *dir)
{
    char path[XTEMP_PATH + 256];
    DIR *d = opendir(dir);
    struct dirent *e;

    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

void jtl_xtemp_remove(const char *path, bool is_dir)
{
    jtl_xtemp_drop(path);
    if (is_dir)
        remove_flat_dir(path);
    else
        unlink(path);
}

static void (*oom_report)(size_t n);

void jtl_xalloc_on_oom(void (*report)(size_t n))
{
    oom_report = report;
}

void jtl_out_of_memory(size_t n)
{
    if (oom_report)
        oom_report(n);
    jtl_fatal_exit();
}

void jtl_fatal_exit(void)
{
    size_t i;

    for (i = 0; i < XTEMP_MAX; i++)
        if (xtemp[i].used)
            jtl_xtemp_remove(xtemp[i].path, xtemp[i].is_dir);
    /* _exit: a half-written table in stdout's buffer must not be flushed */
    _exit(1);
}

void *jtl_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        jtl_out_of_memory(n);
    return p;
}

void *jtl_xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

    if (!p)
        jtl_out_of_memory(nmemb * size);
    return p;
}

void *jtl_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q)
        jtl_out_of_memory(n);
    return q;
}

void jtl_xgrow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t n = *cap ? *cap : 16;

    if (need <= *cap)
        return;
    while (n < need) {
        if (n > SIZE_MAX / 2 / size)
            jtl_out_of_memory(SIZE_MAX);
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

char *jtl_xstrdupf(const char *fmt, ...)
{
    va_list ap;
    char *d;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return jtl_xstrdup("");
    d = jtl_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

void jtl_xstrv_add(char ***v, size_t *n, char *s)
{
    *v = jtl_xrealloc(*v, (*n + 1) * sizeof(**v));
    (*v)[(*n)++] = s;
}
