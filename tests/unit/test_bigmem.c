/* SPDX-License-Identifier: MIT
 * test_bigmem.c - the budgeted memory of the per-request arrays (bigmem.h):
 * within the budget an array is ordinary memory, beyond it a mapping of a
 * deleted temporary file in the folder asked for; both hold what is
 * written, calloc gives zeros either way, the usage counts say where the
 * bytes are, a freed spill gives its room back, and a spill that cannot be
 * made (no such folder) exits 1 after the reporter was called. */
#define _GNU_SOURCE /* mkdtemp */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "jtl/base/bigmem.h"

/* Is P inside a mapping of a deleted file named like a spill in DIR? */
static int in_spill_file(const void *p, const char *dir)
{
    char line[1024];
    FILE *fp = fopen("/proc/self/maps", "r");
    int found = 0;

    while (fp && fgets(line, sizeof(line), fp)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx", &lo, &hi) != 2)
            continue;
        if ((uintptr_t)p >= lo && (uintptr_t)p < hi)
            found = strstr(line, dir) && strstr(line, "jtlscope-spill-") &&
                    strstr(line, "(deleted)");
    }
    if (fp)
        fclose(fp);
    return found;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    size_t i;

    for (i = 0; i < n; i++)
        p[i] = (unsigned char)(i * 31u + seed);
}

static int same(const unsigned char *p, size_t n, unsigned seed)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] != (unsigned char)(i * 31u + seed))
            return 0;
    return 1;
}

static int all_zero(const unsigned char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static char dir[] = "/tmp/jtl-bigmem-XXXXXX";

static void within_and_beyond(void)
{
    struct jtl_bigmem_usage u;
    unsigned char *a, *b, *c, *z;
    const size_t mb = (size_t)1 << 20;

    jtl_bigmem_configure(5 * mb / 2, dir);
    a = jtl_big_alloc(2 * mb);
    b = jtl_big_alloc(2 * mb); /* 4 MB > 2.5 MB: spilled */
    z = jtl_big_calloc(mb / 8, 8);
    fill(a, 2 * mb, 1);
    fill(b, 2 * mb, 2);
    CHECK(!in_spill_file(a, dir), "within the budget: ordinary memory");
    CHECK(in_spill_file(b, dir),
          "beyond it: a mapping of a deleted spill file in the folder");
    CHECK(in_spill_file(z, dir), "calloc beyond the budget: spilled too");
    CHECK(all_zero(z, mb), "a spilled calloc reads as zeros");
    CHECK(same(a, 2 * mb, 1) && same(b, 2 * mb, 2),
          "both keep what was written");
    jtl_bigmem_usage(&u);
    CHECK_EQ_INT(u.memory_now, 2 * mb, "memory now: the array within");
    CHECK_EQ_INT(u.spilled_now, 3 * mb, "spilled now: the two beyond");
    CHECK_EQ_INT(u.spills, 2, "two arrays went to the file");
    jtl_big_free(b);
    jtl_big_free(z);
    jtl_bigmem_usage(&u);
    CHECK_EQ_INT(u.spilled_now, 0, "freed spills give their room back");
    CHECK_EQ_INT(u.spilled_peak, 3 * mb, "the peak stays");
    c = jtl_big_alloc(mb / 2); /* 2.5 MB in all: within again */
    CHECK(!in_spill_file(c, dir), "room within the budget is used again");
    fill(c, mb / 2, 3);
    CHECK(same(c, mb / 2, 3), "and holds what is written");
    jtl_big_free(a);
    jtl_big_free(c);
    jtl_big_free(NULL);
    jtl_bigmem_usage(&u);
    CHECK_EQ_INT(u.memory_now, 0, "everything freed");
}

static void zero_budget(void)
{
    unsigned char *p;

    jtl_bigmem_configure(0, dir);
    p = jtl_big_calloc(1000, 3);
    CHECK(in_spill_file(p, dir), "--memory 0: even a small array spills");
    CHECK(all_zero(p, 3000), "zeros");
    jtl_big_free(p);
    jtl_bigmem_configure(JTL_BIGMEM_UNLIMITED, NULL);
    p = jtl_big_alloc(8 << 20);
    CHECK(!in_spill_file(p, dir), "unlimited: never spilled");
    jtl_big_free(p);
}

static void reporter(const char *d, size_t n, int err)
{
    (void)d;
    (void)n;
    (void)err;
    _exit(42); /* the reporter runs, then the exit; 42 says it ran */
}

static void cannot_spill(void)
{
    pid_t pid = fork();
    int st = 0;

    if (pid == 0) {
        jtl_bigmem_on_error(reporter);
        jtl_bigmem_configure(0, "/nonexistent/jtl-bigmem");
        (void)jtl_big_alloc(4096);
        _exit(0); /* not reached */
    }
    CHECK(pid > 0 && waitpid(pid, &st, 0) == pid, "the child ran");
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42,
          "no folder for the spill: the reporter is called, never a crash");
    pid = fork();
    if (pid == 0) {
        jtl_bigmem_configure(0, "/nonexistent/jtl-bigmem");
        (void)jtl_big_alloc(4096);
        _exit(0);
    }
    CHECK(pid > 0 && waitpid(pid, &st, 0) == pid, "the child ran");
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1,
          "without a reporter: exit 1, as out of memory");
}

/* jtl_big_write: into a spilled array it writes the file, and the mapping
 * sees it (one page cache); pieces that do not start or end on a page
 * boundary, and two arrays side by side in the file, keep their bytes. */
static void write_through_file(void)
{
    const size_t n = 300000; /* 73 pages and a bit */
    unsigned char *src = malloc(n), *a, *b, *m;
    size_t at;

    fill(src, n, 7);
    jtl_bigmem_configure(0, dir);
    a = jtl_big_alloc(n);
    b = jtl_big_calloc(n, 1);
    CHECK(jtl_big_in_file(a) && jtl_big_in_file(b + n - 1),
          "spilled arrays are in the file, up to their last byte");
    for (at = 0; at < n; at += 4099) /* odd pieces across page edges */
        jtl_big_write(a + at, src + at, at + 4099 < n ? 4099 : n - at);
    jtl_big_write(b + 5, src, 1000);
    CHECK(same(a, n, 7), "written through the file, read through the map");
    CHECK(all_zero(b, 5) && same(b + 5, 1000, 7) &&
              all_zero(b + 1005, n - 1005),
          "the array beside it: only the bytes written changed");
    jtl_big_free(a);
    jtl_big_free(b);
    jtl_bigmem_configure(JTL_BIGMEM_UNLIMITED, NULL);
    m = jtl_big_alloc(n);
    CHECK(!jtl_big_in_file(m) && !jtl_big_in_file(src),
          "in memory, or not ours: not in the file");
    jtl_big_write(m, src, n);
    CHECK(same(m, n, 7), "in memory: a copy");
    jtl_big_free(m);
    free(src);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    within_and_beyond();
    zero_budget();
    write_through_file();
    cannot_spill();
    CHECK(rmdir(dir) == 0, "nothing left in the spill folder");
    return CHECK_DONE();
}
