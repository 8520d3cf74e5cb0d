/* SPDX-License-Identifier: MIT
 * test_hist.c - the exact histogram against a brute-force sort: every
 * percentile 1..100 (and some fractional ones) with both definitions, on
 * several generated distributions, plus merge, overflow and memory. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jtl/stats/hist.h"

/* xorshift64*: deterministic, independent of libc's rand(). */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static double urand(void)
{
    return (double)(rng() >> 11) / 9007199254740992.0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* Nearest rank by integer arithmetic only: rank = ceil(p * n / 100) for an
 * integer p, so no floating point is involved in the reference. */
static int64_t brute_exact_int(const int64_t *x, size_t n, int p)
{
    uint64_t r = ((uint64_t)p * n + 99) / 100;

    if (r < 1)
        r = 1;
    return x[r - 1];
}

/* Commons-Math LEGACY straight from the sorted array (1-based formula). */
static double brute_legacy(const int64_t *x, size_t n, double p)
{
    double q = p / 100.0;
    double pos = q == 1.0 ? (double)n : q * ((double)n + 1);
    double fpos = floor(pos);
    size_t ip = (size_t)fpos;

    if (pos < 1)
        return (double)x[0];
    if (pos >= (double)n)
        return (double)x[n - 1];
    return (double)x[ip - 1] + (pos - fpos) * (double)(x[ip] - x[ip - 1]);
}

enum dist { D_UNIFORM, D_LOGNORMAL, D_BIG, D_FEW, D_ZEROS, D_MIXED, D_NDIST };

static const char *const dist_name[] = {
    "uniform 0..2000", "lognormal", "values > 65535",
    "few distinct",    "mostly 0",  "mixed incl. negative"};

static int64_t gen(enum dist d)
{
    switch (d) {
    case D_UNIFORM:
        return (int64_t)(urand() * 2001);
    case D_LOGNORMAL: {
        double u1 = urand() + 1e-12, u2 = urand();
        double z = sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
        return (int64_t)exp(5.5 + 1.1 * z);
    }
    case D_BIG:
        return 60000 + (int64_t)(urand() * 200000);
    case D_FEW:
        return 100 * (int64_t)(urand() * 7);
    case D_ZEROS:
        return urand() < 0.9 ? 0 : (int64_t)(urand() * 70000);
    case D_MIXED:
    default: {
        double u = urand();
        if (u < 0.05)
            return -(int64_t)(urand() * 50);
        if (u < 0.15)
            return (int64_t)(urand() * 5000000000.0);
        return (int64_t)(urand() * 70000);
    }
    }
}

static void check_against_sort(enum dist d, size_t n)
{
    int64_t *x = malloc(n * sizeof(*x));
    struct jtl_hist h;
    size_t i;
    int p, bad_exact = 0, bad_legacy = 0;
    double pct[100], got_e[100], got_l[100];
    char what[160];

    jtl_hist_init(&h);
    for (i = 0; i < n; i++) {
        x[i] = gen(d);
        jtl_hist_add(&h, x[i], 1);
    }
    qsort(x, n, sizeof(*x), cmp_i64);
    for (p = 1; p <= 100; p++)
        pct[p - 1] = p;
    jtl_hist_percentiles(&h, pct, 100, JTL_PCT_EXACT, got_e);
    jtl_hist_percentiles(&h, pct, 100, JTL_PCT_LEGACY, got_l);
    for (p = 1; p <= 100; p++) {
        double e = (double)brute_exact_int(x, n, p);
        double l = brute_legacy(x, n, p);
        if (got_e[p - 1] != e) {
            if (bad_exact++ < 3)
                fprintf(stderr, "  %s n=%zu p%d exact %.17g want %.17g\n",
                        dist_name[d], n, p, got_e[p - 1], e);
        }
        if (got_l[p - 1] != l) {
            if (bad_legacy++ < 3)
                fprintf(stderr, "  %s n=%zu p%d legacy %.17g want %.17g\n",
                        dist_name[d], n, p, got_l[p - 1], l);
        }
        /* the single-percentile entry point agrees with the batch one */
        if (jtl_hist_percentile(&h, p, JTL_PCT_LEGACY) != got_l[p - 1])
            bad_legacy++;
    }
    snprintf(what, sizeof(what), "%s, n=%zu: EXACT p1..p100 equal the sort",
             dist_name[d], n);
    CHECK(bad_exact == 0, what);
    snprintf(what, sizeof(what), "%s, n=%zu: LEGACY p1..p100 equal the sort",
             dist_name[d], n);
    CHECK(bad_legacy == 0, what);
    snprintf(what, sizeof(what), "%s, n=%zu: count, min, max", dist_name[d], n);
    CHECK(h.n == n && h.min == x[0] && h.max == x[n - 1], what);
    {
        double s = 0;
        for (i = 0; i < n; i++)
            s += (double)x[i];
        snprintf(what, sizeof(what), "%s, n=%zu: sum", dist_name[d], n);
        CHECK_NEAR(jtl_hist_sum(&h), s, fabs(s) * 1e-12, what);
    }
    /* k-th smallest for a few ranks */
    {
        int bad = 0;
        size_t k;
        for (k = 1; k <= n; k += n / 17 + 1)
            bad += jtl_hist_rank(&h, k) != x[k - 1];
        bad += jtl_hist_rank(&h, n) != x[n - 1];
        snprintf(what, sizeof(what), "%s, n=%zu: rank k", dist_name[d], n);
        CHECK(bad == 0, what);
    }
    /* iteration yields strictly increasing values whose counts sum to n */
    {
        struct jtl_hist_iter it;
        int64_t v, prev = INT64_MIN;
        uint64_t c, tot = 0;
        bool inc = true;
        size_t distinct = 0;
        jtl_hist_iter_init(&it, &h);
        while (jtl_hist_iter_next(&it, &v, &c)) {
            inc = inc && v > prev && c > 0;
            prev = v;
            tot += c;
            distinct++;
        }
        snprintf(what, sizeof(what),
                 "%s, n=%zu: iteration is sorted and "
                 "complete",
                 dist_name[d], n);
        CHECK(inc && tot == n && distinct == jtl_hist_distinct(&h), what);
    }
    jtl_hist_release(&h);
    free(x);
}

static void test_fractional(void)
{
    /* 1..1000: nearest rank has closed forms; p99.9 must not round up. */
    struct jtl_hist h;
    int64_t i;
    double p[] = {0, 0.1, 50, 99, 99.9, 100};
    double out[6];

    jtl_hist_init(&h);
    for (i = 1; i <= 1000; i++)
        jtl_hist_add(&h, i, 1);
    jtl_hist_percentiles(&h, p, 6, JTL_PCT_EXACT, out);
    CHECK(out[0] == 1, "p0 is the minimum");
    CHECK(out[1] == 1, "p0.1 of 1..1000 is 1 (rank 1)");
    CHECK(out[2] == 500, "median of 1..1000 is 500 in EXACT mode");
    CHECK(out[3] == 990, "p99 of 1..1000 is 990 in EXACT mode (nearest rank)");
    CHECK(out[4] == 999, "p99.9 of 1..1000 is 999 (rank 999, not 1000)");
    CHECK(out[5] == 1000, "p100 is the maximum");
    jtl_hist_percentiles(&h, p, 6, JTL_PCT_LEGACY, out);
    CHECK(out[2] == 500.5, "LEGACY median of 1..1000 is 500.5");
    CHECK_NEAR(out[3], 990.99, 1e-9, "LEGACY p99 of 1..1000 is 990.99");
    CHECK(out[5] == 1000, "LEGACY p100 is the maximum");
    jtl_hist_release(&h);

    /* JMeter's JR-KO row: 100, 170, 329 -> median 170, p90..p99 = max */
    jtl_hist_init(&h);
    jtl_hist_add(&h, 329, 1);
    jtl_hist_add(&h, 100, 1);
    jtl_hist_add(&h, 170, 1);
    CHECK(jtl_hist_percentile(&h, 50, JTL_PCT_LEGACY) == 170,
          "LEGACY median of 3 values is the middle one");
    CHECK(jtl_hist_percentile(&h, 90, JTL_PCT_LEGACY) == 329,
          "LEGACY p90 of 3 values is the max (pos >= n)");
    CHECK(jtl_hist_percentile(&h, 10, JTL_PCT_LEGACY) == 100,
          "LEGACY p10 of 3 values is the min (pos < 1)");
    jtl_hist_release(&h);

    jtl_hist_init(&h);
    CHECK(isnan(jtl_hist_percentile(&h, 50, JTL_PCT_EXACT)),
          "an empty histogram has no percentile (NaN)");
    jtl_hist_release(&h);
}

static void test_merge_and_counts(void)
{
    struct jtl_hist a, b, all;
    int i;
    double p[] = {1, 25, 50, 75, 90, 95, 99, 100};
    double oa[8], ob[8];
    int64_t v;

    jtl_hist_init(&a);
    jtl_hist_init(&b);
    jtl_hist_init(&all);
    for (i = 0; i < 20000; i++) {
        v = gen(i % 2 ? D_MIXED : D_LOGNORMAL);
        jtl_hist_add(i % 3 ? &a : &b, v, 1);
        jtl_hist_add(&all, v, 1);
    }
    jtl_hist_merge(&a, &b);
    jtl_hist_percentiles(&a, p, 8, JTL_PCT_LEGACY, oa);
    jtl_hist_percentiles(&all, p, 8, JTL_PCT_LEGACY, ob);
    CHECK(memcmp(oa, ob, sizeof(oa)) == 0 && a.n == all.n && a.min == all.min &&
              a.max == all.max &&
              jtl_hist_distinct(&a) == jtl_hist_distinct(&all),
          "merging two histograms equals recording everything in one");
    jtl_hist_release(&a);
    jtl_hist_release(&b);
    jtl_hist_release(&all);

    /* 32-bit counters spill into the overflow table, nothing is lost */
    jtl_hist_init(&a);
    jtl_hist_add(&a, 7, UINT32_MAX);
    jtl_hist_add(&a, 7, UINT32_MAX);
    jtl_hist_add(&a, 9, 3);
    CHECK(a.n == 2ull * UINT32_MAX + 3, "huge counts are kept exactly");
    CHECK(jtl_hist_rank(&a, 2ull * UINT32_MAX) == 7 &&
              jtl_hist_rank(&a, 2ull * UINT32_MAX + 1) == 9,
          "ranks across a spilled counter");
    CHECK(jtl_hist_distinct(&a) == 2, "a spilled value is still one value");
    for (i = 0; i < 3000; i++) /* force dense mode with the spill present */
        jtl_hist_add(&a, 1000 + i, 1);
    CHECK(a.dir != NULL, "more than JTL_HIST_SPARSE_MAX distinct values "
                         "switch to dense mode");
    CHECK(jtl_hist_rank(&a, 2ull * UINT32_MAX) == 7 &&
              jtl_hist_rank(&a, 2ull * UINT32_MAX + 3) == 9,
          "dense mode keeps the spilled counts");
    jtl_hist_release(&a);
}

static void test_memory(void)
{
    /* 4000 histograms (2000 labels x 2 threads) of 3000 samples spread over
     * 0..3000 ms: must stay far below 250 MB. */
    enum { NH = 2000 };
    struct jtl_hist *h = calloc(NH, sizeof(*h));
    size_t i, j, bytes = 0;

    for (i = 0; i < NH; i++) {
        jtl_hist_init(&h[i]);
        for (j = 0; j < 3000; j++)
            jtl_hist_add(&h[i], (int64_t)(urand() * 3000), 1);
        bytes += jtl_hist_bytes(&h[i]) + sizeof(h[i]);
    }
    printf("memory: %d histograms of 3000 samples over 0..3000 ms: %.1f MB\n",
           NH, (double)bytes / 1e6);
    CHECK(bytes < 50u * 1000 * 1000, "2000 wide label histograms < 50 MB");
    for (i = 0; i < NH; i++)
        jtl_hist_release(&h[i]);

    bytes = 0;
    for (i = 0; i < NH; i++) {
        for (j = 0; j < 2000; j++)
            jtl_hist_add(&h[i], 200 + (int64_t)(urand() * 40), 1);
        bytes += jtl_hist_bytes(&h[i]);
    }
    CHECK(bytes < 2000u * 1024, "narrow histograms stay sparse and tiny "
                                "whatever the row count");
    for (i = 0; i < NH; i++)
        jtl_hist_release(&h[i]);
    free(h);
}

int main(void)
{
    static const size_t sizes[] = {1, 2, 3, 7, 100, 1001, 20000, 70001};
    size_t s;
    int d;

    for (d = 0; d < D_NDIST; d++)
        for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
            check_against_sort((enum dist)d, sizes[s]);
    test_fractional();
    test_merge_and_counts();
    test_memory();
    return CHECK_DONE();
}
