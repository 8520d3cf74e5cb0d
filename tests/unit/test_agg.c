/* SPDX-License-Identifier: MIT
 * test_agg.c - the aggregation sink on samples built in C: Transaction
 * Controller rules, APDEX, codes, error keys and top-5, rates, fork/join
 * equivalence, the --jmeter-compat window, and the timeline. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jtl/stats/agg.h"
#include "jtl/stats/hist.h"

#define TC_MSG                                                                 \
    "Number of samples in transaction : 2, number of failing samples : 1"

static struct jtl_str S(const char *s) {
    struct jtl_str r = {s, s ? strlen(s) : 0};
    return r;
}

struct spec {
    const char *label, *code, *msg, *fail;
    bool ok;
    int64_t ts, el;
    unsigned flags;
    const char *thread;
    int32_t threads;
    unsigned depth;
};

static void add(struct jtl_agg *a, struct spec sp)
{
    struct jtl_sample s;

    memset(&s, 0, sizeof(s));
    s.present = (1u << JTL_F_TIMESTAMP) | (1u << JTL_F_ELAPSED) |
                (1u << JTL_F_LABEL) | (1u << JTL_F_CODE) |
                (1u << JTL_F_MESSAGE) | (1u << JTL_F_SUCCESS) |
                (1u << JTL_F_BYTES) | (1u << JTL_F_SENT_BYTES) |
                (1u << JTL_F_THREAD) | (1u << JTL_F_GRP_THREADS) |
                (1u << JTL_F_ALL_THREADS) | (1u << JTL_F_LATENCY);
    s.label = S(sp.label);
    s.code = S(sp.code ? sp.code : "200");
    s.message = S(sp.msg ? sp.msg : "");
    s.failure_message = S(sp.fail ? sp.fail : "");
    s.success = sp.ok;
    s.timestamp = sp.ts;
    s.elapsed = sp.el;
    s.latency = sp.el / 2;
    s.flags = sp.flags;
    s.depth = sp.depth;
    s.bytes = 1000;
    s.sent_bytes = 100;
    s.thread = S(sp.thread ? sp.thread : "Thread Group 1-1");
    s.grp_threads = sp.threads ? sp.threads : 1;
    s.all_threads = sp.threads ? sp.threads : 1;
    jtl_agg_add(&s, a);
}

static const struct jtl_stats_row *row(const struct jtl_stats_result *r,
                                       const char *label)
{
    return jtl_stats_find(r, label, strlen(label));
}

static void test_tc_rules(void)
{
    struct jtl_agg_opts o;
    struct jtl_agg *a;
    const struct jtl_stats_result *r;

    jtl_agg_opts_init(&o);
    a = jtl_agg_new(&o);
    add(a, (struct spec){"A", "200", "OK", NULL, true, 1000, 100, 0, 0, 0, 0});
    add(a,
        (struct spec){"A", "500", "Oops", NULL, false, 1100, 200, 0, 0, 0, 0});
    add(a, (struct spec){"A", "200", "OK", NULL, true, 1200, 300, 0, 0, 0, 0});
    add(a, (struct spec){"T", "500", TC_MSG, NULL, false, 1000, 600,
                         JTL_SAMPLE_TC_PARENT, 0, 0, 0});
    add(a, (struct spec){"E", "200", "Number of samples in transaction : 0",
                         NULL, true, 1000, 0,
                         JTL_SAMPLE_TC_PARENT | JTL_SAMPLE_TC_EMPTY, 0, 0, 0});
    add(a, (struct spec){"sub", "200", "OK", NULL, true, 1000, 5, 0, 0, 0, 1});
    jtl_agg_finish(a);
    r = jtl_agg_stats(a);
    CHECK_EQ_INT(r->nrows, 2,
                 "label rows: A and the TC parent T (empty "
                 "controller and sub-sample ignored)");
    CHECK(row(r, "A") && row(r, "A")->samples == 3, "A has 3 samples");
    CHECK(row(r, "T") && row(r, "T")->samples == 1 &&
              row(r, "T")->is_controller,
          "the TC parent has its own row, marked as controller");
    CHECK(row(r, "E") == NULL, "an empty controller has no row");
    CHECK_EQ_INT(r->total.samples, 3, "Total excludes TC parents");
    CHECK_EQ_INT(r->total.errors, 1, "Total errors exclude the TC failure");
    CHECK_EQ_INT(r->total.apdex_total, 4,
                 "APDEX Total includes TC parents "
                 "but not empty controllers");
    CHECK_EQ_INT(r->errors_total, 1, "errors table excludes TC parents");
    CHECK_EQ_INT(r->errors_base, 3, "% in all samples counts non-TC samples");
    CHECK_EQ_INT(r->tc_parents, 1, "one TC parent counted");
    CHECK_EQ_INT(r->empty_controllers, 1, "one empty controller ignored");
    CHECK_EQ_INT(r->subresults_skipped, 1, "sub-samples skipped by default");
    CHECK_EQ_INT(row(r, "T")->ntop_errors, 0, "no top-5 for TC rows");
    CHECK_EQ_INT(r->total.max, 300, "Total max ignores the TC elapsed");
    CHECK_EQ_INT(jtl_stats_code_count(&r->total, "500"), 1,
                 "Total codes exclude TC");
    CHECK_EQ_INT(jtl_stats_code_count(row(r, "T"), "500"), 1,
                 "TC row counts its own code");
    /* mean over 100, 200, 300 */
    CHECK(r->total.mean == 200.0, "Total mean");
    CHECK_NEAR(r->total.error_pct, 100.0 / 3, 1e-12, "Total error %");
    jtl_agg_free(a);

    o.subresults = true;
    a = jtl_agg_new(&o);
    add(a, (struct spec){"sub", "200", "OK", NULL, true, 1000, 5, 0, 0, 0, 2});
    jtl_agg_finish(a);
    CHECK_EQ_INT(jtl_agg_stats(a)->total.samples, 1,
                 "--subresults counts nested samples");
    jtl_agg_free(a);
}

