/* SPDX-License-Identifier: MIT
 * hist.h - exact count histogram over integer milliseconds, and the
 * percentile definitions computed from it.
 * Ownership: the caller embeds struct jtl_hist (jtl_hist_init/_release);
 * the histogram owns its tables.  Nothing else points into them.
 *
 * JMeter's elapsed, latency and connect times are whole milliseconds, so a
 * count per distinct value is an exact record of the distribution whose size
 * depends on the number of DISTINCT values, never on the number of samples.
 * Two histograms merge by adding counts (several files, threads, machines).
 *
 * Representation (private; read through the functions below):
 *  - SPARSE: a sorted array of (value, count) pairs while the histogram has
 *    few distinct values.  Most labels stay here (a few KB).
 *  - DENSE: once it has more than JTL_HIST_SPARSE_MAX distinct values, or
 *    once it is busy (JTL_HIST_BUSY_N samples over at least
 *    JTL_HIST_BUSY_DISTINCT distinct values: a binary search per sample
 *    then costs more than the pages it saves), values
 *    0..2^24-1 (0 to 4.6 hours) are counted directly in a three-level radix
 *    array whose pages of 256 counters are allocated on first use, so memory
 *    follows the range actually covered (a label between 0 and 3 s uses
 *    ~16 KB), plus a small sorted overflow table for values outside that
 *    range and for counters that would exceed 32 bits.
 * Memory is at most ~2 KB + 2 KB per touched 65.5 s span + 1 KB per touched
 * 256 ms page + 16 B per overflow value.
 *
 * Percentile definitions (P in [0, 100], N = count, x(1) <= ... <= x(N)):
 *  - JTL_PCT_EXACT (default): nearest rank.  The smallest recorded value v
 *    whose cumulative count is >= ceil(P/100 * N); P = 0 gives the minimum.
 *    Always a value that was actually observed.
 *  - JTL_PCT_LEGACY: Apache Commons-Math Percentile, EstimationType.LEGACY,
 *    the estimator of JMeter's HTML dashboard: pos = (P/100) * (N + 1);
 *    pos < 1 -> x(1); pos >= N -> x(N); otherwise
 *    x(floor(pos)) + frac(pos) * (x(floor(pos)+1) - x(floor(pos))), 1-based.
 * Both return NaN for an empty histogram. */
#ifndef JTL_HIST_H
#define JTL_HIST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JTL_HIST_SPARSE_MAX 1024u /* distinct values kept sparse */
#define JTL_HIST_BUSY_N 16384u    /* samples that make a histogram busy */
#define JTL_HIST_BUSY_DISTINCT 32u
#define JTL_HIST_DENSE_SPAN (1 << 24) /* values counted directly (dense) */
#define JTL_HIST_PAGE 256             /* counters per dense page */

enum jtl_pct_method {
    JTL_PCT_EXACT = 0, /* nearest rank, exact over all samples */
    JTL_PCT_LEGACY,    /* Commons-Math LEGACY (JMeter dashboard) */
};

struct jtl_hist_pair {
    int64_t value;
    uint64_t count;
};

struct jtl_hist {
    uint64_t n;       /* samples recorded */
    int64_t min, max; /* valid when n > 0 */
    /* SPARSE mode (dir == NULL): sorted by value */
    uint32_t *sv; /* values (0..UINT32_MAX-1) */
    uint32_t *sc; /* counts */
    uint32_t nsparse, capsparse;
    /* DENSE mode: dir[v >> 16][(v >> 8) & 255][v & 255] */
    uint32_t ***dir;
    uint32_t npages, nmids; /* pages and middle tables allocated */
    /* both modes: values the primary store cannot hold, sorted by value */
    struct jtl_hist_pair *over;
    uint32_t nover, capover;
};

void jtl_hist_init(struct jtl_hist *h);
/* Free the tables; H becomes an empty, initialized histogram.  A zeroed
 * struct is fine. */
void jtl_hist_release(struct jtl_hist *h);

/* Record VALUE COUNT times (COUNT 0 is a no-op).  Any int64 is accepted;
 * negative values (bad input) are kept exactly like any other. */
void jtl_hist_add(struct jtl_hist *h, int64_t value, uint64_t count);
/* DST += SRC (counts added); SRC is unchanged. */
void jtl_hist_merge(struct jtl_hist *dst, const struct jtl_hist *src);

/* Number of distinct values. */
size_t jtl_hist_distinct(const struct jtl_hist *h);
/* Heap bytes used (for memory figures). */
size_t jtl_hist_bytes(const struct jtl_hist *h);

/* The K-th smallest recorded value, 1 <= K <= n (clamped). */
int64_t jtl_hist_rank(const struct jtl_hist *h, uint64_t k);
/* Percentile P (0..100) by METHOD; NaN when empty. */
double jtl_hist_percentile(const struct jtl_hist *h, double p,
                           enum jtl_pct_method method);
/* The same for N percentiles at once (one walk); OUT[i] for P[i].  P need
 * not be sorted. */
void jtl_hist_percentiles(const struct jtl_hist *h, const double *p, size_t n,
                          enum jtl_pct_method method, double *out);
/* The percentile rules on their own, for other stores of values: the rank
 * (1..N) nearest rank takes for P; and LEGACY's position pos (the value is
 * x(1) below 1, x(N) from N on, else x(floor(pos)) interpolated towards
 * x(floor(pos) + 1) by frac(pos)). */
uint64_t jtl_pct_exact_rank(double p, uint64_t n);
double jtl_pct_legacy_pos(double p, uint64_t n);

/* The population standard deviation of the values (JMeter's Aggregate
 * Report "Std. Dev."), NaN when empty. */
double jtl_hist_stdev(const struct jtl_hist *h);
/* Sum of value * count, exact in 128-bit arithmetic, returned as double;
 * the mean is jtl_hist_sum(h) / h->n. */
double jtl_hist_sum(const struct jtl_hist *h);

/* Walk distinct values in increasing order:
 *     struct jtl_hist_iter it;
 *     jtl_hist_iter_init(&it, h);
 *     while (jtl_hist_iter_next(&it, &v, &c)) ...
 * The histogram must not change during the walk. */
struct jtl_hist_iter {
    const struct jtl_hist *h;
    uint32_t si; /* sparse index */
    int64_t di;  /* dense value cursor */
    uint32_t oi; /* overflow index */
};
void jtl_hist_iter_init(struct jtl_hist_iter *it, const struct jtl_hist *h);
bool jtl_hist_iter_next(struct jtl_hist_iter *it, int64_t *value,
                        uint64_t *count);

/* A histogram in a partial state (state.h): its distinct values and their
 * counts, ascending, as deltas.  LOAD adds them to H (initialized, usually
 * empty); false when the input is damaged (values not ascending, a zero
 * count, a total that overflows). */
struct jtl_bw;
struct jtl_br;
void jtl_hist_save(const struct jtl_hist *h, struct jtl_bw *w);
bool jtl_hist_load(struct jtl_hist *h, struct jtl_br *r);

#endif /* JTL_HIST_H */
