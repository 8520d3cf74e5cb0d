/* SPDX-License-Identifier: MIT
 * compare.h - a run against a baseline: per label (matched by name, or by
 * endpoint template) and for the Total, the figures of both and their
 * change; a verdict per label, slower, faster, same or not-comparable,
 * that calls a shift only when it is both larger than min_change and beyond
 * run-to-run noise; the throttling before and after; and the --fail-if
 * rules that fire.
 *
 * Noise: with the raw runs on both sides the exact histograms give a
 * Mann-Whitney U test of the whole distributions (two-sided, ties by
 * midranks, normal approximation with the tie correction; alpha 0.01 by
 * default).  A side read from a statistics.json has no distribution: its
 * deltas are given, the verdict is not-comparable, and it says so.
 *
 * Ownership: jtl_compare_run() fills a result that jtl_compare_release()
 * frees; it copies what it needs (the sides may be freed after). */
#ifndef JTL_COMPARE_H
#define JTL_COMPARE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/io/statsjson.h"
#include "jtl/stats/hist.h"
#include "jtl/stats/stats.h"
#include "jtl/throttle/throttle.h"

/* The figures compared, in this order (delta[] and delta_pct[]). */
enum jtl_cmp_metric {
    JTL_CMP_SAMPLES,
    JTL_CMP_ERROR_PCT,
    JTL_CMP_MEAN,
    JTL_CMP_P50,
    JTL_CMP_P90,
    JTL_CMP_P95,
    JTL_CMP_P99,
    JTL_CMP_THROUGHPUT,
    JTL_CMP_RECEIVED,
    JTL_CMP_NMETRICS
};
/* The JSON name of a metric: "samples", "error_pct", "mean", "p50", ... */
const char *jtl_cmp_metric_name(enum jtl_cmp_metric m);

/* One side's figures of one label (or the Total). */
struct jtl_cmp_fig {
    double v[JTL_CMP_NMETRICS]; /* NaN: not known on this side */
    double min, max;
    struct jtl_hist *hist; /* the distribution; NULL from statistics.json */
    uint64_t labels;       /* labels it stands for */
};

/* One side of the comparison. */
struct jtl_cmp_side {
    const struct jtl_stats_result *stats;       /* a run (or NULL) */
    const struct jtl_statsjson *json;           /* or a statistics.json */
    const struct jtl_throttle_result *throttle; /* NULL when none */
    const char *name;                           /* for the sentences */
};

enum jtl_cmp_change {
    JTL_CMP_SAME,
    JTL_CMP_SLOWER,
    JTL_CMP_FASTER,
    JTL_CMP_NOT_COMPARABLE,
};
/* "same", "slower", "faster", "not-comparable" */
const char *jtl_cmp_change_name(enum jtl_cmp_change c);

struct jtl_cmp_label {
    char *name;       /* the label, the template, or "Total" */
    bool by_template; /* matched through the endpoint template */
    bool in_base, in_cur;
    struct jtl_cmp_fig base, cur;
    double delta[JTL_CMP_NMETRICS], delta_pct[JTL_CMP_NMETRICS];
    enum jtl_cmp_change change;
    double p_value; /* the test's, NaN when not tested */
    char *why;      /* one sentence: the change, the test */
};

/* The throttling of one side, as compared. */
struct jtl_cmp_thr {
    bool known;
    enum jtl_verdict verdict;
    enum jtl_mechanism mechanism;
    double limit_per_s; /* NaN when not a rate */
    double throttled_pct;
    double retry_after_s; /* the most common, NaN when none */
};

/* A --fail-if rule: "p95 of LABEL +10%", "fail +1", "limit -20%",
 * "slower" (any label), "slower of LABEL". */
struct jtl_fail_if {
    char *text;
    bool slower; /* the "slower" rule */
    enum jtl_cmp_metric metric;
    bool is_limit, is_throttled; /* the throttling's limit or share */
    char *label;                 /* NULL: the Total (slower: any label) */
    double amount;               /* signed: +10 means up by more than 10 */
    bool relative;               /* % of the baseline's value */
};
bool jtl_fail_if_parse(const char *text, struct jtl_fail_if *out, size_t *col,
                       char *msg, size_t cap);
void jtl_fail_if_release(struct jtl_fail_if *f);

struct jtl_cmp_fired {
    const struct jtl_fail_if *rule;
    bool fired, error;
    double base, cur; /* the figures it compared */
    char *message;
};

struct jtl_cmp_opts {
    double min_change;          /* relative, default 0.05 */
    double alpha;               /* default 0.01 */
    enum jtl_cmp_metric metric; /* the change that decides, default p95 */
    const struct jtl_fail_if *rules;
    size_t nrules;
};
void jtl_cmp_opts_init(struct jtl_cmp_opts *o);

/* Points of a distribution curve: percentile PCT[i] is MS[i]. */
#define JTL_CMP_CDF 103
struct jtl_cmp_cdf {
    double pct[JTL_CMP_CDF], ms[JTL_CMP_CDF];
    size_t n; /* 0 when the side has no distribution */
};

struct jtl_cmp_result {
    struct jtl_cmp_label *labels;         /* the Total first, then by name */
    struct jtl_cmp_cdf cdf_base, cdf_cur; /* the Total's, for a chart */
    size_t n;
    size_t nslower, nfaster, nsame, nnot;
    struct jtl_cmp_thr thr_base, thr_cur;
    char *thr_change; /* a sentence, NULL when neither side analysed */
    struct jtl_cmp_fired *rules;
    size_t nrules, nfired;
    char *method; /* how the noise was judged */
    double min_change, alpha;
    enum jtl_cmp_metric metric;
};

void jtl_compare_run(const struct jtl_cmp_side *base,
                     const struct jtl_cmp_side *cur,
                     const struct jtl_cmp_opts *opts,
                     struct jtl_cmp_result *out);
void jtl_compare_release(struct jtl_cmp_result *r);

/* The Mann-Whitney U test of B against C (two-sided p-value; *DIR > 0
 * when C's values are larger).  NaN when either is empty. */
double jtl_mann_whitney(const struct jtl_hist *b, const struct jtl_hist *c,
                        int *dir);

#endif /* JTL_COMPARE_H */