static void test_apdex_and_rates(void)
{
    struct jtl_agg_opts o;
    struct jtl_agg *a;
    const struct jtl_stats_row *x;

    jtl_agg_opts_init(&o);
    a = jtl_agg_new(&o);
    add(a, (struct spec){"X", "200", "", NULL, true, 1000, 500, 0, 0, 0, 0});
    add(a, (struct spec){"X", "200", "", NULL, true, 1000, 501, 0, 0, 0, 0});
    add(a, (struct spec){"X", "200", "", NULL, true, 1000, 1500, 0, 0, 0, 0});
    add(a, (struct spec){"X", "200", "", NULL, true, 1000, 1501, 0, 0, 0, 0});
    add(a, (struct spec){"X", "500", "", NULL, false, 2000, 10, 0, 0, 0, 0});
    jtl_agg_finish(a);
    x = row(jtl_agg_stats(a), "X");
    CHECK_EQ_INT(x->apdex_satisfied, 1, "elapsed == T is satisfied");
    CHECK_EQ_INT(x->apdex_tolerated, 2, "T < elapsed <= F is tolerated");
    CHECK(x->apdex == (1 + 2 / 2.0) / 5, "apdex = (sat + tol/2) / total; a "
                                         "fast failure is frustrated");
    /* span: first start 1000, last end 1000 + 1501 = 2501 */
    CHECK(x->throughput == (5 / 1501.0) * 1000.0, "throughput = n / span * "
                                                  "1000");
    CHECK(x->received_kbps == 5000 / (1501 / 1000.0) / 1024, "received KB/s");
    CHECK(x->sent_kbps == 500 / (1501 / 1000.0) / 1024, "sent KB/s");
    CHECK_EQ_INT(x->first_start, 1000, "first start");
    CHECK_EQ_INT(x->last_end, 2501, "last end is start + elapsed");
    CHECK_EQ_INT(x->codes[0].count, 4, "codes sorted: 200 first");
    CHECK_EQ_STR(x->codes[1].code, "500", "codes sorted: then 500");
    jtl_agg_free(a);

    o.apdex_t = 100;
    o.apdex_f = 400;
    a = jtl_agg_new(&o);
    add(a, (struct spec){"X", "200", "", NULL, true, 1000, 100, 0, 0, 0, 0});
    add(a, (struct spec){"X", "200", "", NULL, true, 1000, 400, 0, 0, 0, 0});
    add(a, (struct spec){"X", "200", "", NULL, true, 1000, 401, 0, 0, 0, 0});
    jtl_agg_finish(a);
    x = row(jtl_agg_stats(a), "X");
    CHECK(x->apdex_satisfied == 1 && x->apdex_tolerated == 1 &&
              jtl_agg_stats(a)->apdex_t == 100,
          "configurable APDEX thresholds");
    jtl_agg_free(a);
}

