/* SPDX-License-Identifier: MIT
 * check.h - evaluating pass/fail criteria (criteria.h) against a run: the
 * statistics (stats.h), the throttling analysis (throttle.h) and, for the
 * criteria with a window ("for 10s"), per-second series kept while reading
 * (struct jtl_check_win, a sink beside the aggregator).
 *
 * Each criterion gives one item per label it applies to: the Total (or each
 * label with each_label), one label, the labels of an endpoint template
 * together, or each label a /REGEX/ matches.  An item passes, fails (the
 * criterion's condition holds: the run FAILS it), or is an error (it could
 * not be evaluated: no such label, no throttling, a run shorter than the
 * window); an error fails the gate unless allow_missing.
 *
 * Windows: the value over every window of the criterion's length, sliding by
 * 1 s over the seconds of the run (a sample counts in the second it started
 * in); the item fails when some window's value meets the condition, and
 * names the worst such window.
 *
 * Ownership: jtl_check_run() fills a result that jtl_check_release() frees;
 * items point at the criteria, which must outlive the result. */
#ifndef JTL_CHECK_CHECK_H
#define JTL_CHECK_CHECK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/check/criteria.h"
#include "jtl/io/sample.h"
#include "jtl/stats/stats.h"
#include "jtl/throttle/throttle.h"

enum jtl_check_status { JTL_CHECK_PASS, JTL_CHECK_FAIL, JTL_CHECK_ERROR };

struct jtl_check_item {
    const struct jtl_criterion *crit;
    char *label; /* "Total", the label, the template */
    enum jtl_check_status status;
    double value;  /* measured, in the criterion's unit; NaN on error */
    double labels; /* labels it stands for (a template: several) */
    enum jtl_verdict verdict;   /* verdict criteria: the one found */
    int64_t win_start, win_end; /* the window named (epoch ms), 0 if none */
    uint64_t samples;           /* samples the value is computed from */
    char *message;              /* one sentence, with the numbers */
};

struct jtl_check_result {
    struct jtl_check_item *items;
    size_t n;
    size_t npass, nfail, nerror;
    bool passed; /* no failure, and no error unless allow_missing */
};

struct jtl_check_opts {
    bool each_label;          /* criteria without "of": every label too */
    bool allow_missing;       /* an item that cannot be evaluated passes */
    int64_t apdex_t, apdex_f; /* ms: the statistics' APDEX thresholds */
    const char *tz;           /* clock times in messages (NULL: UTC) */
};

/* ---- windows: per-second series of the windowed criteria ---------------- */

struct jtl_check_win;

/* NULL when no criterion has a window (no sink needed).  CRIT must
 * outlive it. */
struct jtl_check_win *jtl_check_win_new(const struct jtl_criterion *crit,
                                        size_t n,
                                        const struct jtl_check_opts *opts);
void jtl_check_win_free(struct jtl_check_win *w);
/* A jtl_sample_fn (CTX: the struct jtl_check_win); fork/join for workers. */
int jtl_check_win_add(const struct jtl_sample *s, void *ctx);
void *jtl_check_win_fork(void *ctx);
void jtl_check_win_join(void *ctx, void *child);
void jtl_check_win_sink(struct jtl_check_win *w, struct jtl_sink *sink);

/* ---- evaluation ---------------------------------------------------------- */

/* Evaluate CRIT[N] against ST (required), TH (NULL: the throttling
 * criteria are errors) and WIN (NULL when no criterion has a window).
 * WIN is evaluated once: its value tables are packed for the sliding
 * (jtl_check_win_free() still frees it). */
void jtl_check_run(const struct jtl_criterion *crit, size_t n,
                   const struct jtl_check_opts *opts,
                   const struct jtl_stats_result *st,
                   const struct jtl_throttle_result *th,
                   struct jtl_check_win *win, struct jtl_check_result *out);
void jtl_check_release(struct jtl_check_result *r);

/* "pass", "fail", "error" */
const char *jtl_check_status_name(enum jtl_check_status s);
/* A value in the criterion's unit, for people: "253 ms", "5.20 %",
 * "41.3/s", "0.870", "threshold"; into OUT. */
const char *jtl_check_format(char *out, size_t cap,
                             const struct jtl_criterion *c, double v,
                             enum jtl_verdict verdict);

#endif /* JTL_CHECK_CHECK_H */
