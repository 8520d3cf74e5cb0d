/* SPDX-License-Identifier: MIT
 * bigmem.c - budgeted memory for the per-request arrays, spilled to a
 * mapped temporary file beyond the budget (bigmem.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* fallocate, mkostemp */
#endif
#include "jtl/base/bigmem.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "jtl/base/xalloc.h"

/* Under AddressSanitizer every in-budget array is malloc'ed, so that the
 * sanitizer sees overflows and leaks; otherwise arrays of 1 MiB and more
 * are mapped, because glibc keeps freed heap memory resident and the
 * analysis frees its arrays out of allocation order. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BIG_MALLOC_ONLY 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define BIG_MALLOC_ONLY 1
#endif

#define BIG_MAP_MIN ((size_t)1 << 20)

enum { K_HEAP, K_ANON, K_FILE };

/* One live array.  The arrays are few (a few per scope, one per 2 MB
 * chunk of records), so a flat table searched on free is enough. */
struct block {
    void *p;
    size_t len; /* bytes counted (mapped length for K_FILE) */
    off_t off;  /* K_FILE: where in the spill file */
    int kind;
};

static struct {
    pthread_mutex_t mu;
    char *dir;
    int fd; /* the spill file, -1 until the first spill */
    off_t end;
    struct block *b;
    size_t n, cap;
    struct jtl_bigmem_usage use;
    void (*report)(const char *dir, size_t n, int err);
    void (*in_memory)(const char *dir);
} big = {PTHREAD_MUTEX_INITIALIZER,
         NULL,
         -1,
         0,
         NULL,
         0,
         0,
         {JTL_BIGMEM_UNLIMITED, 0, 0, 0, 0, 0},
         NULL,
         NULL};

void jtl_bigmem_configure(uint64_t budget, const char *dir)
{
    pthread_mutex_lock(&big.mu);
    big.use.budget = budget;
    free(big.dir);
    big.dir = dir ? jtl_xstrdup(dir) : NULL;
    /* an empty spill file of an earlier configuration is let go: the next
     * spill goes to the folder named now */
    if (big.fd >= 0 && big.use.spilled_now == 0) {
        close(big.fd);
        big.fd = -1;
        big.end = 0;
    }
    pthread_mutex_unlock(&big.mu);
}

void jtl_bigmem_on_error(void (*report)(const char *dir, size_t n, int err))
{
    big.report = report;
}

void jtl_bigmem_on_tmpfs(void (*warn)(const char *dir))
{
    big.in_memory = warn;
}

static const char *spill_dir(void)
{
    const char *d = big.dir;

    if (!d || !*d)
        d = getenv("TMPDIR");
    return d && *d ? d : "/tmp";
}

static void fail(size_t n, int err)
{
    const char *dir = spill_dir();

    pthread_mutex_unlock(&big.mu);
    if (big.report)
        big.report(dir, n, err);
    jtl_fatal_exit();
}

static void add_block(void *p, size_t len, off_t off, int kind)
{
    if (big.n == big.cap) {
        size_t cap = big.cap ? 2 * big.cap : 64;
        struct block *b = realloc(big.b, cap * sizeof(*b));
        if (!b) {
            pthread_mutex_unlock(&big.mu);
            jtl_out_of_memory(cap * sizeof(*b));
        }
        big.b = b;
        big.cap = cap;
    }
    big.b[big.n].p = p;
    big.b[big.n].len = len;
    big.b[big.n].off = off;
    big.b[big.n].kind = kind;
    big.n++;
}

/* A number from the first line of PATH that starts with KEY (KEY "" for
 * the first line), times MULT; UINT64_MAX when there is none ("max"). */
static uint64_t read_number(const char *path, const char *key, uint64_t mult)
{
    char line[256];
    uint64_t v = UINT64_MAX;
    FILE *fp = fopen(path, "re");

    if (!fp)
        return v;
    while (fgets(line, sizeof(line), fp))
        if (strncmp(line, key, strlen(key)) == 0) {
            char *end;
            unsigned long long x = strtoull(line + strlen(key), &end, 10);
            if (end != line + strlen(key))
                v = (uint64_t)x * mult;
            break;
        }
    fclose(fp);
    return v;
}

/* The memory this process may fill: the machine's available memory, or
 * less when its memory cgroup (v2 or v1) has a limit.  Read once, at the
 * first spill. */
