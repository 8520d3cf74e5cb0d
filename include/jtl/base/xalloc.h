/* SPDX-License-Identifier: MIT
 * xalloc.h - allocation that never returns NULL.  Out of memory calls the
 * program's reporter (jtl_xalloc_on_oom: the CLI prints "out of memory"),
 * removes the temporary outputs registered below and exits with status 1
 * (error, nothing written); modules never return ENOMEM.  Hostile sizes are not
 * OOM: callers cap them first and return JTL_ERR_LIMIT. */
#ifndef JTL_XALLOC_H
#define JTL_XALLOC_H
#include <stdbool.h>
#include <stddef.h>

#include "jtl/base/error.h" /* JTL_PRINTF */

/* What the out-of-memory exit calls first with the size that failed (the
 * library itself prints nothing); NULL for nothing. */
void jtl_xalloc_on_oom(void (*report)(size_t n));
/* The out-of-memory exit, for allocators other than malloc (mmap,
 * libxml2).  Does not return. */
void jtl_out_of_memory(size_t n);
/* Its second half, for the other fatal resource failures (a spill file
 * that cannot be created, bigmem.h): remove the registered temporary
 * outputs and exit with status 1.  Prints nothing. */
void jtl_fatal_exit(void);

/* Temporary outputs (a file, or a folder of files) that the out-of-memory
 * exit removes; the normal paths remove their own and drop them here.  At
 * most a few at a time; PATH is copied. */
void jtl_xtemp_add(const char *path, bool is_dir);
void jtl_xtemp_drop(const char *path);
/* Drop PATH and delete it: a file, or a folder of files and then the
 * folder (not recursive: temporary folders are flat). */
void jtl_xtemp_remove(const char *path, bool is_dir);

void *jtl_xmalloc(size_t n);
void *jtl_xcalloc(size_t nmemb, size_t size);
void *jtl_xrealloc(void *p, size_t n);
/* Grow *P (an array of *CAP elements of SIZE) to hold at least NEED. */
void jtl_xgrow(void **p, size_t *cap, size_t need, size_t size);
char *jtl_xstrdup(const char *s);
char *jtl_xstrndup(const char *s, size_t n);
/* A new string printed from FMT. */
char *jtl_xstrdupf(const char *fmt, ...) JTL_PRINTF(1, 2);
/* Append S (owned by the vector from now on) to the string vector *V of *N
 * strings. */
void jtl_xstrv_add(char ***v, size_t *n, char *s);

#endif /* JTL_XALLOC_H */
