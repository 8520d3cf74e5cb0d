/* SPDX-License-Identifier: MIT
 * check_internal.h - the per-second series of the windowed criteria
 * (window.c builds them while reading, check.c slides the windows). */
#ifndef JTL_CHECK_INTERNAL_H
#define JTL_CHECK_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/base/strtab.h"
#include "jtl/check/check.h"
#include "jtl/stats/hist.h"

/* Series one windowed criterion keeps at most (labels of a regex, or of
 * --each-label); more make the criterion an error. */
#define JTL_WIN_MAX_SERIES 10000u
#define JTL_WIN_MAX_DECIDED 65536u

/* Seconds one series covers at most (14 days): a bucket per second, so a
 * timestamp years off (a typo, a relative time) would ask for gigabytes;
 * beyond it the series is marked and its criterion is an error. */
#define JTL_WIN_MAX_SPAN (14 * 86400)

/* Elapsed values of one second as (value, count) pairs in an
 * open-addressing table (linear probing, a power of two slots, at most
 * half full; a slot with C == 0 is free): a sample costs one probe, and
 * memory follows the distinct values of the second.  No order: the window
 * finds a value's place through its own dictionary (check.c). */
struct jtl_win_pair {
    uint32_t v, c;
};
struct jtl_win_vals {
    struct jtl_win_pair *p; /* CAP slots */
    uint32_t n, cap;        /* slots used */
    uint32_t max;           /* the largest value */
};

/* One second of one series. */
struct jtl_win_bucket {
    uint64_t n, err, match, timed; /* samples, failed, with the code, timed */
    double sum;                    /* elapsed */
    uint64_t lat_n, con_n;
    double lat_sum, con_sum;
    uint64_t bytes;            /* received */
    uint64_t sat, tol;         /* APDEX */
    struct jtl_win_vals *vals; /* elapsed, only for pNN, max-rt, stdev-rt */
};

/* Seconds BASE .. BASE + N - 1 (epoch seconds). */
struct jtl_win_series {
    char *label; /* "" for the Total */
    size_t len;
    int64_t base;
    struct jtl_win_bucket *b;
    size_t n, cap;
    int64_t lo, hi; /* the first and last second seen, also past the span */
    bool too_long;  /* seconds beyond JTL_WIN_MAX_SPAN were left out */
};

struct jtl_win_crit {
    const struct jtl_criterion *c;
    struct jtl_strtab keys; /* label -> series index */
    struct jtl_win_series *s;
    size_t ns, caps;
    size_t last_s; /* the series found last */
    bool too_many;
    /* whether a label is in scope, decided once per distinct label (rows
     * interleave labels, and a regex or a template is not cheap), for up
     * to JTL_WIN_MAX_DECIDED labels, then each time */
    struct jtl_strtab decided;
    bool *in;
    size_t incap;
};

struct jtl_check_win {
    const struct jtl_criterion *crit; /* all of them (for a fork) */
    size_t ncrit;
    struct jtl_win_crit *c; /* the windowed ones */
    size_t n;
    int64_t apdex_t, apdex_f;
    bool each_label;
};

#endif /* JTL_CHECK_INTERNAL_H */