static void test_error_keys(void)
{
    struct jtl_agg_opts o;
    struct jtl_agg *a;
    const struct jtl_stats_result *r;
    const struct jtl_stats_row *x;
    int i, k;
    char label[8];

    jtl_agg_opts_init(&o);
    a = jtl_agg_new(&o);
    add(a,
        (struct spec){"K", "500", "Internal", NULL, false, 0, 1, 0, 0, 0, 0});
    add(a, (struct spec){"K", "200", "OK", "Expected foo", false, 0, 1, 0, 0, 0,
                         0});
    add(a, (struct spec){"K", "302", "Found", NULL, false, 0, 1, 0, 0, 0, 0});
    add(a, (struct spec){"K", "", "", "Timeout assertion", false, 0, 1, 0, 0, 0,
                         0});
    add(a, (struct spec){"K", "429", "", NULL, false, 0, 1, 0, 0, 0, 0});
    add(a,
        (struct spec){"K", "Non HTTP response code: java.net.SocketException",
                      "Non HTTP response message: Connection reset", NULL,
                      false, 0, 1, 0, 0, 0, 0});
    add(a, (struct spec){"K", "500", "Internal", NULL, true, 0, 1, 0, 0, 0, 0});
    jtl_agg_finish(a);
    r = jtl_agg_stats(a);
    CHECK_EQ_INT(r->nerrors, 6,
                 "six error types (success=true 500 is not an "
                 "error)");
    for (i = 0, k = 0; i < (int)r->nerrors; i++) {
        const char *key = r->errors[i].key;
        k += strcmp(key, "500/Internal") == 0;
        k += strcmp(key, "Expected foo") == 0;
        k += strcmp(key, "Assertion failed") == 0;
        k += strcmp(key, "Timeout assertion") == 0;
        k += strcmp(key, "429") == 0;
        k += strcmp(key, "Non HTTP response code: java.net.SocketException/"
                         "Non HTTP response message: Connection reset") == 0;
    }
    CHECK_EQ_INT(k, 6,
                 "error keys: code/message, failure message for a "
                 "success code, 'Assertion failed', code alone");
    jtl_agg_free(a);

    /* top 5 by count, ties by key; only labels' own errors */
    a = jtl_agg_new(&o);
    for (i = 0; i < 7; i++)
        for (k = 0; k <= i; k++) {
            char code[8];
            snprintf(code, sizeof(code), "5%02d", i);
            add(a, (struct spec){"L", code, "", NULL, false, 0, 1, 0, 0, 0, 0});
        }
    for (i = 0; i < 3; i++) {
        snprintf(label, sizeof(label), "M%d", i);
        add(a, (struct spec){label, "404", "", NULL, false, 0, 1, 0, 0, 0, 0});
        add(a, (struct spec){label, "403", "", NULL, false, 0, 1, 0, 0, 0, 0});
    }
    jtl_agg_finish(a);
    r = jtl_agg_stats(a);
    x = row(r, "L");
    CHECK_EQ_INT(x->ntop_errors, 5, "top 5 only");
    CHECK(strcmp(x->top_errors[0].key, "506") == 0 &&
              x->top_errors[0].count == 7 &&
              strcmp(x->top_errors[4].key, "502") == 0,
          "top errors by count descending");
    x = row(r, "M1");
    CHECK(x->ntop_errors == 2 && strcmp(x->top_errors[0].key, "403") == 0,
          "equal counts sorted by key");
    CHECK(r->total.ntop_errors == 5 && r->total.top_errors[0].count == 7,
          "Total top 5 over every label");
    CHECK(r->errors[0].count == 7 && r->errors[r->nerrors - 1].count == 1,
          "errors table sorted by count");
    CHECK_NEAR(r->errors[0].pct_errors, 7 * 100.0 / 34, 1e-9, "% in errors");
    jtl_agg_free(a);
}

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static struct spec random_spec(void)
{
    static const char *const labels[] = {"a", "b", "c", "d", "e", "f", "g"};
    static const char *const codes[] = {"200", "200", "200", "429", "500"};
    static const char *const threads[] = {"TG 1-1", "TG 1-2", "Other 2-1"};
    struct spec s;
    uint64_t x = rng();

    memset(&s, 0, sizeof(s));
    s.label = labels[x % 7];
    s.code = codes[(x >> 8) % 5];
    s.ok = s.code[0] == '2';
    s.msg = s.ok ? "OK" : "Too Many";
    s.ts = 1700000000000 + (int64_t)((x >> 16) % 600000);
    s.el = (int64_t)((x >> 40) % 3000);
    s.flags = (x >> 60) == 0 ? JTL_SAMPLE_TC_PARENT : 0;
    s.thread = threads[(x >> 20) % 3];
    s.threads = (int32_t)((x >> 24) % 50) + 1;
    return s;
}

