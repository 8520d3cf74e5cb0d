/* SPDX-License-Identifier: MIT
 * test_throttle_stat.c - the throttle analysis' numerics and record store
 * on hand-made inputs with known answers: grouped AUC, balanced threshold,
 * logistic likelihood ratio (against the closed form of a 2x2 table),
 * runs and lag-1 tests, Wilson, isotonic fit, trend, Rayleigh, medians,
 * window maxima (both methods), and the store: exclusions, sort order,
 * joins, thread groups and Retry-After sources. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jtl/base/xalloc.h"
#include "throttle/analysis.h"

static void gtab_from(struct an_gtab *g, const int *x0, size_t n0,
                      const int *x1, size_t n1)
{
    size_t i;

    memset(g, 0, sizeof(*g));
    for (i = 0; i < n0; i++)
        an_gtab_add(g, (uint64_t)x0[i], 0);
    for (i = 0; i < n1; i++)
        an_gtab_add(g, (uint64_t)x1[i], 1);
}

static void test_gtab(void)
{
    size_t s;
    uint64_t x;
    int ok = 1;

    for (x = 0; x < 4096; x++)
        ok &= an_gtab_value(an_gtab_slot(x)) == (double)x;
    CHECK(ok, "grouped counts are exact below 4096");
    ok = 1;
    for (x = 4096; x < (1ull << 40); x = x * 3 / 2 + 7) {
        double v = an_gtab_value(an_gtab_slot(x));
        ok &= v <= (double)x && (double)x - v <= (double)x / 2048 + 1;
    }
    CHECK(ok, "above 4096 a cell is within 1/2048 below the value");
    ok = 1;
    for (s = 1; s < 50000; s++)
        ok &= an_gtab_value(s) > an_gtab_value(s - 1);
    CHECK(ok, "cells are ordered");
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return (x > y) - (x < y);
}

/* Quantiles of a grouped table against a sorted copy: exact below 4096
 * (waits in ms up to 4 s), within the cell precision above; NAN when
 * empty; monotone. */
static void test_gtab_quantiles(void)
{
    static const size_t sizes[] = {1, 2, 3, 10, 101, 1000, 4567};
    struct an_gtab g;
    double q[101];
    uint64_t *v = malloc(5000 * sizeof(*v)), seed = 7;
    size_t t, i, k;
    char what[96];

    memset(&g, 0, sizeof(g));
    an_gtab_quantiles(&g, q, 101);
    CHECK(q[0] != q[0] && q[50] != q[50] && q[100] != q[100],
          "quantiles of an empty table are NAN");
    for (t = 0; t < sizeof(sizes) / sizeof(sizes[0]); t++) {
        size_t n = sizes[t];
        int exact = 1, close = 1, mono = 1;
        for (int big = 0; big < 2; big++) {
            memset(&g, 0, sizeof(g));
            for (i = 0; i < n; i++) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                v[i] = (seed >> 33) % (big ? 10000000u : 4000u);
                an_gtab_add(&g, v[i], (int)(i & 1));
            }
            qsort(v, n, sizeof(*v), cmp_u64);
            an_gtab_quantiles(&g, q, 101);
            for (k = 0; k <= 100; k++) {
                /* nearest rank: the ceil(k/100 n)-th value, the first for 0 */
                size_t rank = (k * n + 99) / 100;
                double want = (double)v[rank ? rank - 1 : 0];
                if (!big)
                    exact &= q[k] == want;
                else
                    close &= q[k] <= want && want - q[k] <= want / 2048 + 1;
                if (k)
                    mono &= q[k] >= q[k - 1];
            }
            an_gtab_release(&g);
        }
        snprintf(what, sizeof(what),
                 "n=%zu: quantiles below 4096 equal "
                 "the sorted values",
                 n);
        CHECK(exact, what);
        snprintf(what, sizeof(what),
                 "n=%zu: large values within one cell "
                 "(1/2048)",
                 n);
        CHECK(close, what);
        snprintf(what, sizeof(what), "n=%zu: quantiles never decrease", n);
        CHECK(mono, what);
    }
    free(v);
}

