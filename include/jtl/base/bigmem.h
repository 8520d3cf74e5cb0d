/* SPDX-License-Identifier: MIT
 * bigmem.h - memory for the arrays that grow with the number of requests
 * (the throttling analysis' records, indices and series), within a budget.
 *
 * Up to the budget they are ordinary memory.  Beyond it each new array
 * lives in a temporary file mapped into memory (MAP_SHARED): its pages are
 * the kernel's page cache, which it writes back and drops under memory
 * pressure, so a run of any size fits a machine (or a container) of any
 * memory, at the cost of disk traffic.  The file is deleted as soon as it
 * is created (nothing is left behind, even after a crash) and its disk
 * space is reserved at once (posix_fallocate), so a full disk is a clear
 * error when the array is allocated, never a SIGBUS when it is written.
 *
 * The algorithms see plain arrays either way: the answers cannot depend
 * on where the bytes are (the tests compare both paths byte for byte).
 * Thread-safe.  Memory that does not grow with the requests (string
 * tables, histograms) is not counted. */
#ifndef JTL_BIGMEM_H
#define JTL_BIGMEM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JTL_BIGMEM_UNLIMITED UINT64_MAX

/* BUDGET bytes of ordinary memory (JTL_BIGMEM_UNLIMITED: never spill, the
 * default); DIR: where the spill file goes (NULL: $TMPDIR, else /tmp).
 * DIR is copied, and applies from the next spill file: the current one is
 * kept while it holds an array. */
void jtl_bigmem_configure(uint64_t budget, const char *dir);

/* What the failure exit prints first (the CLI: "cannot spill ..."); the
 * library itself prints nothing.  After it, the out-of-memory exit's
 * cleanup (xalloc.h): temporary outputs removed, status 1. */
void jtl_bigmem_on_error(void (*report)(const char *dir, size_t n, int err));

/* Called once, when the spill file turns out to be on a tmpfs (memory
 * itself): the CLI warns.  The spill goes on there. */
void jtl_bigmem_on_tmpfs(void (*warn)(const char *dir));

/* N bytes (never NULL; a failure exits as above).  Contents undefined. */
void *jtl_big_alloc(size_t n);
/* NMEMB * SIZE bytes of zeros. */
void *jtl_big_calloc(size_t nmemb, size_t size);
/* P from jtl_big_alloc / jtl_big_calloc, or NULL. */
void jtl_big_free(void *p);

/* Whether the array that holds P (from jtl_big_alloc) is in the spill
 * file; false for memory that is not ours. */
bool jtl_big_in_file(const void *p);
/* Copy N bytes from SRC to DST, DST inside one array from jtl_big_alloc.
 * In the spill file the copy is a write() to the file, not stores through
 * the mapping: the first store to a page of the mapping reads the page in
 * (zeros) before it is written, which a write() of whole pages skips.  For
 * arrays filled front to back.  The bytes are the same either way. */
void jtl_big_write(void *dst, const void *src, size_t n);

struct jtl_bigmem_usage {
    uint64_t budget;
    uint64_t memory_now, memory_peak;   /* ordinary memory */
    uint64_t spilled_now, spilled_peak; /* in the spill file */
    uint64_t spills;                    /* arrays that went to the file */
};
void jtl_bigmem_usage(struct jtl_bigmem_usage *u);

#endif /* JTL_BIGMEM_H */