static bool rows_equal(const struct jtl_stats_row *a,
                       const struct jtl_stats_row *b, size_t npct)
{
    size_t i;

    if (a->samples != b->samples || a->errors != b->errors ||
        a->mean != b->mean || a->median != b->median || a->min != b->min ||
        a->max != b->max || a->throughput != b->throughput ||
        a->apdex != b->apdex || a->ncodes != b->ncodes ||
        a->ntop_errors != b->ntop_errors || a->bytes != b->bytes)
        return false;
    for (i = 0; i < npct; i++)
        if (a->pct[i] != b->pct[i])
            return false;
    for (i = 0; i < a->ncodes; i++)
        if (a->codes[i].count != b->codes[i].count ||
            strcmp(a->codes[i].code, b->codes[i].code))
            return false;
    for (i = 0; i < a->ntop_errors; i++)
        if (a->top_errors[i].count != b->top_errors[i].count ||
            strcmp(a->top_errors[i].key, b->top_errors[i].key))
            return false;
    return true;
}

static void test_fork_join(void)
{
    struct jtl_agg_opts o;
    struct jtl_agg *one, *par;
    struct jtl_agg *kids[3];
    const struct jtl_stats_result *r1, *r2;
    const struct jtl_timeline *t1, *t2;
    struct jtl_sink sink;
    int i, same = 1;
    size_t k;

    jtl_agg_opts_init(&o);
    o.timeline = true;
    one = jtl_agg_new(&o);
    par = jtl_agg_new(&o);
    jtl_agg_sink(par, &sink);
    CHECK(sink.fork && sink.join, "fork/join offered outside compat mode");
    for (i = 0; i < 3; i++)
        kids[i] = sink.fork(par);
    for (i = 0; i < 30000; i++) {
        struct spec s = random_spec();
        add(one, s);
        add(i < 10000 ? par : kids[i % 3], s);
    }
    for (i = 0; i < 3; i++)
        sink.join(par, kids[i]);
    jtl_agg_finish(one);
    jtl_agg_finish(par);
    r1 = jtl_agg_stats(one);
    r2 = jtl_agg_stats(par);
    CHECK(r1->nrows == r2->nrows && r1->nerrors == r2->nerrors,
          "joined: same rows and error types");
    same = rows_equal(&r1->total, &r2->total, r1->npct);
    for (k = 0; k < r1->nrows && same; k++)
        same = strcmp(r1->rows[k].label, r2->rows[k].label) == 0 &&
               rows_equal(&r1->rows[k], &r2->rows[k], r1->npct);
    CHECK(same, "joined children give exactly the single-agg statistics");
    t1 = jtl_agg_timeline(one);
    t2 = jtl_agg_timeline(par);
    same = t1->nbuckets == t2->nbuckets && t1->t0 == t2->t0 &&
           t1->interval_ms == t2->interval_ms && t1->ncodes == t2->ncodes &&
           t1->nlabels == t2->nlabels && t1->ngroups == t2->ngroups &&
           t1->nsec == t2->nsec;
    for (k = 0; same && k < t1->nbuckets; k++)
        same = t1->hits[k] == t2->hits[k] && t1->samples[k] == t2->samples[k] &&
               t1->bytes_received[k] == t2->bytes_received[k] &&
               t1->threads_all_max[k] == t2->threads_all_max[k] &&
               (t1->rt_pct[0][k] == t2->rt_pct[0][k] ||
                (isnan(t1->rt_pct[0][k]) && isnan(t2->rt_pct[0][k]))) &&
               t1->labels[2].failure[k] == t2->labels[2].failure[k] &&
               t1->codes[1].counts[k] == t2->codes[1].counts[k];
    for (k = 0; same && k < t1->nsec; k++)
        same = t1->sec_429[k] == t2->sec_429[k] &&
               t1->sec_accepted[k] == t2->sec_accepted[k];
    CHECK(same, "joined timelines equal the single-agg timeline");
    jtl_agg_free(one);
    jtl_agg_free(par);

    o.jmeter_compat = true;
    par = jtl_agg_new(&o);
    jtl_agg_sink(par, &sink);
    CHECK(!sink.fork && !sink.join, "no fork/join in --jmeter-compat");
    CHECK(jtl_agg_fork(par) == NULL, "jtl_agg_fork refuses in compat mode");
    jtl_agg_free(par);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

static double legacy(const int64_t *x, size_t n, double p)
{
    double pos = p / 100.0 * ((double)n + 1), f = floor(pos);
    size_t i = (size_t)f;

    if (pos < 1)
        return (double)x[0];
    if (pos >= (double)n)
        return (double)x[n - 1];
    return (double)x[i - 1] + (pos - f) * (double)(x[i] - x[i - 1]);
}

static void test_compat_window(void)
{
    enum { N = 30000, W = JTL_STATS_JMETER_WINDOW };
    struct jtl_agg_opts o;
    struct jtl_agg *a;
    const struct jtl_stats_result *r;
    int64_t *v = malloc(N * sizeof(*v)), *w = malloc(W * sizeof(*w));
    double sum = 0, m1 = 0;
    int i;

    jtl_agg_opts_init(&o);
    o.jmeter_compat = true;
    a = jtl_agg_new(&o);
    for (i = 0; i < N; i++) {
        /* the first third is slow, so a whole-run percentile would differ */
        v[i] = i < N - W ? 5000 + (int64_t)(rng() % 1000)
                         : (int64_t)(rng() % 1000);
        add(a, (struct spec){"W", "200", "", NULL, true, 1000 + i, v[i], 0, 0,
                             0, 0});
        sum += (double)v[i];
        m1 += ((double)v[i] - m1) / (i + 1);
    }
    jtl_agg_finish(a);
    r = jtl_agg_stats(a);
    memcpy(w, v + (N - W), W * sizeof(*w));
    qsort(w, W, sizeof(*w), cmp_i64);
    CHECK(r->method == JTL_PCT_LEGACY && r->window == W,
          "compat: LEGACY over a 20000 window");
    CHECK(row(r, "W")->pct[0] == legacy(w, W, 90) &&
              row(r, "W")->pct[2] == legacy(w, W, 99) &&
              row(r, "W")->median == legacy(w, W, 50),
          "compat percentiles come from the last 20000 values only");
    CHECK(r->total.pct[1] == legacy(w, W, 95), "Total has its own window");
    CHECK(row(r, "W")->mean == m1, "compat mean is Commons-Math's "
                                   "incremental mean over all values");
    CHECK_NEAR(row(r, "W")->mean, sum / N, 1e-6, "... which is the mean");
    CHECK(row(r, "W")->max >= 5000, "max still covers the whole run");
    CHECK(row(r, "W")->hist->n == N, "the exact histogram covers all values");
    jtl_agg_free(a);
    free(v);
    free(w);
}

static void test_timeline(void)
{
    struct jtl_agg_opts o;
    struct jtl_agg *a;
    const struct jtl_timeline *t;
    uint64_t hits = 0, samples = 0, s429 = 0, sok = 0, serr = 0;
    size_t k;
    int i;

    jtl_agg_opts_init(&o);
    o.timeline = true;
    o.granularity_ms = 10000;
    a = jtl_agg_new(&o);
    /* t = 0..59.9 s from 1 700 000 000 000; one per 100 ms */
    for (i = 0; i < 600; i++) {
        const char *code = i % 3 == 0 ? "429" : i % 3 == 1 ? "200" : "503";
        add(a, (struct spec){"X", code, "", NULL, code[0] == '2',
                             1700000000000 + i * 100, 950, 0, "TG 1-1",
                             1 + i / 100, 0});
    }
    add(a, (struct spec){"T", "200", TC_MSG, NULL, true, 1700000000000, 5000,
                         JTL_SAMPLE_TC_PARENT, 0, 0, 0});
    jtl_agg_finish(a);
    t = jtl_agg_timeline(a);
    CHECK(t && t->interval_ms == 10000 && !t->interval_auto &&
              !t->interval_coarsened,
          "the asked granularity is used");
    CHECK_EQ_INT(t->t0, 1700000000000 - 1700000000000 % 10000,
                 "buckets aligned to multiples of the interval");
    for (k = 0; k < t->nbuckets; k++) {
        hits += t->hits[k];
        samples += t->samples[k];
    }
    CHECK(hits == 600 && samples == 600, "hits and samples exclude the TC "
                                         "parent and lose nothing");
    CHECK_EQ_INT(t->hits[0], 100,
                 "hits by start time: 100 in the first "
                 "10 s");
    CHECK_EQ_INT(t->samples[0], 91, "samples by end time (start + 950 ms)");
    CHECK_EQ_INT(t->nbuckets, 7, "60.85 s of data in 10 s buckets");
    CHECK_EQ_INT(t->ncodes, 3, "three codes");
    CHECK(strcmp(t->codes[1].code, "429") == 0 && t->codes[1].total == 200,
          "codes per interval");
    CHECK(t->nlabels == 2 && strcmp(t->labels[0].label, "T") == 0 &&
              t->labels[0].is_controller && t->labels[0].success[0] == 1,
          "per-label transactions include the TC parent");
    CHECK(t->ngroups == 2 && strcmp(t->groups[0].name, "TG") == 0 &&
              strcmp(t->groups[1].name, "Thread Group") == 0,
          "thread group = thread name cut at the last space");
    CHECK_NEAR(t->groups[0].mean_threads[1], (9 * 1 + 91 * 2) / 100.0, 1e-12,
               "active threads: mean grpThreads per bucket (by end time)");
    CHECK_NEAR(t->threads_all_mean[1], 1.91, 1e-12, "mean allThreads");
    CHECK(t->rt_median[1] == 950 && isnan(t->rt_median[6]) == 0,
          "per-bucket percentiles of successful samples");
    CHECK_EQ_INT(t->nsec, 60, "per-second series: 60 seconds");
    for (k = 0; k < t->nsec; k++) {
        s429 += t->sec_429[k];
        sok += t->sec_accepted[k];
        serr += t->sec_errors[k];
    }
    CHECK(s429 == 200 && sok == 200 && serr == 200,
          "per-second accepted / 429 / other errors");
    CHECK(t->sec_hits[0] == 10 && t->sec_threads_max[59] == 6,
          "per-second hits and max threads");
    jtl_agg_free(a);

    /* automatic: 1 h of data -> at most 300 points, a nice interval */
    o.granularity_ms = 0;
    a = jtl_agg_new(&o);
    for (i = 0; i < 3600; i++)
        add(a,
            (struct spec){"X", "200", "", NULL, true,
                          1700000000000 + (int64_t)i * 1000, 10, 0, 0, 0, 0});
    jtl_agg_finish(a);
    t = jtl_agg_timeline(a);
    CHECK(t->interval_auto && t->interval_ms == 15000 && t->nbuckets <= 300 &&
              t->nbuckets >= 100,
          "automatic interval: 1 h gives 15 s buckets (240 points)");
    jtl_agg_free(a);

    /* a 1 ms interval over 10 minutes would need 600 000 buckets: the
     * working interval is coarsened, nothing is lost */
    o.granularity_ms = 1;
    a = jtl_agg_new(&o);
    for (i = 0; i < 20000; i++)
        add(a, (struct spec){"X", "200", "", NULL, true,
                             1700000000000 + (int64_t)(rng() % 600000), 10, 0,
                             0, 0, 0});
    jtl_agg_finish(a);
    t = jtl_agg_timeline(a);
    hits = 0;
    for (k = 0; k < t->nbuckets; k++)
        hits += t->hits[k];
    CHECK(t->interval_coarsened && t->nbuckets <= JTL_TIMELINE_MAX_BUCKETS &&
              hits == 20000,
          "bucket cap: interval coarsened, counts kept");
    jtl_agg_free(a);

    CHECK_EQ_INT(jtl_timeline_auto_interval(25000, 1000), 1000,
                 "auto: a 25 s run uses 1 s");
    CHECK_EQ_INT(jtl_timeline_auto_interval(700000, 1000), 5000,
                 "auto: 700 s uses 5 s (140 points)");
    CHECK_EQ_INT(jtl_timeline_auto_interval(700000, 2000), 10000,
                 "auto: multiple of the working interval");
    CHECK_EQ_INT(jtl_timeline_auto_interval(86400000LL * 30, 1000), 10800000,
                 "auto: 30 days use 3 h (240 points)");
    CHECK_EQ_INT(jtl_timeline_auto_interval(86400000LL * 365, 1000) % 86400000,
                 0, "auto: a year uses whole days");
}

static void test_many_labels_memory(void)
{
    /* 2000 labels x 2 workers with wide response times: memory stays
     * bounded by distinct values (figures printed for the record). */
    struct jtl_agg_opts o;
    struct jtl_agg *a, *b;
    char label[32];
    size_t i, bytes;

    jtl_agg_opts_init(&o);
    a = jtl_agg_new(&o);
    b = jtl_agg_fork(a);
    for (i = 0; i < 2000u * 300; i++) {
        struct spec s;
        memset(&s, 0, sizeof(s));
        snprintf(label, sizeof(label), "label %zu", i % 2000);
        s.label = label;
        s.ok = true;
        s.ts = 1700000000000 + (int64_t)(i % 3600000);
        s.el = (int64_t)(rng() % 3000);
        add(i % 2 ? a : b, s);
    }
    bytes = jtl_agg_bytes(a) + jtl_agg_bytes(b);
    printf("memory: 2000 labels x 2 aggs, 600 k samples: %.1f MB\n",
           (double)bytes / 1e6);
    CHECK(bytes < 250u * 1000 * 1000, "2000 labels x 2 threads < 250 MB");
    jtl_agg_join(a, b);
    jtl_agg_finish(a);
    CHECK_EQ_INT(jtl_agg_stats(a)->nrows, 2000, "2000 rows");
    CHECK_EQ_INT(jtl_agg_stats(a)->total.samples, 600000, "all samples");
    jtl_agg_free(a);
}

int main(void)
{
    test_tc_rules();
    test_apdex_and_rates();
    test_error_keys();
    test_fork_join();
    test_compat_window();
    test_timeline();
    test_many_labels_memory();
    return CHECK_DONE();
}
