/* SPDX-License-Identifier: MIT
 * xalloc.h - allocation that never returns NULL.  Out of memory prints
 * "jtlscope: out of memory (N bytes)" and aborts; modules never return ENOMEM.
 * Hostile sizes are not OOM: callers cap them first and return JTL_ERR_LIMIT. */
#ifndef JTL_XALLOC_H
#define JTL_XALLOC_H
#include <stddef.h>

void *jtl_xmalloc(size_t n);
void *jtl_xcalloc(size_t nmemb, size_t size);
void *jtl_xrealloc(void *p, size_t n);
/* Grow *P (an array of *CAP elements of SIZE) to hold at least NEED. */
void jtl_xgrow(void **p, size_t *cap, size_t need, size_t size);
char *jtl_xstrdup(const char *s);
char *jtl_xstrndup(const char *s, size_t n);

#endif /* JTL_XALLOC_H */