static void test_auc(void)
{
    static const int a0[] = {1, 2, 3}, a1[] = {2, 3, 4};
    static const int s0[] = {0, 1, 2, 3, 4}, s1[] = {5, 6, 7};
    static const int t0[] = {7, 7, 7, 7}, t1[] = {7, 7};
    struct an_gtab g;
    struct an_eval e;

    gtab_from(&g, a0, 3, a1, 3);
    an_gtab_eval(&g, &e);
    CHECK_NEAR(e.auc, 7.0 / 9.0, 1e-12, "AUC of {2,3,4} over {1,2,3} is 7/9");
    an_gtab_release(&g);

    gtab_from(&g, s0, 5, s1, 3);
    an_gtab_eval(&g, &e);
    CHECK_NEAR(e.auc, 1.0, 1e-12, "separated classes: AUC 1");
    CHECK_NEAR(e.thr, 5, 0, "balanced threshold is the first 429 value");
    CHECK_NEAR(e.bal_err, 0, 1e-12, "no error at the threshold");
    CHECK(e.separated, "perfect separation is flagged");
    {
        double n = 8, p = 3.0 / 8, l0 = 3 * log(p) + 5 * log(1 - p);
        CHECK_NEAR(e.g, -2 * l0, 1e-9, "separation: G = -2 l0 (its bound)");
        (void)n;
    }
    an_gtab_release(&g);

    gtab_from(&g, s1, 3, s0, 5);
    an_gtab_eval(&g, &e);
    CHECK_NEAR(e.auc, 0.0, 1e-12, "reversed classes: AUC 0");
    an_gtab_release(&g);

    gtab_from(&g, t0, 4, t1, 2);
    an_gtab_eval(&g, &e);
    CHECK_NEAR(e.auc, 0.5, 1e-12, "all ties: AUC 0.5");
    CHECK_NEAR(e.g, 0, 1e-9, "a constant predictor explains nothing");
    an_gtab_release(&g);
}

/* x in {0, 1}: the logistic fit reproduces both group shares, so
 * G = 2 sum O ln(O / E) over the 2x2 table. */
static void test_logistic_2x2(void)
{
    struct an_gtab g = {0};
    struct an_eval e;
    double a = 30, b = 70, c = 60, d = 40; /* x=0: 30 ones, 70 zeros ... */
    double n = a + b + c + d, r1 = a + c, g2 = 0;
    double o[4] = {a, b, c, d};
    double ex[4] = {(a + b) * r1 / n, (a + b) * (n - r1) / n, (c + d) * r1 / n,
                    (c + d) * (n - r1) / n};
    int i;

    for (i = 0; i < 30; i++)
        an_gtab_add(&g, 0, 1);
    for (i = 0; i < 70; i++)
        an_gtab_add(&g, 0, 0);
    for (i = 0; i < 60; i++)
        an_gtab_add(&g, 1, 1);
    for (i = 0; i < 40; i++)
        an_gtab_add(&g, 1, 0);
    for (i = 0; i < 4; i++)
        g2 += 2 * o[i] * log(o[i] / ex[i]);
    an_gtab_eval(&g, &e);
    CHECK_NEAR(e.g, g2, 1e-6, "logistic G equals the 2x2 G statistic");
    CHECK(!e.separated, "overlapping groups are not separated");
    CHECK_NEAR(e.p, an_chi2_sf1(g2), 1e-12, "p from chi-square 1 df");
    an_gtab_release(&g);
}