static uint64_t room(void)
{
    static uint64_t known;
    char line[512], path[700];
    FILE *fp;

    if (known)
        return known;
    known = read_number("/proc/meminfo", "MemAvailable:", 1024);
    fp = fopen("/proc/self/cgroup", "re");
    while (fp && fgets(line, sizeof(line), fp)) {
        char *p = strchr(line, ':'), *q = p ? strchr(p + 1, ':') : NULL;
        uint64_t lim = UINT64_MAX;
        if (!q)
            continue;
        q[strcspn(q, "\n")] = '\0';
        if (p[1] == ':') /* v2: "0::/path" */
            snprintf(path, sizeof(path), "/sys/fs/cgroup%s/memory.max", q + 1);
        else if (strncmp(p + 1, "memory:", 7) == 0) /* v1 */
            snprintf(path, sizeof(path),
                     "/sys/fs/cgroup/memory%s/memory.limit_in_bytes", q + 1);
        else
            continue;
        lim = read_number(path, "", 1);
        if (lim < known)
            known = lim;
    }
    if (fp)
        fclose(fp);
    if (known == 0 || known == UINT64_MAX)
        known = (uint64_t)1 << 30; /* unknown: write back beyond 512 MB */
    return known;
}

/* Called with the lock held.  The file is unlinked at once: it lives as
 * long as the descriptor, which the process never hands on (O_CLOEXEC:
 * gnuplot does not inherit it). */
static void *spill(size_t n)
{
    long pg = sysconf(_SC_PAGESIZE);
    size_t len = (n + (size_t)pg - 1) / (size_t)pg * (size_t)pg;
    void *p;
    int err;

    if (big.fd < 0) {
        const char *dir = spill_dir();
        size_t plen = strlen(dir) + 32;
        char *path = malloc(plen);
        if (!path) {
            pthread_mutex_unlock(&big.mu);
            jtl_out_of_memory(plen);
        }
        snprintf(path, plen, "%s/jtlscope-spill-XXXXXX", dir);
        big.fd = mkostemp(path, O_CLOEXEC);
        err = errno;
        if (big.fd >= 0)
            unlink(path);
        free(path);
        if (big.fd < 0)
            fail(n, err);
        {
            /* a tmpfs is memory (swap at best): spilling there bounds
             * nothing, which the user must hear (Debian 13 mounts /tmp
             * so) */
            struct statfs fs;
            if (big.in_memory && fstatfs(big.fd, &fs) == 0 &&
                fs.f_type == 0x01021994 /* TMPFS_MAGIC */)
                big.in_memory(dir);
        }
    }
#ifdef SYNC_FILE_RANGE_WRITE
    /* The arrays spilled so far are mostly written by now (a new one is
     * asked for when the last chunk of records is full): when they come
     * near the memory there is, start writing them back (asynchronously),
     * so that their pages are clean and the kernel can drop them.  Without
     * it, a memory cgroup v1 of 256 MB killed a 10 M-request analysis
     * within a second: its dirty pages waited for the global flusher,
     * which starts only at a tenth of the machine's memory.  With room to
     * spare, writing back costs time (write-protecting pages that are
     * written again: 5 to 8 % of a 10 M-request analysis) for nothing. */
    if (big.end > 0 && big.use.spilled_now + len > room() / 2)
        (void)sync_file_range(big.fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
    /* reserve the blocks now: a write to a mapped hole on a full disk
     * would be a SIGBUS */
    err = posix_fallocate(big.fd, big.end, (off_t)len);
    if (err != 0)
        fail(n, err);
    p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, big.fd, big.end);
    if (p == MAP_FAILED)
        fail(n, errno);
    add_block(p, len, big.end, K_FILE);
    big.end += (off_t)len;
    big.use.spilled_now += len;
    if (big.use.spilled_now > big.use.spilled_peak)
        big.use.spilled_peak = big.use.spilled_now;
    big.use.spills++;
    return p;
}

static void *alloc(size_t n, bool zero)
{
    void *p = NULL;
    int kind = K_HEAP;

    if (n == 0)
        n = 1;
    pthread_mutex_lock(&big.mu);
    if (big.use.budget != JTL_BIGMEM_UNLIMITED &&
        (big.use.memory_now > big.use.budget ||
         n > big.use.budget - big.use.memory_now)) {
        p = spill(n); /* file pages read as zeros */
        pthread_mutex_unlock(&big.mu);
        return p;
    }
#ifndef BIG_MALLOC_ONLY
    if (n >= BIG_MAP_MIN) {
        p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                 -1, 0);
        if (p == MAP_FAILED) {
            pthread_mutex_unlock(&big.mu);
            jtl_out_of_memory(n);
        }
        kind = K_ANON;
        zero = false; /* anonymous pages are zeros */
    }