static void test_tests(void)
{
    struct an_runs r;
    struct an_lag l;
    double lo, hi, fit[4];
    static const double y[4] = {1, 3, 2, 4}, w[4] = {1, 1, 1, 1};
    double s[5] = {1, 2, 3, 4, 5}, n[5] = {100, 100, 100, 100, 100};
    double k_up[5] = {5, 10, 30, 60, 90}, k_flat[5] = {20, 20, 20, 20, 20};
    double th[50], rbar, mean, p;
    int i;

    /* 1 1 0 0 1 0: n1 = 3, n0 = 3, 4 runs */
    an_runs_test(3, 3, 4, &r);
    {
        double mu = 2.0 * 3 * 3 / 6 + 1;
        double var = 2.0 * 3 * 3 * (2.0 * 3 * 3 - 6) / (36.0 * 5);
        CHECK_NEAR(r.z, (4 - mu) / sqrt(var), 1e-12, "runs Z by the formula");
    }
    an_lag1(40, 10, 10, 40, &l);
    CHECK_NEAR(l.p11, 0.8, 1e-12, "P(429|429)");
    CHECK_NEAR(l.p01, 0.2, 1e-12, "P(429|ok)");
    CHECK(l.z > 5, "strong lag-1 dependence has a large z");
    an_lag1(25, 25, 25, 25, &l);
    CHECK_NEAR(l.z, 0, 1e-12, "independent: lag-1 z 0");

    an_wilson(0, 10, &lo, &hi);
    CHECK_NEAR(lo, 0, 1e-12, "Wilson 0/10 lower bound 0");
    CHECK_NEAR(hi, 0.2775, 1e-3, "Wilson 0/10 upper bound 0.2775");

    an_pava(y, w, 4, fit);
    CHECK(fit[0] == 1 && fit[1] == 2.5 && fit[2] == 2.5 && fit[3] == 4,
          "PAVA pools the violating pair");

    CHECK(an_trend_z(s, n, k_up, 5) > 10, "rising share: large trend z");
    CHECK(isnan(an_trend_z(s, n, k_flat, 5)) ||
              fabs(an_trend_z(s, n, k_flat, 5)) < 1e-9,
          "flat share: trend z 0");

    for (i = 0; i < 50; i++)
        th[i] = 1.0;
    p = an_rayleigh(th, 50, &rbar, &mean);
    CHECK_NEAR(rbar, 1, 1e-12, "one phase: R = 1");
    CHECK(p < 1e-10, "one phase: Rayleigh p tiny");
    for (i = 0; i < 50; i++)
        th[i] = 2 * 3.14159265358979 * i / 50;
    p = an_rayleigh(th, 50, &rbar, &mean);
    CHECK(rbar < 1e-9 && p > 0.5, "uniform phases: R 0, p large");
}

static void test_median_distinct(void)
{
    double v[7] = {5, 1, 4, 2, 3, 9, 0}, w[6] = {6, 1, 5, 2, 4, 3};
    struct an_distinct d = {0};
    struct jtl_throttle_ra_value *x;
    size_t n;
    int i;

    CHECK_NEAR(an_median(v, 7), 3, 0, "median of 7 values");
    CHECK_NEAR(an_median(w, 6), 3.5, 0, "median of 6 values");
    for (i = 0; i < 1000; i++)
        an_distinct_add(&d, (double)(i % 3) + 1, 1);
    an_distinct_add(&d, 2.5, 7);
    x = an_distinct_sorted(&d, &n);
    CHECK_EQ_INT(n, 4, "four distinct values");
    CHECK(x[0].seconds == 1 && x[0].count == 334 && x[1].seconds == 2 &&
              x[1].count == 333 && x[2].seconds == 2.5 && x[2].count == 7 &&
              x[3].seconds == 3 && x[3].count == 333,
          "values sorted with exact counts");
    free(x);
}

/* The prefix-sum and the two-pointer window maxima agree. */
static void test_window_max(void)
{
    struct an_series s;
    uint64_t seed = 7, fast[3], slow;
    static const uint32_t w[3] = {1000, 10000, 60000};
    size_t i, k;
    uint32_t t = 0;
    int ok = 1;

    memset(&s, 0, sizeof(s));
    s.n = 50000;
    s.t = jtl_xmalloc(s.n * sizeof(*s.t));
    s.y = jtl_xmalloc(s.n);
    s.acc = jtl_xmalloc(s.n * sizeof(*s.acc));
    for (i = 0; i < s.n; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        t += (uint32_t)(seed >> 60); /* 0..15 ms apart: dense */
        s.t[i] = t;
        s.y[i] = (seed >> 33) % 4 == 0;
        if (!s.y[i])
            s.acc[s.n0++] = t;
    }
    an_max_in_windows(&s, w, fast, 3);
    for (k = 0; k < 3; k++) {
        slow = an_max_in_window(&s, w[k]);
        ok &= slow == fast[k];
    }
    CHECK(ok, "window maxima: prefix sums equal two pointers");
    /* sparse: spread the same starts over a long time */
    for (i = 0; i < s.n0; i++)
        s.acc[i] *= 50;
    an_max_in_windows(&s, w, fast, 3);
    ok = 1;
    for (k = 0; k < 3; k++)
        ok &= an_max_in_window(&s, w[k]) == fast[k];
    CHECK(ok, "window maxima: sparse traffic, same answers");
    free(s.t);
    free(s.y);
    free(s.acc);
}

/* ------------------------------------------------------------------ */

static struct jtl_sample mk(int64_t ts, const char *label, const char *thread,
                            const char *code)
{
    struct jtl_sample x;

    memset(&x, 0, sizeof(x));
    x.present = (1u << JTL_F_TIMESTAMP) | (1u << JTL_F_ELAPSED) |
                (1u << JTL_F_LABEL) | (1u << JTL_F_CODE) |
                (1u << JTL_F_THREAD) | (1u << JTL_F_SUCCESS);
    x.timestamp = ts;
    x.elapsed = 5;
    x.label.p = label;
    x.label.len = strlen(label);
    x.thread.p = thread;
    x.thread.len = strlen(thread);
    x.code.p = code;
    x.code.len = strlen(code);
    x.success = strcmp(code, "200") == 0;
    return x;
}