#endif
    if (kind == K_HEAP) {
        p = zero ? calloc(1, n) : malloc(n);
        if (!p) {
            pthread_mutex_unlock(&big.mu);
            jtl_out_of_memory(n);
        }
    }
    add_block(p, n, 0, kind);
    big.use.memory_now += n;
    if (big.use.memory_now > big.use.memory_peak)
        big.use.memory_peak = big.use.memory_now;
    pthread_mutex_unlock(&big.mu);
    return p;
}

void *jtl_big_alloc(size_t n)
{
    return alloc(n, false);
}

void *jtl_big_calloc(size_t nmemb, size_t size)
{
    if (size && nmemb > SIZE_MAX / size)
        jtl_out_of_memory(SIZE_MAX);
    return alloc(nmemb * size, true);
}

void jtl_big_free(void *p)
{
    struct block b;
    size_t i;

    if (!p)
        return;
    pthread_mutex_lock(&big.mu);
    for (i = big.n; i-- > 0;)
        if (big.b[i].p == p)
            break;
    if (i == (size_t)-1) {
        /* not ours: a bug, and freeing it would corrupt the heap */
        pthread_mutex_unlock(&big.mu);
        fprintf(stderr, "jtl_big_free: %p was not allocated here\n", p);
        abort();
    }
    b = big.b[i];
    big.b[i] = big.b[--big.n];
    if (b.kind == K_FILE) {
        big.use.spilled_now -= b.len;
        munmap(b.p, b.len);
#ifdef FALLOC_FL_PUNCH_HOLE
        /* give the disk space back (best effort: not every file system
         * punches holes) */
        (void)fallocate(big.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                        b.off, (off_t)b.len);
#endif
        /* nothing left in the file: the next analysis of this process
         * (a library user, the fuzzer) starts it again from its start */
        if (big.use.spilled_now == 0 && ftruncate(big.fd, 0) == 0)
            big.end = 0;
    } else {
        big.use.memory_now -= b.len;
        if (b.kind == K_ANON)
            munmap(b.p, b.len);
        else
            free(b.p);
    }
    pthread_mutex_unlock(&big.mu);
}

/* The live array that holds P, or -1; with big.mu held. */
static size_t find_block(const void *p)
{
    const char *c = p;
    size_t i;

    for (i = big.n; i-- > 0;) {
        const char *b = big.b[i].p;
        if (c >= b && c < b + big.b[i].len)
            return i;
    }
    return (size_t)-1;
}

bool jtl_big_in_file(const void *p)
{
    size_t i;
    bool in;

    pthread_mutex_lock(&big.mu);
    i = find_block(p);
    in = i != (size_t)-1 && big.b[i].kind == K_FILE;
    pthread_mutex_unlock(&big.mu);
    return in;
}

void jtl_big_write(void *dst, const void *src, size_t n)
{
    size_t i;
    off_t at = 0;
    int fd = -1;

    pthread_mutex_lock(&big.mu);
    i = find_block(dst);
    if (i != (size_t)-1 && big.b[i].kind == K_FILE) {
        fd = big.fd;
        at = big.b[i].off + (off_t)((char *)dst - (char *)big.b[i].p);
    }
    pthread_mutex_unlock(&big.mu);
    if (fd < 0) {
        memcpy(dst, src, n);
        return;
    }
    while (n) {
        /* the blocks were reserved (posix_fallocate): a short write is
         * not expected, but an error is not a reason to lose bytes */
        ssize_t w = pwrite(fd, src, n, at);
        if (w <= 0) {
            if (w < 0 && errno == EINTR)
                continue;
            memcpy(dst, src, n); /* through the mapping, as before */
            return;
        }
        dst = (char *)dst + w;
        src = (const char *)src + w;
        at += w;
        n -= (size_t)w;
    }
}

void jtl_bigmem_usage(struct jtl_bigmem_usage *u)
{
    pthread_mutex_lock(&big.mu);
    *u = big.use;
    pthread_mutex_unlock(&big.mu);
}