static void test_store(void)
{
    struct an_opts o;
    struct an_store st, child;
    struct jtl_sample x;
    struct jtl_var var;
    char wait_col[] = "wait_s";
    static const char hdr[] = "HTTP/1.1 429 Too Many Requests\r\n"
                              "Retry-After: 7\r\nContent-Length: 0\r\n";

    memset(&o, 0, sizeof(o));
    o.codes[0] = 429;
    o.ncodes = 1;
    an_store_init(&st, &o);
    x = mk(1000, "B", "Group A 1-2", "200");
    an_store_add(&st, &x);
    x = mk(1000, "A", "Group A 1-1", "429");
    x.response_headers.p = hdr;
    x.response_headers.len = sizeof(hdr) - 1;
    an_store_add(&st, &x);
    x = mk(999, "A", "Other group 2-1", "429");
    var.name.p = "retryAfter";
    var.name.len = 10;
    var.value.p = "3";
    var.value.len = 1;
    x.vars = &var;
    x.nvars = 1;
    an_store_add(&st, &x);
    x = mk(998, "A", "Group A 1-1", "429");
    x.message.p = "Rate limit exceeded the maximum. Retry the request in "
                  "[42] seconds";
    x.message.len = strlen(x.message.p);
    an_store_add(&st, &x);
    x = mk(997, "TC", "Group A 1-1", "200");
    x.flags = JTL_SAMPLE_TC_PARENT;
    an_store_add(&st, &x);
    x = mk(997, "sub", "Group A 1-1", "200");
    x.depth = 1;
    an_store_add(&st, &x);
    x = mk(997, "A", "Group A 1-1",
           "Non HTTP response code: "
           "java.net.SocketException");
    an_store_add(&st, &x);
    CHECK_EQ_INT(st.excluded, 1, "the controller row left out");
    CHECK_EQ_INT(st.n, 6, "six requests kept, the nested one too");
    CHECK(st.ra_sources == (AN_RA_HEADER | AN_RA_VAR | AN_RA_BODY),
          "Retry-After from header, variable and Genesys body");

    /* a worker's part, joined with its own ids */
    an_store_init(&child, &o);
    x = mk(1000, "C", "Group A 1-3", "200");
    an_store_add(&child, &x);
    x = mk(1000, "A", "Group A 1-0", "200");
    an_store_add(&child, &x);
    an_store_join(&st, &child);
    CHECK_EQ_INT(st.n, 8, "join appends");
    CHECK_EQ_INT(jtl_strtab_count(&st.labels), 5, "labels merged by name");

    an_store_sort(&st, 2);
    {
        static const int64_t want_t[] = {997,  997,  998,  999,
                                         1000, 1000, 1000, 1000};
        static const char *const want_th[] = {
            "Group A 1-1", "Group A 1-1", "Group A 1-1", "Other group 2-1",
            "Group A 1-0", "Group A 1-1", "Group A 1-2", "Group A 1-3"};
        size_t i;
        int ok = 1;
        for (i = 0; i < st.n; i++) {
            struct jtl_str name = an_thread_name(&st, st.rec[i].thread);
            ok &= st.rec[i].start == want_t[i] && jtl_str_eq(name, want_th[i]);
        }
        CHECK(ok, "sorted by start, then thread name");
        CHECK_EQ_INT(st.transactions, 1, "one transaction");
        CHECK_EQ_INT(st.tc_standing, 0,
                     "its request is in the file: the row is a container");
        CHECK(an_cls(&st.rec[0]) == AN_ACC && an_cls(&st.rec[1]) == AN_NOHTTP,
              "no HTTP status: not a pass; a tie by content");
        CHECK(an_cls(&st.rec[2]) == AN_THR &&
                  an_ext_of(&st, &st.rec[2])->ra == 42,
              "body: Retry the request in [42] seconds");
        CHECK(an_ext_of(&st, &st.rec[3])->ra == 3, "variable retryAfter = 3");
        CHECK(an_ext_of(&st, &st.rec[5])->ra == 7, "header Retry-After: 7");
        CHECK(isnan(an_ext_of(&st, &st.rec[4])->ra), "no Retry-After on a 200");
        CHECK_EQ_STR(jtl_strtab_str(&st.groups, st.group_of[st.rec[0].thread]),
                     "Group A", "thread group: name cut at the last space");
        CHECK_EQ_INT(jtl_strtab_count(&st.groups), 2, "two thread groups");
    }
    an_store_release(&st);

    /* controller rows alone (JMeter 2.13, "Generate parent sample", CSV):
     * each stands for its requests, the failed ones last */
    an_store_init(&st, &o);
    x = mk(10000, "TX", "G 1-1", "200");
    x.message.p = "Number of samples in transaction : 2, number of failing "
                  "samples : 0";
    x.message.len = strlen(x.message.p);
    x.flags = jtl_tc_parse(x.message, NULL, NULL);
    an_store_add(&st, &x);
    x = mk(10600, "TX", "G 1-1", "429");
    x.message.p = "Number of samples in transaction : 2, number of failing "
                  "samples : 1";
    x.message.len = strlen(x.message.p);
    x.flags = jtl_tc_parse(x.message, NULL, NULL);
    an_store_add(&st, &x);
    CHECK_EQ_INT(st.n, 0, "controller rows wait for the sort");
    an_store_sort(&st, 2);
    CHECK_EQ_INT(st.n, 4, "two rows stand for four requests");
    CHECK_EQ_INT(st.tc_standing, 2, "both rows stand for their requests");
    CHECK(st.n == 4 && st.rec[0].start > 10000 && st.rec[1].start <= 10600 &&
              st.rec[2].start > 10600,
          "the requests lie inside each row's part of the thread's time");
    CHECK(st.n == 4 && an_cls(&st.rec[0]) == AN_ACC &&
              an_cls(&st.rec[1]) == AN_ACC && an_cls(&st.rec[2]) == AN_ACC &&
              an_cls(&st.rec[3]) == AN_THR,
          "one failed request, throttled, the last of its row");
    an_store_release(&st);

    /* --retry-after-column names a column that is not auto-detected */
    o.ra_column = wait_col;
    an_store_init(&st, &o);
    x = mk(1000, "A", "T 1-1", "429");
    var.name.p = "wait_s";
    var.name.len = 6;
    var.value.p = "2.5";
    var.value.len = 3;
    x.vars = &var;
    x.nvars = 1;
    an_store_add(&st, &x);
    an_store_sort(&st, 2); /* records are readable in REC once sorted */
    CHECK(an_ext_of(&st, &st.rec[0])->ra == 2.5f,
          "--retry-after-column reads that column");
    an_store_release(&st);
}

/* A store and a reading thread's child store, 429 analysed as throttled. */
static void two_stores(struct an_opts *o, struct an_store *st,
                       struct an_store *child)
{
    memset(o, 0, sizeof(*o));
    o->codes[0] = 429;
    o->ncodes = 1;
    an_store_init(st, o);
    an_store_init(child, o);
}

/* Reference order of the chunk test: (start, thread name, arrival). */
struct ref_rec {
    int64_t start;
    const char *thread;
    uint32_t arrival;
};

static int cmp_ref(const void *pa, const void *pb)
{
    const struct ref_rec *a = pa, *b = pb;
    int c;

    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    c = strcmp(a->thread, b->thread);
    if (c)
        return c;
    return (a->arrival > b->arrival) - (a->arrival < b->arrival);
}

/* Several chunks in two joined stores, out of order by up to 60 ms with
 * many ties: the chunk-by-chunk sort and the merge must give the stable
 * sort of all records (arrival order: the main part, then the worker's;
 * the arrival number rides in the elapsed field). */
static void test_store_chunks(unsigned cpus)
{
    static const char *const names[] = {"T 1-3",  "T 1-1", "U 2-1", "T 1-2",
                                        "T 1-10", "U 2-2", "T 1-4"};
    const size_t nmain = 2 * AN_CHUNK_RECS + 1234, nchild = AN_CHUNK_RECS + 77;
    const size_t n = nmain + nchild;
    struct ref_rec *ref = malloc(n * sizeof(*ref));
    struct an_opts o;
    struct an_store st, child;
    uint32_t lcg = 12345;
    size_t i;
    int ok = 1;

    two_stores(&o, &st, &child);
    for (i = 0; i < n; i++) {
        struct jtl_sample x;
        /* the worker's part overlaps the main part in time (blocks of a
         * file are decoded by whichever worker is free) */
        size_t pos = i < nmain ? i : i - nmain / 2;
        const char *th;
        lcg = lcg * 1103515245u + 12345u;
        th = names[(lcg >> 16) % (i < nmain ? 5 : 7)];
        x = mk(1700000000000 + (int64_t)(pos / 8) + (lcg >> 8) % 60, "A", th,
               (lcg >> 4) % 10 ? "200" : "429");
        x.elapsed = (int64_t)i;
        ref[i].start = x.timestamp;
        ref[i].thread = th;
        ref[i].arrival = (uint32_t)i;
        an_store_add(i < nmain ? &st : &child, &x);
    }
    CHECK(st.nchunks == 3 && child.nchunks == 2, "records kept in chunks");
    an_store_join(&st, &child);
    CHECK_EQ_INT(st.n, n, "join links the worker's chunks");
    an_store_sort(&st, cpus);
    qsort(ref, n, sizeof(*ref), cmp_ref);
    for (i = 0; i < n && ok; i++) {
        const struct an_rec *r = &st.rec[i];
        struct jtl_str name = an_thread_name(&st, r->thread);
        ok = r->start == ref[i].start && an_elapsed(r) == ref[i].arrival &&
             name.len == strlen(ref[i].thread) &&
             memcmp(name.p, ref[i].thread, name.len) == 0;
        if (!ok)
            printf("  record %zu: start %lld arrival %u, want %lld %u\n", i,
                   (long long)r->start, an_elapsed(r), (long long)ref[i].start,
                   ref[i].arrival);
    }
    CHECK(ok, cpus > 1 ? "chunks sorted and merged by two threads (two "
                         "parts split by time) = stable sort by start, "
                         "thread name"
                       : "chunks sorted and merged = stable sort by start, "
                         "thread name");
    CHECK(st.nchunks == 0, "chunks freed by the merge");
    an_store_release(&st);
    free(ref);
}

/* The rest of a record (code; Retry-After and size of a throttled
 * request) is interned: ids shared by equal values, a table that grows
 * past its first size, joined stores mapped, values read back exactly. */
static void test_store_ext(void)
{
    struct an_opts o;
    struct an_store st, child;
    const size_t nthr = 1000;
    size_t i;
    int ok = 1;

    two_stores(&o, &st, &child);
    for (i = 0; i < 2 * nthr; i++) {
        /* 200s of every size and 429s of a different size each */
        struct jtl_sample x =
            mk(1000 + (int64_t)i, "A", "T 1-1", i % 2 ? "429" : "200");
        x.present |= 1u << JTL_F_BYTES;
        x.bytes = (int64_t)(i / 2) + 100;
        an_store_add(i < nthr ? &st : &child, &x);
    }
    {
        /* a 503 in the child only: its code id is the child's */
        struct jtl_sample x = mk(5000, "A", "T 1-1", "503");
        x.present |= 1u << JTL_F_BYTES;
        x.bytes = 77;
        an_store_add(&child, &x);
    }
    an_store_join(&st, &child);
    an_store_sort(&st, 1);
    CHECK_EQ_INT(st.n, 2 * nthr + 1, "every request kept");
    /* one for the 200s, one per 429 size, one for the 503 */
    CHECK_EQ_INT(st.next, nthr + 2, "equal values share one id");
    for (i = 0; i < 2 * nthr && ok; i++) {
        const struct an_rec *r = &st.rec[i];
        const struct an_ext *e = an_ext_of(&st, r);
        const char *want = i % 2 ? "429" : "200";
        ok = jtl_str_eq((struct jtl_str){jtl_strtab_str(&st.codes, e->code),
                                         jtl_strtab_len(&st.codes, e->code)},
                        want) &&
             e->bytes == (i % 2 ? (uint32_t)(i / 2) + 100 : 0) && isnan(e->ra);
        if (!ok)
            printf("  record %zu: code %u bytes %u\n", i, e->code, e->bytes);
    }
    CHECK(ok, "each record reads back its code and, throttled, its size "
              "(none kept for a 200)");
    {
        const struct an_ext *e = an_ext_of(&st, &st.rec[2 * nthr]);
        CHECK(jtl_str_eq((struct jtl_str){jtl_strtab_str(&st.codes, e->code),
                                          jtl_strtab_len(&st.codes, e->code)},
                         "503") &&
                  e->bytes == 0,
              "a joined store's code is mapped to the run's id");
    }
    an_store_release(&st);
}

int main(void)
{
    test_gtab();
    test_gtab_quantiles();
    test_auc();
    test_logistic_2x2();
    test_tests();
    test_median_distinct();
    test_window_max();
    test_store();
    test_store_chunks(1);
    test_store_chunks(2);
    test_store_ext();
    return CHECK_DONE();
}
